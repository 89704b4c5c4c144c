import { describe, expect, it } from "vitest";
import { verdictAuditId } from "../../src/sampling/verdict-id.ts";
import { assign, goldContext, manualGold, slotsOf, verdictPath, wholeQueue } from "./fixture.ts";

/** The JSON shape of a value: key sets of objects (sorted) and the type of every leaf. */
function shape(value: unknown): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k])]),
    );
  }
  return typeof value;
}

describe("gold items are blind in the auditor's queue", () => {
  it("no field set, value shape, place or verdict answer tells an auditor's gold items from the drawn ones", async () => {
    const ctx = await goldContext(
      80,
      Array.from({ length: 16 }, (_, i) => manualGold(i)),
    );
    const res = await assign(ctx, { auditors: ["alice", "bob"], gold: { share: 0.1, perAuditorMin: 2 } });
    expect(res.status, res.text).toBe(200);
    const goldIds = new Set(
      (await slotsOf(ctx)).filter((s) => s.auditor === "alice").map((s) => s.decisionId),
    );
    expect(goldIds.size).toBe(4);

    const queue = await wholeQueue(ctx, ctx.auditors.alice);
    expect(queue).toHaveLength(44);
    const gold = queue.filter((item) => goldIds.has(item.decisionId));
    const real = queue.filter((item) => !goldIds.has(item.decisionId));
    expect(gold).toHaveLength(4);
    // The same keys and value types (context included), everywhere.
    const realShapes = new Set(real.map((item) => JSON.stringify(shape(item))));
    for (const item of gold) expect(realShapes).toContain(JSON.stringify(shape(item)));
    // Plausible values: a stratum, queue and market of the sample, counts that include gold.
    const strata = new Set(real.map((item) => item.stratum));
    for (const item of gold) {
      expect(strata).toContain(item.stratum);
      expect(item.stratum).toBe(`queue=${item.queue}`);
      expect(item.market).toBe("KR");
      expect(item.auditorItems).toBe(44);
      expect(item.sampleItems).toBe(88);
      expect(item.status).toBe("todo");
    }
    for (const item of queue) expect(item.samplePosition).toBeLessThanOrEqual(item.sampleItems);
    // Numbered 1 … 44 in queue order, sample positions increasing.
    expect(queue.map((item) => item.position)).toEqual(Array.from({ length: 44 }, (_, i) => i + 1));
    const samplePositions = queue.map((item) => item.samplePosition);
    expect([...samplePositions].sort((a, b) => a - b)).toEqual(samplePositions);
    // Not clustered at the end or the start: the gold items' places spread over the queue.
    const places = gold.map((item) => item.position);
    expect(Math.min(...places)).toBeLessThan(40);
    expect(Math.max(...places)).toBeGreaterThan(5);
    expect(new Set(places.map((p) => Math.floor((p - 1) / 11))).size).toBeGreaterThan(1);

    // The summary counts them as the auditor's items.
    const summary = await ctx.call("GET", "/v1/work/summary", { key: ctx.auditors.alice });
    expect(summary.body.samples[0]).toMatchObject({ drawn: 88, assigned: 44, done: 0, todo: 44 });

    // The verdict PUT answers a gold item exactly as a drawn one: status, keys, auditId form, revisions.
    const answers = [];
    for (const item of [gold[0], real[0], gold[1], real[1]]) {
      const body = { outcome: "incorrect", errorType: "false-positive", severity: 2, notes: "확인" };
      const first = await ctx.call("PUT", verdictPath(ctx.sample, item.decisionId), {
        key: ctx.auditors.alice,
        json: body,
      });
      const again = await ctx.call("PUT", verdictPath(ctx.sample, item.decisionId), {
        key: ctx.auditors.alice,
        json: body,
      });
      const revised = await ctx.call("PUT", verdictPath(ctx.sample, item.decisionId), {
        key: ctx.auditors.alice,
        json: { outcome: "correct", reason: "다시 봄" },
      });
      const other = await ctx.call("PUT", verdictPath(ctx.sample, item.decisionId), {
        key: ctx.auditors.bob,
        json: { outcome: "correct" },
      });
      const bad = await ctx.call("PUT", verdictPath(ctx.sample, item.decisionId), {
        key: ctx.auditors.alice,
        json: { outcome: "incorrect" },
      });
      expect(first.status, first.text).toBe(201);
      expect(first.body.verdict.auditId).toBe(verdictAuditId(ctx.sample, item.decisionId));
      expect(revised.body.verdict).toMatchObject({ outcome: "correct", revision: 2, errorType: null });
      answers.push(
        [first, again, revised, other, bad].map((r) => ({
          status: r.status,
          shape: shape(
            r.body.error
              ? { ...r.body, error: { ...r.body.error, message: "" } }
              : { ...r.body, context: {} },
          ),
          code: r.body.error?.code,
          revision: r.body.revision,
          created: r.body.created,
          changed: r.body.changed,
        })),
      );
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[2]).toEqual(answers[1]);
    expect(answers[3]).toEqual(answers[1]);
    expect(answers[0].map((a) => a.status)).toEqual([201, 200, 200, 403, 400]);

    // Afterwards the queue still shows both kinds alike: done, with the verdict in the same shape.
    const after = await wholeQueue(ctx, ctx.auditors.alice);
    const byId = new Map(after.map((item) => [item.decisionId, item]));
    expect(shape(byId.get(gold[0].decisionId))).toEqual(shape(byId.get(real[0].decisionId)));
    expect(byId.get(gold[0].decisionId).verdict).toMatchObject({
      auditor: "alice",
      outcome: "correct",
      revision: 2,
      recordedBy: "alice",
    });
    const done = await ctx.call("GET", "/v1/work?status=done", { key: ctx.auditors.alice });
    expect(done.body.items.map((i: { decisionId: string }) => i.decisionId).sort()).toEqual(
      [gold[0], real[0], gold[1], real[1]].map((i) => i.decisionId).sort(),
    );
    // The audit history of a verdict id answers alike (the one leak the issue names): revisions 1 and 2.
    const histories = [];
    for (const item of [gold[0], real[0]]) {
      const history = await ctx.call(
        "GET",
        `/v1/audits/${verdictAuditId(ctx.sample, item.decisionId)}/history`,
        { key: ctx.auditors.alice },
      );
      expect(history.status).toBe(200);
      histories.push(
        history.body.revisions.map((r: Record<string, unknown>) => ({ ...r, changedAt: typeof r.changedAt })),
      );
    }
    expect(histories[0]).toEqual(histories[1]);
    expect(histories[0]).toEqual([
      expect.objectContaining({
        revision: 1,
        outcome: "incorrect",
        errorType: "false-positive",
        changedBy: "alice",
      }),
      expect.objectContaining({ revision: 2, outcome: "correct", reason: "다시 봄", changedBy: "alice" }),
    ]);
    // So does a correction through POST /v1/audits/{id}/revisions (own, same again, another auditor's, invalid).
    const corrections = [];
    for (const item of [gold[1], real[1]]) {
      const path = `/v1/audits/${verdictAuditId(ctx.sample, item.decisionId)}/revisions`;
      const calls = [
        await ctx.call("POST", path, { key: ctx.auditors.alice, json: { notes: "메모", reason: "보충" } }),
        await ctx.call("POST", path, { key: ctx.auditors.alice, json: { notes: "메모" } }),
        await ctx.call("POST", path, { key: ctx.auditors.bob, json: { notes: "x" } }),
        await ctx.call("POST", path, { key: ctx.auditors.alice, json: { outcome: "incorrect" } }),
      ];
      corrections.push(
        calls.map((r) => ({
          status: r.status,
          code: r.body.error?.code,
          body: r.body.error ? undefined : { ...r.body, auditId: typeof r.body.auditId },
        })),
      );
    }
    expect(corrections[0]).toEqual(corrections[1]);
    expect(corrections[0].map((c) => c.status)).toEqual([200, 200, 403, 400]);
    expect(corrections[0][0].body).toEqual({ auditId: "string", changed: true, revision: 3 });
    // Skips behave alike too.
    const skip = (id: string) =>
      ctx.call("POST", `/v1/samples/${ctx.sample}/items/${id}/skip`, {
        key: ctx.auditors.alice,
        json: { reason: "content-unavailable" },
      });
    const [skippedGold, skippedReal] = [await skip(gold[2].decisionId), await skip(real[2].decisionId)];
    expect(skippedGold.status).toBe(skippedReal.status);
    expect(shape(skippedGold.body)).toEqual(shape(skippedReal.body));
  });

  it("auditor, viewer and moderator keys cannot list gold items or a sample's gold", async () => {
    const ctx = await goldContext(20, [manualGold(1), manualGold(2)], "s-1");
    await assign(ctx, { auditors: ["alice", "bob"], gold: { share: 0, perAuditorMin: 1 } });
    for (const key of [ctx.keys.auditor, ctx.keys.viewer, ctx.keys.moderator]) {
      expect((await ctx.call("GET", "/v1/gold", { key })).status).toBe(403);
      expect((await ctx.call("GET", `/v1/samples/${ctx.sample}/gold`, { key })).status).toBe(403);
      expect((await ctx.call("POST", "/v1/gold", { key, json: { items: [manualGold(3)] } })).status).toBe(
        403,
      );
      expect((await ctx.call("DELETE", "/v1/gold/g-x", { key })).status).toBe(403);
    }
    expect((await ctx.call("GET", "/v1/gold")).status).toBe(401);
    // The draw's own views list drawn items only, so an auditor key could diff them with its queue: refused.
    for (const path of [
      `/v1/samples/${ctx.sample}/items`,
      `/v1/samples/${ctx.sample}/items?auditor=alice`,
      `/v1/samples/${ctx.sample}/items?format=csv&template=audit`,
      `/v1/samples/${ctx.sample}/explain?decisionId=d-0001`,
    ]) {
      const refused = await ctx.call("GET", path, { key: ctx.keys.auditor });
      expect(refused.status, path).toBe(403);
      expect(refused.body.error.code).toBe("gold_blind_sample");
      expect((await ctx.call("GET", path, { key: ctx.keys.viewer })).status, path).toBe(200);
    }
    // The stored assignment that viewer keys read says nothing of gold.
    const sample = await ctx.call("GET", `/v1/samples/${ctx.sample}`, { key: ctx.keys.viewer });
    expect(JSON.stringify(sample.body)).not.toMatch(/gold/i);
  });
});
