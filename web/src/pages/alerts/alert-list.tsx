import { useState } from "preact/hooks";
import { api } from "../../api.ts";
import {
  ActionButton,
  ErrorBox,
  Field,
  Loading,
  Section,
  useAsync,
  useCodeLabel,
} from "../../components/ui.tsx";
import { useI18n } from "../../i18n/index.ts";
import { Link } from "../../router.tsx";
import { atLeast, useSession } from "../../session.ts";
import { findingsHref } from "../findings/index.tsx";
import { AlertSummary, alertAuditsHref, dashboardLink, Evidence } from "./evidence.tsx";
import type { Alert, Rule } from "./types.ts";

/** The page of the moderator an audit alert is about (leads read moderators' findings). */
function auditAlertLink(alert: Alert): string | null {
  const audit = (alert.evidence as { kind?: string; audit?: { moderator?: string } }).audit;
  return alert.evidence.kind === "audit" && audit?.moderator ? findingsHref(audit.moderator) : null;
}

/** Alerts of one state, each in the page's language with its evidence, links and acknowledgement. */
export function AlertList({
  state,
  title,
  testId,
  rules,
}: {
  state: "firing" | "resolved";
  title: string;
  testId: string;
  /** The rules by id (for each alert's scope), when loaded. */
  rules: Map<string, Rule> | undefined;
}) {
  const { t, fmt } = useI18n();
  const { me } = useSession();
  const code = useCodeLabel();
  const list = useAsync(
    (signal) =>
      api<{ alerts: Alert[] }>("GET", "/v1/alerts", {
        query: { state, limit: state === "firing" ? 100 : 20 },
        signal,
      }),
    [state],
  );
  const [notes, setNotes] = useState<Record<string, string>>({});
  const alerts = list.data?.alerts ?? [];
  return (
    <Section title={title}>
      <Loading when={list.loading} />
      <ErrorBox error={list.error} />
      {list.data && alerts.length === 0 && <p class="hint">{t("alerts.none")}</p>}
      <ul class="alert-list" data-testid={testId}>
        {alerts.map((alert) => {
          const href = dashboardLink(alert.link);
          const audits = rules && alertAuditsHref(alert, rules.get(alert.ruleId));
          const findings = atLeast(me, "lead") ? auditAlertLink(alert) : null;
          const group = Object.entries(alert.labels)
            .map(([k, v]) => `${code("field", k)}: ${v ?? t("common.none")}`)
            .join(", ");
          return (
            <li key={alert.id} class={`alert-item severity-${alert.severity}`} data-alert={alert.id}>
              <div class="alert-head">
                <span class={`badge ${alert.state}`}>{t(`alerts.state.${alert.state}`)}</span>
                <span class={`badge severity-${alert.severity}`}>
                  {t(`alerts.severity.${alert.severity}`)}
                </span>
                {alert.acknowledged && <span class="badge acknowledged">{t("alerts.acknowledged")}</span>}
                <strong>{alert.ruleName}</strong>
                {group && <span>{group}</span>}
              </div>
              <AlertSummary alert={alert} />
              <Evidence alert={alert} />
              {alert.signal && alert.signal.length > 0 && (
                <p>
                  {t("alerts.signals")}: {alert.signal.map((r) => code("rule", r)).join("; ")}
                </p>
              )}
              <p class="hint">
                {t("alerts.times", {
                  started: fmt.dateTime(alert.startsAt),
                  fired: fmt.dateTime(alert.firedAt),
                })}
                {alert.resolvedAt
                  ? ` · ${t("alerts.resolvedAt", { at: fmt.dateTime(alert.resolvedAt) })}`
                  : ""}
                {alert.acknowledgedAt
                  ? ` · ${t("alerts.ackBy", { who: alert.acknowledgedBy ?? "", at: fmt.dateTime(alert.acknowledgedAt) })}`
                  : ""}
              </p>
              {alert.ackNote && <p class="hint">{alert.ackNote}</p>}
              <div class="buttons">
                {audits && (
                  <Link href={audits} data-testid="alert-audits">
                    {t(alert.evidence.kind === "audit" ? "rules.openAudit" : "rules.openAudits")}
                  </Link>
                )}
                {findings && <Link href={findings}>{t("alerts.openFindings")}</Link>}
                {href && (
                  <Link href={href}>
                    {t(
                      href.startsWith("/charts")
                        ? "alerts.openChart"
                        : href.startsWith("/quality")
                          ? "alerts.openQuality"
                          : href.startsWith("/auditors")
                            ? "alerts.openAuditors"
                            : "alerts.openReport",
                    )}
                  </Link>
                )}
                {atLeast(me, "auditor") && alert.state !== "resolved" && !alert.acknowledged && (
                  <>
                    <Field
                      label={t("alerts.note")}
                      hint={
                        alert.evidence.kind === "audit" && atLeast(me, "lead")
                          ? t("alerts.audit.ackResolves")
                          : undefined
                      }
                      value={notes[alert.id] ?? ""}
                      onValue={(v) => setNotes((n) => ({ ...n, [alert.id]: v }))}
                    />
                    <ActionButton
                      label={t("alerts.ack")}
                      run={async () => {
                        const note = notes[alert.id]?.trim();
                        await api("POST", `/v1/alerts/${encodeURIComponent(alert.id)}/ack`, {
                          json: note ? { note } : {},
                        });
                        list.reload();
                      }}
                    />
                  </>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
