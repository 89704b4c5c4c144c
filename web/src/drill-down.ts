/*
 * Links from an aggregate (an alert, a quality row, a chart point, a funnel unit) to the audits behind it: the
 * `/audits` page with the aggregate's filters carried over in the query string, in the names GET /v1/audits takes.
 */

import { navigate } from "./router.tsx";

/** The filters of GET /v1/audits that a drill-down may carry (absent or empty values are left out). */
export interface AuditsFilter {
  from?: string;
  to?: string;
  tz?: string;
  queue?: string;
  moderator?: string;
  auditor?: string;
  policy?: string;
  market?: string;
  errorType?: string;
  sampleId?: string;
  /** `incorrect`: only the errors (what an alert or a flagged unit is about). */
  outcome?: string;
  /** Only audits with a severity of at least this (1–4). */
  minSeverity?: string;
}

/** The filter names of `AuditsFilter`, in the order the `/audits` page shows them. */
export const AUDITS_FILTER_KEYS = [
  "from",
  "to",
  "tz",
  "queue",
  "moderator",
  "auditor",
  "policy",
  "market",
  "errorType",
  "sampleId",
  "outcome",
  "minSeverity",
] as const satisfies readonly (keyof AuditsFilter)[];

/** The `/audits` address listing the audits that match `filter`. */
export function auditsHref(filter: AuditsFilter): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `/audits?${text}` : "/audits";
}

/** The `AuditsFilter` in a query string (other parameters ignored). */
export function auditsFilterFrom(query: URLSearchParams): AuditsFilter {
  const filter: AuditsFilter = {};
  for (const key of AUDITS_FILTER_KEYS) {
    const value = query.get(key);
    if (value) filter[key] = value;
  }
  return filter;
}

/**
 * The last day (YYYY-MM-DD) of the chart period of `interval` that begins on `first` (a chart point's label: the
 * period's first day in the chart's time zone), so `from=first&to=last` in that zone is exactly the period.
 */
export function periodLastDay(first: string, interval: "day" | "week" | "month"): string {
  const [y, m, d] = first.split("-").map(Number);
  const last =
    interval === "day"
      ? new Date(Date.UTC(y, m - 1, d))
      : interval === "week"
        ? new Date(Date.UTC(y, m - 1, d + 6))
        : new Date(Date.UTC(y, m, 0));
  return last.toISOString().slice(0, 10);
}

/** A click handler that follows `href` on the client (a plain click; modified clicks open as the browser does). */
export function followOnClick(href: string) {
  return (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    event.preventDefault();
    navigate(href);
  };
}

/**
 * The `/audits/:id` address of one audit (its verdict and its history of revisions); with `list`, the filters of the
 * list it was opened from ride along, so the audit's page links back to that list.
 */
export const auditHref = (id: string, list: AuditsFilter = {}): string =>
  `/audits/${encodeURIComponent(id)}${auditsHref(list).slice("/audits".length)}`;
