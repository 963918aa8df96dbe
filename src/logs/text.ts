// Turning log bytes into the text az prints: UTF-8 with invalid bytes dropped (Python's
// `decode("utf-8", errors="ignore")`) and, when az's colorama wrapper strips, without the ANSI
// sequences colorama 0.4.6 recognises.

import { isUtf8 } from "node:buffer";

/** Length of the UTF-8 sequence a lead byte announces, or 0 when it cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) {
    return 1;
  }
  if (lead >= 0xc2 && lead <= 0xdf) {
    return 2;
  }
  if (lead >= 0xe0 && lead <= 0xef) {
    return 3;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    return 4;
  }
  return 0;
}

/** The range the second byte must fall in; it is narrower after E0, ED, F0 and F4. */
function secondByteRange(lead: number): [number, number] {
  switch (lead) {
    case 0xe0:
      return [0xa0, 0xbf];
    case 0xed:
      return [0x80, 0x9f];
    case 0xf0:
      return [0x90, 0xbf];
    case 0xf4:
      return [0x80, 0x8f];
    default:
      return [0x80, 0xbf];
  }
}

/**
 * Decodes UTF-8 the way Python does with `errors="ignore"`: every byte that is not part of a
 * well-formed sequence is dropped, and an ill-formed prefix never swallows the byte after it
 * (the "maximal subpart" rule, which Python and the WHATWG decoder share).
 */
export function decodeUtf8DroppingInvalid(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buffer)) {
    return buffer.toString("utf8");
  }

  const kept: number[] = [];
  let index = 0;
  while (index < buffer.length) {
    const lead = buffer[index];
    const length = sequenceLength(lead);
    if (length === 1) {
      kept.push(lead);
      index += 1;
      continue;
    }
    if (length === 0) {
      index += 1;
      continue;
    }

    let valid = 1;
    const [low, high] = secondByteRange(lead);
    while (valid < length && index + valid < buffer.length) {
      const next = buffer[index + valid];
      const [min, max] = valid === 1 ? [low, high] : [0x80, 0xbf];
      if (next < min || next > max) {
        break;
      }
      valid += 1;
    }

    if (valid === length) {
      for (let offset = 0; offset < length; offset += 1) {
        kept.push(buffer[index + offset]);
      }
    }
    index += valid;
  }
  return Buffer.from(kept).toString("utf8");
}

// colorama's patterns. Python's `\d` matches any Unicode decimal digit, hence `\p{Nd}`.
// Control characters are what these patterns are about, so the lint rule against them is off.
/* eslint-disable no-control-regex */
const CSI_PATTERN = /\u0001?\u001b\[((?:\p{Nd}|;)*)([a-zA-Z])\u0002?/gu;
const OSC_PATTERN = /\u0001?\u001b\]([^\u0007]*)(\u0007)\u0002?/gu;
/* eslint-enable no-control-regex */

/**
 * Removes ANSI sequences from one write, as colorama's AnsiToWin32 does when the stream is not
 * a terminal. OSC sequences go first, and colorama cuts each OSC match at the positions it had
 * in the original text even after earlier cuts shortened it; that quirk is reproduced because
 * it decides which bytes reach the output. Other escapes (e.g. `ESC[?25l`) stay.
 */
export function stripAnsiLikeColorama(text: string): string {
  if (!text.includes("\u001b")) {
    return text;
  }

  const matches = [...text.matchAll(OSC_PATTERN)];
  let withoutOsc = text;
  if (matches.length === 1) {
    const [match] = matches;
    withoutOsc = text.slice(0, match.index) + text.slice(match.index + match[0].length);
  } else if (matches.length > 1) {
    // Python indexes code points, not UTF-16 units; the stale positions must count the same way.
    let codePoints = Array.from(text);
    for (const match of matches) {
      const start = Array.from(text.slice(0, match.index)).length;
      const end = start + Array.from(match[0]).length;
      codePoints = [...codePoints.slice(0, start), ...codePoints.slice(end)];
    }
    withoutOsc = codePoints.join("");
  }

  return withoutOsc.replace(CSI_PATTERN, "");
}
