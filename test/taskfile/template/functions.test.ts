/** The function map is exactly Go's builtins plus Sprig v2.22's TxtFuncMap (runner spec §3.4). */
import { defaultFunctions } from "../../../src/taskfile/template/functions.js";
import { TemplateParseError, renderTemplate } from "../../../src/taskfile/template/index.js";

// The names acb's vendored Sprig v2.22 defines (runner spec §3.4).
const sprigNames =
  `hello date date_in_zone date_modify now htmlDate htmlDateInZone dateInZone dateModify ago toDate unixEpoch abbrev abbrevboth trunc trim upper lower title untitle substr repeat trimall trimAll trimSuffix trimPrefix nospace initials randAlphaNum randAlpha randAscii randNumeric swapcase shuffle snakecase camelcase kebabcase wrap wrapWith contains hasPrefix hasSuffix quote squote cat indent nindent replace plural sha1sum sha256sum adler32sum toString atoi int64 int float64 toDecimal split splitList splitn toStrings until untilStep add1 add sub div mod mul biggest max min ceil floor round join sortAlpha default empty coalesce compact deepCopy toJson toPrettyJson ternary typeOf typeIs typeIsLike kindOf kindIs deepEqual env expandenv getHostByName base dir clean ext isAbs b64enc b64dec b32enc b32dec tuple list dict set unset hasKey pluck keys pick omit merge mergeOverwrite values append prepend first rest last initial reverse uniq without has slice concat genPrivateKey derivePassword buildCustomCert genCA genSelfSignedCert genSignedCert encryptAES decryptAES uuidv4 semver semverCompare fail regexMatch regexFindAll regexFind regexReplaceAll regexReplaceAllLiteral regexSplit urlParse urlJoin`.split(
    " ",
  );

const goBuiltins =
  "and or not len index print printf println eq ne lt le gt ge html js urlquery call slice".split(
    " ",
  );

describe("function map", () => {
  test("holds every Sprig v2.22 function and Go builtin, and nothing else", () => {
    const expected = [...new Set([...sprigNames, ...goBuiltins])].sort();
    expect([...defaultFunctions.keys()].sort()).toEqual(expected);
  });

  test.each([
    "push",
    "fromJson",
    "toYaml",
    "required",
    "tpl",
    "include",
    "mustFirst",
    "seq",
    "dig",
    "get",
  ])("%s is not defined (a Helm or Sprig v3 extra)", (name) => {
    expect(() => renderTemplate("t", `{{ ${name} }}`, {})).toThrow(
      new TemplateParseError(`template: t:1: function "${name}" not defined`),
    );
  });

  test("Sprig's slice replaces Go's builtin slice", () => {
    expect(renderTemplate("t", "{{ slice (list 1 2 3) 1 }}", {})).toBe("[2 3]");
    expect(() => renderTemplate("t", '{{ slice "abc" 1 }}', {})).toThrow(
      "error calling slice: list should be type of slice or array but string",
    );
  });
});
