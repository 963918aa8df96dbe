// az's rule for when log bytes become output: after each 4 KiB read it prints everything up to
// the last CRLF seen so far (the CR kept, the LF supplied by print) and holds the rest back;
// what is left when the log ends is printed with a newline added.

/** az reads the blob in ranges of this many bytes. */
export const AZ_READ_SIZE = 4096;

const CR = 0x0d;
const LF = 0x0a;
const CRLF = Buffer.from("\r\n");

/**
 * Collects log bytes and hands back the pieces az would print. Each returned piece is printed
 * followed by "\n". Feeding larger reads is equivalent to az's 4 KiB reads from the same
 * offsets: the data is cut into 4 KiB pieces before the CRLF search, so the points where the
 * output is split (which matter to the per-write ANSI stripping) are az's.
 */
export class LogLineBuffer {
  // Held bytes are kept as the reads that brought them, so a log without CRLFs costs no copying.
  private held: Buffer[] = [];
  private heldLength = 0;

  /** Adds bytes read from the blob; returns the pieces to print, in order. */
  push(bytes: Uint8Array): Buffer[] {
    const pieces: Buffer[] = [];
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let offset = 0; offset < data.length; offset += AZ_READ_SIZE) {
      const flushed = this.pushOneRead(data.subarray(offset, offset + AZ_READ_SIZE));
      if (flushed) {
        pieces.push(flushed);
      }
    }
    return pieces;
  }

  /** What is still held back (text after the last CRLF), emptied; undefined when nothing is. */
  finish(): Buffer | undefined {
    if (this.heldLength === 0) {
      return undefined;
    }
    const rest = Buffer.concat(this.held);
    this.held = [];
    this.heldLength = 0;
    return rest;
  }

  get heldBytes(): number {
    return this.heldLength;
  }

  private pushOneRead(piece: Buffer): Buffer | undefined {
    if (piece.length === 0) {
      return undefined;
    }

    // Only the new bytes are searched, plus the pair formed with the last byte held before.
    let lineFeed = -1;
    const carriageReturn = piece.lastIndexOf(CRLF);
    if (carriageReturn >= 0) {
      lineFeed = carriageReturn + 1;
    } else if (piece[0] === LF && this.lastHeldByte() === CR) {
      lineFeed = 0;
    }

    if (lineFeed < 0) {
      this.held.push(piece);
      this.heldLength += piece.length;
      return undefined;
    }

    const flushed = Buffer.concat([...this.held, piece.subarray(0, lineFeed)]);
    const rest = piece.subarray(lineFeed + 1);
    this.held = rest.length > 0 ? [rest] : [];
    this.heldLength = rest.length;
    return flushed;
  }

  private lastHeldByte(): number | undefined {
    const last = this.held[this.held.length - 1];
    return last ? last[last.length - 1] : undefined;
  }
}
