// The layout of a help text without its wording: headings, blank lines, option columns with
// their markers, allowed values and defaults, preview notes and the example commands. Two
// helps with the same skeleton differ only in descriptions.

const ENTRY = /^ {4}(\S.*?) : ?(.*)$/;
const BARE_ENTRY = /^ {4}(\S.*?)\s*$/;

function nameAndTags(left: string): string {
  const tags: string[] = [];
  let rest = left.trim();
  for (let match = /\s*(\[\w+\])$/.exec(rest); match; match = /\s*(\[\w+\])$/.exec(rest)) {
    tags.unshift(match[1]);
    rest = rest.slice(0, match.index).trimEnd();
  }
  return [rest, ...tags].join(" ");
}

function annotations(summary: string): string {
  const parts: string[] = [];
  const allowed = /Allowed values: (.*?)\.(?: |$)/.exec(summary);
  if (allowed) {
    parts.push(`allowed=${allowed[1]}`);
  }
  const defaulted = /(Default|Config): (.*)\.$/.exec(summary);
  if (defaulted) {
    parts.push(`${defaulted[1].toLowerCase()}=${defaulted[2]}`);
  }
  return parts.join(" ");
}

export function helpSkeleton(text: string): string[] {
  const skeleton: string[] = [];
  let section = "";
  let entry: { line: string; summary: string } | undefined;
  let previousIndent = -1;

  const flush = () => {
    if (entry) {
      skeleton.push(`${entry.line} ${annotations(entry.summary)}`.trimEnd());
      entry = undefined;
    }
  };

  for (const line of text.split("\n")) {
    const indent = line.length - line.trimStart().length;
    if (line.trim() === "") {
      flush();
      skeleton.push("");
      previousIndent = -1;
      continue;
    }

    if (indent === 0) {
      flush();
      section = line;
      skeleton.push(line.startsWith("To search") ? line : `# ${line}`);
      previousIndent = 0;
      continue;
    }

    if (section === "Command" || section === "Group") {
      if (indent === 4 && line.trimStart().startsWith("az ")) {
        skeleton.push(`title ${line.trim().split(" : ")[0]}`);
      } else if (indent === 8 && previousIndent !== 8) {
        skeleton.push(line.trim().startsWith("WARNING:") ? "note warning" : "note");
      }
    } else if (section === "Examples") {
      if (indent === 4 && previousIndent !== 4) {
        skeleton.push("example");
      } else if (indent >= 8) {
        skeleton.push(`  ${line.slice(8)}`);
      }
    } else if (indent === 4) {
      flush();
      // The column of " : " depends only on the names and markers of the section's entries.
      const match = ENTRY.exec(line) ?? BARE_ENTRY.exec(line);
      const column = line.indexOf(" : ");
      entry = {
        line: `- ${nameAndTags(match ? match[1] : line)} @${column}`,
        summary: match?.[2] ?? "",
      };
    } else if (indent === 8 && line.trimStart().startsWith("WARNING:")) {
      flush();
      skeleton.push("  note warning");
    } else if (entry) {
      // A line broken after a hyphen continues the same word.
      entry.summary += `${entry.summary.endsWith("-") ? "" : " "}${line.trim()}`;
    }
    previousIndent = indent;
  }
  flush();
  return skeleton;
}
