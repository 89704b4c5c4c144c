import { useCodeLabel } from "../../components/ui.tsx";
import { type AuditsFilter, auditHref, auditsHref } from "../../drill-down.ts";
import { rateDecimals, useI18n } from "../../i18n/index.ts";
import { formatPValue } from "../../p-values.ts";
import { type StoredDesign, useDesignSentence } from "./design.ts";
import type { Alert, Rule } from "./types.ts";

/**
 * An alert in the page's language: its summary and evidence rendered from the evidence's fields (the
 * service's English `summary` stays for API users and is shown only for evidence this page does not know),
 * the dashboard page its API link points to, and the audits behind it.
 */

/** Filters of GET /v1/audits that a rule's scope and an alert's labels may name. */
const FILTER_FIELDS = ["queue", "moderator", "auditor", "policy", "market", "errorType"] as const;

/**
 * The `/audits` list behind an alert: the rule's scope (else the filters of the alert's API link, for a rule
 * deleted since) + the group's labels + the window or period as from/to, errors only; for an audit rule, the
 * audit itself. Null for agreement alerts (a calibration has no audits).
 */
export function alertAuditsHref(alert: Alert, rule: Rule | undefined): string | null {
  const e = alert.evidence as {
    kind?: string;
    window?: { from?: string; to?: string };
    periodFrom?: string;
    periodTo?: string;
    audit?: { id?: string };
  };
  if (e.kind === "audit") return e.audit?.id ? auditHref(e.audit.id) : null;
  if (e.kind !== "threshold" && e.kind !== "chart") return null;
  const linked = new URLSearchParams(alert.link?.split("?")[1] ?? "");
  const filter: AuditsFilter = { outcome: "incorrect" };
  for (const field of FILTER_FIELDS) {
    const value = rule ? rule.scope[field] : linked.get(field);
    if (value) filter[field] = value;
  }
  for (const [field, value] of Object.entries(alert.labels))
    if (value !== null && (FILTER_FIELDS as readonly string[]).includes(field))
      filter[field as (typeof FILTER_FIELDS)[number]] = value;
  if (e.kind === "threshold") {
    filter.from = e.window?.from;
    filter.to = e.window?.to;
  } else {
    filter.from = e.periodFrom;
    filter.to = e.periodTo;
  }
  return auditsHref(filter);
}

/** "1 day", "14 days" (plural by Intl.PluralRules; fractional windows allowed). */
function useDayCount() {
  const { t, fmt } = useI18n();
  return (days: number) =>
    t(
      new Intl.PluralRules(fmt.locale).select(days) === "one"
        ? "rules.sum.window.one"
        : "rules.sum.window.other",
      { n: fmt.number(days) },
    );
}

/** The alert's summary in the page's language, from its evidence; the English one for unknown evidence. */
export function AlertSummary({ alert }: { alert: Alert }) {
  const { t, fmt } = useI18n();
  const dayCount = useDayCount();
  const code = useCodeLabel();
  const designSentence = useDesignSentence();
  const e = alert.evidence as Record<string, never>;
  const breach = e.breach ?? alert.state !== "resolved";
  let parts: string[] | undefined;
  if (e.kind === "threshold") {
    const window = e.window as { days: number };
    const interval = e.interval as { lower: number; upper?: number; confidence: number };
    const decimals = rateDecimals(interval.lower, interval.upper);
    parts = [
      t(breach ? "rules.sum.threshold.breach" : "rules.sum.threshold.clear", {
        rate: fmt.rate(e.rate, decimals),
        errors: fmt.integer(e.errors),
        audited: fmt.integer(e.audited),
        window: dayCount(window.days),
        maxRate: fmt.percent(e.maxRate, 2),
      }),
    ];
    if (e.evidence === "lower-bound")
      parts.push(
        t("rules.sum.lowerBound", {
          confidence: fmt.percent(interval.confidence, 1),
          lower: fmt.rate(interval.lower, decimals),
        }),
      );
  } else if (e.kind === "chart") {
    const point = e.point as {
      value?: number;
      lcl?: number;
      ucl?: number;
      cusumUpper?: number;
      cusumLower?: number;
      runLength?: number;
    };
    const vars = {
      chart: code("chartType", e.type),
      period: fmt.day(e.period),
      rate: fmt.percent((e.count as number) / (e.n as number), 1),
      count: fmt.integer(e.count),
      n: fmt.integer(e.n),
    };
    parts = [
      e.type === "cusum"
        ? t("rules.sum.cusum", {
            ...vars,
            upper: fmt.number(point.cusumUpper, 2),
            lower: fmt.number(point.cusumLower, 2),
            h: fmt.number(e.sigmaMultiplier, 2),
          })
        : e.type === "bernoulli-cusum"
          ? // B (the point's value) against h (sigmaMultiplier), over the audits since the last restart.
            t("rules.sum.bernoulli", {
              ...vars,
              value: fmt.fixed(point.value, 3),
              h: fmt.fixed(e.sigmaMultiplier, 3),
              runLength: fmt.integer(point.runLength),
            })
          : t("rules.sum.chart", { ...vars, lcl: fmt.percent(point.lcl, 1), ucl: fmt.percent(point.ucl, 1) }),
      alert.signal && alert.signal.length > 0
        ? t("rules.sum.signals", { signals: alert.signal.map((r) => code("rule", r)).join("; ") })
        : t("rules.sum.noSignal"),
    ];
    // The design the rule was saved with (issue 16; absent for p and Laney p′, and from older alerts).
    const design = designSentence(e.design as StoredDesign | undefined, e.type, e.interval);
    if (design) parts.push(design);
  } else if (e.kind === "auditor-accuracy") {
    const window = e.window as { days: number };
    const interval = e.interval as { lower: number; upper: number; confidence: number };
    const decimals = rateDecimals(interval.lower, interval.upper);
    parts = [
      t(breach ? "rules.sum.accuracy.breach" : "rules.sum.accuracy.clear", {
        accuracy: fmt.rate(e.accuracy, decimals),
        correct: fmt.integer(e.correct),
        gold: fmt.integer(e.gold),
        window: dayCount(window.days),
        confidence: fmt.percent(interval.confidence, 1),
        upper: fmt.rate(interval.upper, decimals),
        below: fmt.percent(e.below, 2),
      }),
    ];
  } else if (e.kind === "agreement") {
    const session = e.calibration as { name: string };
    parts = [
      t(breach ? "rules.sum.agreement.breach" : "rules.sum.agreement.clear", {
        statistic: code("coef", e.statistic),
        value: fmt.fixed(e.value, 3),
        session: session.name,
        below: fmt.number(e.below, 3),
      }),
    ];
  } else if (e.kind === "audit") {
    const audit = e.audit as {
      errorType: string | null;
      severity: number | null;
      moderator: string;
      queue: string;
      policy: string | null;
    };
    const vars = {
      errorType: audit.errorType ? code("errorType", audit.errorType) : t("rules.sum.error"),
      severity:
        audit.severity === null
          ? t("rules.sum.noSeverity")
          : t("rules.sum.severity", { n: fmt.integer(audit.severity) }),
      moderator: audit.moderator,
      queue: audit.queue,
    };
    parts = [
      audit.policy === null
        ? t("rules.sum.audit", vars)
        : t("rules.sum.auditPolicy", { ...vars, policy: audit.policy }),
    ];
  }
  if (parts && typeof e.q === "number")
    parts.push(
      t("rules.sum.fdr", {
        q: formatPValue(fmt.locale, e.q),
        m: fmt.integer(e.groupsTested),
        fdr: fmt.percent(e.fdr, 2),
      }),
    );
  if (!parts)
    return (
      <p class="technical" lang="en" data-testid="alert-summary">
        {alert.summary}
      </p>
    );
  return <p data-testid="alert-summary">{parts.join(" ")}</p>;
}

/**
 * The dashboard page that shows what an alert's API link (`/v1/charts?…`, `/v1/quality?…`, a report,
 * `/v1/auditors?…`) shows.
 */
export function dashboardLink(link: string | null): string | null {
  if (!link) return null;
  if (link.startsWith("/v1/charts?")) return `/charts?${link.slice("/v1/charts?".length)}`;
  if (link.startsWith("/v1/quality?")) return `/quality?${link.slice("/v1/quality?".length)}`;
  const report = link.match(/^\/v1\/calibrations\/([^/?]+)\/report/);
  if (report) return `/calibration/${report[1]}`;
  if (link.startsWith("/v1/auditors?")) {
    // The auditors page takes the period as dates: the window's first (UTC) day; it has no confidence field.
    const params = new URLSearchParams(link.slice("/v1/auditors?".length));
    const page = new URLSearchParams();
    for (const [name, value] of params) {
      if (name === "auditor" || name === "queue") page.set(name, value);
      else if (name === "from") page.set(name, value.slice(0, 10));
    }
    return `/auditors?${page}`;
  }
  return null;
}

export function Evidence({ alert }: { alert: Alert }) {
  const { t, fmt } = useI18n();
  const dayCount = useDayCount();
  const code = useCodeLabel();
  const designSentence = useDesignSentence();
  const e = alert.evidence as Record<string, unknown> & {
    kind?: string;
    interval?: { lower?: number | null; upper?: number | null; confidence?: number };
    point?: { value?: number | null; lcl?: number; ucl?: number; center?: number };
  };
  const rows: [string, string][] = [];
  if (e.kind === "threshold") {
    rows.push([
      t("alerts.ev.rate"),
      fmt.rate(e.rate as number, rateDecimals(e.interval?.lower, e.interval?.upper)),
    ]);
    rows.push([
      t("alerts.ev.counts"),
      `${fmt.integer(e.errors as number)} / ${fmt.integer(e.audited as number)}`,
    ]);
    rows.push([
      t("alerts.ev.interval", { confidence: fmt.percent(e.interval?.confidence ?? 0.95, 0) }),
      fmt.rateInterval(e.interval?.lower, e.interval?.upper),
    ]);
    rows.push([t("alerts.ev.maxRate"), fmt.percent(e.maxRate as number, 2)]);
    rows.push([t("alerts.ev.window"), dayCount((e.window as { days: number }).days)]);
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
    if (e.type === "bernoulli-cusum") {
      const run = (point as { runLength?: number }).runLength;
      rows.push([t("alerts.ev.bernoulliB"), fmt.fixed(point.value, 3)]);
      rows.push([t("alerts.ev.bernoulliH"), fmt.fixed(e.sigmaMultiplier as number, 3)]);
      rows.push([t("alerts.ev.runLength"), fmt.integer(run)]);
    } else if (e.type === "cusum") {
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
    const design = designSentence(e.design as StoredDesign | undefined, e.type, e.interval);
    if (design) rows.push([t("alerts.ev.design"), design]);
  } else if (e.kind === "auditor-accuracy") {
    const interval = e.interval as { lower: number; upper: number; confidence: number };
    const decimals = rateDecimals(interval.lower, interval.upper);
    rows.push([t("alerts.ev.accuracy"), fmt.rate(e.accuracy as number, decimals)]);
    rows.push([
      t("alerts.ev.goldCounts"),
      `${fmt.integer(e.correct as number)} / ${fmt.integer(e.gold as number)}`,
    ]);
    rows.push([
      t("alerts.ev.interval", { confidence: fmt.percent(interval.confidence, 1) }),
      fmt.rateInterval(interval.lower, interval.upper),
    ]);
    rows.push([t("alerts.ev.accuracyBelow"), fmt.percent(e.below as number, 2)]);
    rows.push([t("alerts.ev.minGold"), fmt.integer(e.minGold as number)]);
    rows.push([t("alerts.ev.window"), dayCount((e.window as { days: number }).days)]);
    const byType = (e.byErrorType ?? []) as { errorType: string; gold: number; correct: number }[];
    if (byType.length > 0)
      rows.push([
        t("alerts.ev.byErrorType"),
        byType
          .map(
            (r) =>
              `${r.errorType === "none" ? t("auditors.expected.none") : code("errorType", r.errorType)} ${fmt.integer(r.correct)} / ${fmt.integer(r.gold)}`,
          )
          .join("; "),
      ]);
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
  if ((e.kind === "threshold" || e.kind === "chart") && typeof e.p === "number") {
    // False-discovery control across the rule's groups (issue 16); absent from alerts stored before it.
    const multiplicity = e.multiplicity === "bh" || e.multiplicity === "by" ? e.multiplicity : "none";
    rows.push([t("alerts.ev.multiplicity"), t(`rules.multiplicity.${multiplicity}`)]);
    rows.push([t("alerts.ev.p"), formatPValue(fmt.locale, e.p)]);
    if (typeof e.q === "number") {
      rows.push([t("alerts.ev.q", { fdr: fmt.percent(e.fdr as number, 2) }), formatPValue(fmt.locale, e.q)]);
      rows.push([
        t("alerts.ev.expectedFalse", { n: fmt.integer(e.groupsBreaching as number) }),
        fmt.number(e.expectedFalseAlerts as number, 2),
      ]);
    }
    rows.push([t("alerts.ev.groupsTested"), fmt.integer(e.groupsTested as number)]);
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
