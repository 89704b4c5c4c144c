import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ComputePool, InlineCompute } from "../../src/compute/pool.ts";
import { DomainError } from "../../src/errors.ts";
import { openTestDatabase } from "../database.ts";
import { storeAudits } from "../helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "modqc-policy-"));
const db = await openTestDatabase(dir);
const POLICIES = ["hate", "harassment", "spam", "violence"];
await storeAudits(
  db,
  Array.from({ length: 600 }, (_, i) => {
    const wrongPolicy = i % 5 === 0;
    return {
      id: `p-${i}`,
      queue: i % 2 === 0 ? "q1" : "q2",
      policy: POLICIES[i % 4],
      outcome: i % 3 === 0 || wrongPolicy ? ("incorrect" as const) : ("correct" as const),
      errorType: wrongPolicy ? ("wrong-policy" as const) : i % 3 === 0 ? ("false-negative" as const) : null,
      correctPolicy: wrongPolicy && i % 10 !== 0 ? POLICIES[(i + 1) % 4] : null,
      severity: i % 3 === 0 ? 1 + (i % 4) : null,
      auditedAt: `2026-11-${String(1 + (i % 28)).padStart(2, "0")}T09:00:00Z`,
    };
  }),
);
const pool = new ComputePool(db.location, { threads: 1, timeoutMs: 60_000 });
const inline = new InlineCompute(db);

afterAll(async () => {
  await pool.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the policy reports on the compute pool", () => {
  it("answer from a pool thread exactly as inline (confusion, impact, weighted quality)", async () => {
    const confusion = { query: { confidence: 0.95 }, timeZone: "Asia/Seoul" };
    const threaded = await pool.run("policy-confusion", confusion);
    expect(threaded).toEqual(await inline.run("policy-confusion", confusion));
    expect(threaded.matrix.total).toBeGreaterThan(0);
    const impact = {
      query: { policy: "hate", at: "2026-11-15", days: 14, confidence: 0.95 },
      timeZone: "Asia/Seoul",
    };
    const impactThreaded = await pool.run("policy-impact", impact);
    expect(impactThreaded).toEqual(await inline.run("policy-impact", impact));
    expect(impactThreaded.comparison).not.toBeNull();
    const quality = {
      query: {
        groupBy: ["queue" as const],
        confidence: 0.9,
        method: "wilson" as const,
        weights: [1, 2, 4, 8],
      },
      timeZone: "UTC",
    };
    const qualityThreaded = await pool.run("quality", quality);
    expect(qualityThreaded).toEqual(await inline.run("quality", quality));
    expect(qualityThreaded.groups[0].weighted?.index).toBeGreaterThan(0);
  });

  it("brings a refusal back from the thread as a DomainError naming its field", async () => {
    const bad = pool.run("policy-impact", {
      query: { policy: "hate", at: "2026-02-30", days: 14, confidence: 0.95 },
      timeZone: "UTC",
    });
    await expect(bad).rejects.toBeInstanceOf(DomainError);
    await expect(bad).rejects.toMatchObject({ kind: "invalid", details: [{ path: "at" }] });
  });
});
