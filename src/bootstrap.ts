import { writeFileSync } from "node:fs";
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
 */
export async function bootstrapAdmin(
  db: Db,
  dataDir: string,
  adminKey: string | undefined,
): Promise<AdminBootstrap> {
  if (await hasActiveAdmin(db)) return { created: false };
  if (adminKey) {
    await createKey(db, { name: "bootstrap admin (MODQC_ADMIN_KEY)", role: "admin", secret: adminKey });
    return { created: true, source: "environment" };
  }
  const { key } = await createKey(db, { name: "bootstrap admin", role: "admin" });
  const file = join(dataDir, "admin.key");
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { created: true, source: "generated", key, file };
}
