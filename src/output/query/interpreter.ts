// Evaluates a parsed query the way jmespath 1.0.1's tree interpreter does under az: Python
// truthiness and equality, multi-select hashes built as ordered dicts, and Python's errors.

import {
  ExpressionReference,
  compareStrings,
  hasKey,
  isDict,
  isNumber,
  isTruthy,
  markOrdered,
  numberValue,
  pythonEquals,
  pythonTypeName,
  setKey,
  type PythonDict,
} from "../python.js";
import { unorderable } from "./errors.js";
import { callFunction } from "./functions.js";
import type { ComparatorName, QueryNode } from "./parser.js";

function isFalse(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === "") {
    return true;
  }
  if (Array.isArray(value)) {
    return value.length === 0;
  }
  return isDict(value) && Object.keys(value).length === 0;
}

function isActualNumber(value: unknown): boolean {
  return isNumber(value);
}

/** jmespath's ==: Python equality, except that 0 and 1 never equal a boolean. */
function queryEquals(left: unknown, right: unknown): boolean {
  const isZeroOrOne = (value: unknown) =>
    isActualNumber(value) && [0, 1].includes(numberValue(value as number));
  if (isZeroOrOne(left)) {
    if (typeof right === "boolean") {
      return false;
    }
  } else if (isZeroOrOne(right) && typeof left === "boolean") {
    return false;
  }
  return pythonEquals(left, right);
}

const ORDERING_SYMBOL: Record<string, string> = { lt: "<", gt: ">", lte: "<=", gte: ">=" };

function compareOrdered(name: ComparatorName, left: unknown, right: unknown): boolean | null {
  const comparable = (value: unknown) => isActualNumber(value) || typeof value === "string";
  if (!comparable(left) || !comparable(right)) {
    return null;
  }

  let difference: number;
  if (typeof left === "string" && typeof right === "string") {
    difference = compareStrings(left, right);
  } else if (isNumber(left) && isNumber(right)) {
    difference = numberValue(left) - numberValue(right);
  } else {
    throw unorderable(ORDERING_SYMBOL[name], pythonTypeName(left), pythonTypeName(right));
  }

  switch (name) {
    case "lt":
      return difference < 0;
    case "gt":
      return difference > 0;
    case "lte":
      return difference <= 0;
    default:
      return difference >= 0;
  }
}

/** Python's slice of a list, with its defaults and clamping. */
function sliceList(
  list: readonly unknown[],
  start: number | null,
  stop: number | null,
  step: number | null,
): unknown[] {
  const stride = step ?? 1;
  if (stride === 0) {
    throw new Error("slice step cannot be zero");
  }
  const length = list.length;
  const lower = stride < 0 ? -1 : 0;
  const upper = stride < 0 ? length - 1 : length;
  const clamp = (bound: number | null, fallback: number) => {
    if (bound === null) {
      return fallback;
    }
    const adjusted = bound < 0 ? bound + length : bound;
    return Math.min(Math.max(adjusted, lower), upper);
  };
  const first = clamp(start, stride < 0 ? upper : lower);
  const last = clamp(stop, stride < 0 ? lower : upper);

  const result: unknown[] = [];
  for (let index = first; stride > 0 ? index < last : index > last; index += stride) {
    result.push(list[index]);
  }
  return result;
}

function project(base: unknown, right: QueryNode, visitItem: Visit): unknown[] | null {
  if (!Array.isArray(base)) {
    return null;
  }
  const collected: unknown[] = [];
  for (const element of base) {
    const current = visitItem(right, element);
    if (current !== null && current !== undefined) {
      collected.push(current);
    }
  }
  return collected;
}

type Visit = (node: QueryNode, value: unknown) => unknown;

export const visit: Visit = (node, value) => {
  switch (node.type) {
    case "subexpression":
      return node.children.reduce<unknown>((result, child) => visit(child, result), value);
    case "field":
      return isDict(value) && hasKey(value, node.name) ? value[node.name] : null;
    case "comparator": {
      const left = visit(node.left, value);
      const right = visit(node.right, value);
      if (node.name === "eq") {
        return queryEquals(left, right);
      }
      if (node.name === "ne") {
        return !queryEquals(left, right);
      }
      return compareOrdered(node.name, left, right);
    }
    case "current":
    case "identity":
      return value;
    case "expref": {
      const expression = node.expression;
      return new ExpressionReference((item) => visit(expression, item));
    }
    case "function":
      return callFunction(
        node.name,
        node.args.map((argument) => visit(argument, value)),
      );
    case "filter_projection": {
      const base = visit(node.left, value);
      if (!Array.isArray(base)) {
        return null;
      }
      const collected: unknown[] = [];
      for (const element of base) {
        if (!isFalse(visit(node.condition, element))) {
          const current = visit(node.right, element);
          if (current !== null && current !== undefined) {
            collected.push(current);
          }
        }
      }
      return collected;
    }
    case "flatten": {
      const base = visit(node.child, value);
      if (!Array.isArray(base)) {
        return null;
      }
      return base.flatMap((element: unknown) => (Array.isArray(element) ? element : [element]));
    }
    case "index": {
      if (!Array.isArray(value)) {
        return null;
      }
      const position = node.index < 0 ? value.length + node.index : node.index;
      return position >= 0 && position < value.length ? value[position] : null;
    }
    case "index_expression":
      return node.children.reduce<unknown>((result, child) => visit(child, result), value);
    case "slice":
      return Array.isArray(value) ? sliceList(value, node.start, node.stop, node.step) : null;
    case "literal":
      return node.value;
    case "multi_select_dict": {
      if (value === null || value === undefined) {
        return null;
      }
      const collected: PythonDict = markOrdered({});
      for (const [key, child] of node.pairs) {
        setKey(collected, key, visit(child, value));
      }
      return collected;
    }
    case "multi_select_list":
      if (value === null || value === undefined) {
        return null;
      }
      return node.children.map((child) => visit(child, value));
    case "or": {
      const matched = visit(node.left, value);
      return isFalse(matched) ? visit(node.right, value) : matched;
    }
    case "and": {
      const matched = visit(node.left, value);
      return isFalse(matched) ? matched : visit(node.right, value);
    }
    case "not": {
      const original = visit(node.child, value);
      if (isActualNumber(original) && numberValue(original as number) === 0) {
        return false;
      }
      return !isTruthy(original);
    }
    case "pipe":
      return visit(node.right, visit(node.left, value));
    case "projection":
      return project(visit(node.left, value), node.right, visit);
    case "value_projection": {
      const base = visit(node.left, value);
      return isDict(base) ? project(Object.values(base), node.right, visit) : null;
    }
  }
};
