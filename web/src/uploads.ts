/**
 * What the dashboard sends for a chosen spreadsheet file (issue 15): an `.xlsx` workbook as itself, anything else
 * as CSV in the encoding the person chose (Excel on Korean Windows saves plain "CSV" as CP949; the API decodes it
 * only when told, and otherwise refuses it with `invalid_encoding` rather than store garbled Hangul).
 */
export type UploadCharset = "utf-8" | "cp949";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The file input's `accept`: CSV and Excel workbooks. */
export const SPREADSHEET_ACCEPT = `.csv,text/csv,.xlsx,${XLSX_TYPE}`;

export const isXlsx = (file: File) => file.type === XLSX_TYPE || /\.xlsx$/i.test(file.name);

export const uploadContentType = (file: File) => (isXlsx(file) ? XLSX_TYPE : "text/csv");

/** The upload's query: `charset` only for a CSV that is not UTF-8 (UTF-8 and UTF-16 with a BOM need nothing). */
export const uploadQuery = (file: File, charset: UploadCharset): Record<string, string> =>
  !isXlsx(file) && charset !== "utf-8" ? { charset } : {};
