import { useState } from "preact/hooks";
import { PROPORTION_CHART_TYPES } from "../../../stats/spc/chart-types.ts";
import { api } from "../api.ts";
import { ERROR_TYPES } from "../components/filters.tsx";
import {
  ActionButton,
  Checkbox,
  type Column,
  CountField,
  ErrorBox,
  Field,
  Loading,
  PercentField,
  Section,
  SelectField,
  SortableTable,
  useAsync,
  useCodeLabel,
} from "../components/ui.tsx";
import { parseNumber } from "../forms.ts";
import { useI18n } from "../i18n/index.ts";
import { Link } from "../router.tsx";
import { atLeast, useSession } from "../session.ts";
import { findingsHref } from "./findings/index.tsx";

type Severity = "info" | "warning" | "critical";
export interface Alert {
  id: string;
  ruleId: string;
  ruleName: string;
  severity: Severity;
  labels: Record<string, string | null>;
  state: "pending" | "firing" | "resolved";
  value: number | null;
  threshold: number | null;
  signal: string[] | null;
  summary: string;
  evidence: Record<string, unknown>;
  link: string | null;
  startsAt: string;
  firedAt: string | null;
  resolvedAt: string | null;
  resolution: string | null;
  acknowledged: boolean;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  ackNote: string | null;
}
interface Rule {
  id: string;
  name: string;
  scope: Record<string, string>;
  groupBy: string[];
  condition: { kind: "chart" | "threshold" | "agreement" | "audit"; [field: string]: unknown };
  severity: Severity;
  enabled: boolean;
  createdAt: string;
}
interface Webhook {
  id: string;
  url: string;
  events: string[];
  format: string;
  enabled: boolean;
  createdAt: string;
}
interface Delivery {
  id: string;
  event: string;
  alertId: string | null;
  status: "pending" | "delivered" | "failed" | "dead";
  attemptCount: number;
  createdAt: string;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  redeliveryOf: string | null;
  attempts: {
    attempt: number;
    at: string;
    statusCode: number | null;
    latencyMs: number;
    error: string | null;
    outcome: string;
  }[];
}

/** The dashboard page that shows what an alert's API link (`/v1/charts?…`, `/v1/quality?…`, a report) shows. */
export function dashboardLink(link: string | null): string | null {
  if (!link) return null;
  if (link.startsWith("/v1/charts?")) return `/charts?${link.slice("/v1/charts?".length)}`;
  if (link.startsWith("/v1/quality?")) return `/quality?${link.slice("/v1/quality?".length)}`;
  const report = link.match(/^\/v1\/calibrations\/([^/?]+)\/report/);
  if (report) return `/calibration/${report[1]}`;
  return null;
}

function Evidence({ alert }: { alert: Alert }) {
  const { t, fmt } = useI18n();
  const code = useCodeLabel();
  const e = alert.evidence as Record<string, unknown> & {
    kind?: string;
    interval?: { lower?: number | null; upper?: number | null; confidence?: number };
    point?: { value?: number | null; lcl?: number; ucl?: number; center?: number };
  };
  const rows: [string, string][] = [];
  if (e.kind === "threshold") {
    rows.push([t("alerts.ev.rate"), fmt.percent(e.rate as number, 2)]);
    rows.push([
      t("alerts.ev.counts"),
      `${fmt.integer(e.errors as number)} / ${fmt.integer(e.audited as number)}`,
    ]);
    rows.push([
      t("alerts.ev.interval", { confidence: fmt.percent(e.interval?.confidence ?? 0.95, 0) }),
      `${fmt.percent(e.interval?.lower, 2)} – ${fmt.percent(e.interval?.upper, 2)}`,
    ]);
    rows.push([t("alerts.ev.maxRate"), fmt.percent(e.maxRate as number, 2)]);
    rows.push([
      t("alerts.ev.window"),
      t("alerts.ev.days", { n: fmt.number((e.window as { days: number })?.days) }),
    ]);
  } else if (e.kind === "chart") {
    const point = e.point as {
      value?: number;
      lcl?: number;
      ucl?: number;
      center?: number;
      cusumUpper?: number;
      cusumLower?: number;
    };
    rows.push([t("alerts.ev.chart"), code("chartType", e.type as string)]);
    rows.push([t("alerts.ev.period"), fmt.day(e.period as string)]);
    rows.push([t("alerts.ev.counts"), `${fmt.integer(e.count as number)} / ${fmt.integer(e.n as number)}`]);
    rows.push([t("alerts.ev.rate"), fmt.percent((e.count as number) / (e.n as number), 2)]);
    if (e.type === "cusum") {
      rows.push([
        t("alerts.ev.cusum"),
        `${fmt.number(point.cusumUpper, 2)} / ${fmt.number(point.cusumLower, 2)}`,
      ]);
      rows.push([t("alerts.ev.h"), fmt.number(e.sigmaMultiplier as number, 2)]);
    } else {
      rows.push([t("alerts.ev.value"), fmt.percent(point.value, 2)]);
      rows.push([t("alerts.ev.limits"), `${fmt.percent(point.lcl, 2)} – ${fmt.percent(point.ucl, 2)}`]);
      rows.push([t("chart.centre"), fmt.percent(point.center, 2)]);
    }
  } else if (e.kind === "audit") {
    const audit = e.audit as {
      decisionId: string;
      moderator: string;
      queue: string;
      policy: string | null;
      correctPolicy: string | null;
      auditor: string;
      errorType: string | null;
      severity: number | null;
      auditedAt: string;
      revision: number;
    };
    rows.push([t("findings.decision"), audit.decisionId]);
    rows.push([t("field.moderator"), audit.moderator]);
    rows.push([t("field.queue"), audit.queue]);
    rows.push([t("field.policy"), audit.policy ?? "–"]);
    if (audit.correctPolicy) rows.push([t("findings.correctPolicy"), audit.correctPolicy]);
    rows.push([t("filters.errorType"), code("errorType", audit.errorType)]);
    rows.push([t("alerts.ev.severity"), audit.severity === null ? "–" : fmt.integer(audit.severity)]);
    rows.push([t("field.auditor"), audit.auditor]);
    rows.push([t("findings.auditedAt"), fmt.dateTime(audit.auditedAt)]);
    if (audit.revision > 1) rows.push([t("alerts.ev.revision"), fmt.integer(audit.revision)]);
  } else if (e.kind === "agreement") {
    rows.push([
      t("alerts.ev.coefficient"),
      `${code("coef", e.statistic === "fleiss" ? "fleiss" : e.statistic === "ac1" ? "ac1" : "alpha")} ${fmt.fixed(e.value as number, 3)}`,
    ]);
    rows.push([t("alerts.ev.below"), fmt.fixed(e.below as number, 2)]);
    rows.push([
      t("calibration.interval"),
      e.interval?.lower === null || e.interval?.lower === undefined
        ? "–"
        : `${fmt.fixed(e.interval.lower, 3)} – ${fmt.fixed(e.interval.upper, 3)}`,
    ]);
  }
  const notes = e.kind === "audit" ? (e.audit as { notes: string | null }).notes : null;
  return (
    <>
      <dl class="evidence" data-testid={`evidence-${e.kind ?? "other"}`}>
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {notes && (
        <figure class="finding-notes">
          <figcaption>{t("findings.notes")}</figcaption>
          <blockquote>{notes}</blockquote>
        </figure>
      )}
    </>
  );
}

/** The page of the moderator an audit alert is about (leads read moderators' findings). */
function auditAlertLink(alert: Alert): string | null {
  const audit = (alert.evidence as { kind?: string; audit?: { moderator?: string } }).audit;
  return alert.evidence.kind === "audit" && audit?.moderator ? findingsHref(audit.moderator) : null;
}

function AlertList({
  state,
  title,
  testId,
}: {
  state: "firing" | "resolved";
  title: string;
  testId: string;
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
              <p class="technical" lang="en">
                {alert.summary}
              </p>
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
                {findings && <Link href={findings}>{t("alerts.openFindings")}</Link>}
                {href && (
                  <Link href={href}>
                    {t(
                      href.startsWith("/charts")
                        ? "alerts.openChart"
                        : href.startsWith("/quality")
                          ? "alerts.openQuality"
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

/** Names typed as a comma-separated list, or undefined when none. */
function nameList(text: string): string[] | undefined {
  const names = [
    ...new Set(
      text
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  ];
  return names.length > 0 ? names : undefined;
}

/** An audit rule's criteria in words: "severity ≥ 4 · queues: child-safety". */
function useAuditCriteria() {
  const { t } = useI18n();
  const code = useCodeLabel();
  return (condition: Rule["condition"]): string => {
    const parts: string[] = [];
    if (typeof condition.minSeverity === "number")
      parts.push(t("alerts.audit.atLeast", { severity: condition.minSeverity }));
    if (Array.isArray(condition.errorTypes))
      parts.push((condition.errorTypes as string[]).map((e) => code("errorType", e)).join(", "));
    if (Array.isArray(condition.queues))
      parts.push(`${t("alerts.audit.queues")}: ${(condition.queues as string[]).join(", ")}`);
    if (Array.isArray(condition.policies))
      parts.push(`${t("alerts.audit.policies")}: ${(condition.policies as string[]).join(", ")}`);
    return parts.join(" · ");
  };
}

function RuleForm({ onCreated }: { onCreated(): void }) {
  const { t } = useI18n();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"threshold" | "chart" | "audit">("threshold");
  const [minSeverity, setMinSeverity] = useState<"" | "1" | "2" | "3" | "4">("4");
  const [errorTypes, setErrorTypes] = useState<string[]>([]);
  const [policies, setPolicies] = useState("");
  const [queues, setQueues] = useState("");
  const audit = kind === "audit";
  const auditCondition = {
    kind: "audit" as const,
    minSeverity: minSeverity ? Number(minSeverity) : undefined,
    errorTypes: errorTypes.length > 0 ? errorTypes : undefined,
    policies: nameList(policies),
    queues: nameList(queues),
  };
  const hasCriterion =
    auditCondition.minSeverity !== undefined ||
    auditCondition.errorTypes !== undefined ||
    auditCondition.policies !== undefined ||
    auditCondition.queues !== undefined;
  const [queue, setQueue] = useState("");
  const [market, setMarket] = useState("");
  const [groupBy, setGroupBy] = useState<"" | "moderator" | "auditor" | "queue" | "market">("");
  const [maxRate, setMaxRate] = useState("5");
  const [days, setDays] = useState("7");
  const [minAudited, setMinAudited] = useState("30");
  const [chartType, setChartType] = useState<(typeof PROPORTION_CHART_TYPES)[number]>("p");
  const [severity, setSeverity] = useState<Severity>("warning");
  return (
    <form class="subform" onSubmit={(e) => e.preventDefault()} aria-label={t("alerts.newRule")}>
      <div class="grid">
        <Field label={t("alerts.ruleName")} value={name} onValue={setName} />
        <SelectField
          label={t("alerts.kind")}
          value={kind}
          onValue={setKind}
          options={[
            { value: "threshold", label: t("alerts.kind.threshold") },
            { value: "chart", label: t("alerts.kind.chart") },
            { value: "audit", label: t("alerts.kind.audit") },
          ]}
        />
        {!audit && (
          <>
            <Field label={t("field.queue")} value={queue} onValue={setQueue} />
            <Field label={t("field.market")} value={market} onValue={setMarket} />
            <SelectField
              label={t("alerts.groupBy")}
              value={groupBy}
              onValue={setGroupBy}
              options={[
                { value: "", label: t("alerts.noGrouping") },
                { value: "moderator", label: t("field.moderator") },
                { value: "auditor", label: t("field.auditor") },
                { value: "queue", label: t("field.queue") },
                { value: "market", label: t("field.market") },
              ]}
            />
          </>
        )}
        {audit ? (
          <>
            <SelectField
              label={t("alerts.audit.minSeverity")}
              value={minSeverity}
              onValue={setMinSeverity}
              name="min-severity"
              options={[
                { value: "", label: t("alerts.audit.anySeverity") },
                ...(["1", "2", "3", "4"] as const).map((s) => ({
                  value: s,
                  label: t(`audit.severity.${s}`),
                })),
              ]}
            />
            <Field
              label={t("alerts.audit.queues")}
              hint={t("alerts.audit.listHint")}
              value={queues}
              onValue={setQueues}
              name="audit-queues"
            />
            <Field
              label={t("alerts.audit.policies")}
              hint={t("alerts.audit.listHint")}
              value={policies}
              onValue={setPolicies}
              name="audit-policies"
            />
          </>
        ) : kind === "threshold" ? (
          <>
            <PercentField label={t("alerts.maxRate")} value={maxRate} onValue={setMaxRate} />
            <CountField label={t("alerts.windowDays")} value={days} onValue={setDays} />
            <CountField label={t("alerts.minAudited")} value={minAudited} onValue={setMinAudited} />
          </>
        ) : (
          <SelectField
            label={t("charts.type")}
            value={chartType}
            onValue={setChartType}
            options={PROPORTION_CHART_TYPES.map((c) => ({
              value: c,
              label: t(`chartType.${c}`),
            }))}
          />
        )}
        <SelectField
          label={t("alerts.severity")}
          value={severity}
          onValue={setSeverity}
          options={(["info", "warning", "critical"] as const).map((s) => ({
            value: s,
            label: t(`alerts.severity.${s}`),
          }))}
        />
      </div>
      {audit && (
        <>
          <fieldset class="checks">
            <legend>{t("alerts.audit.errorTypes")}</legend>
            {ERROR_TYPES.map((type) => (
              <Checkbox
                key={type}
                label={t(`errorType.${type}`)}
                checked={errorTypes.includes(type)}
                onChecked={(on) =>
                  setErrorTypes((all) => ERROR_TYPES.filter((e) => (e === type ? on : all.includes(e))))
                }
              />
            ))}
          </fieldset>
          <p class="hint">{t("alerts.audit.hint")}</p>
          {!hasCriterion && (
            <p class="notice" role="status">
              {t("alerts.audit.needCriterion")}
            </p>
          )}
        </>
      )}
      <ActionButton
        label={t("alerts.createRule")}
        disabled={!name.trim() || (audit && !hasCriterion)}
        run={async () => {
          if (audit) {
            await api("POST", "/v1/alert-rules", {
              json: { name: name.trim(), condition: auditCondition, severity },
            });
            onCreated();
            return;
          }
          const scope: Record<string, string> = {};
          if (queue.trim()) scope.queue = queue.trim();
          if (market.trim()) scope.market = market.trim();
          const condition =
            kind === "threshold"
              ? {
                  kind,
                  maxRate: (parseNumber(maxRate) ?? Number.NaN) / 100,
                  window: { days: parseNumber(days) },
                  minAudited: parseNumber(minAudited),
                }
              : { kind, type: chartType, interval: "day" };
          await api("POST", "/v1/alert-rules", {
            json: { name: name.trim(), scope, groupBy: groupBy ? [groupBy] : [], condition, severity },
          });
          onCreated();
        }}
      />
    </form>
  );
}

function Rules() {
  const { t } = useI18n();
  const { me } = useSession();
  const code = useCodeLabel();
  const criteria = useAuditCriteria();
  const rules = useAsync((signal) => api<{ rules: Rule[] }>("GET", "/v1/alert-rules", { signal }), []);
  const [creating, setCreating] = useState(false);
  const lead = atLeast(me, "lead");
  const columns: Column<Rule>[] = [
    { key: "name", label: t("alerts.ruleName"), sortValue: (r) => r.name, render: (r) => r.name },
    {
      key: "kind",
      label: t("alerts.kind"),
      sortValue: (r) => r.condition.kind,
      render: (r) => t(`alerts.kind.${r.condition.kind}`),
    },
    {
      key: "scope",
      label: t("alerts.scope"),
      render: (r) =>
        r.condition.kind === "audit"
          ? criteria(r.condition)
          : Object.entries(r.scope)
              .map(([k, v]) => `${code("field", k)}: ${v}`)
              .join(", ") || t("alerts.everything"),
    },
    {
      key: "groupBy",
      label: t("alerts.groupBy"),
      render: (r) => r.groupBy.map((g) => code("field", g)).join(", ") || "–",
    },
    {
      key: "severity",
      label: t("alerts.severity"),
      sortValue: (r) => ["info", "warning", "critical"].indexOf(r.severity),
      render: (r) => t(`alerts.severity.${r.severity}`),
    },
    {
      key: "enabled",
      label: t("alerts.enabled"),
      sortValue: (r) => (r.enabled ? 1 : 0),
      render: (r) =>
        lead ? (
          <ActionButton
            kind="secondary"
            label={r.enabled ? t("alerts.disable") : t("alerts.enable")}
            run={async () => {
              await api("PATCH", `/v1/alert-rules/${encodeURIComponent(r.id)}`, {
                json: { enabled: !r.enabled },
              });
              rules.reload();
            }}
          />
        ) : r.enabled ? (
          t("alerts.on")
        ) : (
          t("alerts.off")
        ),
    },
  ];
  return (
    <Section
      title={t("alerts.rules")}
      actions={
        lead && (
          <button
            type="button"
            class="primary"
            aria-expanded={creating}
            onClick={() => setCreating((c) => !c)}
          >
            {t("alerts.newRule")}
          </button>
        )
      }
    >
      {creating && (
        <RuleForm
          onCreated={() => {
            setCreating(false);
            rules.reload();
          }}
        />
      )}
      <Loading when={rules.loading} />
      <ErrorBox error={rules.error} />
      {rules.data && (
        <SortableTable
          columns={columns}
          rows={rules.data.rules}
          rowKey={(r) => r.id}
          caption={t("alerts.rules")}
          captionHidden
        />
      )}
    </Section>
  );
}

function Deliveries({ hook }: { hook: Webhook }) {
  const { t, fmt } = useI18n();
  const list = useAsync(
    (signal) =>
      api<{ deliveries: Delivery[] }>("GET", `/v1/webhooks/${encodeURIComponent(hook.id)}/deliveries`, {
        query: { limit: 20 },
        signal,
      }),
    [hook.id],
  );
  return (
    <div>
      <Loading when={list.loading} />
      <ErrorBox error={list.error} />
      {list.data && (
        <div class="table-wrap">
          <table data-testid="deliveries">
            <caption>{t("alerts.deliveriesOf", { url: hook.url })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("alerts.event")}</th>
                <th scope="col">{t("alerts.deliveryStatus")}</th>
                <th scope="col">{t("alerts.attempts")}</th>
                <th scope="col">{t("alerts.created")}</th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.deliveries.length === 0 && (
                <tr>
                  <td colSpan={5} class="empty">
                    {t("table.empty")}
                  </td>
                </tr>
              )}
              {list.data.deliveries.map((d) => (
                <tr key={d.id}>
                  <th scope="row">
                    <code>{d.event}</code>
                  </th>
                  <td>
                    <span class={`badge delivery-${d.status}`}>{t(`alerts.delivery.${d.status}`)}</span>
                    {d.redeliveryOf && <span class="hint"> {t("alerts.redelivery")}</span>}
                  </td>
                  <td>
                    <details>
                      <summary>{t("alerts.attemptCount", { n: fmt.integer(d.attemptCount) })}</summary>
                      <ol>
                        {d.attempts.map((a) => (
                          <li key={a.attempt}>
                            {fmt.dateTime(a.at)} · {a.statusCode ?? "–"} · {fmt.integer(a.latencyMs)} ms ·{" "}
                            {a.outcome}
                            {a.error && (
                              <span class="technical" lang="en">
                                {" "}
                                {a.error}
                              </span>
                            )}
                          </li>
                        ))}
                      </ol>
                      {d.nextAttemptAt && (
                        <p class="hint">{t("alerts.nextAttempt", { at: fmt.dateTime(d.nextAttemptAt) })}</p>
                      )}
                    </details>
                  </td>
                  <td>{fmt.dateTime(d.createdAt)}</td>
                  <td>
                    {d.status !== "pending" && (
                      <ActionButton
                        kind="secondary"
                        label={t("alerts.redeliver")}
                        run={async () => {
                          await api("POST", `/v1/deliveries/${encodeURIComponent(d.id)}/redeliver`);
                          list.reload();
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Webhooks() {
  const { t } = useI18n();
  const hooks = useAsync((signal) => api<{ webhooks: Webhook[] }>("GET", "/v1/webhooks", { signal }), []);
  const [url, setUrl] = useState("");
  const [format, setFormat] = useState<"modqc" | "alertmanager" | "slack">("modqc");
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <Section title={t("alerts.webhooks")}>
      <form class="grid" onSubmit={(e) => e.preventDefault()} aria-label={t("alerts.newWebhook")}>
        <Field
          label={t("alerts.webhookUrl")}
          value={url}
          onValue={setUrl}
          placeholder="https://hooks.example.com/modqc"
        />
        <SelectField
          label={t("alerts.format")}
          value={format}
          onValue={setFormat}
          options={[
            { value: "modqc", label: "modqc" },
            { value: "alertmanager", label: "Alertmanager" },
            { value: "slack", label: "Slack" },
          ]}
        />
      </form>
      <ActionButton
        label={t("alerts.addWebhook")}
        disabled={!url.trim()}
        run={async () => {
          const created = await api<Webhook & { secret: string }>("POST", "/v1/webhooks", {
            json: { url: url.trim(), format },
          });
          setSecret(created.secret);
          setUrl("");
          hooks.reload();
        }}
      />
      {secret && (
        <div class="success" role="status">
          <p>{t("alerts.webhookSecret")}</p>
          <code class="secret">{secret}</code>
        </div>
      )}
      <Loading when={hooks.loading} />
      <ErrorBox error={hooks.error} />
      {hooks.data?.webhooks.length === 0 && <p class="hint">{t("alerts.noWebhooks")}</p>}
      {hooks.data?.webhooks.map((hook) => (
        <div key={hook.id} class="webhook">
          <h3>
            <code>{hook.url}</code> <span class="badge">{hook.format}</span>{" "}
            <span class={`badge ${hook.enabled ? "open" : "closed"}`}>
              {hook.enabled ? t("alerts.on") : t("alerts.off")}
            </span>
          </h3>
          <Deliveries hook={hook} />
        </div>
      ))}
    </Section>
  );
}

export function AlertsPage(_props: { query: URLSearchParams }) {
  const { t } = useI18n();
  const { me } = useSession();
  return (
    <div>
      <h1>{t("alerts.title")}</h1>
      <p class="lead">{t("alerts.intro")}</p>
      <AlertList state="firing" title={t("alerts.firing")} testId="firing-alerts" />
      <AlertList state="resolved" title={t("alerts.recent")} testId="recent-alerts" />
      <Rules />
      {atLeast(me, "admin") && <Webhooks />}
    </div>
  );
}
