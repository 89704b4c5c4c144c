import { useState } from "preact/hooks";
import { api } from "../../api.ts";
import { ErrorBox, Loading, Section, useAsync } from "../../components/ui.tsx";
import { useI18n } from "../../i18n/index.ts";
import { atLeast, useSession } from "../../session.ts";
import { AlertList } from "./alert-list.tsx";
import { Rules } from "./rules.tsx";
import type { Rule } from "./types.ts";
import { Webhooks } from "./webhooks.tsx";

/**
 * The alerts page: firing and recently resolved alerts (in the page's language, with their evidence and the
 * audits behind them), the rules with their editor and preview, and (admins) the webhooks.
 */
export function AlertsPage(_props: { query: URLSearchParams }) {
  const { t } = useI18n();
  const { me } = useSession();
  const rules = useAsync((signal) => api<{ rules: Rule[] }>("GET", "/v1/alert-rules", { signal }), []);
  // A rule change may resolve alerts: the lists are read again after one.
  const [changes, setChanges] = useState(0);
  const byId = rules.data && new Map(rules.data.rules.map((r) => [r.id, r]));
  const changed = () => {
    rules.reload();
    setChanges((n) => n + 1);
  };
  return (
    <div>
      <h1>{t("alerts.title")}</h1>
      <p class="lead">{t("alerts.intro")}</p>
      <AlertList
        key={`firing-${changes}`}
        state="firing"
        title={t("alerts.firing")}
        testId="firing-alerts"
        rules={byId}
      />
      <AlertList
        key={`resolved-${changes}`}
        state="resolved"
        title={t("alerts.recent")}
        testId="recent-alerts"
        rules={byId}
      />
      <Section title={t("alerts.rules")}>
        <Loading when={rules.loading && !rules.data} />
        <ErrorBox error={rules.error} />
        {rules.data && <Rules rules={rules.data.rules} lead={atLeast(me, "lead")} onChanged={changed} />}
      </Section>
      {atLeast(me, "admin") && <Webhooks />}
    </div>
  );
}
