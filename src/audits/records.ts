/**
 * Incremental, synchronous readers that turn text chunks of an upload into records, so a large body can be
 * processed chunk by chunk inside one transaction with bounded memory. Each record carries the row
 * number users see in errors: the CSV line where the record starts (header = line 1), the NDJSON line,
 * or the JSON array index.
 */
import { unguardFormula } from "../csv.ts";

export type RawRecord =
  | { row: number; value: unknown; error?: undefined }
  | { row: number; value?: undefined; error: string };

export interface RecordReader {
  push(text: string): void;
  end(): void;
}

export type Format = "json" | "ndjson" | "csv";

export function formatOf(contentType: string | undefined): Format | undefined {
  const type = contentType?.split(";")[0].trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/x-ndjson" || type === "application/ndjson" || type === "application/jsonl")
    return "ndjson";
  if (type === "text/csv") return "csv";
  return undefined;
}

/**
 * The field separator of a CSV, from its header line: a tab when the header has tabs and no comma (Excel's
 * "Unicode text" and "Text (Tab delimited)"), else a comma. A header naming the columns cannot be read both ways.
 */
export function csvDelimiter(headerLine: string): "," | "\t" {
  return headerLine.includes("\t") && !headerLine.includes(",") ? "\t" : ",";
}

export function createReader(format: Format, emit: (record: RawRecord) => void): RecordReader {
  if (format === "ndjson") return ndjsonReader(emit);
  if (format === "csv") return csvReader(emit);
  return jsonReader(emit);
}

function parseJson(text: string, row: number): RawRecord {
  try {
    return { row, value: JSON.parse(text) };
  } catch (error) {
    return { row, error: `invalid JSON: ${(error as Error).message}` };
  }
}

function ndjsonReader(emit: (record: RawRecord) => void): RecordReader {
  let pending = "";
  let line = 0;
  const flushLine = (text: string) => {
    line++;
    if (text.trim() !== "") emit(parseJson(text, line));
  };
  return {
    push(text) {
      pending += text;
      let from = 0;
      for (let nl = pending.indexOf("\n", from); nl !== -1; nl = pending.indexOf("\n", from)) {
        flushLine(pending.slice(from, nl));
        from = nl + 1;
      }
      pending = pending.slice(from);
    },
    end() {
      if (pending !== "") flushLine(pending);
      pending = "";
    },
  };
}

/**
 * RFC 4180 CSV: comma-separated (tab-separated when the header line says so: `csvDelimiter`), fields optionally
 * quoted with `"`, `""` inside quotes for a quote, quoted fields may hold commas and newlines; CRLF or LF line
 * ends. The first record is the header; each later record is emitted as an object keyed by header names, its
 * cells read through `unguardFormula`.
 */
function csvReader(emit: (record: RawRecord) => void): RecordReader {
  // The text before the header line's end, while the delimiter is not known yet.
  let head: string | undefined = "";
  let delimiter = 44;
  let header: string[] | undefined;
  let fields: string[] = [];
  let field = "";
  let quoted = false; // inside a quoted field
  let afterQuote = false; // just closed a quoted field
  let line = 1;
  let recordLine = 1;
  let fieldTouched = false;
  let error: string | undefined;

  const endRecord = () => {
    fields.push(field);
    const isBlank = fields.length === 1 && fields[0] === "" && !fieldTouched;
    if (!isBlank) {
      if (error) emit({ row: recordLine, error });
      else if (!header) header = fields.map((name) => name.trim());
      else if (fields.length !== header.length) {
        emit({
          row: recordLine,
          error: `expected ${header.length} fields (as in the header), found ${fields.length}`,
        });
      } else {
        const value: Record<string, string> = {};
        for (let i = 0; i < header.length; i++) value[header[i]] = unguardFormula(fields[i]);
        emit({ row: recordLine, value });
      }
    }
    fields = [];
    field = "";
    afterQuote = false;
    fieldTouched = false;
    error = undefined;
  };

  const read = (text: string) => {
    let i = 0;
    const n = text.length;
    while (i < n) {
      if (quoted) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          const chunk = text.slice(i);
          field += chunk;
          for (let k = 0; k < chunk.length; k++) if (chunk.charCodeAt(k) === 10) line++;
          i = n;
          break;
        }
        const chunk = text.slice(i, q);
        for (let k = 0; k < chunk.length; k++) if (chunk.charCodeAt(k) === 10) line++;
        field += chunk;
        // A quote inside a quoted field is either the first of "" or the closing quote; the next
        // character decides, and it may be in the next chunk.
        if (q + 1 >= n) {
          quoted = false;
          afterQuote = true;
          i = n;
          break;
        }
        if (text.charCodeAt(q + 1) === 34) {
          field += '"';
          i = q + 2;
        } else {
          quoted = false;
          afterQuote = true;
          i = q + 1;
        }
        continue;
      }
      const ch = text.charCodeAt(i);
      if (ch === 34) {
        if (afterQuote) {
          // `""` split across chunks: the previous quote was an escaped quote, not the end.
          field += '"';
          quoted = true;
          afterQuote = false;
        } else if (field === "" && !fieldTouched) {
          quoted = true;
          fieldTouched = true;
        } else {
          error ??= `line ${line}: a quote inside an unquoted field`;
          field += '"';
        }
        i++;
      } else if (ch === delimiter) {
        fields.push(field);
        field = "";
        afterQuote = false;
        fieldTouched = false;
        i++;
      } else if (ch === 10) {
        if (field.endsWith("\r") && !afterQuote) field = field.slice(0, -1);
        endRecord();
        line++;
        recordLine = line;
        i++;
      } else if (ch === 13 && afterQuote) {
        i++;
      } else {
        if (afterQuote) error ??= `line ${line}: text after a closing quote`;
        // Copy the run of ordinary characters in one slice.
        let j = i + 1;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === 34 || c === delimiter || c === 10) break;
          j++;
        }
        field += text.slice(i, j);
        fieldTouched = true;
        i = j;
      }
    }
  };

  return {
    push(text) {
      if (head === undefined) return read(text);
      head += text;
      // A header line is short; past 64 KiB without a line end it is read comma-separated, as before.
      if (!head.includes("\n") && head.length < 65_536) return;
      delimiter = csvDelimiter(head.split("\n", 1)[0]).charCodeAt(0);
      const all = head;
      head = undefined;
      read(all);
    },
    end() {
      if (head !== undefined) {
        delimiter = csvDelimiter(head).charCodeAt(0);
        const all = head;
        head = undefined;
        read(all);
      }
      if (quoted) {
        error ??= `line ${recordLine}: a quoted field is not closed`;
        quoted = false;
      }
      if (field.endsWith("\r") && !afterQuote) field = field.slice(0, -1);
      if (fields.length > 0 || field !== "" || fieldTouched || error) endRecord();
    },
  };
}

/**
 * A JSON body: one object, or an array of objects split into elements at the top level without parsing the
 * whole array at once (strings and escapes are tracked so brackets inside strings do not count).
 */
function jsonReader(emit: (record: RawRecord) => void): RecordReader {
  let mode: "start" | "single" | "array" | "done" = "start";
  let single = "";
  let element = "";
  let depth = 0;
  let inString = false;
  let escaped = false;
  let index = 0;
  let error: string | undefined;

  const flushElement = () => {
    const text = element.trim();
    element = "";
    if (text === "") return false;
    emit(parseJson(text, index++));
    return true;
  };

  return {
    push(text) {
      let i = 0;
      if (mode === "start") {
        while (i < text.length && /\s/.test(text[i])) i++;
        if (i === text.length) return;
        if (text[i] === "[") {
          mode = "array";
          i++;
        } else {
          mode = "single";
        }
      }
      if (mode === "single") {
        single += text.slice(i);
        return;
      }
      let from = i;
      for (; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        if (mode === "done") {
          if (!/\s/.test(text[i])) error ??= "unexpected text after the closing ] of the array";
          continue;
        }
        if (inString) {
          if (escaped) escaped = false;
          else if (ch === 92) escaped = true;
          else if (ch === 34) inString = false;
          continue;
        }
        if (ch === 34) inString = true;
        else if (ch === 123 || ch === 91) depth++;
        else if (ch === 125 || ch === 93) {
          if (depth === 0 && ch === 93) {
            element += text.slice(from, i);
            flushElement();
            mode = "done";
            from = i + 1;
          } else depth--;
        } else if (ch === 44 && depth === 0) {
          element += text.slice(from, i);
          if (!flushElement()) error ??= `empty element at index ${index}`;
          from = i + 1;
        }
      }
      if (mode === "array") element += text.slice(from);
    },
    end() {
      if (mode === "single") {
        emit(parseJson(single, 0));
        single = "";
      } else if (mode === "array") {
        emit({ row: index, error: "the JSON array is not closed" });
      } else if (error) {
        emit({ row: index, error });
      }
    },
  };
}
