import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ComputePool, InlineCompute } from "../../src/compute/pool.ts";
import { DomainError } from "../../src/errors.ts";
import { StatsInputError, StatsTooExpensiveError } from "../../stats/errors.ts";
import { openTestDatabase } from "../database.ts";
import { storeAudits } from "../helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "modqc-compute-"));
const db = await openTestDatabase(dir);
await storeAudits(
  db,
  Array.from({ length: 2000 }, (_, i) => ({
    id: `a-${i}`,
    queue: i % 3 === 0 ? "hate" : "spam",
    moderator: `mod-${i % 7}`,
    incorrect: i % 9 === 0,
    auditedAt: `2026-11-${String(1 + (i % 28)).padStart(2, "0")}T09:00:00Z`,
  })),
);
const pool = new ComputePool(db.location, { threads: 2, timeoutMs: 60_000 });
const inline = new InlineCompute(db);

afterAll(async () => {
  await pool.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const qualityQuery = {
  groupBy: ["queue" as const],
  confidence: 0.95,
  method: "wilson" as const,
};

describe("ComputePool", () => {
  it("answers reports from the threads' own connections exactly as inline", async () => {
    const input = { query: qualityQuery, timeZone: "Asia/Seoul" };
    const [threaded, local] = await Promise.all([pool.run("quality", input), inline.run("quality", input)]);
    expect(threaded).toEqual(local);
    expect(threaded.overall.audited).toBe(2000);
    const chartInput = { query: { type: "p" as const, interval: "day" as const }, timeZone: "UTC" };
    expect(await pool.run("stored-chart", chartInput)).toEqual(await inline.run("stored-chart", chartInput));
  });

  it("sees what was committed after the thread's connection was opened", async () => {
    const before = (await pool.run("quality", { query: qualityQuery, timeZone: "UTC" })).overall.audited;
    await storeAudits(db, [{ id: "late", moderator: "mod-1", auditedAt: "2026-11-30T00:00:00Z" }]);
    const after = (await pool.run("quality", { query: qualityQuery, timeZone: "UTC" })).overall.audited;
    expect(after).toBe(before + 1);
  });

  it("brings a statistics error back with its field, and an API error with its status and details", async () => {
    const bad = pool.run("chart", { type: "p", points: [{ count: 5, n: 2 }] });
    await expect(bad).rejects.toBeInstanceOf(StatsInputError);
    await expect(bad).rejects.toMatchObject({ field: expect.stringContaining("points.0") });
    const badBaseline = pool.run("stored-chart", {
      query: { type: "p", interval: "day", baseline: "2030-01-01" },
      timeZone: "UTC",
    });
    await expect(badBaseline).rejects.toBeInstanceOf(DomainError);
    await expect(badBaseline).rejects.toMatchObject({ kind: "invalid", code: "validation_failed" });
  });

  it("brings a too-expensive refusal back with the limit and alternatives that would fit", async () => {
    const refused = pool.run("sample-size", { goal: "estimate", margin: 1e-6, method: "clopper-pearson" });
    await expect(refused).rejects.toBeInstanceOf(StatsTooExpensiveError);
    await expect(refused).rejects.toMatchObject({
      field: "margin",
      limit: expect.any(Number),
      alternatives: expect.arrayContaining([expect.objectContaining({ method: "wald" })]),
    });
  });

  it("stops a task that outruns its time budget with 422 too_expensive, and keeps serving", async () => {
    const tight = new ComputePool(db.location, { threads: 1, timeoutMs: 300 });
    try {
      await tight.warmUp();
      const raters = 100;
      const items = Array.from({ length: 20_000 }, (_, i) =>
        Array.from({ length: raters }, (_, r) => String((i * 7 + r * 13) % 5)),
      );
      const slow = tight.run("agreement", { ratings: items, bootstrap: { replicates: 4_000, seed: 1 } });
      await expect(slow).rejects.toMatchObject({ kind: "unprocessable", code: "too_expensive" });
      const after = await tight.run("compare", { a: { count: 1, n: 10 }, b: { count: 2, n: 10 } });
      expect(after).toBeTruthy();
    } finally {
      await tight.close();
    }
  });
});
