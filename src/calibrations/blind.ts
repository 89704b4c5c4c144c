import type { CalibrationItem, CalibrationMeta } from "../db/calibrations.ts";
import type { ApiKey } from "../db/keys.ts";
import { conflict, DomainError } from "../errors.ts";

/**
 * The blind rule of a calibration session: while it is open no answer shows labels or gold, except a rater's
 * own labels to that rater's own auditor key, so nobody (not even a lead) can be swayed by the others or by
 * the answer key. Once closed, everything is visible to every reader. Writes follow the same ownership: an
 * auditor key writes only its own rater; lead and admin keys may write any rater (e.g. to import a sheet).
 */

/** Who is asking: the parts of an API key the rule looks at. */
export type Caller = Pick<ApiKey, "role" | "rater">;

type SessionState = Pick<CalibrationMeta, "id" | "status">;

/** An auditor key may write (and, while open, read) only its own rater. `where` names the row that tried. */
export function assertMayWrite(caller: Caller, rater: string, where?: string): void {
  if (caller.role === "auditor" && caller.rater !== rater) {
    throw new DomainError(
      "forbidden",
      "forbidden",
      `an auditor key may write only its own rater (${JSON.stringify(caller.rater)}), not ${JSON.stringify(rater)}`,
      where ? [{ path: where, message: "another rater" }] : undefined,
    );
  }
}

/** Ratings change only while the session is open. */
export function assertOpen(session: SessionState): void {
  if (session.status !== "open")
    throw conflict(`calibration session ${session.id} is closed; ratings cannot change`);
}

/** One rater's labels: only that rater's own auditor key while open; every reader after close. */
export function assertMayReadLabels(session: SessionState, caller: Caller, rater: string): void {
  if (session.status === "open" && !(caller.role === "auditor" && caller.rater === rater)) {
    throw new DomainError(
      "forbidden",
      "forbidden",
      "the session is blind while open: only the rater's own auditor key may see its labels until the session closes",
    );
  }
}

/** The report compares everyone's labels and the gold, so nobody gets it before a lead closes the session. */
export function assertReportable(session: SessionState): void {
  if (session.status === "open") {
    throw conflict("the session is blind while open: its report is available once a lead closes it");
  }
}

/** The items as a reader may see them: gold labels are an answer key, shown only once the session is closed. */
export function visibleItems(
  session: SessionState,
  items: CalibrationItem[],
): CalibrationItem[] | { id: string }[] {
  return session.status === "closed" ? items : items.map((item) => ({ id: item.id }));
}
