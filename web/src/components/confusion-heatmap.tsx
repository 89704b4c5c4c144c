import { useId, useMemo, useState } from "preact/hooks";
import { useI18n } from "../i18n/index.ts";

/** `ConfusionMatrix` of `GET /v1/policy-confusion` and `/v1/policy-impact` (src/routes/policy.ts). */
export interface ConfusionMatrix {
  columns: string[];
  rows: {
    applied: string | null;
    total: number;
    cells: { correct: string; count: number; rowShare: number }[];
  }[];
  total: number;
  withoutCorrectPolicy: number;
}

/** Rows and columns shown at most; the rest are in the CSV (the heatmap names what it left out). */
const SHOWN = 30;

/** The colour of a row share: white at 0 to deep blue at 1, with white text where the blue is dark. */
export function shareColour(share: number): { background: string; color: string } {
  const s = Math.max(0, Math.min(1, share));
  const light = 97 - s * 67;
  return { background: `hsl(218 70% ${light.toFixed(0)}%)`, color: light < 55 ? "#ffffff" : "#111827" };
}

const LEGEND_STOPS = [0, 0.25, 0.5, 0.75, 1];

/**
 * Applied × correct policy as a table heatmap: each cell shows its count and its share of the row (the applied
 * policy's wrong-policy errors), coloured by the share. The table is one keyboard stop: Tab enters it at one cell
 * and the arrow keys move between cells (Home/End along the row); each cell's label reads out both numbers.
 */
export function ConfusionHeatmap({
  matrix,
  caption,
  testId,
}: {
  matrix: ConfusionMatrix;
  caption: string;
  testId?: string;
}) {
  const { t, fmt } = useI18n();
  const legendId = useId();
  const captionId = useId();
  const none = t("common.none");
  const { rows, columns } = useMemo(() => {
    const columnTotals = new Map<string, number>();
    for (const row of matrix.rows)
      for (const cell of row.cells)
        columnTotals.set(cell.correct, (columnTotals.get(cell.correct) ?? 0) + cell.count);
    const byTotal = [...matrix.rows].sort((a, b) => b.total - a.total).slice(0, SHOWN);
    const cols = [...matrix.columns]
      .sort((a, b) => (columnTotals.get(b) ?? 0) - (columnTotals.get(a) ?? 0))
      .slice(0, SHOWN);
    return {
      rows: byTotal.map((row) => ({ ...row, byColumn: new Map(row.cells.map((c) => [c.correct, c])) })),
      columns: cols,
    };
  }, [matrix]);
  const [active, setActive] = useState<[number, number]>([0, 0]);
  if (rows.length === 0) return <p class="hint">{t("policy.matrix.empty")}</p>;
  const [activeRow, activeCol] = [
    Math.min(active[0], rows.length - 1),
    Math.min(active[1], columns.length - 1),
  ];

  const move = (event: KeyboardEvent) => {
    const cell = (event.target as HTMLElement).closest("td[data-row]") as HTMLElement | null;
    if (!cell) return;
    let r = Number(cell.dataset.row);
    let c = Number(cell.dataset.col);
    if (event.key === "ArrowRight") c = Math.min(c + 1, columns.length - 1);
    else if (event.key === "ArrowLeft") c = Math.max(c - 1, 0);
    else if (event.key === "ArrowDown") r = Math.min(r + 1, rows.length - 1);
    else if (event.key === "ArrowUp") r = Math.max(r - 1, 0);
    else if (event.key === "Home") c = 0;
    else if (event.key === "End") c = columns.length - 1;
    else return;
    event.preventDefault();
    setActive([r, c]);
    const table = cell.closest("table");
    (table?.querySelector(`td[data-row="${r}"][data-col="${c}"]`) as HTMLElement | null)?.focus();
  };

  return (
    <div class="heatmap-block">
      <h3 id={captionId}>{caption}</h3>
      <div class="table-wrap">
        <table
          class="heatmap confusion"
          data-testid={testId}
          onKeyDown={move}
          aria-labelledby={captionId}
          aria-describedby={legendId}
        >
          <thead>
            <tr>
              <th scope="col" class="corner">
                {t("policy.matrix.corner")}
              </th>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
              <th scope="col" class="num">
                {t("common.total")}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => {
              const applied = row.applied ?? none;
              return (
                <tr key={applied}>
                  <th scope="row">{applied}</th>
                  {columns.map((column, c) => {
                    const cell = row.byColumn.get(column);
                    const count = cell?.count ?? 0;
                    const share = cell?.rowShare ?? 0;
                    const colour = shareColour(share);
                    const label = t("policy.cell", {
                      applied,
                      correct: column,
                      count: fmt.integer(count),
                      share: fmt.percent(share, 1),
                    });
                    return (
                      <td
                        key={column}
                        data-row={r}
                        data-col={c}
                        data-count={count}
                        tabIndex={r === activeRow && c === activeCol ? 0 : -1}
                        aria-label={label}
                        title={label}
                        class={count === 0 ? "zero" : undefined}
                        style={
                          count === 0
                            ? undefined
                            : { backgroundColor: colour.background, color: colour.color }
                        }
                        onFocus={() => setActive([r, c])}
                      >
                        {count === 0 ? (
                          <span aria-hidden="true">·</span>
                        ) : (
                          <>
                            <span class="cell-value">{fmt.integer(count)}</span>
                            <span class="cell-share">{fmt.percent(share, 0)}</span>
                          </>
                        )}
                      </td>
                    );
                  })}
                  <td class="num row-total">{fmt.integer(row.total)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div class="share-legend" id={legendId}>
        <span>{t("policy.legend")}</span>
        <ul class="legend-scale" aria-hidden="true">
          {LEGEND_STOPS.map((stop) => {
            const colour = shareColour(stop);
            return (
              <li key={stop} style={{ backgroundColor: colour.background, color: colour.color }}>
                {fmt.percent(stop, 0)}
              </li>
            );
          })}
        </ul>
        <span class="hint">{t("policy.keys")}</span>
      </div>
      {(matrix.rows.length > rows.length || matrix.columns.length > columns.length) && (
        <p class="hint">
          {t("policy.matrix.truncated", {
            rows: fmt.integer(rows.length),
            allRows: fmt.integer(matrix.rows.length),
            columns: fmt.integer(columns.length),
            allColumns: fmt.integer(matrix.columns.length),
          })}
        </p>
      )}
      {matrix.withoutCorrectPolicy > 0 && (
        <p class="hint">{t("policy.withoutCorrect", { n: fmt.integer(matrix.withoutCorrectPolicy) })}</p>
      )}
    </div>
  );
}
