/** What the upload routes' OpenAPI descriptions say about text encodings and spreadsheet cells, in one place. */

export const UPLOAD_ENCODING_DESCRIPTION =
  "Encoding: UTF-8 with or without a BOM by default; UTF-16 LE/BE when the body starts with its BOM (Excel's \"Unicode text\", which is tab-separated: a CSV whose header line has tabs and no comma is read as tab-separated); CP949/EUC-KR with `?charset=cp949` (or `euc-kr`, or Content-Type's `charset=` parameter). A body that is not in its encoding → 400 `invalid_encoding` naming the line and byte (a body read as UTF-8 that is valid CP949 is said to be, with how to fix it); nothing is stored, and no replacement character is ever stored.";

export const FORMULA_GUARD_DESCRIPTION =
  "Spreadsheet formula guard: the CSV exports prefix `'` to text starting with `=`, `+`, `-`, `@`, tab or CR (so a spreadsheet shows it as text); a CSV upload reads a cell that is `'` followed by one of those characters without the apostrophe, so an exported id like `-17` or `=x` comes back exactly.";
