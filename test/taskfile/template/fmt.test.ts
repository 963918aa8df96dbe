/** Go's fmt as templates print values: %v of each kind, and printf's verbs, flags and errors. */
import { renderTemplate } from "../../../src/taskfile/template/index.js";
import { formatFloat, formatValue, GoNumber } from "../../../src/taskfile/template/values.js";

const render = (template: string, data: unknown = {}): string =>
  renderTemplate("t", template, data);

describe("%v printing of values", () => {
  test.each([
    [1, "1"],
    [-42, "-42"],
    [1.5, "1.5"],
    [0.1, "0.1"],
    [100000.5, "100000.5"],
    [1234567.5, "1.2345675e+06"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [-2.5e-10, "-2.5e-10"],
    [true, "true"],
    ["text", "text"],
    [null, "<nil>"],
    [[], "[]"],
    [[1, "a", null, [2]], "[1 a <nil> [2]]"],
    [{}, "map[]"],
    [{ b: 1, a: { c: [true] }, B: null }, "map[B:<nil> a:map[c:[true]] b:1]"],
  ])("%p prints as %p", (value, expected) => {
    expect(formatValue(value, false)).toBe(expected);
  });

  test.each([
    [3, "3"],
    [1e6, "1e+06"],
    [123456, "123456"],
    [1e21, "1e+21"],
    [1e20, "1e+20"],
    [-0, "-0"],
    [NaN, "NaN"],
    [Infinity, "+Inf"],
    [-Infinity, "-Inf"],
  ])("float64 %p prints as %p", (value, expected) => {
    expect(formatValue(new GoNumber("float64", value))).toBe(expected);
  });

  test("an invalid value prints <no value> at the top and <nil> inside a container", () => {
    expect(formatValue(undefined)).toBe("<no value>");
    expect(render("{{ list .a }}")).toBe("[<nil>]");
  });

  test.each([
    [1234.5678, "g", 3, "1.23e+03"],
    [1234.5678, "g", 6, "1234.57"],
    [1, "g", 3, "1"],
    [0.000012345, "g", 2, "1.2e-05"],
    [3.14159, "f", 2, "3.14"],
    [1, "e", 6, "1.000000e+00"],
    [123456789, "e", 2, "1.23e+08"],
    [1e22, "f", 0, "10000000000000000000000"],
  ] as const)("formatFloat(%p, %p, %p) is %p", (value, verb, precision, expected) => {
    expect(formatFloat(value, verb, precision)).toBe(expected);
  });
});

describe("printf", () => {
  test.each([
    ['{{printf "%d|%5d|%-5d|%05d|%+d|% d" 42 42 42 42 42 42}}', "42|   42|42   |00042|+42| 42"],
    ['{{printf "%x|%X|%#x|%o|%#o|%b|%O" 255 255 255 8 8 5 8}}', "ff|FF|0xff|10|010|101|0o10"],
    ['{{printf "%c|%q|%U" 65 120 128512}}', "A|'x'|U+1F600"],
    [
      '{{printf "%f|%.2f|%8.3f|%-8.1f|%06.2f" 3.14159 3.14159 3.14159 3.14159 -3.14159}}',
      "3.141590|3.14|   3.142|3.1     |-03.14",
    ],
    ['{{printf "%e|%E|%.1e" 1234.5 1234.5 1234.5}}', "1.234500e+03|1.234500E+03|1.2e+03"],
    ['{{printf "%g|%g|%.3g|%G" 100000.0 1000000.0 3.14159 1e-7}}', "100000|1e+06|3.14|1E-07"],
    [
      '{{printf "%s|%10s|%-10s|%.2s|%5.1s" "go" "go" "go" "gopher" "abc"}}',
      "go|        go|go        |go|    a",
    ],
    ['{{printf "%q|%#q|%+q" "a\\"b\\n" "raw" "é"}}', '"a\\"b\\n"|`raw`|"\\u00e9"'],
    ['{{printf "%x|%X|% x|%#x" "hi" "hi" "hi" "hi"}}', "6869|6869|68 69|0x6869"],
    ['{{printf "%t|%v" true false}}', "true|false"],
    ['{{printf "%v|%v|%v" (list 1 "a") (dict "k" 2) nil}}', "[1 a]|map[k:2]|<nil>"],
    ['{{printf "%s" (list "a" "b")}}', "[a b]"],
    ['{{printf "%q" (list "a" "b")}}', '["a" "b"]'],
    [
      '{{printf "%T|%T|%T|%T|%T" 1 1.5 "s" (list) (add 1 1)}}',
      "int|float64|string|[]interface {}|int64",
    ],
    ['{{printf "%d%%" 50}}', "50%"],
    ['{{printf "%*d|%-*d|%.*f" 5 1 4 2 1 3.14159}}', "    1|2   |3.1"],
    ['{{printf "%d" "hi"}}', "%!d(string=hi)"],
    ['{{printf "%s" 5}}', "%!s(int=5)"],
    ['{{printf "%f" 5}}', "%!f(int=5)"],
    ['{{printf "%d" 1.5}}', "%!d(float64=1.5)"],
    ['{{printf "%s" nil}}', "%!s(<nil>)"],
    ['{{printf "%d %d" 1}}', "1 %!d(MISSING)"],
    ['{{printf "%d" 1 2 "x"}}', "1%!(EXTRA int=2, string=x)"],
    ['{{printf "%!"}}', "%!!(MISSING)"],
    ['{{printf "abc%"}}', "abc%!(NOVERB)"],
    ['{{printf "%v" .m}}', "map[a:1 b:[x]]"],
    ['{{printf "%v %s" .n .n}}', "<nil> %!s(<nil>)"],
    ['{{printf "%5v|%-6v|" true "ab"}}', " true|ab    |"],
    ['{{printf "%3c|%-4q|" 66 "a"}}', '  B|"a" |'],
  ])("%s", (template, expected) => {
    expect(render(template, { m: { b: ["x"], a: 1 }, n: null })).toBe(expected);
  });
});

describe("print and println", () => {
  test.each([
    ['{{print "a" "b"}}', "ab"],
    ["{{print 1 2}}", "1 2"],
    ['{{print 1 "a" 2}}', "1a2"],
    ['{{print "a" 1 2 "b"}}', "a1 2b"],
    ["{{print (list 1) (dict)}}", "[1] map[]"],
    ["{{print 1.5 true nil}}", "1.5 true <nil>"],
    ['{{println "a" 1 "b"}}', "a 1 b\n"],
    ["{{println}}", "\n"],
    ["{{print}}", ""],
  ])("%s", (template, expected) => {
    expect(render(template)).toBe(expected);
  });
});
