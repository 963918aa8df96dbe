/**
 * Go's time.Time (formatting with layout strings, parsing, durations) and Sprig's date functions.
 */
import { performance } from "node:perf_hooks";
import type { FunctionDef } from "../exec.js";
import { GoNumber, type GoMethod, type GoObject, numberValue } from "../values.js";

const longMonths = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const longDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** A time zone: fixed (UTC or an offset) or an IANA zone resolved through Intl. */
export class Zone {
  private formatter: Intl.DateTimeFormat | undefined;
  private abbreviations: Intl.DateTimeFormat | undefined;

  constructor(
    readonly name: string,
    private readonly iana: string | undefined,
    private readonly fixedOffset = 0,
    private readonly fixedAbbreviation = "UTC",
  ) {
    if (iana) {
      this.formatter = new Intl.DateTimeFormat("en-US", {
        timeZone: iana,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
      this.abbreviations = new Intl.DateTimeFormat("en-US", {
        timeZone: iana,
        timeZoneName: "short",
      });
    }
  }

  /** Offset east of UTC in seconds, and the zone abbreviation, at an instant. */
  at(ms: number): { offset: number; abbreviation: string } {
    if (!this.formatter || !this.abbreviations) {
      return { offset: this.fixedOffset, abbreviation: this.fixedAbbreviation };
    }
    const safe = Math.min(Math.max(ms, -8.64e15), 8.64e15);
    const parts: Record<string, number> = {};
    for (const part of this.formatter.formatToParts(new Date(safe))) {
      if (part.type !== "literal") parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(
      parts.year,
      parts.month - 1,
      parts.day,
      parts.hour,
      parts.minute,
      parts.second,
    );
    const offset = Math.round((wall - Math.floor(safe / 1000) * 1000) / 1000);
    const name =
      this.abbreviations.formatToParts(new Date(safe)).find((p) => p.type === "timeZoneName")
        ?.value ?? "";
    let abbreviation = name;
    if (/^GMT[+-]/.test(name) || name === "GMT" || !/^[A-Z]{3,5}$/.test(name)) {
      abbreviation = offset === 0 && this.iana === "UTC" ? "UTC" : formatOffsetName(offset);
      if (name === "GMT" && offset === 0) abbreviation = this.iana === "UTC" ? "UTC" : "GMT";
    }
    return { offset, abbreviation };
  }
}

/** Go's name for a zone without an abbreviation: -07, +0530. */
function formatOffsetName(offset: number): string {
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const hours = String(Math.floor(abs / 3600)).padStart(2, "0");
  const minutes = Math.floor((abs % 3600) / 60);
  return minutes === 0 ? `${sign}${hours}` : `${sign}${hours}${String(minutes).padStart(2, "0")}`;
}

export const utc = new Zone("UTC", undefined, 0, "UTC");

const zoneCache = new Map<string, Zone>();

function localZone(): Zone {
  const name = process.env.TZ ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "";
  const cached = zoneCache.get(name);
  if (cached) return cached;
  let zone = new Zone("Local", undefined, 0, "UTC");
  if (name !== "" && name !== "UTC" && name !== "Etc/UTC") {
    try {
      zone = new Zone("Local", name);
    } catch {
      // An unknown TZ is UTC, as in Go.
    }
  }
  zoneCache.set(name, zone);
  return zone;
}

/** time.LoadLocation; undefined for an unknown zone. */
export function loadLocation(name: string): Zone | undefined {
  if (name === "" || name === "UTC") return utc;
  if (name === "Local") return localZone();
  try {
    return new Zone(name, name);
  } catch {
    return undefined;
  }
}

const processStart = performance.timeOrigin;

/** Nanoseconds are kept as a bigint count since the Unix epoch. */
export class GoTime implements GoObject {
  readonly goType = "time.Time";

  constructor(
    readonly nanos: bigint,
    readonly zone: Zone,
    readonly monotonic?: number,
  ) {}

  static now(): GoTime {
    const ms = performance.timeOrigin + performance.now();
    const nanos = BigInt(Math.floor(ms)) * 1000000n + BigInt(Math.floor((ms % 1) * 1e6));
    return new GoTime(nanos, localZone(), performance.now());
  }

  static unix(seconds: number): GoTime {
    return new GoTime(BigInt(Math.trunc(seconds)) * 1000000000n, localZone());
  }

  get epochMs(): number {
    return (
      Number(this.nanos / 1000000n) - (this.nanos < 0n && this.nanos % 1000000n !== 0n ? 1 : 0)
    );
  }

  /** Wall-clock fields in the time's zone. */
  fields(): {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
    nanosecond: number;
    weekday: number;
    yearDay: number;
    offset: number;
    abbreviation: string;
  } {
    const { offset, abbreviation } = this.zone.at(this.epochMs);
    const seconds =
      this.nanos / 1000000000n - (this.nanos < 0n && this.nanos % 1000000000n !== 0n ? 1n : 0n);
    const nanosecond = Number(this.nanos - seconds * 1000000000n);
    const date = new Date((Number(seconds) + offset) * 1000);
    const startOfYear = Date.UTC(date.getUTCFullYear(), 0, 1);
    const dayStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
      nanosecond,
      weekday: date.getUTCDay(),
      yearDay: Math.round((dayStart - startOfYear) / 86400000) + 1,
      offset,
      abbreviation,
    };
  }

  unixSeconds(): number {
    return (
      Number(this.nanos / 1000000000n) -
      (this.nanos < 0n && this.nanos % 1000000000n !== 0n ? 1 : 0)
    );
  }

  in(zone: Zone): GoTime {
    return new GoTime(this.nanos, zone, this.monotonic);
  }

  format(layout: string): string {
    return formatTime(this, layout);
  }

  goString(): string {
    let text = this.format("2006-01-02 15:04:05.999999999 -0700 MST");
    if (this.monotonic !== undefined) {
      const seconds = this.monotonic / 1000;
      text += ` m=+${seconds.toFixed(9)}`;
    }
    return text;
  }

  toJSON(): string {
    return this.format("2006-01-02T15:04:05.999999999Z07:00");
  }

  goMethod(name: string): GoMethod | undefined {
    const f = () => this.fields();
    const methods: Record<string, GoMethod> = {
      Year: { params: [], call: () => f().year },
      Month: { params: [], call: () => new GoMonth(f().month) },
      Day: { params: [], call: () => f().day },
      Hour: { params: [], call: () => f().hour },
      Minute: { params: [], call: () => f().minute },
      Second: { params: [], call: () => f().second },
      Nanosecond: { params: [], call: () => f().nanosecond },
      YearDay: { params: [], call: () => f().yearDay },
      Weekday: { params: [], call: () => new GoWeekday(f().weekday) },
      Unix: { params: [], call: () => new GoNumber("int64", this.unixSeconds()) },
      UnixNano: { params: [], call: () => new GoNumber("int64", Number(this.nanos)) },
      Format: { params: ["string"], call: (layout) => this.format(layout as string) },
      String: { params: [], call: () => this.goString() },
      UTC: { params: [], call: () => new GoTime(this.nanos, utc) },
      Local: { params: [], call: () => new GoTime(this.nanos, localZone()) },
      IsZero: { params: [], call: () => this.nanos === zeroTimeNanos },
      AddDate: {
        params: ["int", "int", "int"],
        call: (years, months, days) => {
          const fields = f();
          const wall = Date.UTC(
            fields.year + (years as number),
            fields.month - 1 + (months as number),
            fields.day + (days as number),
            fields.hour,
            fields.minute,
            fields.second,
          );
          return fromWall(wall, fields.nanosecond, this.zone);
        },
      },
    };
    return methods[name];
  }
}

class GoMonth implements GoObject {
  readonly goType = "time.Month";
  constructor(readonly value: number) {}
  goString(): string {
    return longMonths[this.value - 1];
  }
  goMethod(name: string): GoMethod | undefined {
    return name === "String" ? { params: [], call: () => this.goString() } : undefined;
  }
}

class GoWeekday implements GoObject {
  readonly goType = "time.Weekday";
  constructor(readonly value: number) {}
  goString(): string {
    return longDays[this.value];
  }
  goMethod(name: string): GoMethod | undefined {
    return name === "String" ? { params: [], call: () => this.goString() } : undefined;
  }
}

/** 0001-01-01 00:00:00 UTC, Go's zero time. */
const zeroTimeNanos = -62135596800n * 1000000000n;

export function zeroTime(): GoTime {
  return new GoTime(zeroTimeNanos, utc);
}

/** The instant whose wall clock in zone is wallMs (UTC-interpreted) plus nanoseconds. */
function fromWall(wallMs: number, nanosecond: number, zone: Zone): GoTime {
  let guess = wallMs - zone.at(wallMs).offset * 1000;
  guess = wallMs - zone.at(guess).offset * 1000;
  const seconds = BigInt(Math.floor(guess / 1000));
  return new GoTime(seconds * 1000000000n + BigInt(nanosecond), zone);
}

// --- layouts ---------------------------------------------------------------------------------

type Chunk =
  | { kind: "literal"; text: string }
  | { kind: "std"; std: string; digits?: number; separator?: string };

const chunkCache = new Map<string, Chunk[]>();

function startsWithLowerCase(text: string): boolean {
  return text.length > 0 && text[0] >= "a" && text[0] <= "z";
}

/** Splits a layout into literal text and Go's standard chunks (time.nextStdChunk). */
export function layoutChunks(layout: string): Chunk[] {
  const cached = chunkCache.get(layout);
  if (cached) return cached;
  const chunks: Chunk[] = [];
  let literal = "";
  const push = (std: string, length: number, extra: Partial<Chunk> = {}): number => {
    if (literal) chunks.push({ kind: "literal", text: literal });
    literal = "";
    chunks.push({ kind: "std", std, ...extra } as Chunk);
    return length;
  };
  let i = 0;
  while (i < layout.length) {
    const rest = layout.slice(i);
    const c = layout[i];
    let consumed = 0;
    switch (c) {
      case "J":
        if (rest.startsWith("January")) consumed = push("January", 7);
        else if (rest.startsWith("Jan")) consumed = push("Jan", 3);
        break;
      case "M":
        if (rest.startsWith("Monday")) consumed = push("Monday", 6);
        else if (rest.startsWith("Mon")) consumed = push("Mon", 3);
        else if (rest.startsWith("MST")) consumed = push("MST", 3);
        break;
      case "0":
        if (rest.startsWith("002")) consumed = push("002", 3);
        else if (/^0[1-6]/.test(rest)) consumed = push(rest.slice(0, 2), 2);
        break;
      case "1":
        if (rest.startsWith("15")) consumed = push("15", 2);
        else consumed = push("1", 1);
        break;
      case "2":
        if (rest.startsWith("2006")) consumed = push("2006", 4);
        else consumed = push("2", 1);
        break;
      case "_":
        if (rest.startsWith("_2")) {
          if (rest.startsWith("_2006")) {
            literal += "_";
            consumed = 1;
          } else {
            consumed = push("_2", 2);
          }
        } else if (rest.startsWith("__2")) {
          consumed = push("__2", 3);
        }
        break;
      case "3":
      case "4":
      case "5":
        consumed = push(c, 1);
        break;
      case "P":
        if (rest.startsWith("PM")) consumed = push("PM", 2);
        break;
      case "p":
        if (rest.startsWith("pm")) consumed = push("pm", 2);
        break;
      case "-":
        for (const std of ["-07:00:00", "-070000", "-07:00", "-0700", "-07"]) {
          if (rest.startsWith(std)) {
            consumed = push(std, std.length);
            break;
          }
        }
        break;
      case "Z":
        for (const std of ["Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07"]) {
          if (rest.startsWith(std)) {
            consumed = push(std, std.length);
            break;
          }
        }
        break;
      case ".":
      case ",": {
        const digit = layout[i + 1];
        if (digit === "0" || digit === "9") {
          let j = i + 1;
          while (j < layout.length && layout[j] === digit) j++;
          if (!(j < layout.length && layout[j] >= "0" && layout[j] <= "9")) {
            consumed = push(digit === "0" ? "frac0" : "frac9", j - i, {
              digits: j - i - 1,
              separator: c,
            });
          }
        }
        break;
      }
    }
    // "Jan" followed by a lower-case letter is a word, not a month (Go checks this for Mon/Jan).
    if (consumed > 0) {
      const last = chunks[chunks.length - 1] as { std?: string };
      if (
        (last.std === "Jan" || last.std === "Mon") &&
        startsWithLowerCase(layout.slice(i + consumed))
      ) {
        chunks.pop();
        literal += layout.slice(i, i + consumed);
      }
      i += consumed;
    } else {
      literal += c;
      i++;
    }
  }
  if (literal) chunks.push({ kind: "literal", text: literal });
  chunkCache.set(layout, chunks);
  return chunks;
}

const pad2 = (value: number): string => String(value).padStart(2, "0");

function formatZone(std: string, offset: number): string {
  if (std.startsWith("Z") && offset === 0) return "Z";
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const hours = pad2(Math.floor(abs / 3600));
  const minutes = pad2(Math.floor((abs % 3600) / 60));
  const seconds = pad2(abs % 60);
  switch (std.slice(1)) {
    case "07:00:00":
      return `${sign}${hours}:${minutes}:${seconds}`;
    case "070000":
      return `${sign}${hours}${minutes}${seconds}`;
    case "07:00":
      return `${sign}${hours}:${minutes}`;
    case "0700":
      return `${sign}${hours}${minutes}`;
    default:
      return `${sign}${hours}`;
  }
}

export function formatTime(time: GoTime, layout: string): string {
  const f = time.fields();
  let out = "";
  for (const chunk of layoutChunks(layout)) {
    if (chunk.kind === "literal") {
      out += chunk.text;
      continue;
    }
    const hour12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
    switch (chunk.std) {
      case "January":
        out += longMonths[f.month - 1];
        break;
      case "Jan":
        out += longMonths[f.month - 1].slice(0, 3);
        break;
      case "Monday":
        out += longDays[f.weekday];
        break;
      case "Mon":
        out += longDays[f.weekday].slice(0, 3);
        break;
      case "MST":
        out += f.abbreviation || formatZone("-0700", f.offset);
        break;
      case "2006":
        out +=
          f.year < 0 ? `-${String(-f.year).padStart(4, "0")}` : String(f.year).padStart(4, "0");
        break;
      case "06":
        out += pad2(((f.year % 100) + 100) % 100);
        break;
      case "01":
        out += pad2(f.month);
        break;
      case "1":
        out += String(f.month);
        break;
      case "02":
        out += pad2(f.day);
        break;
      case "2":
        out += String(f.day);
        break;
      case "_2":
        out += String(f.day).padStart(2, " ");
        break;
      case "002":
        out += String(f.yearDay).padStart(3, "0");
        break;
      case "__2":
        out += String(f.yearDay).padStart(3, " ");
        break;
      case "15":
        out += pad2(f.hour);
        break;
      case "03":
        out += pad2(hour12);
        break;
      case "3":
        out += String(hour12);
        break;
      case "04":
        out += pad2(f.minute);
        break;
      case "4":
        out += String(f.minute);
        break;
      case "05":
        out += pad2(f.second);
        break;
      case "5":
        out += String(f.second);
        break;
      case "PM":
        out += f.hour >= 12 ? "PM" : "AM";
        break;
      case "pm":
        out += f.hour >= 12 ? "pm" : "am";
        break;
      case "frac0":
        out += chunk.separator + String(f.nanosecond).padStart(9, "0").slice(0, chunk.digits);
        break;
      case "frac9": {
        const digits = String(f.nanosecond)
          .padStart(9, "0")
          .slice(0, chunk.digits)
          .replace(/0+$/, "");
        if (digits) out += chunk.separator + digits;
        break;
      }
      default:
        out += formatZone(chunk.std, f.offset);
    }
  }
  return out;
}

/** time.ParseInLocation for the common layout elements; undefined when Go would fail. */
export function parseTime(layout: string, value: string, zone: Zone): GoTime | undefined {
  let rest = value;
  let year = 1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanosecond = 0;
  let pm: boolean | undefined;
  let offset: number | undefined;
  const number = (min: number, max: number): number | undefined => {
    const match = new RegExp(`^\\d{${min},${max}}`).exec(rest);
    if (!match) return undefined;
    rest = rest.slice(match[0].length);
    return Number(match[0]);
  };
  for (const chunk of layoutChunks(layout)) {
    if (chunk.kind === "literal") {
      if (!rest.startsWith(chunk.text)) return undefined;
      rest = rest.slice(chunk.text.length);
      continue;
    }
    let parsed: number | undefined = 0;
    switch (chunk.std) {
      case "2006":
        parsed = year = number(4, 4) ?? NaN;
        break;
      case "06":
        parsed = number(2, 2);
        if (parsed !== undefined) year = parsed + (parsed >= 69 ? 1900 : 2000);
        break;
      case "01":
      case "1":
        parsed = month = number(chunk.std === "01" ? 2 : 1, 2) ?? NaN;
        break;
      case "January":
      case "Jan": {
        const names = chunk.std === "January" ? longMonths : longMonths.map((m) => m.slice(0, 3));
        const index = names.findIndex((name) => rest.toLowerCase().startsWith(name.toLowerCase()));
        if (index < 0) return undefined;
        month = index + 1;
        rest = rest.slice(names[index].length);
        break;
      }
      case "Monday":
      case "Mon": {
        const names = chunk.std === "Monday" ? longDays : longDays.map((d) => d.slice(0, 3));
        const index = names.findIndex((name) => rest.toLowerCase().startsWith(name.toLowerCase()));
        if (index < 0) return undefined;
        rest = rest.slice(names[index].length);
        break;
      }
      case "02":
      case "2":
      case "_2":
        if (chunk.std === "_2" && rest.startsWith(" ")) rest = rest.slice(1);
        parsed = day = number(chunk.std === "02" ? 2 : 1, 2) ?? NaN;
        break;
      case "15":
        parsed = hour = number(2, 2) ?? NaN;
        break;
      case "03":
      case "3":
        parsed = hour = number(chunk.std === "03" ? 2 : 1, 2) ?? NaN;
        break;
      case "04":
      case "4":
        parsed = minute = number(chunk.std === "04" ? 2 : 1, 2) ?? NaN;
        break;
      case "05":
      case "5": {
        parsed = second = number(chunk.std === "05" ? 2 : 1, 2) ?? NaN;
        // A fractional second may follow even when the layout has none.
        const fraction = /^[.,](\d+)/.exec(rest);
        if (fraction && !layout.includes(".0") && !layout.includes(".9")) {
          nanosecond = Number(fraction[1].slice(0, 9).padEnd(9, "0"));
          rest = rest.slice(fraction[0].length);
        }
        break;
      }
      case "PM":
      case "pm": {
        const marker = rest.slice(0, 2).toUpperCase();
        if (marker !== "AM" && marker !== "PM") return undefined;
        pm = marker === "PM";
        rest = rest.slice(2);
        break;
      }
      case "frac0":
      case "frac9": {
        const fraction = /^[.,](\d+)/.exec(rest);
        if (!fraction) {
          if (chunk.std === "frac0") return undefined;
          break;
        }
        nanosecond = Number(fraction[1].slice(0, 9).padEnd(9, "0"));
        rest = rest.slice(fraction[0].length);
        break;
      }
      case "MST": {
        const match = /^([A-Z]{3,5}|[+-]\d\d(\d\d)?)/.exec(rest);
        if (!match) return undefined;
        if (match[1] === "UTC" || match[1] === "GMT") offset = 0;
        rest = rest.slice(match[0].length);
        break;
      }
      default: {
        if (chunk.std.startsWith("Z") && rest.startsWith("Z")) {
          offset = 0;
          rest = rest.slice(1);
          break;
        }
        const match = /^([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?/.exec(rest);
        if (!match) return undefined;
        offset =
          (match[1] === "-" ? -1 : 1) *
          (Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60 + Number(match[4] ?? 0));
        rest = rest.slice(match[0].length);
      }
    }
    if (parsed === undefined || Number.isNaN(parsed)) return undefined;
  }
  if (rest !== "") return undefined;
  if (pm !== undefined) {
    if (hour > 12) return undefined;
    if (pm && hour < 12) hour += 12;
    if (!pm && hour === 12) hour = 0;
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCDate() !== day) return undefined;
  // Date.UTC maps years 0-99 to 1900-1999; set the year explicitly.
  const wallMs = year < 100 ? new Date(wall).setUTCFullYear(year) : wall;
  if (offset !== undefined) {
    const seconds = BigInt(Math.floor(wallMs / 1000) - offset);
    const zoneOut = offset === 0 ? utc : new Zone("", undefined, offset, "");
    return new GoTime(seconds * 1000000000n + BigInt(nanosecond), zoneOut);
  }
  return fromWall(wallMs, nanosecond, zone);
}

// --- durations -----------------------------------------------------------------------------

const units: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** time.ParseDuration, in nanoseconds; undefined when invalid. */
export function parseDuration(text: string): number | undefined {
  let rest = text;
  let negative = false;
  if (rest[0] === "-" || rest[0] === "+") {
    negative = rest[0] === "-";
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") return undefined;
  let total = 0;
  while (rest !== "") {
    const match = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/.exec(rest);
    if (!match || (match[1] === "" && (match[2] ?? "") === "")) return undefined;
    const unit = units[match[3]];
    if (unit === undefined) return undefined;
    total += Number(`${match[1] || "0"}.${match[2] || "0"}`) * unit;
    rest = rest.slice(match[0].length);
  }
  return negative ? -total : total;
}

/** time.Duration.String for whole seconds (what Sprig's ago prints after rounding). */
export function durationString(nanos: number): string {
  if (nanos === 0) return "0s";
  const negative = nanos < 0;
  let seconds = Math.round(Math.abs(nanos) / 1e9);
  if (seconds === 0) return "0s";
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  let out = `${seconds}s`;
  if (hours > 0 || minutes > 0) out = `${minutes}m${out}`;
  if (hours > 0) out = `${hours}h${out}`;
  return negative ? `-${out}` : out;
}

// --- Sprig ---------------------------------------------------------------------------------

function toTime(value: unknown): GoTime {
  if (value instanceof GoTime) return value;
  if (typeof value === "number" && Number.isInteger(value)) return GoTime.unix(value);
  if (
    value instanceof GoNumber &&
    (value.type === "int64" || value.type === "int32" || value.type === "int")
  ) {
    return GoTime.unix(numberValue(value));
  }
  return GoTime.now();
}

function dateInZone(layout: string, value: unknown, zoneName: string): string {
  const zone = loadLocation(zoneName) ?? utc;
  return toTime(value).in(zone).format(layout);
}

export const dateFunctions: Record<string, FunctionDef> = {
  date: {
    params: ["string", "any"],
    call: (layout, value) => dateInZone(layout as string, value, "Local"),
  },
  date_in_zone: {
    params: ["string", "any", "string"],
    call: (layout, value, zone) => dateInZone(layout as string, value, zone as string),
  },
  dateInZone: {
    params: ["string", "any", "string"],
    call: (layout, value, zone) => dateInZone(layout as string, value, zone as string),
  },
  date_modify: {
    params: ["string", "time"],
    call: (text, time) => modify(text as string, time as GoTime),
  },
  dateModify: {
    params: ["string", "time"],
    call: (text, time) => modify(text as string, time as GoTime),
  },
  now: { params: [], call: () => GoTime.now() },
  htmlDate: { params: ["any"], call: (value) => dateInZone("2006-01-02", value, "Local") },
  htmlDateInZone: {
    params: ["any", "string"],
    call: (value, zone) => dateInZone("2006-01-02", value, zone as string),
  },
  ago: {
    params: ["any"],
    call: (value) => {
      const time =
        value instanceof GoTime ||
        (typeof value === "number" && Number.isInteger(value)) ||
        value instanceof GoNumber
          ? toTime(value)
          : GoTime.now();
      const now = GoTime.now();
      return durationString(Number(now.nanos - time.nanos));
    },
  },
  toDate: {
    params: ["string", "string"],
    call: (layout, value) =>
      parseTime(layout as string, value as string, localZone()) ?? zeroTime(),
  },
  unixEpoch: { params: ["time"], call: (time) => String((time as GoTime).unixSeconds()) },
};

function modify(text: string, time: GoTime): GoTime {
  const duration = parseDuration(text);
  if (duration === undefined) return time;
  return new GoTime(time.nanos + BigInt(Math.round(duration)), time.zone, time.monotonic);
}

export { processStart };
