/**
 * What is wrong with one field of one row or entry, machine-readable: a stable `code` with its `params`, which the
 * dashboard renders in its language (`detail.<code>` in web/src/i18n), and the English `message` for API users.
 * Shared by the hot-path validators of uploads (audits, populations, calibration ratings), so one problem has
 * one code everywhere; zod issues map onto the same codes (src/http/router.ts).
 */

export type ProblemParams = Record<string, string | number>;

export interface FieldProblem {
  field: string;
  code: string;
  params?: ProblemParams;
  message: string;
}

const problem = (field: string, code: string, message: string, params?: ProblemParams): FieldProblem =>
  params === undefined ? { field, code, message } : { field, code, params, message };

/** The constructors: one per code, so the code, its parameters and the English message stay together. */
export const problems = {
  required: (field: string) => problem(field, "required", "is required"),
  blank: (field: string) => problem(field, "blank", "must not be blank"),
  notString: (field: string) => problem(field, "invalid_type", "must be a string", { expected: "string" }),
  tooLong: (field: string, maximum: number) =>
    problem(field, "too_big", `must be at most ${maximum} characters`, { origin: "string", maximum }),
  notWellFormed: (field: string, message: string) => problem(field, "not_well_formed", message),
  nulCharacter: (field: string, message: string) => problem(field, "nul_character", message),
  unknownField: (field: string, known: readonly string[]) =>
    problem(field, "unknown_field", `unknown field (known: ${known.join(", ")})`, {
      known: known.join(", "),
    }),
  oneOf: (field: string, values: readonly string[], message = `must be one of ${values.join(", ")}`) =>
    problem(field, "invalid_value", message, { values: values.join(", ") }),
  integerBetween: (field: string, minimum: number, maximum: number) =>
    problem(field, "integer_between", `must be an integer from ${minimum} to ${maximum}`, {
      minimum,
      maximum,
    }),
  requiredWhen: (field: string, other: string, value: string) =>
    problem(field, "required_when", `is required when ${other} is ${value}`, { other, value }),
  absentWhen: (field: string, other: string, value: string) =>
    problem(field, "absent_when", `must be absent when ${other} is ${value}`, { other, value }),
  /** `message` carries the upload's own wording (examples, the CSV forms and zone); `timeZone` only for CSV. */
  invalidTimestamp: (field: string, message: string, timeZone?: string) =>
    problem(
      field,
      "invalid_timestamp",
      message,
      timeZone === undefined
        ? { example: "2026-11-24T09:30:00+09:00" }
        : { example: "2026-11-24T09:30:00+09:00", timeZone },
    ),
  notObject: (message: string) => problem("", "not_object", message),
  /** A row the reader could not read (bad JSON, a CSV line with another number of fields than the header). */
  unreadable: (message: string) => problem("", "unreadable_row", message),
  tooManyRows: (maximum: number, what: string) =>
    problem("", "too_many_rows", `at most ${maximum} ${what}`, { maximum }),
  missingColumn: (field: string) => problem(field, "missing_column", "missing column"),
  invalidUrl: (field: string, message: string) => problem(field, "invalid_url", message),
  invalidColumnName: (field: string, message: string) => problem(field, "invalid_column_name", message),
  tooManyColumns: (field: string, maximum: number) =>
    problem(field, "too_many_columns", `at most ${maximum} extra columns`, { maximum }),
  sampleNotFound: (sampleId: string) =>
    problem("sampleId", "sample_not_found", `no sample with id ${sampleId}`, { sampleId }),
  notDrawn: (decisionId: string, sampleId: string) =>
    problem("decisionId", "not_drawn", `decision ${decisionId} was not drawn in sample ${sampleId}`, {
      decisionId,
      sampleId,
    }),
  differsFromDrawn: (field: string, expected: string | null) =>
    problem(
      field,
      "differs_from_drawn",
      `differs from the drawn decision's ${field} (${expected ?? "none"}); leave it empty to take the drawn one`,
      { expected: expected ?? "" },
    ),
  /** Forbidden rows of audit uploads (403 forbidden_rows). */
  notOwnRater: (auditor: string) =>
    problem("auditor", "not_own_rater", `auditor "${auditor}" is not this key's rater`, { auditor }),
  assignedToOther: (decisionId: string, auditor: string) =>
    problem(
      "auditor",
      "assigned_to_other",
      `decision ${decisionId} is assigned to ${auditor} in this sample; only a lead or admin may record for them`,
      { decisionId, auditor },
    ),
  ownDecision: (auditor: string) =>
    problem(
      "auditor",
      "own_decision",
      `${auditor} moderated this decision; an auditor never audits their own decisions`,
      { auditor },
    ),
  alreadyAudited: () => problem("", "already_audited", "already has a verdict"),
  unknownItem: (field: string, item: string) =>
    problem(field, "unknown_item", `unknown item ${JSON.stringify(item)}`, { item }),
  unknownRater: (field: string, rater: string) =>
    problem(field, "unknown_rater", `unknown rater ${JSON.stringify(rater)}`, { rater }),
  unknownLabel: (field: string, label: string) =>
    problem(field, "unknown_label", `label ${JSON.stringify(label)} is not one of the session's categories`, {
      label,
    }),
  repeatedRating: (field: string, firstRow: number) =>
    problem(field, "repeated_rating", `row ${firstRow} already gives this item for this rater`, { firstRow }),
  /**
   * Suspected duplicates of audit uploads (409 suspected_duplicate). `storedId` "" = an E-notation id with no
   * stored audit it could come from (`origin` picks the dashboard's text for that case).
   */
  mangledId: (id: string, storedId: string) =>
    storedId === ""
      ? problem(
          "id",
          "mangled_id",
          `id "${id}" is in E-notation: a spreadsheet turned a numeric id into a rounded number`,
          { id, storedId, origin: "e_notation" },
        )
      : problem(
          "id",
          "mangled_id",
          `id "${id}" looks like a spreadsheet's copy of the stored audit "${storedId}" of this decision (leading zeros or digits lost)`,
          { id, storedId },
        ),
  sameAuditOtherId: (id: string, storedId: string, auditor: string) =>
    problem(
      "id",
      "same_audit_other_id",
      `the stored audit "${storedId}" already has this sample, decision and auditor (${auditor}) under another id`,
      { id, storedId, auditor },
    ),
  duplicateId: (id: string, unit: string, others: readonly number[]) =>
    problem("id", "duplicate_id", `duplicate id "${id}": also at ${unit} ${others.join(", ")}`, {
      id,
      rows: others.join(", "),
    }),
};

/** One row's problems as error details: `{row, path, field, code, params, message}` (`path` as before: the field). */
export function rowDetails(row: number, errors: readonly FieldProblem[]) {
  return errors.map(({ field, code, params, message }) => ({
    row,
    path: field,
    field,
    code,
    params: params ?? {},
    message,
  }));
}
