import type { Db } from "../db/database.ts";

/**
 * The highest audit seq counted into the rollups. Audits above it are counted from their rows by every read until
 * the compactor rolls them up (src/rollups/compactor.ts), so the writes that store audits pay nothing for the
 * rollups; a revision of an audit at or below it moves the audit's counts itself, in its transaction.
 */
export async function rolledUpTo(db: Db): Promise<number> {
  const [[upto]] = await db.values<[number]>("SELECT upto FROM rollup_watermark");
  return upto;
}

/** The watermark inside a statement (so cells and the rows above it are read in one snapshot). */
export const WATERMARK_SQL = "(SELECT upto FROM rollup_watermark)";
