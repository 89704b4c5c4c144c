import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import ExcelJS from "exceljs";
import { Spool } from "../audits/ingest.ts";
import { guardFormula } from "../csv.ts";
import { DomainError } from "../errors.ts";
import { unescapeCellText } from "./cell-text.ts";
import { XLSX_CONTENT_TYPE } from "./writer.ts";
import { checkZipSize, type ZipSpan } from "./zip-check.ts";
import { wallTimeIso } from "./zone.ts";

/** Whether a request's Content-Type is an .xlsx workbook. */
export function isXlsx(contentType: string | undefined): boolean {
  return contentType?.split(";")[0].trim().toLowerCase() === XLSX_CONTENT_TYPE;
}

/** The most an uploaded workbook may unpack to (all its XML parts together): bounds the reader's memory. */
const XLSX_MAX_UNPACKED_BYTES = 512 * 1024 * 1024;
/** Excel's own sheet limits: a cell beyond them means a file no spreadsheet wrote. */
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;
const CSV_CHUNK_CHARS = 1024 * 1024;

/** An uploaded workbook kept in a temporary file (a ZIP archive needs random access); `dispose` removes it. */
interface XlsxUpload {
  path: string;
  dispose(): void;
}

/** Receives the body into a temporary file; more than `maxBytes` → 413 `payload_too_large`, as other uploads. */
async function receiveXlsx(
  body: AsyncIterable<Uint8Array> | null,
  dir: string,
  maxBytes: number,
): Promise<XlsxUpload> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `upload-${randomUUID()}.tmp`);
  const dispose = () => rmSync(path, { force: true });
  let bytes = 0;
  async function* counted() {
    if (body) {
      for await (const chunk of body) {
        bytes += chunk.byteLength;
        if (bytes > maxBytes) {
          throw new DomainError(
            "too_large",
            "payload_too_large",
            `request body is larger than ${maxBytes} bytes`,
          );
        }
        yield chunk;
      }
    }
  }
  try {
    await pipeline(counted(), createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    dispose();
    if (error instanceof DomainError) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "ECONNRESET" || code === "ERR_STREAM_PREMATURE_CLOSE") {
      throw new DomainError(
        "invalid",
        "body_incomplete",
        "the request body was cut off before its end; nothing was stored",
      );
    }
    throw error;
  }
  return { path, dispose };
}

/**
 * The first sheet of an uploaded workbook as UTF-8 CSV chunks, so it goes through the CSV upload's own
 * validation with the same row numbers (sheet row N = CSV line N; an empty row between data rows is a line of
 * empty fields, as in the CSV a spreadsheet saves; trailing empty rows are dropped). Cells: text as it is; numbers as their shortest round-trip decimal (never E-notation); booleans
 * `true`/`false`; date cells as ISO 8601 with the offset of `timeZone` at that local time; a formula as its cached
 * result. A formula without a cached result, or an error value (`#N/A`), → 400 `xlsx_cell_without_value`
 * naming the cell. Every field is quoted, so no text is read as anything else. The archive is checked first
 * (`checkZipSize`): more than XLSX_MAX_UNPACKED_BYTES unpacked → 413 `xlsx_too_large`.
 */
async function* xlsxAsCsv(upload: XlsxUpload, timeZone: string): AsyncGenerator<Uint8Array> {
  const spans = await checkZipSize(upload.path, XLSX_MAX_UNPACKED_BYTES);
  const input = Readable.from(entriesSheetsLast(upload.path, spans));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  let out = "";
  let lastRow = 0;
  let width = 0;
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        if (row.number > MAX_ROWS || row.number <= lastRow) invalid(`row ${row.number} is out of order`);
        const fields = csvFields(row, timeZone);
        if (fields.every((field) => field === "")) continue; // trailing empty rows are no data
        if (lastRow === 0) {
          if (row.number !== 1)
            invalid(`the header must be in row 1, found the first cells in row ${row.number}`);
          width = fields.length;
        }
        // Empty rows between data rows are what a CSV saved by a spreadsheet holds: a line of empty fields.
        out += `${",".repeat(Math.max(0, width - 1))}\r\n`.repeat(row.number - lastRow - 1);
        lastRow = row.number;
        while (fields.length < width) fields.push("");
        out += `${fields.join(",")}\r\n`;
        if (out.length >= CSV_CHUNK_CHARS) {
          yield Buffer.from(out, "utf8");
          out = "";
        }
      }
      break; // the first sheet only
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    invalid((error as Error).message);
  } finally {
    input.destroy();
  }
  if (lastRow === 0) invalid("the first sheet is empty (the header row goes in row 1)");
  if (out) yield Buffer.from(out, "utf8");
}

/**
 * The archive's entries in sequence, worksheets last. exceljs's streaming reader needs the shared strings before
 * a sheet; LibreOffice writes them after, and exceljs then copies each sheet to a temporary file first (a second
 * pass over the sheet, on disk). Entries are self-contained local records, so the reader, which walks local
 * headers in order, takes them in any order.
 */
async function* entriesSheetsLast(path: string, spans: ZipSpan[]): AsyncGenerator<Buffer> {
  const isSheet = (span: ZipSpan) => /^xl\/worksheets\/sheet\d+\.xml$/.test(span.name);
  for (const span of [...spans.filter((span) => !isSheet(span)), ...spans.filter(isSheet)]) {
    if (span.end > span.start) yield* createReadStream(path, { start: span.start, end: span.end - 1 });
  }
  // The central directory last, as in the file: the reader stops at it (its offsets are not used).
  yield* createReadStream(path, { start: Math.max(0, ...spans.map((span) => span.end)) });
}

/** A row's CSV fields up to its last non-empty cell, every non-empty one quoted. */
function csvFields(row: ExcelJS.Row, timeZone: string): string[] {
  const fields: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    if (column > MAX_COLUMNS) invalid(`cell ${cell.address} is beyond column XFD`);
    while (fields.length < column - 1) fields.push("");
    const text = cellText(cell, cell.value, timeZone);
    fields.push(text === "" ? "" : `"${text.replace(/"/g, '""')}"`);
  });
  while (fields.length > 0 && fields[fields.length - 1] === "") fields.pop();
  return fields;
}

function cellText(cell: ExcelJS.Cell, value: ExcelJS.CellValue, timeZone: string): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return guardFormula(unescapeCellText(value));
  if (typeof value === "number") return decimalText(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return wallTimeIso(value, timeZone);
  if ("richText" in value)
    return guardFormula(unescapeCellText(value.richText.map((run) => run.text).join("")));
  if ("error" in value) return withoutValue(cell, `holds the error ${value.error}`);
  if ("formula" in value || "sharedFormula" in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null || (typeof result === "object" && "error" in result)) {
      return withoutValue(cell, "is a formula without a calculated value; save it from a spreadsheet first");
    }
    return cellText(cell, result as ExcelJS.CellValue, timeZone);
  }
  if ("hyperlink" in value) return cellText(cell, value.text as ExcelJS.CellValue, timeZone);
  return String(value);
}

/** The shortest decimal that reads back as the same double, without E-notation (1e21 → 1000000000000000000000). */
function decimalText(value: number): string {
  const shortest = String(value);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(shortest);
  if (!m) return shortest;
  const [, sign, first, rest = "", exponentText] = m;
  const digits = first + rest;
  const point = 1 + Number(exponentText);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function withoutValue(cell: ExcelJS.Cell, message: string): never {
  throw new DomainError("invalid", "xlsx_cell_without_value", `cell ${cell.address} ${message}`, [
    {
      row: Number(cell.row),
      path: cell.address,
      field: "",
      code: "xlsx_cell_without_value",
      params: { cell: cell.address },
      message,
    },
  ]);
}

function invalid(message: string): never {
  throw new DomainError("invalid", "invalid_xlsx", `not a readable .xlsx file: ${message}`);
}

/**
 * An uploaded workbook as a CSV upload: the body received into a temporary file, its first sheet converted
 * (`xlsxAsCsv`) into a spool the CSV path reads, so validation, row numbers and all-or-nothing are the CSV
 * upload's own. The workbook file is removed before this returns.
 */
export async function spoolXlsxAsCsv(
  body: AsyncIterable<Uint8Array> | null,
  dir: string,
  maxBytes: number,
  timeZone: string,
): Promise<Spool> {
  const upload = await receiveXlsx(body, dir, maxBytes);
  const temporaryFiles: TmpFileRemover[] = [];
  try {
    return await exceljsTemporaryFiles.run(temporaryFiles, () =>
      Spool.fromStream(xlsxAsCsv(upload, timeZone), dir, maxBytes),
    );
  } finally {
    await Promise.all(
      temporaryFiles.map((remove) => new Promise<void>((removed) => remove(() => removed()))),
    );
    upload.dispose();
  }
}

/** `tmp`'s remover: closes and unlinks the file, then calls `done`. */
type TmpFileRemover = (done: () => void) => void;
type TmpFileCallback = (error: Error | null, path: string, fd: number, remove: TmpFileRemover) => void;

/**
 * exceljs's streaming reader copies a worksheet it meets before the shared strings (or in a workbook without
 * any, as its own writer makes) to a temporary file (the `tmp` package) and removes it only after reading every
 * sheet to the end; an upload that stops early (an error, or the first sheet read) would leave it behind. Each
 * upload collects the removers of the files made while it reads (AsyncLocalStorage follows its async calls)
 * and runs them when it is done.
 */
const exceljsTemporaryFiles = new AsyncLocalStorage<TmpFileRemover[]>();
const exceljsTmp = createRequire(createRequire(import.meta.url).resolve("exceljs"))("tmp") as {
  file: (...args: unknown[]) => void;
};
const tmpFile = exceljsTmp.file;
exceljsTmp.file = (...args: unknown[]) => {
  const callback = args[args.length - 1] as TmpFileCallback;
  const removers = exceljsTemporaryFiles.getStore();
  const tracked: TmpFileCallback = (error, path, fd, remove) => {
    if (!error) removers?.push(remove);
    callback(error, path, fd, remove);
  };
  return tmpFile.apply(exceljsTmp, [...args.slice(0, -1), tracked]);
};

/** The upload routes' description of .xlsx bodies (POST /v1/audits, POST /v1/populations). */
export const XLSX_UPLOAD_DESCRIPTION = `\`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\` (an .xlsx workbook): its first sheet is read as CSV (row 1 the header; sheet row N = CSV line N in errors; the same validation, all or nothing). Text cells as they are, numbers as their shortest decimal (never E-notation), date cells as ISO 8601 in \`tz\` (default MODQC_TZ), formulas as their saved result (none → 400 \`xlsx_cell_without_value\` naming the cell). The body limit is the CSV one; the workbook may unpack to at most ${XLSX_MAX_UNPACKED_BYTES / 1024 / 1024} MiB (→ 413 \`xlsx_too_large\`); a file that is not a readable workbook → 400 \`invalid_xlsx\`.`;
