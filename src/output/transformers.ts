// The table transformers of the acr commands: the columns `-o table` shows for tasks, runs,
// task runs, task identities and builds when no --query is given. They follow the Python
// originals' quirks, including the ones that make the whole table fail (a Python exception in
// a transformer becomes az's "Table output unavailable" error).

import {
  hasKey,
  isDict,
  isNumber,
  isTruthy,
  pythonEquals,
  pythonStr,
  pythonStrip,
  pythonTypeName,
} from "./python.js";

export type TransformerRow = Record<string, string>;
export type TableTransformer = (result: unknown) => TransformerRow[];

/** A Python exception raised inside a transformer. */
class TransformerFailure extends Error {}

const MISSING = Symbol("missing");

/**
 * `item[a][b]…` with Python's subscripts; MISSING where Python raises
 * KeyError/TypeError/IndexError.
 */
function walk(item: unknown, path: ReadonlyArray<string | number>): unknown {
  let current = item;
  for (const key of path) {
    if (typeof key === "string") {
      if (!isDict(current) || !hasKey(current, key)) {
        return MISSING;
      }
      current = current[key];
      continue;
    }
    if (!Array.isArray(current) && typeof current !== "string") {
      return MISSING;
    }
    const sequence: unknown[] = Array.isArray(current) ? current : Array.from(current);
    const index = key < 0 ? sequence.length + key : key;
    if (index < 0 || index >= sequence.length) {
      return MISSING;
    }
    current = sequence[index];
  }
  return current;
}

/** `_get_value`: the text of a nested value, or a single space when it is missing or empty. */
function value(item: unknown, ...path: Array<string | number>): string {
  const found = walk(item, path);
  if (found === MISSING) {
    return " ";
  }
  const equalsZero = isNumber(found) || typeof found === "boolean" ? pythonEquals(found, 0) : false;
  return isTruthy(found) || equalsZero ? pythonStr(found) : " ";
}

function lower(text: string): string {
  return text.toLowerCase();
}

/** `_get_trigger_status`: whether any trigger in the list is enabled. */
function anyTriggerEnabled(item: unknown, ...path: string[]): boolean {
  const triggers = walk(item, path);
  if (triggers === MISSING || !isTruthy(triggers)) {
    return false;
  }

  let elements: unknown[];
  if (Array.isArray(triggers)) {
    elements = triggers;
  } else if (isDict(triggers)) {
    elements = Object.keys(triggers);
  } else if (typeof triggers === "string") {
    elements = Array.from(triggers);
  } else {
    return false;
  }

  for (const trigger of elements) {
    if (!isDict(trigger) || !hasKey(trigger, "status")) {
      return false;
    }
    const status = trigger.status;
    if (typeof status !== "string") {
      throw new TransformerFailure(`'${pythonTypeName(status)}' object has no attribute 'lower'`);
    }
    if (lower(status) === "enabled") {
      return true;
    }
  }
  return false;
}

function triggers(item: unknown): string {
  const names: string[] = [];
  if (lower(value(item, "trigger", "sourceTriggers", 0, "status")) === "enabled") {
    names.push("SOURCE");
  }
  if (anyTriggerEnabled(item, "trigger", "timerTriggers")) {
    names.push("TIMER");
  }
  if (lower(value(item, "trigger", "baseImageTrigger", "status")) === "enabled") {
    names.push("BASE_IMAGE");
  }
  names.sort();
  return names.length === 0 ? " " : names.join(", ");
}

function buildTrigger(imageUpdate: string, source: string, timer: string | null): string {
  if (pythonStrip(source)) {
    return source;
  }
  if (timer === null) {
    throw new TransformerFailure("'NoneType' object has no attribute 'strip'");
  }
  if (pythonStrip(timer)) {
    return "Timer";
  }
  if (pythonStrip(imageUpdate)) {
    return "Image Update";
  }
  return "Manual";
}

// ---------------------------------------------------------------------------------------------
// Dates, as dateutil parses the ISO timestamps az prints

interface ParsedDate {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  /** Offset from UTC in minutes; undefined for a timestamp without a zone. */
  offset?: number;
}

const ISO_TIMESTAMP =
  /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?\s*$/i;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseDate(text: string): ParsedDate | undefined {
  const match = ISO_TIMESTAMP.exec(text);
  if (!match) {
    return undefined;
  }
  const [, year, month, day, hour = "0", minute = "0", second = "0", fraction = "", zone] = match;
  const parsed: ParsedDate = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    microsecond: Number(fraction.slice(0, 6).padEnd(6, "0")),
  };
  if (
    parsed.month < 1 ||
    parsed.month > 12 ||
    parsed.day < 1 ||
    parsed.day > daysInMonth(parsed.year, parsed.month) ||
    parsed.hour > 23 ||
    parsed.minute > 59 ||
    parsed.second > 59
  ) {
    return undefined;
  }
  if (zone !== undefined) {
    if (zone.toUpperCase() === "Z") {
      parsed.offset = 0;
    } else {
      const digits = zone.slice(1).replace(":", "");
      const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
      parsed.offset = zone.startsWith("-") ? -minutes : minutes;
    }
  }
  return parsed;
}

function two(value: number): string {
  return String(value).padStart(2, "0");
}

/** `_format_datetime`: the wall-clock time with a literal Z, or the input when unparsable. */
function formatDateTime(text: string): string {
  const parsed = parseDate(text);
  if (parsed === undefined) {
    return text || " ";
  }
  const date = `${parsed.year}-${two(parsed.month)}-${two(parsed.day)}`;
  return `${date}T${two(parsed.hour)}:${two(parsed.minute)}:${two(parsed.second)}Z`;
}

function microsecondsSinceEpoch(date: ParsedDate): bigint {
  const wallClock = Date.UTC(
    date.year,
    date.month - 1,
    date.day,
    date.hour,
    date.minute,
    date.second,
  );
  const utc = wallClock - (date.offset ?? 0) * 60_000;
  return BigInt(utc) * 1000n + BigInt(date.microsecond);
}

/** `_get_duration`: finish − start as hours:minutes:seconds, or a space when unparsable. */
function duration(start: string, finish: string): string {
  const finished = parseDate(finish);
  const started = parseDate(start);
  if (finished === undefined || started === undefined) {
    return " ";
  }
  if ((finished.offset === undefined) !== (started.offset === undefined)) {
    throw new TransformerFailure("can't subtract offset-naive and offset-aware datetimes");
  }

  const total = microsecondsSinceEpoch(finished) - microsecondsSinceEpoch(started);
  const microsecondsPerDay = 86_400_000_000n;
  let days = total / microsecondsPerDay;
  if (total < 0n && total % microsecondsPerDay !== 0n) {
    days -= 1n;
  }
  const seconds = Number((total - days * microsecondsPerDay) / 1_000_000n);
  const hours = 24 * Number(days) + Math.floor(seconds / 3600);
  return `${two(hours)}:${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}`;
}

// ---------------------------------------------------------------------------------------------

/** `_output_format`: the items of a result, as the transformers see them. */
function items(result: unknown): unknown[] {
  let list = result;
  if (isDict(result)) {
    if (hasKey(result, "value") && Array.isArray(result.value)) {
      list = result.value;
    }
  } else if (Array.isArray(result)) {
    if (result.some((item) => pythonEquals(item, "value"))) {
      throw new TransformerFailure("list indices must be integers or slices, not str");
    }
  } else if (typeof result === "string") {
    if (result.includes("value")) {
      throw new TransformerFailure("string indices must be integers");
    }
  } else {
    throw new TransformerFailure(`argument of type '${pythonTypeName(result)}' is not iterable`);
  }
  return Array.isArray(list) ? list : [list];
}

function rows(result: unknown, format: (item: unknown) => TransformerRow): TransformerRow[] {
  return items(result).map(format);
}

export const task: TableTransformer = (result) =>
  rows(result, (item) => ({
    NAME: value(item, "name"),
    PLATFORM: value(item, "platform", "os"),
    STATUS: value(item, "status"),
    "SOURCE REPOSITORY": value(item, "step", "contextPath"),
    TRIGGERS: triggers(item),
  }));

export const run: TableTransformer = (result) =>
  rows(result, (item) => ({
    "RUN ID": value(item, "runId"),
    TASK: value(item, "task"),
    PLATFORM: value(item, "platform", "os"),
    STATUS: value(item, "status"),
    TRIGGER: buildTrigger(
      value(item, "imageUpdateTrigger"),
      value(item, "sourceTrigger", "eventType"),
      value(item, "timerTrigger"),
    ),
    STARTED: formatDateTime(value(item, "startTime")),
    DURATION: duration(value(item, "startTime"), value(item, "finishTime")),
  }));

export const taskRun: TableTransformer = (result) =>
  rows(result, (item) => ({
    NAME: value(item, "name"),
    "RUN ID": value(item, "runResult", "runId"),
    TASK: value(item, "runResult", "task"),
    PLATFORM: value(item, "runResult", "platform", "os"),
    STATUS: value(item, "runResult", "status"),
    STARTED: formatDateTime(value(item, "runResult", "startTime")),
    DURATION: duration(
      value(item, "runResult", "startTime"),
      value(item, "runResult", "finishTime"),
    ),
  }));

/** `_get_array_value`: the elements (or keys) of a nested value, empty when missing. */
function arrayValue(item: unknown, key: string): unknown[] {
  const found = walk(item, [key]);
  if (found === MISSING || !isTruthy(found)) {
    return [];
  }
  if (Array.isArray(found)) {
    return found;
  }
  if (isDict(found)) {
    return Object.keys(found);
  }
  return typeof found === "string" ? Array.from(found) : [];
}

export const taskIdentity: TableTransformer = (result) =>
  rows(result, (item) => {
    const identities = arrayValue(item, "userAssignedIdentities");
    const nonText = identities.find((identity) => typeof identity !== "string");
    if (nonText !== undefined) {
      throw new TransformerFailure(
        `sequence item 0: expected str instance, ${pythonTypeName(nonText)} found`,
      );
    }
    return {
      "PRINCIPAL ID": value(item, "principalId"),
      "TENANT ID": value(item, "tenantId"),
      TYPE: value(item, "type"),
      "USER ASSIGNED IDENTITIES": identities.length > 0 ? identities.join("\n") : " ",
    };
  });

export const build: TableTransformer = (result) =>
  rows(result, (item) => ({
    "BUILD ID": value(item, "buildId"),
    TASK: value(item, "buildTask"),
    PLATFORM: value(item, "platform", "osType"),
    STATUS: value(item, "status"),
    TRIGGER: buildTrigger(
      value(item, "imageUpdateTrigger"),
      value(item, "sourceTrigger", "eventType"),
      null,
    ),
    STARTED: formatDateTime(value(item, "startTime")),
    DURATION: duration(value(item, "startTime"), value(item, "finishTime")),
  }));
