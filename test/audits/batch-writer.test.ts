import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Audit, parseTimestamp } from "../../src/audits/validate.ts";
import { type BatchOutcome, createBatchWriter } from "../../src/db/audits.ts";
import type { Db } from "../../src/db/database.ts";
import { onPostgres, openTestDatabase } from "../database.ts";
import { deleteAllAudits, storeAudits } from "../helpers.ts";

/**
 * The batch writer's outcome equals the row-by-row rule (the model below: what SQLite's loop does) on both
 * backends: PostgreSQL stages rows and classifies them set-wise, and must agree down to row numbers, the order
 * of listed conflicts and the counts past the first 100.
 */

type Event =
  | { kind: "write"; id: string; queue: string; decidedAt: string | null }
  | { kind: "invalid" }
  | { kind: "forbidden" };

const AUDITED_AT = "2026-11-24T09:30:00+09:00";

function auditOf(event: { id: string; queue: string; decidedAt: string | null }): Audit {
  return {
    id: event.id,
    decisionId: `d-${event.id}`,
    queue: event.queue,
    moderator: "m",
    auditor: "alice",
    outcome: "correct",
    errorType: null,
    severity: null,
    policy: null,
    market: null,
    decidedAt: event.decidedAt,
    auditedAt: AUDITED_AT,
    sampleId: null,
    notes: null,
    correctPolicy: null,
    recordedBy: null,
  };
}

const sameInstant = (a: string | null, b: string | null) =>
  a === b || (a !== null && b !== null && Date.parse(a) === Date.parse(b));

/** The row-by-row rule: insert until the first problem, then only look for conflicts with what is stored. */
function model(stored: Map<string, Audit>, events: Event[]): BatchOutcome {
  const known = new Map(stored);
  const outcome: BatchOutcome = {
    inserted: 0,
    duplicates: 0,
    invalid: [],
    invalidCount: 0,
    conflicts: [],
    conflictCount: 0,
    forbidden: [],
    forbiddenCount: 0,
  };
  const failed = () => outcome.invalidCount + outcome.forbiddenCount + outcome.conflictCount > 0;
  const conflict = (row: number, id: string) => {
    if (outcome.conflictCount++ < 100) outcome.conflicts.push({ row, id });
  };
  events.forEach((event, i) => {
    const row = i + 1;
    if (event.kind === "invalid") {
      if (outcome.invalidCount++ < 100)
        outcome.invalid.push({ row, errors: [{ field: "x", code: "required", message: "bad" }] });
    } else if (event.kind === "forbidden") {
      if (outcome.forbiddenCount++ < 100) outcome.forbidden.push({ row, auditor: "bob" });
    } else {
      const audit = auditOf(event);
      const previous = known.get(event.id);
      const same =
        previous && previous.queue === audit.queue && sameInstant(previous.decidedAt, audit.decidedAt);
      if (failed()) {
        if (previous && !same) conflict(row, event.id);
      } else if (!previous) {
        known.set(event.id, audit);
        outcome.inserted++;
      } else if (same) outcome.duplicates++;
      else conflict(row, event.id);
    }
  });
  return outcome;
}

class RolledBack extends Error {
  constructor(readonly outcome: BatchOutcome) {
    super("rolled back");
  }
}

/** Runs the events through a batch writer in a transaction that is rolled back; resolves to the outcome. */
async function writeBatch(db: Db, events: Event[]): Promise<BatchOutcome> {
  try {
    await db.transaction(async (tx) => {
      const writer = createBatchWriter(tx);
      for (const [i, event] of events.entries()) {
        const row = i + 1;
        if (event.kind === "invalid") writer.invalid(row, [{ field: "x", code: "required", message: "bad" }]);
        else if (event.kind === "forbidden") writer.forbidden(row, "bob");
        else writer.write(row, auditOf(event), parseTimestamp(AUDITED_AT)!);
        if (row % 1000 === 0) await writer.flush();
      }
      throw new RolledBack(await writer.finish());
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.outcome;
    throw error;
  }
  throw new Error("unreachable");
}

async function replaceStored(db: Db, stored: Map<string, Audit>): Promise<void> {
  await deleteAllAudits(db);
  await storeAudits(db, [...stored.values()]);
}

/** One instant written several ways (offsets, optional seconds, fraction digits past the millisecond, 24:00). */
function representation(ms: number, offsetMinutes: number, extraDigits: string, dayEnd: boolean): string {
  const local = new Date(ms + offsetMinutes * 60_000);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  let date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  let time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  const seconds = local.getUTCSeconds();
  const millis = local.getUTCMilliseconds();
  if (dayEnd && time === "00:00" && seconds === 0 && millis === 0) {
    const before = new Date(local.getTime() - 86_400_000);
    date = `${pad(before.getUTCFullYear(), 4)}-${pad(before.getUTCMonth() + 1)}-${pad(before.getUTCDate())}`;
    time = "24:00";
  } else if (seconds !== 0 || millis !== 0 || extraDigits !== "") {
    time += `:${pad(seconds)}`;
    if (millis !== 0 || extraDigits !== "")
      time += `.${extraDigits ? pad(millis, 3) : pad(millis, 3).replace(/0+$/, "")}${extraDigits}`;
  }
  const sign = offsetMinutes < 0 ? "-" : "+";
  const zone =
    offsetMinutes === 0 && !dayEnd
      ? "Z"
      : `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return `${date}T${time}${zone}`;
}

const YEAR_0 = new Date(0).setUTCFullYear(0, 0, 2);
const YEAR_9999 = new Date(0).setUTCFullYear(9999, 11, 30);
const decidedAt = fc
  .record({
    ms: fc.oneof(
      fc.integer({ min: YEAR_0, max: YEAR_9999 }),
      fc.integer({ min: 0, max: 5 }).map((k) => Date.parse("2026-11-24T00:00:00Z") + k * 1000),
    ),
    offset: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
    extra: fc.stringMatching(/^[0-9]{0,6}$/),
    dayEnd: fc.boolean(),
  })
  .map(({ ms, offset, extra, dayEnd }) => representation(ms, offset, extra, dayEnd))
  .filter((text) => parseTimestamp(text) !== undefined);

let db: Db;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db?.close());

describe("createBatchWriter", () => {
  it("the timestamps the tests generate read back as the instants they were made from", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: YEAR_0, max: YEAR_9999 }),
        fc.integer({ min: -1439, max: 1439 }),
        (ms, offset) => {
          expect(parseTimestamp(representation(ms, offset, "", false))).toBe(ms);
          expect(parseTimestamp(representation(ms, offset, "987", false))).toBe(ms);
        },
      ),
      { numRuns: 500, seed: 3 },
    );
  });

  it("agrees with the row-by-row rule on repeated ids, refusals and stored audits (fast-check)", async () => {
    const id = fc.constantFrom("a", "b", "c", "d", "e", "f");
    const content = {
      queue: fc.constantFrom("hate", "spam"),
      decidedAt: fc.option(decidedAt, { nil: null }),
    };
    const event: fc.Arbitrary<Event> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant("write" as const), id, ...content }) },
      { weight: 1, arbitrary: fc.constant({ kind: "invalid" as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: "forbidden" as const }) },
    );
    const stored = fc.uniqueArray(fc.record({ id, ...content }), { selector: (a) => a.id, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(stored, fc.array(event, { maxLength: 30 }), async (before, events) => {
        const storedAudits = new Map(before.map((a) => [a.id, auditOf(a)]));
        await replaceStored(db, storedAudits);
        expect(await writeBatch(db, events)).toEqual(model(storedAudits, events));
      }),
      { numRuns: 150, seed: 17 },
    );
  });

  it("a stored timestamp and a re-sent one are the same audit exactly when Date.parse reads one instant (fast-check)", async () => {
    // The second text writes the first one's instant, or one millisecond beside it, another way.
    const pair = fc
      .tuple(
        decidedAt,
        fc.integer({ min: -1439, max: 1439 }),
        fc.constantFrom(-1, 0, 0, 1),
        fc.stringMatching(/^[0-9]{0,4}$/),
        fc.boolean(),
      )
      .map(([a, offset, shift, extra, dayEnd]) => {
        const text = representation(Date.parse(a) + shift, offset, extra, dayEnd);
        return [a, parseTimestamp(text) === undefined ? a : text] as const;
      });
    await fc.assert(
      fc.asyncProperty(fc.array(pair, { minLength: 1, maxLength: 25 }), async (pairs) => {
        const stored = new Map(
          pairs.map(([a], i) => [`p${i}`, auditOf({ id: `p${i}`, queue: "hate", decidedAt: a })]),
        );
        await replaceStored(db, stored);
        const events: Event[] = pairs.map(([, b], i) => ({
          kind: "write",
          id: `p${i}`,
          queue: "hate",
          decidedAt: b,
        }));
        expect(await writeBatch(db, events)).toEqual(model(stored, events));
      }),
      { numRuns: 40, seed: 5 },
    );
  });

  it("agrees on a batch of 25,000 rows (COPY on PostgreSQL) with over 100 conflicts and refusals", async () => {
    const stored = new Map<string, Audit>();
    for (let i = 0; i < 3000; i += 7)
      stored.set(`s${i}`, auditOf({ id: `s${i}`, queue: "hate", decidedAt: null }));
    await replaceStored(db, stored);
    const events: Event[] = [];
    for (let i = 0; i < 25_000; i++) {
      if (i % 5 === 0 && i < 3000) {
        // Stored ids re-sent: every third with other content.
        events.push({
          kind: "write",
          id: `s${i - (i % 7)}`,
          queue: i % 3 === 0 ? "spam" : "hate",
          decidedAt: null,
        });
      } else if (i % 97 === 0) {
        // An id repeated later in the batch, sometimes with other content.
        events.push({
          kind: "write",
          id: `n${i - 1}`,
          queue: i % 2 === 0 ? "spam" : "hate",
          decidedAt: null,
        });
      } else {
        events.push({ kind: "write", id: `n${i}`, queue: "hate", decidedAt: null });
      }
    }
    const clean = events.filter((e) => e.kind === "write" && e.id.startsWith("n") && e.queue === "hate");
    expect(await writeBatch(db, clean)).toEqual(model(stored, clean));
    expect(await writeBatch(db, events)).toEqual(model(stored, events));
    const refused: Event[] = events.map((e, i) =>
      i % 211 === 150 ? { kind: i % 2 ? "invalid" : "forbidden" } : e,
    );
    expect(await writeBatch(db, refused)).toEqual(model(stored, refused));
    const late: Event[] = [...events.slice(0, 20_000), { kind: "invalid" }, ...events.slice(20_000)];
    expect(await writeBatch(db, late)).toEqual(model(stored, late));
  }, 60_000);
});

describe.skipIf(!onPostgres)("lockAuditAppends (PostgreSQL only: SQLite has one writer at a time)", () => {
  it("an upload waits for the transaction that holds the lock, so audits commit in seq order", async () => {
    await deleteAllAudits(db);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const firstInserted = new Promise<void>((resolve) => (inserted = resolve));
    const order: string[] = [];
    const first = db.transaction(async (tx) => {
      const writer = createBatchWriter(tx);
      writer.write(1, auditOf({ id: "first", queue: "hate", decidedAt: null }), parseTimestamp(AUDITED_AT)!);
      await writer.finish();
      inserted();
      await held;
      order.push("first committed");
    });
    await firstInserted;
    const second = storeAudits(db, [{ id: "second", auditedAt: AUDITED_AT }]).then(() =>
      order.push("second committed"),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(order).toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["first committed", "second committed"]);
    const seqs = await db.values<[string, number]>("SELECT id, seq FROM audits ORDER BY seq");
    expect(seqs.map(([id]) => id)).toEqual(["first", "second"]);
  });
});
