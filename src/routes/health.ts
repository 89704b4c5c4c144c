import { z } from "@hono/zod-openapi";
import { route } from "../http/auth.ts";
import { createRouter } from "../http/router.ts";
import { jsonResponse } from "../http/schemas.ts";

const Health = z.object({ status: z.literal("ok"), version: z.string() }).openapi("Health");

export const healthRouter = createRouter().openapi(
  route("public", {
    method: "get",
    path: "/health",
    tags: ["service"],
    summary: "Liveness and version",
    responses: { 200: jsonResponse(Health, "The service is up and its database answers") },
  }),
  async (c) => {
    const { db, config } = c.get("deps");
    await db.get("SELECT 1");
    return c.json({ status: "ok" as const, version: config.version }, 200);
  },
);
