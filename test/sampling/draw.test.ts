import { createHash } from "node:crypto";
import fc from "fast-check";
import jStat from "jstat";
import { describe, expect, it } from "vitest";
import { BottomK, priorityHex, sha256Hex } from "../../src/sampling/priority.ts";
import { parseStratumKey, stratumKey } from "../../src/sampling/strata.ts";
import { allocate } from "../../stats/allocation.ts";
import { sampleSizeEstimate } from "../../stats/sample-size-estimate.ts";
import { type TestContext as Ctx, storeAudits, testContext } from "../helpers.ts";
import { mulberry32 as rng } from "../seeded-random.ts";

interface Row {
  id: string;
  queue: string;
  moderator: string;
  market?: string;
  [extra: string]: string | undefined;
}

function makeRows(count: number, seed = 1): Row[] {
  const random = rng(seed);
  const queues = ["hate", "spam", "bullying", "self-harm"];
  const markets = ["KR", "US", "JP"];
  return Array.from({ length: count }, (_, i) => ({
    id: i % 17 === 0 ? `결정-${i}` : `dec-${(i * 7919) % 100_003}`,
    // Skewed sizes: hate is the biggest queue.
    queue: queues[Math.min(3, Math.floor(random() ** 2 * 4))],
    moderator: `mod-${Math.floor(random() * 12)}`,
    market: markets[Math.floor(random() * 3)],
  }));
}

function shuffled<T>(items: T[], seed: number): T[] {
  const random = rng(seed);
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

async function upload(ctx: Ctx, rows: Row[], format: "csv" | "ndjson" = "ndjson"): Promise<string> {
  let body: string;
  let type: string;
  if (format === "ndjson") {
    body = rows.map((r) => JSON.stringify(r)).join("\n");
    type = "application/x-ndjson";
  } else {
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const cell = (v: string | undefined) =>
      v === undefined ? "" : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    body = [columns.join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))].join("\r\n");
    type = "text/csv";
  }
  const res = await ctx.call("POST", "/v1/populations", {
    key: ctx.keys.lead,
    body,
    headers: { "content-type": type },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** The draw rule written out independently: node's createHash, BigInt priorities, a full sort per stratum. */
function independentDraw(
  rows: Row[],
  strata: string[],
  seed: string,
  nOf: (key: string, size: number) => number,
) {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = strata.length === 0 ? "all" : strata.map((a) => `${a}=${row[a] ?? ""}`).join("|");
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const result = new Map<string, { id: string; priority: bigint }[]>();
  for (const [key, members] of groups) {
    const ranked = members
      .map((row) => ({
        id: row.id,
        priority: createHash("sha256").update(`${seed}:${row.id}`, "utf8").digest().readBigUInt64BE(0),
      }))
      .sort((a, b) =>
        a.priority !== b.priority
          ? a.priority < b.priority
            ? -1
            : 1
          : Buffer.compare(Buffer.from(a.id), Buffer.from(b.id)),
      );
    result.set(key, ranked.slice(0, nOf(key, members.length)));
  }
  return result;
}

async function items(ctx: Ctx, sampleId: string) {
  const res = await ctx.call("GET", `/v1/samples/${sampleId}/items`, { key: ctx.keys.viewer });
  expect(res.status).toBe(200);
  return res.body.items as {
    id: string;
    stratum: string;
    rank: number;
    priority: string;
    priorityDecimal: string;
    auditor: string | null;
  }[];
}

describe("the draw", () => {
  it("equals an independent implementation of the rule, with n_h exactly as allocate says", async () => {
    const ctx = await testContext();
    const rows = makeRows(2000);
    const population = await upload(ctx, rows);
    const res = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population, strata: ["queue", "market"], total: 150, seed: "2026-11-24" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(String), seed: "2026-11-24", n: 150 });

    const sizes = new Map<string, number>();
    for (const r of rows) {
      const key = `queue=${r.queue}|market=${r.market}`;
      sizes.set(key, (sizes.get(key) ?? 0) + 1);
    }
    const keys = [...sizes.keys()].sort();
    const allocation = allocate({
      strata: keys.map((key) => ({ key, size: sizes.get(key)! })),
      method: "proportional",
      total: 150,
    });
    expect(
      res.body.strata.map((s: { key: string; size: number; n: number }) => [s.key, s.size, s.n]),
    ).toEqual(allocation.strata.map((s) => [s.key, s.size, s.n]));

    const nOf = new Map(allocation.strata.map((s) => [s.key, s.n]));
    const expected = independentDraw(rows, ["queue", "market"], "2026-11-24", (key) => nOf.get(key)!);
    const drawn = await items(ctx, res.body.id);
    expect(drawn).toHaveLength(150);
    for (const key of keys) {
      const mine = drawn.filter((item) => item.stratum === key);
      const theirs = expected.get(key)!;
      expect(mine.map((item) => item.id)).toEqual(theirs.map((x) => x.id));
      expect(mine.map((item) => item.rank)).toEqual(theirs.map((_, i) => i + 1));
      expect(mine.map((item) => BigInt(`0x${item.priority}`))).toEqual(theirs.map((x) => x.priority));
      expect(mine.map((item) => item.priorityDecimal)).toEqual(theirs.map((x) => x.priority.toString()));
    }
  });

  it("is the same whatever the row order or upload format, and changes with the seed", async () => {
    const ctx = await testContext();
    const rows = makeRows(1200, 2);
    const a = await upload(ctx, rows, "ndjson");
    const b = await upload(ctx, shuffled(rows, 99), "csv");
    const draw = async (population: string, seed: string) => {
      const res = await ctx.call("POST", "/v1/samples", {
        key: ctx.keys.lead,
        json: { population, strata: ["queue"], allocation: "neyman", margin: 0.06, seed },
      });
      expect(res.status).toBe(201);
      return (await items(ctx, res.body.id)).map((item) => [item.stratum, item.id, item.priority]);
    };
    const first = await draw(a, "s-1");
    expect(first.length).toBeGreaterThan(50);
    expect(await draw(b, "s-1")).toEqual(first);
    expect(await draw(a, "s-1")).toEqual(first);
    const other = await draw(a, "s-2");
    expect(other).not.toEqual(first);
    expect(other.length).toBe(first.length);
    // Mostly different decisions: a 2-seed overlap is about n/N of the sample.
    const firstIds = new Set(first.map((x) => x[1]));
    expect(other.filter((x) => firstIds.has(x[1])).length).toBeLessThan(first.length / 2);
  });

  it("generates, stores and returns a seed when none is given", async () => {
    const ctx = await testContext();
    const population = await upload(ctx, makeRows(100, 3));
    const res = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population, total: 10 },
    });
    expect(res.status).toBe(201);
    expect(res.body.seed).toMatch(/^[0-9a-f]{32}$/);
    expect(res.body.strata).toEqual([{ key: "all", values: {}, size: 100, n: 10 }]);
    const get = await ctx.call("GET", `/v1/samples/${res.body.id}`, { key: ctx.keys.viewer });
    expect(get.body.seed).toBe(res.body.seed);
    const again = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population, total: 10, seed: res.body.seed },
    });
    expect((await items(ctx, again.body.id)).map((i) => i.id)).toEqual(
      (await items(ctx, res.body.id)).map((i) => i.id),
    );
  });

  it("sizes strata exactly as the foundation's calculators do", async () => {
    const ctx = await testContext();
    const rows = makeRows(3000, 4);
    const population = await upload(ctx, rows);
    const sizes = new Map<string, number>();
    for (const r of rows) sizes.set(`queue=${r.queue}`, (sizes.get(`queue=${r.queue}`) ?? 0) + 1);
    const strata = [...sizes.keys()].sort().map((key) => ({ key, size: sizes.get(key)! }));
    const rates = { "queue=hate": 0.1, "queue=spam": 0.02 };
    const draw = async (plan: Record<string, unknown>) => {
      const res = await ctx.call("POST", "/v1/samples", {
        key: ctx.keys.lead,
        json: { population, strata: ["queue"], seed: "x", ...plan },
      });
      expect(res.status).toBe(201);
      return res.body.strata.map((s: { n: number }) => s.n);
    };
    const withRates = strata.map((s) => ({ ...s, expectedRate: rates[s.key as keyof typeof rates] }));
    expect(await draw({ allocation: "neyman", total: 200, expectedRates: rates })).toEqual(
      allocate({ strata: withRates, method: "neyman", total: 200 }).strata.map((s) => s.n),
    );
    expect(await draw({ allocation: "equal", total: 101, minPerStratum: 30 })).toEqual(
      allocate({ strata, method: "equal", total: 101, minPerStratum: 30 }).strata.map((s) => s.n),
    );
    expect(await draw({ margin: 0.04, confidence: 0.9, expectedRate: 0.2 })).toEqual(
      allocate({
        strata,
        method: "proportional",
        margin: 0.04,
        confidence: 0.9,
        expectedRate: 0.2,
      }).strata.map((s) => s.n),
    );
    expect(
      await draw({
        perStratum: { margin: 0.05, confidence: 0.95 },
        expectedRates: rates,
        minPerStratum: 300,
      }),
    ).toEqual(
      strata.map((s) =>
        Math.max(
          sampleSizeEstimate({
            margin: 0.05,
            confidence: 0.95,
            expectedRate: withRates.find((w) => w.key === s.key)!.expectedRate ?? 0.5,
            population: s.size,
          }).n,
          Math.min(300, s.size),
        ),
      ),
    );
  });

  it("draws every item with equal probability and every subset equally often (chi-square, fixed seeds)", () => {
    // The selection rule itself, as the draw runs it: priorities and the bounded heap.
    const draw = (ids: string[], n: number, seed: string) => {
      const heap = new BottomK(n);
      ids.forEach((id, i) => {
        heap.offer(sha256Hex(seed, id), id, i);
      });
      return heap.sorted().map((x) => x.id);
    };
    // Inclusion: N = 20, n = 5, 4,000 draws. Each count ~ Binomial(4000, 1/4); the counts sum to 20,000, so
    // Σ (c − E)²/(E(1 − π)) is χ² with N − 1 = 19 degrees of freedom.
    const ids = Array.from({ length: 20 }, (_, i) => `item-${i}`);
    const counts = new Map(ids.map((id) => [id, 0]));
    for (let s = 0; s < 4000; s++)
      for (const id of draw(ids, 5, `seed-${s}`)) counts.set(id, counts.get(id)! + 1);
    const expected = (4000 * 5) / 20;
    const chi2 = [...counts.values()].reduce(
      (sum, c) => sum + (c - expected) ** 2 / (expected * (1 - 5 / 20)),
      0,
    );
    expect(1 - jStat.chisquare.cdf(chi2, 19)).toBeGreaterThan(0.001);

    // Subsets: N = 6, n = 2 → 15 subsets, 6,000 draws, χ² with 14 degrees of freedom.
    const six = ["a", "b", "c", "d", "e", "f"];
    const subsets = new Map<string, number>();
    for (let s = 0; s < 6000; s++) {
      const key = draw(six, 2, `pair-seed-${s}`).sort().join("");
      subsets.set(key, (subsets.get(key) ?? 0) + 1);
    }
    expect(subsets.size).toBe(15);
    const chi2Pairs = [...subsets.values()].reduce((sum, c) => sum + (c - 400) ** 2 / 400, 0);
    expect(1 - jStat.chisquare.cdf(chi2Pairs, 14)).toBeGreaterThan(0.001);
  });

  it("priorities are SHA-256(seed:id) read as unsigned big-endian 64-bit integers, for any Unicode", () => {
    for (const [seed, id] of [
      ["s", "d1"],
      ["2026-11-24", "결정-42"],
      ["ü", "😀 emoji"],
      ["", ""],
    ]) {
      const digest = createHash("sha256").update(`${seed}:${id}`, "utf8").digest();
      expect(priorityHex(seed, id)).toBe(digest.subarray(0, 8).toString("hex"));
      expect(BigInt(`0x${priorityHex(seed, id)}`)).toBe(digest.readBigUInt64BE(0));
    }
  });

  it("stratum keys are unambiguous, with escaping", () => {
    const key = stratumKey(["queue", "market"], ["a|b=c", "K\\R"]);
    expect(key).toBe("queue=a\\|b\\=c|market=K\\\\R");
    expect(parseStratumKey(key)).toEqual({ queue: "a|b=c", market: "K\\R" });
    expect(stratumKey([], [])).toBe("all");
  });

  it("rejects plans that do not fit the population", async () => {
    const ctx = await testContext();
    const population = await upload(ctx, makeRows(50, 5));
    const post = (json: Record<string, unknown>) =>
      ctx.call("POST", "/v1/samples", { key: ctx.keys.lead, json: { population, ...json } });
    const cases: [Record<string, unknown>, number, string][] = [
      [{ strata: ["region"], total: 5 }, 400, "strata.0"],
      [{ strata: ["queue", "queue"], total: 5 }, 400, "strata.1"],
      [{ total: 5, margin: 0.05 }, 400, "total"],
      [{}, 400, "total"],
      [{ total: 5, confidence: 0.9 }, 400, "confidence"],
      [
        { strata: ["queue"], allocation: "neyman", total: 5, expectedRates: { "queue=nope": 0.1 } },
        400,
        "expectedRates.queue=nope",
      ],
      [{ strata: ["moderator"], total: 5, fromHistory: { days: 0 } }, 400, "fromHistory.days"],
      [{ total: 5, extra: 1 }, 400, ""],
    ];
    for (const [json, status, path] of cases) {
      const res = await post(json);
      expect(res.status, JSON.stringify(json)).toBe(status);
      if (path) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(
      (await ctx.call("POST", "/v1/samples", { key: ctx.keys.lead, json: { population: "nope", total: 1 } }))
        .status,
    ).toBe(404);
    expect(
      (await ctx.call("POST", "/v1/samples", { key: ctx.keys.auditor, json: { population, total: 1 } }))
        .status,
    ).toBe(403);
  });

  it("fromHistory takes each stratum's error rate from recent audits (0.5 where there is none)", async () => {
    const ctx = await testContext();
    const rows = makeRows(400, 6);
    const population = await upload(ctx, rows);
    const now = Date.now();
    const audits = [];
    for (let i = 0; i < 40; i++) {
      audits.push({
        id: `h-${i}`,
        decisionId: `old-${i}`,
        queue: i < 20 ? "hate" : "spam",
        moderator: "m",
        auditor: "alice",
        outcome: (i < 20 ? i < 5 : i < 21) ? "incorrect" : "correct",
        ...((i < 20 ? i < 5 : i < 21) ? { errorType: "false-negative" } : {}),
        auditedAt: new Date(now - 3 * 86_400_000).toISOString(),
      });
    }
    audits.push({
      id: "too-old",
      decisionId: "x",
      queue: "bullying",
      moderator: "m",
      auditor: "alice",
      outcome: "correct",
      auditedAt: new Date(now - 40 * 86_400_000).toISOString(),
    });
    expect((await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: audits })).status).toBe(200);
    const res = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population, strata: ["queue"], allocation: "neyman", total: 60, fromHistory: { days: 30 } },
    });
    expect(res.status).toBe(201);
    const byKey = Object.fromEntries(res.body.strata.map((s: { key: string }) => [s.key, s]));
    expect(byKey["queue=hate"]).toMatchObject({ expectedRate: 0.25, rateSource: "history" });
    expect(byKey["queue=spam"]).toMatchObject({ expectedRate: 0.05, rateSource: "history" });
    expect(byKey["queue=bullying"]).toMatchObject({ expectedRate: 0.5, rateSource: "default" });
    const withLabel = await ctx.call("POST", "/v1/populations", {
      key: ctx.keys.lead,
      body: "id,queue,moderator,label\nd1,q,m,remove\n",
      headers: { "content-type": "text/csv" },
    });
    const bad = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: {
        population: withLabel.body.id,
        strata: ["label"],
        allocation: "neyman",
        total: 1,
        fromHistory: { days: 7 },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("fromHistory");
  });

  it("stratifies on extra columns and on absent values", async () => {
    const ctx = await testContext();
    const rows: Row[] = Array.from({ length: 90 }, (_, i) => ({
      id: `d${i}`,
      queue: "q",
      moderator: "m",
      ...(i % 3 === 0 ? {} : { surface: i % 3 === 1 ? "video" : "feed|live" }),
    }));
    const population = await upload(ctx, rows);
    const res = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population, strata: ["surface"], allocation: "equal", total: 9, seed: "e" },
    });
    expect(res.status).toBe(201);
    expect(res.body.strata).toEqual([
      { key: "surface=", values: { surface: "" }, size: 30, n: 3 },
      { key: "surface=feed\\|live", values: { surface: "feed|live" }, size: 30, n: 3 },
      { key: "surface=video", values: { surface: "video" }, size: 30, n: 3 },
    ]);
    const expected = independentDraw(rows, ["surface"], "e", () => 3);
    const drawn = await items(ctx, res.body.id);
    expect(drawn.filter((d) => d.stratum === "surface=").map((d) => d.id)).toEqual(
      expected.get("surface=")!.map((x) => x.id),
    );
  });

  it("explains how a decision got into the sample, or why not", async () => {
    const ctx = await testContext();
    const population = await upload(ctx, makeRows(300, 7));
    const res = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population, strata: ["queue"], total: 20, seed: "why" },
    });
    const drawn = await items(ctx, res.body.id);
    const inSample = await ctx.call(
      "GET",
      `/v1/samples/${res.body.id}/explain?decisionId=${encodeURIComponent(drawn[0].id)}`,
      {
        key: ctx.keys.viewer,
      },
    );
    expect(inSample.status).toBe(200);
    expect(inSample.body).toMatchObject({
      drawn: true,
      rank: 1,
      priority: drawn[0].priority,
      hashInput: `why:${drawn[0].id}`,
      stratum: drawn[0].stratum,
    });
    const drawnIds = new Set(drawn.map((d) => d.id));
    const outside = makeRows(300, 7).find((r) => !drawnIds.has(r.id))!;
    const notIn = await ctx.call(
      "GET",
      `/v1/samples/${res.body.id}/explain?decisionId=${encodeURIComponent(outside.id)}`,
      {
        key: ctx.keys.viewer,
      },
    );
    expect(notIn.body.drawn).toBe(false);
    expect(notIn.body.priority > notIn.body.cutoff.priority).toBe(true);
    expect(notIn.body.explanation).toContain("not drawn");
    expect(
      (await ctx.call("GET", `/v1/samples/${res.body.id}/explain?decisionId=nope`, { key: ctx.keys.viewer }))
        .status,
    ).toBe(404);
  });
});

describe("sample reads", () => {
  it("items as JSON or CSV with BOM, progress from audits linked by decisionId", async () => {
    const ctx = await testContext();
    const rows = makeRows(200, 8);
    const population = await upload(ctx, rows);
    const res = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population, strata: ["queue"], total: 12, seed: "read" },
    });
    const drawn = await items(ctx, res.body.id);
    const csv = await ctx.call("GET", `/v1/samples/${res.body.id}/items?format=csv`, {
      key: ctx.keys.auditor,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(
      csv.text.startsWith("\uFEFFid,stratum,rank,priority,priorityDecimal,auditor,queue,moderator,"),
    ).toBe(true);
    expect(csv.text.trim().split("\r\n")).toHaveLength(13);

    const audit = (i: number, extra: Record<string, unknown>) => ({
      id: `a-${i}`,
      decisionId: drawn[i].id,
      queue: "q",
      moderator: "m",
      auditor: "alice",
      outcome: "correct",
      auditedAt: "2026-11-24T09:00:00Z",
      ...extra,
    });
    const stored = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      json: [audit(0, { sampleId: res.body.id, queue: undefined, moderator: undefined }), audit(1, {})],
    });
    expect(stored.status).toBe(200);
    // An audit naming the sample with a decision it did not draw is refused now; one stored before these checks
    // existed (written here past them) is still counted as unmatched.
    const typo = { ...audit(2, { sampleId: res.body.id }), decisionId: "not-drawn" };
    expect((await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: typo })).status).toBe(400);
    await storeAudits(ctx.db, [{ ...typo, outcome: "correct" }]);
    const get = await ctx.call("GET", `/v1/samples/${res.body.id}`, { key: ctx.keys.viewer });
    expect(get.body.progress).toMatchObject({ drawn: 12, audited: 2, remaining: 10, unmatchedAudits: 1 });
    expect(get.body.strata.reduce((sum: number, s: { audited: number }) => sum + s.audited, 0)).toBe(2);
    expect(get.body.plan).toEqual({
      population,
      strata: ["queue"],
      allocation: "proportional",
      total: 12,
      minPerStratum: 0,
    });
    const list = await ctx.call("GET", `/v1/samples?population=${population}`, { key: ctx.keys.viewer });
    expect(list.body.samples.map((s: { id: string }) => s.id)).toEqual([res.body.id]);
    expect((await ctx.call("GET", "/v1/samples/nope", { key: ctx.keys.viewer })).status).toBe(404);
  });
});

describe("robustness", () => {
  it("random plans and assignment bodies never produce a 5xx", async () => {
    const ctx = await testContext();
    const population = await upload(ctx, makeRows(300, 9));
    const sample = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population, total: 20 },
    });
    const value = fc.oneof(
      fc.integer({ min: -5, max: 100_000 }),
      fc.double({ min: -1, max: 2, noNaN: true }),
      fc.constantFrom(0, 1e-9, 0.5, 0.999999, 10_000_000, 1e12),
      fc.string({ maxLength: 5 }),
      fc.constantFrom(["queue"], ["market", "queue"], ["moderator"], ["nope"], [], "queue"),
      fc.constantFrom(
        { margin: 0.01 },
        { margin: 1e-6, confidence: 0.999 },
        { days: 3 },
        { "queue=hate": 0.2 },
        {},
      ),
    );
    const plan = fc.dictionary(
      fc.constantFrom(
        "strata",
        "allocation",
        "total",
        "confidence",
        "margin",
        "expectedRate",
        "perStratum",
        "minPerStratum",
        "expectedRates",
        "fromHistory",
        "seed",
      ),
      value,
    );
    await fc.assert(
      fc.asyncProperty(
        plan,
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 5 }),
        async (body, auditors) => {
          const res = await ctx.call("POST", "/v1/samples", {
            key: ctx.keys.lead,
            json: { population, ...body },
          });
          expect(res.status, JSON.stringify({ body, res: res.body })).toBeLessThan(500);
          const assign = await ctx.call("POST", `/v1/samples/${sample.body.id}/assign`, {
            key: ctx.keys.lead,
            json: { auditors },
          });
          expect(assign.status, JSON.stringify(assign.body)).toBeLessThan(500);
        },
      ),
      { numRuns: 150, seed: 606 },
    );
  });
});
