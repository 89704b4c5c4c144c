import { useState } from "preact/hooks";
import { api } from "../../api.ts";
import { ActionButton, type Column, SortableTable, useCodeLabel } from "../../components/ui.tsx";
import { useI18n } from "../../i18n/index.ts";
import { RuleForm } from "./rule-form.tsx";
import type { Rule } from "./types.ts";

/** An audit rule's criteria in words: "severity ≥ 4 · queues: child-safety". */
function useAuditCriteria() {
  const { t } = useI18n();
  const code = useCodeLabel();
  return (condition: Rule["condition"]): string => {
    const parts: string[] = [];
    if (typeof condition.minSeverity === "number")
      parts.push(t("alerts.audit.atLeast", { severity: condition.minSeverity }));
    if (Array.isArray(condition.errorTypes))
      parts.push((condition.errorTypes as string[]).map((e) => code("errorType", e)).join(", "));
    if (Array.isArray(condition.queues))
      parts.push(`${t("alerts.audit.queues")}: ${(condition.queues as string[]).join(", ")}`);
    if (Array.isArray(condition.policies))
      parts.push(`${t("alerts.audit.policies")}: ${(condition.policies as string[]).join(", ")}`);
    return parts.join(" · ");
  };
}

/** Delete, after a confirmation that says what happens to the rule's alerts. */
function DeleteRule({ rule, onDeleted }: { rule: Rule; onDeleted(): void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <button type="button" class="danger" onClick={() => setConfirming(true)}>
        {t("rules.delete")}
      </button>
    );
  return (
    <fieldset class="confirm" data-testid="delete-confirm">
      <legend class="summary">{t("rules.delete.confirm", { name: rule.name })}</legend>
      <p class="hint">{t("rules.delete.effect")}</p>
      <div class="buttons">
        <ActionButton
          kind="danger"
          label={t("rules.delete.do")}
          testId="delete-confirm-button"
          run={async () => {
            await api("DELETE", `/v1/alert-rules/${encodeURIComponent(rule.id)}`);
            onDeleted();
          }}
        />
        <button type="button" class="secondary" onClick={() => setConfirming(false)}>
          {t("rules.cancel")}
        </button>
      </div>
    </fieldset>
  );
}

/**
 * The rules table; a lead creates, edits (the editor above the table), disables or enables, and deletes them.
 * `onChanged` after every change (the page reloads the rules and the alerts they may have resolved).
 */
export function Rules({ rules, lead, onChanged }: { rules: Rule[]; lead: boolean; onChanged(): void }) {
  const { t } = useI18n();
  const code = useCodeLabel();
  const criteria = useAuditCriteria();
  const [editing, setEditing] = useState<Rule | "new" | undefined>();
  const done = () => {
    setEditing(undefined);
    onChanged();
  };
  const columns: Column<Rule>[] = [
    { key: "name", label: t("alerts.ruleName"), sortValue: (r) => r.name, render: (r) => r.name },
    {
      key: "kind",
      label: t("alerts.kind"),
      sortValue: (r) => r.condition.kind,
      render: (r) => t(`alerts.kind.${r.condition.kind}`),
    },
    {
      key: "scope",
      label: t("alerts.scope"),
      render: (r) =>
        r.condition.kind === "audit"
          ? criteria(r.condition)
          : Object.entries(r.scope)
              .map(([k, v]) => `${code("field", k)}: ${k === "errorType" ? code("errorType", v) : v}`)
              .join(", ") || t("alerts.everything"),
    },
    {
      key: "groupBy",
      label: t("alerts.groupBy"),
      render: (r) => r.groupBy.map((g) => code("field", g)).join(", ") || "–",
    },
    {
      key: "severity",
      label: t("alerts.severity"),
      sortValue: (r) => ["info", "warning", "critical"].indexOf(r.severity),
      render: (r) => t(`alerts.severity.${r.severity}`),
    },
    {
      key: "enabled",
      label: t("alerts.enabled"),
      sortValue: (r) => (r.enabled ? 1 : 0),
      render: (r) => <span data-testid="rule-enabled">{r.enabled ? t("alerts.on") : t("alerts.off")}</span>,
    },
  ];
  if (lead)
    columns.push({
      key: "actions",
      label: t("common.actions"),
      render: (r) => (
        <div class="buttons">
          <button type="button" class="secondary" onClick={() => setEditing(r)} aria-expanded={editing === r}>
            {t("rules.edit")}
          </button>
          <ActionButton
            kind="secondary"
            label={r.enabled ? t("alerts.disable") : t("alerts.enable")}
            run={async () => {
              await api("PATCH", `/v1/alert-rules/${encodeURIComponent(r.id)}`, {
                json: { enabled: !r.enabled },
              });
              onChanged();
            }}
          />
          <DeleteRule rule={r} onDeleted={done} />
        </div>
      ),
    });
  return (
    <>
      {lead && editing === undefined && (
        <button type="button" class="primary" onClick={() => setEditing("new")}>
          {t("alerts.newRule")}
        </button>
      )}
      {editing !== undefined && (
        <RuleForm
          key={editing === "new" ? "new" : editing.id}
          rule={editing === "new" ? undefined : editing}
          onSaved={done}
          onCancel={() => setEditing(undefined)}
        />
      )}
      <SortableTable
        columns={columns}
        rows={rules}
        rowKey={(r) => r.id}
        caption={t("alerts.rules")}
        captionHidden
        testId="rules-table"
      />
    </>
  );
}
