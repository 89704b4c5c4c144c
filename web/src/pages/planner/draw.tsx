import { useMemo, useState } from "preact/hooks";
import { ApiFailure, api, download } from "../../api.ts";
import {
  ActionButton,
  Checkbox,
  type Column,
  CountField,
  Field,
  PercentField,
  Section,
  SelectField,
  SortableTable,
  TextArea,
  useAsync,
} from "../../components/ui.tsx";
import { inOpen, isCount, parseNumber } from "../../forms.ts";
import { plural, useI18n } from "../../i18n/index.ts";
import { Link } from "../../router.tsx";
import {
  isXlsx,
  SPREADSHEET_ACCEPT,
  type UploadCharset,
  uploadContentType,
  uploadQuery,
} from "../../uploads.ts";
import type { GoldPlacement } from "../auditors/types.ts";
import { sampleHref } from "../samples/types.ts";
import { type AllocationMethod, AllocationMethodField } from "./allocation-method.tsx";
import { ExpectedRatesField, NO_RATES, type RatesChoice, ratesBody } from "./draw-rates.tsx";
import { type Notice, PlanNotes } from "./notices.tsx";

interface Population {
  id: string;
  name: string | null;
  count: number;
  /** Attribute → number of distinct values. */
  attributes: Record<string, number>;
  createdAt: string;
}
interface Sample {
  id: string;
  name: string;
  population: string;
  seed: string;
  n: number;
  strata: { key: string; size: number; n: number; expectedRate?: number }[];
  notes: string[];
  notices: Notice[];
  createdAt: string;
}
interface Assignment {
  n: number;
  loads: { auditor: string; items: number }[];
  balanced: boolean;
  /** The gold items mixed in (leads only; absent without `gold` in the request). */
  gold?: GoldPlacement;
}
/** A current auditor's items, as the 409 `already_assigned` of a second assignment lists them. */
interface CurrentLoad {
  auditor: string;
  done: number;
  skipped: number;
  todo: number;
}

/** Upload (or pick) a population, choose strata and allocation, draw, assign auditors, download the items. */
export function SampleDraw() {
  const { t, fmt, lang } = useI18n();
  const populations = useAsync(
    (signal) => api<{ populations: Population[] }>("GET", "/v1/populations", { signal }),
    [],
  );
  const [name, setName] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [charset, setCharset] = useState<UploadCharset>("utf-8");
  const [population, setPopulation] = useState<Population | null>(null);
  const [strataBy, setStrataBy] = useState<string[]>([]);
  const [allocation, setAllocation] = useState<AllocationMethod>("proportional");
  const [mode, setMode] = useState<"total" | "margin" | "perStratum">("margin");
  const [total, setTotal] = useState("400");
  const [confidence, setConfidence] = useState("95");
  const [margin, setMargin] = useState("5");
  const [expected, setExpected] = useState("50");
  const [minimum, setMinimum] = useState("");
  const [seed, setSeed] = useState("");
  const [sampleName, setSampleName] = useState("");
  const [rates, setRates] = useState<RatesChoice>(NO_RATES);
  const [sample, setSample] = useState<Sample | null>(null);
  const [auditors, setAuditors] = useState("");
  /** The optional gold mix: share of each auditor's items (%) and a minimum per auditor; empty: no gold. */
  const [goldShare, setGoldShare] = useState("");
  const [goldMin, setGoldMin] = useState("");
  const [assigned, setAssigned] = useState<Assignment | null>(null);
  /** Set while a lead confirms replacing an assignment: the current auditors' work from the 409. */
  const [replacing, setReplacing] = useState<CurrentLoad[] | null>(null);
  const [deleting, setDeleting] = useState(false);

  const choose = (p: Population | null) => {
    setPopulation(p);
    setStrataBy([]);
    setRates(NO_RATES);
    setSample(null);
    setAssigned(null);
    setReplacing(null);
    setDeleting(false);
  };
  const auditorNames = () =>
    auditors
      .split(/[\n,]/)
      .map((a) => a.trim())
      .filter(Boolean);
  const goldShareValue = parseNumber(goldShare);
  const goldMinValue = parseNumber(goldMin);
  const goldProblem =
    (goldShare.trim() !== "" &&
      (goldShareValue === undefined || goldShareValue < 0 || goldShareValue > 50)) ||
    (goldMin.trim() !== "" && !(isCount(goldMinValue) && goldMinValue! <= 1000));
  const goldMix = () =>
    goldShare.trim() === "" && goldMin.trim() === ""
      ? {}
      : { gold: { share: (goldShareValue ?? 0) / 100, perAuditorMin: goldMinValue ?? 0 } };
  const assign = async (replace: boolean) => {
    try {
      setAssigned(
        await api<Assignment>("POST", `/v1/samples/${encodeURIComponent(sample!.id)}/assign`, {
          json: { auditors: auditorNames(), ...(replace ? { replace: true } : {}), ...goldMix() },
        }),
      );
      setReplacing(null);
    } catch (error) {
      if (!(error instanceof ApiFailure) || error.code !== "already_assigned") throw error;
      setAssigned(null);
      setReplacing(error.details as CurrentLoad[]);
    }
  };

  const strataColumns: Column<Sample["strata"][number]>[] = [
    { key: "key", label: t("planner.stratum"), sortValue: (s) => s.key, render: (s) => s.key },
    {
      key: "size",
      label: t("planner.stratumSize"),
      numeric: true,
      sortValue: (s) => s.size,
      render: (s) => fmt.integer(s.size),
    },
    {
      key: "n",
      label: t("planner.allocated"),
      numeric: true,
      sortValue: (s) => s.n,
      render: (s) => fmt.integer(s.n),
    },
    {
      key: "fraction",
      label: t("planner.samplingFraction"),
      numeric: true,
      sortValue: (s) => (s.size > 0 ? s.n / s.size : null),
      render: (s) => (s.size > 0 ? fmt.percent(s.n / s.size, 2) : "–"),
    },
  ];

  // Expected rates matter only to Neyman weights and per-stratum sizing: the field shows, and counts, only then.
  const ratesShown = mode === "perStratum" || allocation === "neyman";
  const ratesUsed = ratesShown ? rates : NO_RATES;
  const problem = useMemo(() => {
    if (mode === "total" && !isCount(parseNumber(total), 1)) return "planner.invalid.total" as const;
    if (mode !== "total") {
      if (!inOpen(parseNumber(margin), 0, 50)) return "planner.invalid.margin" as const;
      if (!inOpen(parseNumber(confidence), 0, 100)) return "planner.invalid.confidence" as const;
      const p = parseNumber(expected);
      if (p === undefined || p < 0 || p > 100) return "planner.invalid.expected" as const;
    }
    if (minimum.trim() !== "" && !isCount(parseNumber(minimum))) return "planner.invalid.minimum" as const;
    const rated = ratesBody(ratesUsed);
    if ("invalid" in rated) return rated.invalid;
    if (sampleName.trim().length > 200) return "planner.invalid.sampleName" as const;
    return undefined;
  }, [mode, total, margin, confidence, expected, minimum, ratesUsed, sampleName]);

  const drawBody = () => {
    const body: Record<string, unknown> = { population: population!.id };
    if (strataBy.length > 0) body.strata = strataBy;
    const sizing = {
      confidence: parseNumber(confidence)! / 100,
      margin: parseNumber(margin)! / 100,
      expectedRate: parseNumber(expected)! / 100,
    };
    if (mode === "perStratum") body.perStratum = sizing;
    else {
      body.allocation = allocation;
      if (mode === "total") body.total = parseNumber(total);
      else Object.assign(body, sizing);
    }
    if (minimum.trim() !== "") body.minPerStratum = parseNumber(minimum);
    if (seed.trim() !== "") body.seed = seed.trim();
    if (sampleName.trim() !== "") body.name = sampleName.trim();
    const rated = ratesBody(ratesUsed);
    if ("body" in rated) Object.assign(body, rated.body);
    return body;
  };

  const list = populations.data?.populations ?? [];
  return (
    <Section title={t("planner.draw.title")}>
      <p class="lead">{t("planner.draw.intro")}</p>
      <h3>{t("planner.draw.step1")}</h3>
      {list.length > 0 && (
        <SelectField
          label={t("planner.existingPopulation")}
          value={population?.id ?? ""}
          onValue={(id) => choose(list.find((p) => p.id === id) ?? null)}
          options={[
            { value: "", label: t("planner.choosePopulation") },
            ...list.map((p) => ({
              value: p.id,
              label: t("planner.populationUploaded", {
                name: p.name ?? p.id,
                count: fmt.integer(p.count),
                at: fmt.dateTime(p.createdAt),
              }),
            })),
          ]}
        />
      )}
      {population && list.some((p) => p.id === population.id) && (
        <div class="buttons">
          {!deleting ? (
            <button
              type="button"
              class="secondary"
              onClick={() => setDeleting(true)}
              data-testid="population-delete"
            >
              {t("planner.population.delete")}
            </button>
          ) : (
            <fieldset class="confirm" data-testid="population-delete-confirm">
              <legend class="summary">
                {t("planner.population.deleteConfirm", {
                  name: population.name ?? population.id,
                  count: fmt.integer(population.count),
                  at: fmt.dateTime(population.createdAt),
                })}
              </legend>
              <div class="buttons">
                <ActionButton
                  kind="danger"
                  label={t("planner.population.deleteDo")}
                  run={async () => {
                    await api("DELETE", `/v1/populations/${encodeURIComponent(population.id)}`);
                    choose(null);
                    populations.reload();
                  }}
                />
                <button type="button" class="secondary" onClick={() => setDeleting(false)}>
                  {t("audit.reassign.cancel")}
                </button>
              </div>
            </fieldset>
          )}
        </div>
      )}
      <div class="grid">
        <Field label={t("planner.populationName")} value={name} onValue={setName} name="population-name" />
        <div class="field">
          <label for="population-file">{t("planner.populationFile")}</label>
          <input
            id="population-file"
            type="file"
            accept={SPREADSHEET_ACCEPT}
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
            aria-describedby="population-file-hint"
          />
          <span id="population-file-hint" class="hint">
            {t("planner.populationFile.hint")}
          </span>
        </div>
        {file && !isXlsx(file) && (
          <SelectField
            label={t("upload.charset")}
            value={charset}
            onValue={(value) => setCharset(value as UploadCharset)}
            name="population-charset"
            options={[
              { value: "utf-8", label: t("upload.charset.utf8") },
              { value: "cp949", label: t("upload.charset.cp949") },
            ]}
          />
        )}
      </div>
      <ActionButton
        label={t("planner.upload")}
        disabled={!file}
        run={async () => {
          const uploaded = await api<Population>("POST", "/v1/populations", {
            query: { name: name.trim() || file!.name, ...uploadQuery(file!, charset) },
            body: file!,
            contentType: uploadContentType(file!),
          });
          choose(uploaded);
          populations.reload();
        }}
      />
      {population && (
        <>
          <p data-testid="population-summary">
            {t("planner.populationLoaded", {
              id: population.name ?? population.id,
              count: fmt.integer(population.count),
            })}
          </p>
          <h3>{t("planner.draw.step2")}</h3>
          <fieldset class="checks">
            <legend>{t("planner.strataBy")}</legend>
            {Object.keys(population.attributes).length === 0 && (
              <p class="hint">{t("planner.noAttributes")}</p>
            )}
            {Object.entries(population.attributes).map(([attribute, distinct]) => (
              <Checkbox
                key={attribute}
                label={t("planner.attribute", { name: attribute, n: fmt.integer(distinct) })}
                checked={strataBy.includes(attribute)}
                onChecked={(on) =>
                  setStrataBy((all) => (on ? [...all, attribute] : all.filter((a) => a !== attribute)))
                }
              />
            ))}
          </fieldset>
          <div class="grid">
            <SelectField
              label={t("planner.sizeFrom")}
              value={mode}
              onValue={setMode}
              options={[
                { value: "margin", label: t("planner.sizeFrom.margin") },
                { value: "total", label: t("planner.sizeFrom.total") },
                { value: "perStratum", label: t("planner.sizeFrom.perStratum") },
              ]}
            />
            {mode !== "perStratum" && <AllocationMethodField value={allocation} onValue={setAllocation} />}
            {mode === "total" ? (
              <CountField label={t("planner.total")} value={total} onValue={setTotal} />
            ) : (
              <>
                <PercentField label={t("planner.confidence")} value={confidence} onValue={setConfidence} />
                <PercentField label={t("planner.margin")} value={margin} onValue={setMargin} suffix="± %" />
                <PercentField label={t("planner.expected")} value={expected} onValue={setExpected} />
              </>
            )}
            <CountField label={t("planner.minPerStratum")} value={minimum} onValue={setMinimum} />
            <Field label={t("planner.seed")} value={seed} onValue={setSeed} hint={t("planner.seed.hint")} />
            <Field
              label={t("planner.sampleName")}
              value={sampleName}
              onValue={setSampleName}
              name="sample-name"
              hint={t("planner.sampleName.hint", {
                example: `${population.name ?? population.id} ${new Date().toLocaleDateString("en-CA")}`,
              })}
            />
          </div>
          {ratesShown && (
            <ExpectedRatesField
              populationId={population.id}
              strataBy={strataBy}
              value={rates}
              onValue={setRates}
            />
          )}
          <p class="hint">
            {t(mode === "perStratum" ? "planner.perStratum.note" : `allocation.${allocation}.note`)}
          </p>
          {problem && <p class="notice">{t(problem)}</p>}
          <ActionButton
            label={t("planner.drawButton")}
            disabled={!!problem}
            testId="draw-sample"
            run={async () => {
              setSample(await api<Sample>("POST", "/v1/samples", { json: drawBody() }));
              setAssigned(null);
              setReplacing(null);
            }}
          />
        </>
      )}
      {sample && (
        <>
          <h3>{t("planner.draw.step3")}</h3>
          <p data-testid="sample-summary">
            {t("planner.sampleDrawnNamed", {
              name: sample.name,
              n: fmt.integer(sample.n),
              seed: sample.seed,
            })}{" "}
            <Link href={sampleHref(sample.id)}>{t("planner.openSample")}</Link>
          </p>
          <SortableTable
            columns={strataColumns}
            rows={sample.strata}
            rowKey={(s) => s.key}
            caption={t("planner.sampleStrata")}
          />
          <PlanNotes notes={sample.notes} notices={sample.notices} />
          <TextArea
            label={t("planner.assignTo")}
            value={auditors}
            onValue={setAuditors}
            rows={2}
            hint={t("planner.assignTo.hint")}
          />
          <fieldset class="filters" data-testid="gold-mix">
            <legend>{t("planner.gold")}</legend>
            <div class="grid">
              <PercentField
                label={t("planner.gold.share")}
                value={goldShare}
                onValue={setGoldShare}
                name="gold-share"
                hint={t("planner.gold.share.hint")}
              />
              <CountField
                label={t("planner.gold.perAuditorMin")}
                value={goldMin}
                onValue={setGoldMin}
                name="gold-min"
              />
            </div>
            <p class="hint">{t("planner.gold.hint")}</p>
            {goldProblem && <p class="notice">{t("planner.gold.invalid")}</p>}
          </fieldset>
          <div class="buttons">
            <ActionButton
              label={t("planner.assign")}
              disabled={auditors.trim() === "" || goldProblem}
              run={() => assign(false)}
            />
            <ActionButton
              kind="secondary"
              label={t("planner.downloadItems")}
              run={() =>
                download(`/v1/samples/${encodeURIComponent(sample.id)}/items`, `sample-${sample.id}.csv`, {
                  format: "csv",
                })
              }
            />
          </div>
          {replacing && (
            <fieldset class="confirm" data-testid="assign-replace-confirm">
              <legend class="summary">
                {t("planner.replace.confirm", { auditors: auditorNames().join(", ") })}
              </legend>
              <ul>
                {replacing.map((load) => (
                  <li key={load.auditor}>
                    {t("planner.replace.load", {
                      auditor: load.auditor,
                      done: fmt.integer(load.done),
                      skipped: fmt.integer(load.skipped),
                      todo: fmt.integer(load.todo),
                    })}
                  </li>
                ))}
              </ul>
              <p class="hint">{t("planner.replace.effect")}</p>
              <div class="buttons">
                <ActionButton
                  kind="danger"
                  label={t("planner.replace.do")}
                  testId="assign-replace"
                  run={() => assign(true)}
                />
                <button type="button" class="secondary" onClick={() => setReplacing(null)}>
                  {t("audit.reassign.cancel")}
                </button>
              </div>
            </fieldset>
          )}
          {assigned && (
            <div class="success" role="status">
              <p>{t("planner.assigned", { n: fmt.integer(assigned.n) })}</p>
              <ul>
                {assigned.loads.map((l) => (
                  <li key={l.auditor}>
                    {t("planner.load", { auditor: l.auditor, items: fmt.integer(l.items) })}
                  </li>
                ))}
              </ul>
              {!assigned.balanced && <p>{t("planner.unbalanced")}</p>}
              {assigned.gold && (
                <div data-testid="gold-placement">
                  <p>
                    {t("planner.gold.placed", {
                      n: fmt.integer(assigned.gold.items),
                      kept: fmt.integer(assigned.gold.kept),
                    })}
                  </p>
                  <ul>
                    {assigned.gold.byAuditor.map((g) => (
                      <li key={g.auditor}>
                        {plural(lang, "planner.gold.load", g.items, { auditor: g.auditor })}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </div>
          )}
        </>
      )}
    </Section>
  );
}
