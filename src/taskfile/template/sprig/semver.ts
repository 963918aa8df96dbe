/** Masterminds/semver v1.5 versions and constraints, as Sprig v2.22's semver functions use them. */
import { GoError, type FunctionDef } from "../exec.js";
import { GoNumber, type GoMethod, type GoObject } from "../values.js";

const versionPattern =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

export class SemverVersion implements GoObject {
  readonly goType = "*semver.Version";

  constructor(
    readonly major: number,
    readonly minor: number,
    readonly patch: number,
    readonly prerelease: string,
    readonly metadata: string,
    readonly original: string,
  ) {}

  static parse(text: string): SemverVersion {
    const match = versionPattern.exec(text);
    if (!match) throw new GoError("Invalid Semantic Version");
    const segment = (part: string | undefined): number => {
      if (!part) return 0;
      const value = Number(part.replace(/^\./, ""));
      if (!Number.isSafeInteger(value)) {
        throw new GoError(
          `Error parsing version segment: strconv.ParseInt: parsing "${part}": value out of range`,
        );
      }
      return value;
    };
    return new SemverVersion(
      segment(match[1]),
      segment(match[2]),
      segment(match[3]),
      match[5] ?? "",
      match[8] ?? "",
      text,
    );
  }

  goString(): string {
    let text = `${this.major}.${this.minor}.${this.patch}`;
    if (this.prerelease) text += `-${this.prerelease}`;
    if (this.metadata) text += `+${this.metadata}`;
    return text;
  }

  compare(other: SemverVersion): number {
    for (const [a, b] of [
      [this.major, other.major],
      [this.minor, other.minor],
      [this.patch, other.patch],
    ]) {
      if (a !== b) return a < b ? -1 : 1;
    }
    return comparePrerelease(this.prerelease, other.prerelease);
  }

  goMethod(name: string): GoMethod | undefined {
    const methods: Record<string, GoMethod> = {
      Major: { params: [], call: () => new GoNumber("int64", this.major) },
      Minor: { params: [], call: () => new GoNumber("int64", this.minor) },
      Patch: { params: [], call: () => new GoNumber("int64", this.patch) },
      Prerelease: { params: [], call: () => this.prerelease },
      Metadata: { params: [], call: () => this.metadata },
      Original: { params: [], call: () => this.original },
      String: { params: [], call: () => this.goString() },
      LessThan: { params: ["version"], call: (other) => this.compare(other as SemverVersion) < 0 },
      GreaterThan: {
        params: ["version"],
        call: (other) => this.compare(other as SemverVersion) > 0,
      },
      Equal: { params: ["version"], call: (other) => this.compare(other as SemverVersion) === 0 },
      Compare: { params: ["version"], call: (other) => this.compare(other as SemverVersion) },
    };
    return methods[name];
  }
}

function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "") return 1;
  if (b === "") return -1;
  const partsA = a.split(".");
  const partsB = b.split(".");
  const length = Math.max(partsA.length, partsB.length);
  for (let i = 0; i < length; i++) {
    const result = comparePart(partsA[i] ?? "", partsB[i] ?? "");
    if (result !== 0) return result;
  }
  return 0;
}

function comparePart(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "") return b !== "" ? -1 : 1;
  if (b === "") return a !== "" ? 1 : -1;
  const numericA = /^\d+$/.test(a);
  const numericB = /^\d+$/.test(b);
  if (numericA && numericB) return Number(a) > Number(b) ? 1 : -1;
  if (numericB) return 1;
  if (numericA) return -1;
  return a > b ? 1 : -1;
}

// --- constraints -----------------------------------------------------------------------------

const operators = ["", "=", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^"];
const operatorPattern = operators
  .slice(1)
  .sort((a, b) => b.length - a.length)
  .map((op) => op.replace(/[\^]/g, "\\^"))
  .join("|");
const constraintVersion =
  "v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?";
const constraintPattern = new RegExp(`^\\s*(${operatorPattern}|)\\s*(${constraintVersion})\\s*$`);
const findConstraintPattern = new RegExp(`(${operatorPattern}|)\\s*(${constraintVersion})`, "g");
const rangePattern = new RegExp(
  `\\s*(${constraintVersion})\\s+-\\s+(${constraintVersion})\\s*`,
  "g",
);

interface Constraint {
  op: string;
  version: SemverVersion;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const isX = (text: string | undefined): boolean => text === "x" || text === "X" || text === "*";

function parseConstraint(text: string): Constraint {
  const match = constraintPattern.exec(text);
  if (!match) throw new GoError(`improper constraint: ${text}`);
  let version = match[2];
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  const minor = (match[4] ?? "").replace(/^\./, "");
  const patch = (match[5] ?? "").replace(/^\./, "");
  if (isX(match[3])) {
    version = "0.0.0";
    dirty = true;
  } else if (isX(minor) || match[4] === undefined) {
    minorDirty = true;
    dirty = true;
    version = `${match[3]}.0.0${match[6] ?? ""}`;
  } else if (isX(patch)) {
    dirty = true;
    patchDirty = true;
    version = `${match[3]}${match[4]}.0${match[6] ?? ""}`;
  }
  return { op: match[1], version: SemverVersion.parse(version), dirty, minorDirty, patchDirty };
}

function check(v: SemverVersion, c: Constraint): boolean {
  const con = c.version;
  if (v.prerelease !== "" && con.prerelease === "") return false;
  const tilde = (): boolean => {
    if (v.compare(con) < 0) return false;
    if (con.major === 0 && con.minor === 0 && con.patch === 0 && !c.minorDirty && !c.patchDirty)
      return true;
    if (v.major !== con.major) return false;
    if (v.minor !== con.minor && !c.minorDirty) return false;
    return true;
  };
  switch (c.op) {
    case "":
    case "=":
      return c.dirty ? tilde() : v.compare(con) === 0;
    case "!=":
      if (!c.dirty) return v.compare(con) !== 0;
      if (con.major !== v.major) return true;
      if (con.minor !== v.minor && !c.minorDirty) return true;
      return false;
    case ">":
      return v.compare(con) > 0;
    case ">=":
    case "=>":
      return v.compare(con) >= 0;
    case "<":
    case "<=":
    case "=<":
      if (!c.dirty) return c.op === "<" ? v.compare(con) < 0 : v.compare(con) <= 0;
      if (v.major > con.major) return false;
      if (v.minor > con.minor && !c.minorDirty) return false;
      return true;
    case "~":
    case "~>":
      return tilde();
    case "^":
      return v.compare(con) >= 0 && v.major === con.major;
  }
  return false;
}

function parseConstraints(text: string): Constraint[][] {
  const rewritten = text.replace(rangePattern, (_all, from: string, ...rest: unknown[]) => {
    const to = rest[9] as string;
    return `>= ${from}, <= ${to}`;
  });
  return rewritten.split("||").map((group) => {
    const found = group.match(findConstraintPattern) ?? [group];
    return found.map(parseConstraint);
  });
}

export const semverFunctions: Record<string, FunctionDef> = {
  semver: { params: ["string"], call: (text) => SemverVersion.parse(text as string) },
  semverCompare: {
    params: ["string", "string"],
    call: (constraint, version) => {
      const groups = parseConstraints(constraint as string);
      const parsed = SemverVersion.parse(version as string);
      return groups.some((group) => group.every((c) => check(parsed, c)));
    },
  },
};

export { operators };
