import { createContext } from "preact";
import { useContext } from "preact/hooks";

/** Ranked from the least to the most, as on the server: a moderator key reads only its own findings. */
export type Role = "moderator" | "viewer" | "auditor" | "lead" | "admin";
export const ROLES: readonly Role[] = ["moderator", "viewer", "auditor", "lead", "admin"];

/** The signed-in key, as `GET /v1/me` describes it. */
export interface Me {
  id: string;
  name: string;
  role: Role;
  rater: string | null;
  /** The moderator a moderator key is bound to (null for every other role). */
  moderator: string | null;
}

/** Roles are ranked moderator < viewer < auditor < lead < admin, as on the server. */
export const atLeast = (me: Me | null | undefined, role: Role): boolean =>
  !!me && ROLES.indexOf(me.role) >= ROLES.indexOf(role);

/** A moderator key's own pages are all it is offered; the team's pages are for viewers and above. */
export const isModerator = (me: Me | null | undefined): boolean => me?.role === "moderator";

export interface Session {
  me: Me | null;
  signIn(key: string, me: Me): void;
  signOut(): void;
}

export const SessionContext = createContext<Session>({ me: null, signIn: () => {}, signOut: () => {} });
export const useSession = () => useContext(SessionContext);
