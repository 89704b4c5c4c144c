import { Agent, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildServer, startChildServer } from "../child-server.ts";

/**
 * Issue 19: a bulk upload must not stop the main thread from answering. While one request uploads
 * 1,000,000 audits (~190 MB of NDJSON), `/health` and a small report are sent 20 times a second on
 * keep-alive connections: every one must be answered. The latencies are printed (the README's targets are
 * checked by `npm run bench`, not here: timings on a shared CI machine are not assertions).
 */
const ROWS = 1_000_000;
const PROBES_PER_SECOND = 20;

let server: ChildServer;
beforeAll(async () => {
  server = await startChildServer();
}, 60_000);
afterAll(() => server?.stop());

function auditLine(i: number): string {
  const day = 1 + (i % 28);
  return `{"id":"u-${i}","decisionId":"d-${i}","queue":"q${i % 20}","moderator":"m${i % 500}","auditor":"a${i % 40}","outcome":"${i % 17 === 0 ? 'incorrect","errorType":"false-negative' : "correct"}","auditedAt":"2026-11-${String(day).padStart(2, "0")}T10:00:00Z"}\n`;
}

/** POSTs the rows as one NDJSON stream, written in chunks as the socket drains. */
function upload(url: string, key: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/audits`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    let next = 0;
    const write = () => {
      while (next < ROWS) {
        let chunk = "";
        for (let end = Math.min(ROWS, next + 2000); next < end; next++) chunk += auditLine(next);
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
}

function get(agent: Agent, url: string, key: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${key}` } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on("error", () => resolve({ status: 0, ms: performance.now() - started }));
    req.end();
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

describe("a 1,000,000-row upload does not freeze other requests", () => {
  it("answers every /health and small report sent during the upload", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const report = `${server.url}/v1/quality?queue=q3&from=2026-11-01&to=2026-11-02`;
    // A server just started is still loading its compute threads: wait for them, as a deployment would have.
    expect((await get(agent, report, server.adminKey)).status).toBe(200);
    const probes: Promise<{ kind: string; status: number; ms: number }>[] = [];
    let uploading = true;
    const uploaded = upload(server.url, server.adminKey).finally(() => {
      uploading = false;
    });
    let tick = 0;
    while (uploading) {
      const kind = tick++ % 2 === 0 ? "health" : "report";
      const url = kind === "health" ? `${server.url}/health` : report;
      probes.push(get(agent, url, server.adminKey).then((answer) => ({ kind, ...answer })));
      await new Promise((resolve) => setTimeout(resolve, 1000 / PROBES_PER_SECOND));
    }
    const result = await uploaded;
    const answers = await Promise.all(probes);
    agent.destroy();
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ inserted: ROWS, duplicates: 0 });
    expect(answers.length).toBeGreaterThan(20);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    for (const kind of ["health", "report"]) {
      const ms = answers
        .filter((a) => a.kind === kind)
        .map((a) => a.ms)
        .sort((a, b) => a - b);
      console.log(
        `${kind} during a ${ROWS}-row upload: ${ms.length} requests, p50 ${percentile(ms, 0.5).toFixed(1)} ms, p99 ${percentile(ms, 0.99).toFixed(1)} ms, max ${ms[ms.length - 1].toFixed(1)} ms`,
      );
    }
  }, 180_000);
});
