import {
  createHttpHeaders,
  createPipelineRequest,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";

import { createHttpDebugPolicy } from "../../src/azure/http-debug.js";

const TOKEN = "eyJ0eXAiOiJKV1QifQ.eyJ0aWQiOiJ0In0.c2ln";

function exchange(options: {
  url: string;
  method?: "GET" | "POST";
  requestHeaders?: Record<string, string>;
  body?: string;
  status?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
}): { lines: string[]; run: () => Promise<PipelineResponse> } {
  const lines: string[] = [];
  let clock = 1000;
  const policy = createHttpDebugPolicy({
    debug: (message) => lines.push(message),
    now: () => (clock += 37),
  });
  const request = createPipelineRequest({
    url: options.url,
    method: options.method ?? "GET",
    headers: createHttpHeaders(options.requestHeaders),
    body: options.body,
  });
  const run = () =>
    policy.sendRequest(request, async () => ({
      request,
      status: options.status ?? 200,
      headers: createHttpHeaders(options.responseHeaders),
      bodyAsText: options.responseBody,
    }));
  return { lines, run };
}

test("a token request is traced with its secrets redacted", async () => {
  const { lines, run } = exchange({
    url: "https://login.test/adfs/oauth2/token",
    method: "POST",
    requestHeaders: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "client_id=app&grant_type=client_credentials&client_secret=s3cret",
    responseHeaders: { "content-type": "application/json", "x-ms-request-id": "req-7" },
    responseBody: JSON.stringify({ token_type: "Bearer", access_token: TOKEN, expires_in: 3599 }),
  });
  const response = await run();

  expect(response.bodyAsText).toContain(TOKEN);
  expect(lines).toEqual([
    "Request URL: 'https://login.test/adfs/oauth2/token'",
    "Request method: 'POST'",
    "Request headers:",
    "    'Content-Type': 'application/x-www-form-urlencoded'",
    "Request body:",
    "client_id=app&grant_type=client_credentials&client_secret=REDACTED",
    "Response status: 200 (POST https://login.test/adfs/oauth2/token, 37 ms, request id req-7)",
    "Response headers:",
    "    'content-type': 'application/json'",
    "    'x-ms-request-id': 'req-7'",
    "Response content:",
    '{"token_type":"Bearer","access_token":"REDACTED","expires_in":3599}',
  ]);
});

test("an ARM call: bearer token, SAS link in the body", async () => {
  const { lines, run } = exchange({
    url: "https://management.test/subscriptions/s/runs/cf1/listLogSasUrl?api-version=2019-06-01-preview",
    method: "POST",
    requestHeaders: { Authorization: `Bearer ${TOKEN}`, "x-ms-client-request-id": "c-1" },
    responseHeaders: { "content-type": "application/json" },
    responseBody: JSON.stringify({ logLink: "https://a.blob.test/logs/cf1?sv=1&sig=abc%3D" }),
  });
  await run();
  const text = lines.join("\n");

  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain("abc%3D");
  expect(text).toContain("    'Authorization': 'Bearer REDACTED'");
  expect(text).toContain('{"logLink":"https://a.blob.test/logs/cf1?sv=1&sig=REDACTED"}');
  expect(text).toContain("request id c-1)");
});

test("a blob read with a SAS URL keeps the URL's other fields", async () => {
  const { lines, run } = exchange({
    url: "https://a.blob.test/logs/cf1/rawtext.log?sv=2019-02-02&sr=b&sig=secret&se=x",
    status: 206,
    responseHeaders: { "x-ms-meta-complete": "successful" },
    responseBody: "Step 1/2 : FROM alpine\r\n",
  });
  await run();
  expect(lines[0]).toBe(
    "Request URL: 'https://a.blob.test/logs/cf1/rawtext.log?sv=2019-02-02&sr=b&sig=REDACTED&se=x'",
  );
  expect(lines).toContain("Step 1/2 : FROM alpine\r\n");
});

test("a failed request is reported and rethrown", async () => {
  const lines: string[] = [];
  const policy = createHttpDebugPolicy({ debug: (message) => lines.push(message), now: () => 5 });
  const request = createPipelineRequest({ url: "https://h/?sig=x" });
  await expect(
    policy.sendRequest(request, async () => {
      throw new Error(`connect ECONNREFUSED, token ${TOKEN}`);
    }),
  ).rejects.toThrow("ECONNREFUSED");
  expect(lines.at(-1)).toBe("Request failed after 0 ms: connect ECONNREFUSED, token REDACTED");
  expect(lines[0]).toBe("Request URL: 'https://h/?sig=REDACTED'");
});
