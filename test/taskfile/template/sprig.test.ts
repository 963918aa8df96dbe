/**
 * Sprig v2.22 functions, with cases from Sprig's own tests and Go's documented behaviour of
 * the library calls Sprig makes (strings, regexp, path, encoding/json, time).
 */
import { TemplateExecError, renderTemplate } from "../../../src/taskfile/template/index.js";

const render = (template: string, data: unknown = {}): string =>
  renderTemplate("t", template, data);

type Case = [template: string, expected: string, data?: unknown];

const strings: Case[] = [
  ['{{"fooo" | substr 0 3 }}', "foo"],
  ['{{"foo" | substr 0 10 }}', "foo"],
  ['{{"foobar" | substr -1 3 }}', "foo"],
  ['{{"foobar" | substr 3 -1 }}', "bar"],
  ['{{ "foooooo" | trunc 3 }}', "foo"],
  ['{{ "baaaaaar" | trunc -3 }}', "aar"],
  ['{{ "baaaaaar" | trunc -999 }}', "baaaaaar"],
  ['{{ "baaaaaz" | trunc 0 }}', ""],
  ['{{quote "a" "b" "c"}}', '"a" "b" "c"'],
  ['{{quote "\\"a\\"" "b" "c"}}', '"\\"a\\"" "b" "c"'],
  ["{{quote 1 2 3 }}", '"1" "2" "3"'],
  ["{{ .value | quote }}", "", { value: null }],
  ['{{ quote "tab\\there" "ünï" }}', '"tab\\there" "ünï"'],
  ['{{squote "a" "b" "c"}}', "'a' 'b' 'c'"],
  ["{{squote 1 2 3 }}", "'1' '2' '3'"],
  ["{{ .value | squote }}", "", { value: null }],
  ['{{if contains "cat" "fair catch"}}1{{end}}', "1"],
  ['{{if hasPrefix "cat" "catch"}}1{{end}}', "1"],
  ['{{if hasSuffix "cat" "ducat"}}1{{end}}', "1"],
  ['{{trim "   5.00   "}}', "5.00"],
  ['{{trimAll "$" "$5.00$"}}', "5.00"],
  ['{{trimall "$" "$5.00$"}}', "5.00"],
  ['{{trimPrefix "$" "$5.00"}}', "5.00"],
  ['{{trimSuffix "$" "5.00$"}}', "5.00"],
  ['{{$v := "foo$bar$baz" | split "$"}}{{$v._0}}', "foo"],
  ['{{$v := "foo$bar$baz" | split "$"}}{{$v._2}}|{{$v._9}}|', "baz||"],
  ['{{$v := "foo$bar$baz" | splitn "$" 2}}{{$v._0}} {{$v._1}}', "foo bar$baz"],
  ['{{ splitList "," "a,b,c" }}', "[a b c]"],
  ['{{ "a b c" | splitList " " | len }}', "3"],
  ["{{ $s := list 1 2 3 | toStrings }}{{ index $s 1 | kindOf }}", "string"],
  ["{{ list 1 .value 2 | toStrings }}", "[1 2]", { value: null }],
  ['{{ tuple "a" "b" "c" | join "-" }}', "a-b-c"],
  ['{{ tuple 1 2 3 | join "-" }}', "1-2-3"],
  ['{{ join "-" .V }}', "abc", { V: "abc" }],
  ['{{ join "-" .value }}', "1-2", { value: ["1", null, "2"] }],
  ['{{ list "c" "a" "b" | sortAlpha | join "" }}', "abc"],
  ['{{ list 2 1 4 3 | sortAlpha | join "" }}', "1234"],
  ['{{abbrev 5 "hello world"}}', "he..."],
  ['{{abbrev 3 "hello world"}}', "hello world"],
  ['{{abbrevboth 5 10 "1234 5678 9123"}}', "...5678..."],
  ['{{nospace "h e l l o "}}', "hello"],
  ['{{untitle "First Try"}}', "first try"],
  ['{{title "hello world-wide o\'neil"}}', "Hello World-Wide O'Neil"],
  ['{{initials "First Try"}}', "FT"],
  ['{{wrap 5 "Hello World"}}', "Hello\nWorld"],
  ['{{wrapWith 5 "\\t" "Hello World"}}', "Hello\tWorld"],
  ['{{wrap 3 "abcdefg hij"}}', "abcdefg\nhij"],
  ['{{wrapWith 3 "|" "abcdefg"}}', "abc|def|g"],
  ['{{$b := "b"}}{{"c" | cat "a" $b}}', "a b c"],
  ['{{ .value | cat "a" "b"}}', "a b", { value: null }],
  ["{{ cat 1 2.5 true (list 1 2) }}", "1 2.5 true [1 2]"],
  ['{{indent 4 "a\\nb\\nc"}}', "    a\n    b\n    c"],
  ['{{nindent 4 "a\\nb\\nc"}}', "\n    a\n    b\n    c"],
  ['{{"I Am Henry VIII" | replace " " "-"}}', "I-Am-Henry-VIII"],
  ['{{$num := len "two"}}{{$num}} {{$num | plural "1 char" "chars"}}', "3 chars"],
  ['{{len "t" | plural "cheese" "%d chars"}}', "cheese"],
  ['{{ "abc" | upper }} {{ "ABC" | lower }}', "ABC abc"],
  ['{{ repeat 3 "ab" }}', "ababab"],
  ['{{ swapcase "This Is A.Test" }}', "tHIS iS a.tEST"],
  ['{{ camelcase "http_server" }}', "HttpServer"],
  ['{{ camelcase "_complex__case_" }}', "_Complex_Case_"],
  ['{{ snakecase "FirstName" }}', "first_name"],
  ['{{ snakecase "HTTPServer" }}', "http_server"],
  ['{{ snakecase "GO_PATH" }}', "go_path"],
  ['{{ kebabcase "FirstName" }}', "first-name"],
  ['{{ sha1sum "abc" }}', "a9993e364706816aba3e25717850c26c9cd0d89d"],
  ['{{ sha256sum "abc" }}', "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  ['{{ adler32sum "abc" }}', "38600999"],
  ['{{ adler32sum "hello world" }}', "436929629"],
  [
    "{{ toString 12 }} {{ toString 1.5 }} {{ toString true }} {{ toString .n }}",
    "12 1.5 true <nil>",
    { n: null },
  ],
  ["{{ toString .Value | kindOf }}", "string", { Value: "string" }],
  ["{{ hello }}", "Hello!"],
];

const conversionsAndMath: Case[] = [
  ['{{ atoi "42" }} {{ atoi "x" }} {{ atoi "-7" }}', "42 0 -7"],
  ['{{ int64 "42" }} {{ int64 3.9 }} {{ int64 true }} {{ int64 "0x10" }}', "42 3 1 0"],
  ['{{ int "42" }} {{ int -3.9 }} {{ typeOf (int "1") }}', "42 -3 int"],
  [
    '{{ float64 "1.5" }} {{ float64 3 }} {{ typeOf (float64 3) }} {{ float64 "x" }}',
    "1.5 3 float64 0",
  ],
  ['{{ toDecimal "0777" }} {{ toDecimal 777 }} {{ toDecimal "9" }}', "511 511 0"],
  ["{{ until 5 }}", "[0 1 2 3 4]"],
  ["{{ until -3 }}", "[0 -1 -2]"],
  ["{{ untilStep 3 6 2 }}", "[3 5]"],
  ["{{ untilStep 0 -10 -4 }}", "[0 -4 -8]"],
  ["{{ untilStep 0 10 0 }}", "[]"],
  ["{{ range $i, $e := until 3 }}{{ $i }}{{ $e }}{{ end }}", "001122"],
  ["{{ add1 3 }}", "4"],
  ["{{ add 1 2 3 }} {{ add }} {{ add 1.9 1.9 }}", "6 0 2"],
  ['{{ add "3" 4 }}', "7"],
  ["{{ 3 | sub 14 }}", "11"],
  ["{{ 3 | div 13 }} {{ div -7 2 }}", "4 -3"],
  ["{{ 3 | mod 13 }} {{ mod -7 2 }}", "1 -1"],
  ["{{ mul 1 2 3 }} {{ 3 | mul 14 }}", "6 42"],
  ["{{ max 1 2 3 }} {{ biggest 1 9 3 }} {{ min 1 2 3 }} {{ max 5 }}", "3 9 1 5"],
  ["{{ floor 1.5 }} {{ floor 123.9999 }} {{ ceil 1.5 }} {{ ceil 123 }}", "1 123 2 123"],
  [
    "{{ round 3.746 2 }} {{ round 123.5555 3 }} {{ round 123.49 0 }} {{ round 3.7456 2 0.6 }}",
    "3.75 123.556 123 3.74",
  ],
  ["{{ typeOf (add 1 2) }} {{ kindOf (add 1 2) }} {{ typeOf (floor 1.5) }}", "int64 int64 float64"],
  [
    "{{ .foo | add .bar }},{{- .bar | sub .foo }},{{- .foo | mul .bar}}",
    "15,-5,50",
    { foo: 5, bar: 10 },
  ],
];

const defaults: Case[] = [
  ['{{ default "foo" .Nothing }}', "foo"],
  ['{{ default "foo" "bar" }}', "bar"],
  [
    '{{ default "foo" 0 }} {{ default "foo" false }} {{ default "foo" "" }} {{ default ' +
      '"foo" (list) }}',
    "foo foo foo foo",
  ],
  ['{{ "bar" | default "foo" }}', "bar"],
  ['{{ default "foo" 1 }} {{ default "foo" true }}', "1 true"],
  ['{{ default "foo" }}', "foo"],
  [
    '{{ empty "" }} {{ empty 0 }} {{ empty .x }} {{ empty (dict) }} {{ empty "a" }} {{ ' +
      "empty 1.5 }}",
    "true true true true false false",
  ],
  ['{{ coalesce 0 "" "x" "y" }}', "x"],
  ["{{ coalesce .a .b .c }}", "c", { c: "c" }],
  ["{{ coalesce .a .b }}", "<no value>"],
  [
    '{{ ternary "a" "b" true }} {{ ternary "a" "b" false }} {{ true | ternary "yes" "no" }}',
    "a b yes",
  ],
  ['{{ list 1 "" 0 "b" | compact }}', "[1 b]"],
  [
    '{{ $a := dict "x" (list 1 2) }}{{ $b := deepCopy $a }}{{ $_ := set $a "x" 3 }}{{ ' +
      "$b.x }} {{ $a.x }}",
    "[1 2] 3",
  ],
  [
    '{{ toJson (dict "a" "<b>&" "n" 1 "f" 1.5 "l" (list true nil)) }}',
    '{"a":"\\u003cb\\u003e\\u0026","f":1.5,"l":[true,null],"n":1}',
  ],
  [
    '{{ toJson "x" }} {{ toJson 3 }} {{ toJson .n }} {{ toJson (list) }} {{ toJson (dict) }}',
    '"x" 3 null [] {}',
    { n: null },
  ],
  ['{{ toJson "tab\\tnl\\nq\\"bs\\\\ \\u2028" }}', '"tab\\tnl\\nq\\"bs\\\\ \\u2028"'],
  [
    "{{ toJson 1e21 }} {{ toJson 0.0000001 }} {{ toJson 100000000000000000000.0 }}",
    "1e+21 1e-7 100000000000000000000",
  ],
  [
    '{{ toPrettyJson (dict "b" (list 1 2) "a" (dict)) }}',
    '{\n  "a": {},\n  "b": [\n    1,\n    2\n  ]\n}',
  ],
  [
    "{{ toJson .Values }}",
    '{"a":{"b":[1,"x"]},"z":"last"}',
    { Values: { z: "last", a: { b: [1, "x"] } } },
  ],
];

const lists: Case[] = [
  ["{{ list 1 2 3 | first }}", "1"],
  ["{{ list | first }}", "<no value>"],
  ["{{ list 1 2 3 | rest }}", "[2 3]"],
  ["{{ list 1 2 3 | last }}", "3"],
  ["{{ list 1 2 3 | initial }}", "[1 2]"],
  ["{{ list 1 2 3 | reverse }}", "[3 2 1]"],
  ["{{ append (list 1 2 3) 4 }}", "[1 2 3 4]"],
  ["{{ prepend (list 1 2 3) 0 }}", "[0 1 2 3]"],
  ["{{ list 1 1 2 2 3 1 | uniq }}", "[1 2 3]"],
  ["{{ without (list 1 2 3 4) 1 3 }}", "[2 4]"],
  [
    "{{ has 2 (list 1 2 3) }} {{ has 5 (list 1 2 3) }} {{ has 1 .n }}",
    "true false false",
    { n: null },
  ],
  ['{{ has "b" .l }}', "true", { l: ["a", "b"] }],
  [
    "{{ slice (list 1 2 3 4) 1 3 }} {{ slice (list 1 2 3 4) 2 }} {{ slice (list 1 2 3) }}",
    "[2 3] [3 4] [1 2 3]",
  ],
  ["{{ concat (list 1) (list 2 3) (list) }}", "[1 2 3]"],
  ['{{ tuple 1 "a" nil }}', "[1 a <nil>]"],
  ['{{ range list "a" "b" }}{{ . }}{{ end }}', "ab"],
  ["{{ len .l | add1 }}", "3", { l: [1, 2] }],
];

const dicts: Case[] = [
  ['{{ dict "a" 1 "b" 2 }}', "map[a:1 b:2]"],
  ['{{ dict "a" }}', "map[a:]"],
  ["{{ dict 1 2 }}", "map[1:2]"],
  ['{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $d }}', "map[a:1 b:2]"],
  ['{{ $d := dict "a" 1 "b" 2 }}{{ $_ := unset $d "a" }}{{ $d }}', "map[b:2]"],
  ['{{ hasKey (dict "a" 1) "a" }} {{ hasKey (dict "a" 1) "b" }}', "true false"],
  ['{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }}', "[1 3]"],
  ['{{ keys (dict "b" 1 "a" 2) | sortAlpha }}', "[a b]"],
  ['{{ keys (dict "b" 1) (dict "a" 2) | sortAlpha }}', "[a b]"],
  ['{{ pick (dict "a" 1 "b" 2 "c" 3) "a" "c" }}', "map[a:1 c:3]"],
  ['{{ omit (dict "a" 1 "b" 2 "c" 3) "a" "c" }}', "map[b:2]"],
  ['{{ values (dict "a" 1 "b" 2) | sortAlpha }}', "[1 2]"],
  [
    "{{ merge .dst .src1 .src2 }}",
    "map[a:1 b:map[c:2 d:4] e:5]",
    { dst: { a: 1, b: { c: 2 } }, src1: { a: 9, b: { c: 8, d: 4 } }, src2: { e: 5 } },
  ],
  [
    "{{ mergeOverwrite .dst .src }}",
    "map[a:9 b:map[c:8 d:4] l:[3]]",
    { dst: { a: 1, b: { c: 2 }, l: [1, 2] }, src: { a: 9, b: { c: 8, d: 4 }, l: [3] } },
  ],
  ['{{ (dict "k" "v").k }} {{ (dict "k" "v").missing }}', "v <no value>"],
  ['{{ hasKey .m "x" }}', "true", { m: { x: null } }],
];

const encodingAndPaths: Case[] = [
  ['{{b64enc "coffee"}}', "Y29mZmVl"],
  ['{{b64dec "Y29mZmVl"}}', "coffee"],
  ['{{ "this is a test" | b64enc }}', "dGhpcyBpcyBhIHRlc3Q="],
  ['{{ b64dec "bad" }}', "illegal base64 data at input byte 0"],
  ['{{ b64dec "YQ" }}', "illegal base64 data at input byte 0"],
  ['{{ b64dec "Y*==" }}', "illegal base64 data at input byte 1"],
  ['{{ b64dec "YQ==YQ==" }}', "illegal base64 data at input byte 4"],
  ['{{ b64dec "YQ==\\n" }}', "a"],
  ['{{b32enc "coffee"}} {{b32enc "a"}}', "MNXWMZTFMU====== ME======"],
  ['{{b32dec "MNXWMZTFMU======"}}', "coffee"],
  ['{{ base "/a/b.txt" }} {{ base "/a/b/" }} {{ base "" }} {{ base "/" }}', "b.txt b . /"],
  ['{{ dir "/a/b.txt" }} {{ dir "a" }} {{ dir "/a/b/" }} {{ dir "" }}', "/a . /a/b ."],
  [
    '{{ clean "/a/../b//c/." }} {{ clean "../../x" }} {{ clean "/.." }} {{ clean "" }}',
    "/b/c ../../x / .",
  ],
  ['{{ ext "a.tar.gz" }} {{ ext "a/b" }} {{ ext "a.b/c" }}', ".gz  "],
  ['{{ isAbs "/a" }} {{ isAbs "a" }}', "true false"],
  [
    '{{ $u := urlParse "https://user:pass@host.com:8080/path/x?q=1&r=2#frag" }}{{ ' +
      "$u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ " +
      "$u.fragment }}|{{ $u.userinfo }}",
    "https|host.com:8080|host.com|/path/x|q=1&r=2|frag|user:pass",
  ],
  ['{{ (urlParse "mailto:a@b.c").opaque }}', "a@b.c"],
  [
    '{{ urlJoin (dict "scheme" "https" "host" "example.com" "path" "/a b" "query" "x=1" ' +
      '"fragment" "f") }}',
    "https://example.com/a%20b?x=1#f",
  ],
  ['{{ urlJoin (dict "host" "h" "path" "p" "userinfo" "u:p") }}', "//u:p@h/p"],
];

const regexes: Case[] = [
  ['{{ regexMatch "^[a-z]+\\\\[[0-9]+\\\\]$" "test[123]" }}', "true"],
  ['{{ regexMatch "[" "x" }}', "false"],
  ['{{ regexFindAll "a(b)" "cabcab" -1 }}', "[ab ab]"],
  ['{{ regexFindAll "[0-9]+" "a1b22c333" 2 }}', "[1 22]"],
  ['{{ regexFindAll "a*" "baaab" -1 }}', "[ aaa ]"],
  ['{{ regexFind "a(b+)" "gooabbbbd" }}|{{ regexFind "x" "abc" }}|', "abbbb||"],
  ['{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}', "-W-xxW-"],
  ['{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}', "---"],
  ['{{ regexReplaceAll "a(?P<x>x*)b" "-ab-axxb-" "<$x>" }}', "-<>-<xx>-"],
  ['{{ regexReplaceAll "x*" "abc" "-" }}', "-a-b-c-"],
  ['{{ regexReplaceAll "(\\\\w+)@(\\\\w+)" "me@home" "$2 at $$1" }}', "home at $1"],
  ['{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}', "-${1}-${1}-"],
  ['{{ regexSplit "z+" "pizza" -1 }}', "[pi a]"],
  ['{{ regexSplit "z+" "pizza" 1 }}', "[pizza]"],
  ['{{ regexSplit "a*" "abaabaccadaaae" 5 }}', "[ b b c cadaaae]"],
  ['{{ regexSplit "" "abc" -1 }}', "[a b c]"],
  ['{{ regexMatch "(?i)^ABC$" "abc" }}', "true"],
  ['{{ regexMatch "^[[:digit:]]+$" "123" }}', "true"],
  ['{{ regexMatch "\\\\Aab\\\\z" "ab" }} {{ regexMatch "\\\\Aab\\\\z" "ab\\n" }}', "true false"],
  ['{{ regexMatch "^a.c$" "a\\rc" }}', "true"],
  ['{{ regexMatch "\\\\pL+" "héllo" }}', "true"],
  ['{{ regexFind "\\\\Q.*\\\\E" "a.*b" }}', ".*"],
  ['{{ regexReplaceAll "\\\\s+" "a \\t\\u00a0b" "_" }}', "a_\u00a0b"],
  ['{{ regexReplaceAll "[\\\\s,]+" "a, b" "_" }}', "a_b"],
];

const semverAndDates: Case[] = [
  ['{{ semverCompare "1.2.3" "1.2.3" }} {{ semverCompare "=1.2.3" "1.2.4" }}', "true false"],
  ['{{ semverCompare "^1.2.0" "1.2.3" }} {{ semverCompare "^1.2.0" "2.2.3" }}', "true false"],
  ['{{ semverCompare "~1.2.0" "1.2.9" }} {{ semverCompare "~1.2.0" "1.3.0" }}', "true false"],
  [
    '{{ semverCompare ">= 1.2.0, < 1.3" "1.2.9" }} {{ semverCompare ">=1.2.0 <1.3" "1.3.1" }}',
    "true false",
  ],
  [
    '{{ semverCompare "1.2.x" "1.2.7" }} {{ semverCompare "1.x" "2.0.0" }} {{ ' +
      'semverCompare "*" "9.9.9" }}',
    "true false true",
  ],
  [
    '{{ semverCompare "<1.0.0 || >=2.0.0" "2.1.0" }} {{ semverCompare "<1.0.0 || ' +
      '>=2.0.0" "1.5.0" }}',
    "true false",
  ],
  ['{{ semverCompare "1.0 - 2.0" "1.5.0" }} {{ semverCompare "1.0 - 2.0" "2.0.1" }}', "true false"],
  [
    '{{ semverCompare ">1.0.0" "1.1.0-beta" }} {{ semverCompare ">1.0.0-alpha" "1.1.0-beta" }}',
    "false true",
  ],
  ['{{ semverCompare "!=1.2.3" "1.2.4" }} {{ semverCompare "<= 1.2.x" "1.2.9" }}', "true true"],
  [
    '{{ semverCompare "~1" "1.9.0" }} {{ semverCompare "~0.0.0" "5.0.0" }} {{ ' +
      'semverCompare "^0.2" "0.9.0" }}',
    "true true true",
  ],
  [
    '{{ $v := semver "1.2.3-alpha.1+123" }}{{ $v.Major }}.{{ $v.Minor }}.{{ $v.Patch }} ' +
      "{{ $v.Prerelease }} {{ $v.Metadata }} {{ $v }}",
    "1.2.3 alpha.1 123 1.2.3-alpha.1+123",
  ],
  ['{{ semver "v2" }} {{ (semver "1.2.3").Original }}', "2.0.0 1.2.3"],
  ['{{ (semver "1.0.0").LessThan (semver "1.0.1") }}', "true"],
  ['{{ dateInZone "2006-01-02 15:04:05 MST" 1281609720 "UTC" }}', "2010-08-12 10:42:00 UTC"],
  ['{{ date_in_zone "Mon Jan _2 3:04PM" 1281609720 "UTC" }}', "Thu Aug 12 10:42AM"],
  [
    '{{ dateInZone "2006-01-02T15:04:05Z07:00" 1281609720 "America/New_York" }}',
    "2010-08-12T06:42:00-04:00",
  ],
  ['{{ dateInZone "MST -0700 Z0700" 1281609720 "America/New_York" }}', "EDT -0400 -0400"],
  ['{{ dateInZone "MST Z07:00" 1281609720 "Not/AZone" }}', "UTC Z"],
  [
    '{{ dateInZone "Monday, January 2, 2006 03:04:05.000 pm (002) 06" 1281609720 "UTC" }}',
    "Thursday, August 12, 2010 10:42:00.000 am (224) 10",
  ],
  ['{{ htmlDateInZone 0 "UTC" }}', "1970-01-01"],
  ['{{ toDate "2006-01-02" "2017-12-31" | date "02/01/2006" }}', "31/12/2017"],
  ['{{ toDate "2006-01-02" "2017-01-01" | unixEpoch }}', "1483228800"],
  [
    '{{ toDate "2006-01-02T15:04:05.999Z07:00" "2017-01-01T10:00:00.5+02:00" | unixEpoch }}',
    "1483257600",
  ],
  ['{{ toDate "2006-01-02" "2017-01-01" }}', "2017-01-01 00:00:00 +0000 UTC"],
  ['{{ toDate "2006-01-02" "not a date" }}', "0001-01-01 00:00:00 +0000 UTC"],
  [
    '{{ toDate "2006-01-02 15:04:05.999999999" "2017-01-01 10:00:00.123" }}',
    "2017-01-01 10:00:00.123 +0000 UTC",
  ],
  [
    '{{ toDate "2006-01-02" "2017-01-01" | date_modify "-1h30m" | date "2006-01-02 15:04" }}',
    "2016-12-31 22:30",
  ],
  ['{{ toDate "2006-01-02" "2017-01-01" | dateModify "bogus" | date "2006-01-02" }}', "2017-01-01"],
  [
    '{{ (toDate "2006-01-02" "2017-03-04").Year }} {{ (toDate "2006-01-02" ' +
      '"2017-03-04").Month }} {{ (toDate "2006-01-02" "2017-03-04").Format "Jan 2" }}',
    "2017 March Mar 4",
  ],
  ["{{ ago (now) }}", "0s"],
  ['{{ ago (toDate "2006-01-02" "2000-01-01") | regexMatch "^[0-9]+h[0-9]+m[0-9]+s$" }}', "true"],
  ['{{ now | date "2006" | len }}', "4"],
];

const reflection: Case[] = [
  [
    '{{ typeOf 1 }} {{ typeOf "a" }} {{ typeOf 1.5 }} {{ typeOf true }} {{ typeOf .n }}',
    "int string float64 bool <nil>",
    { n: null },
  ],
  [
    '{{ typeOf (list) }} {{ typeOf (dict) }} {{ typeOf (splitList "," "a") }} {{ typeOf (now) }}',
    "[]interface {} map[string]interface {} []string time.Time",
  ],
  [
    '{{ typeOf (split "," "a") }} {{ typeOf (semver "1.0.0") }}',
    "map[string]string *semver.Version",
  ],
  [
    '{{ typeIs "int" 1 }} {{ typeIs "string" 1 }} {{ typeIsLike "semver.Version" (semver ' +
      '"1.0.0") }}',
    "true false true",
  ],
  [
    '{{ kindOf (list) }} {{ kindOf (dict) }} {{ kindOf 1 }} {{ kindOf "" }} {{ kindOf .n }}',
    "slice map int string invalid",
    { n: null },
  ],
  ['{{ kindIs "int" 1 }} {{ kindIs "slice" (list) }} {{ kindIs "map" 1 }}', "true true false"],
  [
    '{{ deepEqual (list 1 2) (list 1 2) }} {{ deepEqual (dict "a" 1) (dict "a" 2) }} {{ ' +
      "deepEqual 1 1.0 }}",
    "true false false",
  ],
];

describe.each([
  ["strings", strings],
  ["conversions and math", conversionsAndMath],
  ["defaults, ternary, JSON", defaults],
  ["lists", lists],
  ["dicts", dicts],
  ["encoding, paths, URLs", encodingAndPaths],
  ["regex (Go RE2 semantics)", regexes],
  ["semver and dates", semverAndDates],
  ["reflection", reflection],
])("Sprig %s", (_group, cases) => {
  const savedTz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = "UTC";
  });
  afterAll(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  // Rows have an optional data column; a rest parameter keeps jest from taking the third
  // parameter for a done callback.
  test.each(cases as Case[])("%s", (...row: Case) => {
    const [template, expected, data] = row;
    expect(render(template, data ?? {})).toBe(expected);
  });
});

describe("Sprig non-deterministic and environment functions", () => {
  test("random strings have the requested length and alphabet", () => {
    expect(render("{{randAlphaNum 5}}")).toMatch(/^[A-Za-z0-9]{5}$/);
    expect(render("{{randAlpha 7}}")).toMatch(/^[A-Za-z]{7}$/);
    expect(render("{{randNumeric 4}}")).toMatch(/^[0-9]{4}$/);
    expect(render("{{randAscii 6}}")).toMatch(/^[ -~]{6}$/);
    expect(render('{{ shuffle "aabbc" | splitList "" | sortAlpha | join "" }}')).toBe("aabbc");
  });

  test("uuidv4 is a version 4 UUID", () => {
    expect(render("{{uuidv4}}")).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  test("env and expandenv read the process environment", () => {
    process.env.TEMPLATE_TEST_VAR = "hello";
    try {
      expect(render('{{ env "TEMPLATE_TEST_VAR" }}|{{ env "TEMPLATE_TEST_UNSET" }}|')).toBe(
        "hello||",
      );
      expect(render('{{ expandenv "a $TEMPLATE_TEST_VAR ${TEMPLATE_TEST_VAR}! $ ${} $$x" }}')).toBe(
        "a hello hello! $  x",
      );
    } finally {
      delete process.env.TEMPLATE_TEST_VAR;
    }
  });

  test("now prints as Go's time.Time with a monotonic reading", () => {
    expect(render("{{ now }}")).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} \S+ m=\+\d+\.\d{9}$/,
    );
  });

  test("getHostByName resolves localhost", () => {
    expect(render('{{ getHostByName "localhost" }}')).toMatch(/^(127\.0\.0\.1|::1)$/);
  });

  test("derivePassword follows the Master Password algorithm", () => {
    expect(render('{{ derivePassword 1 "long" "password" "user" "example.com" }}')).toBe(
      "ZedaFaxcZaso9*",
    );
    expect(render('{{ derivePassword 1 "nope" "password" "user" "example.com" }}')).toBe(
      "cannot find password template nope",
    );
  });

  test("encryptAES and decryptAES round-trip", () => {
    expect(render('{{ encryptAES "secretkey" "plaintext" | decryptAES "secretkey" }}')).toBe(
      "plaintext",
    );
    expect(render('{{ encryptAES "secretkey" "plaintext" | b64dec | len }}')).not.toBe("");
    expect(render('{{ encryptAES "k" "" }}|{{ decryptAES "k" "" }}|')).toBe("||");
  });

  test("genPrivateKey makes ECDSA keys and names unknown types", () => {
    expect(render('{{ genPrivateKey "ecdsa" }}')).toMatch(
      /^-----BEGIN EC PRIVATE KEY-----\n[\s\S]+-----END EC PRIVATE KEY-----\n$/,
    );
    expect(render('{{ genPrivateKey "foo" }}')).toBe("Unknown type foo");
  });
});

type ErrorCase = [template: string, message: string];

const errors: ErrorCase[] = [
  [
    '{{ fail "boom" }}',
    'template: t:1:3: executing "t" at <fail "boom">: error calling fail: boom',
  ],
  [
    "{{ first 1 }}",
    'template: t:1:3: executing "t" at <first 1>: error calling first: Cannot find first ' +
      "on type int",
  ],
  [
    '{{ append "x" 1 }}',
    'template: t:1:3: executing "t" at <append "x" 1>: error calling append: Cannot push ' +
      "on type string",
  ],
  [
    "{{ first .n }}",
    'template: t:1:3: executing "t" at <first .n>: error calling first: runtime error: ' +
      "invalid memory address or nil pointer dereference",
  ],
  [
    "{{ div 1 0 }}",
    'template: t:1:3: executing "t" at <div 1 0>: error calling div: runtime error: ' +
      "integer divide by zero",
  ],
  [
    '{{ regexFind "(" "x" }}',
    'template: t:1:3: executing "t" at <regexFind "(" "x">: error calling regexFind: ' +
      "regexp: Compile(`(`): error parsing regexp: missing closing ): `(`",
  ],
  [
    '{{ regexFindAll "a\\\\1" "x" -1 }}',
    'template: t:1:3: executing "t" at <regexFindAll "a\\\\1" ...>: error calling ' +
      "regexFindAll: regexp: Compile(`a\\1`): error parsing regexp: invalid escape " +
      "sequence: `\\1`",
  ],
  [
    '{{ regexFind "(?=a)" "x" }}',
    'template: t:1:3: executing "t" at <regexFind "(?=a)" "x...>: error calling ' +
      "regexFind: regexp: Compile(`(?=a)`): error parsing regexp: invalid or unsupported " +
      "Perl syntax: `(?=`",
  ],
  [
    '{{ semverCompare "^1" "x.y" }}',
    'template: t:1:3: executing "t" at <semverCompare "^1" "...>: error calling ' +
      "semverCompare: Invalid Semantic Version",
  ],
  [
    '{{ semver "bad" }}',
    'template: t:1:3: executing "t" at <semver "bad">: error calling semver: Invalid ' +
      "Semantic Version",
  ],
  [
    '{{ genCA "ca" 365 }}',
    'template: t:1:3: executing "t" at <genCA "ca" 365>: error calling genCA: genCA is ' +
      "not supported by this runner (X.509 certificate generation)",
  ],
  [
    '{{ substr 5 9 "abc" }}',
    'template: t:1:3: executing "t" at <substr 5 9 "abc">: error calling substr: runtime ' +
      "error: slice bounds out of range [5:3]",
  ],
  [
    '{{ date "2006" }}',
    'template: t:1:3: executing "t" at <date>: wrong number of args for date: want 2 got 1',
  ],
  [
    '{{ hasKey .l "a" }}',
    'template: t:1:10: executing "t" at <.l>: wrong type for value; expected ' +
      "map[string]interface {}; got []interface {}",
  ],
  [
    '{{ urlJoin (dict "host" 1) }}',
    'template: t:1:3: executing "t" at <urlJoin (dict "host"...>: error calling urlJoin: ' +
      "interface conversion: interface {} is int, not string",
  ],
  [
    '{{ unixEpoch "2017" }}',
    'template: t:1:13: executing "t" at <"2017">: can\'t handle "2017" for arg of type time.Time',
  ],
];

describe("Sprig errors carry Go's messages", () => {
  test.each(errors)("%s", (template, message) => {
    let caught: unknown;
    try {
      render(template, { n: null, l: [1] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TemplateExecError);
    expect((caught as Error).message).toBe(message);
  });
});
