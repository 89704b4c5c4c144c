import { api } from "../../api.ts";
import { useAsync } from "../../components/ui.tsx";
import { useI18n } from "../../i18n/index.ts";
import { Link } from "../../router.tsx";
import { sampleHref, samplePath } from "./types.ts";

/**
 * The `sampleId` filter of a report page (`/quality?sampleId=…`, `/charts?sampleId=…`) shown as active: the
 * sample's name, a link back to it, and a button that removes the filter.
 */
export function SampleFilterNote({ sampleId, onClear }: { sampleId: string; onClear(): void }) {
  const { t } = useI18n();
  const sample = useAsync(
    (signal) => api<{ name: string }>("GET", samplePath(sampleId), { signal }),
    [sampleId],
    sampleId !== "",
  );
  if (sampleId === "") return null;
  return (
    <p class="notice active-filter" data-testid="sample-filter">
      {t("samples.filter.only")} <Link href={sampleHref(sampleId)}>{sample.data?.name ?? sampleId}</Link>{" "}
      <button type="button" class="secondary" onClick={onClear}>
        {t("samples.filter.clear")}
      </button>
    </p>
  );
}
