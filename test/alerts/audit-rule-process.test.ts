import { describe, expect, it } from "vitest";
import { verifySignature } from "../../src/alerts/signature.ts";
import { adminApi as api, type ChildServer, startChildServer } from "../child-server.ts";
import { onPostgres, testSchemaUrl } from "../database.ts";
import { type ReceivedRequest, startReceiver } from "../helpers.ts";

/**
 * Audit rules through the real service (`src/main.ts` in a child process): the alert reaches a receiver within
 * 2 s of the 2xx that stored the audit, a SIGKILL right after that 2xx loses nothing (the restarted service
 * catches up from the rule's mark and delivers once), a re-sent audit fires nothing more; on PostgreSQL an
 * audit stored through a follower instance is evaluated by the leader just as fast.
 */

let counter = 0;
function criticalAudit() {
  const id = `crit-${process.pid}-${counter++}`;
  return {
    id,
    decisionId: `dec-${id}`,
    queue: "child-safety",
    moderator: "mod-3",
    auditor: "alice",
    outcome: "incorrect",
    errorType: "false-negative",
    severity: 4,
    policy: "CS-1.0",
    auditedAt: new Date().toISOString(),
  };
}

const RULE = {
  name: "Severity-4 false negative in child safety",
  condition: { kind: "audit", minSeverity: 4, errorTypes: ["false-negative"], queues: ["child-safety"] },
  severity: "critical",
};

/** POSTs one audit and resolves when the 2xx has arrived, with that moment (ms). */
async function postAudit(server: ChildServer, audit: object) {
  const res = await fetch(`${server.url}/v1/audits`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify([audit]),
  });
  const at = Date.now();
  return { status: res.status, at, body: res.json() as Promise<{ inserted: number; duplicates: number }> };
}

const auditOf = (request: ReceivedRequest) => JSON.parse(request.body).alert.evidence.audit.id as string;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("audit rules through the real service", () => {
  it("delivers within 2 s of the 2xx, fires once for a re-sent audit, and survives a SIGKILL right after the 2xx", async () => {
    const receiver = await startReceiver();
    const env = { MODQC_WEBHOOK_ALLOW_HOSTS: "127.0.0.1", MODQC_PUBLIC_URL: "https://modqc.example.com" };
    let server = await startChildServer(env);
    const dataDir = server.dataDir;
    try {
      const hook = await api(server, "POST", "/v1/webhooks", { url: receiver.url });
      expect(hook.status).toBe(201);
      expect((await api(server, "POST", "/v1/alert-rules", RULE)).status).toBe(201);

      const first = criticalAudit();
      const stored = await postAudit(server, first);
      expect(stored.status).toBe(200);
      expect(await stored.body).toEqual({ inserted: 1, duplicates: 0 });
      await receiver.waitFor(1, 5_000);
      const latencyMs = receiver.requests[0].at - stored.at;
      expect(latencyMs).toBeLessThan(2_000);
      expect(receiver.requests[0].headers["modqc-event"]).toBe("alert.firing");
      expect(auditOf(receiver.requests[0])).toBe(first.id);
      expect(
        verifySignature(
          hook.body.secret,
          receiver.requests[0].body,
          receiver.requests[0].headers["modqc-signature"] as string,
        ),
      ).toBe(true);

      // The same audit again: a duplicate, no new alert.
      const again = await postAudit(server, first);
      expect(await again.body).toEqual({ inserted: 0, duplicates: 1 });

      // SIGKILL right after the 2xx: the audit is committed, its alert not yet evaluated or delivered. (Should
      // a loaded machine let the alert out before the kill lands, that audit counts as delivered and the next
      // try crashes earlier.)
      const sent = [first.id];
      let crashedBeforeDelivery = false;
      for (let attempt = 0; attempt < 3 && !crashedBeforeDelivery; attempt++) {
        if (attempt > 0) server = await startChildServer({ ...env, MODQC_DATA_DIR: dataDir });
        await receiver.waitFor(sent.length, 10_000);
        const audit = criticalAudit();
        const crashed = await postAudit(server, audit);
        await server.kill();
        expect(crashed.status).toBe(200);
        sent.push(audit.id);
        await sleep(100); // anything the killed process had on the wire has arrived by now
        crashedBeforeDelivery = receiver.requests.length === sent.length - 1;
      }
      expect(crashedBeforeDelivery).toBe(true);
      const second = { id: sent.at(-1)! };

      server = await startChildServer({ ...env, MODQC_DATA_DIR: dataDir });
      await receiver.waitFor(2, 10_000);
      await sleep(500); // a second delivery of anything would arrive by now
      expect(receiver.requests.map(auditOf)).toEqual([first.id, second.id]);
      expect(new Set(receiver.requests.map((r) => r.headers["modqc-delivery"])).size).toBe(2);
      const alerts = (await api(server, "GET", "/v1/alerts")).body.alerts;
      expect(alerts.map((a: { labels: { audit: string } }) => a.labels.audit).sort()).toEqual(
        [first.id, second.id].sort(),
      );
      const deliveries = (await api(server, "GET", `/v1/webhooks/${hook.body.id}/deliveries`)).body
        .deliveries;
      expect(
        deliveries.map((d: { status: string; attemptCount: number }) => [d.status, d.attemptCount]),
      ).toEqual([
        ["delivered", 1],
        ["delivered", 1],
      ]);

      // A lead's note resolves it, and the receiver hears so.
      const alert = alerts.find((a: { labels: { audit: string } }) => a.labels.audit === second.id);
      const ack = await api(server, "POST", `/v1/alerts/${alert.id}/ack`, { note: "content removed" });
      expect(ack.body).toMatchObject({
        state: "resolved",
        resolution: expect.stringContaining("content removed"),
      });
      await receiver.waitFor(sent.length + 1, 5_000);
      expect(receiver.requests[sent.length].headers["modqc-event"]).toBe("alert.resolved");
    } finally {
      await server.stop();
      await receiver.close();
      const { rmSync } = await import("node:fs");
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

const leads = async (server: ChildServer) =>
  ((await (await fetch(`${server.url}/health`)).json()) as { leader: boolean }).leader;

describe.skipIf(!onPostgres)(
  "audit rules with several instances (PostgreSQL only: SQLite has one per file)",
  () => {
    it("an audit stored through a follower reaches the receiver within 2 s, once, from the leader", async () => {
      const receiver = await startReceiver();
      const env = {
        MODQC_DATABASE_URL: await testSchemaUrl(),
        MODQC_WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
        MODQC_LEADER_INTERVAL_MS: "200",
      };
      const first = await startChildServer(env);
      let second: ChildServer | undefined;
      try {
        second = await startChildServer(env);
        const deadline = Date.now() + 20_000;
        let leaderFlags = await Promise.all([leads(first), leads(second)]);
        while (leaderFlags.filter(Boolean).length !== 1) {
          if (Date.now() > deadline) throw new Error("no single leader");
          await sleep(50);
          leaderFlags = await Promise.all([leads(first), leads(second)]);
        }
        const follower = leaderFlags[0] ? second : first;
        expect((await api(follower, "POST", "/v1/webhooks", { url: receiver.url })).status).toBe(201);
        expect((await api(follower, "POST", "/v1/alert-rules", RULE)).status).toBe(201);
        const audit = criticalAudit();
        const stored = await postAudit(follower, audit);
        expect(stored.status).toBe(200);
        await receiver.waitFor(1, 5_000);
        expect(receiver.requests[0].at - stored.at).toBeLessThan(2_000);
        await sleep(500);
        expect(receiver.requests.map(auditOf)).toEqual([audit.id]);
      } finally {
        await Promise.all([first.stop(), second?.stop()]);
        await receiver.close();
      }
    }, 90_000);
  },
);
