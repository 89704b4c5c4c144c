import type { Ref } from "preact";
import { useId } from "preact/hooks";
import { useCodeLabel } from "../../components/ui.tsx";
import { useI18n } from "../../i18n/index.ts";
import { KeyHint } from "./shortcuts.tsx";
import {
  type Draft,
  ERROR_TYPES,
  type ErrorType,
  OUTCOMES,
  SEVERITIES,
  SKIP_REASONS,
  type SkipReason,
  safeUrl,
  type WorkItem,
} from "./types.ts";

/** The facts of a decision the context shows: a work item's, or a disputed decision's (no skip). */
type DecisionFacts = Pick<
  WorkItem,
  | "label"
  | "policy"
  | "queue"
  | "market"
  | "moderator"
  | "decidedAt"
  | "decisionId"
  | "url"
  | "content"
  | "context"
> & { skip?: WorkItem["skip"] };

/** One item's decision as the moderator made it, with its context: what the auditor judges. */
export function ItemContext({ item }: { item: DecisionFacts }) {
  const { t, fmt } = useI18n();
  const code = useCodeLabel();
  const link = safeUrl(item.url);
  const context = Object.entries(item.context ?? {}).filter(([, value]) => value !== "");
  const dash = "–";
  return (
    <div class="item-context" data-testid="item-context">
      <dl class="facts">
        <div class="fact-main">
          <dt>{t("audit.label")}</dt>
          <dd data-testid="item-label">{item.label ?? dash}</dd>
        </div>
        <div>
          <dt>{t("field.policy")}</dt>
          <dd>{item.policy ?? dash}</dd>
        </div>
        <div>
          <dt>{t("field.queue")}</dt>
          <dd>{item.queue ?? dash}</dd>
        </div>
        <div>
          <dt>{t("field.market")}</dt>
          <dd>{item.market ?? dash}</dd>
        </div>
        <div>
          <dt>{t("field.moderator")}</dt>
          <dd>{item.moderator ?? dash}</dd>
        </div>
        <div>
          <dt>{t("audit.decidedAt")}</dt>
          <dd>{fmt.dateTime(item.decidedAt)}</dd>
        </div>
        <div>
          <dt>{t("audit.decisionId")}</dt>
          <dd>
            <code>{item.decisionId}</code>
          </dd>
        </div>
      </dl>
      {link ? (
        <p>
          <a href={link} target="_blank" rel="noopener noreferrer" data-testid="item-link">
            {t("audit.openLink")}
            <span class="visually-hidden">{t("audit.newTab")}</span>
            <span aria-hidden="true"> ↗</span>
          </a>{" "}
          <span class="hint url">{link}</span>
        </p>
      ) : (
        item.url && <p class="hint">{t("audit.linkRefused")}</p>
      )}
      <h3>{t("audit.content")}</h3>
      {item.content ? (
        <blockquote class="excerpt" data-testid="item-content">
          {item.content}
        </blockquote>
      ) : (
        <p class="hint">{t("audit.noContent")}</p>
      )}
      {context.length > 0 && (
        <>
          <h3>{t("audit.context")}</h3>
          <dl class="facts context" data-testid="item-context-fields">
            {context.map(([name, value]) => (
              <div key={name}>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      {item.skip && (
        <p class="notice" data-testid="item-skip">
          {t("audit.skippedBecause", {
            reason: code("audit.skipReason", item.skip.reason),
            by: item.skip.by ?? dash,
            at: fmt.dateTime(item.skip.at),
          })}
          {item.skip.note ? ` ${item.skip.note}` : ""}
        </p>
      )}
    </div>
  );
}

function Choice<V extends string | number>({
  name,
  value,
  checked,
  disabled,
  label,
  shortcut,
  onChoose,
}: {
  name: string;
  value: V;
  checked: boolean;
  disabled?: boolean;
  label: string;
  /** The key hint, or undefined where the workbench's keys are not bound. */
  shortcut?: string;
  onChoose(value: V): void;
}) {
  return (
    <label class={`choice${checked ? " chosen" : ""}${disabled ? " disabled" : ""}`}>
      <input
        type="radio"
        name={name}
        value={String(value)}
        checked={checked}
        disabled={disabled}
        onChange={() => onChoose(value)}
      />
      {shortcut && <KeyHint keys={shortcut} />} {label}
    </label>
  );
}

/** The verdict: outcome, error type, severity, correct policy, notes. Every control works with the keys too. */
export function VerdictForm({
  draft,
  onDraft,
  onSave,
  noteRef,
  shortcuts = true,
}: {
  draft: Draft;
  onDraft(draft: Draft): void;
  onSave(): void;
  noteRef?: Ref<HTMLTextAreaElement>;
  /** Show the workbench's key hints (off where the keys are not bound, e.g. a second review). */
  shortcuts?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const incorrect = draft.outcome === "incorrect";
  return (
    <form
      class="verdict-form"
      aria-label={t("audit.verdict")}
      data-testid="verdict-form"
      onSubmit={(event) => {
        event.preventDefault();
        onSave();
      }}
    >
      <fieldset class="choices">
        <legend>{t("audit.outcome")}</legend>
        {OUTCOMES.map((outcome) => (
          <Choice
            key={outcome}
            name={`${id}-outcome`}
            value={outcome}
            checked={draft.outcome === outcome}
            label={t(`audit.outcome.${outcome}`)}
            shortcut={shortcuts ? (outcome === "correct" ? "1 C" : "2 X") : undefined}
            onChoose={(value) => onDraft({ ...draft, outcome: value })}
          />
        ))}
      </fieldset>
      <fieldset class="choices" disabled={!incorrect}>
        <legend>
          {t("audit.errorType")}
          {!incorrect && <span class="hint"> {t("audit.errorType.hint")}</span>}
        </legend>
        {ERROR_TYPES.map((errorType: ErrorType, i) => (
          <Choice
            key={errorType}
            name={`${id}-error-type`}
            value={errorType}
            checked={incorrect && draft.errorType === errorType}
            disabled={!incorrect}
            label={t(`errorType.${errorType}`)}
            shortcut={shortcuts ? String(i + 1) : undefined}
            onChoose={(value) => onDraft({ ...draft, errorType: value })}
          />
        ))}
      </fieldset>
      <fieldset class="choices severity" disabled={!incorrect}>
        <legend>{t("audit.severity")}</legend>
        {SEVERITIES.map((severity) => (
          <Choice
            key={severity}
            name={`${id}-severity`}
            value={severity}
            checked={incorrect && draft.severity === severity}
            disabled={!incorrect}
            label={t(`audit.severity.${severity}`)}
            shortcut={shortcuts ? `⇧${severity}` : undefined}
            onChoose={(value) => onDraft({ ...draft, severity: value })}
          />
        ))}
      </fieldset>
      <div class="field">
        <label for={`${id}-policy`}>{t("audit.correctPolicy")}</label>
        <input
          id={`${id}-policy`}
          name="correct-policy"
          value={draft.correctPolicy}
          disabled={!incorrect}
          aria-describedby={`${id}-policy-hint`}
          onInput={(e) => onDraft({ ...draft, correctPolicy: (e.target as HTMLInputElement).value })}
        />
        <span id={`${id}-policy-hint`} class="hint">
          {t("audit.correctPolicy.hint")}
        </span>
      </div>
      <div class="field">
        <label for={`${id}-notes`}>
          {t("audit.notes")} {shortcuts && <KeyHint keys="N" />}
        </label>
        <textarea
          id={`${id}-notes`}
          name="notes"
          rows={2}
          ref={noteRef}
          value={draft.notes}
          aria-describedby={shortcuts ? `${id}-notes-hint` : undefined}
          onInput={(e) => onDraft({ ...draft, notes: (e.target as HTMLTextAreaElement).value })}
        />
        {shortcuts && (
          <span id={`${id}-notes-hint`} class="visually-hidden">
            {t("audit.notes.hint")}
          </span>
        )}
      </div>
    </form>
  );
}

/** Asks why an item is skipped: 1–3 choose the reason, Escape goes back. */
export function SkipPrompt({
  note,
  onNote,
  onChoose,
  onCancel,
  promptRef,
}: {
  note: string;
  onNote(note: string): void;
  onChoose(reason: SkipReason): void;
  onCancel(): void;
  promptRef: Ref<HTMLFieldSetElement>;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <fieldset class="skip-prompt" tabIndex={-1} ref={promptRef} data-testid="skip-prompt">
      <legend class="summary">{t("audit.skip.ask")}</legend>
      <div class="buttons">
        {SKIP_REASONS.map((reason, i) => (
          <button key={reason} type="button" class="secondary" onClick={() => onChoose(reason)}>
            <KeyHint keys={i + 1} /> {t(`audit.skipReason.${reason}`)}
          </button>
        ))}
        <button type="button" class="secondary" onClick={onCancel}>
          <KeyHint keys={"Esc"} /> {t("audit.skip.cancel")}
        </button>
      </div>
      <div class="field">
        <label for={`${id}-note`}>{t("audit.skip.note")}</label>
        <input id={`${id}-note`} value={note} onInput={(e) => onNote((e.target as HTMLInputElement).value)} />
      </div>
    </fieldset>
  );
}
