import { useState } from "preact/hooks";
import { api } from "../api.ts";
import {
  ActionButton,
  type Column,
  ErrorBox,
  Field,
  Loading,
  Section,
  SelectField,
  SortableTable,
  useAsync,
} from "../components/ui.tsx";
import { useI18n } from "../i18n/index.ts";
import { ROLES, type Role, useSession } from "../session.ts";

interface ApiKey {
  id: string;
  name: string;
  role: Role;
  rater: string | null;
  moderator: string | null;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

/** Admin only: the team's API keys; a new key's secret is shown once. */
export function KeysPage() {
  const { t, fmt } = useI18n();
  const { me } = useSession();
  const list = useAsync((signal) => api<{ keys: ApiKey[] }>("GET", "/v1/keys", { signal }), []);
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [rater, setRater] = useState("");
  const [moderator, setModerator] = useState("");
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  const columns: Column<ApiKey>[] = [
    { key: "name", label: t("keys.name"), sortValue: (k) => k.name, render: (k) => k.name },
    {
      key: "role",
      label: t("keys.role"),
      sortValue: (k) => ROLES.indexOf(k.role),
      render: (k) => t(`role.${k.role}`),
    },
    {
      key: "boundTo",
      label: t("keys.boundTo"),
      sortValue: (k) => k.rater ?? k.moderator,
      render: (k) =>
        k.rater
          ? t("keys.boundRater", { name: k.rater })
          : k.moderator
            ? t("keys.boundModerator", { name: k.moderator })
            : "–",
    },
    { key: "prefix", label: t("keys.prefix"), render: (k) => <code>{k.prefix}…</code> },
    {
      key: "created",
      label: t("keys.created"),
      sortValue: (k) => k.createdAt,
      date: true,
      render: (k) => fmt.dateTime(k.createdAt),
    },
    {
      key: "state",
      label: t("keys.state"),
      sortValue: (k) => (k.revokedAt ? 1 : 0),
      render: (k) =>
        k.revokedAt ? (
          t("keys.revokedAt", { at: fmt.dateTime(k.revokedAt) })
        ) : k.id === me?.id ? (
          t("keys.yours")
        ) : (
          <ActionButton
            kind="danger"
            label={t("keys.revoke")}
            run={async () => {
              if (!window.confirm(t("keys.revokeConfirm", { name: k.name }))) return;
              await api("DELETE", `/v1/keys/${encodeURIComponent(k.id)}`);
              list.reload();
            }}
          />
        ),
    },
  ];
  return (
    <div>
      <h1>{t("keys.title")}</h1>
      <p class="lead">{t("keys.intro")}</p>
      <Section title={t("keys.create")}>
        <form class="grid" onSubmit={(e) => e.preventDefault()} aria-label={t("keys.create")}>
          <Field label={t("keys.name")} value={name} onValue={setName} name="key-name" />
          <SelectField
            label={t("keys.role")}
            value={role}
            onValue={setRole}
            options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
          {role === "auditor" && (
            <Field label={t("keys.rater")} value={rater} onValue={setRater} hint={t("keys.rater.hint")} />
          )}
          {role === "moderator" && (
            <Field
              label={t("keys.moderator")}
              value={moderator}
              onValue={setModerator}
              hint={t("keys.moderator.hint")}
              name="key-moderator"
            />
          )}
        </form>
        <ActionButton
          label={t("keys.createButton")}
          disabled={
            !name.trim() ||
            (role === "auditor" && !rater.trim()) ||
            (role === "moderator" && !moderator.trim())
          }
          run={async () => {
            setCreated(
              await api<ApiKey & { key: string }>("POST", "/v1/keys", {
                json: {
                  name: name.trim(),
                  role,
                  rater: role === "auditor" ? rater.trim() : undefined,
                  moderator: role === "moderator" ? moderator.trim() : undefined,
                },
              }),
            );
            setName("");
            setRater("");
            setModerator("");
            list.reload();
          }}
        />
        {created && (
          <div class="success" role="status">
            <p>{t("keys.createdOnce", { name: created.name })}</p>
            <p>
              <code class="secret" data-testid="new-secret">
                {created.key}
              </code>
            </p>
          </div>
        )}
      </Section>
      <Section title={t("keys.list")}>
        <Loading when={list.loading} />
        <ErrorBox error={list.error} />
        {list.data && (
          <SortableTable
            columns={columns}
            rows={list.data.keys}
            rowKey={(k) => k.id}
            caption={t("keys.list")}
            captionHidden
          />
        )}
      </Section>
    </div>
  );
}
