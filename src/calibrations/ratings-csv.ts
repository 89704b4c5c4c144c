import { CsvError } from "csv-parse";
import { parse } from "csv-parse/sync";
import { invalidRequest } from "../errors.ts";

/** One data row of a ratings CSV, with its row number as a spreadsheet shows it (the header is row 1). */
export interface RatingRow {
  row: number;
  item: string;
  rater: string;
  label: string;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads an `item,rater,label` CSV body: UTF-8 with or without a BOM, RFC 4180 quoting, any line ending, the
 * columns in any order (others ignored), blank rows skipped. Excel's default "CSV" on a Korean Windows is
 * CP949, hence the hint to save as "CSV UTF-8".
 */
export function readRatingsCsv(body: ArrayBuffer): RatingRow[] {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw invalidRequest('the CSV is not UTF-8: save it as "CSV UTF-8" (Excel) and send it again', [
      { path: "body", code: "invalid_encoding", params: {}, message: "not valid UTF-8" },
    ]);
  }
  const records = parseRecords(text);
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
      item: record[column.item] ?? "",
      rater: record[column.rater] ?? "",
      label: record[column.label] ?? "",
    });
  }
  return rows;
}

function parseRecords(text: string): string[][] {
  try {
    return parse(text, {
      bom: true,
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
