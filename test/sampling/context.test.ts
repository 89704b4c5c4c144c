import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { verdictAuditId } from "../../src/sampling/verdict-id.ts";
import { auditorKey, type TestContext, testContext } from "../helpers.ts";

const csvHeaders = { "content-type": "text/csv" };
const ndjsonHeaders = { "content-type": "application/x-ndjson" };

/** One RFC 4180 field, quoted when it needs to be (the test's own writer, independent of src/csv.ts). */
const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const csvOf = (header: string[], rows: string[][]) =>
  [header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n");

async function upload(ctx: TestContext, body: string, headers = csvHeaders) {
  return ctx.call("POST", "/v1/populations", { key: ctx.keys.lead, body, headers });
}

/** Uploads, then draws every decision (one stratum), and answers the sample id. */
async function drawAll(ctx: TestContext, body: string, count: number, headers = csvHeaders) {
  const population = await upload(ctx, body, headers);
  expect(population.status).toBe(201);
  const sample = await ctx.call("POST", "/v1/samples", {
    key: ctx.keys.lead,
    json: { population: population.body.id, total: count, seed: "context" },
  });
  expect(sample.status).toBe(201);
  return { population: population.body, sample: sample.body.id as string };
}

/** The CSV text as records keyed by its header (the BOM and the CRLF line ends checked on the way). */
function parseCsv(text: string): { header: string[]; records: Record<string, string>[] } {
  expect(text.startsWith("\uFEFF")).toBe(true);
  const rows = parse(text.slice(1), { relax_column_count: false }) as string[][];
  const [header, ...data] = rows;
  return {
    header,
    records: data.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]]))),
  };
}

const korean = '이 게시물은 "혐오" 표현을 포함합니다,\n두 번째 줄';
const formula = "=cmd|' /C calc'!A0";
const backslashes = "C:\\temp\\a\tb\\n (a backslash, a tab, a backslash-n)";

describe("decision context on populations and sample items", () => {
  it("url, content and context.<name> columns come back with the items, in JSON and in CSV, formula-like text guarded", async () => {
    const ctx = await testContext();
    const header = [
      "id",
      "queue",
      "moderator",
      "label",
      "url",
      "content",
      "context.reporter",
      "context.신고 사유",
    ];
    const body = csvOf(header, [
      ["d1", "hate", "m1", "remove", "https://mod.example.com/d/1?x=1&y=2", korean, "user-9", '욕설, "심함"'],
      ["d2", "hate", "m2", "keep", "http://mod.example.com/d/2", formula, "", ""],
      ["d3", "spam", "m1", "", "", backslashes, "@someone", "+82"],
      ["d4", "spam", "m2", "", "", "", "", ""],
    ]);
    const { population, sample } = await drawAll(ctx, body, 4);
    expect(population.attributes).toEqual({ queue: 2, moderator: 2, label: 2 });

    const json = await ctx.call("GET", `/v1/samples/${sample}/items`, { key: ctx.keys.viewer });
    expect(json.status).toBe(200);
    const byId = new Map(json.body.items.map((item: { id: string }) => [item.id, item]));
    expect(byId.get("d1")).toMatchObject({
      label: "remove",
      url: "https://mod.example.com/d/1?x=1&y=2",
      content: korean,
      context: { reporter: "user-9", "신고 사유": '욕설, "심함"' },
      attributes: {},
    });
    expect(byId.get("d2")).toMatchObject({
      url: "http://mod.example.com/d/2",
      content: formula,
      context: {},
    });
    expect(byId.get("d3")).toMatchObject({
      url: null,
      content: backslashes,
      context: { reporter: "@someone", "신고 사유": "+82" },
    });
    expect(byId.get("d4")).toMatchObject({ url: null, content: null, context: {} });

    const csv = await ctx.call("GET", `/v1/samples/${sample}/items?format=csv`, { key: ctx.keys.viewer });
    expect(csv.status).toBe(200);
    const { header: columns, records } = parseCsv(csv.text);
    expect(columns.slice(-5)).toEqual([
      "sampleId",
      "url",
      "content",
      "context.reporter",
      "context.신고 사유",
    ]);
    const row = new Map(records.map((r) => [r.id, r]));
    expect(row.get("d1")).toMatchObject({
      url: "https://mod.example.com/d/1?x=1&y=2",
      content: korean,
      "context.reporter": "user-9",
      "context.신고 사유": '욕설, "심함"',
      sampleId: sample,
    });
    // Formula-looking cells are neutralised with a leading apostrophe (src/csv.ts).
    expect(row.get("d2")!.content).toBe(`'${formula}`);
    expect(row.get("d3")).toMatchObject({
      content: backslashes,
      "context.reporter": "'@someone",
      "context.신고 사유": "'+82",
    });
    expect(row.get("d4")).toMatchObject({ url: "", content: "", "context.reporter": "" });
  });

  it("NDJSON uploads take context columns too, also when they first appear in a later row", async () => {
    const ctx = await testContext();
    const body = [
      { id: "n1", queue: "q", moderator: "m" },
      { id: "n2", queue: "q", moderator: "m", "context.count": 7, url: "https://x.example/2" },
      { id: "n3", queue: "q", moderator: "m", content: "짧은 발췌", "context.flag": true },
    ]
      .map((row) => JSON.stringify(row))
      .join("\n");
    const { population, sample } = await drawAll(ctx, body, 3, ndjsonHeaders);
    expect(population.attributes).toEqual({ queue: 1, moderator: 1 });
    const items = (await ctx.call("GET", `/v1/samples/${sample}/items`, { key: ctx.keys.viewer })).body.items;
    const byId = new Map(items.map((item: { id: string }) => [item.id, item]));
    expect(byId.get("n1")).toMatchObject({ url: null, content: null, context: {} });
    expect(byId.get("n2")).toMatchObject({
      url: "https://x.example/2",
      content: null,
      context: { count: "7" },
    });
    expect(byId.get("n3")).toMatchObject({ url: null, content: "짧은 발췌", context: { flag: "true" } });
    const csv = await ctx.call("GET", `/v1/samples/${sample}/items?format=csv`, { key: ctx.keys.viewer });
    expect(parseCsv(csv.text).header.slice(-5)).toEqual([
      "sampleId",
      "url",
      "content",
      "context.count",
      "context.flag",
    ]);
  });

  it("a url that is not an absolute http or https URL → 400 naming the row and url, nothing stored", async () => {
    const ctx = await testContext();
    for (const bad of [
      "javascript:alert(1)",
      " JavaScript:alert(1)",
      "ftp://files.example.com/a",
      "data:text/html,hi",
      "not a url",
      "/relative/path",
      "https://mod.example.com/\td/1",
    ]) {
      const body = csvOf(
        ["id", "queue", "moderator", "url"],
        [
          ["ok", "q", "m", "https://fine.example/"],
          ["bad", "q", "m", bad],
        ],
      );
      const res = await upload(ctx, body);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe("invalid_rows");
      expect(res.body.error.details).toMatchObject([{ row: 3, path: "url", message: expect.any(String) }]);
    }
    const nd = `${JSON.stringify({ id: "a", queue: "q", moderator: "m", url: "javascript:void(0)" })}\n`;
    const res = await upload(ctx, nd, ndjsonHeaders);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toMatchObject([
      { row: 1, path: "url", message: expect.stringContaining("http or https") },
    ]);
    expect((await ctx.call("GET", "/v1/populations", { key: ctx.keys.viewer })).body.populations).toEqual([]);
    const stored = await ctx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM population_decisions");
    expect(stored!.n).toBe(0);
  });

  it("a url of 2,048 characters is taken, one of 2,049 → 400 naming url", async () => {
    const ctx = await testContext();
    const base = "https://mod.example.com/";
    const ok = base + "a".repeat(2048 - base.length);
    const res = await upload(ctx, csvOf(["id", "queue", "moderator", "url"], [["a", "q", "m", ok]]));
    expect(res.status).toBe(201);
    const long = await upload(ctx, csvOf(["id", "queue", "moderator", "url"], [["a", "q", "m", `${ok}b`]]));
    expect(long.status).toBe(400);
    expect(long.body.error.details).toMatchObject([
      { row: 2, path: "url", message: "must be at most 2048 characters" },
    ]);
  });

  it("content or a context value over 2,000 characters → 400 naming the row and the column; 2,000 is taken", async () => {
    const ctx = await testContext();
    const header = ["id", "queue", "moderator", "content", "context.note"];
    const fits = await upload(ctx, csvOf(header, [["a", "q", "m", "가".repeat(2000), "b".repeat(2000)]]));
    expect(fits.status).toBe(201);
    const res = await upload(
      ctx,
      csvOf(header, [
        ["a", "q", "m", "가".repeat(2001), ""],
        ["b", "q", "m", "", "b".repeat(2001)],
      ]),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_rows");
    expect(res.body.error.details).toMatchObject([
      { row: 2, path: "content", message: "must be at most 2000 characters" },
      { row: 3, path: "context.note", message: "must be at most 2000 characters" },
    ]);
  });

  it("context text must be well-formed Unicode without U+0000", async () => {
    const ctx = await testContext();
    const body = [
      `{"id":"a","queue":"q","moderator":"m","content":"lone \\ud800 surrogate"}`,
      `{"id":"b","queue":"q","moderator":"m","context.x":"nul \\u0000 here"}`,
    ].join("\n");
    const res = await upload(ctx, body, ndjsonHeaders);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toMatchObject([
      { row: 1, path: "content", message: expect.stringContaining("well-formed") },
      { row: 2, path: "context.x", message: expect.stringContaining("U+0000") },
    ]);
  });

  it("more than 20 context.<name> columns → 400 naming the column over the limit; 20 are taken", async () => {
    const ctx = await testContext();
    const names = Array.from({ length: 21 }, (_, i) => `context.c${i + 1}`);
    const base = ["id", "queue", "moderator", "url", "content"];
    const twenty = await upload(
      ctx,
      csvOf(
        [...base, ...names.slice(0, 20)],
        [["a", "q", "m", "", "", ...names.slice(0, 20).map(() => "v")]],
      ),
    );
    expect(twenty.status).toBe(201);
    const res = await upload(
      ctx,
      csvOf([...base, ...names], [["a", "q", "m", "", "", ...names.map(() => "v")]]),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_rows");
    expect(res.body.error.details).toMatchObject([
      { row: 2, path: "context.c21", message: "at most 20 context.<name> columns" },
    ]);
  });

  it("a context name that is empty or longer than 64 characters → 400 naming the column", async () => {
    const ctx = await testContext();
    const long = `context.${"n".repeat(65)}`;
    const res = await upload(
      ctx,
      csvOf(["id", "queue", "moderator", "context.", long], [["a", "q", "m", "x", "y"]]),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.details).toMatchObject([
      { row: 2, path: "context.", message: expect.stringContaining("1 to 64 characters") },
      { row: 2, path: long, message: expect.stringContaining("1 to 64 characters") },
    ]);
    const ok = await upload(
      ctx,
      csvOf(["id", "queue", "moderator", `context.${"n".repeat(64)}`], [["a", "q", "m", "x"]]),
    );
    expect(ok.status).toBe(201);
  });

  it("context columns are not attributes: not in distinct, values or absent counts, and not usable as strata", async () => {
    const ctx = await testContext();
    const rows = Array.from({ length: 30 }, (_, i) => [
      `d${i}`,
      i % 2 ? "hate" : "spam",
      `m${i % 3}`,
      `https://mod.example.com/d/${i}`,
      `excerpt ${i}`,
      `r${i}`,
      i % 5 ? "KR" : "",
    ]);
    const res = await upload(
      ctx,
      csvOf(["id", "queue", "moderator", "url", "content", "context.reporter", "market"], rows),
    );
    expect(res.status).toBe(201);
    expect(res.body.attributes).toEqual({ queue: 2, moderator: 3, market: 1 });
    const get = await ctx.call("GET", `/v1/populations/${res.body.id}`, { key: ctx.keys.viewer });
    expect(get.body.distinct).toEqual({ queue: 2, moderator: 3, market: 1 });
    expect(Object.keys(get.body.attributes)).toEqual(["queue", "moderator", "market"]);
    expect(get.body.absent).toEqual({ queue: 0, moderator: 0, market: 6 });
    const list = await ctx.call("GET", "/v1/populations", { key: ctx.keys.viewer });
    expect(list.body.populations[0].attributes).toEqual({ queue: 2, moderator: 3, market: 1 });
    for (const attribute of ["url", "content", "context.reporter"]) {
      const draw = await ctx.call("POST", "/v1/samples", {
        key: ctx.keys.lead,
        json: { population: res.body.id, strata: ["queue", attribute], total: 10 },
      });
      expect(draw.status, attribute).toBe(400);
      expect(draw.body.error.details).toMatchObject([
        { path: "strata.1", message: `unknown attribute "${attribute}"` },
      ]);
    }
    const draw = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population: res.body.id, strata: ["queue", "market"], total: 10 },
    });
    expect(draw.status).toBe(201);
    expect(draw.body.strata.map((s: { key: string }) => s.key)).toEqual([
      "queue=hate|market=",
      "queue=hate|market=KR",
      "queue=spam|market=",
      "queue=spam|market=KR",
    ]);
  });

  it("an upload without context columns stores no context: items have url and content null and context {}", async () => {
    const ctx = await testContext();
    const body = csvOf(
      ["id", "queue", "moderator", "label", "region"],
      [
        ["d1", "hate", "m1", "remove", "north"],
        ["d2", "spam", "m2", "keep", ""],
      ],
    );
    const { population, sample } = await drawAll(ctx, body, 2);
    expect(population.attributes).toEqual({ queue: 2, moderator: 2, label: 2, region: 1 });
    const stored = await ctx.db.all<{ context: string | null }>("SELECT context FROM population_decisions");
    expect(stored).toEqual([{ context: null }, { context: null }]);
    const items = (await ctx.call("GET", `/v1/samples/${sample}/items`, { key: ctx.keys.viewer })).body.items;
    for (const item of items) {
      expect(item).toMatchObject({ url: null, content: null, context: {} });
    }
    expect(items.find((i: { id: string }) => i.id === "d1")).toMatchObject({
      label: "remove",
      attributes: { region: "north" },
    });
    const csv = await ctx.call("GET", `/v1/samples/${sample}/items?format=csv`, { key: ctx.keys.viewer });
    const { header, records } = parseCsv(csv.text);
    expect(header).toEqual([
      "id",
      "stratum",
      "rank",
      "priority",
      "priorityDecimal",
      "auditor",
      "queue",
      "moderator",
      "label",
      "policy",
      "market",
      "decidedAt",
      "region",
      "sampleId",
      "url",
      "content",
    ]);
    expect(records.map((r) => [r.url, r.content])).toEqual([
      ["", ""],
      ["", ""],
    ]);
  });

  it("stores a decision's context as one JSON object, empty cells left out, NULL when the row has none", async () => {
    const ctx = await testContext();
    const body = csvOf(
      ["id", "queue", "moderator", "context.b", "content", "url", "context.a"],
      [
        ["d1", "q", "m", "2", "text", "https://x.example/1", "1"],
        ["d2", "q", "m", "", "", "", ""],
        ["d3", "q", "m", "", "", "", "only a"],
      ],
    );
    expect((await upload(ctx, body)).status).toBe(201);
    const stored = await ctx.db.all<{ id: string; context: string | null }>(
      "SELECT id, context FROM population_decisions ORDER BY seq",
    );
    expect(stored).toEqual([
      { id: "d1", context: '{"url":"https://x.example/1","content":"text","context":{"b":"2","a":"1"}}' },
      { id: "d2", context: null },
      { id: "d3", context: '{"context":{"a":"only a"}}' },
    ]);
  });
});

describe("the audit template (GET /v1/samples/{id}/items?format=csv&template=audit)", () => {
  const TEMPLATE_HEADER =
    "id,decisionId,queue,moderator,auditor,policy,market,decidedAt,sampleId,outcome,errorType,severity,correctPolicy,notes,auditedAt";

  /** A population of 12 decisions by moderators m1/m2 with context, drawn whole and assigned to alice and bob. */
  async function assignedSample(ctx: TestContext) {
    const rows = Array.from({ length: 12 }, (_, i) => [
      `dec-${i}`,
      i % 2 ? "hate" : "spam",
      i % 3 ? "m1" : "m2",
      i % 4 ? "remove" : "",
      i % 2 ? "P-7" : "",
      "KR",
      `2026-11-23T0${i % 10}:15:00+09:00`,
      `https://mod.example.com/d/${i}`,
      `=HYPERLINK("x") ${i}`,
      "reporter",
    ]);
    const body = csvOf(
      [
        "id",
        "queue",
        "moderator",
        "label",
        "policy",
        "market",
        "decidedAt",
        "url",
        "content",
        "context.source",
      ],
      rows,
    );
    const { sample } = await drawAll(ctx, body, 12);
    const assign = await ctx.call("POST", `/v1/samples/${sample}/assign`, {
      key: ctx.keys.lead,
      json: { auditors: ["alice", "bob"] },
    });
    expect(assign.status).toBe(200);
    return sample;
  }

  it("has exactly the columns POST /v1/audits takes: the decision pre-filled, the verdict columns empty", async () => {
    const ctx = await testContext();
    const sample = await assignedSample(ctx);
    const res = await ctx.call("GET", `/v1/samples/${sample}/items?format=csv&template=audit`, {
      key: ctx.keys.lead,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = res.text.split("\r\n");
    expect(lines[0]).toBe(`\uFEFF${TEMPLATE_HEADER}`);
    expect(lines).toHaveLength(12 + 2); // header, 12 items, and the empty string after the last CRLF
    expect(lines.at(-1)).toBe("");

    const items = (await ctx.call("GET", `/v1/samples/${sample}/items`, { key: ctx.keys.lead })).body.items;
    const item = items.find((i: { id: string }) => i.id === "dec-1");
    const expected = [
      verdictAuditId(sample, "dec-1"),
      "dec-1",
      "hate",
      "m1",
      item.auditor,
      "P-7",
      "KR",
      "2026-11-23T01:15:00+09:00",
      sample,
      "",
      "",
      "",
      "",
      "",
      "",
    ].join(",");
    expect(lines).toContain(expected);
    expect(expected.startsWith("v-")).toBe(true);
    // The rows follow the items' draw order; no context column leaks in.
    const { records } = parseCsv(res.text);
    expect(records.map((r) => r.decisionId)).toEqual(items.map((i: { id: string }) => i.id));
    expect(res.text).not.toContain("mod.example.com");
    expect(res.text).not.toContain("HYPERLINK");
    // A decision without label/policy leaves those cells empty.
    const dec0 = records.find((r) => r.decisionId === "dec-0")!;
    expect(dec0).toMatchObject({ policy: "", outcome: "", auditedAt: "" });
  });

  it("an auditor key gets only its own assigned items; asking for another auditor's → 403", async () => {
    const ctx = await testContext();
    const sample = await assignedSample(ctx);
    const items = (await ctx.call("GET", `/v1/samples/${sample}/items`, { key: ctx.keys.lead })).body
      .items as {
      id: string;
      auditor: string;
    }[];
    const aliceIds = items.filter((i) => i.auditor === "alice").map((i) => i.id);
    const bobIds = items.filter((i) => i.auditor === "bob").map((i) => i.id);
    expect(aliceIds.length).toBeGreaterThan(0);
    expect(bobIds.length).toBeGreaterThan(0);

    const template = async (key: string, query = "") => {
      const res = await ctx.call("GET", `/v1/samples/${sample}/items?format=csv&template=audit${query}`, {
        key,
      });
      return res.status === 200 ? { status: 200, records: parseCsv(res.text).records } : res;
    };
    const alice = await template(ctx.keys.auditor);
    expect(alice.status).toBe(200);
    const aliceRecords = (alice as { records: Record<string, string>[] }).records;
    expect(aliceRecords.map((r) => r.decisionId)).toEqual(aliceIds);
    expect(new Set(aliceRecords.map((r) => r.auditor))).toEqual(new Set(["alice"]));
    expect(aliceRecords.map((r) => r.id)).toEqual(aliceIds.map((id) => verdictAuditId(sample, id)));

    const own = await template(ctx.keys.auditor, "&auditor=alice");
    expect((own as { records: unknown[] }).records).toHaveLength(aliceIds.length);

    const bobKey = await auditorKey(ctx, "bob");
    const bob = (await template(bobKey)) as { records: Record<string, string>[] };
    expect(bob.records.map((r) => r.decisionId)).toEqual(bobIds);

    const other = await ctx.call("GET", `/v1/samples/${sample}/items?format=csv&template=audit&auditor=bob`, {
      key: ctx.keys.auditor,
    });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe("forbidden");

    // A lead (or admin) may ask for anyone's, or get every item.
    const forBob = (await template(ctx.keys.lead, "&auditor=bob")) as { records: Record<string, string>[] };
    expect(forBob.records.map((r) => r.decisionId)).toEqual(bobIds);
    const every = (await template(ctx.keys.admin)) as { records: unknown[] };
    expect(every.records).toHaveLength(12);
  });

  it("an auditor with no assigned items gets the header only", async () => {
    const ctx = await testContext();
    const sample = await assignedSample(ctx);
    const carol = await auditorKey(ctx, "carol");
    const res = await ctx.call("GET", `/v1/samples/${sample}/items?format=csv&template=audit`, {
      key: carol,
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe(`\uFEFF${TEMPLATE_HEADER}\r\n`);
  });

  it("template=audit without format=csv → 400 naming template; an unknown template → 400; unknown sample → 404", async () => {
    const ctx = await testContext();
    const sample = await assignedSample(ctx);
    const json = await ctx.call("GET", `/v1/samples/${sample}/items?template=audit`, { key: ctx.keys.lead });
    expect(json.status).toBe(400);
    expect(json.body.error.details).toMatchObject([
      { path: "template", message: expect.stringContaining("format=csv") },
    ]);
    const unknown = await ctx.call("GET", `/v1/samples/${sample}/items?format=csv&template=other`, {
      key: ctx.keys.lead,
    });
    expect(unknown.status).toBe(400);
    const missing = await ctx.call("GET", "/v1/samples/nope/items?format=csv&template=audit", {
      key: ctx.keys.auditor,
    });
    expect(missing.status).toBe(404);
    expect((await ctx.call("GET", `/v1/samples/${sample}/items?format=csv&template=audit`, {})).status).toBe(
      401,
    );
  });
});
