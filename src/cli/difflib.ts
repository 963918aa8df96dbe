// Python's difflib.SequenceMatcher ratio and get_close_matches, which az uses for every
// "Did you mean …" line. Strings are compared by code point, as Python does.

interface Match {
  aStart: number;
  bStart: number;
  size: number;
}

class SequenceMatcher {
  private readonly a: readonly string[];
  private readonly b: readonly string[];
  private readonly bIndex = new Map<string, number[]>();
  private readonly popular = new Set<string>();

  constructor(a: string, b: string) {
    this.a = Array.from(a);
    this.b = Array.from(b);

    this.b.forEach((element, index) => {
      const indices = this.bIndex.get(element);
      if (indices) {
        indices.push(index);
      } else {
        this.bIndex.set(element, [index]);
      }
    });

    // The "autojunk" heuristic: in long sequences, very frequent elements are not indexed.
    const length = this.b.length;
    if (length >= 200) {
      const threshold = Math.floor(length / 100) + 1;
      for (const [element, indices] of this.bIndex) {
        if (indices.length > threshold) {
          this.popular.add(element);
        }
      }
      for (const element of this.popular) {
        this.bIndex.delete(element);
      }
    }
  }

  private findLongestMatch(aLow: number, aHigh: number, bLow: number, bHigh: number): Match {
    const { a, b } = this;
    let bestI = aLow;
    let bestJ = bLow;
    let bestSize = 0;
    let lengths = new Map<number, number>();

    for (let i = aLow; i < aHigh; i += 1) {
      const nextLengths = new Map<number, number>();
      for (const j of this.bIndex.get(a[i]) ?? []) {
        if (j < bLow) {
          continue;
        }
        if (j >= bHigh) {
          break;
        }
        const size = (lengths.get(j - 1) ?? 0) + 1;
        nextLengths.set(j, size);
        if (size > bestSize) {
          bestI = i - size + 1;
          bestJ = j - size + 1;
          bestSize = size;
        }
      }
      lengths = nextLengths;
    }

    // Python extends the match over equal elements that were left out of the index; there is
    // no junk function here, so only the popular elements can be such elements.
    while (bestI > aLow && bestJ > bLow && a[bestI - 1] === b[bestJ - 1]) {
      bestI -= 1;
      bestJ -= 1;
      bestSize += 1;
    }
    while (
      bestI + bestSize < aHigh &&
      bestJ + bestSize < bHigh &&
      a[bestI + bestSize] === b[bestJ + bestSize]
    ) {
      bestSize += 1;
    }
    return { aStart: bestI, bStart: bestJ, size: bestSize };
  }

  private matchingBlocks(): Match[] {
    const queue: [number, number, number, number][] = [[0, this.a.length, 0, this.b.length]];
    const blocks: Match[] = [];
    while (queue.length > 0) {
      const [aLow, aHigh, bLow, bHigh] = queue.pop() as [number, number, number, number];
      const match = this.findLongestMatch(aLow, aHigh, bLow, bHigh);
      if (match.size > 0) {
        blocks.push(match);
        if (aLow < match.aStart && bLow < match.bStart) {
          queue.push([aLow, match.aStart, bLow, match.bStart]);
        }
        if (match.aStart + match.size < aHigh && match.bStart + match.size < bHigh) {
          queue.push([match.aStart + match.size, aHigh, match.bStart + match.size, bHigh]);
        }
      }
    }
    return blocks;
  }

  private scale(matches: number): number {
    const total = this.a.length + this.b.length;
    return total ? (2.0 * matches) / total : 1.0;
  }

  ratio(): number {
    return this.scale(this.matchingBlocks().reduce((sum, block) => sum + block.size, 0));
  }

  quickRatio(): number {
    const available = new Map<string, number>();
    for (const element of this.b) {
      available.set(element, (available.get(element) ?? 0) + 1);
    }
    let matches = 0;
    for (const element of this.a) {
      const count = available.get(element) ?? 0;
      available.set(element, count - 1);
      if (count > 0) {
        matches += 1;
      }
    }
    return this.scale(matches);
  }

  realQuickRatio(): number {
    return this.scale(Math.min(this.a.length, this.b.length));
  }
}

/** Python's `difflib.SequenceMatcher(None, a, b).ratio()`. */
export function similarityRatio(a: string, b: string): number {
  return new SequenceMatcher(a, b).ratio();
}

function compareCodePoints(left: string, right: string): number {
  const leftPoints = Array.from(left, (character) => character.codePointAt(0) ?? 0);
  const rightPoints = Array.from(right, (character) => character.codePointAt(0) ?? 0);
  for (let index = 0; index < Math.min(leftPoints.length, rightPoints.length); index += 1) {
    if (leftPoints[index] !== rightPoints[index]) {
      return leftPoints[index] - rightPoints[index];
    }
  }
  return leftPoints.length - rightPoints.length;
}

/**
 * Python's `difflib.get_close_matches(word, possibilities, n, cutoff)`: the best `n` candidates
 * scoring at least `cutoff`, best first; equal scores order by the larger string first.
 */
export function getCloseMatches(
  word: string,
  possibilities: Iterable<string>,
  count = 3,
  cutoff = 0.6,
): string[] {
  const scored: { score: number; candidate: string }[] = [];
  for (const candidate of possibilities) {
    // Python sets the possibility as seq1 (a) and the word as seq2 (b).
    const matcher = new SequenceMatcher(candidate, word);
    if (
      matcher.realQuickRatio() >= cutoff &&
      matcher.quickRatio() >= cutoff &&
      matcher.ratio() >= cutoff
    ) {
      scored.push({ score: matcher.ratio(), candidate });
    }
  }

  scored.sort(
    (left, right) => right.score - left.score || compareCodePoints(right.candidate, left.candidate),
  );
  return scored.slice(0, count).map((entry) => entry.candidate);
}
