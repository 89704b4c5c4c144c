/**
 * The demo's keys. People sign in with the keys a demo run printed, so a re-run keeps them: each person's key
 * (`demo: <name>`) is found by name, role and binding and kept; a missing or revoked one is created. Keys are
 * stored hashed, so a kept key's secret cannot be shown again: the demo makes its own requests as that person
 * with a key of its own (`demo run: <name>`), revoked when the run ends. `--rotate-keys` (`rotate`) revokes
 * every demo key first and creates them all again, as earlier versions always did.
 */

import type { DemoCall } from "./demo-feedback.ts";

interface StoredKey {
  id: string;
  name: string;
  role: string;
  rater: string | null;
  moderator: string | null;
  revokedAt: string | null;
}

/** People's keys; what a run creates for its own requests in place of a kept key. */
const PERSON = "demo: ";
const RUN = "demo run: ";

/** A person's key after `DemoKeyring.key`: the secret the run uses, and whether the person's key was kept. */
export interface DemoKey {
  name: string;
  /** A key for the run's own requests as this person: the person's new key, or the run's own when kept. */
  secret: string;
  kept: boolean;
}

export class DemoKeyring {
  private readonly runKeys: string[] = [];
  private constructor(
    private readonly call: DemoCall,
    private readonly active: StoredKey[],
    private readonly rotate: boolean,
  ) {}

  /** Lists the keys; revokes a previous run's leftover own keys, and with `rotate` every demo key. */
  static async open(call: DemoCall, rotate: boolean): Promise<DemoKeyring> {
    const { keys } = await call<{ keys: StoredKey[] }>("GET", "/v1/keys");
    const active = keys.filter((key) => !key.revokedAt);
    for (const key of active) {
      if (key.name.startsWith(RUN) || (rotate && key.name.startsWith(PERSON))) {
        await call("DELETE", `/v1/keys/${key.id}`);
      }
    }
    const kept = active.filter((key) => !rotate && key.name.startsWith(PERSON));
    return new DemoKeyring(call, kept, rotate);
  }

  /** The person's key: kept when an active one has this name, role and binding (unless rotating), else created. */
  async key(role: string, name: string, extra: Record<string, string> = {}): Promise<DemoKey> {
    const found = this.rotate
      ? undefined
      : this.active.find(
          (key) =>
            key.name === `${PERSON}${name}` &&
            key.role === role &&
            (key.rater ?? undefined) === extra.rater &&
            (key.moderator ?? undefined) === extra.moderator,
        );
    if (!found)
      return { name, secret: (await this.create(role, `${PERSON}${name}`, extra)).key, kept: false };
    const own = await this.create(role, `${RUN}${name}`, extra);
    this.runKeys.push(own.id);
    return { name, secret: own.key, kept: true };
  }

  /** Revokes the keys the run made for its own requests. */
  async close(): Promise<void> {
    for (const id of this.runKeys.splice(0)) await this.call("DELETE", `/v1/keys/${id}`);
  }

  private create(role: string, name: string, extra: Record<string, string>) {
    return this.call<{ id: string; key: string }>("POST", "/v1/keys", { json: { role, name, ...extra } });
  }
}

/** What the output says of a kept key in place of its secret. */
export const KEPT_KEY_NOTE = "kept; use the key printed when it was created, or --rotate-keys";

/**
 * The secrets of people's keys by slot, for signing in: reading a kept key's slot throws (its secret is not
 * known), so a caller that needs every key on a database that already had them fails by name, not with a 401.
 */
export function signInKeys<S extends string>(keys: Record<S, DemoKey>): Record<S, string> {
  const result = {} as Record<S, string>;
  for (const slot of Object.keys(keys) as S[]) {
    const key = keys[slot];
    Object.defineProperty(result, slot, {
      enumerable: true,
      get() {
        if (key.kept) {
          throw new Error(
            `the demo kept the key "${PERSON}${key.name}": its secret is not known (${KEPT_KEY_NOTE})`,
          );
        }
        return key.secret;
      },
    });
  }
  return result;
}
