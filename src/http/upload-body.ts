import type { Context } from "hono";
import { Spool, spoolDirectory } from "../audits/ingest.ts";
import { type Format, formatOf } from "../audits/records.ts";
import { requestedCharset } from "../uploads/text-encoding.ts";
import { isXlsx, spoolXlsxAsCsv } from "../xlsx/reader.ts";
import { type AppEnv, requestBody } from "./env.ts";

/**
 * The body of a spreadsheet upload (POST /v1/audits, POST /v1/populations), spooled with the format its records
 * are read in: an .xlsx workbook's first sheet converted to CSV (src/xlsx/reader.ts, dates in `timeZone`), any
 * other body as it came, decoded later in the charset the request names. Undefined for a Content-Type the
 * uploads do not take, before any of the body is read (the route answers 415 with the types it takes).
 */
export async function receiveUpload(
  c: Context<AppEnv>,
  charset: string | undefined,
  timeZone: string,
): Promise<{ format: Format; spool: Spool } | undefined> {
  const contentType = c.req.header("content-type");
  const xlsx = isXlsx(contentType);
  const format = xlsx ? "csv" : formatOf(contentType);
  if (!format) return undefined;
  const { config } = c.get("deps");
  const directory = spoolDirectory(config.dataDir);
  const spool = xlsx
    ? await spoolXlsxAsCsv(requestBody(c), directory, config.ingestBodyLimit, timeZone)
    : await Spool.fromStream(
        requestBody(c),
        directory,
        config.ingestBodyLimit,
        requestedCharset(charset, contentType),
      );
  return { format, spool };
}
