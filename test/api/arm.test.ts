import nock from "nock";

import {
  API_VERSIONS,
  createArmClient,
  nextPageUrl,
  pythonJson,
  pythonQuote,
  resourcePath,
  type ArmRequest,
  type HttpMethod,
} from "../../src/azure/arm.js";
import { describeSdkError } from "../../src/azure/arm-errors.js";
import { fakeCredential, replay, SUBSCRIPTION_ID, type CapturedRequest } from "./replay.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** The request az sent, as an ArmRequest: its path, its query pairs decoded, its body parsed. */
function asArmRequest(captured: CapturedRequest): ArmRequest {
  const url = new URL(captured.url);
  const query = url.search
    .slice(1)
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const [key, value] = pair.split("=");
      return [key, decodeURIComponent(value)] as const;
    });
  return {
    method: captured.method as HttpMethod,
    path: url.pathname,
    query,
    body: captured.body === null ? undefined : JSON.parse(captured.body),
  };
}

describe("Python's quoting and JSON, as azure-core uses them", () => {
  test.each([
    [
      "resourceType eq 'Microsoft.ContainerRegistry/registries'",
      "resourceType%20eq%20%27Microsoft.ContainerRegistry%2Fregistries%27",
    ],
    ["TaskName eq 'a(b)*!'", "TaskName%20eq%20%27a%28b%29%2A%21%27"],
    ["a_b.c-d~e", "a_b.c-d~e"],
    ["é@:,", "%C3%A9%40%3A%2C"],
  ])("quote(%j)", (value, expected) => {
    expect(pythonQuote(value)).toBe(expected);
  });

  test("quote keeps the characters it is told are safe", () => {
    expect(pythonQuote("a/b c", "/")).toBe("a/b%20c");
  });

  test("path values are encoded, literal parts are not", () => {
    expect(resourcePath`/subscriptions/${"s"}/resourceGroups/${"My RG"}/x`).toBe(
      "/subscriptions/s/resourceGroups/My%20RG/x",
    );
  });

  test.each(["24-task-update-lro-output", "25-task-create-body"])(
    "the body az sent in capture %s comes out byte for byte",
    (name) => {
      const { requests } = replay(name).capture;
      const withBody = requests.filter((request) => request.body !== null);

      expect(withBody).toHaveLength(1);
      expect(pythonJson(JSON.parse(withBody[0].body as string))).toBe(withBody[0].body);
    },
  );

  test("non-ASCII and DEL are escaped, nulls kept, undefined members left out", () => {
    expect(
      pythonJson({ a: "é\u007f\u001b😀", b: null, c: undefined, d: [], e: {}, f: [1, true] }),
    ).toBe(
      '{"a": "\\u00e9\\u007f\\u001b\\ud83d\\ude00", "b": null, "d": [], "e": {}, "f": [1, true]}',
    );
  });
});

describe("next pages", () => {
  test("the container-registry pager puts api-version in front of the link's raw query", () => {
    expect(nextPageUrl("https://h/p?page=2&%24skiptoken=q%27x", "V", "tasks")).toBe(
      "https://h/p?api-version=V&page=2&%24skiptoken=q%27x",
    );
    expect(nextPageUrl("https://h/p?a=1&api-version=old", "V", "tasks")).toBe(
      "https://h/p?api-version=old&a=1",
    );
    expect(nextPageUrl("https://h/p", "V", "tasks")).toBe("https://h/p?api-version=V");
  });

  test("the resources pager re-encodes the query and sets its own api-version", () => {
    expect(
      nextPageUrl(
        "https://h/r?%24filter=a+eq+%27x%27&%24skiptoken=a%2Fb%3D&empty=&Api-Version=1",
        "V",
        "resources",
      ),
    ).toBe("https://h/r?$filter=a%20eq%20%27x%27&$skiptoken=a/b%3D&api-version=V");
    expect(nextPageUrl("https://h/r?x=1", "V", "resources")).toBe("https://h/r?x=1&api-version=V");
  });

  test("listAll follows both kinds of link as az did (capture registry-paged)", async () => {
    const session = replay("registry-paged");
    const arm = await createArmClient(session.connection);

    const registries = await arm.listAll(asArmRequest(session.capture.requests[0]), "resources");
    await arm.send(asArmRequest(session.capture.requests[2]), [200]);
    const tasks = await arm.listAll(asArmRequest(session.capture.requests[3]), "tasks");

    expect(registries.map((item) => (item as { name: string }).name)).toEqual(["myreg"]);
    expect(tasks.map((item) => (item as { name: string }).name)).toEqual(["mytask", "other"]);
    session.verify();
  });
});

describe("long-running operations, polled as azure-mgmt-core's ARMPolling does", () => {
  /** Sends az's operation request (exchange `index`) and replays the rest of the capture. */
  async function operate(name: string, index: number, notFoundMeansDeleted = false) {
    const session = replay(name, { from: index });
    const arm = await createArmClient(session.connection);
    const request = asArmRequest(session.capture.requests[0]);
    const accepted = request.method === "DELETE" ? [200, 202, 204] : [200, 201];
    const outcome = await arm.longRunning(request, { accepted, notFoundMeansDeleted }).then(
      (response) => ({ response, error: undefined }),
      (error: unknown) => ({ response: undefined, error }),
    );
    return { session, ...outcome };
  }

  test(
    "Azure-AsyncOperation: poll the status URL, wait " + "Retry-After, then GET the task",
    async () => {
      const { session, response, error } = await operate("lro-update-async", 3);

      expect(error).toBeUndefined();
      expect(
        (response?.json as { properties: { provisioningState: string } }).properties
          .provisioningState,
      ).toBe("Succeeded");
      expect(session.sleeps).toEqual([7000]);
      session.verify();
    },
  );

  test("no header on a PATCH: poll the resource itself, 30 s apart", async () => {
    const { session, response } = await operate("lro-update-body", 3);

    expect(
      (response?.json as { properties: { provisioningState: string } }).properties
        .provisioningState,
    ).toBe("Succeeded");
    expect(session.sleeps).toEqual([30000]);
    session.verify();
  });

  test("a failed operation is reported from the status body", async () => {
    const { session, error } = await operate("lro-update-failed", 3);

    const report = describeSdkError(error);
    expect(`ERROR: ${report?.message}\n`).toBe(session.capture.stderr);
    expect(report?.exitCode).toBe(session.capture.exitCode);
    session.verify();
  });

  test("Location polling of a delete ends with a 404, which az takes as deleted", async () => {
    const { session, response, error } = await operate("lro-delete-location", 2, true);

    expect(error).toBeUndefined();
    expect(response).toBeUndefined();
    expect(session.sleeps).toEqual([30000]);
    session.verify();
  });

  test("the same 404 is an error for operations that are not deletes", async () => {
    const { error } = await operate("lro-delete-location", 2, false);

    expect(describeSdkError(error)?.exitCode).toBe(3);
  });

  test("an initial status the operation does not accept is an ARM error", async () => {
    const scope = nock("https://management.azure.com")
      .put("/x?api-version=1")
      .reply(202, { error: { code: "C", message: "m" } });
    const arm = await createArmClient({
      credential: fakeCredential,
      subscriptionId: SUBSCRIPTION_ID,
      endpoint: "https://management.azure.com/",
    });

    const error = await arm
      .longRunning(
        { method: "PUT", path: "/x", query: [["api-version", "1"]], body: {} },
        { accepted: [200, 201] },
      )
      .catch((caught: unknown) => caught);

    expect(describeSdkError(error)?.message).toBe("(C) m\nCode: C\nMessage: m");
    expect(scope.isDone()).toBe(true);
  });

  test("a 202 without polling headers is final, its body the result", async () => {
    const scope = nock("https://management.azure.com")
      .post("/x/cancel?api-version=1")
      .reply(202, { a: 1 });
    const arm = await createArmClient({
      credential: fakeCredential,
      subscriptionId: SUBSCRIPTION_ID,
      endpoint: "https://management.azure.com",
    });

    const response = await arm.longRunning(
      { method: "POST", path: "/x/cancel", query: [["api-version", "1"]] },
      { accepted: [200, 202] },
    );

    expect(response?.json).toEqual({ a: 1 });
    expect(response?.polled).toBe(false);
    expect(scope.isDone()).toBe(true);
  });
});

describe("what every request carries", () => {
  test(
    "bearer token, one client request id per client, extra " + "headers, the SDK's user agent",
    async () => {
      const seen: Record<string, string | string[] | undefined>[] = [];
      const scope = nock("https://management.azure.com")
        .get(`/subscriptions/${SUBSCRIPTION_ID}/x?api-version=${API_VERSIONS.tasks}`)
        .twice()
        .reply(function () {
          seen.push(this.req.headers);
          return [200, {}];
        });
      const arm = await createArmClient({
        credential: fakeCredential,
        subscriptionId: SUBSCRIPTION_ID,
        endpoint: "https://management.azure.com",
        headers: { CommandName: "acr task list", ParameterSetName: "-r" },
      });
      const request: ArmRequest = {
        method: "GET",
        path: resourcePath`/subscriptions/${SUBSCRIPTION_ID}/x`,
        query: [["api-version", API_VERSIONS.tasks]],
      };

      await arm.send(request, [200]);
      await arm.send(request, [200]);

      expect(scope.isDone()).toBe(true);
      expect(seen[0]["authorization"]).toBe("Bearer fake-token");
      expect(seen[0]["commandname"]).toBe("acr task list");
      expect(seen[0]["parametersetname"]).toBe("-r");
      expect(seen[0]["user-agent"]).toMatch(/azsdk-js-arm-containerregistry\/11\.0\.0/);
      expect(seen[0]["x-ms-client-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(seen[1]["x-ms-client-request-id"]).toBe(seen[0]["x-ms-client-request-id"]);
    },
  );
});

describe("retries, counted as azure-core counts them", () => {
  test.each([
    [500, {}, 4],
    [503, {}, 4],
    [408, {}, 4],
    [429, {}, 4],
    [429, { "Retry-After": "0" }, 4],
    [501, {}, 1],
    [404, {}, 1],
  ])("status %d %j: %d attempts, like az 2.45", async (status, headers, attempts) => {
    let seen = 0;
    const scope = nock("https://management.azure.com")
      .get("/x?api-version=1")
      .times(attempts)
      .reply(() => {
        seen += 1;
        return [status, { error: { code: "X", message: "busy" } }, headers];
      });
    const arm = await createArmClient({
      credential: fakeCredential,
      subscriptionId: SUBSCRIPTION_ID,
      endpoint: "https://management.azure.com",
      clientOptions: { retryOptions: { retryDelayInMs: 1, maxRetryDelayInMs: 2 } },
    });

    const error = await arm
      .send({ method: "GET", path: "/x", query: [["api-version", "1"]] }, [200])
      .catch((caught: unknown) => caught);

    expect(describeSdkError(error)?.message).toBe("(X) busy\nCode: X\nMessage: busy");
    expect(seen).toBe(attempts);
    expect(scope.isDone()).toBe(true);
  });
});
