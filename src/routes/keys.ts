import { z } from "@hono/zod-openapi";
import { createKey, listKeys, ROLES, revokeKey } from "../db/keys.ts";
import { route } from "../http/auth.ts";
import { conflict, notFound } from "../http/errors.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, wellFormed } from "../http/schemas.ts";

const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    rater: z.string().nullable().openapi({ description: "The rater name an auditor key is bound to" }),
    moderator: z
      .string()
      .nullable()
      .openapi({ description: "The moderator name a moderator key is bound to" }),
    prefix: z.string().openapi({ description: "First characters of the secret, to tell keys apart" }),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiKey");

const NewKey = z
  .object({
    role: z.enum(ROLES),
    name: wellFormed(z.string().trim().min(1).max(200)),
    rater: wellFormed(z.string().trim().min(1).max(200)).optional().openapi({
      description: "Required for (and only for) auditor keys: the rater name the key may write as",
    }),
    moderator: wellFormed(z.string().trim().min(1).max(500)).optional().openapi({
      description:
        "Required for (and only for) moderator keys: the moderator name (as in audits' `moderator`) whose findings the key reads",
    }),
  })
  .superRefine((value, ctx) => {
    if (value.role === "auditor" && !value.rater) {
      ctx.addIssue({ code: "custom", path: ["rater"], message: "an auditor key needs a rater name" });
    }
    if (value.role !== "auditor" && value.rater) {
      ctx.addIssue({ code: "custom", path: ["rater"], message: "only auditor keys are bound to a rater" });
    }
    if (value.role === "moderator" && !value.moderator) {
      ctx.addIssue({
        code: "custom",
        path: ["moderator"],
        message: "a moderator key needs a moderator name",
      });
    }
    if (value.role !== "moderator" && value.moderator) {
      ctx.addIssue({
        code: "custom",
        path: ["moderator"],
        message: "only moderator keys are bound to a moderator",
      });
    }
  })
  .openapi("NewApiKey");

const CreatedKey = ApiKey.extend({
  key: z.string().openapi({ description: "The secret. Shown only in this response: store it now." }),
}).openapi("CreatedApiKey");

const IdParam = z.object({ id: z.string().min(1).max(100) });

export const keysRouter = createRouter()
  .openapi(
    route("admin", {
      method: "post",
      path: "/v1/keys",
      operationId: "createKey",
      tags: ["keys"],
      summary: "Create an API key (the secret is shown once)",
      request: { body: jsonBody(NewKey) },
      responses: {
        201: jsonResponse(CreatedKey, "The new key, with its secret"),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      return c.json(await createKey(c.get("deps").db, body), 201);
    },
  )
  .openapi(
    route("admin", {
      method: "get",
      path: "/v1/keys",
      operationId: "listKeys",
      tags: ["keys"],
      summary: "List API keys, without secrets",
      responses: {
        200: jsonResponse(z.object({ keys: z.array(ApiKey) }), "All keys, revoked ones included"),
        ...errorResponses(401, 403),
      },
    }),
    async (c) => c.json({ keys: await listKeys(c.get("deps").db) }, 200),
  )
  .openapi(
    route("admin", {
      method: "delete",
      path: "/v1/keys/{id}",
      operationId: "revokeKey",
      tags: ["keys"],
      summary: "Revoke an API key at once",
      description: "The last active admin key cannot be revoked (409): create another admin key first.",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(ApiKey, "The revoked key"),
        ...errorResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const key = await revokeKey(c.get("deps").db, c.req.valid("param").id);
      if (!key) throw notFound("API key");
      if (key === "last_admin") {
        throw conflict(
          "this is the last active admin key: create another admin key before revoking it, or the service has no admin",
        );
      }
      return c.json(key, 200);
    },
  );
