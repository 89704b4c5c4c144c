/**
 * Calendar periods (day, ISO week, month) in an IANA time zone, for bucketing audits by when they
 * were audited. Intl is slow, so callers walk rows in time order and ask for a new period only when a
 * row falls past the end of the current one: O(number of periods) Intl calls, not O(rows).
 */
export type Interval = "day" | "week" | "month";

export interface Period {
  /** First instant of the period (epoch ms). */
  start: number;
  /** First instant after the period (epoch ms). */
  end: number;
  /** The period's first day in the zone, YYYY-MM-DD. */
  label: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws RangeError for a name that is not an IANA zone. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(ms: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return parts as unknown as LocalParts;
}

/** The zone's offset from UTC at instant ms, in ms (positive east of Greenwich). */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The first instant whose local date in the zone is year-month-day. Usually local midnight; where a
 * DST change skips midnight, the first instant that exists on that date.
 */
export function startOfLocalDate(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  let guess = wall - offsetAt(wall, timeZone);
  guess = wall - offsetAt(guess, timeZone);
  const p = localParts(guess, timeZone);
  const sameDate = p.year === year && p.month === month && p.day === day;
  if (sameDate && p.hour === 0 && p.minute === 0) return guess;
  // Midnight did not exist (or the guess landed the day before): step forward to the first instant of the date.
  let t = sameDate ? guess - 3 * 3600_000 : guess;
  for (let i = 0; i < 48 * 4; i++, t += 15 * 60_000) {
    const q = localParts(t, timeZone);
    if (q.year === year && q.month === month && q.day === day) return t;
  }
  return guess;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The period of the given interval that contains instant ms, in the zone. Weeks start on Monday (ISO 8601). */
export function periodOf(ms: number, interval: Interval, timeZone: string): Period {
  const p = localParts(ms, timeZone);
  let first = new Date(Date.UTC(p.year, p.month - 1, p.day));
  let next: Date;
  if (interval === "day") {
    next = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  } else if (interval === "week") {
    const mondayOffset = (first.getUTCDay() + 6) % 7;
    first = new Date(Date.UTC(p.year, p.month - 1, p.day - mondayOffset));
    next = new Date(first.getTime() + 7 * 86_400_000);
  } else {
    first = new Date(Date.UTC(p.year, p.month - 1, 1));
    next = new Date(Date.UTC(p.year, p.month, 1));
  }
  const y = first.getUTCFullYear();
  const m = first.getUTCMonth() + 1;
  const d = first.getUTCDate();
  return {
    start: startOfLocalDate(y, m, d, timeZone),
    end: startOfLocalDate(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone),
    label: `${pad(y, 4)}-${pad(m)}-${pad(d)}`,
  };
}
