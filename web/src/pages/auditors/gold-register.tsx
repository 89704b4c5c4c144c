import { useMemo, useState } from "preact/hooks";
import { api } from "../../api.ts";
import {
  ActionButton,
  ErrorBox,
  Field,
  Loading,
  Section,
  SelectField,
  TextArea,
  useAsync,
} from "../../components/ui.tsx";
import { plural, useI18n } from "../../i18n/index.ts";
import {
  type CalibrationDetail,
  type CalibrationSummary,
  ERROR_TYPES,
  type ErrorType,
  type GoldItem,
  labelText,
  type Outcome,
} from "./types.ts";

type Choice<T extends string> = T | "";

/** The outcome and error type choices of a known answer (the error type only after "incorrect"). */
function AnswerFields({
  outcome,
  errorType,
  onOutcome,
  onErrorType,
  name,
}: {
  outcome: Choice<Outcome>;
  errorType: Choice<ErrorType>;
  onOutcome(value: Choice<Outcome>): void;
  onErrorType(value: Choice<ErrorType>): void;
  name: string;
}) {
  const { t } = useI18n();
  return (
    <>
      <SelectField<Choice<Outcome>>
        label={t("gold.outcome")}
        value={outcome}
        onValue={onOutcome}
        name={`${name}-outcome`}
        options={[
          { value: "", label: t("gold.choose") },
          { value: "correct", label: t("audit.outcome.correct") },
          { value: "incorrect", label: t("audit.outcome.incorrect") },
        ]}
      />
      {outcome === "incorrect" && (
        <SelectField<Choice<ErrorType>>
          label={t("audit.errorType")}
          value={errorType}
          onValue={onErrorType}
          name={`${name}-error-type`}
          options={[
            { value: "", label: t("gold.choose") },
            ...ERROR_TYPES.map((type) => ({ value: type, label: t(`errorType.${type}`) })),
          ]}
        />
      )}
    </>
  );
}

const EMPTY = {
  decisionId: "",
  queue: "",
  moderator: "",
  label: "",
  policy: "",
  market: "",
  url: "",
  content: "",
  correctPolicy: "",
  notes: "",
};
type TextFields = typeof EMPTY;

/** Registers one gold item by hand: the decision as the work queue shows it, and its known-correct verdict. */
export function GoldForm({ onRegistered }: { onRegistered(): void }) {
  const { t } = useI18n();
  const [text, setText] = useState<TextFields>(EMPTY);
  const [outcome, setOutcome] = useState<Choice<Outcome>>("");
  const [errorType, setErrorType] = useState<Choice<ErrorType>>("");
  const [severity, setSeverity] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const set = (key: keyof TextFields) => (value: string) => {
    setText((all) => ({ ...all, [key]: value }));
    setDone(null);
  };
  const problem =
    text.decisionId.trim() === "" || text.queue.trim() === "" || text.moderator.trim() === ""
      ? ("gold.problem.decision" as const)
      : outcome === "" || (outcome === "incorrect" && errorType === "")
        ? ("gold.problem.answer" as const)
        : undefined;
  const field = (key: keyof TextFields, label: string, hint?: string) => (
    <Field label={label} value={text[key]} onValue={set(key)} name={`gold-${key}`} hint={hint} />
  );
  const register = async () => {
    const item: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(text)) if (value.trim() !== "") item[key] = value.trim();
    item.outcome = outcome;
    if (outcome === "incorrect") item.errorType = errorType;
    if (severity !== "") item.severity = Number(severity);
    const { items } = await api<{ items: GoldItem[] }>("POST", "/v1/gold", { json: { items: [item] } });
    setText(EMPTY);
    setOutcome("");
    setErrorType("");
    setSeverity("");
    setDone(items[0]?.decisionId ?? "");
    onRegistered();
  };
  return (
    <Section title={t("gold.form")}>
      <p class="hint">{t("gold.form.hint")}</p>
      <div class="grid" data-testid="gold-form">
        {field("decisionId", t("gold.field.decisionId"))}
        {field("queue", t("field.queue"))}
        {field("moderator", t("field.moderator"), t("gold.field.moderator.hint"))}
        {field("label", t("gold.field.label"))}
        {field("policy", t("field.policy"))}
        {field("market", t("field.market"))}
        {field("url", t("gold.field.url"))}
        <AnswerFields
          outcome={outcome}
          errorType={errorType}
          onOutcome={(v) => {
            setOutcome(v);
            setDone(null);
          }}
          onErrorType={setErrorType}
          name="gold"
        />
        <SelectField
          label={t("audit.severity")}
          value={severity}
          onValue={setSeverity}
          name="gold-severity"
          options={[
            { value: "", label: t("common.none") },
            ...[1, 2, 3, 4].map((n) => ({
              value: String(n),
              label: t(`audit.severity.${n}` as "audit.severity.1"),
            })),
          ]}
          hint={t("gold.notScored")}
        />
        {field("correctPolicy", t("audit.correctPolicy"), t("gold.notScored"))}
      </div>
      <TextArea label={t("gold.field.content")} value={text.content} onValue={set("content")} rows={3} />
      <TextArea label={t("audit.notes")} value={text.notes} onValue={set("notes")} rows={2} />
      {problem && <p class="notice">{t(problem)}</p>}
      <ActionButton label={t("gold.register")} disabled={!!problem} testId="gold-register" run={register} />
      {done !== null && (
        <p class="success" role="status">
          {t("gold.registered", { decision: done })}
        </p>
      )}
    </Section>
  );
}

interface LabelAnswer {
  outcome: Choice<Outcome>;
  errorType: Choice<ErrorType>;
}

/**
 * Registers gold items from a closed calibration session: each gold label of the session is mapped to a verdict;
 * each item's id is its decision id, its values taken from the drawn item of that id in a sample.
 */
export function CalibrationImport({ onRegistered }: { onRegistered(): void }) {
  const { t, fmt, lang } = useI18n();
  const sessions = useAsync(
    (signal) =>
      api<{ calibrations: CalibrationSummary[] }>("GET", "/v1/calibrations", {
        query: { status: "closed" },
        signal,
      }),
    [],
  );
  const [id, setId] = useState("");
  const detail = useAsync(
    (signal) => api<CalibrationDetail>("GET", `/v1/calibrations/${encodeURIComponent(id)}`, { signal }),
    [id],
    id !== "",
  );
  const [answers, setAnswers] = useState<Record<string, LabelAnswer>>({});
  const [sampleId, setSampleId] = useState("");
  const [done, setDone] = useState<{ n: number; name: string } | null>(null);
  /** The session's gold labels (as text), in the order of their first item, with their item counts. */
  const labels = useMemo(() => {
    const counts = new Map<string, number>();
    for (const item of detail.data?.itemList ?? []) {
      if (item.gold === null || item.gold === undefined) continue;
      const key = labelText(item.gold);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts];
  }, [detail.data]);
  const answerOf = (label: string): LabelAnswer => answers[label] ?? { outcome: "", errorType: "" };
  const setAnswer = (label: string, change: Partial<LabelAnswer>) =>
    setAnswers((all) => ({ ...all, [label]: { ...answerOf(label), ...change } }));
  const complete =
    labels.length > 0 &&
    labels.every(([label]) => {
      const a = answerOf(label);
      return a.outcome === "correct" || (a.outcome === "incorrect" && a.errorType !== "");
    });
  const list = sessions.data?.calibrations.filter((s) => s.status === "closed") ?? [];
  const session = list.find((s) => s.id === id);
  return (
    <Section title={t("gold.import")}>
      <p class="hint">{t("gold.import.hint")}</p>
      <Loading when={sessions.loading} />
      <ErrorBox error={sessions.error} />
      {sessions.data &&
        (list.length === 0 ? (
          <p class="hint">{t("gold.import.noSessions")}</p>
        ) : (
          <SelectField
            label={t("gold.import.session")}
            value={id}
            name="gold-session"
            onValue={(value) => {
              setId(value);
              setAnswers({});
              setDone(null);
            }}
            options={[
              { value: "", label: t("gold.choose") },
              ...list.map((s) => ({
                value: s.id,
                label: plural(lang, "gold.import.sessionOption", s.goldItems, { name: s.name }),
              })),
            ]}
          />
        ))}
      <Loading when={detail.loading} />
      <ErrorBox error={detail.error} />
      {detail.data && labels.length === 0 && <p class="notice">{t("gold.import.noGold")}</p>}
      {detail.data && labels.length > 0 && (
        <>
          <fieldset class="filters" data-testid="gold-import-labels">
            <legend>{t("gold.import.labels")}</legend>
            {labels.map(([label, items]) => {
              const a = answerOf(label);
              return (
                <div class="grid" key={label}>
                  <p>{plural(lang, "gold.import.label", items, { label })}</p>
                  <AnswerFields
                    outcome={a.outcome}
                    errorType={a.errorType}
                    onOutcome={(outcome) => setAnswer(label, { outcome })}
                    onErrorType={(errorType) => setAnswer(label, { errorType })}
                    name={`gold-label-${labels.findIndex(([l]) => l === label)}`}
                  />
                </div>
              );
            })}
          </fieldset>
          <Field
            label={t("gold.import.sampleId")}
            value={sampleId}
            onValue={setSampleId}
            name="gold-sample"
            hint={t("gold.import.sampleId.hint")}
          />
          {!complete && <p class="notice">{t("gold.problem.labels")}</p>}
          <ActionButton
            label={t("gold.import.do")}
            disabled={!complete}
            testId="gold-import"
            run={async () => {
              const body = {
                calibration: {
                  id,
                  answers: Object.fromEntries(
                    labels.map(([label]) => {
                      const a = answerOf(label);
                      return [
                        label,
                        a.outcome === "incorrect"
                          ? { outcome: a.outcome, errorType: a.errorType }
                          : { outcome: a.outcome },
                      ];
                    }),
                  ),
                  ...(sampleId.trim() === "" ? {} : { sampleId: sampleId.trim() }),
                },
              };
              const { items } = await api<{ items: GoldItem[] }>("POST", "/v1/gold", { json: body });
              setDone({ n: items.length, name: session?.name ?? id });
              onRegistered();
            }}
          />
        </>
      )}
      {done && (
        <p class="success" role="status">
          {t("gold.imported", { n: fmt.integer(done.n), name: done.name })}
        </p>
      )}
    </Section>
  );
}
