// `-o table`: knack's automatic table (one row per item, scalar fields only) rendered the way
// tabulate 0.8.9 renders `tablefmt="simple"` with number parsing off. Widths count code points
// (az's Python has no wcwidth), ANSI colour codes do not count, every cell is stripped and every
// line right-stripped, and a cell holding a line break spans several lines.

import {
  isDict,
  pythonLength,
  pythonLjust,
  pythonRstrip,
  pythonSplitlines,
  pythonStr,
  pythonStrip,
  sortedKeys,
} from "./python.js";

type TableRow = Map<string, unknown>;

const SKIPPED_KEYS = new Set(["id", "type", "etag"]);

function capitalizeFirst(key: string): string {
  const first = key.codePointAt(0);
  if (first === undefined) {
    return key;
  }
  const firstCharacter = String.fromCodePoint(first);
  return firstCharacter.toUpperCase() + key.slice(firstCharacter.length);
}

/** The row knack builds for one item of the result. */
function autoRow(item: unknown, sortKeys: boolean): TableRow {
  const row: TableRow = new Map();
  if (isDict(item)) {
    const keys = sortKeys ? sortedKeys(item) : Object.keys(item);
    for (const key of keys) {
      const value = item[key];
      if (SKIPPED_KEYS.has(key) || value === null || value === undefined) {
        continue;
      }
      if (Array.isArray(value) || isDict(value)) {
        continue;
      }
      row.set(capitalizeFirst(key), value);
    }
  } else if (Array.isArray(item)) {
    item.forEach((value, index) => row.set(`Column${index + 1}`, value));
  } else {
    row.set("Result", item);
  }
  return row;
}

/** Rows of knack's automatic table; keys sorted only when no transformer and no query ran. */
export function autoTable(result: unknown, sortKeys: boolean): TableRow[] {
  const items = Array.isArray(result) ? result : [result];
  return items.map((item) => autoRow(item, sortKeys));
}

// ---------------------------------------------------------------------------------------------
// tabulate

const INVISIBLE_CODES_SOURCE =
  "\\x1b\\[\\p{Nd}+[;\\p{Nd}]*m|\\x1b\\[\\p{Nd}*;\\p{Nd}*;\\p{Nd}*m|\\x1b\\]8;;([^\\n]*?)\\x1b\\\\";
const INVISIBLE_LINK_SOURCE =
  "\\x1b\\]8;[a-zA-Z0-9:]*;[^\\x1b]+\\x1b\\\\([^\\x1b]+)\\x1b\\]8;;\\x1b\\\\";
const INVISIBLE_CODES = new RegExp(INVISIBLE_CODES_SOURCE, "gu");
const INVISIBLE_LINK = new RegExp(INVISIBLE_LINK_SOURCE, "gu");
const HAS_INVISIBLE_CODES = new RegExp(INVISIBLE_CODES_SOURCE, "u");
const HAS_INVISIBLE_LINK = new RegExp(INVISIBLE_LINK_SOURCE, "u");
const LINE_BREAK = /[\r\n]/;

function stripInvisible(text: string): string {
  return text.replace(INVISIBLE_LINK, "$1").replace(INVISIBLE_CODES, "");
}

interface Measure {
  hasInvisible: boolean;
  isMultiline: boolean;
}

function lineWidth(text: string, measure: Measure): number {
  return pythonLength(measure.hasInvisible ? stripInvisible(text) : text);
}

/** Width of a cell: its widest line when the table is multi-line. */
function cellWidth(text: string, measure: Measure): number {
  if (!measure.isMultiline) {
    return lineWidth(text, measure);
  }
  return Math.max(...text.split(LINE_BREAK).map((line) => lineWidth(line, measure)));
}

function alignColumn(cells: string[], minimumWidth: number, measure: Measure): string[] {
  const stripped = cells.map(pythonStrip);
  const lineWidths = stripped.map((cell) =>
    measure.isMultiline
      ? cell.split(LINE_BREAK).map((line) => lineWidth(line, measure))
      : [lineWidth(cell, measure)],
  );
  const width = Math.max(minimumWidth, ...lineWidths.flat());

  if (measure.isMultiline) {
    if (!measure.hasInvisible) {
      return stripped.map((cell) =>
        pythonSplitlines(cell)
          .map((line) => pythonLjust(line, width))
          .join("\n"),
      );
    }
    // The widths come from one way of splitting lines and the padding from another; where
    // they disagree tabulate pairs them up positionally, and so does this.
    return stripped.map((cell, index) => {
      const lengths = cell.split(LINE_BREAK).map(pythonLength);
      const targets = lineWidths[index].map((visible, line) => width - (visible - lengths[line]));
      const lines = pythonSplitlines(cell);
      const count = Math.min(lines.length, targets.length);
      return lines
        .slice(0, count)
        .map((line, position) => pythonLjust(line, targets[position]))
        .join("\n");
    });
  }

  if (!measure.hasInvisible) {
    return stripped.map((cell) => pythonLjust(cell, width));
  }
  return stripped.map((cell) =>
    pythonLjust(cell, width - (lineWidth(cell, measure) - pythonLength(cell))),
  );
}

function alignHeader(header: string, width: number, measure: Measure): string {
  if (measure.isMultiline) {
    return header
      .split(/\r|\n|\r\n/)
      .map((line) => pythonLjust(line, width + pythonLength(line) - lineWidth(line, measure)))
      .join("\n");
  }
  return pythonLjust(header, width + pythonLength(header) - cellWidth(header, measure));
}

function simpleRow(cells: readonly string[]): string {
  return pythonRstrip(cells.join("  "));
}

function appendRow(
  lines: string[],
  cells: readonly string[],
  widths: number[],
  multiline: boolean,
) {
  if (!multiline) {
    lines.push(simpleRow(cells));
    return;
  }
  const cellLines = cells.map(pythonSplitlines);
  const count = Math.max(...cellLines.map((cell) => cell.length));
  for (let line = 0; line < count; line += 1) {
    lines.push(simpleRow(cellLines.map((cell, index) => cell[line] ?? " ".repeat(widths[index]))));
  }
}

/** tabulate(rows, headers="keys", tablefmt="simple", disable_numparse=True). */
export function tabulate(rows: readonly TableRow[]): string {
  const headers: string[] = [];
  for (const row of rows) {
    for (const key of row.keys()) {
      if (!headers.includes(key)) {
        headers.push(key);
      }
    }
  }
  if (headers.length === 0) {
    return "";
  }

  const values = rows.map((row) => headers.map((header) => row.get(header) ?? null));
  const plainText = [
    headers.join("\t"),
    ...values.map((row) => row.map(pythonStr).join("\t")),
  ].join("\t");
  const measure: Measure = {
    hasInvisible: HAS_INVISIBLE_CODES.test(plainText) || HAS_INVISIBLE_LINK.test(plainText),
    isMultiline: LINE_BREAK.test(plainText),
  };

  const columns = headers.map((header, index) => {
    const cells = values.map((row) => (row[index] === null ? "" : pythonStr(row[index])));
    return alignColumn(cells, cellWidth(header, measure) + 2, measure);
  });
  const widths = columns.map((cells, index) =>
    Math.max(
      cellWidth(headers[index], measure) + 2,
      ...cells.map((cell) => cellWidth(cell, measure)),
    ),
  );
  const headerCells = headers.map((header, index) => alignHeader(header, widths[index], measure));

  const lines: string[] = [];
  appendRow(lines, headerCells, widths, measure.isMultiline);
  lines.push(simpleRow(widths.map((width) => "-".repeat(width))));
  rows.forEach((_, rowIndex) => {
    const cells = columns.map((column) => column[rowIndex]);
    appendRow(lines, cells, widths, measure.isMultiline);
  });
  return lines.join("\n");
}

/** The whole `-o table` text for rows, as knack prints it. */
export function formatTableRows(rows: readonly TableRow[]): string {
  const table = rows.length > 0 ? tabulate(rows) : "";
  if (table === "\n") {
    throw new Error("Unable to extract fields for table.");
  }
  return `${table}\n`;
}
