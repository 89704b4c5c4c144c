import type { ApiKey } from "../db/keys.ts";
import { DomainError } from "../errors.ts";

/**
 * Who may read a moderator's feedback (issue 14). A moderator key reads only the moderator it is bound to;
 * leads and admins read every moderator; viewers and auditors read none (reports by moderator stay theirs, but a
 * moderator's findings, scorecard and disputes are between the moderator and the leads).
 */
export type Reader = Pick<ApiKey, "role" | "name" | "rater" | "moderator">;

export const isLeadOrAdmin = (caller: Pick<ApiKey, "role">): boolean =>
  caller.role === "lead" || caller.role === "admin";

/**
 * The moderator whose data `caller` asks for: `requested`, or a moderator key's own when none is named.
 * @throws DomainError `forbidden` / `not_own_moderator` when a moderator key names another moderator;
 *   `forbidden` / `forbidden` for viewer and auditor keys; `invalid` / `moderator_required` when a lead names none.
 */
export function readableModerator(caller: Reader, requested: string | undefined): string {
  if (caller.role === "moderator") {
    const own = caller.moderator ?? "";
    if (requested !== undefined && requested !== own) {
      throw new DomainError(
        "forbidden",
        "not_own_moderator",
        "a moderator key reads only its own moderator's findings, scorecard and disputes",
      );
    }
    return own;
  }
  if (!isLeadOrAdmin(caller)) {
    throw new DomainError(
      "forbidden",
      "forbidden",
      `moderators' feedback is for the moderator and for leads; the key is ${caller.role}`,
    );
  }
  if (requested === undefined) {
    throw new DomainError(
      "invalid",
      "moderator_required",
      "name the moderator (query parameter `moderator`)",
      [{ path: "moderator", message: "required for lead and admin keys" }],
    );
  }
  return requested;
}

/** Whether answers to `caller` may name the auditor: always, except to moderator keys unless the deployment allows it
 * (MODQC_SHOW_AUDITOR_TO_MODERATOR). */
export function mayShowAuditor(caller: Pick<ApiKey, "role">, showAuditorToModerator: boolean): boolean {
  return caller.role !== "moderator" || showAuditorToModerator;
}
