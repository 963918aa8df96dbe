// toAzJson: the dict az 2.45 builds from an ARM response (msrest deserialisation followed by
// knack's todict), rule by rule. The byte-level comparisons with az's own output are in
// test/output/az-captures.test.ts; these pin down each rule on its own.

import { AzJsonError, injectResourceGroup, toAzJson } from "../../src/azure/az-json.js";

type Dict = Record<string, unknown>;

const REGISTRY =
  "/subscriptions/0000/resourceGroups/MyRG/providers/Microsoft.ContainerRegistry/registries/myreg";

const asDict = (value: unknown) => value as Dict;

describe("key sets and order", () => {
  test("a task has every modelled key, null when absent, in the SDK's declaration order", () => {
    const task = asDict(toAzJson("Task", {}));

    expect(Object.keys(task)).toEqual([
      "id",
      "name",
      "type",
      "location",
      "tags",
      "systemData",
      "identity",
      "provisioningState",
      "creationDate",
      "status",
      "platform",
      "agentConfiguration",
      "agentPoolName",
      "timeout",
      "step",
      "trigger",
      "credentials",
      "logTemplate",
      "isSystemTask",
    ]);
    expect(Object.values(task).every((value) => value === null)).toBe(true);
  });

  test("a run and a task run have the key sets of their models", () => {
    expect(Object.keys(asDict(toAzJson("Run", {})))).toEqual([
      "id",
      "name",
      "type",
      "systemData",
      "runId",
      "status",
      "lastUpdatedTime",
      "runType",
      "agentPoolName",
      "createTime",
      "startTime",
      "finishTime",
      "outputImages",
      "task",
      "imageUpdateTrigger",
      "sourceTrigger",
      "timerTrigger",
      "platform",
      "agentConfiguration",
      "sourceRegistryAuth",
      "customRegistries",
      "runErrorMessage",
      "updateTriggerToken",
      "logArtifact",
      "provisioningState",
      "isArchiveEnabled",
    ]);
    expect(Object.keys(asDict(toAzJson("TaskRun", {})))).toEqual([
      "id",
      "name",
      "type",
      "systemData",
      "identity",
      "location",
      "provisioningState",
      "runRequest",
      "runResult",
      "forceUpdateTag",
    ]);
  });

  test(
    "an empty nested object becomes its model with every key " + "null; a null one stays null",
    () => {
      const task = asDict(toAzJson("Task", { properties: { credentials: {}, trigger: null } }));

      expect(task.credentials).toEqual({ sourceRegistry: null, customRegistries: null });
      expect(task.trigger).toBeNull();
    },
  );

  test("maps of models keep their keys and convert their values", () => {
    const identity = asDict(
      toAzJson("IdentityProperties", {
        type: "UserAssigned",
        userAssignedIdentities: { "/id/b": { clientId: "c" }, "/id/a": {} },
      }),
    );

    expect(identity.userAssignedIdentities).toEqual({
      "/id/b": { principalId: null, clientId: "c" },
      "/id/a": { principalId: null, clientId: null },
    });
    expect(Object.keys(asDict(identity.userAssignedIdentities))).toEqual(["/id/b", "/id/a"]);
  });

  test("the IP rule's value is az's ipAddressOrRange", () => {
    const registry = asDict(
      toAzJson("Registry", {
        properties: { networkRuleSet: { ipRules: [{ action: "Allow", value: "1.2.3.4" }] } },
      }),
    );

    expect(asDict(registry.networkRuleSet).ipRules).toEqual([
      { action: "Allow", ipAddressOrRange: "1.2.3.4" },
    ]);
  });
});

describe("unknown keys", () => {
  const wire = {
    id: "x",
    etag: "e",
    zeta: [1, { b: 2 }],
    properties: {
      status: "Enabled",
      newProp: "dropped",
      platform: { os: "linux", osVersion: "1" },
    },
  };

  test(
    "an object's unknown keys follow its modelled keys verbatim; " + "the envelope's are dropped",
    () => {
      const task = asDict(toAzJson("Task", wire));
      const keys = Object.keys(task);

      // az itself orders several unknown keys by hash, differently from run to run; the server's
      // order is the stable choice.
      expect(keys.slice(-2)).toEqual(["etag", "zeta"]);
      expect(task.zeta).toEqual([1, { b: 2 }]);
      expect(keys).not.toContain("newProp");
      expect(keys).not.toContain("properties");
      expect(task.platform).toEqual({
        os: "linux",
        architecture: null,
        variant: null,
        osVersion: "1",
      });
    },
  );

  test("the input is left as it was", () => {
    const copy = structuredClone(wire);
    toAzJson("Task", wire);
    expect(wire).toEqual(copy);
  });

  test("without a properties envelope the flattened attributes are read from the top level", () => {
    const task = asDict(toAzJson("Task", { name: "flat", status: "Enabled", timeout: "60" }));

    expect(task.status).toBe("Enabled");
    // The top-level key is also unknown to the model, so its raw value replaces the read one.
    expect(task.timeout).toBe("60");
    expect(Object.keys(task).indexOf("timeout")).toBe(13);
  });

  test("a null envelope makes every flattened attribute null", () => {
    const task = asDict(toAzJson("Task", { name: "n", properties: null }));
    expect(task.status).toBeNull();
    expect(task.name).toBe("n");
  });
});

describe("typed values", () => {
  test("strings, ints and booleans are coerced as msrest coerces them", () => {
    const task = asDict(
      toAzJson("Task", {
        location: 5,
        properties: {
          timeout: "3600",
          isSystemTask: "TRUE",
          agentPoolName: { a: [true, null] },
          agentConfiguration: { cpu: 2.9 },
        },
      }),
    );

    expect(task.location).toBe("5");
    expect(task.timeout).toBe(3600);
    expect(task.isSystemTask).toBe(true);
    expect(task.agentPoolName).toBe("{'a': [True, None]}");
    expect(task.agentConfiguration).toEqual({ cpu: 2 });
  });

  test("values msrest rejects fail the conversion", () => {
    expect(() => toAzJson("Task", { properties: { timeout: "soon" } })).toThrow(
      new AzJsonError(
        "Unable to deserialize response data. Data: soon, int, ValueError: invalid " +
          "literal for int() with base 10: 'soon'",
      ),
    );
    expect(() => toAzJson("Task", { properties: { isSystemTask: "maybe" } })).toThrow(
      "Unable to deserialize response data. Data: maybe, bool, TypeError: Invalid " +
        "boolean value: maybe",
    );
    expect(() => toAzJson("Run", { properties: { outputImages: "none" } })).toThrow(
      "Cannot deserialize as [ImageDescriptor] an object of type <class 'str'>",
    );
    expect(() => toAzJson("Task", { properties: { platform: "linux" } })).toThrow(
      "Unable to deserialize to object: type, AttributeError: 'str' object has no attribute 'get'",
    );
  });

  test.each([
    ["2023-01-02T03:04:05.1234567Z", "2023-01-02T03:04:05.123456+00:00"],
    ["2023-01-02T03:04:05.5+00:00", "2023-01-02T03:04:05.500000+00:00"],
    ["2023-01-02T03:04:05.000Z", "2023-01-02T03:04:05+00:00"],
    ["2023-01-02T03:04:05-07:00", "2023-01-02T03:04:05-07:00"],
    ["2023-01-02T03:04:05", "2023-01-02T03:04:05"],
    ["2023-01-02t03:04:05z", "2023-01-02T03:04:05+00:00"],
    ["2023-01-02T03:04:05+0530", "2023-01-02T03:04:05+05:30"],
    ["2023-01-02T03:04:05-00:00", "2023-01-02T03:04:05+00:00"],
    ["2023-01-02T03:04:05+02", "2023-01-02T03:04:05+02:00"],
    ["2023-01-02T03:04:05,1234565", "2023-01-02T03:04:05.123456"],
    ["2023-01-02T03:04:05,1234575", "2023-01-02T03:04:05.123458"],
    ["2024-02-29T23:59:59.999999Z junk", "2024-02-29T23:59:59.999999+00:00"],
    ["2023-01-02T03:04:05.9999999Z", "2023-01-02T03:04:05.999999+00:00"],
    ["2023-01-02T03:04:05,9999995Z", "2023-01-02T03:04:06+00:00"],
    ["2023-01-02T03:04:05.1234567.1234567Z", "2023-01-02T03:04:05.123456"],
  ])("the timestamp %s prints as %s", (wire, printed) => {
    const run = asDict(toAzJson("Run", { properties: { startTime: wire } }));
    expect(run.startTime).toBe(printed);
  });

  test.each([
    [
      "yesterday",
      "Cannot deserialize datetime object., ValueError: Invalid datetime string: YESTERDAY",
    ],
    [
      "2023-02-30T00:00:00Z",
      "Cannot deserialize datetime object., ValueError: day is out of range for month",
    ],
    [
      "2023-13-01T00:00:00Z",
      "Cannot deserialize datetime object., ValueError: month must be in 1..12",
    ],
    [
      "2023-01-01T24:00:00Z",
      "Cannot deserialize datetime object., ValueError: hour must be in 0..23",
    ],
    [
      "2023-01-01T23:00:60Z",
      "Cannot deserialize datetime object., ValueError: second must be in 0..59",
    ],
    [
      "0000-01-01T00:00:00",
      "Cannot deserialize datetime object., ValueError: year 0 is out of range",
    ],
    [
      "2023-01-02TT03:04:05",
      "Cannot deserialize datetime object., ValueError: Invalid datetime string: " +
        "2023-01-02TT03:04:05",
    ],
    [
      5,
      "Cannot deserialize datetime object., AttributeError: 'int' object has no attribute 'upper'",
    ],
  ])("the timestamp %p is rejected", (wire, message) => {
    expect(() => toAzJson("Run", { properties: { startTime: wire } })).toThrow(message);
  });
});

describe("polymorphic objects", () => {
  const step = {
    type: "Docker",
    imageNames: ["img"],
    contextPath: "ctx",
    arguments: [{ name: "a" }],
    extra: 1,
  };

  test("the type selects the subtype's attributes", () => {
    const task = asDict(toAzJson("Task", { properties: { step } }));

    expect(task.step).toEqual({
      type: "Docker",
      baseImageDependencies: null,
      contextPath: "ctx",
      contextAccessToken: null,
      imageNames: ["img"],
      isPushEnabled: null,
      noCache: null,
      dockerFilePath: null,
      target: null,
      arguments: [{ name: "a", value: null, isSecret: null }],
      extra: 1,
    });
  });

  test.each([["Mystery"], ["TaskStepProperties"], [""], [null]])(
    "an unmapped type %p gives the base step with a null type and the other keys verbatim",
    (type) => {
      const task = asDict(toAzJson("Task", { properties: { step: { ...step, type } } }));

      expect(task.step).toEqual({
        type: null,
        baseImageDependencies: null,
        contextPath: "ctx",
        contextAccessToken: null,
        imageNames: ["img"],
        arguments: [{ name: "a" }],
        extra: 1,
      });
    },
  );

  test("a task read through a poller has lost its step's type", () => {
    const task = asDict(toAzJson("TaskFromInitialResponse", { properties: { step } }));

    expect(asDict(task.step).type).toBeNull();
    expect(Object.keys(asDict(task.step))).not.toContain("target");
    expect(asDict(task.step).arguments).toEqual([{ name: "a" }]);
  });

  test("a task run's request is typed by its own discriminator", () => {
    const taskRun = asDict(
      toAzJson("TaskRun", {
        properties: {
          runRequest: { type: "FileTaskRunRequest", taskFilePath: "a.yaml" },
          runResult: { properties: { runId: "r1" } },
        },
      }),
    );

    expect(Object.keys(asDict(taskRun.runRequest))).toEqual([
      "type",
      "isArchiveEnabled",
      "agentPoolName",
      "logTemplate",
      "taskFilePath",
      "valuesFilePath",
      "values",
      "timeout",
      "platform",
      "agentConfiguration",
      "sourceLocation",
      "credentials",
    ]);
    expect(asDict(taskRun.runResult).runId).toBe("r1");
  });
});

describe("injectResourceGroup", () => {
  test("adds the group of an ARM id to every object, lists and nested objects included", () => {
    const value = [
      { id: `${REGISTRY}/runs/r1`, runResult: { id: `${REGISTRY}/runs/r2` } },
      { id: "/subscriptions/s/resourcegroups/lower/providers/p/t/name" },
    ];

    injectResourceGroup(value);

    expect(value[0]).toEqual({
      id: `${REGISTRY}/runs/r1`,
      runResult: { id: `${REGISTRY}/runs/r2`, resourceGroup: "MyRG" },
      resourceGroup: "MyRG",
    });
    expect(value[1]).toEqual({
      id: "/subscriptions/s/resourcegroups/lower/providers/p/t/name",
      resourceGroup: "lower",
    });
  });

  test.each([
    [{ id: "/subscriptions/s/resourceGroups/rg/providers/p" }],
    [{ id: "/subscriptions/s/groups/rg/providers/p/t/name" }],
    [{ id: "" }],
    [{ id: 5 }],
    [{ id: `${REGISTRY}`, RESOURCEGROUP: "kept" }],
    [{ name: "no id" }],
  ])("leaves %p alone", (value) => {
    const before = structuredClone(value);
    injectResourceGroup(value);
    expect(value).toEqual(before);
  });

  test("does not look inside sourceVault", () => {
    const value = { sourceVault: { id: REGISTRY } };
    injectResourceGroup(value);
    expect(value.sourceVault).toEqual({ id: REGISTRY });
  });
});
