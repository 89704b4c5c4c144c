import { useId, useMemo } from "preact/hooks";
import { followOnClick } from "../drill-down.ts";
import { useI18n } from "../i18n/index.ts";
import { niceTicks } from "./control-chart.tsx";
import { funnelDecimals, integerTicks, percentDigits } from "./ticks.ts";

export interface FunnelUnit {
  key: string | number;
  count: number;
  n: number;
  rate: number;
  z: number | null;
  band: string;
  /** Fewer audits than the funnel's minimum: plotted grey, never flagged (GET /v1/funnel's `minAudited`). */
  belowMinimum?: boolean;
}
export interface FunnelData {
  target: number | null;
  targetSource?: string;
  method?: string;
  units: FunnelUnit[];
  curves: { level: number; name: string; points: { n: number; lower: number; upper: number }[] }[];
  overdispersion?: { phi: number; applied: boolean } | null;
  notes?: string[];
  /** GET /v1/funnel: the minimum volume asked for and how many units are below it. */
  minAudited?: number;
  unitsBelowMinimum?: number;
}

const W = 1160;
const H = 440;
const M = { left: 72, right: 24, top: 24, bottom: 52 };

/** Rough width of a label in SVG units (Hangul is about twice as wide as Latin). */
export function textWidth(text: string, size = 12): number {
  let width = 0;
  for (const ch of text)
    width += /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\u4e00-\u9fff]/.test(ch) ? size : size * 0.6;
  return width;
}

/**
 * Funnel plot (Spiegelhalter 2005) in SVG: rate against volume on a log axis, the target, the control limits of
 * each level as curves, every unit as a point, and the units beyond the limits labelled with their key.
 */
export function FunnelPlot({
  data,
  title,
  unitHref,
  hideBelowMinimum = false,
}: {
  data: FunnelData;
  title: string;
  /** The audits behind a unit (issue 18): units link there; the flagged ones are in the Tab order. */
  unitHref?: (unit: FunnelUnit) => string | undefined;
  /** Leave out the units below the minimum volume instead of greying them. */
  hideBelowMinimum?: boolean;
}) {
  const { t, fmt } = useI18n();
  const titleId = useId();
  const shown = useMemo(
    () => (hideBelowMinimum ? data.units.filter((u) => !u.belowMinimum) : data.units),
    [data, hideBelowMinimum],
  );
  const scale = useMemo(() => {
    const ns = [...shown.map((u) => u.n), ...data.curves.flatMap((c) => c.points.map((p) => p.n))];
    let minN = Math.max(1, Math.min(...ns));
    let maxN = Math.max(...ns);
    // At least a factor of 1.5 across, with a margin on each side so no point sits on the frame.
    const middle = Math.sqrt(minN * maxN);
    const spread = Math.max(Math.sqrt(maxN / minN) * 1.08, Math.sqrt(1.5));
    minN = Math.max(1, middle / spread);
    maxN = middle * spread;
    const rates = [
      ...shown.map((u) => u.rate),
      ...data.curves.flatMap((c) => c.points.map((p) => p.upper)),
      data.target ?? 0,
    ];
    const top = Math.min(1, Math.max(...rates) * 1.08 || 1);
    const plotW = W - M.left - M.right;
    const plotH = H - M.top - M.bottom;
    const lx = (n: number) => Math.log10(n);
    return {
      minN,
      maxN,
      top,
      x: (n: number) => M.left + ((lx(n) - lx(minN)) / (lx(maxN) - lx(minN))) * plotW,
      y: (r: number) => M.top + plotH - (Math.min(Math.max(r, 0), top) / top) * plotH,
    };
  }, [data, shown]);
  const { x, y } = scale;
  const yTicks = niceTicks(0, scale.top);
  const yDigits = percentDigits(yTicks.length > 1 ? yTicks[1] - yTicks[0] : scale.top);
  // Decades (1, 2, 5 × 10^k) across a wide range; round linear steps across a narrow one.
  const decadeTicks: number[] = [];
  for (let e = Math.floor(Math.log10(scale.minN)); 10 ** e <= scale.maxN; e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= scale.minN && v <= scale.maxN) decadeTicks.push(v);
    }
  }
  const xTicks = decadeTicks.length >= 3 ? decadeTicks : integerTicks(scale.minN, scale.maxN, 6);
  // Labels of the units outside the limits, nudged down where they would overlap one placed before.
  const labels = useMemo(() => {
    const placed: { x: number; y: number; w: number; anchor: "start" | "end"; key: string }[] = [];
    const outsideUnits = data.units.filter((u) => u.band !== "inside").sort((a, b) => y(a.rate) - y(b.rate));
    for (const u of outsideUnits) {
      const key = String(u.key);
      const w = textWidth(key);
      const right = x(u.n) + 8 + w <= W - M.right;
      const left = right ? x(u.n) + 8 : x(u.n) - 8 - w;
      let top = y(u.rate) + 4;
      while (placed.some((p) => Math.abs(p.y - top) < 13 && left < p.x + p.w && p.x < left + w)) top += 13;
      placed.push({ x: left, y: top, w, anchor: right ? "start" : "end", key });
    }
    return new Map(placed.map((p) => [p.key, p]));
  }, [data, x, y]);
  const outside = data.units.filter((u) => u.band !== "inside");
  const decimals = funnelDecimals(data.curves);
  const curvePath = (points: { n: number; lower: number; upper: number }[], side: "lower" | "upper") =>
    points.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.n).toFixed(1)} ${y(p[side]).toFixed(1)}`).join("");
  const unitText = (u: FunnelUnit) =>
    t("funnel.unit", {
      key: String(u.key),
      rate: fmt.rate(u.rate, decimals),
      count: fmt.integer(u.count),
      n: fmt.integer(u.n),
      band: u.band === "inside" ? t("funnel.inside") : bandLabel(u.band),
    });
  function bandLabel(band: string): string {
    const [side, level] = band.split("-");
    return t(side === "above" ? "funnel.above" : "funnel.below", { level: `${level} %` });
  }
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} aria-labelledby={titleId} data-testid="funnel-plot" class="funnel-plot">
        <title id={titleId}>{title}</title>
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG g without tabindex is not focusable; axes and bands are decoration */}
        <g class="axis" aria-hidden="true">
          {yTicks.map((v) => (
            <g key={v}>
              <line class="grid-line" x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} />
              <text x={M.left - 8} y={y(v) + 4} text-anchor="end">
                {fmt.percent(v, yDigits)}
              </text>
            </g>
          ))}
          {xTicks.map((v) => (
            <text key={v} x={x(v)} y={H - M.bottom + 18} text-anchor="middle">
              {fmt.integer(v)}
            </text>
          ))}
          <text x={(W + M.left) / 2} y={H - 8} text-anchor="middle">
            {t("funnel.xAxis")}
          </text>
        </g>
        {data.target !== null && (
          <line class="center" x1={M.left} x2={W - M.right} y1={y(data.target)} y2={y(data.target)} />
        )}
        {data.curves.map((curve) => (
          // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG g without tabindex is not focusable; this is decoration
          <g key={curve.name} class={`curve level-${curve.name.replace(".", "-")}`} aria-hidden="true">
            <path d={curvePath(curve.points, "upper")} />
            <path d={curvePath(curve.points, "lower")} />
          </g>
        ))}
        <g class="units">
          {shown.map((u) => {
            const href = unitHref?.(u);
            if (u.band === "inside") {
              const dot = (
                <circle
                  key={String(u.key)}
                  class={u.belowMinimum ? "unit below-minimum" : "unit"}
                  data-key={String(u.key)}
                  cx={x(u.n)}
                  cy={y(u.rate)}
                  r={4}
                >
                  <title>{unitText(u)}</title>
                </circle>
              );
              // Units inside the limits link for the mouse only; the flagged ones are in the Tab order.
              return href ? (
                <a
                  key={String(u.key)}
                  href={href}
                  tabindex={-1}
                  class="unit-link"
                  onClick={followOnClick(href)}
                >
                  {dot}
                </a>
              ) : (
                dot
              );
            }
            const label = labels.get(String(u.key))!;
            const mark = {
              class: `unit-out ${u.band.startsWith("above") ? "above" : "below"}`,
              "data-key": String(u.key),
              "aria-label": unitText(u),
            };
            const marks = (
              <>
                <title>{unitText(u)}</title>
                <circle cx={x(u.n)} cy={y(u.rate)} r={5.5} />
                <text
                  x={label.anchor === "start" ? label.x : x(u.n) - 8}
                  y={label.y}
                  text-anchor={label.anchor}
                >
                  {String(u.key)}
                </text>
              </>
            );
            return href ? (
              <a key={String(u.key)} {...mark} href={href} onClick={followOnClick(href)}>
                {marks}
              </a>
            ) : (
              // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: a unit outside the limits is an image with a label, focusable so the keyboard reaches it
              <g key={String(u.key)} {...mark} tabindex={0} role="img">
                {marks}
              </g>
            );
          })}
        </g>
      </svg>
      <figcaption>
        <ul class="legend">
          <li>
            <span class="key key-center" aria-hidden="true" />
            {t("funnel.target", { rate: fmt.rate(data.target, decimals) })}
          </li>
          {data.curves.map((c) => (
            <li key={c.name}>
              <span class={`key key-curve-${c.name.replace(".", "-")}`} aria-hidden="true" />
              {t("funnel.limit", { level: `${c.name} %` })}
            </li>
          ))}
          <li>
            <span class="key key-signal" aria-hidden="true" />
            {t("funnel.outside", { count: fmt.integer(outside.length) })}
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
