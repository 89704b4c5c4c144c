import { useCodeLabel } from "../../components/ui.tsx";
import { isMessageKey, useI18n } from "../../i18n/index.ts";

/** A calculator's note as the API gives it: a stable code, its parameters and the English text. */
export interface Notice {
  code: string;
  params: Record<string, number | string>;
  message: string;
}

/** Parameters that are proportions (shown as percentages); the other numbers are counts. */
const PROPORTIONS = new Set(["margin", "confidence", "expectedRate"]);

/**
 * The notes of a calculation (an allocation, a sample size, a draw's plan) in the page's language (`note.<code>`),
 * numbers formatted; a code without a message keeps its English text.
 */
export function Notices({
  notices,
  class: className = "notice",
}: {
  notices: readonly Notice[];
  class?: string;
}) {
  const { t, fmt } = useI18n();
  const codeLabel = useCodeLabel();
  return (
    <>
      {notices.map((notice, i) => {
        const key = `note.${notice.code}`;
        if (!isMessageKey(key)) {
          return (
            <p key={i} class={`${className} technical`} lang="en">
              {notice.message}
            </p>
          );
        }
        const vars: Record<string, string> = {};
        for (const [name, value] of Object.entries(notice.params)) {
          if (name === "method") vars[name] = codeLabel("allocation", String(value));
          else if (typeof value !== "number") vars[name] = value;
          else vars[name] = PROPORTIONS.has(name) ? fmt.percent(value, 2) : fmt.integer(value);
        }
        return (
          <p key={i} class={className}>
            {t(key, vars)}
          </p>
        );
      })}
    </>
  );
}

/**
 * A drawn sample's plan notes: with codes (`notices`) in the page's language; a sample drawn before notes had codes
 * has its English `notes` only, shown as they are.
 */
export function PlanNotes({ notes, notices }: { notes: readonly string[]; notices?: readonly Notice[] }) {
  if (notices && notices.length > 0) return <Notices notices={notices} class="hint" />;
  return (
    <>
      {notes.map((note) => (
        <p key={note} class="hint technical" lang="en">
          {note}
        </p>
      ))}
    </>
  );
}
