/**
 * How the bytes of an upload (audits, populations, calibration ratings) become text, the same way for every
 * upload and on either thread: UTF-8 with or without a byte-order mark by default; UTF-16 (LE or BE) when the body
 * starts with its BOM (Excel's "Unicode text"); CP949/EUC-KR when the client says so (`?charset=cp949` or a
 * `charset=` parameter of Content-Type). Decoding is fatal: a body that is not what it claims is refused naming the
 * line and byte, and no U+FFFD replacement character is ever stored. A BOM wins over a declared charset (it cannot
 * be anything else), as in the WHATWG decode algorithm.
 */
import { locateInvalidUtf8 } from "../audits/utf8.ts";
import { DomainError } from "../errors.ts";
import { Cp949Decoder, Cp949Error } from "./cp949.ts";

/** The encodings an upload may be in. */
export type Charset = "utf-8" | "utf-16le" | "utf-16be" | "cp949";

/** Accepted `charset` names (case-insensitive) and what they mean. EUC-KR is read as its superset CP949. */
const CHARSET_NAMES: Record<string, Charset> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "us-ascii": "utf-8",
  "utf-16": "utf-16le",
  "utf-16le": "utf-16le",
  "utf-16be": "utf-16be",
  cp949: "cp949",
  "euc-kr": "cp949",
  "windows-949": "cp949",
  "ks_c_5601-1987": "cp949",
  ms949: "cp949",
};

/** The names listed in the routes' documentation and in the refusal. */
export const CHARSET_LABELS = Object.keys(CHARSET_NAMES);

/** The longest `charset` value read (the query parameter's documented limit). */
export const MAX_CHARSET_LENGTH = 40;

/**
 * The charset a request declares: the `charset` query parameter, else Content-Type's `charset=` parameter, else
 * undefined (UTF-8, or UTF-16 by its BOM). The query wins so a user can correct a client that always labels its
 * bodies "utf-8". An unknown name → 400 `unsupported_charset` naming `charset` (never a guess: decoding in the
 * wrong charset would store garbled text).
 */
export function requestedCharset(
  query: string | undefined,
  contentType: string | undefined,
): Charset | undefined {
  const named = query ?? contentTypeCharset(contentType);
  if (named === undefined) return undefined;
  const charset = CHARSET_NAMES[named.trim().toLowerCase()];
  if (charset) return charset;
  const message = `unsupported charset ${JSON.stringify(named.slice(0, MAX_CHARSET_LENGTH))}: send UTF-8, or one of ${CHARSET_LABELS.join(", ")}`;
  throw new DomainError("invalid", "unsupported_charset", message, [
    {
      path: "charset",
      field: "charset",
      code: "unsupported_charset",
      params: { charset: named.slice(0, MAX_CHARSET_LENGTH), supported: CHARSET_LABELS.join(", ") },
      message,
    },
  ]);
}

function contentTypeCharset(contentType: string | undefined): string | undefined {
  for (const parameter of contentType?.split(";").slice(1) ?? []) {
    const [name, ...value] = parameter.split("=");
    if (name.trim().toLowerCase() === "charset")
      return value
        .join("=")
        .trim()
        .replace(/^"(.*)"$/, "$1");
  }
  return undefined;
}

/** The encoding a body is read in: its BOM's, else the declared one, else UTF-8. */
function sniff(head: Uint8Array, declared: Charset | undefined): Charset {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf-8";
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  return declared ?? "utf-8";
}

interface ChunkDecoder {
  decode(bytes: Uint8Array): string;
  end(): string;
}

function decoderFor(charset: Charset): ChunkDecoder {
  if (charset === "cp949") {
    const cp949 = new Cp949Decoder();
    return {
      decode: (bytes) => cp949.decode(bytes),
      end: () => {
        cp949.end();
        return "";
      },
    };
  }
  // The WHATWG decoders remove their own BOM (ignoreBOM: false) and, being fatal, throw instead of writing U+FFFD.
  const decoder = new TextDecoder(charset, { fatal: true, ignoreBOM: false });
  return { decode: (bytes) => decoder.decode(bytes, { stream: true }), end: () => decoder.decode() };
}

/**
 * The body as text chunks. `read` gives the raw chunks and may be called again (to locate an error). Throws
 * 400 `invalid_encoding` with the line and byte of the first bad sequence; when the body was read as UTF-8 by
 * default and is valid CP949, the answer says so and how to fix it.
 */
export function* decodeBody(
  read: () => Iterable<Uint8Array>,
  declared: Charset | undefined,
): Generator<string> {
  let charset: Charset | undefined;
  let decoder: ChunkDecoder | undefined;
  let head = new Uint8Array(0);
  try {
    for (const chunk of read()) {
      if (!decoder) {
        // Wait for 3 bytes: a BOM split across chunks still counts.
        head = Buffer.concat([head, chunk]);
        if (head.length < 3) continue;
        charset = sniff(head, declared);
        decoder = decoderFor(charset);
        const text = decoder.decode(head);
        if (text !== "") yield text;
        continue;
      }
      const text = decoder.decode(chunk);
      if (text !== "") yield text;
    }
    if (!decoder) {
      charset = sniff(head, declared);
      decoder = decoderFor(charset);
      const text = decoder.decode(head);
      if (text !== "") yield text;
    }
    const rest = decoder.end();
    if (rest !== "") yield rest;
  } catch (error) {
    if (charset === undefined || !(error instanceof TypeError || error instanceof Cp949Error)) throw error;
    throw encodingError(read, charset, declared, error);
  }
}

function encodingError(
  read: () => Iterable<Uint8Array>,
  charset: Charset,
  declared: Charset | undefined,
  error: TypeError | Cp949Error,
): DomainError {
  const at =
    error instanceof Cp949Error
      ? { byte: error.byte, line: error.line }
      : charset === "utf-8"
        ? locateInvalidUtf8(read())
        : locateInvalidUtf16(read(), charset === "utf-16le");
  const { byte, line } = at ?? { byte: 0, line: 0 };
  const cp949 = charset === "utf-8" && declared === undefined && decodesAsCp949(read);
  const name = charset === "cp949" ? "CP949/EUC-KR" : charset.toUpperCase();
  const message = cp949
    ? `not UTF-8 at byte ${byte} (line ${line}); it reads as CP949 (EUC-KR), Excel's plain "CSV" on Korean Windows: save it as "CSV UTF-8 (comma delimited)" in Excel, or send it again with ?charset=cp949`
    : charset === "utf-8"
      ? `not UTF-8 at byte ${byte} (line ${line}); save the file as "CSV UTF-8 (comma delimited)" in Excel and send it again`
      : `not ${name} at byte ${byte} (line ${line})`;
  const params: Record<string, string | number> = { line, byte, charset, suggestion: cp949 ? "cp949" : "" };
  // `origin` selects the dashboard's specific text (detail.invalid_encoding.cp949), as for sizes.
  if (cp949) params.origin = "cp949";
  return new DomainError("invalid", "invalid_encoding", `the body is ${message}; nothing was stored`, [
    { row: line, path: "", field: "", code: "invalid_encoding", params, message },
  ]);
}

function decodesAsCp949(read: () => Iterable<Uint8Array>): boolean {
  const decoder = new Cp949Decoder();
  try {
    for (const chunk of read()) decoder.decode(chunk);
    decoder.end();
    return true;
  } catch (error) {
    if (error instanceof Cp949Error) return false;
    throw error;
  }
}

/** The first unpaired surrogate or dangling byte of a UTF-16 body, and its line (U+000A counted). */
function locateInvalidUtf16(
  chunks: Iterable<Uint8Array>,
  littleEndian: boolean,
): { byte: number; line: number } | undefined {
  let byte = 0;
  let line = 1;
  let low = -1; // the first byte of a code unit split across chunks
  let highSurrogateAt = -1;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++, byte++) {
      if (low < 0) {
        low = chunk[i];
        continue;
      }
      const unit = littleEndian ? low | (chunk[i] << 8) : (low << 8) | chunk[i];
      low = -1;
      const start = byte - 1;
      if (highSurrogateAt >= 0) {
        if (unit < 0xdc00 || unit > 0xdfff) return { byte: highSurrogateAt, line };
        highSurrogateAt = -1;
      } else if (unit >= 0xd800 && unit <= 0xdbff) highSurrogateAt = start;
      else if (unit >= 0xdc00 && unit <= 0xdfff) return { byte: start, line };
      if (unit === 0x0a) line++;
    }
  }
  if (highSurrogateAt >= 0) return { byte: highSurrogateAt, line };
  return low >= 0 ? { byte: byte - 1, line } : undefined;
}
