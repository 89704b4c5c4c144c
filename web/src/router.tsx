import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

/** History routing over a fixed set of pages (the server answers index.html for exactly these paths). */
export type PageName =
  | "sign-in"
  | "audit"
  | "planner"
  | "quality"
  | "charts"
  | "calibration"
  | "alerts"
  | "keys"
  | "findings"
  | "scorecards"
  | "disputes"
  | "samples"
  | "audits"
  | "auditors";

export interface Location {
  page: PageName | "not-found";
  /** The id after /calibration/, /samples/ or /audits/. */
  id?: string;
  query: URLSearchParams;
  /** The address was `/`: each role's home page (the error rates, an auditor's workbench, a moderator's findings). */
  home?: boolean;
}

/** Pages whose address may name one thing: `/calibration/:id`, `/samples/:id`, `/audits/:id`. */
const PAGES_WITH_ID = new Set<PageName>(["calibration", "samples", "audits"]);

export function parseLocation(pathname: string, search: string): Location {
  const query = new URLSearchParams(search);
  if (pathname === "/" || pathname === "") return { page: "quality", query, home: true };
  const match = pathname.match(
    /^\/(sign-in|audit|planner|quality|charts|calibration|alerts|keys|findings|scorecards|disputes|samples|audits|auditors)(?:\/([^/]+))?\/?$/,
  );
  if (!match) return { page: "not-found", query };
  const page = match[1] as PageName;
  if (match[2] !== undefined && !PAGES_WITH_ID.has(page)) return { page: "not-found", query };
  return { page, id: match[2] === undefined ? undefined : decodeURIComponent(match[2]), query };
}

const listeners = new Set<() => void>();
function notify() {
  for (const listener of listeners) listener();
}
window.addEventListener("popstate", notify);

/** Goes to a page; `replace` rewrites the current history entry (filters typed into a form). */
export function navigate(href: string, replace = false): void {
  if (href === location.pathname + location.search) return;
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  notify();
}

export function useLocation(): Location {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return parseLocation(location.pathname, location.search);
}

/** Updates the query string to mirror a form, without a new history entry and without re-rendering. */
export function replaceQuery(query: Record<string, string | number | undefined | null>): void {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  history.replaceState(null, "", `${location.pathname}${text ? `?${text}` : ""}`);
}

interface LinkProps {
  href: string;
  children?: ComponentChildren;
  class?: string;
  "aria-current"?: "page";
  "aria-label"?: string;
}

/** An ordinary link (so it can be opened in a new tab) that routes on the client on a plain click. */
export function Link({ href, children, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={href}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
          return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
