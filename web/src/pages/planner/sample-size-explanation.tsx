import { SAMPLE_SIZE_FORMULAS } from "../../formulas.ts";
import { useI18n } from "../../i18n/index.ts";
import { Notices } from "./notices.tsx";

/** The answer of `POST /v1/sample-size`. */
export interface SampleSizeResult {
  n: number;
  n0?: number;
  z?: number;
  method: string;
  confidence: number;
  margin?: number;
  expectedRate?: number;
  population?: number | null;
  note?: string;
  /** The code of `note`, for the page's language. */
  noteCode?: string;
  goal: "estimate" | "demonstrate";
  maxRate?: number;
  allowedErrors?: number;
  achievedRisk?: number;
  distribution?: "binomial" | "hypergeometric";
}

/** How a sample size to demonstrate a maximum error rate was found, and what it assumes. */
export function DemonstrateExplanation({ r }: { r: SampleSizeResult }) {
  const { t, fmt } = useI18n();
  const conf = fmt.percent(r.confidence, 2);
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

/** How a sample size to estimate an error rate was found (the formula with its numbers), and what it assumes. */
export function EstimateExplanation({ r }: { r: SampleSizeResult }) {
  const { t, fmt } = useI18n();
  const conf = fmt.percent(r.confidence, 2);
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
      {r.note && <Notices notices={[{ code: r.noteCode ?? "", params: {}, message: r.note }]} />}
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
