/**
 * Time-zone offsets for spreadsheet dates: a spreadsheet's date cell holds a wall-clock time with no zone, so
 * exports shift an instant by its zone's offset and imports shift a wall time back.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Offsets by zone and quarter hour: zones change offset only on a quarter hour, and an export's dates repeat
 * the same few (Intl's formatToParts per date cell was a tenth of a large export's time). Bounded: cleared
 * when it grows past 100,000 entries.
 */
const cached = new Map<string, number>();
const QUARTER_HOUR = 15 * 60_000;

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const key = `${timeZone} ${Math.floor(ms / QUARTER_HOUR)}`;
  let offset = cached.get(key);
  if (offset === undefined) {
    if (cached.size >= 100_000) cached.clear();
    offset = intlOffsetMs(ms, timeZone);
    cached.set(key, offset);
  }
  return offset;
}

function intlOffsetMs(ms: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
    formatters.set(timeZone, f);
  }
  const name = f.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * A wall-clock time (given as the Date a spreadsheet reader returns: the wall time as if it were UTC) as ISO 8601
 * with the zone's offset at that local time, milliseconds kept when there are any. Two passes settle a
 * daylight-saving change; a skipped or repeated local time takes one of the offsets around it.
 */
export function wallTimeIso(wall: Date, timeZone: string): string {
  const wallMs = wall.getTime();
  let offset = zoneOffsetMs(wallMs, timeZone);
  offset = zoneOffsetMs(wallMs - offset, timeZone);
  const d = new Date(wallMs);
  const ms = d.getUTCMilliseconds();
  const minutes = Math.abs(offset) / 60_000;
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    (ms ? `.${pad(ms, 3)}` : "") +
    `${offset < 0 ? "-" : "+"}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`
  );
}
