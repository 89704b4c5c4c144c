import { describe, expect, it } from "vitest";
import { en } from "../../web/src/i18n/en.ts";
import { ko } from "../../web/src/i18n/ko.ts";
import { testContext } from "../helpers.ts";

/**
 * Every problem a page shows comes with a stable code and its parameters, which the dashboard renders in its
 * language; the English message stays for API users. Row-level errors of uploads carry the row and the field.
 */

interface Detail {
  path: string;
  row?: number;
  field?: string;
  code?: string;
  params?: Record<string, string | number>;
  message: string;
}

/** Each detail has a code the dashboard translates in both languages, and keeps its English message. */
function expectTranslatable(details: Detail[]) {
  expect(details.length).toBeGreaterThan(0);
  for (const detail of details) {
    expect(detail.code, JSON.stringify(detail)).toEqual(expect.any(String));
    expect(detail.params, JSON.stringify(detail)).toEqual(expect.any(Object));
    expect(detail.message).toEqual(expect.any(String));
    expect(Object.hasOwn(en, `detail.${detail.code}`), `detail.${detail.code} in en`).toBe(true);
    expect(Object.hasOwn(ko, `detail.${detail.code}`), `detail.${detail.code} in ko`).toBe(true);
  }
}

const csvHeaders = { "content-type": "text/csv" };

describe("row-level upload errors carry code, params, row and field", () => {
  it("audits (CSV): a bad decidedAt, a missing outcome, a severity out of range, an unknown field", async () => {
    const { call, keys } = await testContext();
    const body = [
      "id,decisionId,queue,moderator,auditor,outcome,errorType,severity,decidedAt,auditedAt,colour",
      "a1,d1,q,m,alice,correct,,,2026-13-45,2026-11-24T09:30:00Z,",
      "a2,d2,q,m,alice,,,,,2026-11-24T09:30:00Z,",
      "a3,d3,q,m,alice,incorrect,other,9,,2026-11-24T09:30:00Z,red",
    ].join("\n");
    const res = await call("POST", "/v1/audits", { key: keys.lead, body, headers: csvHeaders });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_rows");
    const details = res.body.error.details as Detail[];
    expectTranslatable(details);
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          row: 2,
          path: "decidedAt",
          field: "decidedAt",
          code: "invalid_timestamp",
          params: expect.objectContaining({ example: expect.any(String), timeZone: expect.any(String) }),
          message: expect.stringContaining("ISO 8601"),
        }),
        expect.objectContaining({ row: 3, field: "outcome", code: "required", params: {} }),
        expect.objectContaining({
          row: 4,
          field: "severity",
          code: "integer_between",
          params: { minimum: 1, maximum: 4 },
        }),
        expect.objectContaining({ row: 4, field: "colour", code: "unknown_field" }),
      ]),
    );
  });

  it("audits (JSON, rows counted from 0): an errorType outside the list names the accepted values; a non-object row is not_object", async () => {
    const { call, keys } = await testContext();
    const good = { id: "a1", decisionId: "d1", queue: "q", moderator: "m", auditor: "alice" };
    const res = await call("POST", "/v1/audits", {
      key: keys.lead,
      json: [
        { ...good, outcome: "incorrect", errorType: "typo", auditedAt: "2026-11-24T09:30:00Z" },
        42,
        { ...good, id: "a3", outcome: "correct", errorType: "other", auditedAt: "2026-11-24T09:30:00Z" },
      ],
    });
    expect(res.status).toBe(400);
    const details = res.body.error.details as Detail[];
    expectTranslatable(details);
    expect(details).toEqual([
      expect.objectContaining({
        row: 0,
        field: "errorType",
        code: "invalid_value",
        params: { values: "false-positive, false-negative, wrong-policy, other" },
      }),
      expect.objectContaining({ row: 1, field: "", code: "not_object" }),
      expect.objectContaining({
        row: 2,
        field: "errorType",
        code: "absent_when",
        params: { other: "outcome", value: "correct" },
      }),
    ]);
  });

  it("audits naming a sample that does not exist: sample_not_found with the id", async () => {
    const { call, keys } = await testContext();
    const res = await call("POST", "/v1/audits", {
      key: keys.lead,
      json: {
        id: "a1",
        decisionId: "d1",
        sampleId: "no-such-sample",
        queue: "q",
        moderator: "m",
        auditor: "alice",
        outcome: "correct",
        auditedAt: "2026-11-24T09:30:00Z",
      },
    });
    expect(res.status).toBe(400);
    expectTranslatable(res.body.error.details);
    expect(res.body.error.details[0]).toMatchObject({
      code: "sample_not_found",
      params: { sampleId: "no-such-sample" },
    });
  });

  it("audits of another rater (403 forbidden_rows): not_own_rater with the auditor", async () => {
    const { call, keys } = await testContext();
    const res = await call("POST", "/v1/audits", {
      key: keys.auditor,
      json: {
        id: "a1",
        decisionId: "d1",
        queue: "q",
        moderator: "m",
        auditor: "bob",
        outcome: "correct",
        auditedAt: "2026-11-24T09:30:00Z",
      },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden_rows");
    expectTranslatable(res.body.error.details);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ row: 0, path: "auditor", code: "not_own_rater", params: { auditor: "bob" } }),
    ]);
  });

  it("populations (CSV): required, too long, a bad timestamp and URL, a duplicate id, a missing column", async () => {
    const { call, keys } = await testContext();
    const long = "x".repeat(501);
    const rows = [
      "id,queue,moderator,decidedAt,url",
      "d1,,m,2026-11-23T10:00:00Z,",
      `d2,${long},m,2026-02-30T10:00:00Z,ftp://example.com/a`,
    ].join("\n");
    const res = await call("POST", "/v1/populations", { key: keys.lead, body: rows, headers: csvHeaders });
    expect(res.status).toBe(400);
    const details = res.body.error.details as Detail[];
    expectTranslatable(details);
    expect(details).toEqual([
      expect.objectContaining({ row: 2, path: "queue", field: "queue", code: "required" }),
      expect.objectContaining({
        row: 3,
        field: "queue",
        code: "too_big",
        params: { origin: "string", maximum: 500 },
      }),
      expect.objectContaining({ row: 3, field: "decidedAt", code: "invalid_timestamp" }),
      expect.objectContaining({ row: 3, field: "url", code: "invalid_url" }),
    ]);

    const duplicate = await call("POST", "/v1/populations", {
      key: keys.lead,
      body: "id,queue,moderator\nx,a,b\nx,a,c\n",
      headers: csvHeaders,
    });
    expect(duplicate.status).toBe(400);
    expectTranslatable(duplicate.body.error.details);
    expect(duplicate.body.error.details[0]).toMatchObject({
      row: 2,
      code: "duplicate_id",
      params: { id: "x", rows: "3" },
    });

    const header = await call("POST", "/v1/populations", {
      key: keys.lead,
      body: "id,queue\nd1,q\n",
      headers: csvHeaders,
    });
    expectTranslatable(header.body.error.details);
    expect(header.body.error.details).toEqual([
      expect.objectContaining({ row: 1, field: "moderator", code: "missing_column" }),
    ]);
  });

  it("calibration ratings (CSV): unknown item, rater and label, a repeated row; the path stays rows.<n>.<field>", async () => {
    const ctx = await testContext();
    const created = await ctx.call("POST", "/v1/calibrations", {
      key: ctx.keys.lead,
      json: {
        name: "week 48",
        categories: ["spam", "ok"],
        items: [{ id: "post-1" }, { id: "post-2" }],
        raters: ["alice", "bob"],
      },
    });
    expect(created.status, created.text).toBe(201);
    const body = [
      "item,rater,label",
      "post-9,alice,spam",
      "post-1,zed,ok",
      "post-2,bob,maybe",
      "post-1,alice,ok",
      "post-1,alice,spam",
    ].join("\n");
    const res = await ctx.call("POST", `/v1/calibrations/${created.body.id}/ratings`, {
      key: ctx.keys.lead,
      body,
      headers: csvHeaders,
    });
    expect(res.status).toBe(400);
    const details = res.body.error.details as Detail[];
    expectTranslatable(details);
    expect(details).toEqual([
      {
        path: "rows.2.item",
        row: 2,
        field: "item",
        code: "unknown_item",
        params: { item: "post-9" },
        message: 'unknown item "post-9"',
      },
      expect.objectContaining({
        path: "rows.3.rater",
        row: 3,
        field: "rater",
        code: "unknown_rater",
        params: { rater: "zed" },
      }),
      expect.objectContaining({
        path: "rows.4.label",
        row: 4,
        field: "label",
        code: "unknown_label",
        params: { label: "maybe" },
      }),
      expect.objectContaining({
        path: "rows.6.item",
        row: 6,
        field: "item",
        code: "repeated_rating",
        params: { firstRow: 5 },
      }),
    ]);

    const json = await ctx.call("PUT", `/v1/calibrations/${created.body.id}/ratings/alice`, {
      key: ctx.keys.lead,
      json: { ratings: { "post-1": "maybe", "post-7": "ok" } },
    });
    expect(json.status).toBe(400);
    expectTranslatable(json.body.error.details);
    expect(json.body.error.details).toEqual([
      expect.objectContaining({ path: "ratings.post-1", field: "label", code: "unknown_label" }),
      expect.objectContaining({
        path: "ratings.post-7",
        field: "item",
        code: "unknown_item",
        params: { item: "post-7" },
      }),
    ]);
  });
});

describe("request validation (zod) details carry code and params", () => {
  it("too_big / too_small name the limit and what it applies to; invalid_value lists the values", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/sample-size", {
      json: { goal: "estimate", confidence: 1.5, margin: -1, expectedRate: 0.05 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    const details = res.body.error.details as Detail[];
    expectTranslatable(details);
    for (const detail of details) {
      if (detail.code === "too_big")
        expect(detail.params).toMatchObject({ origin: "number", maximum: expect.any(Number) });
      if (detail.code === "too_small")
        expect(detail.params).toMatchObject({ origin: "number", minimum: expect.any(Number) });
    }
    expect(details.map((d) => d.code)).toEqual(expect.arrayContaining(["too_big"]));

    const method = await call("POST", "/v1/interval", { json: { count: 1, n: 10, method: "guess" } });
    expect(method.status).toBe(400);
    expectTranslatable(method.body.error.details);
    expect(method.body.error.details[0]).toMatchObject({
      path: "method",
      field: "method",
      code: "invalid_value",
      params: { values: expect.stringContaining("wilson") },
    });
  });

  it("a refinement names its problem with params.code: required_when, not_above, not_well_formed", async () => {
    const { call, keys } = await testContext();
    const margin = await call("POST", "/v1/sample-size", { json: { goal: "estimate" } });
    expect(margin.status).toBe(400);
    expectTranslatable(margin.body.error.details);
    expect(margin.body.error.details).toEqual([
      expect.objectContaining({
        path: "margin",
        code: "required_when",
        params: { other: "goal", value: "estimate" },
      }),
    ]);
    const count = await call("POST", "/v1/interval", { json: { count: 11, n: 10 } });
    expect(count.body.error.details).toEqual([
      expect.objectContaining({ path: "count", code: "not_above", params: { other: "n" } }),
    ]);
    const surrogate = await call("POST", "/v1/calibrations", {
      key: keys.lead,
      json: { name: "week \ud800", categories: ["a", "b"], items: [{ id: "i" }], raters: ["alice", "bob"] },
    });
    expect(surrogate.status).toBe(400);
    expectTranslatable(surrogate.body.error.details);
    expect(surrogate.body.error.details).toEqual([
      expect.objectContaining({ path: "name", code: "not_well_formed", params: {} }),
    ]);
  });

  it("the OpenAPI document declares the detail schema with code, params, row and field", async () => {
    const { call } = await testContext();
    const doc = (await call("GET", "/openapi.json")).body;
    const detail = doc.components.schemas.ErrorDetail;
    expect(Object.keys(detail.properties)).toEqual(
      expect.arrayContaining(["path", "row", "field", "code", "params", "message"]),
    );
  });
});
