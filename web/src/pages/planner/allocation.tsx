import { useMemo, useState } from "preact/hooks";
import { CountField, ErrorBox, PercentField, Section, SelectField } from "../../components/ui.tsx";
import { inOpen, isCount, parseNumber } from "../../forms.ts";
import { ALLOCATION_FORMULAS } from "../../formulas.ts";
import { useLiveResult } from "../../hooks.ts";
import { useI18n } from "../../i18n/index.ts";
import { type AllocationMethod, AllocationMethodField } from "./allocation-method.tsx";
import { type Notice, Notices } from "./notices.tsx";

interface StratumRow {
  id: number;
  key: string;
  size: string;
  rate: string;
}
interface AllocationResult {
  total: number;
  method: string;
  strata: { key: string; size: number; n: number }[];
  notes: string[];
  notices: Notice[];
}

/** Splits a total sample (or one sized by a margin) between strata. */
export function AllocationCalculator() {
  const { t, fmt } = useI18n();
  const [rows, setRows] = useState<StratumRow[]>([
    { id: 1, key: "KR", size: "60000", rate: "4" },
    { id: 2, key: "JP", size: "30000", rate: "6" },
    { id: 3, key: "US", size: "10000", rate: "10" },
  ]);
  const [method, setMethod] = useState<AllocationMethod>("proportional");
  const [mode, setMode] = useState<"total" | "margin">("total");
  const [total, setTotal] = useState("600");
  const [margin, setMargin] = useState("3");
  const [confidence, setConfidence] = useState("95");
  const [minimum, setMinimum] = useState("");
  const request = useMemo(() => {
    const strata = [];
    for (const row of rows) {
      const size = parseNumber(row.size);
      const rate = parseNumber(row.rate);
      if (!row.key.trim()) return { invalid: "planner.invalid.stratumKey" as const };
      if (!isCount(size)) return { invalid: "planner.invalid.stratumSize" as const };
      if (row.rate.trim() !== "" && (rate === undefined || rate < 0 || rate > 100))
        return { invalid: "planner.invalid.expected" as const };
      strata.push({ key: row.key.trim(), size, expectedRate: rate === undefined ? undefined : rate / 100 });
    }
    if (strata.length === 0) return { invalid: "planner.invalid.noStrata" as const };
    const minPerStratum = parseNumber(minimum);
    if (minimum.trim() !== "" && !isCount(minPerStratum))
      return { invalid: "planner.invalid.minimum" as const };
    if (mode === "total") {
      const n = parseNumber(total);
      if (!isCount(n)) return { invalid: "planner.invalid.total" as const };
      return { body: { strata, method, total: n, minPerStratum } };
    }
    const e = parseNumber(margin);
    const c = parseNumber(confidence);
    if (!inOpen(e, 0, 50)) return { invalid: "planner.invalid.margin" as const };
    if (!inOpen(c, 0, 100)) return { invalid: "planner.invalid.confidence" as const };
    return { body: { strata, method, margin: e! / 100, confidence: c! / 100, minPerStratum } };
  }, [rows, method, mode, total, margin, confidence, minimum]);
  const result = useLiveResult<AllocationResult>("/v1/allocation", request.body, 250);
  const r = result.data;
  const update = (id: number, patch: Partial<StratumRow>) =>
    setRows((all) => all.map((row) => (row.id === id ? { ...row, ...patch } : row)));
  const populationTotal = r?.strata.reduce((sum, s) => sum + s.size, 0) ?? 0;
  return (
    <Section title={t("planner.allocation.title")}>
      <p class="lead">{t("planner.allocation.intro")}</p>
      <div class="calc">
        <form onSubmit={(e) => e.preventDefault()} aria-label={t("planner.allocation.title")}>
          <table class="edit">
            <caption class="visually-hidden">{t("planner.strata")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("planner.stratum")}</th>
                <th scope="col">{t("planner.stratumSize")}</th>
                <th scope="col">{t("planner.stratumRate")}</th>
                <th scope="col">
                  <span class="visually-hidden">{t("common.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr key={row.id}>
                  <td>
                    <input
                      aria-label={t("planner.stratumN", { n: index + 1 })}
                      value={row.key}
                      onInput={(e) => update(row.id, { key: (e.target as HTMLInputElement).value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={t("planner.stratumSizeN", { n: index + 1 })}
                      inputMode="numeric"
                      value={row.size}
                      onInput={(e) => update(row.id, { size: (e.target as HTMLInputElement).value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={t("planner.stratumRateN", { n: index + 1 })}
                      inputMode="decimal"
                      value={row.rate}
                      onInput={(e) => update(row.id, { rate: (e.target as HTMLInputElement).value })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      aria-label={t("planner.removeStratumN", { n: index + 1 })}
                      onClick={() => setRows((all) => all.filter((x) => x.id !== row.id))}
                    >
                      {t("common.remove")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <button
              type="button"
              class="secondary"
              onClick={() =>
                setRows((all) => [
                  ...all,
                  { id: Math.max(0, ...all.map((x) => x.id)) + 1, key: "", size: "", rate: "" },
                ])
              }
            >
              {t("planner.addStratum")}
            </button>
          </p>
          <div class="grid">
            <AllocationMethodField value={method} onValue={setMethod} />
            <SelectField
              label={t("planner.sizeFrom")}
              value={mode}
              onValue={setMode}
              options={[
                { value: "total", label: t("planner.sizeFrom.total") },
                { value: "margin", label: t("planner.sizeFrom.margin") },
              ]}
            />
            {mode === "total" ? (
              <CountField label={t("planner.total")} value={total} onValue={setTotal} />
            ) : (
              <>
                <PercentField label={t("planner.margin")} value={margin} onValue={setMargin} suffix="± %" />
                <PercentField label={t("planner.confidence")} value={confidence} onValue={setConfidence} />
              </>
            )}
            <CountField label={t("planner.minPerStratum")} value={minimum} onValue={setMinimum} />
          </div>
        </form>
        <div class="result" aria-live="polite">
          {"invalid" in request && request.invalid ? (
            <p class="notice">{t(request.invalid)}</p>
          ) : (
            <>
              <p class="big">
                <span class="big-label">{t("planner.total")}</span>
                <output data-testid="allocation-total">{r ? fmt.integer(r.total) : "…"}</output>
              </p>
              {r && (
                <table>
                  <caption class="visually-hidden">{t("planner.allocation.title")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("planner.stratum")}</th>
                      <th scope="col" class="num">
                        {t("planner.stratumSize")}
                      </th>
                      <th scope="col" class="num">
                        {t("planner.allocated")}
                      </th>
                      <th scope="col" class="num">
                        {t("planner.samplingFraction")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.strata.map((s) => (
                      <tr key={s.key}>
                        <th scope="row">{s.key}</th>
                        <td class="num">{fmt.integer(s.size)}</td>
                        <td class="num">{fmt.integer(s.n)}</td>
                        <td class="num">{s.size > 0 ? fmt.percent(s.n / s.size, 2) : "–"}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row">{t("common.total")}</th>
                      <td class="num">{fmt.integer(populationTotal)}</td>
                      <td class="num">{fmt.integer(r.total)}</td>
                      <td class="num">
                        {populationTotal > 0 ? fmt.percent(r.total / populationTotal, 2) : "–"}
                      </td>
                    </tr>
                  </tfoot>
                </table>
              )}
              <p>
                <code>{ALLOCATION_FORMULAS[method]}</code>
              </p>
              <p class="hint">{t(`allocation.${method}.note`)}</p>
              {r && <Notices notices={r.notices} />}
            </>
          )}
          <ErrorBox error={result.error} />
        </div>
      </div>
    </Section>
  );
}
