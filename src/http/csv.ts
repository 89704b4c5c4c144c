/** Excel needs the UTF-8 byte-order mark to show Korean (and any non-Latin) text correctly. */
export const CSV_BOM = "\uFEFF";
export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One RFC 4180 record: fields quoted when they hold a comma, quote, line break or edge space; CRLF-terminated. */
export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return `${values
    .map((value) => {
      if (value === null || value === undefined) return "";
      const text = String(value);
      return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(",")}\r\n`;
}
