// Runs in its own process (so the load does not share the server's event loop): verdict PUTs over `connections`
// connections, each request one auditor's verdict on one of their items (with that auditor's key), taken in turn
// from a list interleaving the auditors; prints one JSON line of results.
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

const { url, file, connections, seconds } = JSON.parse(process.argv[2]);
/** [key, path] pairs: PUT /v1/samples/{sample}/items/{item}/verdict with the assigned auditor's key. */
const work = JSON.parse(readFileSync(file, "utf8"));
const body = JSON.stringify({ outcome: "correct", notes: "bench" });
let next = 0;
const result = await autocannon({
  url,
  connections,
  duration: seconds,
  requests: [
    {
      method: "PUT",
      setupRequest(request) {
        const [key, path] = work[next++ % work.length];
        request.path = path;
        request.headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
        request.body = body;
        return request;
      },
    },
  ],
});
console.log(
  JSON.stringify({
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    total: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    created: result.statusCodeStats?.["201"]?.count ?? 0,
    unchanged: result.statusCodeStats?.["200"]?.count ?? 0,
    listed: work.length,
  }),
);
