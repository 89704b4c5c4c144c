import { z } from "@hono/zod-openapi";
import { clearQueueTarget, queueTargetList, setQueueTarget } from "../feedback/targets.ts";
import { route } from "../http/auth.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, wellFormed } from "../http/schemas.ts";

const QueueParam = z.object({
  queue: wellFormed(z.string().min(1).max(500)).openapi({
    param: { name: "queue", in: "path" },
    description: "The queue, as in audits (URL-encoded)",
  }),
});

const TargetBody = z
  .object({
    target: z.number().gt(0).lt(1).openapi({ description: "Error-rate target, strictly between 0 and 1" }),
  })
  .strict();

const QueueTarget = z
  .object({
    queue: z.string(),
    target: z.number(),
    setBy: z.string().nullable(),
    setAt: z.string(),
  })
  .openapi("QueueTarget");

const TargetList = z
  .object({
    defaultTarget: z
      .number()
      .openapi({ description: "MODQC_TARGET_ERROR_RATE: the target of every other queue" }),
    targets: z.array(QueueTarget),
  })
  .openapi("QueueTargets");

const Cleared = z
  .object({
    queue: z.string(),
    target: z.number().openapi({ description: "The target that applies now: the default" }),
    removed: QueueTarget,
  })
  .openapi("QueueTargetCleared");

export const targetsRouter = createRouter()
  .openapi(
    route("moderator", {
      method: "get",
      path: "/v1/targets",
      operationId: "listTargets",
      tags: ["feedback"],
      summary: "Error-rate targets: the default and each queue's own",
      description: "Any key may read the targets (moderator keys see them on their scorecards).",
      responses: { 200: jsonResponse(TargetList, "The targets"), ...errorResponses(401) },
    }),
    async (c) => {
      const { db, config } = c.get("deps");
      return c.json(await queueTargetList(db, config.feedback.targetErrorRate), 200);
    },
  )
  .openapi(
    route("lead", {
      method: "put",
      path: "/v1/targets/{queue}",
      operationId: "setTarget",
      tags: ["feedback"],
      summary: "Set a queue's error-rate target",
      request: { params: QueueParam, body: jsonBody(TargetBody) },
      responses: {
        200: jsonResponse(QueueTarget, "The queue's target"),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { queue } = c.req.valid("param");
      const { target } = c.req.valid("json");
      return c.json(await setQueueTarget(c.get("deps").db, c.get("apiKey")!, queue, target), 200);
    },
  )
  .openapi(
    route("lead", {
      method: "delete",
      path: "/v1/targets/{queue}",
      operationId: "deleteTarget",
      tags: ["feedback"],
      summary: "Remove a queue's own target (the default applies again)",
      request: { params: QueueParam },
      responses: {
        200: jsonResponse(Cleared, "The removed target and the one that applies now"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { db, config } = c.get("deps");
      const { queue } = c.req.valid("param");
      return c.json(await clearQueueTarget(db, queue, config.feedback.targetErrorRate), 200);
    },
  );
