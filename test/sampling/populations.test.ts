import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTimestamp } from "../../src/audits/validate.ts";
import type { Db } from "../../src/db/database.ts";
import { fnv1a } from "../../src/sampling/duplicate-ids.ts";
import { validTimestamp } from "../../src/sampling/upload.ts";
import { testContext } from "../helpers.ts";

const csvHeaders = { "content-type": "text/csv" };
const ndjsonHeaders = { "content-type": "application/x-ndjson" };
const decisions = async (db: Db) =>
  (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM population_decisions"))!.n;
const populations = async (db: Db) =>
  (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM populations"))!.n;

describe("POST /v1/populations", () => {
  it("stores a CSV upload and answers id, count and distinct values per attribute", async () => {
    const { call, keys } = await testContext();
    const csv =
      "\uFEFFid,queue,moderator,label,market,decidedAt,region\r\n" +
      "d1,hate,mod-1,remove,KR,2026-11-23T09:00:00+09:00,north\r\n" +
      "d2,hate,mod-2,keep,,2026-11-23T10:00:00Z,south\r\n" +
      'd3,spam,mod-1,remove,US,,"north, east"\r\n';
    const res = await call("POST", "/v1/populations?name=yesterday", {
      key: keys.lead,
      body: csv,
      headers: csvHeaders,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      name: "yesterday",
      count: 3,
      attributes: { queue: 2, moderator: 2, label: 2, market: 2, region: 3 },
    });
    const get = await call("GET", `/v1/populations/${res.body.id}`, { key: keys.viewer });
    expect(get.status).toBe(200);
    expect(get.body.attributes).toEqual({
      queue: { hate: 2, spam: 1 },
      moderator: { "mod-1": 2, "mod-2": 1 },
      label: { remove: 2, keep: 1 },
      market: { KR: 1, US: 1 },
      region: { north: 1, "north, east": 1, south: 1 },
    });
    expect(get.body.count).toBe(3);
    expect(get.body.absent).toEqual({ queue: 0, moderator: 0, label: 0, market: 1, region: 0 });
    expect(get.body.distinct).toEqual(res.body.attributes);
    expect(get.body.samples).toEqual([]);
    const list = await call("GET", "/v1/populations", { key: keys.viewer });
    expect(list.body.populations).toEqual([expect.objectContaining({ id: res.body.id, count: 3 })]);
  });

  it("takes NDJSON with numbers, booleans, nulls and extra keys appearing late", async () => {
    const { call, keys } = await testContext();
    const body = [
      { id: 101, queue: "hate", moderator: "m1" },
      {},
      { id: "102", queue: "hate", moderator: "m2", surface: "video", flagged: true },
      { id: "103", queue: "spam", moderator: "m1", policy: null, surface: "feed" },
    ]
      .map((o, i) => (i === 1 ? "" : JSON.stringify(o)))
      .join("\n");
    const res = await call("POST", "/v1/populations", { key: keys.lead, body, headers: ndjsonHeaders });
    expect(res.status).toBe(201);
    expect(res.body.name).toBeNull();
    expect(res.body.attributes).toEqual({ queue: 2, moderator: 2, policy: 0, surface: 2, flagged: 1 });
    const get = await call("GET", `/v1/populations/${res.body.id}`, { key: keys.viewer });
    expect(get.body.attributes.surface).toEqual({ feed: 1, video: 1 });
    expect(get.body.attributes.flagged).toEqual({ true: 1 });
    expect(get.body.attributes.policy).toEqual({});
    expect(get.body.absent).toMatchObject({ surface: 1, flagged: 2, policy: 3 });
  });

  it("a duplicate id → 400 naming both lines, nothing stored", async () => {
    const { call, keys, db } = await testContext();
    const csv = "id,queue,moderator\nx,a,b\ny,a,b\nz,a,c\ny,b,c\n";
    const res = await call("POST", "/v1/populations", { key: keys.lead, body: csv, headers: csvHeaders });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("duplicate_ids");
    expect(res.body.error.details).toMatchObject([
      { row: 3, path: "id", message: expect.stringContaining("line 5") },
      { row: 5, path: "id", message: expect.stringContaining("line 3") },
    ]);
    expect(await decisions(db)).toBe(0);
    expect(await populations(db)).toBe(0);

    const nd =
      '{"id":"a","queue":"q","moderator":"m"}\n\n{"id":"b","queue":"q","moderator":"m"}\n{"id":"a","queue":"q","moderator":"n"}\n';
    const res2 = await call("POST", "/v1/populations", { key: keys.lead, body: nd, headers: ndjsonHeaders });
    expect(res2.status).toBe(400);
    expect(res2.body.error.details.map((d: { row: number }) => d.row)).toEqual([1, 4]);
    expect(await decisions(db)).toBe(0);
  });

  it("finds exactly the duplicated ids in a larger upload (property)", async () => {
    const { call, keys, db } = await testContext();
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== ""),
          {
            minLength: 50,
            maxLength: 400,
          },
        ),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
        async (ids, copies) => {
          const rows = ids.slice();
          for (const [from, to] of copies) rows.splice(to % (rows.length + 1), 0, ids[from % ids.length]);
          const body = rows.map((id) => JSON.stringify({ id, queue: "q", moderator: "m" })).join("\n");
          const res = await call("POST", "/v1/populations", { key: keys.lead, body, headers: ndjsonHeaders });
          const lines = new Map<string, number[]>();
          rows.forEach((id, i) => {
            lines.set(id, [...(lines.get(id) ?? []), i + 1]);
          });
          const expected = [...lines.values()]
            .filter((l) => l.length > 1)
            .flat()
            .sort((a, b) => a - b);
          if (expected.length === 0) {
            expect(res.status).toBe(201);
            expect(res.body.count).toBe(rows.length);
            await db.run("DELETE FROM population_decisions");
            await db.run("DELETE FROM populations");
          } else {
            expect(res.status).toBe(400);
            const got = res.body.error.details
              .map((d: { row: number }) => d.row)
              .sort((a: number, b: number) => a - b);
            expect(got).toEqual(expected);
            expect(await decisions(db)).toBe(0);
          }
        },
      ),
      { numRuns: 40, seed: 6 },
    );
  });

  it("ids whose hash bits collide are told apart by their stored ids", async () => {
    const { call, keys, db } = await testContext();
    const ids = Array.from({ length: 120_000 }, (_, i) => `decision-${i}`);
    const seen = new Map<number, string>();
    const collisions: [string, string][] = [];
    for (const id of ids) {
      const bits = fnv1a(id) >>> 3;
      const other = seen.get(bits);
      if (other !== undefined) collisions.push([other, id]);
      seen.set(bits, id);
    }
    expect(collisions.length).toBeGreaterThan(0); // the comparison path really runs
    const body = `id,queue,moderator\n${ids.map((id) => `${id},q,m`).join("\n")}\n`;
    const res = await call("POST", "/v1/populations", { key: keys.lead, body, headers: csvHeaders });
    expect(res.status).toBe(201);
    expect(res.body.count).toBe(120_000);
    const [a] = collisions[0];
    const withDuplicate = `${body}${a},q,m\n`;
    const dup = await call("POST", "/v1/populations", {
      key: keys.lead,
      body: withDuplicate,
      headers: csvHeaders,
    });
    expect(dup.status).toBe(400);
    const line = ids.indexOf(a) + 2;
    expect(dup.body.error.details.map((d: { row: number }) => d.row)).toEqual([line, 120_002]);
    expect(await decisions(db)).toBe(120_000);
  });

  it("a bad row anywhere → 400 invalid_rows with lines and fields, nothing stored", async () => {
    const { call, keys, db } = await testContext();
    const rows = ["id,queue,moderator,decidedAt"];
    for (let i = 0; i < 3000; i++) rows.push(`d${i},q${i % 7},m${i % 11},2026-11-23T10:00:00Z`);
    rows[1500] = "d1499b,,m1,2026-11-23T10:00:00Z"; // line 1501: queue missing
    rows[2999] = "d2998b,q,m,2026-02-30T10:00:00Z"; // line 3000: not a real date
    const res = await call("POST", "/v1/populations", {
      key: keys.lead,
      body: rows.join("\n"),
      headers: csvHeaders,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_rows");
    expect(res.body.error.details).toMatchObject([
      { row: 1501, path: "queue", message: "is required" },
      { row: 3000, path: "decidedAt", message: expect.any(String) },
    ]);
    expect(await decisions(db)).toBe(0);
    expect(await populations(db)).toBe(0);

    const header = await call("POST", "/v1/populations", {
      key: keys.lead,
      body: "id,queue\nd1,q\n",
      headers: csvHeaders,
    });
    expect(header.status).toBe(400);
    expect(header.body.error.details).toMatchObject([
      { row: 1, path: "moderator", message: "missing column" },
    ]);

    const nd = await call("POST", "/v1/populations", {
      key: keys.lead,
      body: '{"id":"a","queue":"q","moderator":"m"}\n[1]\n{"id":"b","queue":{"x":1},"moderator":"m"}\nnot json\n',
      headers: ndjsonHeaders,
    });
    expect(nd.status).toBe(400);
    expect(nd.body.error.details.map((d: { row: number; path: string }) => [d.row, d.path])).toEqual([
      [2, ""],
      [3, "queue"],
      [4, ""],
    ]);
    const empty = await call("POST", "/v1/populations", {
      key: keys.lead,
      body: "id,queue,moderator\n",
      headers: csvHeaders,
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe("empty_population");
    expect(await decisions(db)).toBe(0);
  });

  it("keeps any text byte for byte: tabs, newlines, backslashes, quotes and any Unicode", async () => {
    const { call, keys } = await testContext();
    const texts = [
      "tab\there",
      "new\nline",
      "cr\r\nlf",
      "back\\slash",
      "\\N",
      "\\.",
      '"quoted"',
      "결정 😀",
      "a,b",
      " x",
    ];
    const rows = texts.map((text, i) => ({
      id: `${text}#${i}`,
      queue: text,
      moderator: `m${i}`,
      surface: text,
    }));
    const body = rows.map((row) => JSON.stringify(row)).join("\n");
    const upload = await call("POST", "/v1/populations", { key: keys.lead, body, headers: ndjsonHeaders });
    expect(upload.status).toBe(201);
    const population = await call("GET", `/v1/populations/${upload.body.id}`, { key: keys.viewer });
    expect(Object.keys(population.body.attributes.queue).sort()).toEqual(texts.slice().sort());
    const sample = await call("POST", "/v1/samples", {
      key: keys.lead,
      json: { population: upload.body.id, total: rows.length, seed: "text" },
    });
    const items = await call("GET", `/v1/samples/${sample.body.id}/items`, { key: keys.viewer });
    const stored = items.body.items.map(
      (item: { id: string; queue: string; attributes: { surface: string } }) => ({
        id: item.id,
        queue: item.queue,
        surface: item.attributes.surface,
      }),
    );
    expect(stored.sort((a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1))).toEqual(
      rows.map(({ id, queue, surface }) => ({ id, queue, surface })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
  });

  it("refuses U+0000 in values and column names (PostgreSQL cannot store it), naming the line", async () => {
    const { call, keys, db } = await testContext();
    const body = [
      { id: "a", queue: "q", moderator: "m" },
      { id: "b", queue: "q\u0000r", moderator: "m" },
      { id: "c", queue: "q", moderator: "m", "x\u0000": "v" },
    ]
      .map((row) => JSON.stringify(row))
      .join("\n");
    const res = await call("POST", "/v1/populations", { key: keys.lead, body, headers: ndjsonHeaders });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_rows");
    expect(res.body.error.details).toMatchObject([
      { row: 2, path: "queue", message: expect.stringContaining("U+0000") },
      { row: 3, path: "x\u0000", message: expect.stringContaining("U+0000") },
    ]);
    expect(await decisions(db)).toBe(0);
  });

  it("concurrent uploads each own a contiguous range of decisions", async () => {
    const { call, keys } = await testContext();
    const upload = (p: number) =>
      call("POST", "/v1/populations", {
        key: keys.lead,
        body: `id,queue,moderator\n${Array.from({ length: 2000 }, (_, i) => `p${p}-${i},q${i % 3},m`).join("\n")}\n`,
        headers: csvHeaders,
      });
    const uploads = await Promise.all([0, 1, 2, 3].map(upload));
    for (const [p, res] of uploads.entries()) {
      expect(res.status).toBe(201);
      const sample = await call("POST", "/v1/samples", {
        key: keys.lead,
        json: { population: res.body.id, total: 2000, seed: "all" },
      });
      expect(sample.status).toBe(201);
      const items = await call("GET", `/v1/samples/${sample.body.id}/items`, { key: keys.viewer });
      const ids = items.body.items.map((item: { id: string }) => item.id);
      expect(new Set(ids)).toEqual(new Set(Array.from({ length: 2000 }, (_, i) => `p${p}-${i}`)));
    }
  });

  it("needs the lead role and a CSV or NDJSON body", async () => {
    const { call, keys } = await testContext();
    const body = "id,queue,moderator\nd1,q,m\n";
    expect((await call("POST", "/v1/populations", { body, headers: csvHeaders })).status).toBe(401);
    expect(
      (await call("POST", "/v1/populations", { key: keys.auditor, body, headers: csvHeaders })).status,
    ).toBe(403);
    expect(
      (await call("POST", "/v1/populations", { key: keys.viewer, body, headers: csvHeaders })).status,
    ).toBe(403);
    const plain = await call("POST", "/v1/populations", {
      key: keys.lead,
      body,
      headers: { "content-type": "text/plain" },
    });
    expect(plain.status).toBe(415);
    expect((await call("GET", "/v1/populations/nope", { key: keys.viewer })).status).toBe(404);
  });

  it("DELETE removes an unused population and refuses one a sample uses (409)", async () => {
    const { call, keys, db } = await testContext();
    const body = "id,queue,moderator\nd1,q,m\nd2,q,m\nd3,r,m\n";
    const keep = await call("POST", "/v1/populations", { key: keys.lead, body, headers: csvHeaders });
    const other = await call("POST", "/v1/populations", { key: keys.lead, body, headers: csvHeaders });
    const sample = await call("POST", "/v1/samples", {
      key: keys.lead,
      json: { population: other.body.id, total: 2 },
    });
    expect(sample.status).toBe(201);
    const refused = await call("DELETE", `/v1/populations/${other.body.id}`, { key: keys.lead });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("population_in_use");
    expect(refused.body.error.details).toEqual({ samples: [sample.body.id] });
    expect((await call("DELETE", `/v1/populations/${other.body.id}`, { key: keys.viewer })).status).toBe(403);

    const deleted = await call("DELETE", `/v1/populations/${keep.body.id}`, { key: keys.lead });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: keep.body.id, count: 3, deleted: true });
    expect(await decisions(db)).toBe(3);
    expect((await call("GET", `/v1/populations/${keep.body.id}`, { key: keys.viewer })).status).toBe(404);
    expect((await call("DELETE", `/v1/populations/${keep.body.id}`, { key: keys.lead })).status).toBe(404);

    expect((await call("DELETE", `/v1/samples/${sample.body.id}`, { key: keys.lead })).status).toBe(200);
    expect((await call("DELETE", `/v1/populations/${other.body.id}`, { key: keys.lead })).status).toBe(200);
    expect(await decisions(db)).toBe(0);
    // The space is reused and the next population still owns a contiguous range.
    const again = await call("POST", "/v1/populations", { key: keys.lead, body, headers: csvHeaders });
    expect(again.status).toBe(201);
    const draw = await call("POST", "/v1/samples", {
      key: keys.lead,
      json: { population: again.body.id, total: 3 },
    });
    expect(draw.body.n).toBe(3);
  });
});

describe("decidedAt validation", () => {
  it("the fast timestamp check accepts exactly what the audits accept", () => {
    const part = (max: number, width = 2) =>
      fc.integer({ min: 0, max }).map((v) => String(v).padStart(width, "0"));
    const stamp = fc
      .tuple(
        part(9999, 4),
        part(13),
        part(32),
        part(25),
        part(61),
        part(61),
        fc.option(fc.stringMatching(/^\.\d{0,11}$/), { nil: "" }),
        fc.constantFrom("Z", "+09:00", "-23:59", "+24:00", "+05:60", "z", "", "+0900"),
      )
      .map(([y, mo, d, h, mi, s, f, z]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${f}${z}`);
    fc.assert(
      fc.property(fc.oneof(stamp, fc.string()), (text) => {
        expect(validTimestamp(text)).toBe(parseTimestamp(text) !== undefined);
      }),
      { numRuns: 20_000, seed: 1123 },
    );
  });
});
