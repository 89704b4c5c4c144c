import type { ComponentChildren } from "preact";
import { api } from "../../api.ts";
import { ErrorBox, Loading, Section, useAsync } from "../../components/ui.tsx";
import { auditsFilterFrom, auditsHref } from "../../drill-down.ts";
import { plural, useI18n } from "../../i18n/index.ts";
import { Link } from "../../router.tsx";
import { Notes, useVerdictText } from "./parts.tsx";
import { type AuditsPage, type Revision, VERDICT_FIELDS, type VerdictField } from "./types.ts";

const FIELD_LABELS = {
  outcome: "audits.col.outcome",
  errorType: "filters.errorType",
  severity: "audits.col.severity",
  correctPolicy: "audits.col.correctPolicy",
  notes: "audits.col.notes",
} as const;

/** One fact of the audit: a label and its value (`wide`: the whole row, for notes). */
function Fact({
  label,
  children,
  testId,
  wide,
}: {
  label: string;
  children: ComponentChildren;
  testId?: string;
  wide?: boolean;
}) {
  return (
    <div class={wide ? "fact-wide" : undefined}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

/** The verdict fields that differ from the revision before (none for the first). */
function changedFields(revisions: Revision[], index: number): Set<VerdictField> {
  if (index === 0) return new Set();
  const before = revisions[index - 1];
  const now = revisions[index];
  return new Set(VERDICT_FIELDS.filter((field) => before[field] !== now[field]));
}

/**
 * `/audits/:id`: one audit's facts and current verdict (GET /v1/audits?id=, which hides it from a blind second
 * reviewer as the list does), and every revision of its verdict with who, when and why, the fields each changed
 * highlighted. The list's filters ride in the query string, so "back" returns to the list it was opened from.
 */
export function AuditHistory({ id, query }: { id: string; query: URLSearchParams }) {
  const { t, fmt, lang } = useI18n();
  const verdict = useVerdictText();
  const audit = useAsync(
    (signal) => api<AuditsPage>("GET", "/v1/audits", { query: { id, limit: 1 }, signal }),
    [id],
  );
  const history = useAsync(
    (signal) =>
      api<{ auditId: string; revisions: Revision[] }>("GET", `/v1/audits/${encodeURIComponent(id)}/history`, {
        signal,
      }),
    [id],
  );
  const a = audit.data?.audits[0];
  /**
   * A revision's reason in the page's language where the service wrote it (an overturned dispute, the workbench's
   * undo); a reason a person typed is shown as typed.
   */
  const reasonText = (reason: string) => {
    const overturned = /^dispute \S+ overturned: ([\s\S]*)$/.exec(reason);
    if (overturned) return t("audits.history.overturned", { note: overturned[1] });
    return reason === "undo" ? t("audits.history.undo") : reason;
  };
  const revisions = history.data?.revisions ?? [];
  const cell = (r: Revision, field: VerdictField) =>
    field === "outcome" ? (
      verdict.outcome(r.outcome)
    ) : field === "errorType" ? (
      verdict.errorType(r.errorType)
    ) : field === "severity" ? (
      verdict.severity(r.severity)
    ) : field === "notes" ? (
      <Notes text={r.notes} />
    ) : (
      (r.correctPolicy ?? "–")
    );

  return (
    <div>
      <p>
        <Link href={auditsHref(auditsFilterFrom(query))}>{t("audits.back")}</Link>
      </p>
      <h1>{t("audits.audit", { id })}</h1>
      <Loading when={audit.loading || history.loading} />
      <ErrorBox error={audit.error ?? history.error} />
      {audit.data && !a && <p class="notice">{t("audits.notFound")}</p>}
      {a && (
        <Section title={t("audits.current")}>
          <dl class="facts" data-testid="audit-facts">
            <Fact label={t("audits.col.outcome")} testId="audit-outcome">
              {verdict.outcome(a.outcome)}
            </Fact>
            <Fact label={t("filters.errorType")}>{verdict.errorType(a.errorType)}</Fact>
            <Fact label={t("audits.col.severity")}>{verdict.severity(a.severity)}</Fact>
            <Fact label={t("audits.col.correctPolicy")}>{a.correctPolicy ?? "–"}</Fact>
            <Fact label={t("audits.col.decision")}>
              {a.decisionUrl ? (
                <a href={a.decisionUrl} target="_blank" rel="noopener noreferrer">
                  {a.decisionId}
                </a>
              ) : (
                a.decisionId
              )}
            </Fact>
            <Fact label={t("field.queue")}>{a.queue}</Fact>
            <Fact label={t("field.moderator")}>{a.moderator}</Fact>
            <Fact label={t("field.auditor")}>{a.auditor}</Fact>
            <Fact label={t("field.policy")}>{a.policy ?? "–"}</Fact>
            <Fact label={t("field.market")}>{a.market ?? "–"}</Fact>
            <Fact label={t("audits.col.decidedAt")}>{fmt.dateTime(a.decidedAt)}</Fact>
            <Fact label={t("audits.col.auditedAt")}>{fmt.dateTime(a.auditedAt)}</Fact>
            <Fact label={t("audits.col.recordedBy")}>{a.recordedBy ?? "–"}</Fact>
            {a.sampleId && (
              <Fact label={t("audits.filter.sampleId")}>
                <Link href={`/samples/${encodeURIComponent(a.sampleId)}`}>{a.sampleId}</Link>
              </Fact>
            )}
            <Fact label={t("audits.col.notes")} wide>
              {a.notes ?? "–"}
            </Fact>
          </dl>
        </Section>
      )}
      {history.data && (
        <Section title={t("audits.history")}>
          <p class="hint">
            {revisions.length > 1
              ? plural(lang, "audits.history.revised", revisions.length - 1)
              : t("audits.history.never")}
          </p>
          <div class="table-wrap">
            <table data-testid="audit-history">
              <caption class="visually-hidden">{t("audits.history")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("audits.col.revision")}</th>
                  <th scope="col">{t("audits.col.changedAt")}</th>
                  <th scope="col">{t("audits.col.changedBy")}</th>
                  <th scope="col">{t("audits.col.reason")}</th>
                  {VERDICT_FIELDS.map((field) => (
                    <th key={field} scope="col">
                      {t(FIELD_LABELS[field])}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {revisions.map((r, index) => {
                  const changed = changedFields(revisions, index);
                  return (
                    <tr key={r.revision} data-revision={r.revision}>
                      <th scope="row">{fmt.integer(r.revision)}</th>
                      <td class="nowrap">{fmt.dateTime(r.changedAt)}</td>
                      <td>{r.changedBy ?? "–"}</td>
                      <td>
                        {r.reason === null
                          ? index === 0
                            ? t("audits.history.first")
                            : "–"
                          : reasonText(r.reason)}
                      </td>
                      {VERDICT_FIELDS.map((field) => (
                        <td key={field} class={changed.has(field) ? "changed" : undefined} data-field={field}>
                          {cell(r, field)}
                          {changed.has(field) && (
                            <span class="visually-hidden"> {t("audits.history.changed")}</span>
                          )}
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </Section>
      )}
    </div>
  );
}
