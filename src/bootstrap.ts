import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Db } from "./db/database.ts";
import { createKey, hasActiveAdmin } from "./db/keys.ts";

export type AdminBootstrap =
  | { created: false }
  | { created: true; source: "environment" }
  | { created: true; source: "generated"; key: string; file: string };

/**
 * When the database holds no active admin key, installs one: MODQC_ADMIN_KEY when set, else a random key
 * written to `<dataDir>/admin.key` (mode 0600) for the operator to read once.
 *
 * The check and the insert are one transaction, and on PostgreSQL it first locks `api_keys` against other
 * writers (LOCK TABLE takes no snapshot, so the check sees what a bootstrap before it committed): instances
 * started together on an empty database install one admin key, not one each (or a duplicate-key crash).
 */
export async function bootstrapAdmin(
  db: Db,
  dataDir: string,
  adminKey: string | undefined,
): Promise<AdminBootstrap> {
  const installed = await db.transaction(async (tx) => {
    if (tx.dialect === "postgres") await tx.run("LOCK TABLE api_keys IN SHARE ROW EXCLUSIVE MODE");
    if (await hasActiveAdmin(tx)) return undefined;
    return adminKey
      ? createKey(tx, { name: "bootstrap admin (MODQC_ADMIN_KEY)", role: "admin", secret: adminKey })
      : createKey(tx, { name: "bootstrap admin", role: "admin" });
  });
  if (!installed) return { created: false };
  if (adminKey) return { created: true, source: "environment" };
  // On PostgreSQL nothing else may have created the data directory yet.
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, "admin.key");
  writeFileSync(file, `${installed.key}\n`, { mode: 0o600 });
  return { created: true, source: "generated", key: installed.key, file };
}
