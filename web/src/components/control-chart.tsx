import { useId, useMemo, useState } from "preact/hooks";
import { SHEWHART_CHART_TYPES } from "../../../stats/spc/chart-types.ts";
import { followOnClick } from "../drill-down.ts";
import { isMessageKey, type MessageKey, useI18n } from "../i18n/index.ts";

export interface ChartPoint {
  index: number;
  label: string | null;
  phase: number;
  value: number | null;
  center: number;
  lcl: number;
  ucl: number;
  sigma: number;
  z: number | null;
  signals: string[];
  inEstimate: boolean;
}
export interface ChartPhase {
  phase: number;
  from: number;
  to: number;
  center: number;
  estimatedFrom: number;
}
export interface ChartData {
  type: string;
  points: ChartPoint[];
  signals: { index: number; label: string | null; rule: string }[];
  phases?: ChartPhase[];
  sigmaMultiplier?: number;
  rules?: string[];
  notes?: string[];
}

/** Shewhart charts, whose zones (1σ, 2σ around each point's centre) the run rules read. */
export const SHEWHART = new Set<string>(SHEWHART_CHART_TYPES);
const PROPORTION = new Set(["p", "laney-p"]);

const W = 1160;
const H = 420;
const M = { left: 72, right: 20, top: 36, bottom: 56 };

/** Round tick values covering [low, high]. */
export function niceTicks(low: number, high: number, count = 6): number[] {
  if (!(high > low)) return [low];
  const raw = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step)
    ticks.push(+v.toPrecision(12));
  return ticks;
}

export function ruleLabel(t: (key: MessageKey) => string, rule: string): string {
  const key = `rule.${rule}`;
  return isMessageKey(key) ? t(key) : rule;
}

/**
 * A control chart drawn by hand in SVG: each point, the centre line and the stepped control limits per phase,
 * the 1σ and 2σ zones around each point's centre (from the point's own sigma, so they step with the limits),
 * phase breaks with each phase's own limits, and every signal as a focusable mark naming its rules.
 */
export function ControlChart({
  data,
  title,
  pointHref,
}: {
  data: ChartData;
  title: string;
  /** The audits behind a point (issue 18): each point links there; signals stay in the Tab order, Enter follows. */
  pointHref?: (point: ChartPoint) => string | undefined;
}) {
  const { t, fmt } = useI18n();
  const [active, setActive] = useState<number | null>(null);
  const titleId = useId();
  const descId = useId();
  const points = data.points;
  const n = points.length;
  const zones = SHEWHART.has(data.type);
  const asPercent = PROPORTION.has(data.type);
  const formatValue = (v: number | null) => (asPercent ? fmt.percent(v, 2) : fmt.number(v, 3));

  const scale = useMemo(() => {
    const values: number[] = [];
    for (const p of points) {
      if (p.value !== null && Number.isFinite(p.value)) values.push(p.value);
      for (const v of [p.center, p.lcl, p.ucl]) if (Number.isFinite(v)) values.push(v);
    }
    let low = Math.min(...values);
    let high = Math.max(...values);
    if (!(high > low)) {
      low -= 1;
      high += 1;
    }
    const pad = (high - low) * 0.06;
    low = asPercent && low - pad < 0 && low >= 0 ? 0 : low - pad;
    high += pad;
    const plotW = W - M.left - M.right;
    const plotH = H - M.top - M.bottom;
    const step = plotW / Math.max(n, 1);
    return {
      low,
      high,
      step,
      x: (i: number) => M.left + (i + 0.5) * step,
      y: (v: number) => M.top + plotH - ((Math.min(Math.max(v, low), high) - low) / (high - low)) * plotH,
    };
  }, [points, n, asPercent]);
  const { x, y, step } = scale;

  const phases = useMemo(() => {
    const groups: ChartPoint[][] = [];
    for (const p of points) {
      if (!groups[p.phase]) groups[p.phase] = [];
      groups[p.phase].push(p);
    }
    return groups.filter(Boolean);
  }, [points]);

  /** A step path through one value per point, each held across the point's slot. */
  const stepPath = (group: ChartPoint[], value: (p: ChartPoint) => number) =>
    group
      .map((p, k) => {
        const v = y(value(p));
        const left = x(p.index) - step / 2;
        const right = x(p.index) + step / 2;
        return `${k === 0 ? `M${left.toFixed(1)} ${v.toFixed(1)}` : `V${v.toFixed(1)}`}H${right.toFixed(1)}`;
      })
      .join("");
  const line = (group: ChartPoint[]) => {
    let d = "";
    let pen = false;
    for (const p of group) {
      if (p.value === null || !Number.isFinite(p.value)) {
        pen = false;
        continue;
      }
      d += `${pen ? "L" : "M"}${x(p.index).toFixed(1)} ${y(p.value).toFixed(1)}`;
      pen = true;
    }
    return d;
  };

  const labelEvery = Math.max(1, Math.ceil(n / 12));
  const ticks = niceTicks(scale.low, scale.high);
  const signalPoints = points.filter((p) => p.signals.length > 0);
  const describe = (p: ChartPoint) =>
    t("chart.signalAt", {
      label: p.label ? fmt.day(p.label) : String(p.index + 1),
      value: formatValue(p.value),
      rules: p.signals.map((r) => ruleLabel(t, r)).join("; "),
    });
  const activePoint = active === null ? undefined : points[active];
  const phaseSummary = new Map((data.phases ?? []).map((ph) => [ph.phase, ph]));

  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        aria-labelledby={titleId}
        aria-describedby={descId}
        data-testid="control-chart"
        data-type={data.type}
        class="control-chart"
      >
        <title id={titleId}>{title}</title>
        <desc id={descId}>
          {t("chart.summary", { points: fmt.integer(n), signals: fmt.integer(signalPoints.length) })}
        </desc>
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG g without tabindex is not focusable; axes and bands are decoration */}
        <g class="axis y-axis" aria-hidden="true">
          {ticks.map((v) => (
            <g key={v}>
              <line class="grid-line" x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} />
              <text x={M.left - 8} y={y(v) + 4} text-anchor="end">
                {formatValue(v)}
              </text>
            </g>
          ))}
        </g>
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG g without tabindex is not focusable; axes and bands are decoration */}
        <g class="axis x-axis" aria-hidden="true">
          {points.map((p) =>
            p.index % labelEvery === 0 ? (
              <text key={p.index} x={x(p.index)} y={H - M.bottom + 18} text-anchor="middle">
                {p.label ? fmt.day(p.label, "short") : String(p.index + 1)}
              </text>
            ) : null,
          )}
        </g>
        {zones && (
          // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG g without tabindex is not focusable; this is decoration
          <g class="zones" aria-hidden="true">
            {points.map((p) =>
              [2, 1].map((k) => {
                const top = y(Math.min(p.center + k * p.sigma, p.ucl));
                const bottom = y(Math.max(p.center - k * p.sigma, p.lcl));
                return (
                  <rect
                    key={`${p.index}-${k}`}
                    class={`zone zone-${k}`}
                    x={x(p.index) - step / 2}
                    width={step}
                    y={top}
                    height={Math.max(0, bottom - top)}
                  />
                );
              }),
            )}
          </g>
        )}
        {phases.map((group) => {
          const phase = group[0].phase;
          const summary = phaseSummary.get(phase);
          const breakX = x(group[0].index) - step / 2;
          return (
            <g key={phase} class="phase" data-phase={phase}>
              {phase > 0 && (
                <g class="phase-break" data-testid="phase-break">
                  <line x1={breakX} x2={breakX} y1={M.top - 10} y2={H - M.bottom} />
                  <text x={breakX + 4} y={M.top - 14}>
                    {t("chart.phase", { n: phase + 1 })}
                    {summary ? ` · ${t("chart.centre")} ${formatValue(summary.center)}` : ""}
                  </text>
                </g>
              )}
              <path class="limit ucl" d={stepPath(group, (p) => p.ucl)} />
              <path class="limit lcl" d={stepPath(group, (p) => p.lcl)} />
              <path class="center" d={stepPath(group, (p) => p.center)} />
              <path class="series" d={line(group)} />
            </g>
          );
        })}
        <g class="points">
          {points.map((p) => {
            if (p.value === null || !Number.isFinite(p.value)) return null;
            const href = pointHref?.(p);
            if (p.signals.length === 0) {
              const dot = (
                <circle
                  key={p.index}
                  class={p.inEstimate ? "point" : "point excluded"}
                  data-index={p.index}
                  cx={x(p.index)}
                  cy={y(p.value)}
                  r={3.2}
                >
                  <title>{`${p.label ? fmt.day(p.label) : p.index + 1}: ${formatValue(p.value)}`}</title>
                </circle>
              );
              // Ordinary points link for the mouse only (tens of Tab stops otherwise); signals are in the Tab order.
              return href ? (
                <a key={p.index} href={href} tabindex={-1} class="point-link" onClick={followOnClick(href)}>
                  {dot}
                </a>
              ) : (
                dot
              );
            }
            const mark = {
              class: "signal",
              "data-index": p.index,
              "data-rules": p.signals.join(" "),
              "aria-label": describe(p),
              onMouseEnter: () => setActive(p.index),
              onMouseLeave: () => setActive(null),
              onFocus: () => setActive(p.index),
              onBlur: () => setActive(null),
            };
            const marks = (
              <>
                <title>{describe(p)}</title>
                <circle class="signal-halo" cx={x(p.index)} cy={y(p.value)} r={9} />
                <circle class="signal-dot" cx={x(p.index)} cy={y(p.value)} r={5} />
              </>
            );
            return href ? (
              <a key={p.index} {...mark} href={href} onClick={followOnClick(href)}>
                {marks}
              </a>
            ) : (
              // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: a data point is an image with a label, focusable so the keyboard reaches its rule
              <g key={p.index} {...mark} tabindex={0} role="img">
                {marks}
              </g>
            );
          })}
        </g>
        {activePoint && activePoint.value !== null && (
          // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG g without tabindex is not focusable; this is decoration
          <g class="tooltip" aria-hidden="true" data-testid="chart-tooltip">
            {(() => {
              const lines = [
                activePoint.label ? fmt.day(activePoint.label) : String(activePoint.index + 1),
                `${formatValue(activePoint.value)} (${t("chart.limits")} ${formatValue(activePoint.lcl)} – ${formatValue(activePoint.ucl)})`,
                ...activePoint.signals.map((r) => ruleLabel(t, r)),
              ];
              const width = Math.min(520, Math.max(...lines.map((l) => l.length)) * 7.4 + 20);
              const height = lines.length * 18 + 12;
              const px = x(activePoint.index);
              const left = px + width + 16 > W ? px - width - 12 : px + 12;
              const top = Math.min(Math.max(y(activePoint.value) - height / 2, 4), H - height - 4);
              return (
                <>
                  <rect x={left} y={top} width={width} height={height} rx={4} />
                  {lines.map((l, i) => (
                    <text key={l} x={left + 10} y={top + 20 + i * 18} class={i === 0 ? "strong" : undefined}>
                      {l}
                    </text>
                  ))}
                </>
              );
            })()}
          </g>
        )}
      </svg>
      <figcaption>
        <ul class="legend">
          <li>
            <span class="key key-series" aria-hidden="true" />
            {t("chart.legend.value")}
          </li>
          <li>
            <span class="key key-center" aria-hidden="true" />
            {t("chart.legend.center")}
          </li>
          <li>
            <span class="key key-limit" aria-hidden="true" />
            {t("chart.legend.limits", { k: fmt.number(data.sigmaMultiplier ?? 3, 2) })}
          </li>
          {zones && (
            <>
              <li>
                <span class="key key-zone2" aria-hidden="true" />
                {t("chart.legend.zone2")}
              </li>
              <li>
                <span class="key key-zone1" aria-hidden="true" />
                {t("chart.legend.zone1")}
              </li>
            </>
          )}
          <li>
            <span class="key key-signal" aria-hidden="true" />
            {t("chart.legend.signal")}
          </li>
          {phases.length > 1 && (
            <li>
              <span class="key key-phase" aria-hidden="true" />
              {t("chart.legend.phase")}
            </li>
          )}
        </ul>
        <p class="live" aria-live="polite" data-testid="signal-detail">
          {activePoint ? describe(activePoint) : ""}
        </p>
      </figcaption>
    </figure>
  );
}
