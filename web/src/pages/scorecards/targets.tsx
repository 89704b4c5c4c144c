import { useState } from "preact/hooks";
import { api } from "../../api.ts";
import {
  ActionButton,
  type Column,
  ErrorBox,
  Field,
  Loading,
  PercentField,
  Section,
  SortableTable,
  useAsync,
} from "../../components/ui.tsx";
import { inOpen, parseNumber } from "../../forms.ts";
import { useI18n } from "../../i18n/index.ts";

interface QueueTarget {
  queue: string;
  target: number;
  setBy: string | null;
  setAt: string;
}

const targetPath = (queue: string) => `/v1/targets/${encodeURIComponent(queue)}`;

/** A percentage typed in the form as the API's fraction, or undefined when it is not strictly between 0 and 100. */
const fraction = (text: string) => {
  const percent = parseNumber(text);
  return inOpen(percent, 0, 100) ? percent! / 100 : undefined;
};

/** Leads: the default error-rate target and each queue's own, which they set, change and remove. */
export function Targets() {
  const { t, fmt } = useI18n();
  const list = useAsync(
    (signal) => api<{ defaultTarget: number; targets: QueueTarget[] }>("GET", "/v1/targets", { signal }),
    [],
  );
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [queue, setQueue] = useState("");
  const [value, setValue] = useState("");
  const save = async (name: string, text: string) => {
    await api("PUT", targetPath(name), { json: { target: fraction(text) } });
    setEdits(({ [name]: _saved, ...rest }) => rest);
    list.reload();
  };
  const columns: Column<QueueTarget>[] = [
    { key: "queue", label: t("field.queue"), sortValue: (r) => r.queue, render: (r) => r.queue },
    {
      key: "target",
      label: t("scorecard.targetCol"),
      numeric: true,
      sortValue: (r) => r.target,
      render: (r) => fmt.percent(r.target, 2),
    },
    {
      key: "set",
      label: t("targets.setBy"),
      sortValue: (r) => r.setAt,
      render: (r) => t("targets.setByAt", { by: r.setBy ?? "–", at: fmt.dateTime(r.setAt) }),
    },
    {
      key: "change",
      label: t("common.actions"),
      render: (r) => {
        const text = edits[r.queue] ?? "";
        return (
          <span class="inline-form">
            <PercentField
              label={t("targets.newTarget", { queue: r.queue })}
              value={text}
              onValue={(v) => setEdits((all) => ({ ...all, [r.queue]: v }))}
            />
            <ActionButton
              kind="secondary"
              label={t("targets.save")}
              disabled={fraction(text) === undefined}
              run={() => save(r.queue, text)}
            />
            <ActionButton
              kind="danger"
              label={t("targets.remove")}
              run={async () => {
                await api("DELETE", targetPath(r.queue));
                list.reload();
              }}
            />
          </span>
        );
      },
    },
  ];
  return (
    <Section title={t("targets.title")} id="targets">
      <Loading when={list.loading} />
      <ErrorBox error={list.error} />
      {list.data && (
        <>
          <p class="hint" data-testid="default-target">
            {t("targets.default", { target: fmt.percent(list.data.defaultTarget, 2) })}
          </p>
          <SortableTable
            testId="targets"
            columns={columns}
            rows={list.data.targets}
            rowKey={(r) => r.queue}
            caption={t("targets.title")}
            captionHidden
          />
        </>
      )}
      <form
        class="inline-form"
        aria-label={t("targets.add")}
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        <Field label={t("field.queue")} value={queue} onValue={setQueue} name="target-queue" />
        <PercentField label={t("targets.target")} value={value} onValue={setValue} name="target-value" />
        <ActionButton
          label={t("targets.add")}
          testId="add-target"
          disabled={!queue.trim() || fraction(value) === undefined}
          run={async () => {
            await save(queue.trim(), value);
            setQueue("");
            setValue("");
          }}
        />
      </form>
    </Section>
  );
}
