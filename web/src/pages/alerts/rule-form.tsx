import { useEffect, useRef, useState } from "preact/hooks";
import { PROPORTION_CHART_TYPES } from "../../../../stats/spc/chart-types.ts";
import { api } from "../../api.ts";
import { ERROR_TYPES } from "../../components/filters.tsx";
import {
  ActionButton,
  Checkbox,
  CountField,
  Field,
  PercentField,
  SelectField,
  useCodeLabel,
} from "../../components/ui.tsx";
import { useI18n } from "../../i18n/index.ts";
import { DesignFields } from "./design-fields.tsx";
import {
  AGREEMENT_STATISTICS,
  changedFields,
  draftOf,
  GROUP_BY_FIELDS,
  MULTIPLICITIES,
  NEW_DRAFT,
  type RuleDraft,
  ruleOf,
  runRulesOf,
  SCOPE_FIELDS,
} from "./rule-draft.ts";
import { RulePreview } from "./rule-preview.tsx";
import { CONDITION_KINDS, type Rule, SEVERITIES } from "./types.ts";

/**
 * The rule editor: every condition the API takes (threshold with point or lower-bound evidence, control
 * charts with their run rules, baseline, zone and EWMA/CUSUM/Bernoulli design, calibration agreement, single
 * audits, an auditor's accuracy on gold items), the scope, groupBy,
 * severity, pending / keep-firing evaluations, repeat interval and enabled; with a live preview. Creates a rule
 * (POST) or, given `rule`, changes it (PATCH: the condition is replaced whole).
 */
export function RuleForm({ rule, onSaved, onCancel }: { rule?: Rule; onSaved(): void; onCancel(): void }) {
  const { t } = useI18n();
  const code = useCodeLabel();
  const [draft, setDraft] = useState<RuleDraft>(() => (rule ? draftOf(rule) : NEW_DRAFT));
  const set =
    <K extends keyof RuleDraft>(field: K) =>
    (value: RuleDraft[K]) =>
      setDraft((d) => ({ ...d, [field]: value }));
  const setScope = (field: keyof RuleDraft["scope"]) => (value: string) =>
    setDraft((d) => ({ ...d, scope: { ...d.scope, [field]: value } }));
  const toggle =
    (field: "groupBy" | "runRules" | "errorTypes", value: string, all: readonly string[]) => (on: boolean) =>
      setDraft((d) => ({ ...d, [field]: all.filter((v) => (v === value ? on : d[field].includes(v))) }));
  const built = ruleOf(draft);
  const valid = "rule" in built ? built.rule : undefined;
  const { kind } = draft;
  const rateRule = kind === "threshold" || kind === "chart";
  const runRules = runRulesOf(draft.chartType);
  const form = useRef<HTMLFormElement>(null);
  // The editor opens above the table: take the focus there (keyboard and screen-reader users land on it).
  useEffect(() => form.current?.querySelector("input")?.focus(), []);
  return (
    <form
      ref={form}
      class="subform rule-form"
      onSubmit={(e) => e.preventDefault()}
      aria-label={rule ? t("rules.editing", { name: rule.name }) : t("alerts.newRule")}
      data-testid="rule-form"
    >
      <div class="grid">
        <Field label={t("alerts.ruleName")} value={draft.name} onValue={set("name")} name="rule-name" />
        <SelectField
          label={t("alerts.kind")}
          value={kind}
          onValue={set("kind")}
          name="rule-kind"
          options={CONDITION_KINDS.map((k) => ({
            value: k,
            label: t(`alerts.kind.${k}`),
          }))}
        />
        <SelectField
          label={t("alerts.severity")}
          value={draft.severity}
          onValue={set("severity")}
          name="rule-severity"
          options={SEVERITIES.map((s) => ({ value: s, label: t(`alerts.severity.${s}`) }))}
        />
      </div>
      {kind === "threshold" && (
        <fieldset class="grid">
          <legend>{t("alerts.kind.threshold")}</legend>
          <PercentField
            label={t("alerts.maxRate")}
            value={draft.maxRate}
            onValue={set("maxRate")}
            name="max-rate"
          />
          <CountField
            label={t("alerts.windowDays")}
            value={draft.days}
            onValue={set("days")}
            name="window-days"
          />
          <CountField
            label={t("alerts.minAudited")}
            value={draft.minAudited}
            onValue={set("minAudited")}
            name="min-audited"
          />
          <SelectField
            label={t("rules.evidence")}
            value={draft.evidence}
            onValue={set("evidence")}
            name="evidence"
            hint={t(`rules.evidence.${draft.evidence}.hint`)}
            options={[
              { value: "point", label: t("rules.evidence.point") },
              { value: "lower-bound", label: t("rules.evidence.lower-bound") },
            ]}
          />
          {draft.evidence === "lower-bound" && (
            <PercentField
              label={t("rules.confidence")}
              value={draft.confidence}
              onValue={set("confidence")}
              name="confidence"
            />
          )}
        </fieldset>
      )}
      {kind === "chart" && (
        <fieldset>
          <legend>{t("alerts.kind.chart")}</legend>
          <div class="grid">
            <SelectField
              label={t("charts.type")}
              value={draft.chartType}
              onValue={set("chartType")}
              name="chart-type"
              options={PROPORTION_CHART_TYPES.map((c) => ({ value: c, label: t(`chartType.${c}`) }))}
            />
            <SelectField
              label={t("rules.interval")}
              value={draft.interval}
              onValue={set("interval")}
              name="interval"
              options={[
                { value: "day", label: t("rules.interval.day") },
                { value: "week", label: t("rules.interval.week") },
              ]}
            />
            <CountField
              label={t("rules.baselinePeriods")}
              value={draft.baselinePeriods}
              onValue={set("baselinePeriods")}
              name="baseline-periods"
              hint={t("rules.baselinePeriods.hint")}
            />
            <Field
              label={t("rules.timeZone")}
              value={draft.timeZone}
              onValue={set("timeZone")}
              name="time-zone"
              hint={t("rules.timeZone.hint")}
            />
            {draft.chartType === "bernoulli-cusum" && (
              <>
                <Field
                  label={t("rules.bernoulli.p0")}
                  value={draft.bernoulliP0}
                  onValue={set("bernoulliP0")}
                  name="bernoulli-p0"
                />
                <Field
                  label={t("rules.bernoulli.p1")}
                  value={draft.bernoulliP1}
                  onValue={set("bernoulliP1")}
                  name="bernoulli-p1"
                  hint={t("charts.bernoulli.p1.hint")}
                />
                <Field
                  label={t("charts.bernoulli.targetArl0")}
                  value={draft.bernoulliTargetArl0}
                  onValue={set("bernoulliTargetArl0")}
                  name="bernoulli-target-arl0"
                  hint={t("charts.bernoulli.targetArl0.hint")}
                />
              </>
            )}
          </div>
          <DesignFields draft={draft} set={set} stored={rule} />
          <fieldset class="checks">
            <legend>{t("rules.runRules")}</legend>
            {runRules.map((r) => (
              <Checkbox
                key={r}
                label={code("rule", r)}
                checked={draft.runRules.includes(r)}
                onChecked={toggle("runRules", r, runRules)}
              />
            ))}
          </fieldset>
        </fieldset>
      )}
      {kind === "agreement" && (
        <fieldset class="grid">
          <legend>{t("alerts.kind.agreement")}</legend>
          <SelectField
            label={t("rules.statistic")}
            value={draft.statistic}
            onValue={set("statistic")}
            name="statistic"
            options={AGREEMENT_STATISTICS.map((s) => ({ value: s, label: t(`coef.${s}`) }))}
          />
          <Field
            label={t("alerts.ev.below")}
            value={draft.below}
            onValue={set("below")}
            name="below"
            inputMode="decimal"
            hint={t("rules.below.hint")}
          />
        </fieldset>
      )}
      {kind === "auditor-accuracy" && (
        <fieldset>
          <legend>{t("alerts.kind.auditor-accuracy")}</legend>
          <div class="grid">
            <PercentField
              label={t("rules.accuracy.below")}
              value={draft.accuracyBelow}
              onValue={set("accuracyBelow")}
              name="accuracy-below"
              hint={t("rules.accuracy.below.hint")}
            />
            <CountField
              label={t("rules.accuracy.minGold")}
              value={draft.minGold}
              onValue={set("minGold")}
              name="min-gold"
              hint={t("rules.accuracy.minGold.hint")}
            />
            <CountField
              label={t("alerts.windowDays")}
              value={draft.accuracyDays}
              onValue={set("accuracyDays")}
              name="accuracy-days"
            />
            <PercentField
              label={t("rules.confidence")}
              value={draft.confidence}
              onValue={set("confidence")}
              name="confidence"
            />
            <Field
              label={t("field.queue")}
              value={draft.scope.queue}
              onValue={setScope("queue")}
              name="scope-queue"
              hint={t("rules.accuracy.queue.hint")}
            />
          </div>
          <p class="hint">{t("rules.accuracy.hint")}</p>
        </fieldset>
      )}
      {kind === "audit" && (
        <fieldset>
          <legend>{t("alerts.kind.audit")}</legend>
          <div class="grid">
            <SelectField
              label={t("alerts.audit.minSeverity")}
              value={draft.minSeverity}
              onValue={set("minSeverity")}
              name="min-severity"
              options={[
                { value: "", label: t("alerts.audit.anySeverity") },
                ...(["1", "2", "3", "4"] as const).map((s) => ({
                  value: s,
                  label: t(`audit.severity.${s}`),
                })),
              ]}
            />
            <Field
              label={t("alerts.audit.queues")}
              hint={t("alerts.audit.listHint")}
              value={draft.queues}
              onValue={set("queues")}
              name="audit-queues"
            />
            <Field
              label={t("alerts.audit.policies")}
              hint={t("alerts.audit.listHint")}
              value={draft.policies}
              onValue={set("policies")}
              name="audit-policies"
            />
          </div>
          <fieldset class="checks">
            <legend>{t("alerts.audit.errorTypes")}</legend>
            {ERROR_TYPES.map((type) => (
              <Checkbox
                key={type}
                label={t(`errorType.${type}`)}
                checked={draft.errorTypes.includes(type)}
                onChecked={toggle("errorTypes", type, ERROR_TYPES)}
              />
            ))}
          </fieldset>
          <p class="hint">{t("alerts.audit.hint")}</p>
        </fieldset>
      )}
      {rateRule && (
        <fieldset>
          <legend>{t("alerts.scope")}</legend>
          <div class="grid">
            {SCOPE_FIELDS.map((field) => (
              <Field
                key={field}
                label={t(`field.${field}`)}
                value={draft.scope[field]}
                onValue={setScope(field)}
                name={`scope-${field}`}
                hint={t("rules.scope.any")}
              />
            ))}
            <SelectField
              label={t("rules.scope.errorType")}
              value={draft.scope.errorType}
              onValue={setScope("errorType")}
              name="scope-errorType"
              options={[
                { value: "", label: t("rules.scope.anyError") },
                ...ERROR_TYPES.map((type) => ({ value: type, label: t(`errorType.${type}`) })),
              ]}
            />
          </div>
          <fieldset class="checks">
            <legend>{t("alerts.groupBy")}</legend>
            {GROUP_BY_FIELDS.map((field) => (
              <Checkbox
                key={field}
                label={t(`field.${field}`)}
                checked={draft.groupBy.includes(field)}
                onChecked={toggle("groupBy", field, GROUP_BY_FIELDS)}
              />
            ))}
          </fieldset>
          <div class="grid">
            <SelectField
              label={t("rules.multiplicity")}
              value={draft.multiplicity}
              onValue={set("multiplicity")}
              name="multiplicity"
              hint={t("rules.multiplicity.hint")}
              options={MULTIPLICITIES.map((m) => ({
                value: m,
                label: t(m ? `rules.multiplicity.${m}` : "rules.multiplicity.default"),
              }))}
            />
            {draft.multiplicity !== "none" && (
              <PercentField label={t("rules.fdr")} value={draft.fdr} onValue={set("fdr")} name="fdr" />
            )}
          </div>
        </fieldset>
      )}
      <fieldset class="grid">
        <legend>{t("rules.lifecycle")}</legend>
        {kind !== "audit" && (
          <>
            <CountField
              label={t("rules.pending")}
              value={draft.pendingEvaluations}
              onValue={set("pendingEvaluations")}
              name="pending-evaluations"
            />
            <CountField
              label={t("rules.keepFiring")}
              value={draft.keepFiringEvaluations}
              onValue={set("keepFiringEvaluations")}
              name="keep-firing-evaluations"
            />
          </>
        )}
        <Field
          label={t("rules.repeat")}
          value={draft.repeatInterval}
          onValue={set("repeatInterval")}
          name="repeat-interval"
          placeholder="PT4H"
          hint={t("rules.repeat.hint")}
        />
        <Checkbox label={t("alerts.enabled")} checked={draft.enabled} onChecked={set("enabled")} />
      </fieldset>
      {"problem" in built && (
        <p class="notice" role="status">
          {t(built.problem)}
        </p>
      )}
      <RulePreview rule={valid} />
      <div class="buttons">
        <ActionButton
          label={rule ? t("rules.save") : t("alerts.createRule")}
          disabled={!valid}
          run={async () => {
            if (rule)
              await api("PATCH", `/v1/alert-rules/${encodeURIComponent(rule.id)}`, {
                json: changedFields(rule, valid!),
              });
            else await api("POST", "/v1/alert-rules", { json: valid });
            onSaved();
          }}
        />
        <button type="button" class="secondary" onClick={onCancel}>
          {t("rules.cancel")}
        </button>
      </div>
    </form>
  );
}
