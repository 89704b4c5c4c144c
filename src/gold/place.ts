/**
 * Mixing gold items blind into a sample's work queues (issue 16), inside the assignment's transaction.
 *
 * Who gets how many: each auditor with k > 0 drawn items gets max(perAuditorMin, round(share × k)) gold items
 * (auditors without drawn items get none: a queue of gold only would give itself away). Which: active gold
 * items whose decision id is not in the sample, never one whose moderator is that auditor, each at most once per
 * sample, and only golds whose stratum (their values in the sample's strata attributes) is a stratum of the
 * sample with drawn items: an item of a queue or market the sample does not have would give itself away.
 * Candidates are taken in the order of SHA-256(seed:gold:<decision id>) (the sample's seed), the auditors with the fewest
 * eligible golds choosing first, each taking golds moderated by another of the auditors before the golds anyone
 * may take; whoever is still short then gets golds through augmenting paths (Kuhn), so 422 not_enough_gold
 * means no placement exists.
 *
 * Where: the sample's rows are in draw order (by stratum, then rank), so a gold goes at a uniformly random gap
 * of its stratum's block of rows (before any of them or after the last; from the seed), never outside it;
 * positions
 * are renumbered 0 … n + g − 1 in the same transaction (rows moved through negative positions so the primary
 * key never collides). Its shown decision time is the gold's own when it lies within the decision times of the
 * stratum's drawn items, else a uniformly random instant between them written in the form (offset, fraction
 * digits) of a neighbouring item's, so the time gives nothing away either.
 * Deterministic: the same sample, auditors and gold pool (by decision id) give the same placement; every hash
 * is keyed by the sample's seed and the gold's decision id.
 */
import type { Db } from "../db/database.ts";
import {
  countGoldRows,
  type GoldRow,
  insertGoldSlots,
  type LayoutRow,
  movePositions,
  type NewGoldSlot,
  placeableGold,
  removeUnjudgedGold,
  sampleLayout,
} from "../db/gold.ts";
import { isFixedAttribute } from "../db/populations.ts";
import type { Sample } from "../db/samples.ts";
import { DomainError } from "../errors.ts";
import { sha256Hex } from "../sampling/priority.ts";
import { stratumKey } from "../sampling/strata.ts";

export interface GoldMix {
  /** Gold items per drawn item of each auditor (0–0.5). */
  share: number;
  /** At least this many gold items per auditor. */
  perAuditorMin: number;
}

export interface GoldPlacement extends GoldMix {
  /** Gold items placed by this assignment. */
  items: number;
  /** Gold rows with verdicts kept from an earlier assignment (with their auditor). */
  kept: number;
  byAuditor: { auditor: string; items: number }[];
}

/** A uniform number in [0, 1) from 52 bits of SHA-256(seed:label). */
function uniform(seed: string, label: string): number {
  return Number.parseInt(sha256Hex(seed, label).slice(0, 13), 16) / 2 ** 52;
}

/** The gold's stratum key in the sample's strata attributes (absent and extra attributes: ""). */
export function goldStratum(sample: Pick<Sample, "strataAttributes">, gold: GoldRow): string {
  return stratumKey(
    sample.strataAttributes,
    sample.strataAttributes.map((a) => (isFixedAttribute(a) ? (gold[a] ?? "") : "")),
  );
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** `ms` written like `template` (an ISO 8601 time with offset): same offset, seconds and fraction digits. */
export function formatLike(ms: number, template: string, extraDigits: string): string {
  const m = TIMESTAMP.exec(template);
  if (!m) return new Date(ms).toISOString();
  const zone = m[4];
  const offset =
    zone === "Z"
      ? 0
      : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const local = new Date(ms + offset * 60_000).toISOString();
  let text = local.slice(0, 16);
  if (m[2]) text += local.slice(16, 19);
  if (m[3]) text += `.${(local.slice(20, 23) + extraDigits).slice(0, m[3].length - 1)}`;
  return text + zone;
}

interface StratumBlock {
  first: number;
  last: number;
  minMs: number;
  maxMs: number;
  /** The decision times of the block's drawn rows by index (for the neighbour's form). */
  times: Map<number, string>;
}

function blocksOf(layout: readonly LayoutRow[]): Map<string, StratumBlock> {
  const blocks = new Map<string, StratumBlock>();
  layout.forEach((row, index) => {
    let block = blocks.get(row.stratum);
    if (!block) {
      block = { first: index, last: index, minMs: Infinity, maxMs: -Infinity, times: new Map() };
      blocks.set(row.stratum, block);
    }
    block.last = index;
    if (row.goldId === null && row.decidedAt !== null) {
      const ms = Date.parse(row.decidedAt);
      if (!Number.isNaN(ms)) {
        block.minMs = Math.min(block.minMs, ms);
        block.maxMs = Math.max(block.maxMs, ms);
        block.times.set(index, row.decidedAt);
      }
    }
  });
  return blocks;
}

/** The decision time a gold slot shows (see the module comment). */
function shownTime(seed: string, gold: GoldRow, block: StratumBlock, gap: number): string | null {
  if (block.times.size === 0) return null;
  const own = gold.decidedAt === null ? Number.NaN : Date.parse(gold.decidedAt);
  if (!Number.isNaN(own) && own >= block.minMs && own <= block.maxMs) return gold.decidedAt;
  let template: string | undefined;
  for (let i = Math.min(gap, block.last); i >= block.first && template === undefined; i--)
    template = block.times.get(i);
  template ??= block.times.values().next().value!;
  const ms =
    block.minMs + Math.floor(uniform(seed, `gold-time:${gold.decisionId}`) * (block.maxMs - block.minMs + 1));
  const digits = sha256Hex(seed, `gold-digits:${gold.decisionId}`).replace(/[a-f]/g, (c) =>
    String(c.charCodeAt(0) % 10),
  );
  return formatLike(ms, template, digits);
}

/**
 * Removes the sample's gold rows without verdicts, places new gold for `mix` (when given), and renumbers the
 * positions; call inside the assignment's transaction after the drawn items got their auditors.
 */
export async function placeGold(
  tx: Db,
  sample: Sample,
  auditors: readonly string[],
  mix: GoldMix | undefined,
  placed: { at: string; by: string | null },
): Promise<GoldPlacement | undefined> {
  await removeUnjudgedGold(tx, sample.id);
  const layout = await sampleLayout(tx, sample.id);
  const kept = layout.filter((row) => row.goldId !== null).length;
  const loads = new Map<string, number>();
  for (const row of layout)
    if (row.goldId === null && row.auditor !== null)
      loads.set(row.auditor, (loads.get(row.auditor) ?? 0) + 1);
  const blocks = blocksOf(layout.map((row) => row));
  const drawnStrata = new Set(layout.filter((row) => row.goldId === null).map((row) => row.stratum));

  const chosen: { gold: GoldRow; auditor: string; stratum: string }[] = [];
  const byAuditor = new Map<string, number>();
  if (mix) {
    const candidates = (await placeableGold(tx, sample.id))
      .map((gold) => ({
        gold,
        stratum: goldStratum(sample, gold),
        key: sha256Hex(sample.seed, `gold:${gold.decisionId}`),
      }))
      .filter((c) => drawnStrata.has(c.stratum))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.gold.id < b.gold.id ? -1 : 1));
    const quota = auditors
      .filter((auditor) => (loads.get(auditor) ?? 0) > 0)
      .map((auditor) => ({
        auditor,
        needed: Math.max(mix.perAuditorMin, Math.round(mix.share * loads.get(auditor)!)),
        eligible: candidates.filter((c) => c.gold.moderator !== auditor).length,
      }))
      .sort(
        (a, b) => a.eligible - b.eligible || (a.auditor < b.auditor ? -1 : a.auditor > b.auditor ? 1 : 0),
      );
    // Golds moderated by one of these auditors first (the others may take them; everyone may take the rest).
    const auditorSet = new Set(quota.map((q) => q.auditor));
    const ordered = [
      ...candidates.filter((c) => auditorSet.has(c.gold.moderator)),
      ...candidates.filter((c) => !auditorSet.has(c.gold.moderator)),
    ];
    // Greedy, then Kuhn's augmenting paths for whoever is short: exact (a maximum bipartite b-matching), and
    // the augmenting search runs only when the greedy choice left someone short.
    const holder = new Map<string, string>();
    const count = new Map<string, number>();
    const augment = (auditor: string, visited: Set<string>): boolean => {
      for (const c of ordered) {
        if (c.gold.moderator === auditor || visited.has(c.gold.id)) continue;
        visited.add(c.gold.id);
        const held = holder.get(c.gold.id);
        if (held === undefined || augment(held, visited)) {
          holder.set(c.gold.id, auditor);
          return true;
        }
      }
      return false;
    };
    for (const q of quota) {
      let got = 0;
      for (const c of ordered) {
        if (got === q.needed) break;
        if (holder.has(c.gold.id) || c.gold.moderator === q.auditor) continue;
        holder.set(c.gold.id, q.auditor);
        got++;
      }
      count.set(q.auditor, got);
    }
    for (const q of quota) {
      let got = count.get(q.auditor)!;
      while (got < q.needed && augment(q.auditor, new Set())) got++;
      count.set(q.auditor, got);
    }
    const short = quota
      .filter((q) => count.get(q.auditor)! < q.needed)
      .map((q) => ({ ...q, got: count.get(q.auditor)! }));
    for (const c of ordered) {
      const auditor = holder.get(c.gold.id);
      if (auditor !== undefined) chosen.push({ gold: c.gold, auditor, stratum: c.stratum });
    }
    for (const [auditor, got] of count) byAuditor.set(auditor, got);
    if (short.length > 0) {
      const needed = quota.reduce((n, q) => n + q.needed, 0);
      throw new DomainError(
        "unprocessable",
        "not_enough_gold",
        `not enough gold items for this assignment: ${needed} needed, ${candidates.length} placeable in this sample (active, not moderated by the auditor, decision not drawn in the sample, stratum one of the sample's)`,
        short.map((s) => ({
          path: "gold",
          message: `${s.auditor}: ${s.needed} needed, ${s.eligible} eligible, ${s.got} left for them`,
          auditor: s.auditor,
          needed: s.needed,
          eligible: s.eligible,
        })),
      );
    }
  }

  // Each new gold's gap in the current rows: before row `gap` (gap = block.last + 1: after the block's last).
  const placedGold = chosen
    .map((c) => {
      const block = blocks.get(c.stratum)!;
      const width = block.last - block.first + 2;
      const gap = block.first + Math.floor(uniform(sample.seed, `gold-place:${c.gold.decisionId}`) * width);
      return { ...c, gap, tie: sha256Hex(sample.seed, `gold-tie:${c.gold.decisionId}`), block };
    })
    .sort((a, b) => a.gap - b.gap || (a.tie < b.tie ? -1 : 1));
  const moves: { from: number; to: number }[] = [];
  const slots: NewGoldSlot[] = [];
  let next = 0;
  let g = 0;
  for (let index = 0; index <= layout.length; index++) {
    while (g < placedGold.length && placedGold[g].gap === index) {
      const p = placedGold[g++];
      slots.push({
        goldId: p.gold.id,
        decisionId: p.gold.decisionId,
        position: next++,
        stratum: p.stratum,
        priority: sha256Hex(sample.seed, `gold-priority:${p.gold.decisionId}`).slice(0, 16),
        auditor: p.auditor,
        decidedAt: shownTime(sample.seed, p.gold, p.block, p.gap),
      });
    }
    if (index === layout.length) break;
    const to = next++;
    if (layout[index].position !== to) moves.push({ from: layout[index].position, to });
  }
  await movePositions(tx, sample.id, moves);
  await insertGoldSlots(tx, sample.id, slots, placed);
  await countGoldRows(tx, sample.id);
  if (!mix) return undefined;
  return {
    share: mix.share,
    perAuditorMin: mix.perAuditorMin,
    items: slots.length,
    kept,
    byAuditor: auditors.map((auditor) => ({ auditor, items: byAuditor.get(auditor) ?? 0 })),
  };
}
