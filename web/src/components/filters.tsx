import { useId, useMemo } from "preact/hooks";
import { api } from "../api.ts";
import { type MessageKey, useI18n } from "../i18n/index.ts";
import { Field, SelectField, useAsync } from "./ui.tsx";

/** The filters every report accepts (`FilterQuery` on the server), as the strings of a form. */
export interface Filters {
  from: string;
  to: string;
  queue: string;
  moderator: string;
  auditor: string;
  policy: string;
  market: string;
  errorType: string;
  tz: string;
  /** Only audits naming this sample (`/quality?sampleId=…` from the samples page). */
  sampleId: string;
}

export const FILTER_KEYS = [
  "from",
  "to",
  "queue",
  "moderator",
  "auditor",
  "policy",
  "market",
  "errorType",
  "tz",
  "sampleId",
] as const satisfies readonly (keyof Filters)[];

export const GROUP_FIELDS = ["queue", "moderator", "auditor", "policy", "market"] as const;
export type GroupField = (typeof GROUP_FIELDS)[number];
export const ERROR_TYPES = ["false-positive", "false-negative", "wrong-policy", "other"] as const;

export function filtersFrom(query: URLSearchParams): Filters {
  const f = {} as Filters;
  for (const key of FILTER_KEYS) f[key] = query.get(key) ?? "";
  return f;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** An instant as the API takes it (alert links carry exact instants, not days). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const isBound = (text: string) => DATE.test(text) || DATE_TIME.test(text);

/** The filters as query parameters, or the key of what is wrong (so no request is sent that must fail). */
export function filterQuery(f: Filters): { query: Record<string, string> } | { invalid: MessageKey } {
  const query: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = f[key].trim();
    if (value) query[key] = value;
  }
  if (query.from && !isBound(query.from)) return { invalid: "filters.invalid.date" };
  if (query.to && !isBound(query.to)) return { invalid: "filters.invalid.date" };
  if (query.from && query.to && DATE.test(query.from) && DATE.test(query.to) && query.from > query.to)
    return { invalid: "filters.invalid.range" };
  if (query.tz && !isTimeZone(query.tz)) return { invalid: "filters.invalid.tz" };
  return { query };
}

const valuesCache = new Map<string, Promise<string[]>>();

/** The values a field takes in the stored audits (for the suggestions of the filter inputs). */
export function knownValues(field: GroupField): Promise<string[]> {
  let values = valuesCache.get(field);
  if (!values) {
    values = api<{ groups: { key: Record<string, string | null> }[] }>("GET", "/v1/quality", {
      query: { groupBy: field },
    }).then((r) =>
      r.groups
        .map((g) => g.key[field])
        .filter((v): v is string => v !== null && v !== undefined)
        .sort(),
    );
    values.catch(() => valuesCache.delete(field));
    valuesCache.set(field, values);
  }
  return values;
}

function SuggestField({
  field,
  label,
  value,
  onValue,
}: {
  field: GroupField;
  label: string;
  value: string;
  onValue(v: string): void;
}) {
  const id = useId();
  const values = useAsync(() => knownValues(field), [field]);
  return (
    <>
      <Field
        label={label}
        value={value}
        onValue={onValue}
        list={`${id}-list`}
        autoComplete="off"
        name={field}
      />
      <datalist id={`${id}-list`}>
        {(values.data ?? []).map((v) => (
          <option key={v} value={v} />
        ))}
      </datalist>
    </>
  );
}

const COMMON_ZONES = [
  "UTC",
  "Asia/Seoul",
  "Asia/Tokyo",
  "Asia/Singapore",
  "Europe/London",
  "America/New_York",
];

export function FilterForm({ filters, onChange }: { filters: Filters; onChange(next: Filters): void }) {
  const { t } = useI18n();
  const zoneListId = useId();
  const zones = useMemo(() => {
    const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return [...new Set([browser, ...COMMON_ZONES])];
  }, []);
  const set = (key: keyof Filters) => (value: string) => onChange({ ...filters, [key]: value });
  const problem = filterQuery(filters);
  return (
    <fieldset class="filters">
      <legend>{t("filters.title")}</legend>
      <div class="grid">
        {(["from", "to"] as const).map((bound) => (
          <Field
            key={bound}
            label={t(`filters.${bound}`)}
            // A date picker for days; an exact instant (from an alert's link) stays editable as text.
            type={filters[bound] === "" || DATE.test(filters[bound]) ? "date" : "text"}
            value={filters[bound]}
            onValue={set(bound)}
            name={bound}
          />
        ))}
        {GROUP_FIELDS.map((field) => (
          <SuggestField
            key={field}
            field={field}
            label={t(`field.${field}`)}
            value={filters[field]}
            onValue={set(field)}
          />
        ))}
        <SelectField
          label={t("filters.errorType")}
          value={filters.errorType}
          onValue={set("errorType")}
          name="errorType"
          options={[
            { value: "", label: t("filters.anyError") },
            ...ERROR_TYPES.map((e) => ({ value: e, label: t(`errorType.${e}`) })),
          ]}
        />
        <Field
          label={t("filters.tz")}
          value={filters.tz}
          onValue={set("tz")}
          list={zoneListId}
          placeholder={t("filters.tz.default")}
          name="tz"
          hint={t("filters.tz.hint")}
        />
        <datalist id={zoneListId}>
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </div>
      {"invalid" in problem && (
        <p class="notice" role="status">
          {t(problem.invalid)}
        </p>
      )}
    </fieldset>
  );
}
