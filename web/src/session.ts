import { createContext } from "preact";
import { useContext } from "preact/hooks";

export type Role = "viewer" | "auditor" | "lead" | "admin";
export const ROLES: readonly Role[] = ["viewer", "auditor", "lead", "admin"];

/** The signed-in key, as `GET /v1/me` describes it. */
export interface Me {
  id: string;
  name: string;
  role: Role;
  rater: string | null;
}

/** Roles are ranked viewer < auditor < lead < admin, as on the server. */
export const atLeast = (me: Me | null | undefined, role: Role): boolean =>
  !!me && ROLES.indexOf(me.role) >= ROLES.indexOf(role);

export interface Session {
  me: Me | null;
  signIn(key: string, me: Me): void;
  signOut(): void;
}

export const SessionContext = createContext<Session>({ me: null, signIn: () => {}, signOut: () => {} });
export const useSession = () => useContext(SessionContext);
