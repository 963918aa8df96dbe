import { CliError } from "../../src/cli/errors.js";
import { parseLogSasUrl, redactSasUrl } from "../../src/logs/sas-url.js";

describe("log SAS URLs", () => {
  test("split as az splits them: first path segment is the container", () => {
    const url =
      "https://acct.blob.core.windows.net/logs/ca1/rawtext.log?sv=2018-11-09&sr=b&sig=abc";

    expect(parseLogSasUrl(url)).toEqual({
      account: "acct",
      endpointSuffix: "core.windows.net",
      container: "logs",
      blob: "ca1/rawtext.log",
      sas: "sv=2018-11-09&sr=b&sig=abc",
      url,
    });
  });

  test("the emulator's host form keeps its port in the suffix", () => {
    const location = parseLogSasUrl("http://devstoreaccount1.blob.localhost:10000/logs/a/b?sig=x");

    expect(location.endpointSuffix).toBe("localhost:10000");
    expect(location.container).toBe("logs");
  });

  test.each([
    "https://127.0.0.1:10000/devstoreaccount1/logs/ca1/rawtext.log?sig=secret",
    "https://acct.blob.core.windows.net/logs/ca1/rawtext.log?",
    "https://acct.blob.core.windows.net//ca1?sig=secret",
  ])("%s is refused without showing the signature", (url) => {
    expect(() => parseLogSasUrl(url)).toThrow(CliError);
    expect(() => parseLogSasUrl(url)).toThrow(/^Failed to parse the SAS URL: '.*'\.$/);
    expect(() => parseLogSasUrl(url)).not.toThrow(/secret/);
  });

  test("redaction hides sig in any position and case", () => {
    expect(redactSasUrl("https://a.blob.x/c/b?SIG=1&sv=2&sig=3")).toBe(
      "https://a.blob.x/c/b?SIG=REDACTED&sv=2&sig=REDACTED",
    );
  });
});
