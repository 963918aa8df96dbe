import {
  REDACTED,
  isSecretHeader,
  redactArgv,
  redactBody,
  redactHeaderValue,
  redactHeaders,
  redactText,
  redactUrl,
} from "../../src/azure/redact.js";

const JWT =
  "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tIn0.c2lnbmF0dXJl";

describe("redactUrl", () => {
  test("replaces the SAS signature and keeps the other SAS fields", () => {
    const url =
      "https://acct.blob.core.windows.net/logs/cf1/rawtext.log?sv=2019-02-02&sr=b&sig=abc%2Bdef%3D&se=2024-01-01T00%3A00%3A00Z&sp=r";
    expect(redactUrl(url)).toBe(
      "https://acct.blob.core.windows.net/logs/cf1/rawtext.log?sv=2019-02-02&sr=b&sig=REDACTED&se=2024-01-01T00%3A00%3A00Z&sp=r",
    );
  });

  test.each([
    [
      "client_secret",
      "https://h/token?client_secret=p%40ss&x=1",
      "https://h/token?client_secret=REDACTED&x=1",
    ],
    ["code", "https://h/cb?code=0.AAA&state=s", "https://h/cb?code=REDACTED&state=s"],
    ["access_token", "https://h/?access_token=abc", "https://h/?access_token=REDACTED"],
    ["refresh_token", "https://h/?a=1&refresh_token=abc", "https://h/?a=1&refresh_token=REDACTED"],
    ["password", "https://h/?password=hunter2", "https://h/?password=REDACTED"],
    ["upper-case name", "https://h/?SIG=abc", "https://h/?SIG=REDACTED"],
  ])("redacts %s", (_name, url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  test("leaves ordinary ARM URLs alone", () => {
    const url =
      "https://management.azure.com/subscriptions/s/resources?$filter=resourceType%20eq%20%27x%27&api-version=2021-04-01";
    expect(redactUrl(url)).toBe(url);
  });

  test("keeps an empty secret parameter as it is", () => {
    expect(redactUrl("https://h/?sig=&a=b")).toBe("https://h/?sig=&a=b");
  });

  test("redacts a token in the path", () => {
    expect(redactUrl(`https://h/exchange/${JWT}/x`)).toBe(`https://h/exchange/${REDACTED}/x`);
  });
});

describe("headers", () => {
  test.each([
    "Authorization",
    "authorization",
    "Proxy-Authorization",
    "Cookie",
    "Set-Cookie",
    "x-ms-authorization-auxiliary",
    "x-ms-copy-source-authorization",
    "x-ms-encryption-key",
    "x-ms-client-secret",
    "X-MS-Signature",
  ])("%s is a secret header", (name) => {
    expect(isSecretHeader(name)).toBe(true);
  });

  test.each(["Accept", "x-ms-client-request-id", "x-ms-request-id", "Content-Type", "User-Agent"])(
    "%s is not",
    (name) => {
      expect(isSecretHeader(name)).toBe(false);
    },
  );

  test("keeps the authorization scheme and hides the credential", () => {
    expect(redactHeaderValue("Authorization", `Bearer ${JWT}`)).toBe("Bearer REDACTED");
    expect(redactHeaderValue("Authorization", "Basic dXNlcjpwYXNz")).toBe("Basic REDACTED");
    expect(redactHeaderValue("authorization", "opaque")).toBe(REDACTED);
  });

  test("redacts signed URLs and tokens in ordinary headers", () => {
    expect(redactHeaderValue("x-ms-copy-source", "https://a.blob/c/b?sv=1&sig=xyz")).toBe(
      "https://a.blob/c/b?sv=1&sig=REDACTED",
    );
    expect(redactHeaderValue("Location", `https://h/op?token=${JWT}`)).toBe(
      "https://h/op?token=REDACTED",
    );
    expect(redactHeaderValue("WWW-Authenticate", `Bearer realm="x", error_token="${JWT}"`)).toBe(
      `Bearer realm="x", error_token="${REDACTED}"`,
    );
  });

  test("redactHeaders keeps names and order", () => {
    expect(
      redactHeaders([
        ["Accept", "application/json"],
        ["Authorization", "Bearer abc"],
      ]),
    ).toEqual([
      ["Accept", "application/json"],
      ["Authorization", "Bearer REDACTED"],
    ]);
  });
});

describe("redactBody", () => {
  test("form body of a client-credentials request", () => {
    const body =
      "client_id=11111111-2222&scope=https%3A%2F%2Fmanagement.azure.com%2F%2F.default&grant_type=client_credentials&client_secret=s3cret~value&client_info=1";
    expect(redactBody(body, "application/x-www-form-urlencoded;charset=utf-8")).toBe(
      "client_id=11111111-2222&scope=https%3A%2F%2Fmanagement.azure.com%2F%2F.default&grant_type=client_credentials&client_secret=REDACTED&client_info=1",
    );
  });

  test.each([
    ["client_assertion", "client_assertion_type=urn%3Ajwt&client_assertion=" + JWT],
    ["password", "grant_type=password&username=u%40x.com&password=p%26ss"],
    ["refresh_token", "grant_type=refresh_token&refresh_token=0.ARo.abc"],
    ["device_code", "grant_type=device_code&device_code=GAQABAAEAAA"],
  ])("form body: %s", (name, body) => {
    const redacted = redactBody(body, "application/x-www-form-urlencoded");
    expect(redacted).toContain(`${name}=${REDACTED}`);
    expect(redacted).not.toContain(JWT);
    expect(redacted).not.toMatch(/p%26ss|0\.ARo|GAQAB/);
  });

  test("token response", () => {
    const body = JSON.stringify({
      token_type: "Bearer",
      expires_in: 3599,
      access_token: JWT,
      refresh_token: "0.ARo.secret",
      id_token: JWT,
      client_info: "eyJ1aWQiOiJ1In0",
    });
    expect(JSON.parse(redactBody(body, "application/json; charset=utf-8"))).toEqual({
      token_type: "Bearer",
      expires_in: 3599,
      access_token: REDACTED,
      refresh_token: REDACTED,
      id_token: REDACTED,
      client_info: "eyJ1aWQiOiJ1In0",
    });
  });

  test("camelCase secrets and everything nested under a secret key", () => {
    const body = JSON.stringify({
      accessToken: "a",
      refreshToken: "b",
      clientSecret: "c",
      properties: {
        credentials: {
          customRegistries: {
            "r.azurecr.io": {
              userName: { type: "Opaque", value: "user" },
              password: { type: "Opaque", value: "pw" },
            },
          },
        },
        passwords: [{ name: "password", value: "p1" }],
      },
    });
    const redacted = JSON.parse(redactBody(body));
    expect(redacted.accessToken).toBe(REDACTED);
    expect(redacted.refreshToken).toBe(REDACTED);
    expect(redacted.clientSecret).toBe(REDACTED);
    const registry = redacted.properties.credentials.customRegistries["r.azurecr.io"];
    expect(registry.userName).toEqual({ type: "Opaque", value: "user" });
    expect(registry.password).toEqual({ type: REDACTED, value: REDACTED });
    expect(redacted.properties.passwords).toEqual([{ name: REDACTED, value: REDACTED }]);
  });

  test("task arguments marked secret", () => {
    const body = JSON.stringify({
      arguments: [
        { name: "PUBLIC", value: "shown", isSecret: false },
        { name: "TOKEN_ARG", value: "hidden", isSecret: true },
      ],
    });
    expect(JSON.parse(redactBody(body)).arguments).toEqual([
      { name: "PUBLIC", value: "shown", isSecret: false },
      { name: "TOKEN_ARG", value: REDACTED, isSecret: true },
    ]);
  });

  test("SAS URLs inside JSON", () => {
    const body = JSON.stringify({
      logLink: "https://acct.blob.core.windows.net/logs/cf1/rawtext.log?sv=1&sig=secret%3D",
      uploadUrl: "https://acct.blob.core.windows.net/src/x.tar.gz?se=1&sig=abc",
    });
    const redacted = JSON.parse(redactBody(body, "application/json"));
    expect(redacted.logLink).toBe(
      "https://acct.blob.core.windows.net/logs/cf1/rawtext.log?sv=1&sig=REDACTED",
    );
    expect(redacted.uploadUrl).toBe(
      "https://acct.blob.core.windows.net/src/x.tar.gz?se=1&sig=REDACTED",
    );
  });

  test("ARM error codes are not secrets", () => {
    const body = JSON.stringify({ error: { code: "ResourceNotFound", message: "gone" } });
    expect(redactBody(body, "application/json")).toBe(body);
  });

  test("JSON that does not parse falls back to the text rules", () => {
    const body = `{"access_token": "${JWT}", "broken": `;
    const redacted = redactBody(body, "application/json");
    expect(redacted).not.toContain(JWT);
    expect(redacted).toContain(`"access_token": "${REDACTED}"`);
  });

  test("plain text", () => {
    expect(redactBody(`token is ${JWT}`, "text/plain")).toBe(`token is ${REDACTED}`);
  });
});

describe("redactText", () => {
  test("pairs, JSON pairs and JWTs in free text", () => {
    const text = `failed: client_secret=abc&x=1 {"password":"pw"} Bearer ${JWT}`;
    expect(redactText(text)).toBe(
      `failed: client_secret=${REDACTED}&x=1 {"password":"${REDACTED}"} Bearer ${REDACTED}`,
    );
  });

  test("text without secrets is unchanged", () => {
    const text = "Subscription 'MySub' not found. Check the spelling and casing and try again.";
    expect(redactText(text)).toBe(text);
  });
});

describe("redactArgv", () => {
  test("values of secret options, in every spelling argparse accepts", () => {
    expect(
      redactArgv(["login", "--service-principal", "-u", "app", "-p", "s3cret", "--tenant", "t"]),
    ).toEqual(["login", "--service-principal", "-u", "app", "-p", REDACTED, "--tenant", "t"]);
    expect(redactArgv(["login", "--password=s3cret"])).toEqual(["login", `--password=${REDACTED}`]);
    expect(redactArgv(["login", "-ps3cret"])).toEqual(["login", `-p${REDACTED}`]);
    expect(redactArgv(["login", "--federated-token", JWT])).toEqual([
      "login",
      "--federated-token",
      REDACTED,
    ]);
    expect(redactArgv(["acr", "task", "create", "--git-access-token", "ghp_x"])).toEqual([
      "acr",
      "task",
      "create",
      "--git-access-token",
      REDACTED,
    ]);
  });

  test("other arguments stay, tokens inside them do not", () => {
    expect(redactArgv(["account", "show", "-s", "MySub"])).toEqual([
      "account",
      "show",
      "-s",
      "MySub",
    ]);
    expect(redactArgv(["x", `--arg=TOKEN=${JWT}`])).toEqual(["x", `--arg=TOKEN=${REDACTED}`]);
  });
});
