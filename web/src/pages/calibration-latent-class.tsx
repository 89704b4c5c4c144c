import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { ErrorBox, Loading, SelectField, useAsync } from "../components/ui.tsx";
import { useI18n } from "../i18n/index.ts";

type Label = string | number;

/** GET /v1/calibrations/{id}/latent-class (the parts shown here). */
interface LatentClass {
  gold: "fixed" | "ignored";
  classes: Label[];
  priors: number[];
  raters: { rater: string; ratings: number; confusion: number[][]; estimatedAccuracy: number }[];
  goldItems: number;
  converged: boolean;
  iterations: number;
  logLikelihood: number;
}

/** Each rater's accuracy against gold, from the report, to show beside the estimate. */
export interface GoldAccuracy {
  rater: string;
  accuracy: number | null;
}

/**
 * Dawid–Skene beside the gold-based figures of a closed session's report: each rater's estimated accuracy
 * (Σ π_j θ_jj) next to the accuracy against gold, and each rater's estimated confusion matrix (rows = true class).
 */
export function LatentClassPanel({ sessionId, gold }: { sessionId: string; gold: GoldAccuracy[] }) {
  const { t, fmt } = useI18n();
  const [goldUse, setGoldUse] = useState<"fixed" | "ignored">("fixed");
  const fit = useAsync(
    (signal) =>
      api<LatentClass>("GET", `/v1/calibrations/${encodeURIComponent(sessionId)}/latent-class`, {
        query: { gold: goldUse === "fixed" ? undefined : goldUse },
        signal,
      }),
    [sessionId, goldUse],
  );
  const f = fit.data;
  const goldOf = new Map(gold.map((g) => [g.rater, g.accuracy]));
  return (
    <div class="latent-class" data-testid="latent-class">
      <h3>{t("latentClass.title")}</h3>
      <p class="hint">{t("latentClass.explain")}</p>
      <SelectField
        label={t("latentClass.goldUse")}
        value={goldUse}
        onValue={setGoldUse}
        options={[
          { value: "fixed", label: t("latentClass.goldFixed") },
          { value: "ignored", label: t("latentClass.goldIgnored") },
        ]}
      />
      <Loading when={fit.loading} />
      <ErrorBox error={fit.error} />
      {f && (
        <>
          <div class="table-wrap">
            <table data-testid="latent-class-raters">
              <caption>{t("latentClass.raterTable")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("calibration.rater")}</th>
                  <th scope="col" class="num">
                    {t("latentClass.estimatedAccuracy")}
                  </th>
                  <th scope="col" class="num">
                    {t("calibration.goldAccuracy")}
                  </th>
                  <th scope="col" class="num">
                    {t("calibration.rated")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {f.raters.map((r) => (
                  <tr key={r.rater}>
                    <th scope="row">{r.rater}</th>
                    <td class="num">{fmt.percent(r.estimatedAccuracy, 1)}</td>
                    <td class="num">{fmt.percent(goldOf.get(r.rater) ?? null, 1)}</td>
                    <td class="num">{fmt.integer(r.ratings)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="hint">
            {t("latentClass.fitNote", {
              priors: f.classes.map((c, j) => `${String(c)} ${fmt.percent(f.priors[j], 1)}`).join(", "),
              iterations: fmt.integer(f.iterations),
              logLikelihood: fmt.fixed(f.logLikelihood, 3),
              gold: fmt.integer(f.goldItems),
            })}{" "}
            {f.converged ? "" : t("latentClass.notConverged")}
          </p>
          <p class="hint">{t("latentClass.confusionHint")}</p>
          {/* Wider cells than .grid's 220 px: a matrix of four classes needs about 340 px. */}
          <div class="grid" style={{ gridTemplateColumns: "repeat(auto-fill, minmax(340px, 1fr))" }}>
            {f.raters.map((r) => (
              <div class="table-wrap" key={r.rater}>
                <table data-testid="latent-class-confusion" data-rater={r.rater}>
                  <caption>{t("latentClass.confusion", { rater: r.rater })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("latentClass.trueGiven")}</th>
                      {f.classes.map((c) => (
                        <th scope="col" class="num" key={String(c)}>
                          {String(c)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {f.classes.map((c, j) => (
                      <tr key={String(c)}>
                        <th scope="row">{String(c)}</th>
                        {r.confusion[j].map((x, l) => (
                          <td class="num" key={String(f.classes[l])}>
                            {l === j ? <strong>{fmt.percent(x, 0)}</strong> : fmt.percent(x, 0)}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
