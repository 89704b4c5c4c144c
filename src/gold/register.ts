/**
 * Registering gold items (issue 16): a decision as the work queue shows it (its values and context) with its
 * known-correct verdict. Two ways, both all or nothing with every problem named (`items.3.errorType`,
 * `calibration.answers.hate`, `calibration.decisions.p2`):
 * - by hand: `items`, each with the decision's values and the answer;
 * - from a CLOSED calibration session's gold labels: `answers` maps each gold label (its text, as a CSV cell
 *   spells it) to a verdict. A calibration item carries only an id and a gold label, so its id is taken as the
 *   decision id and the decision's values come from `decisions` (item id → values) or, for items not listed
 *   there, from the drawn item of that id in `sampleId`. Items without a gold label are skipped.
 * A decision id that already has an active gold item is 409 gold_exists.
 * Also: the listing (newest first, keyset-paginated), one gold item, retiring one.
 */
import { randomBytes } from "node:crypto";
import { ERROR_TYPES, type ErrorType, type Outcome, parseTimestamp } from "../audits/validate.ts";
import { listItems as calibrationItems, findCalibration, labelTextKey } from "../db/calibrations.ts";
import type { Db } from "../db/database.ts";
import {
  activeGoldDecisions,
  type GoldRow,
  getGold,
  insertGold,
  type ListedGold,
  listGold,
  retireGold,
} from "../db/gold.ts";
import { parseContext } from "../db/populations.ts";
import { workItem } from "../db/work.ts";
import { DomainError, type ErrorDetail, invalidField, notFound } from "../errors.ts";
import {
  MAX_CONTEXT_COLUMNS,
  MAX_CONTEXT_NAME,
  MAX_CONTEXT_TEXT,
  MAX_URL,
  urlProblem,
} from "../sampling/context.ts";
import { isWellFormed, NOT_WELL_FORMED } from "../unicode.ts";

export const MAX_GOLD_TEXT = 500;
export const MAX_GOLD_NOTES = 2_000;
export const MAX_GOLD_ITEMS = 1_000;

/** The decision as the work queue shows it. */
export interface GoldDecision {
  queue: string;
  moderator: string;
  label?: string | null;
  policy?: string | null;
  market?: string | null;
  decidedAt?: string | null;
  url?: string | null;
  content?: string | null;
  context?: Record<string, string>;
}

/** The known-correct verdict. */
export interface GoldVerdict {
  outcome: Outcome;
  errorType?: ErrorType | null;
  severity?: number | null;
  correctPolicy?: string | null;
}

export type ManualGold = GoldDecision & GoldVerdict & { decisionId: string; notes?: string | null };

export interface CalibrationGold {
  id: string;
  answers: Record<string, GoldVerdict>;
  decisions?: Record<string, GoldDecision>;
  sampleId?: string;
  notes?: string | null;
}

/** Problems of one text field: well-formed, within `max`, not blank when required. */
function textProblems(path: string, value: string | null | undefined, max: number, required: boolean) {
  const out: ErrorDetail[] = [];
  if (value === null || value === undefined) {
    if (required) out.push({ path, message: "is required" });
    return out;
  }
  if (!isWellFormed(value)) out.push({ path, message: NOT_WELL_FORMED });
  else if (value.length > max) out.push({ path, message: `must be at most ${max} characters` });
  else if (required && value.trim() === "") out.push({ path, message: "must not be blank" });
  return out;
}

/** Every problem of a decision's values (the checks of audits and of population context columns). */
export function decisionProblems(prefix: string, d: GoldDecision): ErrorDetail[] {
  const out: ErrorDetail[] = [
    ...textProblems(`${prefix}queue`, d.queue, MAX_GOLD_TEXT, true),
    ...textProblems(`${prefix}moderator`, d.moderator, MAX_GOLD_TEXT, true),
    ...textProblems(`${prefix}label`, d.label, MAX_GOLD_TEXT, false),
    ...textProblems(`${prefix}policy`, d.policy, MAX_GOLD_TEXT, false),
    ...textProblems(`${prefix}market`, d.market, MAX_GOLD_TEXT, false),
    ...textProblems(`${prefix}content`, d.content, MAX_CONTEXT_TEXT, false),
  ];
  if (d.decidedAt !== null && d.decidedAt !== undefined && parseTimestamp(d.decidedAt) === undefined) {
    out.push({
      path: `${prefix}decidedAt`,
      message: "must be an ISO 8601 date-time with an offset, e.g. 2026-11-23T09:30:00+09:00",
    });
  }
  if (d.url !== null && d.url !== undefined) {
    const problem = d.url.length > MAX_URL ? `must be at most ${MAX_URL} characters` : urlProblem(d.url);
    if (problem) out.push({ path: `${prefix}url`, message: problem });
  }
  const names = Object.keys(d.context ?? {});
  if (names.length > MAX_CONTEXT_COLUMNS) {
    out.push({ path: `${prefix}context`, message: `at most ${MAX_CONTEXT_COLUMNS} names` });
  }
  for (const name of names) {
    if (
      name.length < 1 ||
      name.length > MAX_CONTEXT_NAME ||
      name.trim() === "" ||
      !isWellFormed(name) ||
      name === "__proto__"
    ) {
      out.push({
        path: `${prefix}context`,
        message: `a name must be 1 to ${MAX_CONTEXT_NAME} well-formed characters, not blank`,
      });
    }
    out.push(...textProblems(`${prefix}context.${name}`, d.context![name], MAX_CONTEXT_TEXT, false));
  }
  return out;
}

/** Every problem of a known answer: error type exactly when incorrect, severity 1–4, policy text. */
export function answerProblems(prefix: string, v: GoldVerdict): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (v.outcome !== "correct" && v.outcome !== "incorrect") {
    out.push({ path: `${prefix}outcome`, message: "must be correct or incorrect" });
  }
  const errorType = v.errorType ?? null;
  if (v.outcome === "incorrect" && errorType === null) {
    out.push({ path: `${prefix}errorType`, message: "is required when outcome is incorrect" });
  } else if (v.outcome === "correct" && errorType !== null) {
    out.push({ path: `${prefix}errorType`, message: "must be absent when outcome is correct" });
  } else if (errorType !== null && !(ERROR_TYPES as readonly string[]).includes(errorType)) {
    out.push({ path: `${prefix}errorType`, message: `must be one of ${ERROR_TYPES.join(", ")}` });
  }
  const severity = v.severity ?? null;
  if (severity !== null && (!Number.isInteger(severity) || severity < 1 || severity > 4)) {
    out.push({ path: `${prefix}severity`, message: "must be an integer from 1 to 4" });
  }
  out.push(...textProblems(`${prefix}correctPolicy`, v.correctPolicy, MAX_GOLD_TEXT, false));
  return out;
}

/** The decision's context as population_decisions stores it (`{"url", "content", "context"}`), or null. */
export function contextJson(d: GoldDecision): string | null {
  const out: { url?: string; content?: string; context?: Record<string, string> } = {};
  if (d.url) out.url = d.url;
  if (d.content) out.content = d.content;
  if (d.context && Object.keys(d.context).length > 0) out.context = d.context;
  return Object.keys(out).length === 0 ? null : JSON.stringify(out);
}

function invalid(details: ErrorDetail[]): DomainError {
  return new DomainError(
    "invalid",
    "validation_failed",
    `${details.length} problem(s): ${details
      .slice(0, 5)
      .map((d) => `${d.path} ${d.message}`)
      .join("; ")}`,
    details,
  );
}

const newGoldId = () => `g-${randomBytes(16).toString("hex")}`;

function goldRow(
  decisionId: string,
  d: GoldDecision,
  v: GoldVerdict,
  meta: Pick<
    GoldRow,
    "source" | "calibrationId" | "calibrationItem" | "notes" | "createdBy" | "createdAt" | "createdMs"
  >,
): GoldRow {
  return {
    id: newGoldId(),
    decisionId,
    queue: d.queue,
    moderator: d.moderator,
    label: d.label ?? null,
    policy: d.policy ?? null,
    market: d.market ?? null,
    decidedAt: d.decidedAt ?? null,
    context: contextJson(d),
    outcome: v.outcome,
    errorType: v.errorType ?? null,
    severity: v.severity ?? null,
    correctPolicy: v.correctPolicy ?? null,
    retiredAt: null,
    retiredBy: null,
    ...meta,
  };
}

/** The rows a calibration request registers (checked; throws naming every problem). */
async function calibrationRows(
  tx: Db,
  c: CalibrationGold,
  meta: Pick<GoldRow, "createdBy" | "createdAt" | "createdMs">,
): Promise<GoldRow[]> {
  const session = await findCalibration(tx, c.id);
  if (!session) throw notFound("calibration session");
  if (session.status !== "closed") {
    throw new DomainError(
      "conflict",
      "calibration_open",
      "the calibration session is still open: its gold labels are secret until it closes",
    );
  }
  const problems: ErrorDetail[] = [];
  for (const [label, answer] of Object.entries(c.answers)) {
    problems.push(...answerProblems(`calibration.answers.${label}.`, answer));
  }
  for (const [item, decision] of Object.entries(c.decisions ?? {})) {
    problems.push(...decisionProblems(`calibration.decisions.${item}.`, decision));
  }
  problems.push(...textProblems("calibration.notes", c.notes, MAX_GOLD_NOTES, false));
  const withGold = (await calibrationItems(tx, c.id)).filter((item) => item.gold !== null);
  if (withGold.length === 0)
    problems.push({ path: "calibration.id", message: "the session has no gold labels" });
  const rows: GoldRow[] = [];
  for (const item of withGold) {
    const answer = c.answers[labelTextKey(item.gold!)];
    if (!answer) {
      problems.push({
        path: `calibration.answers.${labelTextKey(item.gold!)}`,
        message: `is required: item ${item.id} has this gold label`,
      });
      continue;
    }
    let decision = c.decisions?.[item.id];
    if (!decision && c.sampleId !== undefined) {
      const drawn = await workItem(tx, c.sampleId, item.id);
      if (drawn && drawn.goldId === null && drawn.queue !== null && drawn.moderator !== null) {
        decision = {
          queue: drawn.queue,
          moderator: drawn.moderator,
          label: drawn.label,
          policy: drawn.policy,
          market: drawn.market,
          decidedAt: drawn.decidedAt,
          ...parseContext(drawn.context),
        };
      }
    }
    if (!decision) {
      problems.push({
        path: `calibration.decisions.${item.id}`,
        message: "no decision values: give them in decisions, or name a sampleId that drew this decision",
      });
      continue;
    }
    rows.push(
      goldRow(item.id, decision, answer, {
        source: "calibration",
        calibrationId: c.id,
        calibrationItem: item.id,
        notes: c.notes ?? null,
        ...meta,
      }),
    );
  }
  if (problems.length > 0) throw invalid(problems);
  return rows;
}

/** Registers gold items, all or nothing; answers them as listed. */
export async function registerGold(
  db: Db,
  request: Partial<{ items: ManualGold[]; calibration: CalibrationGold }>,
  createdBy: string,
  now = Date.now(),
): Promise<ListedGold[]> {
  if ((request.items === undefined) === (request.calibration === undefined)) {
    throw invalidField(
      "items",
      "send either items (by hand) or calibration (from a closed session), not both",
    );
  }
  const meta = { createdBy, createdAt: new Date(now).toISOString(), createdMs: now };
  const ids = await db.transaction(async (tx) => {
    let rows: GoldRow[];
    if (request.items) {
      const problems: ErrorDetail[] = [];
      const seen = new Map<string, number>();
      request.items.forEach((item, i) => {
        problems.push(...textProblems(`items.${i}.decisionId`, item.decisionId, MAX_GOLD_TEXT, true));
        problems.push(...decisionProblems(`items.${i}.`, item));
        problems.push(...answerProblems(`items.${i}.`, item));
        problems.push(...textProblems(`items.${i}.notes`, item.notes, MAX_GOLD_NOTES, false));
        const first = seen.get(item.decisionId);
        if (first !== undefined)
          problems.push({ path: `items.${i}.decisionId`, message: `repeats items.${first}.decisionId` });
        else seen.set(item.decisionId, i);
      });
      if (problems.length > 0) throw invalid(problems);
      rows = request.items.map((item) =>
        goldRow(item.decisionId, item, item, {
          source: "manual",
          calibrationId: null,
          calibrationItem: null,
          notes: item.notes ?? null,
          ...meta,
        }),
      );
    } else {
      rows = await calibrationRows(tx, request.calibration!, meta);
    }
    const existing = await activeGoldDecisions(
      tx,
      rows.map((row) => row.decisionId),
    );
    if (existing.size > 0) {
      throw new DomainError(
        "conflict",
        "gold_exists",
        `${existing.size} decision(s) already have an active gold item: retire it first (DELETE /v1/gold/{id})`,
        rows.flatMap((row, i) =>
          existing.has(row.decisionId)
            ? [
                {
                  path: request.items ? `items.${i}.decisionId` : `calibration.decisions.${row.decisionId}`,
                  message: `${row.decisionId} already has an active gold item`,
                },
              ]
            : [],
        ),
      );
    }
    await insertGold(tx, rows);
    return rows.map((row) => row.id);
  });
  const listed: ListedGold[] = [];
  for (const id of ids) listed.push((await getGold(db, id))!);
  return listed;
}

const encodeCursor = (g: { createdAt: string; id: string }) =>
  Buffer.from(JSON.stringify([g.createdAt, g.id]), "utf8").toString("base64url");

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === "string" &&
      typeof value[1] === "string"
    ) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // answered below
  }
  throw invalidField("cursor", "not a cursor from this API");
}

/** One page of gold items, newest first, and the next page's cursor (null: the last page). */
export async function goldPage(
  db: Db,
  query: { retired: boolean; cursor?: string; limit: number },
): Promise<{ items: ListedGold[]; nextCursor: string | null }> {
  const rows = await listGold(db, {
    retired: query.retired,
    before: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    limit: query.limit + 1,
  });
  const more = rows.length > query.limit;
  const items = more ? rows.slice(0, query.limit) : rows;
  return { items, nextCursor: more ? encodeCursor(items[items.length - 1]) : null };
}

/** Retires a gold item (idempotent): never placed again; its slots and verdicts stay, so nothing is deleted. */
export async function retireGoldItem(db: Db, id: string, by: string, now = Date.now()): Promise<ListedGold> {
  await db.transaction(async (tx) => {
    if (!(await getGold(tx, id))) throw notFound("gold item");
    await retireGold(tx, id, by, new Date(now).toISOString());
  });
  return (await getGold(db, id))!;
}
