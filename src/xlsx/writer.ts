import { once } from "node:events";
import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { parseTimestamp } from "../audits/validate.ts";
import type { CsvValue, Table } from "../csv.ts";
import { escapeCellText } from "./cell-text.ts";
import { zoneOffsetMs } from "./zone.ts";

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Excel's sheet size: 1,048,576 rows including the header. Longer exports continue on another sheet. */
const SHEET_MAX_ROWS = 1_048_576;

/**
 * Columns written as date cells (wall time in the export's zone, since a spreadsheet has no zones) when the value
 * is an ISO 8601 timestamp; any other value stays text.
 */
const DATE_COLUMNS = new Set(["decidedAt", "auditedAt"]);

/** Text cells: the number format `@`, so a spreadsheet keeps ids such as `00002082`, `3/4` or `1E5` as typed. */
const TEXT_FORMAT = "@";
/**
 * Cell styles shared by every cell of their kind: exceljs finds a style's id by the style object's identity
 * (a WeakMap) before serialising it, so one object per kind keeps a million-row export from serialising a
 * style per cell (the largest cost of the export).
 */
const TEXT_STYLE: Partial<ExcelJS.Style> = { numFmt: TEXT_FORMAT };
const NUMBER_STYLE: Partial<ExcelJS.Style> = { numFmt: "General" };
const MAX_WIDTH = 60;

/**
 * One export as XLSX, streamed: the header row frozen and bold, text as text cells (never a number, a date or a
 * formula: a string cell is not evaluated), numbers as numbers, the date columns as date cells in `timeZone`
 * (the zone is written into their number format, e.g. `yyyy-mm-dd hh:mm:ss "Asia/Seoul"`, and in a note on the
 * header). Rows past Excel's limit continue on a second sheet (`<name> 2`) with the header again. Pages are
 * pulled one at a time and only while the client keeps reading, so memory stays bounded however many rows.
 */
export function xlsxStream(
  sheetName: string,
  columns: readonly string[],
  pages: AsyncIterable<CsvValue[][]>,
  timeZone: string,
  /** Rows per sheet including the header (Excel's limit; smaller in tests). */
  sheetRows = SHEET_MAX_ROWS,
): ReadableStream<Uint8Array> {
  const out = new PassThrough({ highWaterMark: 1024 * 1024 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const dateStyle: Partial<ExcelJS.Style> = {
    numFmt: `yyyy-mm-dd hh:mm:ss "${timeZone.replace(/"/g, "")}"`,
  };
  const write = async () => {
    let widths: number[] | undefined;
    let sheet: ExcelJS.Worksheet | undefined;
    let sheetNumber = 0;
    let rowsInSheet = 0;
    for await (const page of pages) {
      // The streaming writer writes a sheet's column widths before its first row: take them from the first page.
      widths ??= columnWidths(columns, page);
      for (const values of page) {
        if (sheet === undefined || rowsInSheet === sheetRows) {
          sheet?.commit();
          sheet = newSheet(workbook, sheetName, ++sheetNumber, columns, widths, timeZone);
          rowsInSheet = 1;
        }
        const row = sheet.addRow([]);
        values.forEach((value, i) => {
          // Empty cells are not written: the column's style (text) applies to them.
          if (value !== null && value !== undefined && value !== "") {
            writeCell(row.getCell(i + 1), columns[i], value, timeZone, dateStyle);
          }
        });
        row.commit();
        rowsInSheet++;
      }
      // Backpressure: the next page is read only once the client has taken what is buffered.
      if (out.writableNeedDrain) await once(out, "drain");
    }
    sheet ??= newSheet(workbook, sheetName, 1, columns, widths ?? columnWidths(columns, []), timeZone);
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => out.destroy(error as Error));
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

/** A whole table (a report's rows, already in memory) as an XLSX stream. */
export function xlsxOfTable(sheetName: string, table: Table, timeZone: string): ReadableStream<Uint8Array> {
  async function* single() {
    yield table.rows;
  }
  return xlsxStream(sheetName, table.columns, single(), timeZone);
}

function newSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  number: number,
  columns: readonly string[],
  widths: number[],
  timeZone: string,
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(number === 1 ? name : `${name} ${number}`, {
    views: [{ state: "frozen", ySplit: 1 }],
  });
  sheet.columns = columns.map((header, i) => ({
    key: header,
    width: widths[i],
    style: DATE_COLUMNS.has(header) ? {} : TEXT_STYLE,
  }));
  const header = sheet.addRow(columns.map(inlineText));
  header.font = { bold: true };
  columns.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.style = TEXT_STYLE;
    if (DATE_COLUMNS.has(column)) cell.note = `Local time in ${timeZone}`;
  });
  header.commit();
  return sheet;
}

function writeCell(
  cell: ExcelJS.Cell,
  column: string,
  value: string | number | boolean,
  timeZone: string,
  dateStyle: Partial<ExcelJS.Style>,
): void {
  if (typeof value === "number" || typeof value === "boolean") {
    cell.value = value;
    cell.style = NUMBER_STYLE;
    return;
  }
  const ms = DATE_COLUMNS.has(column) ? parseTimestamp(value) : undefined;
  if (ms !== undefined) {
    // Excel's date serial is a wall-clock time: the instant shifted by the zone's offset at that instant.
    cell.value = new Date(ms + zoneOffsetMs(ms, timeZone));
    cell.style = dateStyle;
    return;
  }
  cell.value = inlineText(value);
  cell.style = TEXT_STYLE;
}

/**
 * Text as an inline string (`t="inlineStr"`, `<t xml:space="preserve">`). exceljs writes a plain string without a
 * shared-strings table as `t="str"`, the type of a formula's text result, whose `<v>` LibreOffice trims (a leading
 * tab or space was lost) and reads without decoding `_x000D_`; inline strings keep every character, in Excel too.
 */
function inlineText(text: string): ExcelJS.CellRichTextValue {
  return { richText: [{ text: escapeCellText(text) }] };
}

/** Widths in characters from the header and the first rows (capped; longer texts are cut off on screen only). */
function columnWidths(columns: readonly string[], rows: CsvValue[][]): number[] {
  const widths = columns.map((column) => Math.max(10, displayWidth(column) + 2));
  for (const row of rows.slice(0, 1000)) {
    row.forEach((value, i) => {
      if (i < widths.length && value !== null && value !== undefined) {
        widths[i] = Math.min(MAX_WIDTH, Math.max(widths[i], displayWidth(String(value)) + 2));
      }
    });
  }
  return widths;
}

/** Rough column width in characters: Hangul and other wide characters count twice. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width += /[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return width;
}

/** The headers of an XLSX download: its media type and `attachment` with a file name (ASCII, and UTF-8 for others). */
export function xlsxHeaders(name: string): Record<string, string> {
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, "_");
  return {
    "content-type": XLSX_CONTENT_TYPE,
    "content-disposition": `attachment; filename="${ascii}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}.xlsx`,
  };
}
