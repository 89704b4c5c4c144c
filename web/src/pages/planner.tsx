import { useMemo, useState } from "preact/hooks";
import { api, download } from "../api.ts";
import {
  ActionButton,
  Checkbox,
  type Column,
  ErrorBox,
  Field,
  Section,
  SelectField,
  SortableTable,
  TextArea,
  useAsync,
  useDebounced,
} from "../components/ui.tsx";
import { ALLOCATION_FORMULAS, INTERVAL_FORMULAS, SAMPLE_SIZE_FORMULAS } from "../formulas.ts";
import { useI18n } from "../i18n/index.ts";
import { atLeast, useSession } from "../session.ts";

/** A number typed by a person, or undefined when the text is empty or not a number. */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

const inOpen = (value: number | undefined, low: number, high: number) =>
  value !== undefined && value > low && value < high;
const isCount = (value: number | undefined, min = 0) =>
  value !== undefined && Number.isSafeInteger(value) && value >= min;

interface SampleSizeResult {
  n: number;
  n0?: number;
  z?: number;
  method: string;
  confidence: number;
  margin?: number;
  expectedRate?: number;
  population?: number | null;
  note?: string;
  goal: "estimate" | "demonstrate";
  maxRate?: number;
  allowedErrors?: number;
  achievedRisk?: number;
  distribution?: "binomial" | "hypergeometric";
}

function SampleSizeCalculator() {
  const { t, fmt } = useI18n();
  const [goal, setGoal] = useState<"estimate" | "demonstrate">("estimate");
  const [confidence, setConfidence] = useState("95");
  const [margin, setMargin] = useState("5");
  const [expected, setExpected] = useState("50");
  const [method, setMethod] = useState<"wald" | "wilson" | "clopper-pearson">("wald");
  const [population, setPopulation] = useState("");
  const [maxRate, setMaxRate] = useState("1");
  const [allowed, setAllowed] = useState("0");

  // Checked here as on the server, so a half-typed value shows a hint instead of a failed request.
  const request = useMemo(() => {
    const c = parseNumber(confidence);
    const N = parseNumber(population);
    if (!inOpen(c, 0, 100)) return { invalid: "planner.invalid.confidence" as const };
    if (population.trim() !== "" && !isCount(N, 1)) return { invalid: "planner.invalid.population" as const };
    if (goal === "estimate") {
      const e = parseNumber(margin);
      const p = parseNumber(expected);
      if (!inOpen(e, 0, 50)) return { invalid: "planner.invalid.margin" as const };
      if (p === undefined || p < 0 || p > 100) return { invalid: "planner.invalid.expected" as const };
      if (N !== undefined && method !== "wald")
        return { invalid: "planner.invalid.exactPopulation" as const };
      return {
        body: {
          goal,
          confidence: c! / 100,
          margin: e! / 100,
          expectedRate: p / 100,
          method,
          population: N,
        },
      };
    }
    const m = parseNumber(maxRate);
    const a = parseNumber(allowed);
    if (!inOpen(m, 0, 100)) return { invalid: "planner.invalid.maxRate" as const };
    if (!isCount(a)) return { invalid: "planner.invalid.allowed" as const };
    return { body: { goal, confidence: c! / 100, maxRate: m! / 100, allowedErrors: a, population: N } };
  }, [goal, confidence, margin, expected, method, population, maxRate, allowed]);
  const bodyText = useDebounced(request.body ? JSON.stringify(request.body) : "", 200);
  const result = useAsync(
    (signal) => api<SampleSizeResult>("POST", "/v1/sample-size", { json: JSON.parse(bodyText), signal }),
    [bodyText],
    bodyText !== "",
  );
  const r = request.body && bodyText === JSON.stringify(request.body) ? result.data : undefined;

  return (
    <Section title={t("planner.sampleSize.title")}>
      <p class="lead">{t("planner.sampleSize.intro")}</p>
      <div class="calc">
        <form class="grid" onSubmit={(e) => e.preventDefault()} aria-label={t("planner.sampleSize.title")}>
          <SelectField
            label={t("planner.goal")}
            value={goal}
            onValue={setGoal}
            options={[
              { value: "estimate", label: t("planner.goal.estimate") },
              { value: "demonstrate", label: t("planner.goal.demonstrate") },
            ]}
          />
          <Field
            label={t("planner.confidence")}
            value={confidence}
            onValue={setConfidence}
            inputMode="decimal"
            suffix="%"
            name="confidence"
          />
          {goal === "estimate" ? (
            <>
              <Field
                label={t("planner.margin")}
                value={margin}
                onValue={setMargin}
                inputMode="decimal"
                suffix="± %"
                name="margin"
                hint={t("planner.margin.hint")}
              />
              <Field
                label={t("planner.expected")}
                value={expected}
                onValue={setExpected}
                inputMode="decimal"
                suffix="%"
                name="expected"
                hint={t("planner.expected.hint")}
              />
              <SelectField
                label={t("planner.method")}
                value={method}
                onValue={setMethod}
                name="method"
                options={[
                  { value: "wald", label: t("method.size.wald") },
                  { value: "wilson", label: t("method.size.wilson") },
                  { value: "clopper-pearson", label: t("method.size.clopper-pearson") },
                ]}
              />
            </>
          ) : (
            <>
              <Field
                label={t("planner.maxRate")}
                value={maxRate}
                onValue={setMaxRate}
                inputMode="decimal"
                suffix="%"
                name="maxRate"
              />
              <Field
                label={t("planner.allowed")}
                value={allowed}
                onValue={setAllowed}
                inputMode="numeric"
                name="allowed"
              />
            </>
          )}
          <Field
            label={t("planner.population")}
            value={population}
            onValue={setPopulation}
            inputMode="numeric"
            name="population"
            hint={t("planner.population.hint")}
          />
        </form>
        <div class="result" aria-live="polite">
          {"invalid" in request && request.invalid ? (
            <p class="notice">{t(request.invalid)}</p>
          ) : (
            <>
              <p class="big">
                <span class="big-label">{t("planner.sampleSize.n")}</span>
                <output data-testid="sample-size-n">{r ? fmt.integer(r.n) : "…"}</output>
              </p>
              {r && <SampleSizeExplanation r={r} />}
            </>
          )}
          <ErrorBox error={result.error} />
        </div>
      </div>
    </Section>
  );
}

function SampleSizeExplanation({ r }: { r: SampleSizeResult }) {
  const { t, fmt } = useI18n();
  const conf = fmt.percent(r.confidence, 2);
  if (r.goal === "demonstrate") {
    return (
      <div class="explain">
        <p>
          <code>
            {r.distribution === "hypergeometric"
              ? SAMPLE_SIZE_FORMULAS.hypergeometric
              : SAMPLE_SIZE_FORMULAS.binomial}
          </code>
        </p>
        <p>
          {t("planner.demonstrate.reading", {
            n: fmt.integer(r.n),
            c: fmt.integer(r.allowedErrors ?? 0),
            rate: fmt.percent(r.maxRate ?? 0, 3),
            confidence: conf,
          })}
        </p>
        <p class="hint">{t("planner.demonstrate.risk", { risk: fmt.number(r.achievedRisk ?? 0, 4) })}</p>
        <h3>{t("planner.assumptions")}</h3>
        <ul>
          <li>{t("planner.assume.random")}</li>
          <li>{t("planner.assume.independent")}</li>
          <li>
            {r.population
              ? t("planner.assume.hypergeometric", { N: fmt.integer(r.population) })
              : t("planner.assume.binomial")}
          </li>
        </ul>
      </div>
    );
  }
  const p = r.expectedRate ?? 0.5;
  const e = r.margin ?? 0;
  return (
    <div class="explain">
      {r.method === "wald" ? (
        <>
          <p>
            <code>{SAMPLE_SIZE_FORMULAS.cochran}</code>{" "}
            <span class="subst">
              = {fmt.number(r.z, 4)}² × {fmt.number(p, 4)} × {fmt.number(1 - p, 4)} / {fmt.number(e, 4)}² ={" "}
              {fmt.number(r.n0, 2)}
            </span>
          </p>
          {r.population ? (
            <p>
              <code>{SAMPLE_SIZE_FORMULAS.fpc}</code>{" "}
              <span class="subst">
                (N = {fmt.integer(r.population)}) → n = {fmt.integer(r.n)}
              </span>
            </p>
          ) : (
            <p>{t("planner.roundUp", { n: fmt.integer(r.n) })}</p>
          )}
        </>
      ) : (
        <p>
          <code>{SAMPLE_SIZE_FORMULAS.exact}</code> ({t(`method.size.${r.method as "wilson"}`)})
        </p>
      )}
      <p>
        {t("planner.estimate.reading", { n: fmt.integer(r.n), margin: fmt.percent(e, 2), confidence: conf })}
      </p>
      {r.note && (
        <p class="notice technical" lang="en">
          {r.note}
        </p>
      )}
      <h3>{t("planner.assumptions")}</h3>
      <ul>
        <li>{t("planner.assume.random")}</li>
        <li>{t("planner.assume.independent")}</li>
        <li>{t("planner.assume.expected", { p: fmt.percent(p, 2) })}</li>
        <li>
          {r.population
            ? t("planner.assume.fpc", { N: fmt.integer(r.population) })
            : t("planner.assume.infinite")}
        </li>
        <li>{t("planner.assume.z", { z: fmt.number(r.z, 4), confidence: conf })}</li>
      </ul>
    </div>
  );
}

const INTERVAL_METHODS = ["wilson", "wald", "clopper-pearson", "agresti-coull", "jeffreys"] as const;
type IntervalMethod = (typeof INTERVAL_METHODS)[number];

function IntervalCalculator() {
  const { t, fmt } = useI18n();
  const [count, setCount] = useState("12");
  const [n, setN] = useState("400");
  const [confidence, setConfidence] = useState("95");
  const [method, setMethod] = useState<IntervalMethod>("wilson");
  const request = useMemo(() => {
    const x = parseNumber(count);
    const size = parseNumber(n);
    const c = parseNumber(confidence);
    if (!isCount(size, 1)) return { invalid: "planner.invalid.n" as const };
    if (!isCount(x) || x! > size!) return { invalid: "planner.invalid.count" as const };
    if (!inOpen(c, 0, 100)) return { invalid: "planner.invalid.confidence" as const };
    return { body: { count: x, n: size, confidence: c! / 100, method } };
  }, [count, n, confidence, method]);
  const bodyText = useDebounced(request.body ? JSON.stringify(request.body) : "", 200);
  const result = useAsync(
    (signal) =>
      api<{ estimate: number; lower: number; upper: number; method: string; confidence: number }>(
        "POST",
        "/v1/interval",
        { json: JSON.parse(bodyText), signal },
      ),
    [bodyText],
    bodyText !== "",
  );
  const r = request.body && bodyText === JSON.stringify(request.body) ? result.data : undefined;
  return (
    <Section title={t("planner.interval.title")}>
      <p class="lead">{t("planner.interval.intro")}</p>
      <div class="calc">
        <form class="grid" onSubmit={(e) => e.preventDefault()} aria-label={t("planner.interval.title")}>
          <Field
            label={t("planner.errors")}
            value={count}
            onValue={setCount}
            inputMode="numeric"
            name="count"
          />
          <Field label={t("planner.audited")} value={n} onValue={setN} inputMode="numeric" name="n" />
          <Field
            label={t("planner.confidence")}
            value={confidence}
            onValue={setConfidence}
            inputMode="decimal"
            suffix="%"
          />
          <SelectField
            label={t("planner.method")}
            value={method}
            onValue={setMethod}
            options={INTERVAL_METHODS.map((m) => ({ value: m, label: t(`method.interval.${m}`) }))}
          />
        </form>
        <div class="result" aria-live="polite">
          {"invalid" in request && request.invalid ? (
            <p class="notice">{t(request.invalid)}</p>
          ) : (
            <>
              <p class="big">
                <span class="big-label">{t("planner.interval.rate")}</span>
                <output data-testid="interval-estimate">{r ? fmt.percent(r.estimate, 2) : "…"}</output>
              </p>
              {r && (
                <p data-testid="interval-range">
                  {t("planner.interval.range", {
                    confidence: fmt.percent(r.confidence, 2),
                    lower: fmt.percent(r.lower, 2),
                    upper: fmt.percent(r.upper, 2),
                  })}
                </p>
              )}
              <p>
                <code>{INTERVAL_FORMULAS[method]}</code>
              </p>
              <p class="hint">{t(`method.interval.${method}.note`)}</p>
            </>
          )}
          <ErrorBox error={result.error} />
        </div>
      </div>
    </Section>
  );
}

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
}

type AllocationMethod = "proportional" | "neyman" | "equal";

/** The allocation choice, shared by the allocation calculator and the sample draw. */
function AllocationMethodField({
  value,
  onValue,
}: {
  value: AllocationMethod;
  onValue: (v: AllocationMethod) => void;
}) {
  const { t } = useI18n();
  return (
    <SelectField
      label={t("planner.allocationMethod")}
      value={value}
      onValue={onValue}
      options={[
        { value: "proportional", label: t("allocation.proportional") },
        { value: "neyman", label: t("allocation.neyman") },
        { value: "equal", label: t("allocation.equal") },
      ]}
    />
  );
}

function AllocationCalculator() {
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
  const bodyText = useDebounced(request.body ? JSON.stringify(request.body) : "", 250);
  const result = useAsync(
    (signal) => api<AllocationResult>("POST", "/v1/allocation", { json: JSON.parse(bodyText), signal }),
    [bodyText],
    bodyText !== "",
  );
  const r = request.body && bodyText === JSON.stringify(request.body) ? result.data : undefined;
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
              <Field label={t("planner.total")} value={total} onValue={setTotal} inputMode="numeric" />
            ) : (
              <>
                <Field
                  label={t("planner.margin")}
                  value={margin}
                  onValue={setMargin}
                  inputMode="decimal"
                  suffix="± %"
                />
                <Field
                  label={t("planner.confidence")}
                  value={confidence}
                  onValue={setConfidence}
                  inputMode="decimal"
                  suffix="%"
                />
              </>
            )}
            <Field
              label={t("planner.minPerStratum")}
              value={minimum}
              onValue={setMinimum}
              inputMode="numeric"
            />
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
              {r?.notes.map((note) => (
                <p key={note} class="notice technical" lang="en">
                  {note}
                </p>
              ))}
            </>
          )}
          <ErrorBox error={result.error} />
        </div>
      </div>
    </Section>
  );
}

interface Population {
  id: string;
  name: string | null;
  count: number;
  /** Attribute → number of distinct values. */
  attributes: Record<string, number>;
  createdAt: string;
}
interface Sample {
  id: string;
  population: string;
  seed: string;
  n: number;
  strata: { key: string; size: number; n: number; expectedRate?: number }[];
  notes: string[];
  createdAt: string;
}
interface Assignment {
  n: number;
  loads: { auditor: string; items: number }[];
  balanced: boolean;
  notes: string[];
}

/** Upload (or pick) a population, choose strata and allocation, draw, assign auditors, download the items. */
function SampleDraw() {
  const { t, fmt } = useI18n();
  const populations = useAsync(
    (signal) => api<{ populations: Population[] }>("GET", "/v1/populations", { signal }),
    [],
  );
  const [name, setName] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [population, setPopulation] = useState<Population | null>(null);
  const [strataBy, setStrataBy] = useState<string[]>([]);
  const [allocation, setAllocation] = useState<AllocationMethod>("proportional");
  const [mode, setMode] = useState<"total" | "margin" | "perStratum">("margin");
  const [total, setTotal] = useState("400");
  const [confidence, setConfidence] = useState("95");
  const [margin, setMargin] = useState("5");
  const [expected, setExpected] = useState("50");
  const [minimum, setMinimum] = useState("");
  const [seed, setSeed] = useState("");
  const [sample, setSample] = useState<Sample | null>(null);
  const [auditors, setAuditors] = useState("");
  const [assigned, setAssigned] = useState<Assignment | null>(null);

  const choose = (p: Population | null) => {
    setPopulation(p);
    setStrataBy([]);
    setSample(null);
    setAssigned(null);
  };

  const strataColumns: Column<Sample["strata"][number]>[] = [
    { key: "key", label: t("planner.stratum"), sortValue: (s) => s.key, render: (s) => s.key },
    {
      key: "size",
      label: t("planner.stratumSize"),
      numeric: true,
      sortValue: (s) => s.size,
      render: (s) => fmt.integer(s.size),
    },
    {
      key: "n",
      label: t("planner.allocated"),
      numeric: true,
      sortValue: (s) => s.n,
      render: (s) => fmt.integer(s.n),
    },
    {
      key: "fraction",
      label: t("planner.samplingFraction"),
      numeric: true,
      sortValue: (s) => (s.size > 0 ? s.n / s.size : null),
      render: (s) => (s.size > 0 ? fmt.percent(s.n / s.size, 2) : "–"),
    },
  ];

  const problem = useMemo(() => {
    if (mode === "total" && !isCount(parseNumber(total), 1)) return "planner.invalid.total" as const;
    if (mode !== "total") {
      if (!inOpen(parseNumber(margin), 0, 50)) return "planner.invalid.margin" as const;
      if (!inOpen(parseNumber(confidence), 0, 100)) return "planner.invalid.confidence" as const;
      const p = parseNumber(expected);
      if (p === undefined || p < 0 || p > 100) return "planner.invalid.expected" as const;
    }
    if (minimum.trim() !== "" && !isCount(parseNumber(minimum))) return "planner.invalid.minimum" as const;
    return undefined;
  }, [mode, total, margin, confidence, expected, minimum]);

  const drawBody = () => {
    const body: Record<string, unknown> = { population: population!.id };
    if (strataBy.length > 0) body.strata = strataBy;
    const sizing = {
      confidence: parseNumber(confidence)! / 100,
      margin: parseNumber(margin)! / 100,
      expectedRate: parseNumber(expected)! / 100,
    };
    if (mode === "perStratum") body.perStratum = sizing;
    else {
      body.allocation = allocation;
      if (mode === "total") body.total = parseNumber(total);
      else Object.assign(body, sizing);
    }
    if (minimum.trim() !== "") body.minPerStratum = parseNumber(minimum);
    if (seed.trim() !== "") body.seed = seed.trim();
    return body;
  };

  const list = populations.data?.populations ?? [];
  return (
    <Section title={t("planner.draw.title")}>
      <p class="lead">{t("planner.draw.intro")}</p>
      <h3>{t("planner.draw.step1")}</h3>
      {list.length > 0 && (
        <SelectField
          label={t("planner.existingPopulation")}
          value={population?.id ?? ""}
          onValue={(id) => choose(list.find((p) => p.id === id) ?? null)}
          options={[
            { value: "", label: t("planner.choosePopulation") },
            ...list.map((p) => ({
              value: p.id,
              label: t("planner.populationOption", { name: p.name ?? p.id, count: fmt.integer(p.count) }),
            })),
          ]}
        />
      )}
      <div class="grid">
        <Field label={t("planner.populationName")} value={name} onValue={setName} name="population-name" />
        <div class="field">
          <label for="population-file">{t("planner.populationFile")}</label>
          <input
            id="population-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
            aria-describedby="population-file-hint"
          />
          <span id="population-file-hint" class="hint">
            {t("planner.populationFile.hint")}
          </span>
        </div>
      </div>
      <ActionButton
        label={t("planner.upload")}
        disabled={!file}
        run={async () => {
          const uploaded = await api<Population>("POST", "/v1/populations", {
            query: { name: name.trim() || file!.name },
            body: file!,
            contentType: "text/csv",
          });
          choose(uploaded);
          populations.reload();
        }}
      />
      {population && (
        <>
          <p data-testid="population-summary">
            {t("planner.populationLoaded", {
              id: population.name ?? population.id,
              count: fmt.integer(population.count),
            })}
          </p>
          <h3>{t("planner.draw.step2")}</h3>
          <fieldset class="checks">
            <legend>{t("planner.strataBy")}</legend>
            {Object.keys(population.attributes).length === 0 && (
              <p class="hint">{t("planner.noAttributes")}</p>
            )}
            {Object.entries(population.attributes).map(([attribute, distinct]) => (
              <Checkbox
                key={attribute}
                label={t("planner.attribute", { name: attribute, n: fmt.integer(distinct) })}
                checked={strataBy.includes(attribute)}
                onChecked={(on) =>
                  setStrataBy((all) => (on ? [...all, attribute] : all.filter((a) => a !== attribute)))
                }
              />
            ))}
          </fieldset>
          <div class="grid">
            <SelectField
              label={t("planner.sizeFrom")}
              value={mode}
              onValue={setMode}
              options={[
                { value: "margin", label: t("planner.sizeFrom.margin") },
                { value: "total", label: t("planner.sizeFrom.total") },
                { value: "perStratum", label: t("planner.sizeFrom.perStratum") },
              ]}
            />
            {mode !== "perStratum" && <AllocationMethodField value={allocation} onValue={setAllocation} />}
            {mode === "total" ? (
              <Field label={t("planner.total")} value={total} onValue={setTotal} inputMode="numeric" />
            ) : (
              <>
                <Field
                  label={t("planner.confidence")}
                  value={confidence}
                  onValue={setConfidence}
                  inputMode="decimal"
                  suffix="%"
                />
                <Field
                  label={t("planner.margin")}
                  value={margin}
                  onValue={setMargin}
                  inputMode="decimal"
                  suffix="± %"
                />
                <Field
                  label={t("planner.expected")}
                  value={expected}
                  onValue={setExpected}
                  inputMode="decimal"
                  suffix="%"
                />
              </>
            )}
            <Field
              label={t("planner.minPerStratum")}
              value={minimum}
              onValue={setMinimum}
              inputMode="numeric"
            />
            <Field label={t("planner.seed")} value={seed} onValue={setSeed} hint={t("planner.seed.hint")} />
          </div>
          <p class="hint">
            {t(mode === "perStratum" ? "planner.perStratum.note" : `allocation.${allocation}.note`)}
          </p>
          {problem && <p class="notice">{t(problem)}</p>}
          <ActionButton
            label={t("planner.drawButton")}
            disabled={!!problem}
            testId="draw-sample"
            run={async () => {
              setSample(await api<Sample>("POST", "/v1/samples", { json: drawBody() }));
              setAssigned(null);
            }}
          />
        </>
      )}
      {sample && (
        <>
          <h3>{t("planner.draw.step3")}</h3>
          <p data-testid="sample-summary">
            {t("planner.sampleDrawn", { id: sample.id, n: fmt.integer(sample.n), seed: sample.seed })}
          </p>
          <SortableTable
            columns={strataColumns}
            rows={sample.strata}
            rowKey={(s) => s.key}
            caption={t("planner.sampleStrata")}
          />
          {sample.notes.map((note) => (
            <p key={note} class="hint technical" lang="en">
              {note}
            </p>
          ))}
          <TextArea
            label={t("planner.assignTo")}
            value={auditors}
            onValue={setAuditors}
            rows={2}
            hint={t("planner.assignTo.hint")}
          />
          <div class="buttons">
            <ActionButton
              label={t("planner.assign")}
              disabled={auditors.trim() === ""}
              run={async () => {
                const names = auditors
                  .split(/[\n,]/)
                  .map((a) => a.trim())
                  .filter(Boolean);
                setAssigned(
                  await api<Assignment>("POST", `/v1/samples/${encodeURIComponent(sample.id)}/assign`, {
                    json: { auditors: names },
                  }),
                );
              }}
            />
            <ActionButton
              kind="secondary"
              label={t("planner.downloadItems")}
              run={() =>
                download(`/v1/samples/${encodeURIComponent(sample.id)}/items`, `sample-${sample.id}.csv`, {
                  format: "csv",
                })
              }
            />
          </div>
          {assigned && (
            <div class="success" role="status">
              <p>{t("planner.assigned", { n: fmt.integer(assigned.n) })}</p>
              <ul>
                {assigned.loads.map((l) => (
                  <li key={l.auditor}>
                    {t("planner.load", { auditor: l.auditor, items: fmt.integer(l.items) })}
                  </li>
                ))}
              </ul>
              {assigned.notes.map((note) => (
                <p key={note} class="technical" lang="en">
                  {note}
                </p>
              ))}
            </div>
          )}
        </>
      )}
    </Section>
  );
}

export function PlannerPage() {
  const { t } = useI18n();
  const { me } = useSession();
  return (
    <div>
      <h1>{t("planner.title")}</h1>
      <p class="lead">{t("planner.intro")}</p>
      <SampleSizeCalculator />
      <IntervalCalculator />
      <AllocationCalculator />
      {atLeast(me, "lead") && <SampleDraw />}
    </div>
  );
}
