import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { xlsxStream } from "../../src/xlsx/writer.ts";
import { testContext } from "../helpers.ts";
import {
  closedCalibration,
  download,
  formulaCells,
  HOSTILE_TEXTS,
  plain,
  postXlsx,
  seedAudits,
  seedSample,
  sheetRows,
  TRICKY_IDS,
  workbookOf,
  XLSX,
} from "./fixture.ts";

/** XLSX exports and uploads through the API (no spreadsheet engine: see test/spreadsheet-engine.test.ts). */

async function workbookBytes(fill: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  fill(workbook.addWorksheet("first"));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Temporary files of exceljs's reader (the `tmp` package names them by process) left in the temp directory. */
const exceljsLeftovers = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`tmp-${process.pid}-`));

const AUDIT_HEADER = ["id", "decisionId", "queue", "moderator", "auditor", "outcome", "auditedAt"];

describe("GET /v1/audits?format=xlsx", () => {
  it("writes ids as text cells, numbers as numbers, dates as local date cells, Korean intact", async () => {
    const ctx = await testContext();
    const audits = await seedAudits(ctx);
    const res = await download(ctx, "/v1/audits?format=xlsx&tz=Asia/Seoul");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(XLSX);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="audits\.xlsx"/);
    const workbook = await workbookOf(res.bytes);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe("audits");
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(10);
    const rows = sheetRows(sheet);
    expect(rows.map((row) => row.id)).toEqual(audits.map((audit) => audit.id));
    expect(rows.map((row) => row.decisionId)).toEqual(audits.map((audit) => audit.decisionId));
    expect(rows[0]).toMatchObject({ queue: "spam", moderator: "모더레이터-0", severity: 3, revision: 1 });
    expect(rows[1].notes).toBe('메모 1, "quoted" Tom &amp; Jerry _x0041_\nsecond line');
    // 2026-11-24T00:30:00.100+09:00 as the wall time in Seoul (a spreadsheet date has no zone).
    expect(rows[0].auditedAt).toEqual(new Date(Date.UTC(2026, 10, 24, 0, 30, 0, 100)));
    expect(sheet.getCell("A2").numFmt).toBe("@");
    const dateColumn = Object.keys(rows[0]).indexOf("auditedAt") + 1;
    expect(sheet.getRow(2).getCell(dateColumn).numFmt).toContain('"Asia/Seoul"');
    expect(formulaCells(workbook)).toEqual([]);
  });

  it("uploads back as all duplicates, nothing inserted", async () => {
    const ctx = await testContext();
    const audits = await seedAudits(ctx);
    const res = await download(ctx, "/v1/audits?format=xlsx&tz=America/New_York");
    const again = await postXlsx(ctx, "/v1/audits?tz=America/New_York", res.bytes);
    expect(again.body).toEqual({ inserted: 0, duplicates: audits.length });
    // exceljs copied the sheet (the export has no shared strings) to a temporary file: removed again.
    expect(exceljsLeftovers()).toEqual([]);
  });

  it("an empty selection is a sheet with the header only", async () => {
    const ctx = await testContext();
    const res = await download(ctx, "/v1/audits?format=xlsx");
    const rows = (await workbookOf(res.bytes)).worksheets[0];
    expect(rows.rowCount).toBe(1);
    expect(plain(rows.getCell("A1").value)).toBe("id");
  });
});

describe("other exports as xlsx", () => {
  it("quality, scorecards, sample items and the audit template: one sheet each, numbers as numbers", async () => {
    const ctx = await testContext();
    await seedAudits(ctx);
    const sample = await seedSample(ctx);
    const quality = await download(ctx, "/v1/quality?groupBy=moderator&format=xlsx");
    expect(quality.status).toBe(200);
    const qualityRows = sheetRows((await workbookOf(quality.bytes)).worksheets[0]);
    expect(qualityRows.find((row) => row.moderator === "모더레이터-0")).toMatchObject({
      audited: 1,
      errors: 1,
      rate: 1,
    });

    const scorecards = await download(ctx, "/v1/scorecards?format=xlsx&from=2026-11-01&to=2026-11-30");
    expect(scorecards.status).toBe(200);
    expect(scorecards.headers.get("content-disposition")).toContain("scorecards.xlsx");
    const cards = sheetRows((await workbookOf(scorecards.bytes)).worksheets[0]);
    expect(cards.length).toBeGreaterThan(0);
    expect(typeof cards[0].audited).toBe("number");

    const items = await download(ctx, `/v1/samples/${sample}/items?format=xlsx&tz=UTC`);
    expect(items.status).toBe(200);
    const json = (await ctx.call("GET", `/v1/samples/${sample}/items`, { key: ctx.keys.lead })).body.items;
    const itemRows = sheetRows((await workbookOf(items.bytes)).worksheets[0]);
    expect(itemRows.map((row) => row.id)).toEqual(json.map((item: { id: string }) => item.id));
    expect(itemRows.map((row) => row.priorityDecimal)).toEqual(
      json.map((item: { priorityDecimal: string }) => item.priorityDecimal),
    );
    expect(itemRows[0].decidedAt).toEqual(new Date("2026-11-20T10:00:00.250Z"));
    expect(typeof itemRows[0].rank).toBe("number");

    const template = await download(ctx, `/v1/samples/${sample}/items?format=xlsx&template=audit`);
    expect(template.status).toBe(200);
    expect(template.headers.get("content-disposition")).toContain("-audits.xlsx");
    const templateRows = sheetRows((await workbookOf(template.bytes)).worksheets[0]);
    expect(templateRows.map((row) => row.decisionId)).toEqual(json.map((item: { id: string }) => item.id));
    expect(templateRows[0].outcome).toBeNull();

    const calibration = await closedCalibration(ctx);
    const report = await download(ctx, `/v1/calibrations/${calibration}/report?format=xlsx`);
    expect(report.status).toBe(200);
    expect(report.headers.get("content-disposition")).toContain(`calibration-${calibration}.xlsx`);
    const reportRows = sheetRows((await workbookOf(report.bytes)).worksheets[0]);
    expect(reportRows.map((row) => row.item).sort()).toEqual(HOSTILE_TEXTS.slice(0, 4).sort());
    expect(typeof reportRows[0].ratings).toBe("number");
    expect(formulaCells(await workbookOf(report.bytes))).toEqual([]);
  });
});

describe("POST of an .xlsx workbook", () => {
  it("reads text, numbers (never E-notation), booleans and date cells in tz", async () => {
    const ctx = await testContext();
    const bytes = await workbookBytes((sheet) => {
      sheet.addRow([...AUDIT_HEADER, "severity", "errorType"]);
      sheet.addRow([
        "00123",
        1e21,
        "큐",
        "m",
        "alice",
        "incorrect",
        new Date(Date.UTC(2026, 11, 6, 10, 15, 30, 250)),
        2,
        "other",
      ]);
      sheet.getCell("G2").numFmt = "yyyy-mm-dd hh:mm:ss";
      sheet.addRow(["a2", 0.1, "q", "m", "alice", "correct", new Date(Date.UTC(2026, 11, 6, 10, 15))]);
      sheet.getCell("G3").numFmt = "yyyy-mm-dd hh:mm";
    });
    const res = await postXlsx(ctx, "/v1/audits?tz=Asia/Seoul", bytes);
    expect(res.body).toEqual({ inserted: 2, duplicates: 0 });
    const stored = (await ctx.call("GET", "/v1/audits", { key: ctx.keys.viewer })).body.audits;
    expect(stored[0]).toMatchObject({
      id: "00123",
      decisionId: "1000000000000000000000",
      queue: "큐",
      severity: 2,
      auditedAt: "2026-12-06T10:15:30.250+09:00",
    });
    expect(stored[1]).toMatchObject({ decisionId: "0.1", auditedAt: "2026-12-06T10:15:00+09:00" });
  });

  it("a formula counts as its saved result; one without a result is a 400 naming the cell", async () => {
    const ctx = await testContext();
    const withResult = await workbookBytes((sheet) => {
      sheet.addRow(AUDIT_HEADER);
      sheet.addRow([
        { formula: 'CONCAT("a","1")', result: "a1" },
        "d",
        "q",
        "m",
        "alice",
        "correct",
        "2026-12-06T10:00:00Z",
      ]);
    });
    expect((await postXlsx(ctx, "/v1/audits", withResult)).body).toEqual({ inserted: 1, duplicates: 0 });
    const without = await workbookBytes((sheet) => {
      sheet.addRow(AUDIT_HEADER);
      sheet.addRow(["a2", "d", "q", "m", "alice", "correct", "2026-12-06T10:00:00Z"]);
      sheet.addRow([
        "a3",
        { formula: "A2&B2" } as ExcelJS.CellFormulaValue,
        "q",
        "m",
        "alice",
        "correct",
        "2026-12-06T10:00:00Z",
      ]);
    });
    const res = await postXlsx(ctx, "/v1/audits", without);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("xlsx_cell_without_value");
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ row: 3, path: "B3", params: { cell: "B3" } }),
    ]);
    expect((await ctx.call("GET", "/v1/audits", { key: ctx.keys.viewer })).body.audits).toHaveLength(1);
  });

  it("a bad row is refused with its sheet row number, and nothing is stored", async () => {
    const ctx = await testContext();
    const bytes = await workbookBytes((sheet) => {
      sheet.addRow(AUDIT_HEADER);
      sheet.addRow(["a1", "d", "q", "m", "alice", "correct", "2026-12-06T10:00:00Z"]);
      // Row 3 left empty: the next row keeps its sheet number.
      sheet.getRow(4).values = ["a2", "d", "q", "m", "alice", "maybe", "2026-12-06T10:00:00Z"];
    });
    const res = await postXlsx(ctx, "/v1/audits", bytes);
    expect(res.status).toBe(400);
    // The empty row is a line of empty fields, as in a CSV the spreadsheet would save: refused like one.
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 3, path: "id", code: "required" }),
        expect.objectContaining({ row: 4, path: "outcome" }),
      ]),
    );
    expect((await ctx.call("GET", "/v1/audits", { key: ctx.keys.viewer })).body.audits).toEqual([]);
  });

  it("refuses what is not a workbook, and an empty sheet, with 400 invalid_xlsx", async () => {
    const ctx = await testContext();
    for (const body of [
      Buffer.from("id,decisionId\n1,2\n"),
      Buffer.alloc(0),
      await workbookBytes(() => {}),
    ]) {
      const res = await postXlsx(ctx, "/v1/audits", body);
      expect(res.status, res.text).toBe(400);
      expect(res.body.error.code).toBe("invalid_xlsx");
    }
    expect(exceljsLeftovers()).toEqual([]);
  });

  it("stores a population from a workbook, ids as typed", async () => {
    const ctx = await testContext();
    const bytes = await workbookBytes((sheet) => {
      sheet.addRow(["id", "queue", "moderator", "decidedAt"]);
      TRICKY_IDS.forEach((id, i) => {
        sheet.addRow([id, "증오", `m${i}`, new Date(Date.UTC(2026, 10, 20, 9, 0))]);
        sheet.getCell(`D${i + 2}`).numFmt = "yyyy-mm-dd hh:mm";
      });
    });
    const res = await postXlsx(ctx, "/v1/populations?tz=Asia/Seoul", bytes);
    expect(res.status, res.text).toBe(201);
    expect(res.body.count).toBe(TRICKY_IDS.length);
    const sample = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population: res.body.id, total: TRICKY_IDS.length },
    });
    const items = (await ctx.call("GET", `/v1/samples/${sample.body.id}/items`, { key: ctx.keys.lead })).body
      .items;
    expect(items.map((item: { id: string }) => item.id).sort()).toEqual([...TRICKY_IDS].sort());
    expect(items[0].decidedAt).toBe("2026-11-20T09:00:00+09:00");
  });

  it("keeps the role rules: a viewer may not upload a workbook", async () => {
    const ctx = await testContext();
    const bytes = await workbookBytes((sheet) => sheet.addRow(AUDIT_HEADER));
    expect((await postXlsx(ctx, "/v1/audits", bytes, ctx.keys.viewer)).status).toBe(403);
  });
});

describe("xlsxStream", () => {
  it("continues on another sheet, header repeated, when a sheet is full", async () => {
    async function* pages() {
      yield [
        ["a", 1],
        ["b", 2],
      ];
      yield [["c", 3]];
    }
    const stream = xlsxStream("audits", ["id", "severity"], pages(), "UTC", 3);
    const bytes = Buffer.from(await new Response(stream).arrayBuffer());
    const workbook = await workbookOf(bytes);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["audits", "audits 2"]);
    expect(sheetRows(workbook.worksheets[0])).toEqual([
      { id: "a", severity: 1 },
      { id: "b", severity: 2 },
    ]);
    expect(sheetRows(workbook.worksheets[1])).toEqual([{ id: "c", severity: 3 }]);
  });
});
