import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useId, useMemo, useRef, useState } from "preact/hooks";
import { ApiFailure, type ErrorDetail } from "../api.ts";
import { isMessageKey, type MessageKey, useI18n } from "../i18n/index.ts";

/** Runs an async loader whenever `deps` change; the previous run is aborted. */
export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
  enabled = true,
): { data: T | undefined; error: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: enabled,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!enabled) {
      setState({ data: undefined, error: undefined, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ data: undefined, error, loading: false });
      },
    );
    return () => controller.abort();
  }, [...deps, tick, enabled]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** The value, once it has stopped changing for `ms` (calculators update as you type, not on every key). */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** An error from the API (or the network) in the page's language, with the fields it names. */
export function ErrorBox({ error }: { error: unknown }) {
  const { t } = useI18n();
  const detailText = useDetailText();
  if (!error) return null;
  let message: string;
  let details: ErrorDetail[] = [];
  let technical: string | undefined;
  if (error instanceof ApiFailure) {
    const key = `error.${error.code}`;
    const byStatus = `error.byStatus.${error.status}`;
    message = isMessageKey(key)
      ? t(key)
      : isMessageKey(byStatus)
        ? t(byStatus)
        : t("error.status", { status: error.status });
    details = error.details;
    technical = error.message;
  } else {
    message = t("error.unexpected");
    technical = error instanceof Error ? error.message : String(error);
  }
  return (
    <div class="error" role="alert">
      <p>
        <strong>{message}</strong>
      </p>
      {details.length > 0 && (
        <ul>
          {details.slice(0, 20).map((d, i) => {
            const text = detailText(d);
            return (
              <li key={i}>
                <DetailPlace detail={d} />
                {text !== undefined ? (
                  <span> {text}</span>
                ) : (
                  d.message && (
                    <span class="technical" lang="en">
                      {" "}
                      {d.message}
                    </span>
                  )
                )}
              </li>
            );
          })}
        </ul>
      )}
      {technical && details.length === 0 && (
        <p class="technical" lang="en">
          {technical}
        </p>
      )}
    </div>
  );
}

/** Where a detail is: "row 12 decidedAt" (the field stays an identifier, as in the file). */
function DetailPlace({ detail }: { detail: ErrorDetail }) {
  const { t } = useI18n();
  const where = detail.field ?? detail.path ?? "";
  if (detail.row !== undefined) {
    return (
      <>
        {t("error.row", { row: detail.row })} {where && <code>{where}</code>}
        {t("error.detailSeparator")}
      </>
    );
  }
  return where ? (
    <>
      <code>{detail.path ?? where}</code>
      {t("error.detailSeparator")}
    </>
  ) : null;
}

/**
 * A detail's problem in the page's language (`detail.<code>`, or `detail.<code>.<origin>` for sizes of strings,
 * numbers and lists), its numbers formatted; undefined when the code has no message (the English one is shown).
 */
export function useDetailText() {
  const { t, fmt } = useI18n();
  return (detail: ErrorDetail): string | undefined => {
    if (!detail.code) return undefined;
    const params = detail.params ?? {};
    const origin = typeof params.origin === "string" ? params.origin : undefined;
    const specific = origin ? `detail.${detail.code}.${origin}` : undefined;
    const key = specific && isMessageKey(specific) ? specific : `detail.${detail.code}`;
    if (!isMessageKey(key)) return undefined;
    const vars: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(params)) {
      vars[name] = typeof value === "number" ? fmt.number(value, 6) : value;
    }
    return t(key, vars);
  };
}

export function Loading({ when }: { when: boolean }) {
  const { t } = useI18n();
  return (
    <p class="loading" aria-live="polite">
      {when ? t("common.loading") : ""}
    </p>
  );
}

interface InputProps {
  label: string;
  hint?: string;
  value: string;
  onValue(value: string): void;
  suffix?: string;
  type?: "text" | "date";
  inputMode?: "text" | "numeric" | "decimal";
  name?: string;
  placeholder?: string;
  /** The id of a datalist of suggestions. */
  list?: string;
  autoComplete?: string;
}

/** A labelled input; the hint is tied to it with aria-describedby. */
export function Field({ label, hint, value, onValue, suffix, type = "text", ...rest }: InputProps) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <span class="control">
        <input
          id={id}
          // preact types inputs as a union keyed on `type`; both values here take the same attributes
          type={type as "text"}
          value={value}
          onInput={(e) => onValue((e.target as HTMLInputElement).value)}
          aria-describedby={hint ? `${id}-hint` : undefined}
          {...rest}
        />
        {suffix && <span class="suffix">{suffix}</span>}
      </span>
      {hint && (
        <span id={`${id}-hint`} class="hint">
          {hint}
        </span>
      )}
    </div>
  );
}

/** A percentage typed as a decimal number; the suffix shows the unit (`%` unless given, e.g. `± %`). */
export function PercentField(props: Omit<InputProps, "inputMode">) {
  return <Field inputMode="decimal" suffix="%" {...props} />;
}

/** A whole number (a count, a size). */
export function CountField(props: Omit<InputProps, "inputMode">) {
  return <Field inputMode="numeric" {...props} />;
}

export function SelectField<V extends string>({
  label,
  value,
  onValue,
  options,
  hint,
  name,
}: {
  label: string;
  value: V;
  onValue(value: NoInfer<V>): void;
  options: readonly { value: NoInfer<V>; label: string }[];
  hint?: string;
  name?: string;
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={value}
        onChange={(e) => onValue((e.target as HTMLSelectElement).value as V)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && (
        <span id={`${id}-hint`} class="hint">
          {hint}
        </span>
      )}
    </div>
  );
}

export function TextArea({
  label,
  value,
  onValue,
  hint,
  rows = 4,
}: {
  label: string;
  value: string;
  onValue(value: string): void;
  hint?: string;
  rows?: number;
}) {
  const id = useId();
  return (
    <div class="field wide">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        value={value}
        onInput={(e) => onValue((e.target as HTMLTextAreaElement).value)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      {hint && (
        <span id={`${id}-hint`} class="hint">
          {hint}
        </span>
      )}
    </div>
  );
}

export function Checkbox({
  label,
  checked,
  onChecked,
}: {
  label: string;
  checked: boolean;
  onChecked(checked: boolean): void;
}) {
  return (
    <label class="check">
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => onChecked((e.target as HTMLInputElement).checked)}
      />{" "}
      {label}
    </label>
  );
}

export function Section({
  title,
  children,
  id,
  actions,
}: {
  title: string;
  children: ComponentChildren;
  id?: string;
  actions?: ComponentChildren;
}) {
  const headingId = useId();
  return (
    <section class="card" aria-labelledby={headingId} id={id}>
      <div class="card-head">
        <h2 id={headingId}>{title}</h2>
        {actions && <div class="actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export interface Column<Row> {
  key: string;
  label: string;
  /** The value sorted on; omit for a column that does not sort. */
  sortValue?: (row: Row) => string | number | null;
  render: (row: Row) => ComponentChildren;
  numeric?: boolean;
  /** A date or time: its cells never wrap. */
  date?: boolean;
}

const cellClass = (column: { numeric?: boolean; date?: boolean }) =>
  [column.numeric && "num", column.date && "date"].filter(Boolean).join(" ") || undefined;

/**
 * A table whose column headers are buttons (Tab to one, Enter or Space sorts; again reverses) with aria-sort
 * on the header cell. Nulls sort last either way.
 */
export function SortableTable<Row>({
  columns,
  rows,
  rowKey,
  caption,
  initialSort,
  footer,
  testId,
  captionHidden,
}: {
  captionHidden?: boolean;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row, index: number) => string;
  caption?: string;
  initialSort?: { key: string; direction: "ascending" | "descending" };
  footer?: ComponentChildren;
  testId?: string;
}) {
  const { t, fmt } = useI18n();
  const [sort, setSort] = useState(initialSort);
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === sort?.key);
    if (!column?.sortValue || !sort) return rows;
    const value = column.sortValue;
    const sign = sort.direction === "ascending" ? 1 : -1;
    const collator = new Intl.Collator(fmt.locale, { numeric: true });
    return [...rows].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      if (x === null && y === null) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      if (typeof x === "number" && typeof y === "number") return sign * (x - y);
      return sign * collator.compare(String(x), String(y));
    });
  }, [rows, columns, sort, fmt.locale]);
  return (
    <div class="table-wrap">
      <table data-testid={testId}>
        {caption && <caption class={captionHidden ? "visually-hidden" : undefined}>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => {
              const active = sort?.key === column.key;
              const ariaSort = active ? sort!.direction : column.sortValue ? "none" : undefined;
              return (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={ariaSort}
                  class={column.numeric ? "num" : undefined}
                >
                  {column.sortValue ? (
                    <button
                      type="button"
                      class="sort"
                      data-column={column.key}
                      onClick={() =>
                        setSort({
                          key: column.key,
                          direction: active && sort!.direction === "ascending" ? "descending" : "ascending",
                        })
                      }
                    >
                      {column.label}
                      <span class="sort-mark" aria-hidden="true">
                        {active ? (sort!.direction === "ascending" ? "▲" : "▼") : "↕"}
                      </span>
                      <span class="visually-hidden">
                        {active
                          ? t(
                              sort!.direction === "ascending"
                                ? "table.sortedAscending"
                                : "table.sortedDescending",
                            )
                          : t("table.sortable")}
                      </span>
                    </button>
                  ) : (
                    column.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted.length === 0 ? (
            <tr>
              <td colSpan={columns.length} class="empty">
                {t("table.empty")}
              </td>
            </tr>
          ) : (
            sorted.map((row, index) => (
              <tr key={rowKey(row, index)}>
                {columns.map((column, ci) =>
                  ci === 0 ? (
                    <th key={column.key} scope="row" class={cellClass(column)}>
                      {column.render(row)}
                    </th>
                  ) : (
                    <td key={column.key} class={cellClass(column)}>
                      {column.render(row)}
                    </td>
                  ),
                )}
              </tr>
            ))
          )}
        </tbody>
        {footer && <tfoot>{footer}</tfoot>}
      </table>
    </div>
  );
}

/** A button that runs an async action, shows it is busy and reports its error. */
export function ActionButton({
  label,
  busyLabel,
  run,
  kind = "primary",
  disabled,
  testId,
}: {
  label: string;
  busyLabel?: string;
  run: () => Promise<unknown>;
  kind?: "primary" | "secondary" | "danger";
  disabled?: boolean;
  testId?: string;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  return (
    <span class="action">
      <button
        type="button"
        class={kind}
        disabled={disabled || busy}
        aria-busy={busy}
        data-testid={testId}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            await run();
          } catch (e) {
            if (mounted.current) setError(e);
          } finally {
            if (mounted.current) setBusy(false);
          }
        }}
      >
        {busy ? (busyLabel ?? t("common.working")) : label}
      </button>
      <ErrorBox error={error} />
    </span>
  );
}

/** A progress bar with its numbers as text (the bar alone is not enough for a screen reader). */
export function Progress({ value, max, label }: { value: number; max: number; label: string }) {
  const { fmt } = useI18n();
  const share = max > 0 ? value / max : 0;
  return (
    <span class="progress">
      <progress value={value} max={Math.max(max, 1)} aria-label={label} />
      <span class="progress-text">
        {fmt.integer(value)} / {fmt.integer(max)} ({fmt.percent(share, 0)})
      </span>
    </span>
  );
}

/** Translates a code from the API when a message exists for it (`prefix.code`), else shows the code. */
export function useCodeLabel() {
  const { t } = useI18n();
  return (prefix: string, code: string | null | undefined): string => {
    if (code === null || code === undefined) return "–";
    const key = `${prefix}.${code}`;
    return isMessageKey(key) ? t(key as MessageKey) : code;
  };
}
