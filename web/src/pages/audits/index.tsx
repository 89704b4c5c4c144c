import { AuditHistory } from "./history.tsx";
import { AuditList } from "./list.tsx";

/** `/audits` (the audits behind a report, filters in the query) and `/audits/:id` (one audit's history). */
export function AuditsPage({ id, query }: { id?: string; query: URLSearchParams }) {
  return id === undefined ? <AuditList query={query} /> : <AuditHistory id={id} query={query} />;
}
