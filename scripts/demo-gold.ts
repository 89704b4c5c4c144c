/**
 * The demo's gold items (issue 16): decisions with a known-correct verdict, registered by hand, mixed blind into a
 * small sample assigned to every auditor, and judged by them, so `/auditors` shows each auditor's accuracy on
 * gold. Gold items look like the population's decisions (the same columns and id pattern, no content), as they
 * would in a real queue. kang.jiho, who applies the old hate-speech policy in the calibration session, misses
 * most gold items whose decision was wrong; the others miss one now and then. Deterministic (own random streams,
 * the sample's seed) and idempotent: gold items, the sample and each verdict are looked up first.
 */
import { type DemoCall, random } from "./demo-feedback.ts";

export interface GoldDemoPeople {
  auditors: readonly string[];
  moderators: readonly string[];
  queues: readonly { name: string; after: string }[];
  markets: readonly { code: string }[];
  /** Where a demo decision would be opened in the moderation tool. */
  decisionPage: string;
}

export const GOLD_SAMPLE = "Gold check (demo)";
const GOLD_ITEMS = 48;
const ERROR_TYPES = ["false-positive", "false-negative", "wrong-policy"] as const;

interface GoldItem {
  decisionId: string;
  queue: string;
  moderator: string;
  market: string;
  policy: string;
  url: string;
  outcome: "correct" | "incorrect";
  errorType?: (typeof ERROR_TYPES)[number];
  severity?: number;
  correctPolicy?: string;
}

/** The gold items: ids after the population's last (week-03001 …), one in three a wrong decision. */
export function goldItems(people: GoldDemoPeople): GoldItem[] {
  const rng = random("gold/items");
  return Array.from({ length: GOLD_ITEMS }, (_, i) => {
    const queue = people.queues[i % people.queues.length];
    const id = `week-${String(3001 + i).padStart(5, "0")}`;
    const wrong = i % 3 === 0;
    const errorType = ERROR_TYPES[Math.floor(rng() * ERROR_TYPES.length)];
    return {
      decisionId: id,
      queue: queue.name,
      moderator: people.moderators[Math.floor(rng() * people.moderators.length)],
      market: people.markets[Math.floor(rng() * people.markets.length)].code,
      policy: queue.after,
      url: `${people.decisionPage}${id}`,
      outcome: wrong ? "incorrect" : "correct",
      ...(wrong ? { errorType, severity: 1 + Math.floor(rng() * 3) } : {}),
    };
  });
}

interface Slot {
  decisionId: string;
  auditor: string | null;
  expected: { outcome: "correct" | "incorrect"; errorType: string | null };
  verdict: unknown;
}

/** An auditor's verdict on a gold slot: the known answer, or (kang.jiho on wrong decisions, others rarely) not. */
function verdictOf(slot: Slot, rng: () => number): Record<string, unknown> {
  const missed =
    slot.auditor === "kang.jiho" ? slot.expected.outcome === "incorrect" && rng() < 0.8 : rng() < 0.08;
  const right =
    slot.expected.outcome === "incorrect"
      ? { outcome: "incorrect", errorType: slot.expected.errorType, severity: 2 }
      : { outcome: "correct" };
  if (!missed) return right;
  return slot.expected.outcome === "incorrect"
    ? { outcome: "correct" }
    : { outcome: "incorrect", errorType: "false-positive", severity: 1 };
}

/**
 * Registers the gold items not yet registered, draws and assigns the gold check sample (once) with 25 % gold (at
 * least 4 per auditor), and records each auditor's verdict on the gold slots that have none (as the admin, for
 * the assigned auditor). Answers the sample's id.
 */
export async function runGoldDemo(
  call: DemoCall,
  population: string,
  people: GoldDemoPeople,
  log: (line: string) => void,
): Promise<string> {
  const registered = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: { items: { decisionId: string }[]; nextCursor: string | null } = await call(
      "GET",
      `/v1/gold?retired=true&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    for (const item of page.items) registered.add(item.decisionId);
    cursor = page.nextCursor;
  } while (cursor !== null);
  const missing = goldItems(people).filter((item) => !registered.has(item.decisionId));
  if (missing.length > 0) await call("POST", "/v1/gold", { json: { items: missing } });

  const samples = await call<{ samples: { id: string; name: string }[] }>(
    "GET",
    `/v1/samples?population=${population}`,
  );
  let sample = samples.samples.find((s) => s.name === GOLD_SAMPLE)?.id;
  if (!sample) {
    sample = (
      await call<{ id: string }>("POST", "/v1/samples", {
        json: { name: GOLD_SAMPLE, population, strata: ["queue"], total: 120, seed: "demo-gold" },
      })
    ).id;
    await call("POST", `/v1/samples/${sample}/assign`, {
      json: { auditors: people.auditors, gold: { share: 0.25, perAuditorMin: 4 } },
    });
  }
  const { slots } = await call<{ slots: Slot[] }>("GET", `/v1/samples/${sample}/gold`);
  const rng = random("gold/verdicts");
  let judged = 0;
  for (const slot of slots) {
    // Drawn in slot order whether or not the slot is judged already, so a re-run makes the same choices.
    const verdict = verdictOf(slot, rng);
    if (slot.verdict !== null || slot.auditor === null) continue;
    await call("PUT", `/v1/samples/${sample}/items/${encodeURIComponent(slot.decisionId)}/verdict`, {
      json: verdict,
    });
    judged++;
  }
  log(
    `gold: ${GOLD_ITEMS} gold items (${missing.length} new), ${slots.length} mixed into "${GOLD_SAMPLE}" for ${people.auditors.length} auditors, ${judged} verdicts recorded`,
  );
  return sample;
}
