import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDemo } from "../../scripts/demo.ts";
import { getDelivery, markDead } from "../../src/db/webhooks.ts";
import { type TestContext, testContext } from "../helpers.ts";

/**
 * The document against the service: every operation is called once with a successful request on the demo's
 * data, and each JSON answer is validated against the operation's declared response with Ajv (JSON Schema
 * 2020-12, the dialect of OpenAPI 3.1). Object schemas that do not say otherwise are closed for the test
 * (`unevaluatedProperties: false`), so a field the API returns but the document does not declare fails here.
 */
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Schema = Record<string, unknown>;
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}
interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

const isSchema = (value: unknown): value is Schema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A copy of a schema where `allOf` parts that are objects are merged into one object (so closing it does not
 * refuse the properties of the other parts) and every object with `properties` and no word on other properties
 * is closed.
 */
function closed(schema: unknown, components: Record<string, Schema>): unknown {
  if (Array.isArray(schema)) return schema.map((s) => closed(s, components));
  if (!isSchema(schema)) return schema;
  let node = schema;
  if (Array.isArray(node.allOf)) {
    const parts = node.allOf.map((part: Schema) =>
      typeof part.$ref === "string" ? components[part.$ref.split("/").pop()!] : part,
    );
    if (parts.every((part) => isSchema(part) && (part.properties || part.type === "object"))) {
      const { allOf: _allOf, ...rest } = node;
      node = {
        ...rest,
        type: "object",
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
        required: [...new Set(parts.flatMap((p) => (p.required as string[] | undefined) ?? []))],
      };
    }
  }
  const copy = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, closed(value, components)]),
  );
  if (
    copy.properties &&
    copy.additionalProperties === undefined &&
    copy.unevaluatedProperties === undefined
  ) {
    copy.unevaluatedProperties = false;
  }
  return copy;
}

function validators(doc: OpenApi) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  const components = Object.fromEntries(
    Object.entries(doc.components.schemas).map(([name, schema]) => [
      name,
      closed(schema, doc.components.schemas),
    ]),
  );
  ajv.addSchema({ $id: "modqc", components: { schemas: components } });
  const byOperation = new Map<string, { method: string; path: string; responses: Operation["responses"] }>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods))
      byOperation.set(op.operationId, { method, path, responses: op.responses });
  }
  const cache = new Map<string, ValidateFunction>();
  return {
    byOperation,
    validate(operationId: string, status: number, body: unknown) {
      const key = `${operationId} ${status}`;
      let validate = cache.get(key);
      if (!validate) {
        const schema =
          byOperation.get(operationId)?.responses[String(status)]?.content?.["application/json"]?.schema;
        if (!schema) throw new Error(`${operationId} does not declare a JSON ${status} answer`);
        const rewritten = JSON.parse(
          JSON.stringify(closed(schema, doc.components.schemas)).replaceAll(
            '"#/components',
            '"modqc#/components',
          ),
        );
        validate = ajv.compile(rewritten);
        cache.set(key, validate);
      }
      const ok = validate(body);
      return ok
        ? []
        : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
    },
  };
}

interface Step {
  operationId: string;
  method: string;
  path: string;
  key: string;
  json?: unknown;
  body?: string;
  type?: string;
  status?: number;
}

describe("the OpenAPI document describes every answer", () => {
  let ctx: TestContext;
  let server: ReturnType<typeof serve>;
  let doc: OpenApi;
  let demo: Awaited<ReturnType<typeof runDemo>>;

  beforeAll(async () => {
    ctx = await testContext({ MODQC_WEBHOOK_ALLOW_HOSTS: "127.0.0.1" });
    server = serve({ fetch: ctx.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    demo = await runDemo({
      url: `http://127.0.0.1:${port}`,
      adminKey: ctx.keys.admin,
      days: 10,
      log: () => {},
    });
    doc = (await ctx.call("GET", "/openapi.json")).body;
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it("every operation's successful JSON answer validates against its closed schema", async () => {
    const { keys } = ctx;
    const { byOperation, validate } = validators(doc);
    const lead = demo.keys.lead;
    const auditorKey = demo.keys.auditor;
    const called = new Set<string>();
    const failures: string[] = [];
    const get = async (path: string, key = lead) => (await ctx.call("GET", path, { key })).body;

    const run = async (step: Step) => {
      called.add(step.operationId);
      const declared = byOperation.get(step.operationId);
      expect(declared, step.operationId).toBeDefined();
      expect(step.method.toLowerCase()).toBe(declared!.method);
      const res = await ctx.call(step.method, step.path, {
        key: step.key,
        json: step.json,
        body: step.body,
        headers: step.type ? { "content-type": step.type } : undefined,
      });
      if (res.status !== (step.status ?? 200) && !(step.status === undefined && res.status < 300)) {
        failures.push(`${step.operationId}: ${res.status} ${res.text.slice(0, 300)}`);
        return res;
      }
      if (res.headers.get("content-type")?.startsWith("application/json")) {
        const errors = validate(step.operationId, res.status, res.body);
        if (errors.length)
          failures.push(`${step.operationId} ${step.method} ${step.path}: ${errors.slice(0, 8).join("; ")}`);
      }
      return res;
    };
    const step = (
      operationId: string,
      method: string,
      path: string,
      key: string,
      extra: Partial<Step> = {},
    ) => run({ operationId, method, path, key, ...extra });

    // Reads over the demo's data.
    await step("getHealth", "GET", "/health", "");
    const me = await step("getMe", "GET", "/v1/me", demo.keys.moderator);
    // The closing works: a field the document does not declare is refused.
    expect(validate("getMe", 200, { ...me.body, undeclared: 1 })).not.toEqual([]);
    await step("listKeys", "GET", "/v1/keys", keys.admin);
    await step("listAudits", "GET", "/v1/audits?limit=50", lead);
    await step("getQuality", "GET", "/v1/quality?groupBy=queue,market&weights=1,2,4,8", lead);
    await step(
      "getQuality",
      "GET",
      "/v1/quality?groupBy=moderator&limit=0.05&fdr=0.05&multiplicity=by",
      lead,
    );
    await step("getStoredChart", "GET", "/v1/charts?type=p", lead);
    await step("getStoredChart", "GET", "/v1/charts?type=bernoulli-cusum&p0=0.05&targetArl0=5000", lead);
    await step(
      "getStoredFunnel",
      "GET",
      "/v1/funnel?by=moderator&overdispersion=multiplicative&minAudited=1",
      lead,
    );
    await step("getPolicyConfusion", "GET", "/v1/policy-confusion", lead);
    const policy = (await get("/v1/audits?limit=1&outcome=incorrect")).audits[0].policy;
    const impact = `/v1/policy-impact?policy=${encodeURIComponent(policy)}&at=${demo.policyUpdate.slice(0, 10)}`;
    await step("getPolicyImpact", "GET", impact, lead);
    await step("listScorecards", "GET", "/v1/scorecards", lead);
    const someAudit = (await get("/v1/audits?limit=1&outcome=incorrect")).audits[0];
    await step("getScorecard", "GET", `/v1/scorecards/${encodeURIComponent(someAudit.moderator)}`, lead);
    await step("getAuditHistory", "GET", `/v1/audits/${encodeURIComponent(someAudit.id)}/history`, lead);
    await step("listTargets", "GET", "/v1/targets", lead);
    await step(
      "listFindings",
      "GET",
      `/v1/findings?moderator=${encodeURIComponent(someAudit.moderator)}`,
      lead,
    );
    await step("listUnreadFindings", "GET", "/v1/findings/unread", lead);
    await step("getDisputeStats", "GET", "/v1/disputes/stats", lead);
    const disputes = await step("listDisputes", "GET", "/v1/disputes", lead);
    const dispute = disputes.body.disputes[0];
    await step("getDispute", "GET", `/v1/disputes/${dispute.id}`, lead);
    await step("listCalibrations", "GET", "/v1/calibrations", lead);
    await step("getCalibration", "GET", `/v1/calibrations/${demo.calibrations.closed}`, lead);
    await step("getCalibrationReport", "GET", `/v1/calibrations/${demo.calibrations.closed}/report`, lead);
    await step(
      "getCalibrationLatentClass",
      "GET",
      `/v1/calibrations/${demo.calibrations.closed}/latent-class`,
      lead,
    );
    const closedSession = await get(`/v1/calibrations/${demo.calibrations.closed}`);
    const rater = closedSession.raters[0];
    await step(
      "getCalibrationRatings",
      "GET",
      `/v1/calibrations/${demo.calibrations.closed}/ratings/${encodeURIComponent(rater)}`,
      lead,
    );
    await step("listPopulations", "GET", "/v1/populations", lead);
    const population = (await get("/v1/populations")).populations[0];
    await step("getPopulation", "GET", `/v1/populations/${population.id}`, lead);
    await step("listSamples", "GET", "/v1/samples", lead);
    const sampleId = demo.sample!;
    await step("getSample", "GET", `/v1/samples/${sampleId}`, lead);
    await step("listSampleItems", "GET", `/v1/samples/${sampleId}/items?limit=20`, lead);
    await step("getSampleEstimate", "GET", `/v1/samples/${sampleId}/estimate`, lead);
    const drawnItem = (await get(`/v1/samples/${sampleId}/items?limit=1`)).items[0];
    const explain = `/v1/samples/${sampleId}/explain?decisionId=${encodeURIComponent(drawnItem.decisionId ?? drawnItem.id)}`;
    await step("explainSample", "GET", explain, lead);
    await step("listAlertRules", "GET", "/v1/alert-rules", lead);
    const rules = (await get("/v1/alert-rules")).rules;
    await step("getAlertRule", "GET", `/v1/alert-rules/${rules[0].id}`, lead);
    const alerts = await step("listAlerts", "GET", "/v1/alerts?state=firing", lead);
    expect(alerts.body.alerts.length, "the demo leaves a firing alert").toBeGreaterThan(0);
    await step("getAlert", "GET", `/v1/alerts/${alerts.body.alerts[0].id}`, lead);
    await step("acknowledgeAlert", "POST", `/v1/alerts/${alerts.body.alerts[0].id}/ack`, lead, {
      json: { note: "on it" },
    });
    await step("listWebhooks", "GET", "/v1/webhooks", keys.admin);
    const webhookId = demo.webhooks[0];
    await step("getWebhook", "GET", `/v1/webhooks/${webhookId}`, keys.admin);
    const deliveries = await step(
      "listWebhookDeliveries",
      "GET",
      `/v1/webhooks/${webhookId}/deliveries`,
      keys.admin,
    );
    await step("listWork", "GET", "/v1/work", auditorKey);
    await step("getWorkSummary", "GET", "/v1/work/summary", auditorKey);
    await step("listReviewWork", "GET", "/v1/work/reviews", auditorKey);

    // Calculators.
    await step("calculateSampleSize", "POST", "/v1/sample-size", "", { json: { margin: 0.05 } });
    await step("calculateInterval", "POST", "/v1/interval", "", { json: { count: 3, n: 100 } });
    await step("calculateAllocation", "POST", "/v1/allocation", "", {
      json: {
        method: "proportional",
        total: 100,
        strata: [
          { key: "a", size: 1000 },
          { key: "b", size: 3000 },
        ],
      },
    });
    await step("computeChart", "POST", "/v1/chart", "", {
      json: { type: "p", points: [1, 2, 3, 2, 9, 1].map((count) => ({ count, n: 100 })) },
    });
    await step("computeChart", "POST", "/v1/chart", "", {
      json: {
        type: "bernoulli-cusum",
        points: [0, 1, 0, 0, 1, 1].map((count) => ({ count, n: 1 })),
        bernoulli: { p0: 0.1, oddsRatio: 2, h: 2 },
      },
    });
    await step("designChart", "POST", "/v1/chart-design", "", {
      json: { type: "cusum", k: 0.5, h: 4, p0: 0.05, n: 100, p1: 0.1 },
    });
    await step("computeFunnel", "POST", "/v1/funnel", "", {
      json: {
        units: [
          { key: "a", count: 3, n: 100 },
          { key: "b", count: 12, n: 150 },
          { key: 7, count: 1, n: 40 },
        ],
      },
    });
    await step("compareRates", "POST", "/v1/compare", "", {
      json: { a: { count: 10, n: 200 }, b: { count: 4, n: 210 } },
    });
    await step("computeAgreement", "POST", "/v1/agreement", "", {
      json: {
        ratings: [
          ["ok", "ok", "hate"],
          ["hate", "hate", "hate"],
          ["ok", null, "ok"],
        ],
      },
    });
    await step("computeLatentClass", "POST", "/v1/latent-class", "", {
      json: {
        ratings: [
          ["ok", "ok", "hate"],
          ["hate", "hate", "hate"],
          ["ok", null, "ok"],
        ],
        gold: [null, "hate", null],
      },
    });

    // Writes.
    const created = await step("createKey", "POST", "/v1/keys", keys.admin, {
      json: { name: "contract", role: "viewer" },
    });
    await step("revokeKey", "DELETE", `/v1/keys/${created.body.id}`, keys.admin);
    const audit = {
      id: "contract-1",
      decisionId: "d-contract-1",
      queue: "spam",
      moderator: "mod-1",
      auditor: "alice",
      outcome: "incorrect",
      errorType: "false-positive",
      severity: 2,
      auditedAt: "2026-11-24T09:30:00+09:00",
    };
    await step("uploadAudits", "POST", "/v1/audits", keys.auditor, { json: [audit] });
    await step("correctAudit", "POST", "/v1/audits/contract-1/revisions", keys.auditor, {
      json: { outcome: "correct", errorType: null, severity: null, reason: "second look" },
    });
    await step("disputeAudit", "POST", `/v1/audits/${encodeURIComponent(someAudit.id)}/disputes`, lead, {
      json: { reason: "the policy allows it" },
    });
    const finding = (
      await get(`/v1/audits?limit=1&outcome=incorrect&moderator=${encodeURIComponent(me.body.moderator)}`)
    ).audits[0];
    await step(
      "acknowledgeFinding",
      "POST",
      `/v1/audits/${encodeURIComponent(finding.id)}/ack`,
      demo.keys.moderator,
    );
    const escalated = (await get("/v1/disputes?state=escalated")).disputes as { id: string }[];
    expect(escalated.length, "the demo leaves an escalated dispute").toBeGreaterThan(0);
    await step("decideDispute", "POST", `/v1/disputes/${escalated[0].id}/decision`, lead, {
      json: { final: "upheld", note: "checked" },
    });
    const reviews = (await get("/v1/work/reviews", auditorKey)).reviews ?? [];
    if (reviews.length) {
      await step(
        "reviewDispute",
        "PUT",
        `/v1/disputes/${reviews[0].disputeId ?? reviews[0].id}/review`,
        auditorKey,
        {
          json: { outcome: "correct" },
        },
      );
    }
    await step("setTarget", "PUT", "/v1/targets/contract-queue", lead, { json: { target: 0.05 } });
    await step("deleteTarget", "DELETE", "/v1/targets/contract-queue", lead);

    const session = await step("createCalibration", "POST", "/v1/calibrations", lead, {
      json: {
        name: "contract",
        categories: ["ok", "spam"],
        items: [{ id: "i-1" }, { id: "i-2", gold: "spam" }],
        raters: ["alice", "bob"],
      },
    });
    await step(
      "putCalibrationRatings",
      "PUT",
      `/v1/calibrations/${session.body.id}/ratings/alice`,
      keys.auditor,
      {
        json: { ratings: { "i-1": "ok", "i-2": null } },
      },
    );
    await step("addCalibrationRatings", "POST", `/v1/calibrations/${session.body.id}/ratings`, lead, {
      body: "item,rater,label\ni-1,bob,ok\ni-2,bob,spam\ni-2,alice,spam\n",
      type: "text/csv",
    });
    await step("closeCalibration", "POST", `/v1/calibrations/${session.body.id}/close`, lead);

    const uploaded = await step("uploadPopulation", "POST", "/v1/populations?name=contract", lead, {
      body: "id,queue,moderator,market\nc-1,spam,mod-1,KR\nc-2,spam,mod-2,\nc-3,hate,mod-1,JP\n",
      type: "text/csv",
    });
    const drawn = await step("drawSample", "POST", "/v1/samples", lead, {
      json: { population: uploaded.body.id, strata: ["queue"], total: 3, seed: "contract" },
    });
    // Gold items (issue 16): registered, mixed into the assignment, listed, the sample's gold, one retired.
    const gold = await step("registerGold", "POST", "/v1/gold", lead, {
      json: {
        items: ["g-c-1", "g-c-2"].map((decisionId) => ({
          decisionId,
          queue: "spam",
          moderator: "mod-9",
          url: "https://mod.example.com/g",
          context: { reporter: "r" },
          outcome: "incorrect",
          errorType: "false-negative",
        })),
      },
    });
    await step("assignSample", "POST", `/v1/samples/${drawn.body.id}/assign`, lead, {
      json: { auditors: ["alice"], gold: { share: 0, perAuditorMin: 1 } },
    });
    await step("listGold", "GET", "/v1/gold?limit=1", lead);
    const slots = await step("listSampleGold", "GET", `/v1/samples/${drawn.body.id}/gold`, lead);
    const slot = slots.body.slots[0].decisionId as string;
    const judged = await ctx.call("PUT", `/v1/samples/${drawn.body.id}/items/${slot}/verdict`, {
      key: keys.auditor,
      json: { outcome: "correct" },
    });
    expect(judged.status, judged.text).toBe(201);
    await step("listAuditorAccuracy", "GET", "/v1/auditors", lead);
    await step("retireGold", "DELETE", `/v1/gold/${gold.body.items[1].id}`, lead);
    const items = (await get(`/v1/samples/${drawn.body.id}/items`)).items as { id: string }[];
    await step(
      "recordVerdict",
      "PUT",
      `/v1/samples/${drawn.body.id}/items/${items[0].id}/verdict`,
      keys.auditor,
      {
        json: { outcome: "correct" },
      },
    );
    await step("skipItem", "POST", `/v1/samples/${drawn.body.id}/items/${items[1].id}/skip`, keys.auditor, {
      json: { reason: "other", note: "unclear" },
    });
    await step(
      "unskipItem",
      "DELETE",
      `/v1/samples/${drawn.body.id}/items/${items[1].id}/skip`,
      keys.auditor,
    );
    await step("reassignItems", "POST", `/v1/samples/${drawn.body.id}/items/reassign`, lead, {
      json: { items: [items[2].id], auditor: "bob" },
    });
    const doomed = (
      await ctx.call("POST", "/v1/populations", {
        key: lead,
        body: "id,queue,moderator\nx-1,spam,mod-1\n",
        headers: { "content-type": "text/csv" },
      })
    ).body.id;
    const doomedSample = (
      await ctx.call("POST", "/v1/samples", { key: lead, json: { population: doomed, total: 1 } })
    ).body.id;
    await step("deleteSample", "DELETE", `/v1/samples/${doomedSample}`, lead);
    await step("deletePopulation", "DELETE", `/v1/populations/${doomed}`, lead);

    const rule = await step("createAlertRule", "POST", "/v1/alert-rules", lead, {
      json: { name: "contract", condition: rules[0].condition, severity: "warning" },
    });
    await step("previewAlertRule", "POST", "/v1/alert-rules/preview", lead, {
      json: { ruleId: rule.body.id },
    });
    await step("updateAlertRule", "PATCH", `/v1/alert-rules/${rule.body.id}`, lead, {
      json: { enabled: false },
    });
    await step("deleteAlertRule", "DELETE", `/v1/alert-rules/${rule.body.id}`, lead);

    const hook = await step("createWebhook", "POST", "/v1/webhooks", keys.admin, {
      json: { url: "http://127.0.0.1:9/hook" },
    });
    await step("updateWebhook", "PATCH", `/v1/webhooks/${hook.body.id}`, keys.admin, {
      json: { enabled: true },
    });
    await step("disableWebhook", "POST", `/v1/webhooks/${hook.body.id}/disable`, keys.admin);
    await step("enableWebhook", "POST", `/v1/webhooks/${hook.body.id}/enable`, keys.admin);
    await step("deleteWebhook", "DELETE", `/v1/webhooks/${hook.body.id}`, keys.admin);
    // The alerting worker does not run here: a delivery is given up by hand so that it can be sent again.
    const delivery = await getDelivery(ctx.db, deliveries.body.deliveries[0].id);
    await markDead(ctx.db, delivery!, "test", Date.now());
    await step("redeliverDelivery", "POST", `/v1/deliveries/${delivery!.id}/redeliver`, keys.admin, {
      status: 202,
    });

    expect(failures).toEqual([]);
    const missing = [...byOperation.keys()].filter((id) => !called.has(id));
    expect(missing).toEqual([]);
  }, 120_000);
});
