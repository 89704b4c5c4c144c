import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Db } from "./database.ts";

/** Ranked from the least to the most: a moderator key reads only its own findings (issue 14). */
export const ROLES = ["moderator", "viewer", "auditor", "lead", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  rater: string | null;
  /** The moderator name a moderator key is bound to (null for every other role). */
  moderator: string | null;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

/** Who a key is in an audit's `recordedBy`, a revision's `changedBy`, an item's `skippedBy` or a dispute's
 * `openedBy`: an auditor key's rater, a moderator key's moderator, else the key's name. */
export function callerIdentity(
  key: Pick<ApiKey, "role" | "rater" | "name"> & { moderator?: string | null },
): string {
  if (key.role === "auditor" && key.rater !== null) return key.rater;
  if (key.role === "moderator" && key.moderator) return key.moderator;
  return key.name;
}

interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  rater: string | null;
  moderator: string | null;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
}

const SECRET_PREFIX = "mqc_";

function hashSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    rater: row.rater,
    moderator: row.moderator,
    prefix: row.prefix,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** A new random secret: 32 bytes from the CSPRNG, base64url, with a recognisable prefix for secret scanners. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64url");
}

/** Stores a key and returns it with its secret; the secret is not recoverable afterwards. */
export async function createKey(
  db: Db,
  input: { name: string; role: Role; rater?: string | null; moderator?: string | null; secret?: string },
): Promise<ApiKey & { key: string }> {
  const secret = input.secret ?? generateSecret();
  const row: ApiKeyRow = {
    id: randomUUID(),
    name: input.name,
    role: input.role,
    rater: input.role === "auditor" ? (input.rater ?? null) : null,
    moderator: input.role === "moderator" ? (input.moderator ?? null) : null,
    prefix: secret.slice(0, SECRET_PREFIX.length + 6),
    created_at: new Date().toISOString(),
    revoked_at: null,
  };
  await db.run(
    `INSERT INTO api_keys (id, name, role, rater, moderator, secret_hash, prefix, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [row.id, row.name, row.role, row.rater, row.moderator, hashSecret(secret), row.prefix, row.created_at],
  );
  return { ...toApiKey(row), key: secret };
}

export async function findActiveKeyBySecret(db: Db, secret: string): Promise<ApiKey | undefined> {
  const row = await db.get<ApiKeyRow>(
    "SELECT id, name, role, rater, moderator, prefix, created_at, revoked_at FROM api_keys WHERE secret_hash = ? AND revoked_at IS NULL",
    [hashSecret(secret)],
  );
  return row && toApiKey(row);
}

export async function listKeys(db: Db): Promise<ApiKey[]> {
  return (await db.all<ApiKeyRow>("SELECT * FROM api_keys ORDER BY created_at, id")).map(toApiKey);
}

/**
 * Revokes a key at once: the key, `undefined` when no such key exists, or `"last_admin"` (nothing changed) when
 * it is the only active admin key, so the service always keeps a way in. The check and the update share one
 * transaction (IMMEDIATE on SQLite, SERIALIZABLE on PostgreSQL): two admins revoking each other's keys at the
 * same moment cannot both succeed. Revoking twice keeps the first time.
 */
export function revokeKey(db: Db, id: string): Promise<ApiKey | "last_admin" | undefined> {
  return db.transaction(async (tx): Promise<ApiKey | "last_admin" | undefined> => {
    const row = await tx.get<ApiKeyRow>("SELECT * FROM api_keys WHERE id = ?", [id]);
    if (!row) return undefined;
    if (row.revoked_at !== null) return toApiKey(row);
    const otherAdmin = await tx.get(
      "SELECT 1 FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL AND id <> ? LIMIT 1",
      [id],
    );
    if (row.role === "admin" && otherAdmin === undefined) return "last_admin";
    const revokedAt = new Date().toISOString();
    await tx.run("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [revokedAt, id]);
    return toApiKey({ ...row, revoked_at: revokedAt });
  });
}

export async function hasActiveAdmin(db: Db): Promise<boolean> {
  return (
    (await db.get("SELECT 1 FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL LIMIT 1")) !== undefined
  );
}
