import type { Db } from "../db/database.ts";
import { getSample, type Sample } from "../db/samples.ts";
import { notFound } from "../errors.ts";

/** The stored sample; not_found when there is none. */
export async function findSample(db: Db, id: string): Promise<Sample> {
  const sample = await getSample(db, id);
  if (!sample) throw notFound("sample");
  return sample;
}
