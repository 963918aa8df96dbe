// ARM wire JSON → the dict az prints for it. az reads a response into SDK models (msrest) and
// turns them back into a dict (knack's todict); this reproduces the round trip from the raw
// response body: every modelled attribute present (null when absent) in declaration order,
// unknown keys of an object kept verbatim after the modelled ones (those inside the flattened
// `properties` envelope dropped), typed values coerced as msrest coerces them, timestamps in
// Python's isoformat(), and the subtype of a polymorphic object chosen by its `type`.

import {
  hasKey,
  isDict,
  isTruthy,
  pythonRepr,
  pythonStr,
  pythonStrip,
  pythonTypeName,
  setKey,
  type PythonDict,
} from "../output/python.js";
import { isModelName, models, type Attribute, type FieldType, type ModelName } from "./models.js";

export { injectResourceGroup } from "../output/global-transforms.js";

/**
 * The schemas toAzJson knows: every model of models.ts, plus `TaskFromInitialResponse`, a task
 * az read through a long-running-operation poller. az deserialises that response twice and the
 * first pass consumes the step's `type`, so the step comes out as the base step model with
 * `"type": null` and every other key the server sent in it verbatim.
 */
export type AzSchemaName = ModelName | "TaskFromInitialResponse";

/** A response az's deserialiser rejects (msrest's DeserializationError). */
export class AzJsonError extends Error {}

interface Conversion {
  /** The discriminators were consumed by an earlier pass over the same JSON. */
  discriminatorsConsumed: boolean;
}

function msrestTypeName(type: FieldType): string {
  if (typeof type === "string") {
    return { str: "str", int: "int", bool: "bool", datetime: "iso-8601", object: "object" }[type];
  }
  if ("list" in type) {
    return `[${msrestTypeName(type.list)}]`;
  }
  if ("dict" in type) {
    return `{${msrestTypeName(type.dict)}}`;
  }
  return type.model;
}

function unableToDeserialize(data: unknown, type: FieldType, cause: string): AzJsonError {
  return new AzJsonError(
    `Unable to deserialize response data. Data: ${pythonStr(data)}, ` +
      `${msrestTypeName(type)}, ${cause}`,
  );
}

function noGet(data: unknown): AzJsonError {
  return new AzJsonError(
    `Unable to deserialize to object: type, AttributeError: '${pythonTypeName(data)}' ` +
      `object has no attribute 'get'`,
  );
}

// ---------------------------------------------------------------------------------------------
// Scalars

/** Python's int() of a wire value. */
function toInt(data: unknown, type: FieldType): number {
  if (typeof data === "boolean") {
    return data ? 1 : 0;
  }
  if (typeof data === "number") {
    if (!Number.isFinite(data)) {
      throw unableToDeserialize(
        data,
        type,
        "OverflowError: cannot convert float infinity to integer",
      );
    }
    return Math.trunc(data);
  }
  if (typeof data === "string") {
    const match = /^([-+]?)([0-9](?:_?[0-9])*)$/.exec(pythonStrip(data));
    if (match) {
      return Number(`${match[1]}${match[2].replaceAll("_", "")}`);
    }
    throw unableToDeserialize(
      data,
      type,
      `ValueError: invalid literal for int() with base 10: ${pythonRepr(data)}`,
    );
  }
  throw unableToDeserialize(
    data,
    type,
    `TypeError: int() argument must be a string, a bytes-like object or a real number, ` +
      `not '${pythonTypeName(data)}'`,
  );
}

function toBool(data: unknown, type: FieldType): boolean {
  if (typeof data === "boolean") {
    return data;
  }
  if (data === 1 || data === 0) {
    return data === 1;
  }
  if (typeof data === "string") {
    const lowered = data.toLowerCase();
    if (lowered === "true" || lowered === "1") {
      return true;
    }
    if (lowered === "false" || lowered === "0") {
      return false;
    }
  }
  throw unableToDeserialize(data, type, `TypeError: Invalid boolean value: ${pythonStr(data)}`);
}

// ---------------------------------------------------------------------------------------------
// Timestamps: msrest's reading (isodate, fractions cut to 6 digits) and Python's isoformat()

const MSREST_VALID_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;
const ISODATE_TIME =
  /^T?([0-9]{2}):([0-9]{2}):([0-9]{2})(?:[,.]([0-9]+))?(Z|([+-])([0-9]{2})(?::?([0-9]{2}))?)?/;

function datetimeError(cause: string): AzJsonError {
  return new AzJsonError(`Cannot deserialize datetime object., ${cause}`);
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function two(value: number): string {
  return String(value).padStart(2, "0");
}

/** Rounds a decimal fraction to 6 digits, half to even, as Decimal.quantize does. */
function microseconds(fraction: string, separator: string): number {
  if (fraction.length <= 6) {
    return Number(fraction.padEnd(6, "0"));
  }
  // A '.' fraction was already cut to six digits; only a ',' one reaches the rounding.
  const kept = Number(fraction.slice(0, 6));
  if (separator === ".") {
    return kept;
  }
  const rest = fraction.slice(6);
  const half = `5${"0".repeat(rest.length - 1)}`;
  const roundUp = rest > half || (rest === half && kept % 2 === 1);
  return roundUp ? kept + 1 : kept;
}

/** Python's complaint about a date or time field, checked in the order datetime checks them. */
function rangeError(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): string | undefined {
  if (year < 1) {
    return `year ${year} is out of range`;
  }
  if (month < 1 || month > 12) {
    return "month must be in 1..12";
  }
  if (day < 1 || day > daysInMonth(year, month)) {
    return "day is out of range for month";
  }
  if (hour > 23) {
    return "hour must be in 0..23";
  }
  if (minute > 59) {
    return "minute must be in 0..59";
  }
  return second > 59 ? "second must be in 0..59" : undefined;
}

function isoformat(text: unknown): string {
  if (typeof text !== "string") {
    throw datetimeError(
      `AttributeError: '${pythonTypeName(text)}' object has no attribute 'upper'`,
    );
  }
  let upper = text.toUpperCase();
  if (!MSREST_VALID_DATE.test(upper)) {
    throw datetimeError(`ValueError: Invalid datetime string: ${upper}`);
  }

  // msrest shortens the digits after the first '.' to six, wherever those digits appear.
  const afterDot = upper.split(".")[1];
  if (afterDot !== undefined) {
    const digits = /^[0-9]*/.exec(afterDot)?.[0] ?? "";
    if (digits.length > 6) {
      upper = upper.replaceAll(digits, digits.slice(0, 6));
    }
  }

  const parts = upper.split("T");
  if (parts.length !== 2) {
    throw datetimeError(
      `ISO8601Error: ISO 8601 time designator 'T' missing. Unable to parse datetime ` +
        `string ${pythonRepr(upper)}`,
    );
  }
  const [year, month, day] = parts[0].split("-").map(Number);
  const time = ISODATE_TIME.exec(parts[1]);
  if (time === null) {
    throw datetimeError(`ISO8601Error: Unrecognised ISO 8601 time format: ${pythonRepr(parts[1])}`);
  }
  const [, hour, minute, second, fraction = "", zone, sign, zoneHours, zoneMinutes] = time;
  const separator = parts[1][8] ?? ".";
  let micro = microseconds(fraction, separator);
  let wholeSeconds = Number(second);
  if (micro === 1_000_000) {
    micro = 0;
    wholeSeconds += 1;
  }

  const outOfRange = rangeError(year, month, day, Number(hour), Number(minute), wholeSeconds);
  if (outOfRange !== undefined) {
    throw datetimeError(`ValueError: ${outOfRange}`);
  }

  let result =
    `${String(year).padStart(4, "0")}-${two(month)}-${two(day)}` +
    `T${hour}:${minute}:${two(wholeSeconds)}`;
  if (micro !== 0) {
    result += `.${String(micro).padStart(6, "0")}`;
  }
  if (zone === "Z") {
    result += "+00:00";
  } else if (zone !== undefined) {
    const hours = Number(zoneHours);
    const minutes = Number(zoneMinutes ?? "0");
    const total = hours * 60 + minutes;
    if (total >= 24 * 60) {
      throw datetimeError(
        "ValueError: offset must be a timedelta strictly between -timedelta(hours=24) " +
          "and timedelta(hours=24).",
      );
    }
    result += `${total !== 0 && sign === "-" ? "-" : "+"}${two(Math.floor(total / 60))}:${two(total % 60)}`;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Models

/**
 * msrest's flattened-key reader: `properties.x` falls back to the top level without `properties`.
 */
function readWireKey(data: PythonDict, wireKey: string): unknown {
  const path = wireKey.split(".");
  let working: PythonDict = data;
  for (const segment of path.slice(0, -1)) {
    const next = hasKey(working, segment) ? working[segment] : data;
    if (next === null || next === undefined) {
      return null;
    }
    if (!isDict(next)) {
      throw noGet(next);
    }
    working = next;
  }
  const last = path[path.length - 1];
  return hasKey(working, last) ? working[last] : null;
}

/** The model msrest picks for `data`, and the data left once the discriminator is taken out. */
function classify(
  name: ModelName,
  data: PythonDict,
  conversion: Conversion,
): { target: ModelName; data: PythonDict; discriminator: string | null } {
  const { subtypes } = models[name];
  if (subtypes === undefined) {
    return { target: name, data, discriminator: null };
  }

  const rest: PythonDict = {};
  for (const [key, item] of Object.entries(data)) {
    if (key !== "type") {
      setKey(rest, key, item);
    }
  }
  const value = conversion.discriminatorsConsumed ? null : data.type;
  if (!isTruthy(value) || value === name) {
    return { target: name, data: rest, discriminator: null };
  }
  if (typeof value === "string" && hasKey(subtypes, value)) {
    return { target: subtypes[value], data: rest, discriminator: value };
  }
  if (Array.isArray(value) || isDict(value)) {
    throw unableToDeserialize(
      data,
      { model: name },
      `TypeError: unhashable type: '${pythonTypeName(value)}'`,
    );
  }
  return { target: name, data: rest, discriminator: null };
}

function convertModel(name: ModelName, data: unknown, conversion: Conversion): PythonDict {
  if (!isDict(data)) {
    throw noGet(data);
  }
  const classified = classify(name, data, conversion);
  const schema = models[classified.target];

  const result: PythonDict = {};
  for (const attribute of schema.attributes) {
    setKey(result, attribute.name, convertAttribute(attribute, classified.data, conversion));
  }
  if (models[name].subtypes !== undefined) {
    result.type = classified.discriminator;
  }

  // Keys the model does not know are kept as sent; a flattened envelope counts as known.
  const known = new Set(schema.attributes.map((attribute) => attribute.wireKey.split(".")[0]));
  for (const [key, item] of Object.entries(classified.data)) {
    if (!known.has(key)) {
      setKey(result, key, item);
    }
  }
  return result;
}

function convertAttribute(attribute: Attribute, data: PythonDict, conversion: Conversion): unknown {
  return convert(readWireKey(data, attribute.wireKey), attribute.type, conversion);
}

function convert(data: unknown, type: FieldType, conversion: Conversion): unknown {
  if (data === null || data === undefined) {
    return null;
  }
  if (typeof type === "string") {
    switch (type) {
      case "str":
        return pythonStr(data);
      case "int":
        return toInt(data, type);
      case "bool":
        return toBool(data, type);
      case "datetime":
        return isoformat(data);
      case "object":
        return data;
    }
  }
  if ("list" in type) {
    if (!Array.isArray(data)) {
      throw new AzJsonError(
        `Cannot deserialize as [${msrestTypeName(type.list)}] an object of type <class ` +
          `'${pythonTypeName(data)}'>`,
      );
    }
    return data.map((item) => convert(item, type.list, conversion));
  }
  if ("dict" in type) {
    if (!isDict(data)) {
      throw unableToDeserialize(
        data,
        type,
        `AttributeError: '${pythonTypeName(data)}' object has no attribute 'items'`,
      );
    }
    const result: PythonDict = {};
    for (const [key, item] of Object.entries(data)) {
      setKey(result, key, convert(item, type.dict, conversion));
    }
    return result;
  }
  return convertModel(type.model, data, conversion);
}

/**
 * az's dict for a raw ARM response body (or a part of one) read as `schema`. The input is not
 * modified. `resourceGroup` is not added here: that is az's global transform, applied to the
 * whole command result (see injectResourceGroup).
 */
export function toAzJson(schema: AzSchemaName, wire: unknown): unknown {
  if (schema === "TaskFromInitialResponse") {
    return convert(wire, { model: "Task" }, { discriminatorsConsumed: true });
  }
  if (!isModelName(schema)) {
    throw new Error(`Unknown schema ${String(schema)}`);
  }
  return convert(wire, { model: schema }, { discriminatorsConsumed: false });
}
