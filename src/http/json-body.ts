import type { Context } from "hono";
import type { z } from "zod";
import { type AppEnv, requestBody } from "./env.ts";
import { ApiError } from "./errors.ts";
import { validationError } from "./router.ts";

/**
 * The JSON body of a route listed in `OWN_BODY_ROUTE` (src/app.ts), read from the Node request stream
 * (`requestBody`) rather than through Hono's WHATWG Request, within the ordinary body limit (413 beyond it, counted
 * as it arrives), and validated by `schema` as the router's validators do (400 validation_failed with one detail
 * per field). Not JSON → 415; not UTF-8 → 400 invalid_encoding; a body that does not parse → 400
 * malformed_request; a client that hung up mid-body
 * → 400 body_incomplete.
 */
export async function readJsonBody<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.output<T>> {
  if (!/^application\/json\b/i.test(c.req.header("content-type") ?? "")) {
    throw new ApiError(415, "unsupported_media_type", "send the body as application/json");
  }
  const limit = c.get("deps").config.bodyLimit;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of requestBody(c) ?? []) {
      size += chunk.byteLength;
      if (size > limit) break;
      chunks.push(chunk);
    }
  } catch {
    throw new ApiError(
      400,
      "body_incomplete",
      "the request body was cut off before its end; nothing was stored",
    );
  }
  if (size > limit) {
    throw new ApiError(413, "payload_too_large", `request body is larger than ${limit} bytes`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    // Never read as U+FFFD: text that is not UTF-8 is refused, not stored garbled.
    throw new ApiError(400, "invalid_encoding", "the body is not UTF-8; send it as UTF-8 JSON");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, "malformed_request", `the body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, "json");
  return parsed.data;
}
