import { z } from "@hono/zod-openapi";
import { ROLES } from "../db/keys.ts";
import { route } from "../http/auth.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonResponse } from "../http/schemas.ts";

const Me = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    rater: z.string().nullable().openapi({ description: "The rater name an auditor key is bound to" }),
    moderator: z
      .string()
      .nullable()
      .openapi({ description: "The moderator name a moderator key is bound to" }),
  })
  .openapi("Me");

/** "Who am I": lets a client (the dashboard's sign-in) learn the role and rater of the key it holds. */
export const meRouter = createRouter().openapi(
  route("moderator", {
    method: "get",
    path: "/v1/me",
    operationId: "getMe",
    tags: ["keys"],
    summary: "The calling key: its id, name, role, rater and moderator (any valid key)",
    responses: {
      200: jsonResponse(Me, "The key the request was made with (never its secret)"),
      ...errorResponses(401),
    },
  }),
  (c) => {
    const key = c.get("apiKey")!;
    return c.json(
      { id: key.id, name: key.name, role: key.role, rater: key.rater, moderator: key.moderator },
      200,
    );
  },
);
