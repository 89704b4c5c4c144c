import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { en, type MessageKey } from "./en.ts";
import { ko } from "./ko.ts";
import { DEFAULT_RATE_DECIMALS, rateDecimals } from "./rates.ts";

export { MAX_RATE_DECIMALS, rateDecimals } from "./rates.ts";

export type Lang = "ko" | "en";
export type { MessageKey };
export const LANGS: readonly Lang[] = ["ko", "en"];
export const dictionaries: Record<Lang, Record<MessageKey, string>> = { ko, en };

const LANG_STORAGE = "modqc.lang";

/** The stored choice, else the first of the browser's preferred languages that is Korean or English. */
export function preferredLang(): Lang {
  try {
    const stored = localStorage.getItem(LANG_STORAGE);
    if (stored === "ko" || stored === "en") return stored;
  } catch {
    // Storage may be disabled; fall through to the browser's preference.
  }
  const tags = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of tags) {
    const base = tag.toLowerCase().split("-")[0];
    if (base === "ko" || base === "en") return base;
  }
  return "en";
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_STORAGE, lang);
  } catch {
    // Not remembered: the switch still applies to this page.
  }
  document.documentElement.lang = lang;
}

export type Vars = Record<string, string | number>;

/** A message in the language, with `{name}` placeholders filled (numbers should be formatted by the caller). */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const text = dictionaries[lang][key] ?? en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Whether a string is a message key (for codes that come from the API, such as error codes and rule ids). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/**
 * The plural form of `base` for `count` (`base.one`, `base.other`, … by `Intl.PluralRules`; `.other` when the
 * language has no entry for the category), with `{n}` the count formatted for the language.
 */
export function plural(lang: Lang, base: PluralKey, count: number, vars: Vars = {}): string {
  const exact = `${base}.${pluralRules(lang).select(count)}`;
  const key: MessageKey = isMessageKey(exact) ? exact : `${base}.other`;
  return translate(lang, key, { n: formatters(lang).integer(count), ...vars });
}

/** The messages that have plural forms: every `base` with a `base.other` entry. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer B}.other` ? B : never) : never;

const pluralCache = new Map<Lang, Intl.PluralRules>();
function pluralRules(lang: Lang): Intl.PluralRules {
  let rules = pluralCache.get(lang);
  if (!rules) pluralCache.set(lang, (rules = new Intl.PluralRules(lang === "ko" ? "ko-KR" : "en-US")));
  return rules;
}

/** Spaces inside a date or time become no-break spaces, so a date never wraps in a table cell. */
const unbroken = (text: string) => text.replace(/ /g, "\u00a0");

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `n|${locale}|${JSON.stringify(options)}`;
  let format = cache.get(id) as Intl.NumberFormat | undefined;
  if (!format) cache.set(id, (format = new Intl.NumberFormat(locale, options)));
  return format;
}
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `d|${locale}|${JSON.stringify(options)}`;
  let format = cache.get(id) as Intl.DateTimeFormat | undefined;
  if (!format) cache.set(id, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

/** Numbers and dates for the language, all through Intl. */
export function formatters(lang: Lang) {
  const locale = lang === "ko" ? "ko-KR" : "en-US";
  const dash = "–";
  return {
    locale,
    /** A number with up to `digits` decimals. */
    number: (value: number | null | undefined, digits = 2) =>
      value === null || value === undefined || !Number.isFinite(value)
        ? dash
        : numberFormat(locale, { maximumFractionDigits: digits }).format(value),
    /** A number with exactly `digits` decimals (coefficients). */
    fixed: (value: number | null | undefined, digits = 3) =>
      value === null || value === undefined || !Number.isFinite(value)
        ? dash
        : numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
            value,
          ),
    integer: (value: number | null | undefined) =>
      value === null || value === undefined || !Number.isFinite(value)
        ? dash
        : numberFormat(locale, { maximumFractionDigits: 0 }).format(value),
    /** A proportion as a percentage: 0.0523 → 5.23 %. */
    percent: (value: number | null | undefined, digits = 2) =>
      value === null || value === undefined || !Number.isFinite(value)
        ? dash
        : numberFormat(locale, { style: "percent", maximumFractionDigits: digits }).format(value),
    /** A rate (a proportion) as a percentage with exactly `decimals` decimals: the rule for rates side by side. */
    rate: (value: number | null | undefined, decimals = DEFAULT_RATE_DECIMALS) =>
      value === null || value === undefined || !Number.isFinite(value)
        ? dash
        : numberFormat(locale, {
            style: "percent",
            minimumFractionDigits: decimals,
            maximumFractionDigits: decimals,
          }).format(value),
    /**
     * A rate's interval, both bounds with the decimals of `rateDecimals` ("4.16% ~ 4.60%" in Korean,
     * "4.16% – 4.60%" in English); format the rate itself with `rate(value, rateDecimals(lower, upper))`.
     */
    rateInterval: (lower: number | null | undefined, upper: number | null | undefined) => {
      if (lower === null || lower === undefined || upper === null || upper === undefined) return dash;
      const decimals = rateDecimals(lower, upper);
      const format = (value: number) =>
        Number.isFinite(value)
          ? numberFormat(locale, {
              style: "percent",
              minimumFractionDigits: decimals,
              maximumFractionDigits: decimals,
            }).format(value)
          : dash;
      return translate(lang, "format.interval", { lower: format(lower), upper: format(upper) });
    },
    /** A count of things, with the language's group separators (1,234). */
    count: (value: number | null | undefined) =>
      value === null || value === undefined || !Number.isFinite(value)
        ? dash
        : numberFormat(locale, { maximumFractionDigits: 0, useGrouping: true }).format(value),
    /** A waiting time in milliseconds, rounded down to whole minutes below two hours, hours below two days,
     * else days: "25 minutes", "5 hours", "3일". */
    duration: (ms: number | null | undefined) => {
      if (ms === null || ms === undefined || !Number.isFinite(ms)) return dash;
      const minutes = Math.max(0, ms) / 60_000;
      const [value, unit] =
        minutes < 120
          ? [Math.floor(minutes), "minute"]
          : minutes < 48 * 60
            ? [Math.floor(minutes / 60), "hour"]
            : [Math.floor(minutes / 1440), "day"];
      return numberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(value);
    },
    /** A calendar day given as YYYY-MM-DD (a period label), shown without any time-zone shift. */
    day: (label: string | null | undefined, style: "short" | "medium" = "medium") => {
      if (!label || !/^\d{4}-\d{2}-\d{2}$/.test(label)) return label ?? dash;
      const date = new Date(`${label}T00:00:00Z`);
      const options: Intl.DateTimeFormatOptions =
        style === "short"
          ? { timeZone: "UTC", month: "numeric", day: "numeric" }
          : { timeZone: "UTC", dateStyle: "medium" };
      return unbroken(dateFormat(locale, options).format(date));
    },
    /** The calendar day of an instant (ISO 8601 or epoch ms) in a time zone: a report period's bounds. */
    dayIn: (value: string | number, timeZone: string) => {
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) return String(value);
      try {
        return unbroken(dateFormat(locale, { dateStyle: "medium", timeZone }).format(date));
      } catch {
        return unbroken(dateFormat(locale, { dateStyle: "medium" }).format(date));
      }
    },
    /** An instant (ISO 8601 or epoch ms) in the browser's time zone. */
    dateTime: (value: string | number | null | undefined) => {
      if (value === null || value === undefined || value === "") return dash;
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) return String(value);
      return unbroken(dateFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(date));
    },
  };
}

export type Formatters = ReturnType<typeof formatters>;

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, vars?: Vars): string;
  fmt: Formatters;
}

export const I18nContext = createContext<I18n>({
  lang: "en",
  setLang: () => {},
  t: (key, vars) => translate("en", key, vars),
  fmt: formatters("en"),
});

export const useI18n = () => useContext(I18nContext);
