/** Excel needs the UTF-8 byte-order mark to show Korean (and any non-Latin) text correctly. */
export const CSV_BOM = "\uFEFF";
export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
/**
 * Text starting with `=`, `+`, `-`, `@`, tab or CR is run as a formula by Excel, LibreOffice and Google Sheets
 * (CSV injection, OWASP "CSV Injection"): the writer prefixes such text with an apostrophe, which spreadsheets
 * show as text. Text that already starts with apostrophes before one of those characters gets one more, so the
 * reader's rule (`unguardFormula`: drop one apostrophe before apostrophes and a formula character) gives back
 * every text exactly. Numbers are written as they are (a negative number is data, not a formula).
 */
const GUARDED = /^'*[=+\-@\t\r]/;
const GUARD_WRITTEN = /^'+[=+\-@\t\r]/;

/** Text as the CSV writer puts it in a cell: the formula guard's apostrophe where one is needed. */
export const guardFormula = (text: string) => (GUARDED.test(text) ? `'${text}` : text);

/**
 * A CSV cell as the exports meant it (every CSV upload reads cells through this): the inverse of `guardFormula`,
 * so an exported `-17`, `=x` or `'=x` comes back exactly. Other leading apostrophes stay.
 */
export const unguardFormula = (cell: string) => (GUARD_WRITTEN.test(cell) ? cell.slice(1) : cell);

export type CsvValue = string | number | boolean | null | undefined;

/** One CSV field: null/undefined empty, formula-like text neutralised, quoted per RFC 4180 when needed. */
export function csvCell(value: CsvValue, quoteAll = false): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? guardFormula(value) : String(value);
  return quoteAll || NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One RFC 4180 record, CRLF-terminated: fields quoted when they hold a comma, quote, line break or edge space
 * (or always, with `quoteAll`). The only CSV writer of the service: every export goes through it.
 */
export function csvLine(values: readonly CsvValue[], options: { quoteAll?: boolean } = {}): string {
  return `${values.map((value) => csvCell(value, options.quoteAll)).join(",")}\r\n`;
}

/**
 * An export as plain data (issue 15): the header and the rows, each cell a string, number, boolean or empty. One
 * table is written as CSV (`tableCsv`) or as an XLSX sheet (src/xlsx/writer.ts), so both carry the same cells.
 */
export interface Table {
  columns: readonly string[];
  rows: CsvValue[][];
}

/** A table as CSV with the BOM (so Excel shows Korean text), through `csvLine`. */
export function tableCsv(table: Table, options: { quoteAll?: boolean } = {}): string {
  let out = CSV_BOM + csvLine(table.columns, options);
  for (const row of table.rows) out += csvLine(row, options);
  return out;
}
