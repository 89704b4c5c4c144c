import { useMemo, useState } from "preact/hooks";
import { api, download } from "../../api.ts";
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
import { useI18n } from "../../i18n/index.ts";
import { type AllocationMethod, AllocationMethodField } from "./allocation-method.tsx";

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
  population: string;
  seed: string;
  n: number;
  strata: { key: string; size: number; n: number; expectedRate?: number }[];
  notes: string[];
  createdAt: string;
}
interface Assignment {
  n: number;
  loads: { auditor: string; items: number }[];
  balanced: boolean;
  notes: string[];
}

/** Upload (or pick) a population, choose strata and allocation, draw, assign auditors, download the items. */
export function SampleDraw() {
  const { t, fmt } = useI18n();
  const populations = useAsync(
    (signal) => api<{ populations: Population[] }>("GET", "/v1/populations", { signal }),
    [],
  );
  const [name, setName] = useState("");
  const [file, setFile] = useState<File | null>(null);
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
  const [sample, setSample] = useState<Sample | null>(null);
  const [auditors, setAuditors] = useState("");
  const [assigned, setAssigned] = useState<Assignment | null>(null);

  const choose = (p: Population | null) => {
    setPopulation(p);
    setStrataBy([]);
    setSample(null);
    setAssigned(null);
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

  const problem = useMemo(() => {
    if (mode === "total" && !isCount(parseNumber(total), 1)) return "planner.invalid.total" as const;
    if (mode !== "total") {
      if (!inOpen(parseNumber(margin), 0, 50)) return "planner.invalid.margin" as const;
      if (!inOpen(parseNumber(confidence), 0, 100)) return "planner.invalid.confidence" as const;
      const p = parseNumber(expected);
      if (p === undefined || p < 0 || p > 100) return "planner.invalid.expected" as const;
    }
    if (minimum.trim() !== "" && !isCount(parseNumber(minimum))) return "planner.invalid.minimum" as const;
    return undefined;
  }, [mode, total, margin, confidence, expected, minimum]);

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
              label: t("planner.populationOption", { name: p.name ?? p.id, count: fmt.integer(p.count) }),
            })),
          ]}
        />
      )}
      <div class="grid">
        <Field label={t("planner.populationName")} value={name} onValue={setName} name="population-name" />
        <div class="field">
          <label for="population-file">{t("planner.populationFile")}</label>
          <input
            id="population-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
            aria-describedby="population-file-hint"
          />
          <span id="population-file-hint" class="hint">
            {t("planner.populationFile.hint")}
          </span>
        </div>
      </div>
      <ActionButton
        label={t("planner.upload")}
        disabled={!file}
        run={async () => {
          const uploaded = await api<Population>("POST", "/v1/populations", {
            query: { name: name.trim() || file!.name },
            body: file!,
            contentType: "text/csv",
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
          </div>
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
            }}
          />
        </>
      )}
      {sample && (
        <>
          <h3>{t("planner.draw.step3")}</h3>
          <p data-testid="sample-summary">
            {t("planner.sampleDrawn", { id: sample.id, n: fmt.integer(sample.n), seed: sample.seed })}
          </p>
          <SortableTable
            columns={strataColumns}
            rows={sample.strata}
            rowKey={(s) => s.key}
            caption={t("planner.sampleStrata")}
          />
          {sample.notes.map((note) => (
            <p key={note} class="hint technical" lang="en">
              {note}
            </p>
          ))}
          <TextArea
            label={t("planner.assignTo")}
            value={auditors}
            onValue={setAuditors}
            rows={2}
            hint={t("planner.assignTo.hint")}
          />
          <div class="buttons">
            <ActionButton
              label={t("planner.assign")}
              disabled={auditors.trim() === ""}
              run={async () => {
                const names = auditors
                  .split(/[\n,]/)
                  .map((a) => a.trim())
                  .filter(Boolean);
                setAssigned(
                  await api<Assignment>("POST", `/v1/samples/${encodeURIComponent(sample.id)}/assign`, {
                    json: { auditors: names },
                  }),
                );
              }}
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
              {assigned.notes.map((note) => (
                <p key={note} class="technical" lang="en">
                  {note}
                </p>
              ))}
            </div>
          )}
        </>
      )}
    </Section>
  );
}
