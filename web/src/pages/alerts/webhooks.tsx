import { useState } from "preact/hooks";
import { api } from "../../api.ts";
import {
  ActionButton,
  ErrorBox,
  Field,
  Loading,
  Section,
  SelectField,
  useAsync,
} from "../../components/ui.tsx";
import { isMessageKey, type MessageKey, plural, useI18n } from "../../i18n/index.ts";
import type { Delivery, Webhook } from "./types.ts";

/** The admin's webhooks and each one's recent deliveries (redeliver a failed one). */

function Deliveries({ hook }: { hook: Webhook }) {
  const { t, fmt, lang } = useI18n();
  const list = useAsync(
    (signal) =>
      api<{ deliveries: Delivery[] }>("GET", `/v1/webhooks/${encodeURIComponent(hook.id)}/deliveries`, {
        query: { limit: 20 },
        signal,
      }),
    [hook.id],
  );
  return (
    <div>
      <Loading when={list.loading} />
      <ErrorBox error={list.error} />
      {list.data && (
        <div class="table-wrap">
          <table data-testid="deliveries">
            <caption>{t("alerts.deliveriesOf", { url: hook.url })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("alerts.event")}</th>
                <th scope="col">{t("alerts.deliveryStatus")}</th>
                <th scope="col">{t("alerts.attempts")}</th>
                <th scope="col">{t("alerts.created")}</th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.deliveries.length === 0 && (
                <tr>
                  <td colSpan={5} class="empty">
                    {t("table.empty")}
                  </td>
                </tr>
              )}
              {list.data.deliveries.map((d) => (
                <tr key={d.id}>
                  <th scope="row">
                    <code>{d.event}</code>
                  </th>
                  <td>
                    <span class={`badge delivery-${d.status}`}>{t(`alerts.delivery.${d.status}`)}</span>
                    {d.redeliveryOf && <span class="hint"> {t("alerts.redelivery")}</span>}
                  </td>
                  <td>
                    <details>
                      <summary>{plural(lang, "format.attempts", d.attemptCount)}</summary>
                      <ol>
                        {d.attempts.map((a) => (
                          <li key={a.attempt}>
                            {fmt.dateTime(a.at)} · {a.statusCode ?? "–"} · {fmt.integer(a.latencyMs)} ms ·{" "}
                            {isMessageKey(`alerts.delivery.${a.outcome}`)
                              ? t(`alerts.delivery.${a.outcome}` as MessageKey)
                              : a.outcome}
                            {a.error && (
                              <span class="technical" lang="en">
                                {" "}
                                {a.error}
                              </span>
                            )}
                          </li>
                        ))}
                      </ol>
                      {d.nextAttemptAt && (
                        <p class="hint">{t("alerts.nextAttempt", { at: fmt.dateTime(d.nextAttemptAt) })}</p>
                      )}
                    </details>
                  </td>
                  <td>{fmt.dateTime(d.createdAt)}</td>
                  <td>
                    {d.status !== "pending" && (
                      <ActionButton
                        kind="secondary"
                        label={t("alerts.redeliver")}
                        run={async () => {
                          await api("POST", `/v1/deliveries/${encodeURIComponent(d.id)}/redeliver`);
                          list.reload();
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function Webhooks() {
  const { t } = useI18n();
  const hooks = useAsync((signal) => api<{ webhooks: Webhook[] }>("GET", "/v1/webhooks", { signal }), []);
  const [url, setUrl] = useState("");
  const [format, setFormat] = useState<"modqc" | "alertmanager" | "alertmanager-api" | "slack">("modqc");
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <Section title={t("alerts.webhooks")}>
      <form class="grid" onSubmit={(e) => e.preventDefault()} aria-label={t("alerts.newWebhook")}>
        <Field
          label={t("alerts.webhookUrl")}
          value={url}
          onValue={setUrl}
          placeholder="https://hooks.example.com/modqc"
        />
        <SelectField
          label={t("alerts.format")}
          value={format}
          onValue={setFormat}
          options={[
            { value: "modqc", label: "modqc" },
            { value: "alertmanager", label: t("alerts.format.alertmanager") },
            { value: "alertmanager-api", label: t("alerts.format.alertmanagerApi") },
            { value: "slack", label: "Slack" },
          ]}
        />
      </form>
      <ActionButton
        label={t("alerts.addWebhook")}
        disabled={!url.trim()}
        run={async () => {
          const created = await api<Webhook & { secret: string }>("POST", "/v1/webhooks", {
            json: { url: url.trim(), format },
          });
          setSecret(created.secret);
          setUrl("");
          hooks.reload();
        }}
      />
      {secret && (
        <div class="success" role="status">
          <p>{t("alerts.webhookSecret")}</p>
          <code class="secret">{secret}</code>
        </div>
      )}
      <Loading when={hooks.loading} />
      <ErrorBox error={hooks.error} />
      {hooks.data?.webhooks.length === 0 && <p class="hint">{t("alerts.noWebhooks")}</p>}
      {hooks.data?.webhooks.map((hook) => (
        <div key={hook.id} class="webhook">
          <h3>
            <code>{hook.url}</code> <span class="badge">{hook.format}</span>{" "}
            <span class={`badge ${hook.enabled ? "open" : "closed"}`}>
              {hook.enabled ? t("alerts.on") : t("alerts.off")}
            </span>
          </h3>
          <Deliveries hook={hook} />
        </div>
      ))}
    </Section>
  );
}
