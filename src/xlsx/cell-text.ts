import { createRequire } from "node:module";

/**
 * Cell text as an .xlsx file holds it. XML 1.0 cannot carry most control characters and turns a carriage return
 * into a line feed, so spreadsheets write them as `_xHHHH_` (and a literal `_xHHHH_` as `_x005F_xHHHH_`);
 * Excel and LibreOffice decode this on reading. exceljs does neither, so the writer and the reader do it here.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is escaped
const NEEDS_ESCAPE = /_x[0-9A-Fa-f]{4}_|[\0-\x08\x0B-\x1F\uFFFE\uFFFF]/g;
const ESCAPED = /_x([0-9A-Fa-f]{4})_/g;

export function escapeCellText(text: string): string {
  return text.replace(NEEDS_ESCAPE, (match) =>
    match.length > 1
      ? `_x005F_${match.slice(1)}`
      : `_x${match.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`,
  );
}

export function unescapeCellText(text: string): string {
  return text.replace(ESCAPED, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * exceljs 4.4 decodes XML entities a second time in string cells of type `str` (the XML parser has decoded them
 * already), so a note reading `Tom &amp; Jerry` came back as `Tom & Jerry`. Its `xmlDecode` is used only after
 * the parser, so making it the identity fixes the readers (whole-file and streaming) without changing anything
 * else. Applied once, when this module loads.
 */
const exceljsUtils = createRequire(import.meta.url)("exceljs/lib/utils/utils.js") as {
  xmlDecode: (text: string) => string;
};
exceljsUtils.xmlDecode = (text) => text;
