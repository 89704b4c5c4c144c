// Runs in its own process (so the load does not share the server's event loop): two autocannon instances at
// once, one posting single audits, one alternating two dashboard reports; prints one JSON line of results.
import autocannon from "autocannon";

const { url, key, writers, readers, seconds, reports, write } = JSON.parse(process.argv[2]);
const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
const summary = (result) => ({
  requestsPerSecond: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  max: result.latency.max,
  errors: result.errors + result.non2xx + result.timeouts,
  total: result.requests.total,
});
const runs = [];
if (writers > 0) {
  runs.push(
    autocannon({
      url: `${url}/v1/audits`,
      connections: writers,
      duration: seconds,
      method: "POST",
      headers,
      body: write,
      idReplacement: true,
    }).then((r) => ["writes", summary(r)]),
  );
}
if (readers > 0) {
  runs.push(
    autocannon({
      url,
      connections: readers,
      duration: seconds,
      headers,
      requests: reports.map((path) => ({ method: "GET", path })),
    }).then((r) => ["reads", summary(r)]),
  );
}
console.log(JSON.stringify(Object.fromEntries(await Promise.all(runs))));
