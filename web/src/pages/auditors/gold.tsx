import { useEffect, useState } from "preact/hooks";
import { api } from "../../api.ts";
import {
  ActionButton,
  Checkbox,
  type Column,
  ErrorBox,
  Loading,
  Section,
  SortableTable,
  useAsync,
  useCodeLabel,
} from "../../components/ui.tsx";
import { useI18n } from "../../i18n/index.ts";
import type { GoldAnswer, GoldItem, GoldPage } from "./types.ts";

const PAGE_SIZE = 50;

/** A gold item's known answer in words: "Incorrect · Wrong policy". */
export function useAnswerText() {
  const { t } = useI18n();
  const code = useCodeLabel();
  return (answer: Pick<GoldAnswer, "outcome" | "errorType">) =>
    answer.outcome === "correct"
      ? t("audit.outcome.correct")
      : `${t("audit.outcome.incorrect")} · ${code("errorType", answer.errorType)}`;
}

/**
 * The gold registry: every gold item newest first (a page at a time, `GET /v1/gold` with its cursor), with its
 * answer, where it came from and how often it was placed, judged and judged right; a lead retires one after
 * confirming (it is never placed again; its verdicts stay). `version` changes when items were registered.
 */
export function GoldList({ version }: { version: number }) {
  const { t, fmt } = useI18n();
  const answerText = useAnswerText();
  const [withRetired, setWithRetired] = useState(false);
  const first = useAsync(
    (signal) =>
      api<GoldPage>("GET", "/v1/gold", { query: { retired: withRetired, limit: PAGE_SIZE }, signal }),
    [withRetired, version],
  );
  const [items, setItems] = useState<GoldItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [retiring, setRetiring] = useState<GoldItem | null>(null);
  useEffect(() => {
    setItems(first.data?.items ?? []);
    setNext(first.data?.nextCursor ?? null);
    setRetiring(null);
  }, [first.data]);

  const columns: Column<GoldItem>[] = [
    {
      key: "decisionId",
      label: t("gold.col.decision"),
      sortValue: (g) => g.decisionId,
      render: (g) => g.decisionId,
    },
    { key: "queue", label: t("field.queue"), sortValue: (g) => g.queue, render: (g) => g.queue },
    {
      key: "moderator",
      label: t("field.moderator"),
      sortValue: (g) => g.moderator,
      render: (g) => g.moderator,
    },
    {
      key: "answer",
      label: t("gold.col.answer"),
      sortValue: (g) => answerText(g.answer),
      render: (g) => answerText(g.answer),
    },
    {
      key: "source",
      label: t("gold.col.source"),
      sortValue: (g) => g.source,
      render: (g) => (g.source === "calibration" ? t("gold.source.calibration") : t("gold.source.manual")),
    },
    {
      key: "slots",
      label: t("gold.col.placed"),
      numeric: true,
      sortValue: (g) => g.slots,
      render: (g) => fmt.integer(g.slots),
    },
    {
      key: "verdicts",
      label: t("gold.col.judged"),
      numeric: true,
      sortValue: (g) => g.verdicts,
      render: (g) => fmt.integer(g.verdicts),
    },
    {
      key: "correct",
      label: t("auditors.col.correct"),
      numeric: true,
      sortValue: (g) => g.correct,
      render: (g) => fmt.integer(g.correct),
    },
    {
      key: "createdAt",
      label: t("gold.col.created"),
      date: true,
      sortValue: (g) => g.createdAt,
      render: (g) => fmt.dateTime(g.createdAt),
    },
    {
      key: "actions",
      label: t("common.actions"),
      render: (g) =>
        g.retiredAt ? (
          <span class="badge" data-testid="gold-retired">
            {t("gold.retired", { at: fmt.dateTime(g.retiredAt) })}
          </span>
        ) : (
          <button
            type="button"
            class="secondary"
            data-testid="gold-retire"
            aria-label={t("gold.retire.of", { decision: g.decisionId })}
            onClick={() => setRetiring(g)}
          >
            {t("gold.retire")}
          </button>
        ),
    },
  ];

  const retired = (gold: GoldItem) => {
    setItems((all) =>
      withRetired ? all.map((g) => (g.id === gold.id ? gold : g)) : all.filter((g) => g.id !== gold.id),
    );
    setRetiring(null);
  };

  return (
    <Section
      title={t("gold.list")}
      actions={<Checkbox label={t("gold.withRetired")} checked={withRetired} onChecked={setWithRetired} />}
    >
      <p class="hint">{t("gold.list.hint")}</p>
      <Loading when={first.loading} />
      <ErrorBox error={first.error} />
      {first.data && (
        <>
          <SortableTable
            testId="gold-list"
            columns={columns}
            rows={items}
            rowKey={(g) => g.id}
            caption={t("gold.list")}
            captionHidden
          />
          {retiring && (
            <fieldset class="confirm" data-testid="gold-retire-confirm">
              <legend class="summary">
                {t("gold.retire.confirm", { decision: retiring.decisionId, queue: retiring.queue })}
              </legend>
              <p class="hint">{t("gold.retire.effect")}</p>
              <div class="buttons">
                <ActionButton
                  kind="danger"
                  label={t("gold.retire.do")}
                  testId="gold-retire-do"
                  run={async () =>
                    retired(await api<GoldItem>("DELETE", `/v1/gold/${encodeURIComponent(retiring.id)}`))
                  }
                />
                <button type="button" class="secondary" onClick={() => setRetiring(null)}>
                  {t("rules.cancel")}
                </button>
              </div>
            </fieldset>
          )}
          {next && (
            <ActionButton
              kind="secondary"
              label={t("audits.more")}
              testId="gold-more"
              run={async () => {
                const page = await api<GoldPage>("GET", "/v1/gold", {
                  query: { retired: withRetired, limit: PAGE_SIZE, cursor: next },
                });
                setItems((all) => [...all, ...page.items]);
                setNext(page.nextCursor);
              }}
            />
          )}
        </>
      )}
    </Section>
  );
}
