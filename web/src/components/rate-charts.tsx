import { useId, useState } from "preact/hooks";
import { rateDecimals, useI18n } from "../i18n/index.ts";
import { niceTicks } from "./control-chart.tsx";

/*
 * Small hand-drawn SVG charts of a moderator's scorecard: the error rate's intervals against the target, and the
 * weekly trend. Each is an image with a text alternative; the numbers are also in the page's text and tables.
 */

interface Interval {
  label: string;
  rate: number | null;
  lower: number | null;
  upper: number | null;
  kind: "raw" | "shrunken";
}

const STRIP = { w: 640, row: 34, left: 150, right: 24, top: 10, axis: 26 };

/** The raw rate with its Wilson interval and the shrunken rate with its credible interval, on one axis with the target. */
export function IntervalStrip({ rows, target, title }: { rows: Interval[]; target: number; title: string }) {
  const { fmt } = useI18n();
  const titleId = useId();
  const shown = rows.filter((r) => r.rate !== null);
  const high = Math.max(target, ...shown.map((r) => r.upper ?? r.rate ?? 0)) * 1.15 || 0.1;
  const ticks = niceTicks(0, Math.min(1, high), 5);
  const max = Math.max(ticks[ticks.length - 1], 1e-9);
  const plotW = STRIP.w - STRIP.left - STRIP.right;
  const x = (v: number) => STRIP.left + (Math.min(v, max) / max) * plotW;
  const h = STRIP.top + rows.length * STRIP.row + STRIP.axis;
  return (
    <figure class="chart strip-chart" data-testid="interval-strip">
      <svg viewBox={`0 0 ${STRIP.w} ${h}`} role="img" aria-labelledby={titleId}>
        <title id={titleId}>{title}</title>
        {ticks.map((tick) => (
          <g key={tick}>
            <line class="grid-line" x1={x(tick)} x2={x(tick)} y1={STRIP.top} y2={h - STRIP.axis} />
            <text x={x(tick)} y={h - 8} text-anchor="middle">
              {fmt.percent(tick, 1)}
            </text>
          </g>
        ))}
        {rows.map((row, i) => {
          const y = STRIP.top + i * STRIP.row + STRIP.row / 2;
          return (
            <g key={row.label} class={`strip-${row.kind}`}>
              <text x={STRIP.left - 10} y={y + 4} text-anchor="end">
                {row.label}
              </text>
              {row.rate !== null && row.lower !== null && row.upper !== null && (
                <>
                  <line class="whisker" x1={x(row.lower)} x2={x(row.upper)} y1={y} y2={y} />
                  <line class="whisker" x1={x(row.lower)} x2={x(row.lower)} y1={y - 6} y2={y + 6} />
                  <line class="whisker" x1={x(row.upper)} x2={x(row.upper)} y1={y - 6} y2={y + 6} />
                  <circle class="estimate" cx={x(row.rate)} cy={y} r={5} />
                </>
              )}
            </g>
          );
        })}
        <line class="target-line" x1={x(target)} x2={x(target)} y1={STRIP.top - 4} y2={h - STRIP.axis} />
      </svg>
    </figure>
  );
}

export interface WeekPoint {
  week: string;
  audited: number;
  errors: number;
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

const TREND = { w: 640, h: 220, left: 56, right: 16, top: 14, bottom: 34 };

/** The weekly error rate with its Wilson band and the target: hover or focus a week to read it. */
export function WeeklyTrend({ weeks, target, title }: { weeks: WeekPoint[]; target: number; title: string }) {
  const { t, fmt } = useI18n();
  const titleId = useId();
  const [active, setActive] = useState<number | null>(null);
  const values = weeks.flatMap((w) => [w.upper ?? w.rate ?? 0]);
  const ticks = niceTicks(0, Math.min(1, Math.max(target, ...values) * 1.1 || 0.1), 4);
  const max = Math.max(ticks[ticks.length - 1], 1e-9);
  const plotW = TREND.w - TREND.left - TREND.right;
  const plotH = TREND.h - TREND.top - TREND.bottom;
  const x = (i: number) => TREND.left + (weeks.length <= 1 ? plotW / 2 : (i / (weeks.length - 1)) * plotW);
  const y = (v: number) => TREND.top + plotH - (Math.min(v, max) / max) * plotH;
  const withRate = weeks.map((w, i) => ({ ...w, i })).filter((w) => w.rate !== null);
  const line = withRate.map((w, k) => `${k === 0 ? "M" : "L"}${x(w.i)},${y(w.rate!)}`).join(" ");
  const band =
    withRate.length > 1
      ? `${withRate.map((w, k) => `${k === 0 ? "M" : "L"}${x(w.i)},${y(w.upper ?? w.rate!)}`).join(" ")} ${[
          ...withRate,
        ]
          .reverse()
          .map((w) => `L${x(w.i)},${y(w.lower ?? w.rate!)}`)
          .join(" ")} Z`
      : "";
  const describe = (w: WeekPoint) =>
    t("scorecard.trend.point", {
      week: fmt.day(w.week),
      rate: fmt.rate(w.rate, rateDecimals(w.lower, w.upper)),
      errors: fmt.integer(w.errors),
      audited: fmt.integer(w.audited),
    });
  const labelEvery = Math.max(1, Math.ceil(weeks.length / 8));
  return (
    <figure class="chart trend-chart" data-testid="weekly-trend">
      <svg viewBox={`0 0 ${TREND.w} ${TREND.h}`} aria-labelledby={titleId}>
        <title id={titleId}>{title}</title>
        {ticks.map((tick) => (
          <g key={tick}>
            <line class="grid-line" x1={TREND.left} x2={TREND.w - TREND.right} y1={y(tick)} y2={y(tick)} />
            <text x={TREND.left - 6} y={y(tick) + 4} text-anchor="end">
              {fmt.percent(tick, 1)}
            </text>
          </g>
        ))}
        {band && <path class="trend-band" d={band} />}
        <line class="target-line" x1={TREND.left} x2={TREND.w - TREND.right} y1={y(target)} y2={y(target)} />
        {line && <path class="trend-line" d={line} />}
        {weeks.map((w, i) =>
          i % labelEvery === 0 ? (
            <text key={w.week} x={x(i)} y={TREND.h - 12} text-anchor="middle">
              {fmt.day(w.week, "short")}
            </text>
          ) : null,
        )}
        {withRate.map((w) => (
          // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: a week's point is an image with a label, focusable so the keyboard reaches its numbers
          <g
            key={w.week}
            class={`trend-point${active === w.i ? " active" : ""}`}
            tabindex={0}
            role="img"
            aria-label={describe(w)}
            onFocus={() => setActive(w.i)}
            onBlur={() => setActive(null)}
            onMouseEnter={() => setActive(w.i)}
            onMouseLeave={() => setActive(null)}
          >
            <title>{describe(w)}</title>
            <circle cx={x(w.i)} cy={y(w.rate!)} r={4} />
          </g>
        ))}
      </svg>
      <figcaption class="hint" aria-live="polite">
        {active !== null && weeks[active] ? describe(weeks[active]) : t("scorecard.trend.legend")}
      </figcaption>
    </figure>
  );
}
