import pg from "pg";
import { describe, expect, it } from "vitest";
import { adminApi as api, type ChildServer, startChildServer } from "../child-server.ts";
import { onPostgres, testSchemaUrl } from "../database.ts";
import { startReceiver } from "../helpers.ts";

const HOUR = 3_600_000;

/** `n` audits of moderator `moderator`, the first `errors` of them incorrect, audited an hour ago. */
function audits(prefix: string, moderator: string, n: number, errors: number) {
  const at = new Date(Date.now() - HOUR).toISOString();
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${moderator}-${i}`,
    decisionId: `d-${prefix}-${moderator}-${i}`,
    queue: "hate",
    moderator,
    auditor: "alice",
    outcome: i < errors ? "incorrect" : "correct",
    ...(i < errors ? { errorType: "false-negative" } : {}),
    auditedAt: at,
  }));
}

const leads = async (server: ChildServer) =>
  ((await (await fetch(`${server.url}/health`)).json()) as { leader: boolean }).leader;

async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!onPostgres)(
  "several instances on one database (PostgreSQL only: SQLite has one instance per file)",
  () => {
    it("one leads; when it is killed mid-ingest the other takes over, every alert fires once, every delivery arrives once, and nothing acknowledged is lost", async () => {
      const receiver = await startReceiver();
      const url = await testSchemaUrl();
      const env = {
        MODQC_DATABASE_URL: url,
        MODQC_WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
        MODQC_LEADER_INTERVAL_MS: "200",
        MODQC_ALERT_DEBOUNCE_MS: "50",
      };
      // Started together on an empty database: both migrate and bootstrap the admin key at the same moment.
      const started = await Promise.allSettled([startChildServer(env), startChildServer(env)]);
      const servers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      if (servers.length < 2) {
        await Promise.all(servers.map((server) => server.stop()));
        throw (started.find((s) => s.status === "rejected") as PromiseRejectedResult).reason;
      }
      const database = new pg.Client({ connectionString: url });
      await database.connect();
      try {
        await until(
          "one leader",
          async () => (await Promise.all(servers.map(leads))).filter(Boolean).length === 1,
        );
        const leaderIndex = (await leads(servers[0])) ? 0 : 1;
        const [leader, follower] = [servers[leaderIndex], servers[1 - leaderIndex]];

        // Set up through the follower: the leader hears of the new rule from it.
        expect((await api(follower, "POST", "/v1/webhooks", { url: receiver.url })).status).toBe(201);
        const rule = await api(follower, "POST", "/v1/alert-rules", {
          name: "moderator error rate",
          scope: { queue: "hate" },
          groupBy: ["moderator"],
          condition: { kind: "threshold", maxRate: 0.1, window: { days: 1 }, minAudited: 10 },
          severity: "critical",
        });
        expect(rule.status, JSON.stringify(rule.body)).toBe(201);

        // Audits to both instances at once: four moderators breach.
        const first = ["m0", "m1", "m2", "m3"].map((m, i) =>
          api(servers[i % 2], "POST", "/v1/audits", audits("a", m, 20, 6)),
        );
        for (const answer of await Promise.all(first))
          expect(answer.body).toEqual({ inserted: 20, duplicates: 0 });
        const firing = () => receiver.requests.filter((r) => r.headers["modqc-event"] === "alert.firing");
        await until("four alerts delivered", () => firing().length >= 4);

        // A stream of clean audits to both instances; the leader is killed (SIGKILL) in the middle of it.
        const acknowledged: string[] = [];
        let stop = false;
        const stream = async (server: ChildServer, moderator: string) => {
          for (let batch = 0; !stop; batch++) {
            const rows = audits(`s${batch}`, moderator, 10, 0);
            try {
              const answer = await api(server, "POST", "/v1/audits", rows);
              if (answer.status === 200) acknowledged.push(...rows.map((row) => row.id));
            } catch {
              return; // the killed instance: this batch was never acknowledged
            }
          }
        };
        const streams = [stream(leader, "m8"), stream(follower, "m9")];
        await until("some acknowledged audits", () => acknowledged.length >= 200);
        await leader.kill();
        const killedAt = Date.now();
        await until("the survivor to lead", () => leads(follower), 10_000);
        const takeoverMs = Date.now() - killedAt;
        await new Promise((resolve) => setTimeout(resolve, 300));
        stop = true;
        await Promise.all(streams);
        expect(takeoverMs).toBeLessThan(5_000);

        // The new leader evaluates what arrives next: two more moderators breach.
        for (const m of ["m4", "m5"])
          expect((await api(follower, "POST", "/v1/audits", audits("b", m, 20, 6))).body).toEqual({
            inserted: 20,
            duplicates: 0,
          });
        await until("six alerts delivered", () => firing().length >= 6);
        await new Promise((resolve) => setTimeout(resolve, 1_000)); // anything sent twice would arrive by now

        const stored = await database.query("SELECT COUNT(*)::int AS n FROM audits WHERE id = ANY($1)", [
          acknowledged,
        ]);
        expect(stored.rows[0].n).toBe(acknowledged.length);
        const alerts = await database.query(
          'SELECT labels, COUNT(*)::int AS n FROM alerts GROUP BY labels ORDER BY labels COLLATE "C"',
        );
        expect(alerts.rows.map((row) => [JSON.parse(row.labels).moderator, row.n])).toEqual(
          ["m0", "m1", "m2", "m3", "m4", "m5"].map((m) => [m, 1]),
        );
        const deliveries = await database.query(
          "SELECT id FROM webhook_deliveries WHERE event = 'alert.firing'",
        );
        const arrived = firing().map((r) => r.headers["modqc-delivery"]);
        expect(arrived).toHaveLength(6);
        expect(new Set(arrived)).toEqual(new Set(deliveries.rows.map((row) => row.id)));
      } finally {
        await database.end();
        await Promise.all(servers.map((server) => server.stop()));
        await receiver.close();
      }
    }, 120_000);
  },
);
