import { afterEach, describe, expect, it } from "vitest";
import { auditMatches } from "../../src/alerts/conditions/index.ts";
import { Alerting } from "../../src/alerts/index.ts";
import type { AuditConditionT } from "../../src/alerts/rules.ts";
import { reviseAudit } from "../../src/audits/revisions.ts";
import { auditMark } from "../../src/db/alert-audit-marks.ts";
import type { ApiKey } from "../../src/db/keys.ts";
import { startReceiver, storeAudits, type TestContext, testContext } from "../helpers.ts";

/**
 * Audit rules (critical-error escalation): one alert per matching audit, delivered through the webhooks,
 * resolved by a lead's acknowledgement with a note or by a correction that makes the audit stop matching.
 * The real process (SIGKILL between commit and delivery, latency to a receiver) is test/alerts/audit-rule-process.test.ts.
 */

const LEAD = { name: "lead key", role: "lead", rater: null, moderator: null } as const;

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

async function context() {
  return testContext({
    MODQC_WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
    MODQC_WEBHOOK_BACKOFF_MS: "10",
    MODQC_PUBLIC_URL: "https://modqc.example.com",
  });
}

async function receiver() {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

/** The demo's rule: any severity-4 false negative in the child-safety queue. */
const critical = {
  name: "Severity-4 false negative in child safety",
  condition: { kind: "audit", minSeverity: 4, errorTypes: ["false-negative"], queues: ["child-safety"] },
  severity: "critical",
};

async function createRule(ctx: TestContext, json: object = critical) {
  const res = await ctx.call("POST", "/v1/alert-rules", { key: ctx.keys.lead, json });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

async function webhook(ctx: TestContext, url: string, format = "modqc") {
  const res = await ctx.call("POST", "/v1/webhooks", { key: ctx.keys.admin, json: { url, format } });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

let counter = 0;
/** An audit (JSON for POST /v1/audits): a severity-4 false negative in child-safety unless overridden. */
function audit(fields: Record<string, unknown> = {}) {
  const id = `aud-${counter++}`;
  return {
    id,
    decisionId: `dec-${id}`,
    queue: "child-safety",
    moderator: "mod-7",
    auditor: "alice",
    outcome: "incorrect",
    errorType: "false-negative",
    severity: 4,
    policy: "CS-1.0",
    market: "KR",
    auditedAt: new Date(Date.now() - 60_000).toISOString(),
    notes: "missed a grooming pattern",
    ...fields,
  };
}

async function ingest(ctx: TestContext, rows: object[]) {
  const res = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: rows });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { inserted: number; duplicates: number };
}

async function alerts(ctx: TestContext, query = "") {
  const res = await ctx.call("GET", `/v1/alerts${query}`, { key: ctx.keys.viewer });
  expect(res.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers the test asserts on
  return res.body.alerts as Record<string, any>[];
}

async function revise(ctx: TestContext, id: string, json: object) {
  const res = await ctx.call("POST", `/v1/audits/${id}/revisions`, {
    key: ctx.keys.lead,
    json: { reason: "second review", ...json },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.changed).toBe(true);
}

async function deliveries(ctx: TestContext, hookId: string) {
  const res = await ctx.call("GET", `/v1/webhooks/${hookId}/deliveries`, { key: ctx.keys.admin });
  expect(res.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers the test asserts on
  return res.body.deliveries as Record<string, any>[];
}

describe("audit rule validation", () => {
  it("a valid audit rule reads back with its criteria, and no scope, groups or counters", async () => {
    const ctx = await context();
    const res = await ctx.call("POST", "/v1/alert-rules", { key: ctx.keys.lead, json: critical });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      condition: critical.condition,
      scope: {},
      groupBy: [],
      pendingEvaluations: 1,
      keepFiringEvaluations: 1,
    });
    const policiesOnly = await ctx.call("POST", "/v1/alert-rules", {
      key: ctx.keys.lead,
      json: { ...critical, condition: { kind: "audit", policies: ["CS-1.0"] } },
    });
    expect(policiesOnly.status).toBe(201);
  });

  it("refuses with 400 naming the field: no criterion, out-of-range severity, empty, repeated or unknown lists, scope, groupBy, counters", async () => {
    const ctx = await context();
    const base = { name: "x", severity: "critical" };
    const cases: [object, string][] = [
      [{ ...base, condition: { kind: "audit" } }, "condition"],
      [{ ...base, condition: { kind: "audit", minSeverity: 0 } }, "condition.minSeverity"],
      [{ ...base, condition: { kind: "audit", minSeverity: 5 } }, "condition.minSeverity"],
      [{ ...base, condition: { kind: "audit", minSeverity: 2.5 } }, "condition.minSeverity"],
      [{ ...base, condition: { kind: "audit", minSeverity: "4" } }, "condition.minSeverity"],
      [{ ...base, condition: { kind: "audit", errorTypes: [] } }, "condition.errorTypes"],
      [{ ...base, condition: { kind: "audit", errorTypes: ["typo"] } }, "condition.errorTypes.0"],
      [
        { ...base, condition: { kind: "audit", errorTypes: ["false-negative", "false-negative"] } },
        "condition.errorTypes",
      ],
      [{ ...base, condition: { kind: "audit", queues: [] } }, "condition.queues"],
      [{ ...base, condition: { kind: "audit", queues: [""] } }, "condition.queues.0"],
      [{ ...base, condition: { kind: "audit", queues: ["a", "a"] } }, "condition.queues"],
      [
        { ...base, condition: { kind: "audit", queues: Array.from({ length: 101 }, (_, i) => `q${i}`) } },
        "condition.queues",
      ],
      [{ ...base, condition: { kind: "audit", policies: ["x".repeat(501)] } }, "condition.policies.0"],
      [{ ...base, condition: { kind: "audit", policies: ["\ud800"] } }, "condition.policies.0"],
      [{ ...base, condition: { kind: "audit", minSeverity: 4, extra: 1 } }, "condition"],
      [{ ...base, condition: { kind: "audit", minSeverity: 4 }, scope: { queue: "x" } }, "scope"],
      [{ ...base, condition: { kind: "audit", minSeverity: 4 }, groupBy: ["moderator"] }, "groupBy"],
      [
        { ...base, condition: { kind: "audit", minSeverity: 4 }, pendingEvaluations: 2 },
        "pendingEvaluations",
      ],
      [
        { ...base, condition: { kind: "audit", minSeverity: 4 }, keepFiringEvaluations: 3 },
        "keepFiringEvaluations",
      ],
    ];
    for (const [json, path] of cases) {
      const res = await ctx.call("POST", "/v1/alert-rules", { key: ctx.keys.lead, json });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const rule = await createRule(ctx);
    const patch = await ctx.call("PATCH", `/v1/alert-rules/${rule.id}`, {
      key: ctx.keys.lead,
      json: { condition: { kind: "audit" } },
    });
    expect(patch.status).toBe(400);
    expect(patch.body.error.details[0].path).toBe("condition");
    expect((await ctx.call("GET", "/v1/alert-rules", { key: ctx.keys.viewer })).body.rules).toHaveLength(1);
  });
});

describe("audit rule matching", () => {
  const error = {
    id: "a",
    decisionId: "d",
    queue: "child-safety",
    market: null,
    policy: "CS-1.0",
    correctPolicy: null,
    moderator: "m",
    auditor: "alice",
    outcome: "incorrect" as const,
    errorType: "false-negative" as const,
    severity: 4 as number | null,
    notes: null,
    auditedAt: "2026-01-01T00:00:00Z",
    sampleId: null,
    revision: 1,
  };
  const rule: AuditConditionT = {
    kind: "audit",
    minSeverity: 3,
    errorTypes: ["false-negative", "wrong-policy"],
    queues: ["child-safety", "csam"],
    policies: ["CS-1.0"],
  };

  it("every criterion given must hold; an absent severity never meets minSeverity; correct audits never match", () => {
    expect(auditMatches(rule, error)).toBe(true);
    expect(auditMatches(rule, { ...error, severity: 3 })).toBe(true);
    expect(auditMatches(rule, { ...error, severity: 2 })).toBe(false);
    expect(auditMatches(rule, { ...error, severity: null })).toBe(false);
    expect(auditMatches(rule, { ...error, errorType: "false-positive" })).toBe(false);
    expect(auditMatches(rule, { ...error, errorType: "wrong-policy" })).toBe(true);
    expect(auditMatches(rule, { ...error, queue: "spam" })).toBe(false);
    expect(auditMatches(rule, { ...error, queue: "csam" })).toBe(true);
    expect(auditMatches(rule, { ...error, policy: "CS-2.0" })).toBe(false);
    expect(auditMatches(rule, { ...error, policy: null })).toBe(false);
    expect(auditMatches(rule, { ...error, outcome: "correct", errorType: null })).toBe(false);
    // A correct audit with a severity is no error: a severity-only rule does not fire on it.
    expect(
      auditMatches({ kind: "audit", minSeverity: 1 }, { ...error, outcome: "correct", errorType: null }),
    ).toBe(false);
    expect(auditMatches({ kind: "audit", minSeverity: 1 }, { ...error, queue: "spam", policy: null })).toBe(
      true,
    );
    expect(auditMatches({ kind: "audit", queues: ["child-safety"] }, { ...error, severity: null })).toBe(
      true,
    );
  });

  it("fires one alert per matching audit, none for the others; labels carry the audit id, evidence the audit", async () => {
    const ctx = await context();
    const rule = await createRule(ctx);
    const hit = audit({ sampleId: null, correctPolicy: null });
    const rows = [
      hit,
      audit({ severity: 3 }),
      audit({ severity: undefined }),
      audit({ errorType: "false-positive" }),
      audit({ queue: "spam" }),
      audit({ outcome: "correct", errorType: undefined, severity: 4 }),
    ];
    const second = audit({ moderator: "mod-9" });
    expect(await ingest(ctx, [...rows, second])).toEqual({ inserted: 7, duplicates: 0 });
    const list = await alerts(ctx);
    expect(list.map((a) => a.labels).sort((a, b) => a.audit.localeCompare(b.audit))).toEqual(
      [
        { audit: hit.id, queue: "child-safety" },
        { audit: second.id, queue: "child-safety" },
      ].sort((a, b) => a.audit.localeCompare(b.audit)),
    );
    const alert = list.find((a) => a.labels.audit === hit.id)!;
    expect(alert).toMatchObject({
      ruleId: rule.id,
      state: "firing",
      severity: "critical",
      value: null,
      threshold: null,
      signal: null,
      link: `/v1/audits/${hit.id}/history`,
      evidence: {
        kind: "audit",
        audit: {
          id: hit.id,
          decisionId: hit.decisionId,
          queue: "child-safety",
          market: "KR",
          policy: "CS-1.0",
          correctPolicy: null,
          moderator: "mod-7",
          auditor: "alice",
          outcome: "incorrect",
          errorType: "false-negative",
          severity: 4,
          notes: "missed a grooming pattern",
          auditedAt: hit.auditedAt,
          sampleId: null,
          revision: 1,
        },
      },
    });
    expect(alert.summary).toContain(hit.id);
    expect(alert.summary).toContain("mod-7");
    // One fingerprint per (rule, audit).
    expect(new Set(list.map((a) => a.fingerprint)).size).toBe(2);
  });

  it("audits stored before the rule was created, or while it was disabled, never fire", async () => {
    const ctx = await context();
    const before = audit();
    await ingest(ctx, [before]);
    const rule = await createRule(ctx);
    await ctx.alerts.flush();
    expect(await alerts(ctx)).toEqual([]);
    const off = await ctx.call("PATCH", `/v1/alert-rules/${rule.id}`, {
      key: ctx.keys.lead,
      json: { enabled: false },
    });
    expect(off.status).toBe(200);
    await ingest(ctx, [audit()]);
    await ctx.call("PATCH", `/v1/alert-rules/${rule.id}`, { key: ctx.keys.lead, json: { enabled: true } });
    expect(await alerts(ctx)).toEqual([]);
    const after = audit();
    await ingest(ctx, [after]);
    expect((await alerts(ctx)).map((a) => a.labels.audit)).toEqual([after.id]);
  });

  it("the same audit sent again (a duplicate) fires once", async () => {
    const ctx = await context();
    const rcv = await receiver();
    const hook = await webhook(ctx, rcv.url);
    await createRule(ctx);
    const row = audit();
    await ingest(ctx, [row]);
    await ctx.alerts.flush();
    expect(await ingest(ctx, [row])).toEqual({ inserted: 0, duplicates: 1 });
    await ctx.alerts.flush();
    expect(await ingest(ctx, [row, row])).toEqual({ inserted: 0, duplicates: 2 });
    await ctx.alerts.worker.runDue();
    expect(await alerts(ctx)).toHaveLength(1);
    expect(await deliveries(ctx, hook.id)).toHaveLength(1);
    expect(rcv.requests).toHaveLength(1);
  });

  it("more audits than one pass reads (one upload) fire exactly the matching ones, once each", async () => {
    const ctx = await context();
    await createRule(ctx, { ...critical, condition: { kind: "audit", minSeverity: 4 } });
    const at = new Date(Date.now() - 60_000).toISOString();
    const rows = Array.from({ length: 4_500 }, (_, i) => ({
      id: `bulk-${i}`,
      auditedAt: at,
      incorrect: i % 100 === 0 || i === 1999 || i === 2000 || i === 4499,
      severity: 4,
    }));
    await storeAudits(ctx.db, rows);
    ctx.alerts.auditsIngested(rows.length);
    const list = await alerts(ctx, "?limit=1000");
    const expected = rows.filter((r) => r.incorrect).map((r) => r.id);
    expect(list.map((a) => a.labels.audit).sort()).toEqual(expected.sort());
  });
});

describe("audit rule lifecycle", () => {
  it("a correction that makes the audit stop matching resolves its alert; one that makes it match again fires a new one", async () => {
    const ctx = await context();
    const rcv = await receiver();
    await webhook(ctx, rcv.url);
    await createRule(ctx);
    const row = audit();
    await ingest(ctx, [row]);
    const [fired] = await alerts(ctx);
    expect(fired.state).toBe("firing");

    await revise(ctx, row.id, { notes: "clearer notes" }); // still matches: the evidence follows, no notification
    let [alert] = await alerts(ctx);
    expect(alert).toMatchObject({ id: fired.id, state: "firing" });
    expect(alert.evidence.audit).toMatchObject({ notes: "clearer notes", revision: 2 });

    await revise(ctx, row.id, { outcome: "correct" }); // overturned
    [alert] = await alerts(ctx);
    expect(alert).toMatchObject({ id: fired.id, state: "resolved" });
    expect(alert.resolution).toContain("no longer matches");

    await revise(ctx, row.id, { outcome: "incorrect", errorType: "false-negative" }); // back
    const list = await alerts(ctx);
    expect(list.map((a) => a.state).sort()).toEqual(["firing", "resolved"]);
    expect(list[0].fingerprint).toBe(list[1].fingerprint);

    await ctx.alerts.worker.runDue();
    expect(rcv.requests.map((r) => r.headers["modqc-event"])).toEqual([
      "alert.firing",
      "alert.resolved",
      "alert.firing",
    ]);
  });

  it("a correction of an audit stored before the rule fires when it makes the audit match, and not otherwise", async () => {
    const ctx = await context();
    const matching = audit();
    const harmless = audit({ severity: 2 });
    await ingest(ctx, [matching, harmless]);
    await createRule(ctx);
    await revise(ctx, matching.id, { notes: "history stays quiet" });
    expect(await alerts(ctx)).toEqual([]);
    await revise(ctx, harmless.id, { severity: 4 });
    const list = await alerts(ctx);
    expect(list.map((a) => [a.labels.audit, a.state])).toEqual([[harmless.id, "firing"]]);
    expect(list[0].evidence.audit).toMatchObject({ severity: 4, revision: 2 });
  });

  it("an audit corrected before the rule looked at it is judged as it is then, never twice", async () => {
    const ctx = await context();
    await createRule(ctx);
    const overturned = audit();
    const upgraded = audit({ severity: 1 });
    await ingest(ctx, [overturned, upgraded]);
    // Corrected in the database before any evaluation (no hook called: as if the process had died meanwhile).
    const lead: ApiKey = { ...LEAD, id: "k", prefix: "mqc_", createdAt: "", revokedAt: null };
    await reviseAudit(ctx.db, lead, overturned.id, { outcome: "correct" }, "overturned");
    await reviseAudit(ctx.db, lead, upgraded.id, { severity: 4 }, "upgraded");
    const list = await alerts(ctx);
    expect(list.map((a) => [a.labels.audit, a.state])).toEqual([[upgraded.id, "firing"]]);
    expect(list[0].evidence.audit).toMatchObject({ severity: 4, revision: 2 });
    await reviseAudit(ctx.db, lead, upgraded.id, { severity: 3 }, "downgraded");
    ctx.alerts.auditsRevised();
    expect((await alerts(ctx)).map((a) => a.state)).toEqual(["resolved"]);
  });

  it("a lead's acknowledgement with a note resolves it; without a note, or from an auditor, it is only acknowledged", async () => {
    const ctx = await context();
    const rcv = await receiver();
    await webhook(ctx, rcv.url);
    await createRule(ctx);
    const row = audit();
    await ingest(ctx, [row]);
    const [alert] = await alerts(ctx);

    const byAuditor = await ctx.call("POST", `/v1/alerts/${alert.id}/ack`, {
      key: ctx.keys.auditor,
      json: { note: "seen" },
    });
    expect(byAuditor.status).toBe(200);
    expect(byAuditor.body).toMatchObject({
      state: "firing",
      acknowledged: true,
      acknowledgedBy: "auditor key",
    });
    const noNote = await ctx.call("POST", `/v1/alerts/${alert.id}/ack`, { key: ctx.keys.lead, json: {} });
    expect(noNote.body).toMatchObject({ state: "firing" });
    const blank = await ctx.call("POST", `/v1/alerts/${alert.id}/ack`, {
      key: ctx.keys.lead,
      json: { note: "  " },
    });
    expect(blank.body).toMatchObject({ state: "firing" });

    const resolved = await ctx.call("POST", `/v1/alerts/${alert.id}/ack`, {
      key: ctx.keys.lead,
      json: { note: "moderator coached; content removed" },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      state: "resolved",
      acknowledged: true,
      ackNote: "moderator coached; content removed",
      resolution: "acknowledged by lead key: moderator coached; content removed",
    });
    expect(
      (await ctx.call("POST", `/v1/alerts/${alert.id}/ack`, { key: ctx.keys.lead, json: { note: "again" } }))
        .status,
    ).toBe(409);
    // Re-sending the audit does not fire again, nor does a later correction reopen or touch it.
    await ingest(ctx, [row]);
    await revise(ctx, row.id, { notes: "after the ack" });
    expect((await alerts(ctx)).map((a) => a.state)).toEqual(["resolved"]);

    await ctx.alerts.worker.runDue();
    expect(rcv.requests.map((r) => r.headers["modqc-event"])).toEqual([
      "alert.firing",
      "alert.acknowledged",
      "alert.resolved",
    ]);
    const last = JSON.parse(rcv.requests[2].body);
    expect(last.alert).toMatchObject({ state: "resolved", ackNote: "moderator coached; content removed" });
  });

  it("a threshold rule's alert is still only acknowledged by a lead's note (it resolves on its own)", async () => {
    const ctx = await context();
    await createRule(ctx, {
      name: "rate",
      condition: { kind: "threshold", maxRate: 0.1, window: { days: 1 } },
      severity: "warning",
    });
    await ingest(ctx, [audit(), audit()]);
    const [alert] = await alerts(ctx);
    const res = await ctx.call("POST", `/v1/alerts/${alert.id}/ack`, {
      key: ctx.keys.lead,
      json: { note: "ok" },
    });
    expect(res.body).toMatchObject({ state: "firing", acknowledged: true });
  });

  it("changing or deleting the rule resolves its open alerts; its mark goes with it", async () => {
    const ctx = await context();
    const rule = await createRule(ctx);
    await ingest(ctx, [audit()]);
    expect((await alerts(ctx))[0].state).toBe("firing");
    const changed = await ctx.call("PATCH", `/v1/alert-rules/${rule.id}`, {
      key: ctx.keys.lead,
      json: { condition: { kind: "audit", minSeverity: 3 } },
    });
    expect(changed.status).toBe(200);
    expect((await alerts(ctx))[0]).toMatchObject({ state: "resolved", resolution: "rule changed" });
    expect(await auditMark(ctx.db, rule.id)).toBeDefined();
    await ctx.call("DELETE", `/v1/alert-rules/${rule.id}`, { key: ctx.keys.lead });
    expect(await auditMark(ctx.db, rule.id)).toBeUndefined();
  });
});

describe("audit rule delivery", () => {
  it("all three formats carry the audit: modqc (the evidence), Alertmanager (labels, description), Slack (text)", async () => {
    const ctx = await context();
    const [modqc, am, slack] = [await receiver(), await receiver(), await receiver()];
    await webhook(ctx, modqc.url, "modqc");
    await webhook(ctx, am.url, "alertmanager");
    await webhook(ctx, slack.url, "slack");
    const rule = await createRule(ctx);
    const row = audit({ correctPolicy: "CS-1.1", sampleId: null, notes: "<script>&" });
    await ingest(ctx, [row]);
    const [alert] = await alerts(ctx);
    await ctx.alerts.worker.runDue();

    const m = JSON.parse(modqc.requests[0].body);
    expect(m).toMatchObject({
      event: "alert.firing",
      alert: { id: alert.id, evidence: { kind: "audit", audit: { id: row.id, correctPolicy: "CS-1.1" } } },
      rule: { id: rule.id, kind: "audit", severity: "critical" },
      links: {
        alert: `https://modqc.example.com/v1/alerts/${alert.id}`,
        evidence: `https://modqc.example.com/v1/audits/${row.id}/history`,
      },
    });
    expect(m).not.toHaveProperty("alert.evidence.interval");

    const a = JSON.parse(am.requests[0].body);
    expect(a.status).toBe("firing");
    expect(a.alerts[0].labels).toEqual({
      alertname: critical.name,
      severity: "critical",
      rule_id: rule.id,
      audit: row.id,
      queue: "child-safety",
    });
    // Each audit its own Alertmanager group: a receiver keying incidents on groupKey keeps them apart.
    expect(a.groupKey).toBe(
      `{}:{alertname=${JSON.stringify(critical.name)}, audit=${JSON.stringify(row.id)}}`,
    );
    expect(a.groupLabels).toEqual({ alertname: critical.name, audit: row.id });
    const description = a.alerts[0].annotations.description as string;
    for (const part of [
      row.id,
      row.decisionId,
      "false-negative",
      "severity 4",
      "mod-7",
      "alice",
      "CS-1.1",
      "KR",
    ])
      expect(description).toContain(part);

    const s = JSON.parse(slack.requests[0].body);
    expect(s.text).toContain("[FIRING]");
    const text = JSON.stringify(s.blocks);
    expect(text).toContain(row.id);
    expect(text).toContain("&lt;script&gt;&amp;");
    expect(text).not.toContain("<script>");
  });

  it("a restart between the audit's commit and the evaluation loses nothing: the next runtime catches up, once", async () => {
    const ctx = await context();
    const rcv = await receiver();
    const hook = await webhook(ctx, rcv.url);
    await createRule(ctx);
    const row = audit();
    await ingest(ctx, [row]); // the first runtime never evaluates (it "died")
    const restarted = new Alerting({ db: ctx.db, config: ctx.config, logger: { info() {}, error() {} } });
    await restarted.flush();
    await restarted.flush();
    await restarted.worker.runDue();
    await ctx.alerts.flush(); // the old runtime, were it still alive, finds nothing left to do
    await ctx.alerts.worker.runDue();
    expect((await alerts(ctx)).map((a) => a.labels.audit)).toEqual([row.id]);
    expect(await deliveries(ctx, hook.id)).toHaveLength(1);
    expect(rcv.requests).toHaveLength(1);
  });
});
