import { Agent, request } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildServer, startChildServer } from "../child-server.ts";

/**
 * Issue 19, as an attacker would try it: requests that used to abort the process or hold the event loop for
 * seconds, and a generated set of extreme inputs, against the real server in a child process (loopback only,
 * bounded in count). The process must never exit, every request must be answered within 2 s with a result,
 * a 400 or a 422, and /health, probed throughout on a keep-alive connection, must keep answering.
 */
const ANSWER_WITHIN_MS = 2_000;
const EXTREME_REQUESTS = 600;

let server: ChildServer;
beforeAll(async () => {
  server = await startChildServer();
  // Let the compute threads finish loading, as they have on a server that has been up for a moment.
  await send("/v1/compare", { a: { count: 1, n: 10 }, b: { count: 2, n: 10 } });
}, 60_000);
afterAll(() => server?.stop());

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

function send(path: string, body?: unknown): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      `${server.url}${path}`,
      {
        agent,
        method: body === undefined ? "GET" : "POST",
        headers: body === undefined ? {} : { "content-type": "application/json" },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: text }),
        );
      },
    );
    req.on("error", () => resolve({ status: 0, ms: performance.now() - started, body: "" }));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Sends /health every 50 ms until `stop` is called; returns the latencies. */
function probeHealth() {
  const latencies: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const answer = await send("/health");
      latencies.push(answer.status === 200 ? answer.ms : Number.POSITIVE_INFINITY);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return async () => {
    running = false;
    await done;
    return latencies.sort((a, b) => a - b);
  };
}

const KNOWN: [string, string, unknown, number[]][] = [
  [
    "a funnel unit with n = 10¹⁵ (used to abort Node)",
    "/v1/funnel",
    { units: [{ key: "a", count: 500_000_000_000_000, n: 1_000_000_000_000_000 }] },
    [400],
  ],
  [
    "a funnel of 50 units at n = 10¹² (used to take 19 s)",
    "/v1/funnel",
    { units: Array.from({ length: 50 }, (_, i) => ({ key: `u${i}`, count: 1e9 + i * 1e6, n: 1e12 })) },
    [200],
  ],
  [
    "agreement of 2 raters over 20,000 distinct labels without categories (used to take 45 s)",
    "/v1/agreement",
    { ratings: Array.from({ length: 20_000 }, (_, i) => [`a${i}`, `b${i}`]) },
    [400],
  ],
  [
    "agreement of 100 raters over 200 categories (pairwise kappa used to take 6 s)",
    "/v1/agreement",
    {
      ratings: Array.from({ length: 170 }, (_, i) =>
        Array.from({ length: 100 }, (_, r) => (i * 7 + r * 13) % 200),
      ),
    },
    [200],
  ],
  [
    "a Clopper–Pearson sample size at margin 10⁻⁶ (used to take 10 s)",
    "/v1/sample-size",
    { margin: 1e-6, method: "clopper-pearson" },
    [422],
  ],
  ["confidence 1 − 1e-16", "/v1/sample-size", { margin: 0.05, confidence: 0.9999999999999999 }, [200]],
  [
    "an interval at n = 2·10¹⁵ (over the limit)",
    "/v1/interval",
    { count: 1e15, n: 2e15, method: "clopper-pearson" },
    [400],
  ],
  ["Clopper–Pearson at n = 10¹²", "/v1/interval", { count: 5e11, n: 1e12, method: "clopper-pearson" }, [200]],
  ["Jeffreys for 1 of 10¹²", "/v1/interval", { count: 1, n: 1e12, method: "jeffreys" }, [200]],
];

/** Numbers a careless or hostile client sends. */
const extreme = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    0.5,
    1e-300,
    5e-324,
    1e-15,
    1 - 1e-16,
    1e12,
    1e12 + 1,
    1e15,
    2 ** 53,
    1e308,
    -1e308,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: 0, max: 2 ** 40 }),
);
const bodies = fc.oneof(
  fc.record({
    path: fc.constant("/v1/interval"),
    body: fc.record({
      count: extreme,
      n: extreme,
      confidence: extreme,
      method: fc.constantFrom("wald", "wilson", "clopper-pearson", "agresti-coull", "jeffreys"),
    }),
  }),
  fc.record({
    path: fc.constant("/v1/sample-size"),
    body: fc.record({
      margin: extreme,
      confidence: extreme,
      expectedRate: extreme,
      population: extreme,
      method: fc.constantFrom("wald", "wilson", "clopper-pearson"),
    }),
  }),
  fc.record({
    path: fc.constant("/v1/sample-size"),
    body: fc.record({
      goal: fc.constant("demonstrate"),
      maxRate: extreme,
      allowedErrors: extreme,
      population: extreme,
      confidence: extreme,
    }),
  }),
  fc.record({
    path: fc.constant("/v1/funnel"),
    body: fc.record({
      units: fc.array(fc.record({ key: fc.string({ maxLength: 3 }), count: extreme, n: extreme }), {
        minLength: 1,
        maxLength: 40,
      }),
      target: extreme,
    }),
  }),
  fc.record({
    path: fc.constant("/v1/chart"),
    body: fc.record({
      type: fc.constantFrom("p", "np", "c", "u", "laney-p", "ewma", "cusum"),
      points: fc.array(fc.record({ count: extreme, n: extreme }), { minLength: 1, maxLength: 60 }),
      sigma: extreme,
    }),
  }),
  fc.record({
    path: fc.constant("/v1/compare"),
    body: fc.record({
      a: fc.record({ count: extreme, n: extreme }),
      b: fc.record({ count: extreme, n: extreme }),
      confidence: extreme,
    }),
  }),
  fc.record({
    path: fc.constant("/v1/allocation"),
    body: fc.record({
      total: extreme,
      strata: fc.array(fc.record({ key: fc.string({ maxLength: 4 }), size: extreme }), {
        minLength: 1,
        maxLength: 30,
      }),
    }),
  }),
  fc.record({
    path: fc.constant("/v1/agreement"),
    body: fc.record({
      ratings: fc.array(
        fc.array(fc.oneof(fc.string({ maxLength: 2 }), extreme, fc.constant(null)), {
          minLength: 2,
          maxLength: 5,
        }),
        { minLength: 1, maxLength: 50 },
      ),
      level: fc.constantFrom("nominal", "ordinal", "interval", "ratio"),
    }),
  }),
);

describe("a hostile client cannot stop or stall the service", () => {
  it.each(KNOWN)("%s: answered quickly", async (_name, path, body, statuses) => {
    const answer = await send(path, body);
    expect(statuses, answer.body.slice(0, 300)).toContain(answer.status);
    expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect(server.child.exitCode).toBeNull();
  });

  it("generated extreme inputs: every one answered within 2 s with 200, 400 or 422, /health answering throughout", async () => {
    const stop = probeHealth();
    const requests = fc.sample(bodies, { numRuns: EXTREME_REQUESTS, seed: 19 });
    const slow: string[] = [];
    // Four at a time, as several clients would.
    for (let i = 0; i < requests.length; i += 4) {
      const answers = await Promise.all(requests.slice(i, i + 4).map(({ path, body }) => send(path, body)));
      answers.forEach((answer, j) => {
        const { path, body } = requests[i + j];
        const what = `${path} ${JSON.stringify(body).slice(0, 200)} → ${answer.status} ${answer.body.slice(0, 200)}`;
        expect([200, 400, 422], what).toContain(answer.status);
        if (answer.ms >= ANSWER_WITHIN_MS) slow.push(`${answer.ms.toFixed(0)} ms: ${what}`);
      });
    }
    const health = await stop();
    expect(slow).toEqual([]);
    expect(health.every(Number.isFinite)).toBe(true);
    expect(server.child.exitCode).toBeNull();
    const p99 = health[Math.min(health.length - 1, Math.ceil(health.length * 0.99) - 1)];
    console.log(
      `/health during ${EXTREME_REQUESTS} extreme requests: ${health.length} probes, p99 ${p99.toFixed(1)} ms, max ${health[health.length - 1].toFixed(1)} ms`,
    );
  }, 120_000);
});
