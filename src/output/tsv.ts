// `-o tsv`: one line per element of a top-level list (or one line for anything else), cells
// separated by tabs, as knack's TSV writer prints them.

import { isDict, isOrderedDict, pythonStr, sortedKeys, type PythonDict } from "./python.js";

function cell(value: unknown): string {
  if (Array.isArray(value)) {
    return String(value.length);
  }
  if (isDict(value)) {
    // A nested object prints nothing, which keeps the column count stable.
    return "";
  }
  return pythonStr(value);
}

function row(item: unknown): string {
  if (Array.isArray(item)) {
    return item.map(cell).join("\t");
  }
  if (isDict(item)) {
    const dict: PythonDict = item;
    // Objects a query built keep the query's order; all others print in key order.
    const keys = isOrderedDict(dict) ? Object.keys(dict) : sortedKeys(dict);
    return keys.map((key) => cell(dict[key])).join("\t");
  }
  if (typeof item === "boolean") {
    return item ? "true" : "false";
  }
  return cell(item);
}

export function formatTsv(value: unknown): string {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => `${row(item)}\n`).join("");
}
