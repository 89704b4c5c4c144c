import { isMessageKey, useI18n } from "../../i18n/index.ts";

/** Notes longer than this show their start, and the whole text on expand. */
const NOTES_SHOWN = 80;

/** The verdict's parts in the page's language: outcome, error type, severity (absent ones as a dash). */
export function useVerdictText() {
  const { t } = useI18n();
  return {
    outcome: (outcome: "correct" | "incorrect") => t(`audit.outcome.${outcome}`),
    errorType: (errorType: string | null) => {
      if (errorType === null) return "–";
      const key = `errorType.${errorType}`;
      return isMessageKey(key) ? t(key) : errorType;
    },
    severity: (severity: number | null) => {
      if (severity === null) return "–";
      const key = `audit.severity.${severity}`;
      return isMessageKey(key) ? t(key) : String(severity);
    },
  };
}

/** An auditor's notes: short ones whole, long ones truncated with the full text on expand (a disclosure). */
export function Notes({ text }: { text: string | null }) {
  const { t } = useI18n();
  if (!text) return <span>–</span>;
  const chars = [...text];
  if (chars.length <= NOTES_SHOWN) return <span class="audit-notes">{text}</span>;
  return (
    <details class="audit-notes">
      <summary>
        {chars.slice(0, NOTES_SHOWN).join("")}…
        <span class="visually-hidden"> {t("audits.notes.expand")}</span>
      </summary>
      <p>{text}</p>
    </details>
  );
}
