import { CsvError } from "csv-parse";
import { parse } from "csv-parse/sync";
import { csvDelimiter } from "../audits/records.ts";
import { unguardFormula } from "../csv.ts";
import { invalidRequest } from "../errors.ts";
import { type Charset, decodeBody } from "../uploads/text-encoding.ts";

/** One data row of a ratings CSV, with its row number as a spreadsheet shows it (the header is row 1). */
export interface RatingRow {
  row: number;
  item: string;
  rater: string;
  label: string;
}

/** An uploaded CSV's bytes and the charset its request declared (src/uploads/text-encoding.ts). */
export interface CsvBody {
  bytes: ArrayBuffer;
  charset: Charset | undefined;
}

/**
 * Reads an `item,rater,label` CSV body: decoded as every upload is (UTF-8 with or without a BOM, UTF-16 by its
 * BOM, CP949 when declared; src/uploads/text-encoding.ts), RFC 4180 quoting, comma- or (header with tabs and no
 * comma) tab-separated, any line ending, the columns in any order (others ignored), blank rows skipped, a cell
 * of `'` + a formula character read without the apostrophe (the exports' formula guard).
 */
export function readRatingsCsv(body: CsvBody): RatingRow[] {
  const text = [...decodeBody(() => [new Uint8Array(body.bytes)], body.charset)].join("");
  const records = parseRecords(text, csvDelimiter(text.split("\n", 1)[0]));
  const header = (records[0] ?? []).map((name) => name.trim().toLowerCase());
  const column = {
    item: header.indexOf("item"),
    rater: header.indexOf("rater"),
    label: header.indexOf("label"),
  };
  const missing = Object.entries(column).filter(([, index]) => index < 0);
  if (missing.length > 0) {
    throw invalidRequest("the CSV needs a header row with the columns item, rater, label", [
      ...missing.map(([name]) => ({
        path: "rows.1",
        row: 1,
        field: name,
        code: "missing_column",
        params: {},
        message: `no ${name} column in the header row`,
      })),
    ]);
  }
  const rows: RatingRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const record = records[r];
    if (record.every((field) => field.trim() === "")) continue;
    rows.push({
      row: r + 1,
      item: unguardFormula(record[column.item] ?? ""),
      rater: unguardFormula(record[column.rater] ?? ""),
      label: unguardFormula(record[column.label] ?? ""),
    });
  }
  return rows;
}

function parseRecords(text: string, delimiter: string): string[][] {
  try {
    return parse(text, {
      bom: true,
      delimiter,
      relax_column_count: true,
      record_delimiter: ["\r\n", "\n", "\r"],
    }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      // csv-parse counts the records it completed; the broken one is the next (1-based, header included).
      const record = ((error as CsvError & { records?: number }).records ?? 0) + 1;
      throw invalidRequest(`the CSV does not parse: ${error.message}`, [
        { path: `rows.${record}`, row: record, code: "unreadable_row", params: {}, message: error.message },
      ]);
    }
    throw error;
  }
}
