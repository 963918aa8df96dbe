/**
 * Execution cases adapted from Go's text/template exec_test.go table (struct data replaced by
 * the map data task files have), plus Go's exact error texts for map data.
 */
import {
  TemplateExecError,
  TemplateParseError,
  renderTemplate,
} from "../../../src/taskfile/template/index.js";

const data = {
  X: "x",
  I: 17,
  U16: 16,
  True: true,
  SI: [3, 4, 5],
  SIEmpty: [],
  SB: [true, false],
  MSI: { one: 1, two: 2, three: 3 },
  MSIone: { one: 1 },
  MSIEmpty: {},
  SMSI: [
    { one: 1, two: 2 },
    { eleven: 11, twelve: 12 },
  ],
  U: { V: "v" },
  Empty0: null,
  Empty3: [7, 8],
  PS: "a string",
  F: 1.5,
  Nested: { list: [{ name: "a" }, { name: "b" }] },
  Values: {},
};

type Case = [name: string, template: string, expected: string];

const passing: Case[] = [
  ["empty", "", ""],
  ["text", "some text", "some text"],
  [
    "dot",
    "<{{.}}>",
    "<map[Empty0:<nil> Empty3:[7 8] F:1.5 I:17 MSI:map[one:1 three:3 two:2] " +
      "MSIEmpty:map[] MSIone:map[one:1] Nested:map[list:[map[name:a] map[name:b]]] PS:a " +
      "string SB:[true false] SI:[3 4 5] SIEmpty:[] SMSI:[map[one:1 two:2] map[eleven:11 " +
      "twelve:12]] True:true U:map[V:v] U16:16 Values:map[] X:x]>",
  ],
  [".X", "-{{.X}}-", "-x-"],
  [".U.V", "-{{.U.V}}-", "-v-"],
  ["map .one", "{{.MSI.one}}", "1"],
  ["map .two", "{{.MSI.two}}", "2"],
  ["map .NO", "{{.MSI.NO}}", "<no value>"],
  ["map .one interface", "{{.MSIone.one}}", "1"],
  ["$.I", "{{$.I}}", "17"],
  ["$.U.V", "{{$.U.V}}", "v"],
  ["declare in action", "{{$x := $.U.V}}{{$x}}", "v"],
  ["simple assignment", "{{$x := 2}}{{$x = 3}}{{$x}}", "3"],
  ["nested assignment", "{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{$x}}", "3"],
  [
    "nested assignment changes the last declaration",
    "{{$x := 1}}{{if true}}{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{end}}{{$x}}",
    "1",
  ],
  ["V{6666}.String()", "-{{print 6666}}-", "-6666-"],
  ["printf dot", '{{with .I}}{{printf "%d" .}}{{end}}', "17"],
  ["printf var", '{{with $x := .I}}{{printf "%d" $x}}{{end}}', "17"],
  ["parens in pipeline", "{{printf `%d %d %d` (1) (2 | add 3) (add 4 (add 5 6))}}", "1 5 15"],
  ["parens: $ in paren", "{{($).X}}", "x"],
  ["parens: spaces and args", `{{(dict "up" "down" "left" "right").left}}`, "right"],
  ["if true", "{{if true}}TRUE{{end}}", "TRUE"],
  ["if false", "{{if false}}TRUE{{else}}FALSE{{end}}", "FALSE"],
  ["if 1", "{{if 1}}NON-ZERO{{else}}ZERO{{end}}", "NON-ZERO"],
  ["if 0", "{{if 0}}NON-ZERO{{else}}ZERO{{end}}", "ZERO"],
  ["if 1.5", "{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}", "NON-ZERO"],
  ["if 0.0", "{{if 0.0}}NON-ZERO{{else}}ZERO{{end}}", "ZERO"],
  ["if emptystring", "{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY"],
  ["if string", "{{if `notempty`}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY"],
  ["if emptyslice", "{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY"],
  ["if slice", "{{if .SI}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY"],
  ["if emptymap", "{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY"],
  ["if map", "{{if .MSI}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY"],
  ["if map unset", "{{if .MSI.none}}NON-ZERO{{else}}ZERO{{end}}", "ZERO"],
  ["if map not unset", "{{if not .MSI.none}}ZERO{{else}}NON-ZERO{{end}}", "ZERO"],
  ["if $x with $y int", "{{if $x := true}}{{with $y := .I}}{{$x}},{{$y}}{{end}}{{end}}", "true,17"],
  ["if $x with $x int", "{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}", "17,true"],
  ["if else if", "{{if false}}FALSE{{else if true}}TRUE{{end}}", "TRUE"],
  ["if else chain", "{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}", "3"],
  ["with else with", "{{with false}}A{{else with `b`}}{{.}}{{else}}C{{end}}", "b"],
  ["print", `{{print "hello, print"}}`, "hello, print"],
  ["print 123", "{{print 1 2 3}}", "1 2 3"],
  ["print nil", "{{print nil}}", "<nil>"],
  ["print missing", "{{print .nope}}", "<nil>"],
  ["print mixed", `{{print 1 "a" 2 3 "b"}}`, "1a2 3b"],
  ["println", "{{println 1 2 3}}", "1 2 3\n"],
  ["printf int", `{{printf "%04x" 127}}`, "007f"],
  ["printf float", `{{printf "%g" 3.5}}`, "3.5"],
  ["printf string", `{{printf "%s" "hello"}}`, "hello"],
  ["printf field", `{{printf "%s" .U.V}}`, "v"],
  [
    "html",
    `{{html "<script>alert(\\"XSS\\");</script>"}}`,
    "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;",
  ],
  [
    "html pipeline",
    `{{printf "<script>alert(\\"XSS\\");</script>" | html}}`,
    "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;",
  ],
  ["html field", "{{html .PS}}", "a string"],
  ["js", "{{js `It'd be nice.`}}", "It\\'d be nice."],
  [
    "js specials",
    '{{js `<a href="x">&</a>`}}',
    '\\u003Ca href\\u003D\\"x\\"\\u003E\\u0026\\u003C/a\\u003E',
  ],
  ["urlquery", `{{"http://www.example.org/"|urlquery}}`, "http%3A%2F%2Fwww.example.org%2F"],
  ["not", "{{not true}} {{not false}}", "false true"],
  ["and", "{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}", "false 0 0 1"],
  ["or", "{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}", "0 1 true 1"],
  ["or short-circuits", "{{or 1 (fail `not evaluated`)}}", "1"],
  ["and short-circuits", "{{and 0 (fail `not evaluated`)}}", "0"],
  ["boolean if", "{{if and true 1 `hi`}}TRUE{{else}}FALSE{{end}}", "TRUE"],
  ["boolean if not", "{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}", "FALSE"],
  ["slice[0]", "{{index .SI 0}}", "3"],
  ["slice[1]", "{{index .SI 1}}", "4"],
  ["map[one]", "{{index .MSI `one`}}", "1"],
  ["map[two]", "{{index .MSI `two`}}", "2"],
  ["map[NO]", "{{index .MSI `absent`}}", "<no value>"],
  ["map[``]", "{{index .MSI ``}}", "<no value>"],
  ["double index", "{{index .SMSI 1 `eleven`}}", "11"],
  ["index of a dotted key", `{{index . "a.b"}}`, "<no value>"],
  ["string index is a byte", "{{index `abc` 1}}", "98"],
  ["len slice", "{{len .SI}}", "3"],
  ["len map", "{{len .MSI }}", "3"],
  ["len string counts bytes", "{{len `héllo`}}", "6"],
  ["with true", "{{with true}}{{.}}{{end}}", "true"],
  ["with false", "{{with false}}{{.}}{{else}}FALSE{{end}}", "FALSE"],
  ["with 1", "{{with 1}}{{.}}{{else}}ZERO{{end}}", "1"],
  ["with 0", "{{with 0}}{{.}}{{else}}ZERO{{end}}", "ZERO"],
  ["with 1.5", "{{with 1.5}}{{.}}{{else}}ZERO{{end}}", "1.5"],
  ["with emptystring", "{{with ``}}{{.}}{{else}}EMPTY{{end}}", "EMPTY"],
  ["with string", "{{with `notempty`}}{{.}}{{else}}EMPTY{{end}}", "notempty"],
  ["with emptyslice", "{{with .SIEmpty}}{{.}}{{else}}EMPTY{{end}}", "EMPTY"],
  ["with slice", "{{with .SI}}{{.}}{{else}}EMPTY{{end}}", "[3 4 5]"],
  ["with emptymap", "{{with .MSIEmpty}}{{.}}{{else}}EMPTY{{end}}", "EMPTY"],
  ["with map", "{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}", "map[one:1]"],
  ["with $x int", "{{with $x := .I}}{{$x}}{{end}}", "17"],
  ["with $x struct.U.V", "{{with $x := $}}{{$x.U.V}}{{end}}", "v"],
  ["with variable and action", "{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}", "v"],
  ["range []int", "{{range .SI}}-{{.}}-{{end}}", "-3--4--5-"],
  ["range empty no else", "{{range .SIEmpty}}-{{.}}-{{end}}", ""],
  ["range []int else", "{{range .SI}}-{{.}}-{{else}}EMPTY{{end}}", "-3--4--5-"],
  ["range empty else", "{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", "EMPTY"],
  ["range []bool", "{{range .SB}}-{{.}}-{{end}}", "-true--false-"],
  ["range map sorted by key", "{{range .MSI}}-{{.}}-{{end}}", "-1--3--2-"],
  ["range empty map no else", "{{range .MSIEmpty}}-{{.}}-{{end}}", ""],
  ["range map else", "{{range .MSI}}-{{.}}-{{else}}EMPTY{{end}}", "-1--3--2-"],
  ["range empty map else", "{{range .MSIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", "EMPTY"],
  ["range empty interface", "{{range .Empty3}}-{{.}}-{{else}}EMPTY{{end}}", "-7--8-"],
  ["range empty nil", "{{range .Empty0}}-{{.}}-{{end}}", ""],
  ["range missing key", "{{range .nope}}-{{.}}-{{else}}NONE{{end}}", "NONE"],
  ["range $x SI", "{{range $x := .SI}}<{{$x}}>{{end}}", "<3><4><5>"],
  ["range $x $y SI", "{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}", "<0=3><1=4><2=5>"],
  ["range $x MSIone", "{{range $x := .MSIone}}<{{$x}}>{{end}}", "<1>"],
  ["range $x $y MSIone", "{{range $x, $y := .MSIone}}<{{$x}}={{$y}}>{{end}}", "<one=1>"],
  ["declare in range", "{{range $x := .SI}}<{{$foo:=$x}}{{$x}}>{{end}}", "<3><4><5>"],
  [
    "range assign to outer variables",
    "{{$i := 0}}{{$v := 0}}{{range $i, $v = .SI}}{{end}}{{$i}} {{$v}}",
    "2 5",
  ],
  ["range over int", "{{range 4}}{{.}}{{end}}", "0123"],
  ["range over int with variable", "{{range $i := 3}}[{{$i}}]{{end}}", "[0][1][2]"],
  ["range over zero int", "{{range 0}}x{{else}}none{{end}}", "none"],
  ["range break", "{{range .SI}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}", "3"],
  ["range continue", "{{range .SI}}{{if eq . 4}}{{continue}}{{end}}{{.}}{{end}}", "35"],
  ["nested range break", "{{range .SI}}{{range $.SB}}{{break}}{{end}}{{.}}{{end}}", "345"],
  ["range dollar inside", "{{range .SI}}{{$.X}}{{end}}", "xxx"],
  ["range nested fields", "{{range .Nested.list}}{{.name}}{{end}}", "ab"],
  ["or as if true", `{{or .SI "slice is empty"}}`, "[3 4 5]"],
  ["or as if false", `{{or .SIEmpty "slice is empty"}}`, "slice is empty"],
  ["bug0", "{{range .MSIone}}{{if $.True}}X{{end}}{{end}}", "X"],
  ["bug4 nil in if", "{{if .Empty0}}non-nil{{else}}nil{{end}}", "nil"],
  ["bug9 lower-case map names", "{{.cause}}", "<no value>"],
  ["bug12xe", "{{printf `%T` 0xef}}", "int"],
  ["bug12XE", "{{printf `%T` 0XEE}}", "int"],
  ["bug13 chain as arg", "{{print (.U).V}}", "v"],
  ["bug16g", `{{"aaa" |replace "b" "c"}}`, "aaa"],
  ["bug16k", `{{"aaa"|printf }}`, "aaa"],
  ["eq", "{{eq 1 1}} {{eq 1 2}} {{eq `a` `a`}} {{eq 1 2 3 1}}", "true false true true"],
  ["eq missing values", "{{eq .nope .nothing}} {{eq .nope `x`}}", "true false"],
  ["ne", "{{ne 1 2}} {{ne `a` `a`}}", "true false"],
  ["lt le gt ge", "{{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge 3 2}}", "true true false true"],
  ["lt strings", "{{lt `a` `b`}} {{lt `b` `a`}}", "true false"],
  ["lt floats", "{{lt 1.5 2.5}} {{gt .F 1.0}}", "true true"],
  ["int and int64 compare", "{{eq 3 (add 1 2)}}", "true"],
  [
    "numbers",
    "{{1}} {{-1}} {{0x10}} {{0o17}} {{0b101}} {{1_000}} {{017}} {{'a'}} {{'\\n'}}",
    "1 -1 16 15 5 1000 15 97 10",
  ],
  ["float constants", "{{1.0}} {{1e3}} {{1.5e-7}} {{.5}} {{0x1p-2}}", "1 1000 1.5e-07 0.5 0.25"],
  ["strings", '{{"a\\tb"}}|{{`raw\\n`}}|{{"\\u00e9\\x41\\101"}}', "a\tb|raw\\n|éAA"],
  ["comment", "a{{/* a comment */}}b", "ab"],
  ["trim markers", "a  {{- 1 -}}  b", "a1b"],
  ["trim comment", "a \n {{- /* c */ -}} \n b", "ab"],
  ["trim keeps minus numbers", "{{-3}}", "-3"],
  ["newlines in actions", "{{print\n1\n2}}", "1 2"],
  [
    "define and template",
    `{{define "T1"}}ONE{{end}}{{define "T2"}}TWO {{template "T1"}}{{end}}{{template "T2"}}`,
    "TWO ONE",
  ],
  ["template with data", `{{define "T"}}[{{.}}]{{end}}{{template "T" .I}}`, "[17]"],
  [
    "template has no outer variables",
    `{{define "T"}}{{$}}{{end}}{{$x := 1}}{{template "T" 5}}`,
    "5",
  ],
  ["block", `{{block "B" .X}}<{{.}}>{{end}}`, "<x>"],
  ["missing in pipeline", "{{.nope | default `d`}}", "d"],
  ["variable of missing value", "{{$x := .nope}}{{$x}}|{{$x.deeper}}", "<no value>|<no value>"],
  ["chain through a pipe of missing value", "{{(.nope).deeper}}", "<no value>"],
];

describe("Go text/template execution", () => {
  test.each(passing)("%s", (_name, template, expected) => {
    expect(renderTemplate("test", template, data)).toBe(expected);
  });

  test("call invokes a function value from the data", () => {
    const withFunction = { F2: (a: unknown, b: unknown) => Number(a) + Number(b) };
    expect(renderTemplate("test", "{{call .F2 2 3}}", withFunction)).toBe("5");
  });
});

type ErrorCase = [template: string, message: string];

const execErrors: ErrorCase[] = [
  [
    "{{.Values.a.b}}",
    `template: t:1:9: executing "t" at <.Values.a.b>: nil pointer evaluating interface {}.b`,
  ],
  [
    "image: {{.Values.a.b}}",
    `template: t:1:16: executing "t" at <.Values.a.b>: nil pointer evaluating interface {}.b`,
  ],
  [
    "{{.Empty0.x}}",
    `template: t:1:9: executing "t" at <.Empty0.x>: nil pointer evaluating interface {}.x`,
  ],
  [
    "{{.X.Y}}",
    `template: t:1:4: executing "t" at <.X.Y>: can't evaluate field Y in type interface {}`,
  ],
  [
    "{{$x := .X}}{{$x.Y}}",
    `template: t:1:16: executing "t" at <$x.Y>: can't evaluate field Y in type string`,
  ],
  [
    "{{range .SI}}{{.a}}{{end}}",
    `template: t:1:15: executing "t" at <.a>: can't evaluate field a in type interface {}`,
  ],
  [
    "{{with .I}}{{.a}}{{end}}",
    `template: t:1:13: executing "t" at <.a>: can't evaluate field a in type int`,
  ],
  [
    "line1\nline2 {{.X.Y.Z}}",
    `template: t:2:10: executing "t" at <.X.Y.Z>: can't evaluate field Y in type interface {}`,
  ],
  [
    "{{upper .nope}}",
    `template: t:1:8: executing "t" at <.nope>: wrong type for value; expected string; ` +
      `got interface {}`,
  ],
  [
    "{{.nope | upper}}",
    `template: t:1:10: executing "t" at <upper>: invalid value; expected string`,
  ],
  [
    "{{upper .I}}",
    `template: t:1:8: executing "t" at <.I>: wrong type for value; expected string; got int`,
  ],
  ["{{upper 3}}", `template: t:1:8: executing "t" at <3>: expected string; found 3`],
  ["{{trunc `a` `b`}}", 'template: t:1:8: executing "t" at <`a`>: expected integer; found `a`'],
  [
    "{{trunc (add 1 2) `abc`}}",
    `template: t:1:15: executing "t" at <2>: wrong type for value; expected int; got int64`,
  ],
  ["{{upper nil}}", `template: t:1:8: executing "t" at <nil>: cannot assign nil to string`],
  ["{{fail `boom`}}", 'template: t:1:2: executing "t" at <fail `boom`>: error calling fail: boom'],
  [
    "{{upper}}",
    `template: t:1:2: executing "t" at <upper>: wrong number of args for upper: want 1 got 0`,
  ],
  [
    "{{upper `a` `b`}}",
    `template: t:1:2: executing "t" at <upper>: wrong number of args for upper: want 1 got 2`,
  ],
  [
    "{{and}}",
    `template: t:1:2: executing "t" at <and>: wrong number of args for and: want at least 1 got 0`,
  ],
  [
    "{{index .SI 10}}",
    `template: t:1:2: executing "t" at <index .SI 10>: error calling index: index out of range: 10`,
  ],
  [
    "{{index .SI `hello`}}",
    `template: t:1:2: executing "t" at <index .SI \`hello\`>: error calling index: ` +
      `cannot index slice/array with type string`,
  ],
  [
    "{{index .SI nil}}",
    `template: t:1:2: executing "t" at <index .SI nil>: error calling index: cannot ` +
      `index slice/array with nil`,
  ],
  [
    "{{index .MSI 10}}",
    `template: t:1:2: executing "t" at <index .MSI 10>: error calling index: value has ` +
      `type int; should be string`,
  ],
  [
    "{{index nil 1}}",
    `template: t:1:2: executing "t" at <index nil 1>: error calling index: index of untyped nil`,
  ],
  [
    "{{index 3 1}}",
    `template: t:1:2: executing "t" at <index 3 1>: error calling index: can't index ` +
      `item of type int`,
  ],
  ["{{len 3}}", `template: t:1:2: executing "t" at <len 3>: error calling len: len of type int`],
  [
    "{{len .nope}}",
    `template: t:1:2: executing "t" at <len .nope>: error calling len: len of nil pointer`,
  ],
  [
    "{{eq 1 `a`}}",
    'template: t:1:2: executing "t" at <eq 1 `a`>: error calling eq: incompatible types ' +
      "for comparison",
  ],
  [
    "{{eq 1 1.5}}",
    `template: t:1:2: executing "t" at <eq 1 1.5>: error calling eq: incompatible types ` +
      `for comparison`,
  ],
  [
    "{{lt true false}}",
    `template: t:1:2: executing "t" at <lt true false>: error calling lt: invalid type ` +
      `for comparison`,
  ],
  [
    "{{lt .nope 1}}",
    `template: t:1:2: executing "t" at <lt .nope 1>: error calling lt: invalid type for comparison`,
  ],
  [
    "{{eq .SI .SI}}",
    `template: t:1:2: executing "t" at <eq .SI .SI>: error calling eq: non-comparable ` +
      `type [3 4 5]: []interface {}`,
  ],
  ["{{3 2}}", `template: t:1:2: executing "t" at <3>: can't give argument to non-function 3`],
  [
    "{{$x := 1}}{{$x 2}}",
    `template: t:1:13: executing "t" at <$x>: can't give argument to non-function $x`,
  ],
  [
    "{{$x := 1}}{{3 | $x}}",
    `template: t:1:17: executing "t" at <$x>: can't give argument to non-function $x`,
  ],
  ["{{.X 1}}", `template: t:1:2: executing "t" at <.X>: X is not a method but has arguments`],
  ["{{(nil).True}}", `template: t:1:3: executing "t" at <nil>: nil is not a command`],
  ["{{range 3.5}}{{end}}", `template: t:1:8: executing "t" at <3.5>: range can't iterate over 3.5`],
  ["{{range .X}}{{end}}", `template: t:1:8: executing "t" at <.X>: range can't iterate over x`],
  [
    "{{range $i, $v := 3}}{{end}}",
    `template: t:1:18: executing "t" at <3>: can't use 3 to iterate over more than one variable`,
  ],
  [
    '{{template "nope"}}',
    `template: t:1:11: executing "t" at <{{template "nope"}}>: template "nope" not defined`,
  ],
  [
    "{{9223372036854775808}}",
    `template: t:1:2: executing "t" at <9223372036854775808>: 9223372036854775808 overflows int`,
  ],
  ["{{nil}}", `template: t:1:2: executing "t" at <nil>: nil is not a command`],
  [
    "{{call .X}}",
    `template: t:1:2: executing "t" at <call .X>: error calling call: non-function .X of ` +
      `type string`,
  ],
  ["{{call nil}}", `template: t:1:2: executing "t" at <call nil>: error calling call: call of nil`],
  [
    `{{define "T"}}{{.a}}{{end}}{{template "T" 1}}`,
    `template: t:1:16: executing "T" at <.a>: can't evaluate field a in type int`,
  ],
  [
    "{{printf `%d` .Values.abcdefghijklmnopqrstuvwxyz.b}}",
    `template: t:1:21: executing "t" at <.Values.abcdefghijkl...>: nil pointer ` +
      `evaluating interface {}.b`,
  ],
];

describe("Go execution errors", () => {
  test.each(execErrors)("%s", (template, message) => {
    let caught: unknown;
    try {
      renderTemplate("t", template, data);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TemplateExecError);
    expect((caught as Error).message).toBe(message);
  });

  test("output before the error is not returned", () => {
    expect(() => renderTemplate("t", "partial {{fail `x`}}", {})).toThrow(TemplateExecError);
  });
});

const parseErrors: ErrorCase[] = [
  ["{{foo}}", `template: t:1: function "foo" not defined`],
  ["{{ .x | mustFirst }}", `template: t:1: function "mustFirst" not defined`],
  ["{{ toYaml . }}", `template: t:1: function "toYaml" not defined`],
  ["{{ required `x` .y }}", `template: t:1: function "required" not defined`],
  ["{{.X", "template: t:1: unclosed action"],
  ["a\n{{.X\n\n", "template: t:4: unclosed action started at t:2"],
  ["{{end}}", "template: t:1: unexpected {{end}}"],
  ["{{else}}", "template: t:1: unexpected {{else}}"],
  ["{{if true}}", "template: t:1: unexpected EOF"],
  ["{{range .x}}{{else}}{{else}}{{end}}", "template: t:1: expected end; found {{else}}"],
  ["{{}}", "template: t:1: missing value for command"],
  ["{{if}}{{end}}", "template: t:1: missing value for if"],
  ["{{$x}}", `template: t:1: undefined variable "$x"`],
  ["{{if true}}{{$x := 1}}{{end}}{{$x}}", `template: t:1: undefined variable "$x"`],
  ["{{'abc'}}", "template: t:1: malformed character constant: 'abc'"],
  ['{{"abc}}', "template: t:1: unterminated quoted string"],
  ["{{`abc}}", "template: t:1: unterminated raw quoted string"],
  ["{{/* x }}", "template: t:1: unclosed comment"],
  ["{{/* x */ 1}}", "template: t:1: comment ends before closing delimiter"],
  ["{{(1}}", "template: t:1: unclosed left paren"],
  ["{{1)}}", "template: t:1: unexpected right paren"],
  ["{{3x}}", `template: t:1: bad number syntax: "3x"`],
  ["{{.x | 3}}", "template: t:1: non executable command in pipeline stage 2"],
  ["{{1.x}}", `template: t:1: bad number syntax: "1.x"`],
  ['{{"a".x}}', `template: t:1: unexpected . after term "\\"a\\""`],
  ["{{break}}", "template: t:1: {{break}} outside {{range}}"],
  ["{{continue}}", "template: t:1: {{continue}} outside {{range}}"],
  ["{{range $a, $b, $c := .}}{{end}}", "template: t:1: too many declarations in range"],
  ["{{with $a, $b := .}}{{end}}", "template: t:1: too many declarations in with"],
  ["{{range $a, 3}}{{end}}", "template: t:1: range can only initialize variables"],
  ["{{ # }}", `template: t:1: unexpected "#" in command`],
  ["{{ .x ! }}", `template: t:1: unexpected "!" in operand`],
  ["{{template .x}}", `template: t:1: unexpected ".x" in template clause`],
  [
    '{{define "a"}}x{{end}}{{define "a"}}y{{end}}',
    `template: t:1: template: multiple definition of template "a"`,
  ],
  ["{{:x}}", "template: t:1: expected :="],
  ["{{\u00e9x@}}", "template: t:1: bad character U+0040 '@'"],
  ["{{\u2603}}", "template: t:1: unrecognized character in action: U+2603 '\u2603'"],
  ['{{"\\q"}}', "template: t:1: invalid syntax"],
  ["{{1 2 3 | x}}", `template: t:1: function "x" not defined`],
  ["line 1\nline 2 {{ nope }}", `template: t:2: function "nope" not defined`],
  ["{{12345678901234567890123}}", `template: t:1: integer overflow: "12345678901234567890123"`],
];

describe("Go parse errors", () => {
  test.each(parseErrors)("%s", (template, message) => {
    let caught: unknown;
    try {
      renderTemplate("t", template, data);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TemplateParseError);
    expect((caught as Error).message).toBe(message);
  });
});
