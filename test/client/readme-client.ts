/**
 * The README's "A typed client" example, exactly as the README shows it (test/client/generated-client.test.ts
 * type-checks it against types generated from /openapi.json and runs it against the service). `modqc-api.ts` is
 * what `npx openapi-typescript http://127.0.0.1:8080/openapi.json -o modqc-api.ts` writes.
 */
import createClient from "openapi-fetch";
import type { paths } from "./modqc-api.ts";

// `${string}/json`: the answers typed are the JSON ones (routes that can also answer CSV, NDJSON or XLSX
// declare those under their own media types, chosen with `format` or `Accept`).
const modqc = createClient<paths, `${string}/json`>({
  baseUrl: process.env.MODQC_URL ?? "http://127.0.0.1:8080",
  headers: { Authorization: `Bearer ${process.env.MODQC_KEY}` },
});

// Who am I?
const { data: me, error } = await modqc.GET("/v1/me");
if (error) throw new Error(`${error.error.code}: ${error.error.message}`);
console.log(`signed in as ${me.name} (${me.role})`);

// Upload this week's decisions (CSV) and draw a sample stratified by queue.
const csv =
  "id,queue,moderator,market\nd-1,spam,mod-1,KR\nd-2,spam,mod-2,\nd-3,hate,mod-1,JP\nd-4,hate,mod-3,KR\n";
const { data: population } = await modqc.POST("/v1/populations", {
  params: { query: { name: "week 49" } },
  body: csv,
  headers: { "Content-Type": "text/csv" },
  bodySerializer: (body) => body,
});
if (!population) throw new Error("upload refused");
const { data: sample } = await modqc.POST("/v1/samples", {
  body: { population: population.id, strata: ["queue"], total: 2, seed: "week 49" },
});
if (!sample) throw new Error("draw refused");
const { data: samples } = await modqc.GET("/v1/samples");
console.log(
  `sample ${sample.id}: ${sample.n} of ${population.count} decisions; ${samples?.samples.length} samples`,
);

// Record an audit, then list the audits of a queue.
const { data: stored } = await modqc.POST("/v1/audits", {
  body: [
    {
      id: "a-1",
      decisionId: "d-1",
      queue: "spam",
      moderator: "mod-1",
      auditor: "kim.minji",
      outcome: "incorrect",
      errorType: "false-positive",
      severity: 2,
      auditedAt: "2026-12-07T09:30:00+09:00",
    },
  ],
});
const { data: page } = await modqc.GET("/v1/audits", { params: { query: { queue: "spam", limit: 50 } } });
console.log(`${stored?.inserted} new audit(s); spam: ${page?.audits.map((audit) => audit.id).join(", ")}`);

// Error rates per queue, a p chart by week and a funnel plot of moderators.
const { data: quality } = await modqc.GET("/v1/quality", { params: { query: { groupBy: "queue" } } });
for (const group of quality?.groups ?? []) console.log(group.key.queue, group.rate, group.lower, group.upper);
const { data: chart } = await modqc.GET("/v1/charts", { params: { query: { type: "p", interval: "week" } } });
console.log(`${chart?.points.length} weeks, ${chart?.signals.length} signals`);
const { data: funnel } = await modqc.GET("/v1/funnel", { params: { query: { by: "moderator" } } });
console.log(`target ${funnel?.target}; outside: ${funnel?.units.filter((u) => u.band !== "inside").length}`);

// Calculators: how many to audit for ±3 % at 95 %, and how well raters agree.
const { data: size } = await modqc.POST("/v1/sample-size", { body: { margin: 0.03 } });
const { data: agreement } = await modqc.POST("/v1/agreement", {
  body: {
    ratings: [
      ["ok", "ok", "spam"],
      ["spam", "spam", "spam"],
      ["ok", null, "ok"],
    ],
  },
});
console.log(`audit ${size?.n}; Fleiss' kappa ${agreement?.fleiss.kappa}`);
