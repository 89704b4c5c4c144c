import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onPostgres, TEST_DATABASE_URL } from "../database.ts";
import { testContext } from "../helpers.ts";

/**
 * The README's "draw rule (reproducible anywhere)" SQL, run exactly as users read it (the blocks between the
 * `draw-sql:` markers) against a draw of the API: DuckDB always, psql when the suite runs on PostgreSQL. The
 * population has decisions without a market, so one stratum per queue is `market=` (the stratum a one-sided
 * `coalesce` in the join used to drop), and ids that a loader could damage (leading zeros, digits only, Hangul,
 * a comma, quotes).
 */

/** The seed the README's SQL hard-codes. */
const SEED = "2026-11-24";

/** A fenced sql block of README.md between `<!-- draw-sql:<engine> … -->` and `<!-- /draw-sql:<engine> -->`. */
function readmeBlock(engine: "postgresql" | "duckdb"): string {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const found = new RegExp(
    `<!-- draw-sql:${engine}[^>]*-->\\s*\`\`\`sql\\n([\\s\\S]*?)\`\`\`\\s*<!-- /draw-sql:${engine} -->`,
  ).exec(readme);
  if (!found) throw new Error(`README.md has no draw-sql:${engine} block between its markers`);
  return found[1];
}

interface Decision {
  id: string;
  queue: string;
  moderator: string;
  market?: string;
}

/** About 300 decisions in 3 queues × (KR, US, absent), plus a 3-decision stratum drawn whole. */
function population(): Decision[] {
  const queues = ["hate", "spam", "괴롭힘"];
  const ids = (i: number) =>
    [`dec-${i}`, `${String(i).padStart(8, "0")}`, `${3153000 + i}`, `결정-${i}`][i % 4];
  const rows: Decision[] = Array.from({ length: 300 }, (_, i) => ({
    id: ids(i),
    queue: queues[i % 3],
    moderator: `mod-${i % 7}`,
    market: i % 10 < 3 ? undefined : i % 10 < 7 ? "KR" : "US",
  }));
  rows.push(
    { id: "dec,7", queue: "spam", moderator: "mod-1", market: "JP" },
    { id: 'say "hi" 9', queue: "spam", moderator: "mod-2", market: "JP" },
    { id: "jp-1", queue: "spam", moderator: "mod-3", market: "JP" },
  );
  return rows;
}

/** RFC 4180: quoted only when needed; an absent value is an empty, unquoted cell (as spreadsheets write it). */
const cell = (value: string | number | undefined) =>
  value === undefined
    ? ""
    : /[",\r\n]/.test(String(value))
      ? `"${String(value).replaceAll('"', '""')}"`
      : String(value);

/** What the README's `jq … @csv` writes: every string quoted (an absent market is `""`), numbers bare. */
const jqCell = (value: string | number) =>
  typeof value === "number" ? String(value) : `"${value.replaceAll('"', '""')}"`;

interface Stratum {
  values: Record<string, string>;
  n: number;
}

/** The quotas file both ways a tool writes an empty value: unquoted (NULL for `\copy`) or `""` (jq's @csv). */
function quotasCsv(strata: Stratum[], spelling: "empty" | "quoted"): string {
  const line = (s: Stratum) =>
    spelling === "quoted"
      ? [jqCell(s.values.queue), jqCell(s.values.market), jqCell(s.n)].join(",")
      : [cell(s.values.queue || undefined), cell(s.values.market || undefined), cell(s.n)].join(",");
  return `${["queue,market,n", ...strata.map(line)].join("\n")}\n`;
}

/** The rows of a CSV text with a header (RFC 4180 quoting; psql --csv quotes only where needed). */
function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let fields: string[] = [];
  let value = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') value += text[++i];
      else if (char === '"') quoted = false;
      else value += char;
    } else if (char === '"') {
      quoted = true;
    } else if (char === "," || char === "\n") {
      fields.push(value);
      value = "";
      if (char === "\n") {
        records.push(fields);
        fields = [];
      }
    } else if (char !== "\r") {
      value += char;
    }
  }
  const [header, ...rows] = records;
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
}

/** One selected decision as `priority rank`, by id: what the API's items and the SQL's rows are compared on. */
type Selection = Map<string, string>;

const selection = (rows: Record<string, unknown>[]): Selection =>
  new Map(rows.map((row) => [String(row.id), `${row.priority} ${row.rank}`]));

async function runDuckDb(dir: string, sql: string): Promise<Selection> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    // Relative file names ('decisions.csv') resolve here, as in a shell started in the files' directory.
    await connection.run(`SET file_search_path = '${dir.replaceAll("'", "''")}'`);
    const result = await connection.runAndReadAll(sql);
    return selection(result.getRowObjectsJS());
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const psqlInstalled = spawnSync("psql", ["--version"]).status === 0;
const jqInstalled = spawnSync("jq", ["--version"]).status === 0;

describe("the README's draw SQL selects exactly the API's draw", () => {
  let dir: string;
  let strata: (Stratum & { key: string; size: number })[];
  /** GET /v1/samples/{id} as the service sent it. */
  let sampleJson: string;
  /** The API's draw: every drawn item's priority and rank, by decision id. */
  const drawn: Selection = new Map();
  /** The decision ids the API drew in strata without a market. */
  const drawnWithoutMarket = new Set<string>();

  beforeAll(async () => {
    const ctx = await testContext();
    dir = mkdtempSync(join(tmpdir(), "modqc-draw-sql-"));
    const rows = population();
    const columns = ["id", "queue", "moderator", "market"] as const;
    const decisionsCsv = `${[columns.join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))].join("\n")}\n`;
    writeFileSync(join(dir, "decisions.csv"), decisionsCsv);

    const uploaded = await ctx.call("POST", "/v1/populations?name=draw-sql", {
      key: ctx.keys.lead,
      body: decisionsCsv,
      headers: { "content-type": "text/csv" },
    });
    expect(uploaded.status, uploaded.text).toBe(201);
    const sample = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: {
        population: uploaded.body.id,
        strata: ["queue", "market"],
        total: 60,
        minPerStratum: 5,
        seed: SEED,
      },
    });
    expect(sample.status, sample.text).toBe(201);

    const read = await ctx.call("GET", `/v1/samples/${sample.body.id}`, { key: ctx.keys.viewer });
    expect(read.status, read.text).toBe(200);
    strata = read.body.strata;
    sampleJson = read.text;
    const items = await ctx.call("GET", `/v1/samples/${sample.body.id}/items`, { key: ctx.keys.viewer });
    expect(items.status, items.text).toBe(200);
    for (const item of items.body.items) {
      drawn.set(item.id, `${item.priority} ${item.rank}`);
      if (item.market === null) drawnWithoutMarket.add(item.id);
    }
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("draws from the strata the test is about: one without a market per queue, and one drawn whole", () => {
    const withoutMarket = strata.filter((s) => s.values.market === "");
    expect(withoutMarket.map((s) => s.key).sort()).toEqual([
      "queue=hate|market=",
      "queue=spam|market=",
      "queue=괴롭힘|market=",
    ]);
    for (const s of withoutMarket) expect(s.n).toBeGreaterThan(0);
    expect(strata.find((s) => s.key === "queue=spam|market=JP")).toMatchObject({ size: 3, n: 3 });
    expect(strata.some((s) => s.n < s.size)).toBe(true);
    expect(drawn.size).toBe(strata.reduce((sum, s) => sum + s.n, 0));
    expect(drawnWithoutMarket.size).toBe(withoutMarket.reduce((sum, s) => sum + s.n, 0));
  });

  it.skipIf(!jqInstalled)(
    'the README\'s jq command writes the quotas file with the absent market as ""',
    () => {
      const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
      const program = /\| jq -r '([^']+)' > quotas\.csv/.exec(readme)?.[1];
      expect(program, "README.md has no `jq -r '…' > quotas.csv` command").toBeDefined();
      const jq = spawnSync("jq", ["-r", program as string], { input: sampleJson, encoding: "utf8" });
      expect(jq.status, jq.stderr).toBe(0);
      expect(jq.stdout).toBe(quotasCsv(strata, "quoted"));
    },
  );

  for (const spelling of ["empty", "quoted"] as const) {
    it(`DuckDB, quotas with the absent market written ${spelling === "empty" ? "as an empty cell" : 'as ""'}`, async () => {
      writeFileSync(join(dir, "quotas.csv"), quotasCsv(strata, spelling));
      expect(await runDuckDb(dir, readmeBlock("duckdb"))).toEqual(drawn);
    });

    it.skipIf(!onPostgres || !psqlInstalled)(
      `psql on PostgreSQL (\\copy … csv), quotas with the absent market written ${spelling === "empty" ? "as an empty cell (NULL)" : 'as "" (an empty string)'}${onPostgres && !psqlInstalled ? " — skipped: psql is missing (Debian package postgresql-client)" : ""}`,
      async () => {
        writeFileSync(join(dir, "quotas.csv"), quotasCsv(strata, spelling));
        const schema = `draw_sql_${process.pid}_${spelling}`;
        const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await admin.connect();
        try {
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await admin.query(`CREATE SCHEMA ${schema}`);
          writeFileSync(join(dir, "draw.sql"), readmeBlock("postgresql"));
          // psql in the files' directory, as a user runs the README's block; the schema keeps the tables apart.
          const psql = spawnSync(
            "psql",
            ["-X", "-q", "--csv", "-v", "ON_ERROR_STOP=1", "-f", "draw.sql", TEST_DATABASE_URL as string],
            { cwd: dir, encoding: "utf8", env: { ...process.env, PGOPTIONS: `-c search_path=${schema}` } },
          );
          expect(psql.status, psql.stderr).toBe(0);
          expect(selection(parseCsv(psql.stdout))).toEqual(drawn);
        } finally {
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await admin.end();
        }
      },
    );
  }

  it("the old one-sided join (q.market = coalesce(r.market, '')) misses exactly the strata without a market", async () => {
    writeFileSync(join(dir, "quotas.csv"), quotasCsv(strata, "empty"));
    const fixed = readmeBlock("duckdb");
    const oneSided = fixed.replace(
      "coalesce(q.market, '') = coalesce(r.market, '')",
      "q.market = coalesce(r.market, '')",
    );
    expect(oneSided).not.toBe(fixed);
    const selected = await runDuckDb(dir, oneSided);
    expect([...drawn.keys()].filter((id) => !selected.has(id)).sort()).toEqual(
      [...drawnWithoutMarket].sort(),
    );
  });
});
