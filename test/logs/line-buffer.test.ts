import { AZ_READ_SIZE, LogLineBuffer } from "../../src/logs/line-buffer.js";

function printed(pieces: Buffer[]): string {
  return pieces.map((piece) => `${piece.toString("latin1")}\n`).join("");
}

describe("az's CRLF rule", () => {
  test("text after the last CRLF is held until the end, then printed with a newline", () => {
    const lines = new LogLineBuffer();

    const first = printed(lines.push(Buffer.from("one\r\ntwo\nthree")));
    const second = printed(lines.push(Buffer.from(" more\r\nfour")));
    const rest = lines.finish();

    expect(first).toBe("one\r\n");
    expect(second).toBe("two\nthree more\r\n");
    expect(rest?.toString()).toBe("four");
    expect(lines.finish()).toBeUndefined();
  });

  test("a CRLF split between two reads is found", () => {
    const lines = new LogLineBuffer();

    expect(lines.push(Buffer.from("a\r"))).toEqual([]);
    expect(printed(lines.push(Buffer.from("\nb")))).toBe("a\r\n");
    expect(lines.heldBytes).toBe(1);
  });

  test("one large read is cut at az's 4 KiB read boundaries", () => {
    const data = Buffer.alloc(AZ_READ_SIZE * 2, "x");
    data.write("\r\n", 10);
    data.write("\r\n", AZ_READ_SIZE + 10);
    const lines = new LogLineBuffer();

    const pieces = lines.push(data);

    expect(pieces.map((piece) => piece.length)).toEqual([11, AZ_READ_SIZE - 1]);
    expect(lines.heldBytes).toBe(AZ_READ_SIZE - 12);
  });

  test("a log without any CRLF is held whole", () => {
    const lines = new LogLineBuffer();
    for (let index = 0; index < 100; index += 1) {
      expect(lines.push(Buffer.alloc(AZ_READ_SIZE, "y"))).toEqual([]);
    }

    expect(lines.finish()?.length).toBe(100 * AZ_READ_SIZE);
  });
});
