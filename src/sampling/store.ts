import type { Spool } from "../audits/ingest.ts";
import type { Format } from "../audits/records.ts";
import { type Db, isForeignKeyViolation } from "../db/database.ts";
import { deletePopulation, getPopulation, type Population, samplesUsing } from "../db/populations.ts";
import { auditsNamingSample, deleteSample, getSample } from "../db/samples.ts";
import { writeGate } from "../db/write-gate.ts";
import { DomainError, notFound } from "../errors.ts";
import { InlineWriter, type Writer } from "../writer/writer.ts";
import type { DrawRequest } from "./plan.ts";
import { type UploadResult, uploadPopulation } from "./upload.ts";

/**
 * Stores a population upload, all rows or none, and resolves after its commit: on the writer thread when the
 * body was spooled to a file and there is one (a ten-million-row upload takes tens of seconds), else here in a
 * shared turn of the write gate.
 */
export function storePopulation(
  db: Db,
  writer: Writer | undefined,
  spool: Spool,
  format: Format,
  name: string | null,
  createdBy: string | null,
): Promise<UploadResult> {
  const file = spool.path;
  if (writer && file) {
    return writer.write("population", {
      file,
      bytes: spool.size,
      charset: spool.charset,
      format,
      name,
      createdBy,
    });
  }
  return writeGate(db).shared(() => uploadPopulation(db, spool, format, name, createdBy));
}

/**
 * Draws a sample (one transaction) on the writer thread when there is one: a draw scans the whole population.
 * `timeZone` dates the default name.
 */
export function storeDraw(
  db: Db,
  writer: Writer | undefined,
  request: DrawRequest,
  createdBy: string | null,
  timeZone: string,
) {
  return (writer ?? new InlineWriter(db)).write("draw", { request, createdBy, timeZone });
}

/**
 * Deletes a population with its decisions, in one transaction; not_found when there is none, conflict (409,
 * naming the samples) while a sample uses it. A sample drawn from it by another instance between the check and
 * the delete makes the samples' foreign key refuse the delete: also a conflict.
 */
export async function removePopulation(db: Db, id: string): Promise<Population> {
  const inUse = (samples: string[]) =>
    new DomainError(
      "conflict",
      "population_in_use",
      `${samples.length} sample(s) use this population; delete them first (DELETE /v1/samples/{id})`,
      { samples },
    );
  try {
    return await db.transaction(async (tx) => {
      const population = await getPopulation(tx, id);
      if (!population) throw notFound("population");
      const samples = await samplesUsing(tx, id);
      if (samples.length > 0) throw inUse(samples);
      await deletePopulation(tx, population);
      return population;
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) throw inUse(await samplesUsing(db, id));
    throw error;
  }
}

/**
 * Deletes a sample and its items, in one transaction; not_found when there is none, conflict (409
 * `sample_has_audits`) while audits name it: they would lose the sample their estimate and progress refer to.
 */
export async function removeSample(db: Db, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await getSample(tx, id))) throw notFound("sample");
    const audits = await auditsNamingSample(tx, id);
    if (audits > 0) {
      throw new DomainError(
        "conflict",
        "sample_has_audits",
        `${audits} audit(s) name this sample; a sample with audits is kept`,
        [{ path: "id", message: `${audits} audit(s) name this sample`, audits }],
      );
    }
    await deleteSample(tx, id);
  });
}
