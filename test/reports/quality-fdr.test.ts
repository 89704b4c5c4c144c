import { describe, expect, it } from "vitest";
import { binomialUpperTail } from "../../stats/binomial-upper-tail.ts";
import { benjaminiHochberg, benjaminiYekutieli } from "../../stats/multiple-testing.ts";
import { storeAudits, testContext } from "../helpers.ts";

/** GET /v1/quality?limit=&fdr=&multiplicity= (issue 16): p, q and flagged per group, in JSON, CSV and XLSX. */

const GROUPS: [string, number, number][] = [
  // moderator, audited, errors
  ["a", 100, 3],
  ["b", 100, 6],
  ["c", 100, 12],
  ["d", 200, 30],
  ["e", 40, 10],
];

async function fixture() {
  const ctx = await testContext();
  let id = 0;
  const rows = GROUPS.flatMap(([moderator, audited, errors]) =>
    Array.from({ length: audited }, (_, i) => ({
      id: `q${id++}`,
      auditedAt: "2026-03-05T12:00:00Z",
      moderator,
      incorrect: i < errors,
    })),
  );
  await storeAudits(ctx.db, rows);
  return ctx;
}

describe("GET /v1/quality with limit (false-discovery control)", () => {
  it("gives each group p = P(X ≥ errors | audited, limit), BH q and flagged = q ≤ fdr", async () => {
    const { call, keys } = await fixture();
    const res = await call("GET", "/v1/quality?groupBy=moderator&limit=0.05&fdr=0.05", { key: keys.viewer });
    expect(res.status).toBe(200);
    const p = GROUPS.map(([, audited, errors]) => binomialUpperTail(errors, audited, 0.05));
    const q = benjaminiHochberg(p);
    expect(res.body).toMatchObject({ limit: 0.05, fdr: 0.05, multiplicity: "bh" });
    const groups = res.body.groups as {
      key: { moderator: string };
      p: number;
      q: number;
      flagged: boolean;
    }[];
    expect(groups.map((g) => g.key.moderator)).toEqual(["a", "b", "c", "d", "e"]);
    groups.forEach((g, i) => {
      expect(g.p).toBe(p[i]);
      expect(g.q).toBe(q[i]);
      expect(g.flagged).toBe(q[i] <= 0.05);
    });
    // a (3 %) and b (6 %: above the limit, but 6/100 is likely at 5 %) are not flagged; c, d, e are.
    expect(groups.map((g) => g.flagged)).toEqual([false, false, true, true, true]);
    expect(res.body.flagged).toBe(3);
    expect(res.body.overall.p).toBeUndefined();
  });

  it("multiplicity=by uses Benjamini–Yekutieli; fdr defaults to 0.05", async () => {
    const { call, keys } = await fixture();
    const res = await call("GET", "/v1/quality?groupBy=moderator&limit=0.05&multiplicity=by", {
      key: keys.viewer,
    });
    expect(res.status).toBe(200);
    const q = benjaminiYekutieli(
      GROUPS.map(([, audited, errors]) => binomialUpperTail(errors, audited, 0.05)),
    );
    expect(res.body.groups.map((g: { q: number }) => g.q)).toEqual([...q]);
    expect(res.body).toMatchObject({ fdr: 0.05, multiplicity: "by" });
  });

  it("adds p, q, flagged columns to the CSV and XLSX exports", async () => {
    const { call, keys } = await fixture();
    const csv = await call("GET", "/v1/quality?groupBy=moderator&limit=0.05&format=csv", {
      key: keys.viewer,
    });
    expect(csv.status).toBe(200);
    const lines = csv.text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("moderator,audited,errors,rate,lower,upper,p,q,flagged");
    const json = await call("GET", "/v1/quality?groupBy=moderator&limit=0.05", { key: keys.viewer });
    const c = lines[3].split(",");
    expect(c[0]).toBe("c");
    expect(Number(c[6])).toBe(json.body.groups[2].p);
    expect(Number(c[7])).toBe(json.body.groups[2].q);
    expect(c[8]).toBe("true");
    const xlsx = await call("GET", "/v1/quality?groupBy=moderator&limit=0.05&format=xlsx", {
      key: keys.viewer,
    });
    expect(xlsx.status).toBe(200);
    const plain = await call("GET", "/v1/quality?groupBy=moderator&format=csv", { key: keys.viewer });
    expect(plain.text.replace(/^\uFEFF/, "").split("\r\n")[0]).toBe(
      "moderator,audited,errors,rate,lower,upper",
    );
  });

  it("refuses fdr or multiplicity without limit (400 naming the field) and a limit out of range", async () => {
    const { call, keys } = await fixture();
    const fdr = await call("GET", "/v1/quality?groupBy=moderator&fdr=0.05", { key: keys.viewer });
    expect(fdr.status).toBe(400);
    expect(fdr.body.error.details[0].path).toBe("fdr");
    const method = await call("GET", "/v1/quality?groupBy=moderator&multiplicity=bh", { key: keys.viewer });
    expect(method.status).toBe(400);
    expect(method.body.error.details[0].path).toBe("multiplicity");
    for (const query of [
      "limit=1",
      "limit=-0.1",
      "limit=0.05&fdr=1",
      "limit=0.05&fdr=0",
      "limit=0.05&multiplicity=none",
    ]) {
      const bad = await call("GET", `/v1/quality?groupBy=moderator&${query}`, { key: keys.viewer });
      expect(bad.status, query).toBe(400);
    }
  });
});
