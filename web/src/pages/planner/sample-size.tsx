import { useMemo, useState } from "preact/hooks";
import { ESTIMATE_METHODS, type EstimateMethod } from "../../../../stats/methods.ts";
import { CountField, ErrorBox, PercentField, Section, SelectField } from "../../components/ui.tsx";
import { inOpen, isCount, parseNumber } from "../../forms.ts";
import { useLiveResult } from "../../hooks.ts";
import { useI18n } from "../../i18n/index.ts";
import {
  DemonstrateExplanation,
  EstimateExplanation,
  type SampleSizeResult,
} from "./sample-size-explanation.tsx";

/** Sample size to estimate an error rate within a margin, or to demonstrate it is below a maximum. */
export function SampleSizeCalculator() {
  const { t, fmt } = useI18n();
  const [goal, setGoal] = useState<"estimate" | "demonstrate">("estimate");
  const [confidence, setConfidence] = useState("95");
  const [margin, setMargin] = useState("5");
  const [expected, setExpected] = useState("50");
  const [method, setMethod] = useState<EstimateMethod>("wald");
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
  const result = useLiveResult<SampleSizeResult>("/v1/sample-size", request.body, 200);
  const r = result.data;

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
          <PercentField
            label={t("planner.confidence")}
            value={confidence}
            onValue={setConfidence}
            name="confidence"
          />
          {goal === "estimate" ? (
            <>
              <PercentField
                label={t("planner.margin")}
                value={margin}
                onValue={setMargin}
                suffix="± %"
                name="margin"
                hint={t("planner.margin.hint")}
              />
              <PercentField
                label={t("planner.expected")}
                value={expected}
                onValue={setExpected}
                name="expected"
                hint={t("planner.expected.hint")}
              />
              <SelectField
                label={t("planner.method")}
                value={method}
                onValue={setMethod}
                name="method"
                options={ESTIMATE_METHODS.map((m) => ({ value: m, label: t(`method.size.${m}`) }))}
              />
            </>
          ) : (
            <>
              <PercentField
                label={t("planner.maxRate")}
                value={maxRate}
                onValue={setMaxRate}
                name="maxRate"
              />
              <CountField label={t("planner.allowed")} value={allowed} onValue={setAllowed} name="allowed" />
            </>
          )}
          <CountField
            label={t("planner.population")}
            value={population}
            onValue={setPopulation}
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
              {r &&
                (r.goal === "demonstrate" ? <DemonstrateExplanation r={r} /> : <EstimateExplanation r={r} />)}
            </>
          )}
          <ErrorBox error={result.error} />
        </div>
      </div>
    </Section>
  );
}
