import { useI18n } from "../../i18n/index.ts";
import type { WorkCounts } from "./types.ts";

/**
 * A sample's (or a stratum's) work as one bar: done, skipped and still to do, out of the items, with the numbers
 * as text beside it (the bar alone says nothing to a screen reader).
 */
export function WorkBar({ counts, items }: { counts: WorkCounts; items: number }) {
  const { t, fmt } = useI18n();
  const share = (value: number) => `${items > 0 ? (100 * value) / items : 0}%`;
  const text = t("samples.work", {
    done: fmt.integer(counts.done),
    skipped: fmt.integer(counts.skipped),
    todo: fmt.integer(counts.todo),
    assigned: fmt.integer(counts.assigned),
    items: fmt.integer(items),
  });
  return (
    <span class="work-bar">
      <span class="work-bar-track" aria-hidden="true">
        <span class="work-bar-done" style={{ width: share(counts.done) }} />
        <span class="work-bar-skipped" style={{ width: share(counts.skipped) }} />
      </span>
      <span class="work-bar-text">{text}</span>
    </span>
  );
}
