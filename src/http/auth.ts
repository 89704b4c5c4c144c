import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { type ApiKey, findActiveKeyBySecret, ROLES, type Role } from "../db/keys.ts";
import type { AppEnv } from "./env.ts";
import { ApiError } from "./errors.ts";

/**
 * Roles are ranked: each may do what the ones below it may (moderator < viewer < auditor < lead < admin). A route
 * open to `moderator` admits every valid key; its domain call then limits a moderator key to its own moderator
 * (`src/feedback/access.ts`).
 */
const rank = (role: Role) => ROLES.indexOf(role);

export async function authenticate(c: Parameters<MiddlewareHandler<AppEnv>>[0]): Promise<ApiKey> {
  const header = c.req.header("authorization");
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match) {
    throw new ApiError(401, "unauthorized", "missing API key: send Authorization: Bearer <key>");
  }
  const key = await findActiveKeyBySecret(c.get("deps").db, match[1]);
  if (!key) throw new ApiError(401, "unauthorized", "unknown or revoked API key");
  c.set("apiKey", key);
  return key;
}

/** Middleware admitting keys of `role` or above; 401 without a valid key, 403 with a lesser one. */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = await authenticate(c);
    if (rank(key.role) < rank(role)) {
      throw new ApiError(
        403,
        "forbidden",
        `this action needs the ${role} role or above; the key is ${key.role}`,
      );
    }
    await next();
  };
}

/** Calculator routes are open unless MODQC_OPEN_CALCULATORS=false, in which case any valid key may use them. */
const calculatorAccess: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get("deps").config.openCalculators) await authenticate(c);
  await next();
};

type Access = Role | "calculator" | "public";

/**
 * `createRoute` with its access rule attached in one place: the role check runs as route middleware and
 * the OpenAPI document states the security requirement and the role. `operationId` is required (camelCase,
 * unique, never renamed): generated clients name their methods after it.
 */
export function route<const R extends Omit<RouteConfig, "middleware"> & { operationId: string }>(
  access: Access,
  config: R,
) {
  const middleware =
    access === "public" ? [] : access === "calculator" ? [calculatorAccess] : [requireRole(access)];
  const who =
    access === "public"
      ? "No key needed."
      : access === "calculator"
        ? "No key needed unless MODQC_OPEN_CALCULATORS=false."
        : `Role: ${access} or above.`;
  return createRoute({
    ...config,
    description: [config.description, who].filter(Boolean).join("\n\n"),
    security: access === "public" || access === "calculator" ? [] : [{ bearer: [] }],
    middleware,
  } as R & { middleware: MiddlewareHandler<AppEnv>[] });
}
