import type { Context } from "hono";

/** The answer formats of the export routes and their media types (the `format` query values). */
const MEDIA_TYPES = {
  json: "application/json",
  csv: "text/csv",
  ndjson: "application/x-ndjson",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;
type Format = keyof typeof MEDIA_TYPES;

/** The media ranges of an Accept header, best first (by q, then as written); `q=0` ranges are left out. */
function acceptedRanges(header: string): string[] {
  return header
    .split(",")
    .map((part, position) => {
      const [range, ...parameters] = part.split(";").map((s) => s.trim().toLowerCase());
      const q = parameters.find((p) => p.startsWith("q="));
      return { range, q: q ? Number(q.slice(2)) : 1, position };
    })
    .filter(({ range, q }) => range && q > 0)
    .sort((a, b) => b.q - a.q || a.position - b.position)
    .map(({ range }) => range);
}

/**
 * The query of an export route with the format of its answer: `format` when the query names it; else the first
 * media type of the `Accept` header that the route offers (`text/csv`, `application/x-ndjson`, the XLSX type); else
 * JSON (also for `*\/*`, no Accept, or only types the route does not offer: the API never answers 406).
 */
export function negotiated<Q extends { format: Format }>(
  c: Context,
  query: Q,
  offered: readonly Q["format"][],
): Q {
  c.header("Vary", "Accept");
  if (c.req.query("format") !== undefined) return query;
  for (const range of acceptedRanges(c.req.header("accept") ?? "")) {
    if (range === "*/*" || range === "application/*") break;
    const format = offered.find((f) => MEDIA_TYPES[f] === range);
    if (format) return { ...query, format };
  }
  return query;
}

/** The media types of an export route's 200 besides JSON, for its OpenAPI declaration (src/http/schemas.ts). */
export const FILE_MEDIA_TYPES = { csv: MEDIA_TYPES.csv, ndjson: MEDIA_TYPES.ndjson, xlsx: MEDIA_TYPES.xlsx };
