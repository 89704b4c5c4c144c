import type { Db } from "../db/open.ts";
import { getSample, type Sample } from "../db/samples.ts";
import { notFound } from "../errors.ts";

/** The stored sample; not_found when there is none. */
export function findSample(db: Db, id: string): Sample {
  const sample = getSample(db, id);
  if (!sample) throw notFound("sample");
  return sample;
}
