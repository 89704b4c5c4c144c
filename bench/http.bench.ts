import { loadTest, startServer, table } from "./lib.ts";

/** Requests per second over a real socket, with autocannon in a second process and the server in a third. */
export async function run(): Promise<void> {
  const server = await startServer();
  try {
    const json = { "content-type": "application/json" };
    const rows: (string | number)[][] = [
      ["route (50 connections, 10 s)", "req/s", "p50 ms", "p99 ms", "errors+non2xx"],
    ];
    const cases: [string, string, string | undefined][] = [
      ["GET /health", "/health", undefined],
      ["POST /v1/interval (wilson)", "/v1/interval", JSON.stringify({ count: 37, n: 412 })],
      [
        "POST /v1/interval (clopper-pearson)",
        "/v1/interval",
        JSON.stringify({ count: 37, n: 412, method: "clopper-pearson" }),
      ],
      ["POST /v1/sample-size", "/v1/sample-size", JSON.stringify({ margin: 0.02, population: 250000 })],
    ];
    for (const [name, path, body] of cases) {
      const r = await loadTest({
        url: server.url + path,
        method: body ? "POST" : "GET",
        body,
        headers: json,
      });
      rows.push([name, r.requestsPerSecond, r.p50, r.p99, r.errors + r.non2xx]);
    }
    table(rows);
  } finally {
    await server.stop();
  }
}
