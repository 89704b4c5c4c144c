/** Excel needs the UTF-8 byte-order mark to show Korean (and any non-Latin) text correctly. */
export const CSV_BOM = "\uFEFF";
export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
/**
 * Text starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets (CSV injection,
 * OWASP "CSV Injection"): such text cells get a leading apostrophe, which spreadsheets show as text.
 * Numbers are written as they are (a negative number is data, not a formula).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvValue = string | number | boolean | null | undefined;

/** One CSV field: null/undefined empty, formula-like text neutralised, quoted per RFC 4180 when needed. */
export function csvCell(value: CsvValue, quoteAll = false): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return quoteAll || NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One RFC 4180 record, CRLF-terminated: fields quoted when they hold a comma, quote, line break or edge space
 * (or always, with `quoteAll`). The only CSV writer of the service: every export goes through it.
 */
export function csvLine(values: readonly CsvValue[], options: { quoteAll?: boolean } = {}): string {
  return `${values.map((value) => csvCell(value, options.quoteAll)).join(",")}\r\n`;
}
