import { z } from "@hono/zod-openapi";
import { route } from "../http/auth.ts";
import { createRouter } from "../http/router.ts";
import { jsonResponse } from "../http/schemas.ts";

const Health = z
  .object({
    status: z.literal("ok"),
    version: z.string(),
    database: z
      .enum(["sqlite", "postgres"])
      .openapi({ description: "The storage backend this instance uses" }),
    leader: z.boolean().openapi({
      description:
        "Whether this instance runs alert evaluation and webhook delivery (always true on SQLite; on PostgreSQL one instance of those sharing the database)",
    }),
  })
  .openapi("Health");

export const healthRouter = createRouter().openapi(
  route("public", {
    method: "get",
    path: "/health",
    operationId: "getHealth",
    tags: ["service"],
    summary: "Liveness, version, backend and leadership",
    responses: { 200: jsonResponse(Health, "The service is up and its database answers") },
  }),
  async (c) => {
    const { db, config, alerts } = c.get("deps");
    await db.get("SELECT 1");
    const leader = db.dialect === "sqlite" || (alerts?.leading ?? false);
    return c.json({ status: "ok" as const, version: config.version, database: db.dialect, leader }, 200);
  },
);
