import { describe, expect, it } from "vitest";
import { goldScores } from "../../src/db/gold.ts";
import { goldCorrect } from "../../src/gold/score.ts";
import { verdictAuditId } from "../../src/sampling/verdict-id.ts";
import { assign, goldContext, manualGold, slotsOf, verdictPath, wholeQueue } from "./fixture.ts";

describe("verdicts on gold items", () => {
  it("goldCorrect: outcome, and the error type when the answer is incorrect; severity and policy not scored", () => {
    const wrong = { outcome: "incorrect", errorType: "false-negative" } as const;
    expect(goldCorrect(wrong, { outcome: "incorrect", errorType: "false-negative" })).toBe(true);
    expect(goldCorrect(wrong, { outcome: "incorrect", errorType: "wrong-policy" })).toBe(false);
    expect(goldCorrect(wrong, { outcome: "correct", errorType: null })).toBe(false);
    const right = { outcome: "correct", errorType: null } as const;
    expect(goldCorrect(right, { outcome: "correct", errorType: null })).toBe(true);
    expect(goldCorrect(right, { outcome: "incorrect", errorType: "other" })).toBe(false);
  });

  it("are scored, revised and read back by goldScores; never stored as audits, so the estimate and reports do not move", async () => {
    const ctx = await goldContext(
      40,
      Array.from({ length: 8 }, (_, i) => manualGold(i)),
    );
    expect(
      (await assign(ctx, { auditors: ["alice", "bob"], gold: { share: 0, perAuditorMin: 2 } })).status,
    ).toBe(200);
    const slots = await slotsOf(ctx);
    const mine = slots.filter((s) => s.auditor === "alice");
    const queue = await wholeQueue(ctx, ctx.auditors.alice);
    const goldIds = new Set(slots.map((s) => s.decisionId));
    const real = queue.filter((item) => !goldIds.has(item.decisionId));
    // Some drawn items audited first: the estimate and the quality report then.
    for (const item of real.slice(0, 6)) {
      const res = await ctx.call("PUT", verdictPath(ctx.sample, item.decisionId), {
        key: ctx.auditors.alice,
        json:
          item.queue === "hate"
            ? { outcome: "incorrect", errorType: "false-negative" }
            : { outcome: "correct" },
      });
      expect(res.status).toBe(201);
    }
    const snapshot = async () => ({
      estimate: (await ctx.call("GET", `/v1/samples/${ctx.sample}/estimate`, { key: ctx.keys.viewer })).body,
      quality: (await ctx.call("GET", "/v1/quality?groupBy=queue", { key: ctx.keys.viewer })).body,
      sample: (await ctx.call("GET", `/v1/samples/${ctx.sample}`, { key: ctx.keys.viewer })).body,
      audits: (await ctx.call("GET", "/v1/audits?limit=1000", { key: ctx.keys.viewer })).body.audits.length,
    });
    const before = await snapshot();
    expect(before.audits).toBe(6);

    // The known answers of alice's two gold items (the listing is the lead's).
    const listed = (await ctx.call("GET", "/v1/gold", { key: ctx.keys.lead })).body.items as {
      decisionId: string;
      answer: { outcome: string; errorType: string | null };
    }[];
    const answerOf = new Map(listed.map((g) => [g.decisionId, g.answer]));
    const [a, b] = mine;
    const right = answerOf.get(a.decisionId)!;
    const first = await ctx.call("PUT", verdictPath(ctx.sample, a.decisionId), {
      key: ctx.auditors.alice,
      json: { outcome: right.outcome, errorType: right.errorType, severity: right.errorType ? 1 : null },
    });
    expect(first.status).toBe(201);
    const wrongOutcome = answerOf.get(b.decisionId)!.outcome === "correct" ? "incorrect" : "correct";
    const wrong = await ctx.call("PUT", verdictPath(ctx.sample, b.decisionId), {
      key: ctx.auditors.alice,
      json:
        wrongOutcome === "incorrect" ? { outcome: "incorrect", errorType: "other" } : { outcome: "correct" },
    });
    expect(wrong.status).toBe(201);
    let scores = await goldScores(ctx.db, { auditor: "alice" });
    expect(scores.map((s) => [s.decisionId, s.correct, s.revision]).sort()).toEqual(
      [
        [a.decisionId, true, 1],
        [b.decisionId, false, 1],
      ].sort(),
    );
    expect(scores[0]).toMatchObject({ sampleId: ctx.sample, auditor: "alice", queue: expect.any(String) });

    // A revision that gets it right: the latest revision counts.
    const answer = answerOf.get(b.decisionId)!;
    const revised = await ctx.call("PUT", verdictPath(ctx.sample, b.decisionId), {
      key: ctx.auditors.alice,
      json: { outcome: answer.outcome, errorType: answer.errorType, reason: "다시 확인" },
    });
    expect(revised.status).toBe(200);
    expect(revised.body).toMatchObject({ changed: true, revision: 2 });
    scores = await goldScores(ctx.db, { auditor: "alice" });
    expect(scores.find((s) => s.decisionId === b.decisionId)).toMatchObject({ correct: true, revision: 2 });
    const history = await ctx.db.values<[number, number]>(
      "SELECT revision, correct FROM gold_verdicts WHERE audit_id = ? ORDER BY revision",
      [verdictAuditId(ctx.sample, b.decisionId)],
    );
    expect(history).toEqual([
      [1, 0],
      [2, 1],
    ]);
    // Time and auditor filters.
    expect(await goldScores(ctx.db, { auditor: "bob" })).toEqual([]);
    expect(await goldScores(ctx.db, { fromMs: Date.now() + 60_000 })).toEqual([]);
    expect(await goldScores(ctx.db, { fromMs: 0, toMs: Date.now() + 60_000 })).toHaveLength(2);

    // Nothing a lead reads about audits, estimates or reports changed; the lead's gold view shows the verdicts.
    expect(await snapshot()).toEqual(before);
    const after = await slotsOf(ctx);
    expect(after.find((s) => s.decisionId === b.decisionId)!.verdict).toEqual({
      outcome: answer.outcome,
      errorType: answer.errorType,
      revision: 2,
      correct: true,
    });
    // The auditor's own summary counts them done.
    const summary = await ctx.call("GET", "/v1/work/summary", { key: ctx.auditors.alice });
    expect(summary.body.totals.done).toBe(8);
    // A sample with gold verdicts is not deleted (they are audits of the auditors).
    const deleted = await ctx.call("DELETE", `/v1/samples/${ctx.sample}`, { key: ctx.keys.lead });
    expect(deleted.status).toBe(409);
    // Replacing the assignment keeps the gold rows with verdicts, with their auditor.
    const replaced = await assign(ctx, { auditors: ["alice", "bob"], replace: true });
    expect(replaced.status, replaced.text).toBe(200);
    expect((await slotsOf(ctx)).map((s) => s.decisionId).sort()).toEqual([a.decisionId, b.decisionId].sort());
  });

  it("an auditor cannot record a verdict on another auditor's gold item", async () => {
    const ctx = await goldContext(
      20,
      Array.from({ length: 4 }, (_, i) => manualGold(i)),
    );
    await assign(ctx, { auditors: ["alice", "bob"], gold: { share: 0, perAuditorMin: 1 } });
    const bobs = (await slotsOf(ctx)).find((s) => s.auditor === "bob")!;
    const res = await ctx.call("PUT", verdictPath(ctx.sample, bobs.decisionId), {
      key: ctx.auditors.alice,
      json: { outcome: "correct" },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("not_assigned");
    expect(await goldScores(ctx.db)).toEqual([]);
  });

  it("a sample with gold verdicts is not deleted (409 sample_has_audits naming them); one without is", async () => {
    const ctx = await goldContext(
      20,
      Array.from({ length: 4 }, (_, i) => manualGold(i)),
    );
    await assign(ctx, { auditors: ["alice", "bob"], gold: { share: 0, perAuditorMin: 1 } });
    const alices = (await slotsOf(ctx)).find((s) => s.auditor === "alice")!;
    const verdict = await ctx.call("PUT", verdictPath(ctx.sample, alices.decisionId), {
      key: ctx.auditors.alice,
      json: { outcome: "correct" },
    });
    expect(verdict.status, verdict.text).toBe(201);
    const refused = await ctx.call("DELETE", `/v1/samples/${ctx.sample}`, { key: ctx.keys.lead });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: "sample_has_audits",
      // auditsNamingSample counts the verdicts on its gold items with its audits.
      details: [{ path: "id", audits: 1 }],
    });
    expect(await goldScores(ctx.db)).toHaveLength(1);
    const other = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population: ctx.population, strata: ["queue"], total: 5, seed: "other" },
    });
    const deleted = await ctx.call("DELETE", `/v1/samples/${other.body.id}`, { key: ctx.keys.lead });
    expect(deleted.status).toBe(200);
  });

  it("GET /v1/audits leaves out a gold-mixed sample's audits for auditor keys (the missing ones would be gold)", async () => {
    const ctx = await goldContext(
      20,
      Array.from({ length: 4 }, (_, i) => manualGold(i)),
    );
    await assign(ctx, { auditors: ["alice", "bob"], gold: { share: 0, perAuditorMin: 1 } });
    const gold = new Set((await slotsOf(ctx)).map((s) => s.decisionId));
    const queue = await wholeQueue(ctx, ctx.auditors.alice);
    const drawn = queue.find((item) => !gold.has(item.decisionId))!;
    const golden = queue.find((item) => gold.has(item.decisionId))!;
    for (const item of [drawn, golden]) {
      const res = await ctx.call("PUT", verdictPath(ctx.sample, item.decisionId), {
        key: ctx.auditors.alice,
        json: { outcome: "correct" },
      });
      expect(res.status, res.text).toBe(201);
    }
    const listed = async (key: string, format = "json") => {
      const res = await ctx.call("GET", `/v1/audits?sampleId=${ctx.sample}&format=${format}`, { key });
      expect(res.status, res.text).toBe(200);
      return res;
    };
    expect(
      (await listed(ctx.keys.lead)).body.audits.map((a: { decisionId: string }) => a.decisionId),
    ).toEqual([drawn.decisionId]);
    expect((await listed(ctx.auditors.alice)).body.audits).toEqual([]);
    expect((await listed(ctx.auditors.alice, "ndjson")).text).toBe("");
    // Its own verdicts, gold or not, are still in its queue.
    const done = (await wholeQueue(ctx, ctx.auditors.alice)).filter((item) => item.status === "done");
    expect(done.map((item) => item.decisionId).sort()).toEqual([drawn.decisionId, golden.decisionId].sort());
  });
});
