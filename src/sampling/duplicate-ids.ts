/**
 * The id-uniqueness check of a population upload, without an index on population_decisions.id (a unique
 * B-tree on random ids cuts bulk insert speed 3-4x): each record's id hash and record index share one float64
 * key; after the last record the keys are sorted and only records whose hash bits collide are compared, by
 * their stored ids.
 */
import type { Spool } from "../audits/ingest.ts";
import { createReader, type Format } from "../audits/records.ts";
import type { Db } from "../db/database.ts";
import { decisionIds } from "../db/populations.ts";
import { DomainError, type ErrorDetail } from "../errors.ts";
import { problems, rowDetails } from "../problems.ts";

/** 2^24: record indexes (< 10,000,000 < 2^24) share a float64 with 29 bits of the id's hash. */
const INDEX_SPACE = 16_777_216;
/** Decisions whose ids are read back per query when telling apart ids whose hash bits collide. */
const COMPARE_BATCH = 10_000;

/** 32-bit FNV-1a over the UTF-16 code units of a string. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The key of record `index` (< 2^24): 29 bits of its id's FNV-1a hash above the index, exact in a float64. */
export const idKey = (id: string, index: number): number => (fnv1a(id) >>> 3) * INDEX_SPACE + index;

/**
 * Groups of record indexes (ascending) that share an id, given the records' {@link idKey}s (sorted here, in
 * place) and the seq of record 0; stops after about `limit` groups. Records whose 29 hash bits collide are told
 * apart by their stored ids, read back COMPARE_BATCH decisions per query. Call inside the upload's transaction.
 */
export async function findDuplicates(
  tx: Db,
  keys: Float64Array,
  firstSeq: number,
  limit: number,
): Promise<number[][]> {
  keys.sort();
  const groups: number[][] = [];
  let candidates: number[][] = [];
  let waiting = 0;
  /** Compares the ids of the collected candidate groups; false once enough duplicates are found. */
  const compare = async (): Promise<boolean> => {
    const ids = await decisionIds(
      tx,
      candidates.flat().map((index) => firstSeq + index),
    );
    let at = 0;
    for (const group of candidates) {
      const byId = new Map<string, number[]>();
      for (const index of group) {
        const id = ids[at++];
        const list = byId.get(id);
        if (list) list.push(index);
        else byId.set(id, [index]);
      }
      for (const list of byId.values()) if (list.length > 1) groups.push(list.sort((a, b) => a - b));
      if (groups.length >= limit) return false;
    }
    candidates = [];
    waiting = 0;
    return true;
  };
  let start = 0;
  let searching = true;
  for (let i = 1; i <= keys.length && searching; i++) {
    if (i < keys.length && Math.floor(keys[i] / INDEX_SPACE) === Math.floor(keys[start] / INDEX_SPACE)) {
      continue;
    }
    if (i - start > 1) {
      const group: number[] = [];
      for (let j = start; j < i; j++) group.push(keys[j] % INDEX_SPACE);
      candidates.push(group);
      waiting += group.length;
      if (waiting >= COMPARE_BATCH) searching = await compare();
    }
    start = i;
  }
  if (searching && candidates.length > 0) await compare();
  return groups.sort((a, b) => a[0] - b[0]);
}

/** The 400 for duplicate ids, naming every line of each duplicated id (found by re-reading the spool). */
export function duplicateError(groups: number[][], spool: Spool, format: Format, unit: string): DomainError {
  const wanted = new Map<number, number>();
  for (const group of groups) for (const index of group) wanted.set(index, -1);
  let index = 0;
  const ids = new Map<number, string>();
  const reader = createReader(format, (record) => {
    if (wanted.has(index)) {
      wanted.set(index, record.row);
      const value = record.value as Record<string, unknown>;
      ids.set(index, String(value.id));
    }
    index++;
  });
  for (const text of spool.text()) reader.push(text);
  reader.end();
  const details: ErrorDetail[] = [];
  const described: string[] = [];
  for (const group of groups) {
    const rows = group.map((i) => wanted.get(i)!);
    const id = ids.get(group[0])!;
    described.push(`"${id}" (${unit}s ${rows.join(", ")})`);
    rows.forEach((row, j) => {
      const others = rows.filter((_, k) => k !== j);
      details.push(...rowDetails(row, [problems.duplicateId(id, unit, others)]));
    });
  }
  return new DomainError(
    "invalid",
    "duplicate_ids",
    `${groups.length} id(s) appear more than once, nothing was stored: ${described.slice(0, 5).join("; ")}`,
    details,
  );
}
