import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { checkWebhookUrl } from "../alerts/address.ts";
import {
  deleteWebhook,
  FORMAT_EVENTS,
  generateWebhookSecret,
  getWebhook,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  updateWebhook,
  WEBHOOK_EVENTS,
  WEBHOOK_FORMATS,
  type WebhookEvent,
  type WebhookFormat,
  withoutSecret,
} from "../db/webhooks.ts";
import { route } from "../http/auth.ts";
import type { AppEnv } from "../http/env.ts";
import { ApiError, conflict, notFound } from "../http/errors.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, wellFormed } from "../http/schemas.ts";

const IdParam = z.object({ id: z.string().min(1).max(100) });

const Events = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1)
  .max(WEBHOOK_EVENTS.length)
  .openapi({ description: "Events to send (default: every event the format can express)" });

const NewWebhook = z
  .object({
    url: wellFormed(z.string().min(1).max(2000)).openapi({ example: "https://hooks.example.com/modqc" }),
    events: Events.optional(),
    format: z.enum(WEBHOOK_FORMATS).default("modqc").openapi({
      description:
        "modqc: documented JSON; alertmanager: Alertmanager webhook payload v4 (alert events only); alertmanager-api: postable alerts POSTed to an Alertmanager's /api/v2/alerts (the URL names it or the Alertmanager's base; alert events only; firing alerts re-sent every MODQC_ALERTMANAGER_REFRESH_MS); slack: incoming-webhook message",
    }),
    secret: wellFormed(z.string().min(16).max(256)).optional().openapi({
      description: "HMAC-SHA256 signing secret (generated when absent). Shown only in the 201 answer.",
    }),
  })
  .strict()
  .openapi("NewWebhook");

const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    format: z.enum(WEBHOOK_FORMATS),
    enabled: z.boolean(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Webhook");

const CreatedWebhook = WebhookSchema.extend({
  secret: z.string().openapi({ description: "The signing secret. Shown only in this answer: store it now." }),
}).openapi("CreatedWebhook");

const WebhookPatch = z
  .object({ enabled: z.boolean().optional(), events: Events.optional() })
  .strict()
  .openapi("WebhookPatch");

const DeliverySchema = z
  .object({
    id: z.string().openapi({ description: "The Modqc-Delivery header of every attempt" }),
    webhookId: z.string(),
    event: z.enum(WEBHOOK_EVENTS),
    alertId: z.string().nullable(),
    status: z.enum(["pending", "delivered", "failed", "dead"]),
    attemptCount: z.number().int(),
    createdAt: z.string(),
    nextAttemptAt: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    finishedAt: z.string().nullable(),
    redeliveryOf: z.string().nullable(),
    attempts: z.array(
      z.object({
        attempt: z.number().int(),
        at: z.string(),
        statusCode: z.number().int().nullable(),
        latencyMs: z.number(),
        error: z.string().nullable(),
        outcome: z.enum(["delivered", "retry", "failed", "dead"]),
      }),
    ),
    payload: z.unknown().openapi({ description: "The JSON body sent" }),
  })
  .openapi("WebhookDelivery");

const DeliveriesQuery = z.object({
  status: z.enum(["pending", "delivered", "failed", "dead"]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

function invalid(path: string, message: string): ApiError {
  return new ApiError(400, "validation_failed", `invalid ${path}: ${message}`, [{ path, message }]);
}

function checkEvents(format: WebhookFormat, events: readonly WebhookEvent[]): void {
  const allowed = FORMAT_EVENTS[format];
  events.forEach((event, i) => {
    if (!allowed.includes(event))
      throw invalid(
        `events.${i}`,
        `the ${format} format cannot express ${event} (allowed: ${allowed.join(", ")})`,
      );
  });
  if (new Set(events).size !== events.length) throw invalid("events", "an event is listed twice");
}

async function webhookOr404(c: Context<AppEnv>, id: string) {
  const hook = await getWebhook(c.get("deps").db, id);
  if (!hook) throw notFound("webhook");
  return hook;
}

async function setEnabled(c: Context<AppEnv>, id: string, enabled: boolean) {
  const alerts = c.get("deps").alerts!;
  const hook = await updateWebhook(c.get("deps").db, id, { enabled }, alerts.now());
  if (!hook) throw notFound("webhook");
  if (enabled) alerts.deliveriesQueued();
  return withoutSecret(hook);
}

export const webhooksRouter = createRouter()
  .openapi(
    route("admin", {
      method: "post",
      path: "/v1/webhooks",
      operationId: "createWebhook",
      tags: ["webhooks"],
      summary: "Register a webhook (the signing secret is shown once)",
      description:
        "Only http and https; no credentials in the URL. The destination address is checked at send time: loopback, private and link-local addresses are refused unless listed in MODQC_WEBHOOK_ALLOW_HOSTS. Redirects are not followed.",
      request: { body: jsonBody(NewWebhook) },
      responses: {
        201: jsonResponse(CreatedWebhook, "The webhook with its secret"),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const problem = checkWebhookUrl(body.url);
      if (problem) throw invalid("url", problem);
      const events = body.events ?? [...FORMAT_EVENTS[body.format]];
      checkEvents(body.format, events);
      const secret = body.secret ?? generateWebhookSecret();
      const alerts = c.get("deps").alerts!;
      const hook = await insertWebhook(
        c.get("deps").db,
        { url: body.url, events, format: body.format, secret },
        c.get("apiKey")?.name ?? null,
        alerts.now(),
      );
      return c.json({ ...withoutSecret(hook), secret }, 201);
    },
  )
  .openapi(
    route("admin", {
      method: "get",
      path: "/v1/webhooks",
      operationId: "listWebhooks",
      tags: ["webhooks"],
      summary: "List webhooks (without secrets)",
      responses: {
        200: jsonResponse(z.object({ webhooks: z.array(WebhookSchema) }), "All webhooks"),
        ...errorResponses(401, 403),
      },
    }),
    async (c) => c.json({ webhooks: (await listWebhooks(c.get("deps").db)).map(withoutSecret) }, 200),
  )
  .openapi(
    route("admin", {
      method: "get",
      path: "/v1/webhooks/{id}",
      operationId: "getWebhook",
      tags: ["webhooks"],
      summary: "One webhook (without its secret)",
      request: { params: IdParam },
      responses: { 200: jsonResponse(WebhookSchema, "The webhook"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(withoutSecret(await webhookOr404(c, c.req.valid("param").id)), 200),
  )
  .openapi(
    route("admin", {
      method: "patch",
      path: "/v1/webhooks/{id}",
      operationId: "updateWebhook",
      tags: ["webhooks"],
      summary: "Enable or disable a webhook, or change its events",
      description:
        "A disabled webhook gets no new deliveries; its pending ones wait (and die at the maximum age) until it is enabled again.",
      request: { params: IdParam, body: jsonBody(WebhookPatch) },
      responses: { 200: jsonResponse(WebhookSchema, "The webhook"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const id = c.req.valid("param").id;
      const patch = c.req.valid("json");
      const current = await webhookOr404(c, id);
      if (patch.events) checkEvents(current.format, patch.events);
      const alerts = c.get("deps").alerts!;
      const hook = await updateWebhook(c.get("deps").db, id, patch, alerts.now());
      if (!hook) throw notFound("webhook");
      if (hook.enabled) alerts.deliveriesQueued();
      return c.json(withoutSecret(hook), 200);
    },
  )
  .openapi(
    route("admin", {
      method: "post",
      path: "/v1/webhooks/{id}/disable",
      operationId: "disableWebhook",
      tags: ["webhooks"],
      summary: "Disable a webhook (same as PATCH {enabled: false})",
      request: { params: IdParam },
      responses: { 200: jsonResponse(WebhookSchema, "The webhook"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(await setEnabled(c, c.req.valid("param").id, false), 200),
  )
  .openapi(
    route("admin", {
      method: "post",
      path: "/v1/webhooks/{id}/enable",
      operationId: "enableWebhook",
      tags: ["webhooks"],
      summary: "Enable a webhook again (same as PATCH {enabled: true})",
      request: { params: IdParam },
      responses: { 200: jsonResponse(WebhookSchema, "The webhook"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(await setEnabled(c, c.req.valid("param").id, true), 200),
  )
  .openapi(
    route("admin", {
      method: "delete",
      path: "/v1/webhooks/{id}",
      operationId: "deleteWebhook",
      tags: ["webhooks"],
      summary: "Delete a webhook with its deliveries",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(WebhookSchema, "The deleted webhook"),
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const hook = await webhookOr404(c, c.req.valid("param").id);
      await deleteWebhook(c.get("deps").db, hook.id);
      return c.json(withoutSecret(hook), 200);
    },
  )
  .openapi(
    route("admin", {
      method: "get",
      path: "/v1/webhooks/{id}/deliveries",
      operationId: "listWebhookDeliveries",
      tags: ["webhooks"],
      summary: "Deliveries of a webhook, newest first, with every attempt",
      request: { params: IdParam, query: DeliveriesQuery },
      responses: {
        200: jsonResponse(z.object({ deliveries: z.array(DeliverySchema) }), "The deliveries"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const id = c.req.valid("param").id;
      const query = c.req.valid("query");
      await c.get("deps").alerts!.flush();
      await webhookOr404(c, id);
      return c.json({ deliveries: await listDeliveries(c.get("deps").db, id, query) }, 200);
    },
  )
  .openapi(
    route("admin", {
      method: "post",
      path: "/v1/deliveries/{id}/redeliver",
      operationId: "redeliverDelivery",
      tags: ["webhooks"],
      summary: "Send a delivery again, as a new delivery with the same body",
      description:
        "Queues a new delivery (new Modqc-Delivery id, `redeliveryOf` = this one) at the end of the webhook's queue. 409 while the original is still pending.",
      request: { params: IdParam },
      responses: {
        202: jsonResponse(DeliverySchema, "The new delivery, queued"),
        ...errorResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { db } = c.get("deps");
      const alerts = c.get("deps").alerts!;
      const view = await redeliver(db, c.req.valid("param").id, alerts.now());
      if (view === "not_found") throw notFound("delivery");
      if (view === "pending") throw conflict("the delivery is still pending; it will be attempted again");
      alerts.deliveriesQueued();
      return c.json(view, 202);
    },
  );
