import { useState } from "preact/hooks";
import { useI18n } from "../../i18n/index.ts";
import { AccuracyView } from "./accuracy.tsx";
import { GoldList } from "./gold.tsx";
import { CalibrationImport, GoldForm } from "./gold-register.tsx";

/**
 * `/auditors` (leads and admins): each auditor's accuracy on the gold items mixed blind into their queues, and
 * the gold registry (list, retire, register by hand or from a closed calibration session). Auditors never see
 * this page: one who watched its own gold count would learn which items were gold.
 */
export function AuditorsPage({ query }: { query: URLSearchParams }) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const registered = () => setVersion((n) => n + 1);
  return (
    <div>
      <h1>{t("auditors.title")}</h1>
      <p class="lead">{t("auditors.intro")}</p>
      <AccuracyView query={query} />
      <h2>{t("gold.title")}</h2>
      <p class="lead">{t("gold.intro")}</p>
      <GoldList version={version} />
      <GoldForm onRegistered={registered} />
      <CalibrationImport onRegistered={registered} />
    </div>
  );
}
