import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { verifySignature } from "../../src/alerts/signature.ts";
import { adminApi as api, startChildServer } from "../child-server.ts";
import { startReceiver } from "../helpers.ts";

function audits(prefix: string, n: number, errors: number) {
  const at = new Date(Date.now() - 3_600_000).toISOString();
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    decisionId: `d-${prefix}-${i}`,
    queue: "hate",
    moderator: `m${i % 4}`,
    auditor: "alice",
    outcome: i < errors ? "incorrect" : "correct",
    ...(i < errors ? { errorType: "false-negative" } : {}),
    auditedAt: at,
  }));
}

describe("webhook delivery through the real service", () => {
  it("fires once on a spike, survives kill -9 mid-retry with the same delivery id, and sends resolved on recovery", async () => {
    let failing = true;
    const receiver = await startReceiver(() => ({ status: failing ? 500 : 200 }));
    const env = {
      MODQC_WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
      MODQC_WEBHOOK_BACKOFF_MS: "150",
      MODQC_PUBLIC_URL: "https://modqc.example.com",
    };
    let server = await startChildServer(env);
    const dataDir = server.dataDir;
    try {
      const hook = await api(server, "POST", "/v1/webhooks", { url: receiver.url });
      expect(hook.status).toBe(201);
      const rule = await api(server, "POST", "/v1/alert-rules", {
        name: "Hate queue error rate",
        scope: { queue: "hate" },
        condition: { kind: "threshold", maxRate: 0.1, window: { days: 1 }, minAudited: 10 },
        severity: "critical",
      });
      expect(rule.status).toBe(201);

      const ingest = await api(server, "POST", "/v1/audits", audits("spike", 40, 12));
      expect(ingest.body).toEqual({ inserted: 40, duplicates: 0 });

      // The receiver fails the first attempts with 500: the service retries the same delivery.
      await receiver.waitFor(2);
      await server.kill(); // SIGKILL mid-retry
      const seen = receiver.requests.length;
      const deliveryId = receiver.requests[0].headers["modqc-delivery"];
      expect(new Set(receiver.requests.map((r) => r.headers["modqc-delivery"]))).toEqual(
        new Set([deliveryId]),
      );

      failing = false;
      server = await startChildServer({ ...env, MODQC_DATA_DIR: dataDir });
      await receiver.waitFor(seen + 1);
      const arrived = receiver.requests[seen];
      expect(arrived.headers["modqc-delivery"]).toBe(deliveryId);
      expect(arrived.headers["modqc-event"]).toBe("alert.firing");
      expect(
        verifySignature(hook.body.secret, arrived.body, arrived.headers["modqc-signature"] as string),
      ).toBe(true);
      expect(arrived.body).toBe(receiver.requests[0].body);
      const payload = JSON.parse(arrived.body);
      expect(payload.alert).toMatchObject({
        state: "firing",
        value: 0.3,
        threshold: 0.1,
        ruleName: "Hate queue error rate",
      });

      const alerts = await api(server, "GET", "/v1/alerts");
      expect(alerts.body.alerts).toHaveLength(1);
      const [delivery] = (await api(server, "GET", `/v1/webhooks/${hook.body.id}/deliveries`)).body
        .deliveries;
      expect(delivery).toMatchObject({ id: deliveryId, status: "delivered", lastStatusCode: 200 });
      const outcomes = delivery.attempts.map((a: { outcome: string }) => a.outcome);
      expect(outcomes.at(-1)).toBe("delivered");
      // The first 500 was recorded before the kill; the attempt in flight at the kill may not have been.
      expect(outcomes.filter((o: string) => o === "retry").length).toBeGreaterThanOrEqual(1);
      expect(delivery.attempts[0]).toMatchObject({ statusCode: 500, outcome: "retry" });

      // Recovery: enough correct audits bring the rate under the threshold.
      const before = receiver.requests.length;
      await api(server, "POST", "/v1/audits", audits("recovery", 300, 0));
      await receiver.waitFor(before + 1);
      const resolved = receiver.requests[before];
      expect(resolved.headers["modqc-event"]).toBe("alert.resolved");
      expect(resolved.headers["modqc-delivery"]).not.toBe(deliveryId);
      expect(
        verifySignature(hook.body.secret, resolved.body, resolved.headers["modqc-signature"] as string),
      ).toBe(true);
      expect(JSON.parse(resolved.body).alert).toMatchObject({ id: payload.alert.id, state: "resolved" });
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.requests.length).toBe(before + 1); // exactly once when the receiver answers 2xx
    } finally {
      await server.stop();
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
