/**
 * `npm run demo`: fills a running modqc with a realistic synthetic dataset through the public API only, so a
 * newcomer sees every dashboard page working.
 *
 * - keys: a lead, an auditor per rater, a viewer and moderator keys (mod-07, mod-23), the lead's, kim.minji's,
 *   the viewer's and mod-07's printed when created; a re-run keeps the keys people signed in with
 *   (scripts/demo-keys.ts) unless `--rotate-keys` revokes and replaces them;
 * - ~90 days of audits: 4 queues, 4 markets, 40 moderators, 6 auditors, with a drift in the hate-speech queue
 *   after the HS-2.1 "policy update" 30 days before the end, and a few moderators far from the rest;
 * - a closed calibration session with one drifting auditor (kang.jiho applies the old policy) and an open one;
 * - alert rules (threshold, control chart, agreement) that fire on that data, and two webhooks when available;
 * - a population of this week's decisions and a stratified sample drawn from it, when available;
 * - gold items (scripts/demo-gold.ts) mixed blind into a small sample for every auditor, with their verdicts;
 * - the feedback loop (scripts/demo-feedback.ts): a child-safety queue whose severity-4 miss fires the critical-error
 *   rule, `correctPolicy` on wrong-policy errors, findings read and disputes in every state for mod-07.
 *
 * Idempotent-ish: audit ids and contents are deterministic (anchored on the first run's date, found again
 * through the API), so a second run only finds duplicates; sessions, rules, webhooks and the population are
 * looked up by name first. Configure with MODQC_URL (default http://127.0.0.1:8080) and MODQC_ADMIN_KEY
 * (default: the contents of $MODQC_DATA_DIR/admin.key, or ./data/admin.key).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  CHILD_SAFETY_QUEUE,
  CRITICAL_RULE,
  correctPolicyOf,
  random,
  runFeedbackDemo,
} from "./demo-feedback.ts";
import { runGoldDemo } from "./demo-gold.ts";
import { type DemoKey, DemoKeyring, KEPT_KEY_NOTE, signInKeys } from "./demo-keys.ts";

export interface DemoOptions {
  url: string;
  adminKey: string;
  log?: (line: string) => void;
  /** Days of audits, default 90. */
  days?: number;
  /** The last day of audits (UTC date), default yesterday; a previous run's anchor wins. */
  lastDay?: string;
  /** Revoke the demo's keys and create new ones (`--rotate-keys`); by default existing keys are kept. */
  rotateKeys?: boolean;
}

export interface DemoResult {
  url: string;
  /**
   * The secrets of the keys to sign in with. A key kept from an earlier run has no secret to give: reading its
   * entry throws (`keptKeys` lists them); on a fresh database every key is created.
   */
  keys: { lead: string; auditor: string; viewer: string; moderator: string };
  /** Every auditor's key by rater (kim.minji's is `keys.auditor`), as `keys`. */
  auditorKeys: Record<string, string>;
  /** The names of the keys kept from an earlier run (`demo: QA lead`, …). */
  keptKeys: string[];
  audits: { inserted: number; duplicates: number; total: number };
  policyUpdate: string;
  calibrations: { closed: string; open: string };
  rules: number;
  firingAlerts: number;
  webhooks: string[];
  sample: string | null;
  /** The sample with gold items mixed in (judged by the auditors), when the build has gold items. */
  goldSample: string | null;
}

export const QUEUES = [
  { name: "hate-speech", share: 0.3, rate: 0.045, policy: "HS-2.0", after: "HS-2.1" },
  { name: "harassment", share: 0.25, rate: 0.04, policy: "HR-1.4", after: "HR-1.4" },
  { name: "spam", share: 0.3, rate: 0.022, policy: "SP-3.2", after: "SP-3.2" },
  { name: "violent-content", share: 0.15, rate: 0.035, policy: "VC-1.1", after: "VC-1.1" },
] as const;
export const MARKETS = [
  { code: "KR", share: 0.45, factor: 1 },
  { code: "JP", share: 0.25, factor: 1.15 },
  { code: "TW", share: 0.1, factor: 0.9 },
  { code: "US", share: 0.2, factor: 1.05 },
] as const;
export const AUDITORS = ["kim.minji", "park.seojun", "lee.haeun", "choi.doyun", "jung.yuna", "kang.jiho"];
export const MODERATORS = Array.from({ length: 40 }, (_, i) => `mod-${String(i + 1).padStart(2, "0")}`);
/** Moderators far from the rest, so the funnel plot has units outside its limits. */
const MODERATOR_FACTOR: Record<string, number> = {
  "mod-07": 2.7,
  "mod-23": 2.2,
  "mod-31": 0.3,
  "mod-36": 1.9,
};
/** Days before the end at which the HS-2.1 policy update took effect. */
export const POLICY_UPDATE_DAYS_BEFORE_END = 30;
const CATEGORIES = ["위반 없음", "혐오 표현", "괴롭힘", "스팸"];
const CLOSED_SESSION = "Hate speech calibration · HS-2.1";
const OPEN_SESSION = "Spam calibration · SP-3.2";
const POPULATION = "Decisions to audit this week (demo)";
const WEEKLY_SAMPLE = "This week's audit (demo)";
const SPOT_CHECK_SAMPLE = "Market spot check (demo)";
/** Where a demo decision would be opened in the moderation tool (the population's `url` column). */
const DECISION_PAGE = "https://moderation.example.com/decisions/";
const WEBHOOK_URLS = ["https://hooks.example.com/modqc-demo", "http://127.0.0.1:9/modqc-demo"];

function pick<T extends { share: number }>(items: readonly T[], r: number): T {
  let acc = 0;
  for (const item of items) {
    acc += item.share;
    if (r < acc) return item;
  }
  return items[items.length - 1];
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const compact = (day: string) => day.replaceAll("-", "");

/** A time on `day` in Korea (UTC+9), `hours` after midnight, as ISO 8601 with its offset. */
function kst(day: string, hours: number): string {
  const ms = Date.parse(`${day}T00:00:00+09:00`) + Math.round(hours * 3600) * 1000;
  const local = new Date(ms + 9 * 3600 * 1000).toISOString().slice(0, 19);
  return `${local}+09:00`;
}

export interface DemoAudit {
  id: string;
  decisionId: string;
  queue: string;
  moderator: string;
  auditor: string;
  outcome: "correct" | "incorrect";
  errorType?: string;
  severity?: number;
  policy: string;
  market: string;
  decidedAt: string;
  auditedAt: string;
  notes?: string;
  correctPolicy?: string;
}

/** The audits of day `d` (0 = first day) of a dataset anchored on `lastDay`: the same for the same inputs. */
export function auditsOfDay(lastDay: string, days: number, d: number): DemoAudit[] {
  const dayMs = Date.parse(`${lastDay}T00:00:00Z`) - (days - 1 - d) * DAY_MS;
  const day = isoDay(dayMs);
  const rng = random(`${lastDay}/${d}`);
  const weekday = new Date(dayMs).getUTCDay();
  const volume = Math.round((weekday === 0 || weekday === 6 ? 260 : 420) * (0.9 + 0.2 * rng()));
  const updateDay = days - POLICY_UPDATE_DAYS_BEFORE_END;
  const afterUpdate = d >= updateDay;
  const audits: DemoAudit[] = [];
  for (let i = 0; i < volume; i++) {
    const queue = pick(QUEUES, rng());
    const market = pick(MARKETS, rng());
    const moderator = MODERATORS[Math.floor(rng() * MODERATORS.length)];
    const auditor = AUDITORS[Math.floor(rng() * AUDITORS.length)];
    let rate = queue.rate * market.factor * (MODERATOR_FACTOR[moderator] ?? 0.85 + 0.3 * rng());
    // The drift: after HS-2.1, hate-speech errors climb to about 2.3 times their old rate within ten days.
    const drifting = queue.name === "hate-speech" && afterUpdate;
    if (drifting) rate *= 1 + 1.3 * Math.min(1, (d - updateDay + 1) / 10);
    const wrong = rng() < Math.min(rate, 0.9);
    const auditedHours = 9 + rng() * 10;
    const decidedHours = auditedHours - 1 - rng() * 30;
    const n = `${compact(lastDay)}-${String(d).padStart(2, "0")}-${String(i).padStart(4, "0")}`;
    const audit: DemoAudit = {
      id: `demo-${n}`,
      decisionId: `dec-${n}`,
      queue: queue.name,
      moderator,
      auditor,
      outcome: wrong ? "incorrect" : "correct",
      policy: drifting ? queue.after : queue.policy,
      market: market.code,
      decidedAt: kst(day, decidedHours),
      auditedAt: kst(day, auditedHours),
    };
    if (wrong) {
      const e = rng();
      const falseNegativeShare = drifting ? 0.62 : 0.36;
      audit.errorType =
        e < falseNegativeShare
          ? "false-negative"
          : e < falseNegativeShare + 0.4 * (1 - falseNegativeShare)
            ? "false-positive"
            : e < 0.93
              ? "wrong-policy"
              : "other";
      audit.severity = 1 + Math.floor(rng() * 4);
      if (drifting && audit.errorType === "false-negative" && rng() < 0.3) {
        audit.notes = "HS-2.1 기준으로는 혐오 표현에 해당 (이전 기준 적용)";
      }
      if (audit.errorType === "wrong-policy") audit.correctPolicy = correctPolicyOf(audit.id, audit.policy);
    }
    audits.push(audit);
  }
  audits.push(...childSafetyAuditsOfDay(lastDay, day, d === days - 1, d));
  return audits;
}

/**
 * A small child-safety queue (its own random stream, so the other queues' data is unchanged): ~25 audits a day,
 * misses mostly false negatives of high severity; the last day always has one severity-4 false negative, which
 * the demo's critical-error rule turns into an alert.
 */
function childSafetyAuditsOfDay(lastDay: string, day: string, isLastDay: boolean, d: number): DemoAudit[] {
  const rng = random(`${lastDay}/${d}/${CHILD_SAFETY_QUEUE}`);
  const volume = 20 + Math.floor(rng() * 10);
  const audits: DemoAudit[] = [];
  for (let i = 0; i < volume; i++) {
    const severeMiss = isLastDay && i === 0;
    const wrong = severeMiss || rng() < 0.025;
    const auditedHours = 9 + rng() * 10;
    const n = `${compact(lastDay)}-${String(d).padStart(2, "0")}-cs${String(i).padStart(3, "0")}`;
    const audit: DemoAudit = {
      id: `demo-${n}`,
      decisionId: `dec-${n}`,
      queue: CHILD_SAFETY_QUEUE,
      moderator: MODERATORS[Math.floor(rng() * MODERATORS.length)],
      auditor: AUDITORS[Math.floor(rng() * AUDITORS.length)],
      outcome: wrong ? "incorrect" : "correct",
      policy: "CS-1.0",
      market: pick(MARKETS, rng()).code,
      decidedAt: kst(day, auditedHours - 2),
      auditedAt: kst(day, auditedHours),
    };
    if (wrong) {
      audit.errorType = severeMiss || rng() < 0.7 ? "false-negative" : "wrong-policy";
      audit.severity = severeMiss ? 4 : 2 + Math.floor(rng() * 2);
      if (audit.errorType === "wrong-policy") audit.correctPolicy = correctPolicyOf(audit.id, audit.policy);
      if (severeMiss) audit.notes = "아동 안전 위반 게시물이 승인됨: 즉시 조치 필요";
    }
    audits.push(audit);
  }
  return audits;
}

/** The calibration items with their gold labels, and each rater's labels (kang.jiho drifts). */
export function calibrationData(): {
  items: { id: string; gold: string }[];
  ratings: Record<string, Record<string, string>>;
} {
  const rng = random("calibration/HS-2.1");
  const items = Array.from({ length: 40 }, (_, i) => {
    const r = rng();
    const gold = r < 0.5 ? CATEGORIES[0] : r < 0.8 ? CATEGORIES[1] : r < 0.92 ? CATEGORIES[2] : CATEGORIES[3];
    return { id: `hs-cal-${String(i + 1).padStart(2, "0")}`, gold };
  });
  const ratings: Record<string, Record<string, string>> = {};
  for (const rater of AUDITORS) {
    ratings[rater] = {};
    for (const [k, item] of items.entries()) {
      if (rater === "choi.doyun" && k >= 38) continue; // two items left unlabelled
      let label = item.gold;
      if (rater === "kang.jiho" && item.gold === "혐오 표현" && rng() < 0.65) label = "위반 없음";
      else if (rng() < 0.08)
        label = CATEGORIES[(CATEGORIES.indexOf(item.gold) + 1 + Math.floor(rng() * 3)) % 4];
      ratings[rater][item.id] = label;
    }
  }
  return { items, ratings };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} answered ${status}: ${body.slice(0, 300)}`);
  }
}

function client(base: string, adminKey: string) {
  return async function call<T>(
    method: string,
    path: string,
    options: { json?: unknown; body?: string; type?: string; key?: string } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.key ?? adminKey}` };
    let body = options.body;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.type) headers["content-type"] = options.type;
    const response = await fetch(`${base}${path}`, { method, headers, body });
    const text = await response.text();
    if (!response.ok) throw new HttpError(response.status, text, `${method} ${path}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/** Runs `step`; a route that does not exist in this build (404 not_found for the path) is skipped. */
async function optional<T>(step: () => Promise<T>): Promise<T | undefined> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof HttpError && error.status === 404 && error.body.includes("no route for"))
      return undefined;
    throw error;
  }
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const base = options.url.replace(/\/+$/, "");
  const call = client(base, options.adminKey);

  // Keys: the people's keys are kept (found by name) or created; see scripts/demo-keys.ts.
  const keyring = await DemoKeyring.open(call, options.rotateKeys ?? false);
  try {
    return await fillDemo(options, call, keyring, log);
  } finally {
    await keyring.close();
  }
}

async function fillDemo(
  options: DemoOptions,
  call: ReturnType<typeof client>,
  keyring: DemoKeyring,
  log: (line: string) => void,
): Promise<DemoResult> {
  const base = options.url.replace(/\/+$/, "");
  const days = options.days ?? 90;
  const started = Date.now();
  const people: DemoKey[] = [];
  const personKey = async (role: string, name: string, extra: Record<string, string> = {}) => {
    const key = await keyring.key(role, name, extra);
    people.push(key);
    return key;
  };
  const auditorPeople: Record<string, DemoKey> = {};
  for (const rater of AUDITORS)
    auditorPeople[rater] = await personKey("auditor", `auditor ${rater}`, { rater });
  const auditorKeys: Record<string, string> = {};
  for (const rater of AUDITORS) auditorKeys[rater] = auditorPeople[rater].secret;
  const lead = await personKey("lead", "QA lead");
  const viewer = await personKey("viewer", "viewer");
  const keptCount = () => people.filter((key) => key.kept).length;
  log(
    options.rotateKeys
      ? `keys: revoked the earlier demo keys; created a lead, a viewer and an auditor key for each of ${AUDITORS.length} auditors`
      : `keys: a lead, a viewer and an auditor key for each of ${AUDITORS.length} auditors (${keptCount()} kept from an earlier run, ${people.length - keptCount()} created)`,
  );

  // The anchor: a previous run's last day, found through its first audit, else yesterday.
  const previous = await call<{ audits: { id: string }[] }>(
    "GET",
    `/v1/audits?queue=${QUEUES[0].name}&moderator=${MODERATORS[0]}&limit=1`,
  );
  const found = previous.audits[0]?.id.match(/^demo-(\d{4})(\d{2})(\d{2})-/);
  const lastDay = found
    ? `${found[1]}-${found[2]}-${found[3]}`
    : (options.lastDay ?? isoDay(Date.now() - DAY_MS));
  const policyUpdate = isoDay(
    Date.parse(`${lastDay}T00:00:00Z`) - (POLICY_UPDATE_DAYS_BEFORE_END - 1) * DAY_MS,
  );
  const firstDay = isoDay(Date.parse(`${lastDay}T00:00:00Z`) - (days - 1) * DAY_MS);

  // Alert rules first, so the ingest below evaluates them.
  type Rule = { id: string; name: string };
  const rulesWanted = [
    {
      name: "Hate speech error rate above 7 % (7 days)",
      scope: { queue: "hate-speech" },
      condition: {
        kind: "threshold",
        maxRate: 0.07,
        window: { days: 7 },
        minAudited: 100,
        evidence: "lower-bound",
      },
      severity: "critical",
    },
    {
      name: "Moderator error rate above 9 % (14 days)",
      groupBy: ["moderator"],
      // multiplicity none: each moderator judged alone, as before issue 16 (new grouped rules default to bh,
      // under which this rule fires on none of the demo's 40 moderators: README, "False-discovery control").
      condition: {
        kind: "threshold",
        maxRate: 0.09,
        window: { days: 14 },
        minAudited: 60,
        multiplicity: "none",
      },
      severity: "warning",
    },
    {
      name: "Hate speech CUSUM (daily)",
      scope: { queue: "hate-speech" },
      condition: { kind: "chart", type: "cusum", interval: "day", baseline: { periods: 60 } },
      severity: "warning",
    },
    CRITICAL_RULE,
    {
      name: "Calibration agreement: Fleiss' kappa below 0.75",
      condition: { kind: "agreement", statistic: "fleiss", below: 0.75 },
      severity: "warning",
    },
  ];
  let rules = 0;
  const existingRules = await optional(() => call<{ rules: Rule[] }>("GET", "/v1/alert-rules"));
  if (existingRules) {
    for (const rule of rulesWanted) {
      if (!existingRules.rules.some((r) => r.name === rule.name))
        await call("POST", "/v1/alert-rules", { json: rule });
      rules++;
    }
    log(
      `alert rules: ${rules} (threshold, moderator threshold, CUSUM chart, child-safety critical errors, calibration agreement)`,
    );
  } else log("alert rules: this build has no /v1/alert-rules; skipped");

  // Two webhooks: one to a host that does not answer on this network (its deliveries retry with backoff) and
  // one to a loopback address, which the service refuses to call unless allowed (failed at once: redeliver).
  const webhooks: string[] = [];
  const hooks = await optional(() =>
    call<{ webhooks: { id: string; url: string }[] }>("GET", "/v1/webhooks"),
  );
  if (hooks) {
    for (const url of WEBHOOK_URLS) {
      let id = hooks.webhooks.find((h) => h.url === url)?.id;
      if (!id)
        id = (await call<{ id: string }>("POST", "/v1/webhooks", { json: { url, format: "modqc" } })).id;
      webhooks.push(id);
    }
    log(`webhooks: ${WEBHOOK_URLS.join(" (retries), ")} (refused: loopback)`);
  }

  // Audits, in three NDJSON requests of 30 days.
  let inserted = 0;
  let duplicates = 0;
  let total = 0;
  for (let from = 0; from < days; from += 30) {
    let body = "";
    for (let d = from; d < Math.min(days, from + 30); d++) {
      for (const audit of auditsOfDay(lastDay, days, d)) {
        body += `${JSON.stringify(audit)}\n`;
        total++;
      }
    }
    const result = await call<{ inserted: number; duplicates: number }>("POST", "/v1/audits", {
      body,
      type: "application/x-ndjson",
    }).catch((error: unknown) => {
      if (error instanceof HttpError && error.status === 409) {
        throw new Error(
          "this database holds demo audits of an older modqc (before the child-safety queue and correct policies): run the demo on an empty data directory",
        );
      }
      throw error;
    });
    inserted += result.inserted;
    duplicates += result.duplicates;
  }
  log(
    `audits: ${total.toLocaleString("en-US")} from ${firstDay} to ${lastDay} (${inserted.toLocaleString("en-US")} new, ${duplicates.toLocaleString("en-US")} already there); policy update HS-2.1 on ${policyUpdate}`,
  );

  // Calibration: one closed session with a drifting auditor, one open session with work left.
  type Session = { id: string; name: string; status: "open" | "closed" };
  const { calibrations } = await call<{ calibrations: Session[] }>("GET", "/v1/calibrations");
  let closed = calibrations.find((s) => s.name === CLOSED_SESSION);
  if (!closed) {
    const data = calibrationData();
    closed = await call<Session>("POST", "/v1/calibrations", {
      json: { name: CLOSED_SESSION, categories: CATEGORIES, items: data.items, raters: AUDITORS },
    });
  }
  if (closed.status === "open") {
    const data = calibrationData();
    for (const rater of AUDITORS) {
      await call("PUT", `/v1/calibrations/${closed.id}/ratings/${encodeURIComponent(rater)}`, {
        json: { ratings: data.ratings[rater] },
      });
    }
    closed = await call<Session>("POST", `/v1/calibrations/${closed.id}/close`);
  }
  let open = calibrations.find((s) => s.name === OPEN_SESSION);
  if (!open) {
    const rng = random("calibration/SP-3.2");
    const items = Array.from({ length: 20 }, (_, i) => ({ id: `sp-cal-${String(i + 1).padStart(2, "0")}` }));
    open = await call<Session>("POST", `/v1/calibrations`, {
      json: { name: OPEN_SESSION, categories: CATEGORIES, items, raters: AUDITORS.slice(0, 3) },
    });
    for (const rater of AUDITORS.slice(1, 3)) {
      const ratings = Object.fromEntries(
        items.slice(0, 12).map((item) => [item.id, rng() < 0.7 ? "스팸" : "위반 없음"]),
      );
      await call("PUT", `/v1/calibrations/${open.id}/ratings/${encodeURIComponent(rater)}`, {
        json: { ratings },
      });
    }
  }
  log(`calibration: "${CLOSED_SESSION}" closed (kang.jiho drifts); "${OPEN_SESSION}" open for kim.minji`);

  // Sampling: this week's decisions and a stratified sample, when the build has populations.
  let sample: string | null = null;
  let goldSample: string | null = null;
  const populations = await optional(() =>
    call<{ populations: { id: string; name: string | null }[] }>("GET", "/v1/populations"),
  );
  if (populations) {
    let population = populations.populations.find((p) => p.name === POPULATION)?.id;
    if (!population) {
      const rng = random("population");
      let csv = "id,queue,moderator,market,policy,url\r\n";
      for (let i = 0; i < 3000; i++) {
        const queue = pick(QUEUES, rng());
        const id = `week-${String(i + 1).padStart(5, "0")}`;
        csv += `${id},${queue.name},${MODERATORS[Math.floor(rng() * 40)]},${pick(MARKETS, rng()).code},${queue.after},${DECISION_PAGE}${id}\r\n`;
      }
      population = (
        await call<{ id: string }>("POST", `/v1/populations?name=${encodeURIComponent(POPULATION)}`, {
          body: csv,
          type: "text/csv",
        })
      ).id;
    }
    const samples = await call<{ samples: { id: string; name: string }[] }>(
      "GET",
      `/v1/samples?population=${population}`,
    );
    const named = (name: string) => samples.samples.find((s) => s.name === name)?.id ?? null;
    sample = named(WEEKLY_SAMPLE);
    if (!sample) {
      sample = (
        await call<{ id: string }>("POST", "/v1/samples", {
          json: {
            name: WEEKLY_SAMPLE,
            population,
            strata: ["queue"],
            margin: 0.05,
            confidence: 0.95,
            allocation: "neyman",
            fromHistory: { days: 30 },
            seed: "demo",
          },
        })
      ).id;
      await call("POST", `/v1/samples/${sample}/assign`, { json: { auditors: AUDITORS.slice(0, 5) } });
    }
    // A second, smaller sample not yet assigned: the samples page lists both, one waiting for its auditors.
    if (!named(SPOT_CHECK_SAMPLE)) {
      await call("POST", "/v1/samples", {
        json: { name: SPOT_CHECK_SAMPLE, population, strata: ["market"], total: 40, seed: "demo-markets" },
      });
    }
    log(
      `sampling: population "${POPULATION}" (3,000 decisions, each with a link), "${WEEKLY_SAMPLE}" (${sample}) assigned to 5 auditors, and "${SPOT_CHECK_SAMPLE}" waiting for its auditors`,
    );
    goldSample =
      (await optional(() =>
        runGoldDemo(
          call,
          population,
          {
            auditors: AUDITORS,
            moderators: MODERATORS,
            queues: QUEUES,
            markets: MARKETS,
            decisionPage: DECISION_PAGE,
          },
          log,
        ),
      )) ?? null;
  }

  const moderatorPeople: DemoKey[] = [];
  const feedback = await runFeedbackDemo(
    call,
    { lead: lead.secret, auditors: auditorKeys },
    async (role, name, extra) => {
      const key = await personKey(role, name, extra);
      moderatorPeople.push(key);
      return key.secret;
    },
    log,
  );
  const moderator = moderatorPeople.find((key) => key.secret === feedback.moderatorKey)!;

  let firingAlerts = 0;
  const firing = await optional(() => call<{ alerts: unknown[] }>("GET", "/v1/alerts?state=firing"));
  if (firing) {
    firingAlerts = firing.alerts.length;
    log(`alerts: ${firingAlerts} firing`);
  }

  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return {
    url: base,
    keys: signInKeys({ lead, auditor: auditorPeople["kim.minji"], viewer, moderator }),
    auditorKeys: signInKeys(auditorPeople),
    keptKeys: people.filter((key) => key.kept).map((key) => `demo: ${key.name}`),
    audits: { inserted, duplicates, total },
    policyUpdate,
    calibrations: { closed: closed.id, open: open.id },
    rules,
    firingAlerts,
    webhooks,
    sample,
    goldSample,
  };
}

function adminKeyFromEnvironment(): string {
  if (process.env.MODQC_ADMIN_KEY) return process.env.MODQC_ADMIN_KEY;
  const file = join(process.env.MODQC_DATA_DIR || "./data", "admin.key");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    throw new Error(`no admin key: set MODQC_ADMIN_KEY or start the service once so that ${file} exists`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.env.MODQC_URL || "http://127.0.0.1:8080";
  try {
    try {
      await fetch(`${url}/health`);
    } catch {
      throw new Error(`modqc does not answer at ${url}: start it with \`npm start\` (or set MODQC_URL)`);
    }
    const rotateKeys = process.argv.includes("--rotate-keys");
    const result = await runDemo({ url, adminKey: adminKeyFromEnvironment(), rotateKeys });
    const shown = (slot: keyof DemoResult["keys"], name: string) =>
      result.keptKeys.includes(`demo: ${name}`) ? KEPT_KEY_NOTE : result.keys[slot];
    console.log(`
Open ${result.url}/ and sign in with one of these keys (a new key is shown once; the admin key works too):

  QA lead                 ${shown("lead", "QA lead")}
  auditor (kim.minji)     ${shown("auditor", "auditor kim.minji")}
  viewer                  ${shown("viewer", "viewer")}
  moderator (mod-07)      ${shown("moderator", "moderator mod-07")}

Things to look at: Charts (queue hate-speech, phases ${result.policyUpdate}: the drift after the HS-2.1 update),
the funnel plot of moderators (mod-07, mod-23 above the limits), Calibration (kang.jiho against the gold labels),
Alerts (${result.firingAlerts} firing, one a severity-4 child-safety miss), Disputes (one in each state), the
policy-confusion heatmap under Quality, and the Planner. The moderator key shows what mod-07 sees: their findings
and scorecard only.`);
  } catch (error) {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
