import { decodeUtf8DroppingInvalid, stripAnsiLikeColorama } from "../../src/logs/text.js";

// Expected values are what Python 3.11 (`bytes.decode("utf-8", errors="ignore")`) and
// colorama 0.4.6 (AnsiToWin32 with strip=True), as shipped with az 2.45, produce.
describe("decoding like Python's errors='ignore'", () => {
  test.each([
    [[0x6f, 0x6b, 0xe2, 0x82], "ok"],
    [[0xe2, 0x82, 0x41], "A"],
    [[0xf0, 0x80, 0x80, 0x80, 0x7a], "z"],
    [[0xed, 0xa0, 0x80, 0x78], "x"],
    [[0xe2, 0x82, 0xe2, 0x82, 0xac], "€"],
    [[0xc0, 0xaf, 0x71], "q"],
    [[0xef, 0xbf, 0xbd], "\ufffd"],
    [[0xf4, 0x90, 0x80, 0x80, 0x72], "r"],
    [[0xff, 0xfe], ""],
    [[0xf0, 0x9f, 0x98, 0x80], "😀"],
  ])("%j → %j", (bytes, text) => {
    expect(decodeUtf8DroppingInvalid(Uint8Array.from(bytes))).toBe(text);
  });
});

describe("stripping like colorama on a pipe", () => {
  test.each([
    ["\u001b[32mStep 1/2\u001b[0m : FROM alpine", "Step 1/2 : FROM alpine"],
    ["a\u001b]8;;http://x\u0007link\u001b]8;;\u0007b", "alink\u001b]8;;\u0007b"],
    ["a\u001b]x1\u0007b\u001b]x2\u0007cdefgh", "ab\u001b]x2\u0007h"],
    ["x\u001b[?25ly\u001b(B", "x\u001b[?25ly\u001b(B"],
    ["\u0001\u001b[1m\u0002bold", "bold"],
    ["\u001b[١٢mdigits", "digits"],
    ["😀\u001b]x\u0007😀\u001b]y\u0007tail", "😀😀\u001b]y\u0007"],
    ["\u001b]multi\r\nline\u0007end", "end"],
    ["\u001b]3;a\u0007ok", "ok"],
    ["plain text", "plain text"],
  ])("%j → %j", (input, output) => {
    expect(stripAnsiLikeColorama(input)).toBe(output);
  });

  test("a window-title sequence is removed (az 2.45 crashes on it instead)", () => {
    expect(stripAnsiLikeColorama("a\u001b]0;title\u0007b")).toBe("ab");
  });
});
