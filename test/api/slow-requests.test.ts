import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TimeoutsConfig } from "../../src/config.ts";
import { guardSlowRequests, type SlowRequestGuard, serverOptions } from "../../src/http/slow-requests.ts";
import { type ChildServer, startChildServer } from "../child-server.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Dribbled {
  /** What the server wrote back. */
  response: string;
  /** When the server closed the connection, in ms after the request started; undefined if it did not. */
  closedAfterMs: number | undefined;
}

/**
 * Sends `head` (request line and headers), then `piece` every `everyMs` until the server closes the connection,
 * `maxMs` pass or `bodyBytes` are sent; waits up to `graceMs` more for the close.
 */
async function dribble(
  port: number,
  head: string,
  piece: string,
  everyMs: number,
  maxMs: number,
  { graceMs = 3000, bodyBytes = Number.POSITIVE_INFINITY } = {},
): Promise<Dribbled> {
  const socket = connect(port, "127.0.0.1");
  socket.setEncoding("utf8");
  let response = "";
  socket.on("data", (chunk: string) => (response += chunk));
  socket.on("error", () => {}); // a reset after the server's close is expected
  await once(socket, "connect");
  const started = Date.now();
  let closedAfterMs: number | undefined;
  const closed = new Promise<void>((resolve) =>
    socket.once("close", () => {
      closedAfterMs = Date.now() - started;
      resolve();
    }),
  );
  socket.write(head);
  let sent = 0;
  while (closedAfterMs === undefined && Date.now() - started < maxMs && sent < bodyBytes) {
    await sleep(everyMs);
    if (!socket.destroyed) socket.write(piece);
    sent += piece.length;
  }
  await Promise.race([closed, sleep(graceMs)]);
  socket.destroy();
  return { response, closedAfterMs };
}

const cutWith408 = (result: Dribbled) => {
  expect(result.closedAfterMs).toBeDefined();
  // Node may reset the connection before the client reads the answer; when it is read, it is a 408.
  if (result.response) expect(result.response).toMatch(/^HTTP\/1\.1 408 /);
};

describe("slow-client limits (in process)", () => {
  const limits: TimeoutsConfig = {
    headersMs: 1000,
    requestMs: 1000,
    bodyMinBytes: 2048,
    bodyRateWindowMs: 200,
  };
  let server: Server;
  let guard: SlowRequestGuard;
  let port: number;
  /** How the handler treats the body: wait `delayMs` before reading it, or block the event loop meanwhile. */
  let behaviour: { delayMs: number; blockMs: number } = { delayMs: 0, blockMs: 0 };

  beforeAll(async () => {
    server = createServer(serverOptions(limits), async (req: IncomingMessage, res: ServerResponse) => {
      const { delayMs, blockMs } = behaviour;
      if (delayMs) await sleep(delayMs);
      if (blockMs) {
        // Another request's long synchronous work (a large upload's transaction, say) while this body arrives.
        setTimeout(() => {
          const until = Date.now() + blockMs;
          while (Date.now() < until) {}
        }, 300);
      }
      let bytes = 0;
      try {
        for await (const chunk of req) bytes += (chunk as Buffer).length;
      } catch {
        return; // cut: the connection is gone
      }
      res.writeHead(200, { "content-type": "text/plain" }).end(String(bytes));
    });
    guard = guardSlowRequests(server, limits, (path) => path.startsWith("/ingest"));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    guard.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(() => {
    behaviour = { delayMs: 0, blockMs: 0 };
  });

  const head = (path: string, length: number) =>
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${length}\r\nContent-Type: text/plain\r\n\r\n`;

  it("a body slower than the floor is cut after about one window, on any route", async () => {
    for (const path of ["/ingest", "/ordinary"]) {
      const result = await dribble(port, head(path, 1_000_000), "x".repeat(50), 50, 3000);
      cutWith408(result);
      expect(result.closedAfterMs).toBeGreaterThanOrEqual(limits.bodyRateWindowMs - 20);
      expect(result.closedAfterMs).toBeLessThan(1000);
    }
    expect(guard.watched).toBe(0);
  });

  it("ordinary routes must arrive within the request timeout even at a good rate; ingest routes need not", async () => {
    const piece = "x".repeat(4096); // 80 KiB/s: well above the floor
    const ordinary = await dribble(port, head("/ordinary", 10_000_000), piece, 50, 4000);
    cutWith408(ordinary);
    expect(ordinary.closedAfterMs).toBeGreaterThanOrEqual(limits.requestMs - 20);
    expect(ordinary.closedAfterMs).toBeLessThan(limits.requestMs + 800);

    const length = 4096 * 40; // 40 pieces at 50 ms: about 2 s, twice the request timeout
    const ingest = await dribble(port, head("/ingest", length), piece, 50, 5000, {
      bodyBytes: length,
      graceMs: 500,
    });
    expect(ingest.response).toMatch(/^HTTP\/1\.1 200 /);
    expect(ingest.response).toContain(`\r\n${length}\r\n`);
  });

  it("time the server is the slow side does not count: an unread body or a blocked event loop", async () => {
    // The handler reads nothing for 4 windows while a large body waits in the buffers.
    behaviour = { delayMs: 4 * limits.bodyRateWindowMs, blockMs: 0 };
    const size = 8 * 1024 * 1024;
    const unread = await fetch(`http://127.0.0.1:${port}/ingest`, {
      method: "POST",
      body: new Uint8Array(size),
    });
    expect(unread.status).toBe(200);
    expect(await unread.text()).toBe(String(size));

    // The event loop is blocked for 4 windows mid-body (the client, in this process, stalls too).
    behaviour = { delayMs: 0, blockMs: 4 * limits.bodyRateWindowMs };
    const length = 4096 * 15; // one piece every 100 ms: 40 KiB/s against a floor of 10 KiB/s
    const blocked = await dribble(port, head("/ingest", length), "x".repeat(4096), 100, 5000, {
      bodyBytes: length,
      graceMs: 500,
    });
    expect(blocked.response).toMatch(/^HTTP\/1\.1 200 /);
  });

  it("headers must arrive within the headers timeout", async () => {
    const result = await dribble(port, "POST /ingest HTTP/1.1\r\nHost: x\r\n", "X-Slow: 1\r\n", 100, 5000);
    cutWith408(result);
    // Node checks connections every second: the cut comes between the limit and a second later.
    expect(result.closedAfterMs).toBeGreaterThanOrEqual(limits.headersMs - 20);
    expect(result.closedAfterMs).toBeLessThan(limits.headersMs + 1500);
  });
});

describe("slow-client limits (the real service)", () => {
  let server: ChildServer;
  beforeAll(async () => {
    server = await startChildServer({
      MODQC_HEADERS_TIMEOUT_MS: "1500",
      MODQC_REQUEST_TIMEOUT_MS: "2000",
      MODQC_BODY_MIN_BYTES: "4096",
      MODQC_BODY_RATE_WINDOW_MS: "1000",
    });
  }, 60_000);
  afterAll(() => server?.stop());

  const port = () => Number(new URL(server.url).port);
  const audit = (i: number, pad = 0) =>
    `${JSON.stringify({
      id: `slow-${i}`,
      decisionId: `d-${i}`,
      queue: "hate",
      moderator: "m1",
      auditor: "alice",
      outcome: "correct",
      auditedAt: "2026-11-24T09:30:00+09:00",
      notes: "n".repeat(pad),
    })}\n`;
  const count = async () => {
    const res = await fetch(`${server.url}/v1/audits?limit=1000`, {
      headers: { authorization: `Bearer ${server.adminKey}` },
    });
    return ((await res.json()) as { audits: unknown[] }).audits.length;
  };

  it("an upload dribbled below the floor is cut with a 408 and stores nothing; the service keeps serving", async () => {
    const body = audit(1).repeat(1000);
    const head = `POST /v1/audits HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.adminKey}\r\nContent-Type: application/x-ndjson\r\nContent-Length: ${body.length}\r\n\r\n`;
    const result = await dribble(port(), head, "x".repeat(100), 250, 10_000);
    cutWith408(result);
    expect(result.closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(result.closedAfterMs).toBeLessThan(3500);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(await count()).toBe(0);
  }, 30_000);

  it("an upload at a sufficient rate may take longer than the request timeout", async () => {
    const encoder = new TextEncoder();
    let i = 0;
    const started = Date.now();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        // ~16 KiB every 250 ms (64 KiB/s against a floor of 4 KiB/s), for about 3 s.
        await sleep(250);
        let text = "";
        for (let k = 0; k < 4; k++) text += audit(i++, 4000);
        controller.enqueue(encoder.encode(text));
        if (Date.now() - started > 3000) controller.close();
      },
    });
    const res = await fetch(`${server.url}/v1/audits`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/x-ndjson" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(Date.now() - started).toBeGreaterThan(2000);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ inserted: i, duplicates: 0 });
  }, 30_000);

  it("an ordinary request still arriving after MODQC_REQUEST_TIMEOUT_MS is cut", async () => {
    const head = `POST /v1/keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.adminKey}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"role":"lead","name":"slow"`;
    const result = await dribble(port(), head, " ".repeat(8192), 250, 10_000);
    cutWith408(result);
    expect(result.closedAfterMs).toBeGreaterThanOrEqual(1900);
    expect(result.closedAfterMs).toBeLessThan(4500);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  }, 30_000);
});
