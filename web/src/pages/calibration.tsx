import { useEffect, useMemo, useState } from "preact/hooks";
import { api, download } from "../api.ts";
import {
  ActionButton,
  type Column,
  ErrorBox,
  Field,
  Loading,
  Progress,
  Section,
  SelectField,
  SortableTable,
  TextArea,
  useAsync,
  useCodeLabel,
} from "../components/ui.tsx";
import { plural, useI18n } from "../i18n/index.ts";
import { Link, navigate } from "../router.tsx";
import { atLeast, useSession } from "../session.ts";
import { LatentClassPanel } from "./calibration-latent-class.tsx";

type Label = string | number;
interface RaterProgress {
  rater: string;
  labelled: number;
  remaining: number;
}
interface Calibration {
  id: string;
  name: string;
  categories: Label[];
  level: string;
  status: "open" | "closed";
  items: number;
  goldItems: number;
  raters: string[];
  progress: RaterProgress[];
  labelled: number;
  expected: number;
  createdAt: string;
  closedAt: string | null;
}
interface CalibrationDetail extends Calibration {
  itemList: { id: string; gold?: Label | null }[];
}
interface Coefficient {
  se: number | null;
  lower: number | null;
  upper: number | null;
  interpretation: string | null;
  undefinedReason: string | null;
}
interface Comparison {
  items: number;
  accuracy: number | null;
  kappa: number | null;
  interpretation: string | null;
}
interface Report {
  calibration: { id: string; name: string; closedAt: string | null };
  itemCount: number;
  itemsRated: number;
  raters: string[];
  categories: Label[];
  confidence: number;
  percentAgreement: number | null;
  cohen: (Coefficient & { kappa: number | null }) | null;
  fleiss: Coefficient & { kappa: number | null };
  krippendorff: { alpha: number | null; interpretation: string | null; undefinedReason: string | null };
  gwet: Coefficient & { ac1: number | null; coefficient: string };
  pairwise: {
    raters: [string, string];
    items: number;
    percentAgreement: number | null;
    kappa: number | null;
    interpretation: string | null;
  }[];
  raterReport: {
    rater: string;
    rated: number;
    gold: Comparison | null;
    consensus: Comparison & { ties: number; noConsensus: number };
  }[];
  items: {
    id: string;
    gold: Label | null;
    consensus: Label | null;
    tie: boolean;
    agreement: number | null;
    ratings: number;
    labels: Record<string, Label | null>;
  }[];
}

const LEVELS = ["nominal", "ordinal", "interval", "ratio"] as const;

function SessionList() {
  const { t, fmt } = useI18n();
  const { me } = useSession();
  const list = useAsync(
    (signal) => api<{ calibrations: Calibration[] }>("GET", "/v1/calibrations", { signal }),
    [],
  );
  const [creating, setCreating] = useState(false);
  const columns: Column<Calibration>[] = [
    {
      key: "name",
      label: t("calibration.name"),
      sortValue: (c) => c.name,
      render: (c) => <Link href={`/calibration/${encodeURIComponent(c.id)}`}>{c.name}</Link>,
    },
    {
      key: "status",
      label: t("calibration.status"),
      sortValue: (c) => c.status,
      render: (c) => <span class={`badge ${c.status}`}>{t(`calibration.status.${c.status}`)}</span>,
    },
    {
      key: "items",
      label: t("calibration.items"),
      numeric: true,
      sortValue: (c) => c.items,
      render: (c) => fmt.integer(c.items),
    },
    {
      key: "raters",
      label: t("calibration.raters"),
      sortValue: (c) => c.raters.length,
      render: (c) => c.raters.join(", "),
    },
    {
      key: "progress",
      label: t("calibration.progress"),
      sortValue: (c) => (c.expected ? c.labelled / c.expected : 0),
      render: (c) => (
        <Progress value={c.labelled} max={c.expected} label={t("calibration.progressOf", { name: c.name })} />
      ),
    },
    {
      key: "created",
      label: t("calibration.created"),
      sortValue: (c) => c.createdAt,
      date: true,
      render: (c) => fmt.dateTime(c.createdAt),
    },
    {
      key: "mine",
      label: t("calibration.yourPart"),
      render: (c) =>
        me?.rater && c.raters.includes(me.rater) && c.status === "open" ? (
          <Link href={`/calibration/${encodeURIComponent(c.id)}`}>{t("calibration.labelNow")}</Link>
        ) : c.status === "closed" ? (
          <Link href={`/calibration/${encodeURIComponent(c.id)}`}>{t("calibration.readReport")}</Link>
        ) : (
          ""
        ),
    },
  ];
  return (
    <Section
      title={t("calibration.sessions")}
      actions={
        atLeast(me, "lead") && (
          <button
            type="button"
            class="primary"
            aria-expanded={creating}
            onClick={() => setCreating((c) => !c)}
          >
            {t("calibration.new")}
          </button>
        )
      }
    >
      {creating && <NewSession onCreated={(c) => navigate(`/calibration/${encodeURIComponent(c.id)}`)} />}
      <Loading when={list.loading} />
      <ErrorBox error={list.error} />
      {list.data && (
        <SortableTable
          testId="calibration-list"
          columns={columns}
          rows={list.data.calibrations}
          rowKey={(c) => c.id}
          caption={t("calibration.sessions")}
        />
      )}
    </Section>
  );
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

function NewSession({ onCreated }: { onCreated(c: Calibration): void }) {
  const { t } = useI18n();
  const [name, setName] = useState("");
  const [level, setLevel] = useState<(typeof LEVELS)[number]>("nominal");
  const [categories, setCategories] = useState("");
  const [items, setItems] = useState("");
  const [raters, setRaters] = useState("");
  const numeric = level === "interval" || level === "ratio";
  const asLabel = (text: string): Label =>
    numeric && text !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
  return (
    <form class="subform" onSubmit={(e) => e.preventDefault()} aria-label={t("calibration.new")}>
      <div class="grid">
        <Field label={t("calibration.name")} value={name} onValue={setName} name="session-name" />
        <SelectField
          label={t("calibration.level")}
          value={level}
          onValue={setLevel}
          options={LEVELS.map((l) => ({ value: l, label: t(`level.${l}`) }))}
        />
      </div>
      <div class="grid three">
        <TextArea
          label={t("calibration.categories")}
          value={categories}
          onValue={setCategories}
          hint={t("calibration.categories.hint")}
        />
        <TextArea
          label={t("calibration.itemsField")}
          value={items}
          onValue={setItems}
          hint={t("calibration.items.hint")}
        />
        <TextArea
          label={t("calibration.raters")}
          value={raters}
          onValue={setRaters}
          hint={t("calibration.raters.hint")}
        />
      </div>
      <ActionButton
        label={t("calibration.create")}
        run={async () => {
          const created = await api<Calibration>("POST", "/v1/calibrations", {
            json: {
              name: name.trim(),
              level,
              categories: lines(categories).map(asLabel),
              items: lines(items).map((line) => {
                const comma = line.indexOf(",");
                if (comma < 0) return { id: line };
                const gold = line.slice(comma + 1).trim();
                return { id: line.slice(0, comma).trim(), gold: gold === "" ? null : asLabel(gold) };
              }),
              raters: lines(raters),
            },
          });
          onCreated(created);
        }}
      />
    </form>
  );
}

const labelKey = (label: Label | null | undefined) =>
  label === null || label === undefined ? "" : `${typeof label}:${String(label)}`;

/** An auditor's own labels while the session is open: only GET/PUT …/ratings/{their rater}. */
function OwnLabels({
  session,
  rater,
  onSaved,
}: {
  session: CalibrationDetail;
  rater: string;
  onSaved(): void;
}) {
  const { t, fmt, lang } = useI18n();
  const own = useAsync(
    (signal) =>
      api<{ ratings: Record<string, Label> }>(
        "GET",
        `/v1/calibrations/${encodeURIComponent(session.id)}/ratings/${encodeURIComponent(rater)}`,
        { signal },
      ),
    [session.id, rater],
  );
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<{ written: number; cleared: number } | null>(null);
  useEffect(() => {
    if (own.data) {
      setDraft(
        Object.fromEntries(session.itemList.map((item) => [item.id, labelKey(own.data!.ratings[item.id])])),
      );
    }
  }, [own.data, session.itemList]);
  const byKey = new Map(session.categories.map((c) => [labelKey(c), c]));
  const stored = own.data?.ratings ?? {};
  const changes = Object.entries(draft).filter(([item, key]) => key !== labelKey(stored[item]));
  const done = Object.values(draft).filter((k) => k !== "").length;
  return (
    <Section title={t("calibration.yourLabels", { rater })}>
      <p class="lead">{t("calibration.blindNote")}</p>
      <Loading when={own.loading} />
      <ErrorBox error={own.error} />
      {own.data && (
        <form
          onSubmit={(e) => e.preventDefault()}
          aria-label={t("calibration.yourLabels", { rater })}
          data-testid="own-labels"
        >
          <Progress value={done} max={session.items} label={t("calibration.yourProgress")} />
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">{t("calibration.yourLabels", { rater })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("calibration.item")}</th>
                  <th scope="col">{t("calibration.label")}</th>
                </tr>
              </thead>
              <tbody>
                {session.itemList.map((item) => (
                  <tr key={item.id}>
                    <th scope="row">{item.id}</th>
                    <td>
                      <select
                        aria-label={t("calibration.labelFor", { item: item.id })}
                        value={draft[item.id] ?? ""}
                        data-item={item.id}
                        onChange={(e) =>
                          setDraft((d) => ({ ...d, [item.id]: (e.target as HTMLSelectElement).value }))
                        }
                      >
                        <option value="">{t("calibration.noLabel")}</option>
                        {session.categories.map((c) => (
                          <option key={labelKey(c)} value={labelKey(c)}>
                            {String(c)}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="buttons">
            <ActionButton
              label={plural(lang, "calibration.saveChanges", changes.length)}
              disabled={changes.length === 0}
              testId="save-labels"
              run={async () => {
                const ratings = Object.fromEntries(
                  changes.map(([item, key]) => [item, key === "" ? null : (byKey.get(key) ?? null)]),
                );
                const result = await api<{ written: number; cleared: number }>(
                  "PUT",
                  `/v1/calibrations/${encodeURIComponent(session.id)}/ratings/${encodeURIComponent(rater)}`,
                  { json: { ratings } },
                );
                setSaved(result);
                own.reload();
                onSaved();
              }}
            />
          </div>
          {saved && (
            <p class="success" role="status">
              {t("calibration.saved", {
                written: fmt.integer(saved.written),
                cleared: fmt.integer(saved.cleared),
              })}
            </p>
          )}
        </form>
      )}
    </Section>
  );
}

/** Background colour of a heatmap cell: red below 0, white at 0.4, deep blue at 1 (text colour chosen for contrast). */
export function heatColour(value: number | null): { background: string; color: string } {
  if (value === null || !Number.isFinite(value)) return { background: "#e5e7eb", color: "#111827" };
  const v = Math.max(-1, Math.min(1, value));
  if (v < 0.4) {
    const s = (0.4 - v) / 1.4;
    const light = 96 - s * 40;
    return { background: `hsl(0 70% ${light.toFixed(0)}%)`, color: "#111827" };
  }
  const s = (v - 0.4) / 0.6;
  const light = 96 - s * 66;
  return { background: `hsl(218 70% ${light.toFixed(0)}%)`, color: light < 55 ? "#ffffff" : "#111827" };
}

function Heatmap({ report }: { report: Report }) {
  const { t, fmt } = useI18n();
  const band = useCodeLabel();
  const pair = new Map<string, Report["pairwise"][number]>();
  for (const p of report.pairwise) {
    pair.set(JSON.stringify(p.raters), p);
    pair.set(JSON.stringify([p.raters[1], p.raters[0]]), p);
  }
  return (
    <div class="table-wrap">
      <table class="heatmap" data-testid="heatmap">
        <caption>{t("calibration.heatmap")}</caption>
        <thead>
          <tr>
            <td />
            {report.raters.map((r) => (
              <th key={r} scope="col">
                {r}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.raters.map((row) => (
            <tr key={row}>
              <th scope="row">{row}</th>
              {report.raters.map((col) => {
                if (row === col)
                  return (
                    <td key={col} class="self" data-cell="self">
                      <span aria-hidden="true">—</span>
                      <span class="visually-hidden">{t("calibration.self")}</span>
                    </td>
                  );
                const p = pair.get(JSON.stringify([row, col]));
                const colour = heatColour(p?.kappa ?? null);
                return (
                  <td
                    key={col}
                    data-cell="pair"
                    style={{ backgroundColor: colour.background, color: colour.color }}
                    title={t("calibration.pairTitle", {
                      a: row,
                      b: col,
                      kappa: fmt.fixed(p?.kappa, 2),
                      agreement: fmt.percent(p?.percentAgreement, 1),
                      items: fmt.integer(p?.items),
                    })}
                  >
                    <span class="cell-value">{fmt.fixed(p?.kappa, 2)}</span>
                    <span class="visually-hidden"> {band("band", p?.interpretation)}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">{t("calibration.heatmap.hint")}</p>
    </div>
  );
}

function CalibrationReport({ session }: { session: CalibrationDetail }) {
  const { t, fmt } = useI18n();
  const band = useCodeLabel();
  const [weights, setWeights] = useState<"unweighted" | "linear" | "quadratic">("unweighted");
  const [showAll, setShowAll] = useState(false);
  const report = useAsync(
    (signal) =>
      api<Report>("GET", `/v1/calibrations/${encodeURIComponent(session.id)}/report`, {
        query: { weights: weights === "unweighted" ? undefined : weights },
        signal,
      }),
    [session.id, weights],
  );
  const r = report.data;
  const coefficients = useMemo(() => {
    if (!r) return [];
    const rows: {
      key: string;
      name: string;
      value: number | null;
      c?: Coefficient;
      band: string | null;
      reason: string | null;
    }[] = [{ key: "percent", name: t("coef.percent"), value: r.percentAgreement, band: null, reason: null }];
    if (r.cohen)
      rows.push({
        key: "cohen",
        name: t("coef.cohen"),
        value: r.cohen.kappa,
        c: r.cohen,
        band: r.cohen.interpretation,
        reason: r.cohen.undefinedReason,
      });
    rows.push({
      key: "fleiss",
      name: t("coef.fleiss"),
      value: r.fleiss.kappa,
      c: r.fleiss,
      band: r.fleiss.interpretation,
      reason: r.fleiss.undefinedReason,
    });
    rows.push({
      key: "gwet",
      name: t(r.gwet.coefficient === "AC2" ? "coef.ac2" : "coef.ac1"),
      value: r.gwet.ac1,
      c: r.gwet,
      band: r.gwet.interpretation,
      reason: r.gwet.undefinedReason,
    });
    rows.push({
      key: "alpha",
      name: t("coef.alpha"),
      value: r.krippendorff.alpha,
      band: r.krippendorff.interpretation,
      reason: r.krippendorff.undefinedReason,
    });
    return rows;
  }, [r, t]);
  const raterColumns: Column<Report["raterReport"][number]>[] = [
    { key: "rater", label: t("calibration.rater"), sortValue: (x) => x.rater, render: (x) => x.rater },
    {
      key: "rated",
      label: t("calibration.rated"),
      numeric: true,
      sortValue: (x) => x.rated,
      render: (x) => fmt.integer(x.rated),
    },
    {
      key: "goldAcc",
      label: t("calibration.goldAccuracy"),
      numeric: true,
      sortValue: (x) => x.gold?.accuracy ?? null,
      render: (x) => fmt.percent(x.gold?.accuracy, 1),
    },
    {
      key: "goldKappa",
      label: t("calibration.goldKappa"),
      numeric: true,
      sortValue: (x) => x.gold?.kappa ?? null,
      render: (x) =>
        `${fmt.fixed(x.gold?.kappa, 3)} ${x.gold?.interpretation ? `(${band("band", x.gold.interpretation)})` : ""}`,
    },
    {
      key: "consAcc",
      label: t("calibration.consensusAccuracy"),
      numeric: true,
      sortValue: (x) => x.consensus.accuracy,
      render: (x) => fmt.percent(x.consensus.accuracy, 1),
    },
    {
      key: "consKappa",
      label: t("calibration.consensusKappa"),
      numeric: true,
      sortValue: (x) => x.consensus.kappa,
      render: (x) =>
        `${fmt.fixed(x.consensus.kappa, 3)} ${x.consensus.interpretation ? `(${band("band", x.consensus.interpretation)})` : ""}`,
    },
  ];
  const shownItems = r ? (showAll ? r.items : r.items.slice(0, 25)) : [];
  return (
    <Section
      title={t("calibration.report")}
      actions={
        <>
          <SelectField
            label={t("calibration.weights")}
            value={weights}
            onValue={setWeights}
            options={[
              { value: "unweighted", label: t("weights.unweighted") },
              { value: "linear", label: t("weights.linear") },
              { value: "quadratic", label: t("weights.quadratic") },
            ]}
          />
          <ActionButton
            kind="secondary"
            label={t("common.exportCsv")}
            run={() =>
              download(
                `/v1/calibrations/${encodeURIComponent(session.id)}/report`,
                `calibration-${session.id}.csv`,
                {
                  format: "csv",
                },
              )
            }
          />
          <ActionButton
            kind="secondary"
            label={t("common.exportXlsx")}
            run={() =>
              download(
                `/v1/calibrations/${encodeURIComponent(session.id)}/report`,
                `calibration-${session.id}.xlsx`,
                { format: "xlsx" },
              )
            }
          />
        </>
      }
    >
      <Loading when={report.loading} />
      <ErrorBox error={report.error} />
      {r && (
        <>
          <div class="table-wrap">
            <table data-testid="coefficients">
              <caption>{t("calibration.coefficients", { confidence: fmt.percent(r.confidence, 0) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("calibration.coefficient")}</th>
                  <th scope="col" class="num">
                    {t("calibration.value")}
                  </th>
                  <th scope="col" class="num">
                    {t("calibration.interval")}
                  </th>
                  <th scope="col">{t("calibration.band")}</th>
                </tr>
              </thead>
              <tbody>
                {coefficients.map((row) => (
                  <tr key={row.key} data-coefficient={row.key}>
                    <th scope="row">{row.name}</th>
                    <td class="num">
                      {row.key === "percent" ? fmt.percent(row.value, 1) : fmt.fixed(row.value, 3)}
                    </td>
                    <td class="num">
                      {row.c && row.c.lower !== null
                        ? `${fmt.fixed(row.c.lower, 3)} – ${fmt.fixed(row.c.upper, 3)}`
                        : "–"}
                    </td>
                    <td>
                      {row.value === null && row.key !== "percent" ? (
                        <span title={row.reason ?? undefined}>{t("calibration.undefined")}</span>
                      ) : (
                        band("band", row.band)
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="hint">{t("calibration.paradox")}</p>
          <Heatmap report={r} />
          <SortableTable
            testId="rater-report"
            caption={t("calibration.raterTable")}
            columns={raterColumns}
            rows={r.raterReport}
            rowKey={(x) => x.rater}
          />
          <LatentClassPanel
            sessionId={session.id}
            gold={r.raterReport.map((x) => ({ rater: x.rater, accuracy: x.gold?.accuracy ?? null }))}
          />
          <div class="table-wrap">
            <table data-testid="disagreement">
              <caption>{t("calibration.itemsToDiscuss")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("calibration.item")}</th>
                  <th scope="col">{t("calibration.gold")}</th>
                  <th scope="col">{t("calibration.consensus")}</th>
                  <th scope="col" class="num">
                    {t("calibration.agreement")}
                  </th>
                  {r.raters.map((rater) => (
                    <th key={rater} scope="col">
                      {rater}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {shownItems.map((item) => (
                  <tr key={item.id}>
                    <th scope="row">{item.id}</th>
                    <td>{item.gold === null ? "–" : String(item.gold)}</td>
                    <td>
                      {item.tie
                        ? t("calibration.tie")
                        : item.consensus === null
                          ? "–"
                          : String(item.consensus)}
                    </td>
                    <td class="num">{fmt.percent(item.agreement, 0)}</td>
                    {r.raters.map((rater) => {
                      const label = item.labels[rater];
                      const differs = label !== null && item.consensus !== null && label !== item.consensus;
                      return (
                        <td key={rater} class={differs ? "differs" : undefined}>
                          {label === null ? "–" : String(label)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {r.items.length > 25 && (
            <button
              type="button"
              class="secondary"
              onClick={() => setShowAll((s) => !s)}
              aria-expanded={showAll}
            >
              {showAll ? t("common.showFewer") : t("common.showAll", { n: fmt.integer(r.items.length) })}
            </button>
          )}
        </>
      )}
    </Section>
  );
}

function SessionDetail({ id }: { id: string }) {
  const { t, fmt } = useI18n();
  const { me } = useSession();
  const detail = useAsync(
    (signal) => api<CalibrationDetail>("GET", `/v1/calibrations/${encodeURIComponent(id)}`, { signal }),
    [id],
  );
  const s = detail.data;
  const mine = s && me?.role === "auditor" && me.rater && s.raters.includes(me.rater) ? me.rater : null;
  return (
    <div>
      <p>
        <Link href="/calibration">{t("calibration.back")}</Link>
      </p>
      <Loading when={detail.loading} />
      <ErrorBox error={detail.error} />
      {s && (
        <>
          <h1>
            {s.name} <span class={`badge ${s.status}`}>{t(`calibration.status.${s.status}`)}</span>
          </h1>
          <p class="summary">
            {t("calibration.meta", {
              items: fmt.integer(s.items),
              raters: fmt.integer(s.raters.length),
              level: t(`level.${s.level as "nominal"}`),
              created: fmt.dateTime(s.createdAt),
            })}
            {s.closedAt ? ` · ${t("calibration.closedAt", { at: fmt.dateTime(s.closedAt) })}` : ""}
          </p>
          <p>
            {t("calibration.categories")}:{" "}
            {s.categories.map((c) => (
              <span key={String(c)} class="chip">
                {String(c)}
              </span>
            ))}
          </p>
          <Section
            title={t("calibration.progress")}
            actions={
              s.status === "open" &&
              atLeast(me, "lead") && (
                <ActionButton
                  kind="danger"
                  label={t("calibration.close")}
                  testId="close-session"
                  run={async () => {
                    if (!window.confirm(t("calibration.closeConfirm"))) return;
                    await api("POST", `/v1/calibrations/${encodeURIComponent(s.id)}/close`);
                    detail.reload();
                  }}
                />
              )
            }
          >
            <ul class="progress-list">
              {s.progress.map((p) => (
                <li key={p.rater}>
                  <span class="who-name">{p.rater}</span>
                  <Progress
                    value={p.labelled}
                    max={p.labelled + p.remaining}
                    label={t("calibration.progressOf", { name: p.rater })}
                  />
                </li>
              ))}
            </ul>
            {s.status === "open" && !mine && <p class="notice">{t("calibration.blindOthers")}</p>}
          </Section>
          {s.status === "open" && mine && <OwnLabels session={s} rater={mine} onSaved={detail.reload} />}
          {s.status === "closed" && <CalibrationReport session={s} />}
        </>
      )}
    </div>
  );
}

export function CalibrationPage({ id }: { id?: string }) {
  const { t } = useI18n();
  if (id) return <SessionDetail id={id} />;
  return (
    <div>
      <h1>{t("calibration.title")}</h1>
      <p class="lead">{t("calibration.intro")}</p>
      <SessionList />
    </div>
  );
}
