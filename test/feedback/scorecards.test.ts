import { describe, expect, it } from "vitest";
import { ERROR_TYPES } from "../../src/audits/validate.ts";
import { createKey } from "../../src/db/keys.ts";
import { betaBinomialPosterior } from "../../stats/beta-binomial-posterior.ts";
import { fitBetaBinomialPrior } from "../../stats/beta-binomial-prior.ts";
import { proportionInterval } from "../../stats/proportion-interval.ts";
import { storeAudits, testContext } from "../helpers.ts";

/**
 * Scorecards over a fixed March 2026: each moderator's audits spread over the month, the first `errors` of them
 * incorrect (error types and policies in turn, notes, auditor "bob"; correct ones by "alice"). The expected numbers
 * are recomputed here from the same specification, the statistics by the stats functions (which
 * test/stats/beta-binomial.test.ts checks against an independent implementation).
 */
interface Spec {
  moderator: string;
  queue: string;
  audited: number;
  errors: number;
}

const SPECS: Spec[] = [
  { moderator: "mod-1", queue: "hate", audited: 12, errors: 3 },
  { moderator: "mod-2", queue: "hate", audited: 20, errors: 1 },
  { moderator: "mod-3", queue: "hate", audited: 8, errors: 3 },
  { moderator: "mod-4", queue: "hate", audited: 30, errors: 2 },
  { moderator: "mod-7", queue: "hate", audited: 40, errors: 14 },
  { moderator: "mod-8", queue: "hate", audited: 2, errors: 1 },
  { moderator: "mod-1", queue: "spam", audited: 10, errors: 0 },
  { moderator: "mod-5", queue: "spam", audited: 15, errors: 3 },
  { moderator: "mod-6", queue: "spam", audited: 10, errors: 1 },
  { moderator: "mod-9", queue: "lonely", audited: 6, errors: 2 },
];
const POLICIES = ["slur", "threat", null] as const;
const PERIOD = "from=2026-03-01&to=2026-03-31&tz=UTC";

function auditsOf(specs: readonly Spec[]) {
  return specs.flatMap((spec, s) =>
    Array.from({ length: spec.audited }, (_, i) => {
      const incorrect = i < spec.errors;
      const day = 1 + ((i * 7 + s) % 30);
      return {
        id: `${spec.moderator}-${spec.queue}-${i}`,
        moderator: spec.moderator,
        queue: spec.queue,
        auditedAt: `2026-03-${String(day).padStart(2, "0")}T${String(10 + (i % 10)).padStart(2, "0")}:00:00Z`,
        incorrect,
        errorType: incorrect ? ERROR_TYPES[i % ERROR_TYPES.length] : null,
        policy: POLICIES[i % POLICIES.length],
        notes: incorrect ? `note ${spec.moderator} ${i}` : null,
        auditor: incorrect ? "bob" : "alice",
      };
    }),
  );
}

async function withScorecards(env: Record<string, string> = {}) {
  const ctx = await testContext(env);
  const audits = auditsOf(SPECS);
  await storeAudits(ctx.db, audits);
  return { ...ctx, audits };
}

/** The groups (one per moderator) of the audits in `queues`, each moderator's counts in them added up. */
function groupsIn(queues: readonly string[]) {
  const groups = new Map<string, { errors: number; n: number }>();
  for (const spec of SPECS.filter((s) => queues.includes(s.queue))) {
    const group = groups.get(spec.moderator) ?? { errors: 0, n: 0 };
    group.errors += spec.errors;
    group.n += spec.audited;
    groups.set(spec.moderator, group);
  }
  return [...groups.values()];
}

const evidence = (errors: number, n: number, target: number) => {
  const { lower, upper } = proportionInterval(errors, n);
  return lower > target ? "above" : upper < target ? "below" : "across";
};

const wilson = (errors: number, n: number) => {
  const interval = proportionInterval(errors, n);
  return { rate: interval.estimate, lower: interval.lower, upper: interval.upper };
};

function shrunken(errors: number, n: number, queues: readonly string[]) {
  const prior = fitBetaBinomialPrior(groupsIn(queues));
  const posterior = betaBinomialPosterior(errors, n, prior);
  return { prior, shrunken: { rate: posterior.mean, lower: posterior.lower, upper: posterior.upper } };
}

describe("GET /v1/scorecards/{moderator}", () => {
  it("answers the contract: counts, Wilson rate, target and evidence, shrunken rate and its prior, breakdowns", async () => {
    const { call, keys, audits } = await withScorecards();
    const res = await call("GET", `/v1/scorecards/mod-1?${PERIOD}`, { key: keys.lead });
    expect(res.status).toBe(200);
    const card = res.body;
    expect(card.moderator).toBe("mod-1");
    expect(card.queue).toBeNull();
    expect(card.period).toEqual({
      from: "2026-03-01T00:00:00.000Z",
      to: "2026-04-01T00:00:00.000Z",
      timeZone: "UTC",
    });
    expect(card).toMatchObject({ audited: 22, errors: 3, ...wilson(3, 22), target: 0.05 });
    expect(card.evidence).toBe(evidence(3, 22, 0.05));

    // Two queues and no `queue`: one prior over every moderator of hate and spam, each moderator's audits pooled.
    const pooled = shrunken(3, 22, ["hate", "spam"]);
    expect(card.shrunken).toEqual(pooled.shrunken);
    expect(card.prior).toEqual({
      alpha: pooled.prior.alpha,
      beta: pooled.prior.beta,
      mean: pooled.prior.mean,
      method: "maximum-likelihood",
      bound: pooled.prior.bound,
      groups: 8,
      audits: 147,
      queues: ["hate", "spam"],
    });

    expect(card.byQueue.map((q: { queue: string }) => q.queue)).toEqual(["hate", "spam"]);
    const hate = shrunken(3, 12, ["hate"]);
    expect(card.byQueue[0]).toEqual({
      queue: "hate",
      audited: 12,
      errors: 3,
      ...wilson(3, 12),
      target: 0.05,
      evidence: "above",
      shrunken: hate.shrunken,
      prior: expect.objectContaining({
        alpha: hate.prior.alpha,
        beta: hate.prior.beta,
        groups: 6,
        audits: 112,
      }),
    });
    const spam = shrunken(0, 10, ["spam"]);
    expect(card.byQueue[1]).toMatchObject({ queue: "spam", errors: 0, rate: 0, shrunken: spam.shrunken });
    expect(card.byQueue[1].prior).toMatchObject({ groups: 3, audits: 35 });

    expect(card.byType).toEqual([
      { errorType: "false-positive", errors: 1, share: 1 / 3 },
      { errorType: "false-negative", errors: 1, share: 1 / 3 },
      { errorType: "wrong-policy", errors: 1, share: 1 / 3 },
      { errorType: "other", errors: 0, share: 0 },
    ]);
    // Policies in turn slur, threat, none over each spec's audits: hate 4/4/4 (errors at 0, 1, 2), spam 4/3/3.
    expect(card.byPolicy).toEqual([
      { policy: null, audited: 7, errors: 1, ...wilson(1, 7) },
      { policy: "slur", audited: 8, errors: 1, ...wilson(1, 8) },
      { policy: "threat", audited: 7, errors: 1, ...wilson(1, 7) },
    ]);
    expect(card.trend.length).toBeGreaterThan(3);
    for (const week of card.trend) {
      expect(new Date(`${week.week}T00:00:00Z`).getUTCDay()).toBe(1);
      expect(week).toMatchObject(wilson(week.errors, week.audited));
    }
    expect(card.trend.reduce((sum: number, w: { audited: number }) => sum + w.audited, 0)).toBe(22);
    expect(card.latestFindings).toHaveLength(3);
    const newest = audits.find((a) => a.id === card.latestFindings[0].auditId)!;
    expect(newest.moderator).toBe("mod-1");
    expect(card.latestFindings[0]).toEqual({
      auditId: newest.id,
      decisionId: `d-${newest.id}`,
      queue: newest.queue,
      policy: newest.policy,
      correctPolicy: null,
      errorType: newest.errorType,
      severity: null,
      notes: newest.notes,
      auditedAt: newest.auditedAt,
      revision: 1,
      auditor: "bob",
    });
    const newestFirst = audits
      .filter((a) => a.moderator === "mod-1" && a.incorrect)
      .sort((a, b) => Date.parse(b.auditedAt) - Date.parse(a.auditedAt))
      .map((a) => a.id);
    expect(card.latestFindings.map((f: { auditId: string }) => f.auditId)).toEqual(newestFirst);
  });

  it("with `queue`, or for a moderator of one queue, uses that queue's prior and target", async () => {
    const { call, keys } = await withScorecards();
    expect((await call("PUT", "/v1/targets/spam", { key: keys.lead, json: { target: 0.3 } })).status).toBe(
      200,
    );
    const res = await call("GET", `/v1/scorecards/mod-1?${PERIOD}&queue=spam`, { key: keys.lead });
    expect(res.status).toBe(200);
    const spam = shrunken(0, 10, ["spam"]);
    expect(res.body).toMatchObject({ queue: "spam", audited: 10, errors: 0, target: 0.3, evidence: "below" });
    expect(res.body.shrunken).toEqual(spam.shrunken);
    expect(res.body.prior).toMatchObject({ alpha: spam.prior.alpha, queues: ["spam"], groups: 3 });
    expect(res.body.byQueue).toHaveLength(1);

    const single = await call("GET", `/v1/scorecards/mod-7?${PERIOD}`, { key: keys.lead });
    const hate = shrunken(14, 40, ["hate"]);
    expect(single.body.prior).toMatchObject({ alpha: hate.prior.alpha, queues: ["hate"] });
    expect(single.body.shrunken).toEqual(hate.shrunken);
    expect(single.body.byQueue[0].shrunken).toEqual(hate.shrunken);
    expect(single.body.evidence).toBe("above");
    // Ten latest errors, newest first.
    const times = single.body.latestFindings.map((f: { auditedAt: string }) => Date.parse(f.auditedAt));
    expect(times).toHaveLength(10);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("weights the queues' targets by the moderator's audits when it spans several queues", async () => {
    const { call, keys } = await withScorecards();
    await call("PUT", "/v1/targets/hate", { key: keys.lead, json: { target: 0.1 } });
    const res = await call("GET", `/v1/scorecards/mod-1?${PERIOD}`, { key: keys.lead });
    expect(res.body.target).toBeCloseTo((12 * 0.1 + 10 * 0.05) / 22, 15);
    expect(res.body.byQueue.map((q: { target: number }) => q.target)).toEqual([0.1, 0.05]);
  });

  it("a queue with one moderator falls back to the Jeffreys prior; no audits gives zeros and nulls", async () => {
    const { call, keys } = await withScorecards();
    const lonely = await call("GET", `/v1/scorecards/mod-9?${PERIOD}`, { key: keys.lead });
    expect(lonely.body.prior).toMatchObject({ method: "jeffreys", alpha: 0.5, beta: 0.5, groups: 1 });
    expect(lonely.body.shrunken.rate).toBeCloseTo(2.5 / 7, 15);
    const nobody = await call("GET", `/v1/scorecards/nobody?${PERIOD}`, { key: keys.lead });
    expect(nobody.status).toBe(200);
    expect(nobody.body).toMatchObject({
      audited: 0,
      errors: 0,
      rate: null,
      lower: null,
      upper: null,
      target: 0.05,
      evidence: null,
      shrunken: null,
      prior: null,
      byQueue: [],
      byPolicy: [],
      trend: [],
      latestFindings: [],
    });
    expect(nobody.body.byType.every((t: { share: unknown }) => t.share === null)).toBe(true);
  });

  it("counts weeks in the time zone", async () => {
    const ctx = await testContext();
    // Sunday 1 March 2026 20:00 UTC is already Monday 2 March in Seoul.
    await storeAudits(ctx.db, [
      { id: "w1", moderator: "mod-1", auditedAt: "2026-03-01T20:00:00Z", incorrect: true },
    ]);
    const utc = await ctx.call("GET", "/v1/scorecards/mod-1?from=2026-03-01&to=2026-03-02&tz=UTC", {
      key: ctx.keys.lead,
    });
    expect(utc.body.trend.map((w: { week: string }) => w.week)).toEqual(["2026-02-23"]);
    const seoul = await ctx.call("GET", "/v1/scorecards/mod-1?from=2026-03-02&to=2026-03-02&tz=Asia/Seoul", {
      key: ctx.keys.lead,
    });
    expect(seoul.body.trend.map((w: { week: string }) => w.week)).toEqual(["2026-03-02"]);
    expect(seoul.body.period.from).toBe("2026-03-01T15:00:00.000Z");
  });

  it("covers the 90 days up to today by default", async () => {
    const ctx = await testContext();
    const day = 86_400_000;
    await storeAudits(ctx.db, [
      { id: "recent", moderator: "mod-1", auditedAt: new Date(Date.now() - day).toISOString() },
      { id: "old", moderator: "mod-1", auditedAt: new Date(Date.now() - 100 * day).toISOString() },
    ]);
    const res = await ctx.call("GET", "/v1/scorecards/mod-1", { key: ctx.keys.lead });
    expect(res.body.audited).toBe(1);
    const length = Date.parse(res.body.period.to) - Date.parse(res.body.period.from);
    expect(Math.abs(length - 90 * day)).toBeLessThanOrEqual(3_600_000);
    expect(Date.parse(res.body.period.to)).toBeGreaterThan(Date.now());
  });
});

describe("who may read a scorecard", () => {
  it("a moderator key reads its own only; viewer and auditor keys none; leads and admins any", async () => {
    const { call, keys } = await withScorecards();
    const own = await call("GET", `/v1/scorecards/mod-1?${PERIOD}`, { key: keys.moderator });
    expect(own.status).toBe(200);
    expect(own.body.audited).toBe(22);
    const other = await call("GET", `/v1/scorecards/mod-2?${PERIOD}`, { key: keys.moderator });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe("not_own_moderator");
    for (const key of [keys.viewer, keys.auditor]) {
      const res = await call("GET", `/v1/scorecards/mod-1?${PERIOD}`, { key });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    }
    for (const key of [keys.lead, keys.admin]) {
      expect((await call("GET", `/v1/scorecards/mod-2?${PERIOD}`, { key })).status).toBe(200);
    }
    expect((await call("GET", `/v1/scorecards/mod-1?${PERIOD}`)).status).toBe(401);
  });

  it("hides the auditor from moderator keys unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true; leads always see it", async () => {
    const hidden = await withScorecards();
    const own = await hidden.call("GET", `/v1/scorecards/mod-1?${PERIOD}`, { key: hidden.keys.moderator });
    expect(own.body.latestFindings.every((f: { auditor: unknown }) => f.auditor === null)).toBe(true);
    expect(own.text).not.toContain("bob");
    const lead = await hidden.call("GET", `/v1/scorecards/mod-1?${PERIOD}`, { key: hidden.keys.lead });
    expect(lead.body.latestFindings[0].auditor).toBe("bob");
    const shown = await withScorecards({ MODQC_SHOW_AUDITOR_TO_MODERATOR: "true" });
    const allowed = await shown.call("GET", `/v1/scorecards/mod-1?${PERIOD}`, { key: shown.keys.moderator });
    expect(allowed.body.latestFindings[0].auditor).toBe("bob");
  });

  it("the list is for leads and admins only", async () => {
    const { call, keys, db } = await withScorecards();
    const other = (await createKey(db, { name: "m2", role: "moderator", moderator: "mod-2" })).key;
    for (const key of [keys.moderator, other, keys.viewer, keys.auditor]) {
      const res = await call("GET", `/v1/scorecards?${PERIOD}`, { key });
      expect(res.status).toBe(403);
    }
    expect((await call("GET", `/v1/scorecards?${PERIOD}`, { key: keys.admin })).status).toBe(200);
  });
});

describe("GET /v1/scorecards", () => {
  it("lists every moderator of the queue with both rates, under the queue's prior, sorted by the shrunken rate", async () => {
    const { call, keys } = await withScorecards();
    const res = await call("GET", `/v1/scorecards?${PERIOD}&queue=hate`, { key: keys.lead });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ queue: "hate", sort: "shrunken", order: "desc" });
    const prior = fitBetaBinomialPrior(groupsIn(["hate"]));
    expect(res.body.prior).toMatchObject({ alpha: prior.alpha, beta: prior.beta, groups: 6 });
    const rows = res.body.moderators;
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      const spec = SPECS.find((s) => s.moderator === row.moderator && s.queue === "hate")!;
      const posterior = betaBinomialPosterior(spec.errors, spec.audited, prior);
      expect(row).toEqual({
        moderator: spec.moderator,
        audited: spec.audited,
        errors: spec.errors,
        ...wilson(spec.errors, spec.audited),
        target: 0.05,
        evidence: evidence(spec.errors, spec.audited, 0.05),
        shrunken: { rate: posterior.mean, lower: posterior.lower, upper: posterior.upper },
      });
    }
    const shrunkenRates = rows.map((r: { shrunken: { rate: number } }) => r.shrunken.rate);
    expect([...shrunkenRates].sort((a, b) => b - a)).toEqual(shrunkenRates);
    // mod-8 (1 error in 2 audits) tops the raw rates but not the shrunken ones: mod-7 (14 in 40) does.
    expect(rows[0].moderator).toBe("mod-7");
    const raw = await call("GET", `/v1/scorecards?${PERIOD}&queue=hate&sort=raw`, { key: keys.lead });
    expect(raw.body.moderators[0].moderator).toBe("mod-8");
    const ascending = await call("GET", `/v1/scorecards?${PERIOD}&queue=hate&sort=raw&order=asc`, {
      key: keys.lead,
    });
    const rawRates = ascending.body.moderators.map((r: { rate: number }) => r.rate);
    expect([...rawRates].sort((a, b) => a - b)).toEqual(rawRates);
  });

  it("a list row equals the scorecard's row for the same queue; without `queue`, one prior over all queues", async () => {
    const { call, keys } = await withScorecards();
    const list = await call("GET", `/v1/scorecards?${PERIOD}&queue=spam`, { key: keys.lead });
    const card = await call("GET", `/v1/scorecards/mod-5?${PERIOD}&queue=spam`, { key: keys.lead });
    const row = list.body.moderators.find((r: { moderator: string }) => r.moderator === "mod-5");
    expect(row.shrunken).toEqual(card.body.shrunken);
    const all = await call("GET", `/v1/scorecards?${PERIOD}`, { key: keys.lead });
    expect(all.body.queue).toBeNull();
    expect(all.body.moderators).toHaveLength(9);
    const prior = fitBetaBinomialPrior(groupsIn(["hate", "spam", "lonely"]));
    expect(all.body.prior).toMatchObject({ alpha: prior.alpha, beta: prior.beta, groups: 9, audits: 153 });
    const mod1 = all.body.moderators.find((r: { moderator: string }) => r.moderator === "mod-1");
    expect(mod1).toMatchObject({ audited: 22, errors: 3 });
  });

  it("exports CSV with a BOM in the requested order", async () => {
    const { call, keys } = await withScorecards();
    const res = await call("GET", `/v1/scorecards?${PERIOD}&queue=hate&format=csv&sort=raw`, {
      key: keys.lead,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.text.startsWith("\uFEFF")).toBe(true);
    const lines = res.text.slice(1).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "moderator,audited,errors,rate,lower,upper,target,evidence,shrunkenRate,shrunkenLower,shrunkenUpper",
    );
    expect(lines).toHaveLength(7);
    expect(lines[1].startsWith("mod-8,2,1,0.5,")).toBe(true);
    const json = await call("GET", `/v1/scorecards?${PERIOD}&queue=hate&sort=raw`, { key: keys.lead });
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(
      json.body.moderators.map((r: { moderator: string }) => r.moderator),
    );
    expect(Number(lines[1].split(",")[8])).toBe(json.body.moderators[0].shrunken.rate);
  });

  it("refuses more than 100,000 moderator-queue pairs with 422 too_many_moderators, and takes 100,000", async () => {
    const { call, keys, db } = await testContext();
    const audits = Array.from({ length: 100_001 }, (_, i) => ({
      id: `many-${i}`,
      moderator: `m-${i}`,
      queue: i === 100_000 ? "other" : "big",
      auditedAt: "2026-03-05T10:00:00Z",
      incorrect: i % 20 === 0,
    }));
    await storeAudits(db, audits);
    const refused = await call("GET", `/v1/scorecards?${PERIOD}`, { key: keys.lead });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("too_many_moderators");
    expect(refused.body.error.details[0].path).toBe("queue");
    const one = await call("GET", `/v1/scorecards?${PERIOD}&queue=big&sort=raw&order=asc`, {
      key: keys.lead,
    });
    expect(one.status).toBe(200);
    expect(one.body.moderators).toHaveLength(100_000);
    expect(one.body.prior).toMatchObject({ groups: 100_000, bound: "no-overdispersion" });
  }, 120_000);

  it("an empty period lists nobody", async () => {
    const { call, keys } = await withScorecards();
    const res = await call("GET", "/v1/scorecards?from=2025-01-01&to=2025-01-31", { key: keys.lead });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ prior: null, moderators: [] });
  });
});

describe("scorecard input checks", () => {
  it.each([
    ["tz=Mars/Base", 400, "tz"],
    ["from=2026-02-30", 400, "from"],
    ["from=yesterday", 400, "from"],
    ["from=2026-03-10&to=2026-03-01", 400, "to"],
    ["from=2025-01-01&to=2026-01-02", 400, "from"],
    [`queue=${"q".repeat(501)}`, 400, "queue"],
    ["queue=a%00b", 400, "queue"],
    ["queue=", 400, "queue"],
    [`tz=${"A".repeat(65)}`, 400, "tz"],
  ])("GET /v1/scorecards/mod-1?%s → %i naming %s", async (query, status, path) => {
    const { call, keys } = await testContext();
    const res = await call("GET", `/v1/scorecards/mod-1?${query}`, { key: keys.lead });
    expect(res.status).toBe(status);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it("names a period over 366 days period_too_long, and allows a leap year's 366", async () => {
    const { call, keys } = await testContext();
    const long = await call("GET", "/v1/scorecards/mod-1?from=2024-01-01&to=2025-01-01", { key: keys.lead });
    expect(long.body.error.code).toBe("period_too_long");
    const leap = await call("GET", "/v1/scorecards/mod-1?from=2024-01-01&to=2024-12-31&tz=Europe/Berlin", {
      key: keys.lead,
    });
    expect(leap.status).toBe(200);
  });

  it.each([
    ["sort=best", "sort"],
    ["order=up", "order"],
    ["format=xml", "format"],
    ["tz=Nowhere/City", "tz"],
    ["to=2026-13-01", "to"],
  ])("GET /v1/scorecards?%s → 400 naming %s", async (query, path) => {
    const { call, keys } = await testContext();
    const res = await call("GET", `/v1/scorecards?${query}`, { key: keys.lead });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it("a moderator name over 500 characters is refused, an encoded one with spaces and slashes is read", async () => {
    const { call, keys, db } = await testContext();
    expect((await call("GET", `/v1/scorecards/${"m".repeat(501)}`, { key: keys.lead })).status).toBe(400);
    expect((await call("GET", "/v1/scorecards/a%00b", { key: keys.lead })).status).toBe(400);
    await storeAudits(db, [
      { id: "x1", moderator: "김 / kim", auditedAt: "2026-03-05T10:00:00Z", incorrect: true },
    ]);
    const res = await call("GET", `/v1/scorecards/${encodeURIComponent("김 / kim")}?${PERIOD}`, {
      key: keys.lead,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ moderator: "김 / kim", audited: 1, errors: 1 });
  });
});

describe("/v1/targets", () => {
  it("reads the default, sets, replaces and removes a queue's own target", async () => {
    const { call, keys } = await testContext({ MODQC_TARGET_ERROR_RATE: "0.02" });
    const empty = await call("GET", "/v1/targets", { key: keys.moderator });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ defaultTarget: 0.02, targets: [] });
    const set = await call("PUT", "/v1/targets/hate", { key: keys.lead, json: { target: 0.08 } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ queue: "hate", target: 0.08, setBy: "lead key", setAt: expect.any(String) });
    await call("PUT", "/v1/targets/hate", { key: keys.admin, json: { target: 0.07 } });
    await call("PUT", "/v1/targets/spam", { key: keys.lead, json: { target: 0.3 } });
    const listed = await call("GET", "/v1/targets", { key: keys.viewer });
    expect(listed.body.targets.map((t: { queue: string; target: number }) => [t.queue, t.target])).toEqual([
      ["hate", 0.07],
      ["spam", 0.3],
    ]);
    expect(listed.body.targets[0].setBy).toBe("admin key");
    const removed = await call("DELETE", "/v1/targets/hate", { key: keys.lead });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ queue: "hate", target: 0.02, removed: { target: 0.07 } });
    expect((await call("DELETE", "/v1/targets/hate", { key: keys.lead })).status).toBe(404);
    expect((await call("GET", "/v1/targets", { key: keys.lead })).body.targets).toHaveLength(1);
  });

  it("only leads and admins set or remove targets", async () => {
    const { call, keys } = await testContext();
    for (const key of [keys.moderator, keys.viewer, keys.auditor]) {
      expect((await call("PUT", "/v1/targets/hate", { key, json: { target: 0.1 } })).status).toBe(403);
      expect((await call("DELETE", "/v1/targets/hate", { key })).status).toBe(403);
    }
    expect((await call("GET", "/v1/targets")).status).toBe(401);
  });

  it.each([
    [{ target: 0 }, "target"],
    [{ target: 1 }, "target"],
    [{ target: -0.1 }, "target"],
    [{ target: "0.1" }, "target"],
    [{}, "target"],
    [{ target: 0.1, extra: true }, ""],
  ])("PUT %j → 400", async (body, path) => {
    const { call, keys } = await testContext();
    const res = await call("PUT", "/v1/targets/hate", { key: keys.lead, json: body });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it("takes queue names with spaces, slashes and Hangul; refuses an over-long one", async () => {
    const { call, keys } = await testContext();
    const queue = "아동 안전/KR";
    const res = await call("PUT", `/v1/targets/${encodeURIComponent(queue)}`, {
      key: keys.lead,
      json: { target: 0.01 },
    });
    expect(res.status).toBe(200);
    expect(res.body.queue).toBe(queue);
    expect((await call("GET", "/v1/targets", { key: keys.lead })).body.targets[0].queue).toBe(queue);
    const long = await call("PUT", `/v1/targets/${"q".repeat(501)}`, {
      key: keys.lead,
      json: { target: 0.1 },
    });
    expect(long.status).toBe(400);
  });
});
