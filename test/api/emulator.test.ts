// The API's own emulator: started in-process, its connection used by the API's operations with
// no environment variable for its certificate authority.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  createTask,
  deleteTask,
  listTasks,
  showTask,
  startLocalEmulator,
} from "../../src/index.js";
import type { LocalEmulator } from "../../src/index.js";

let dataDir: string;
let emulator: LocalEmulator;

beforeAll(async () => {
  expect(process.env.NODE_EXTRA_CA_CERTS ?? "").not.toContain("acrtask");
  dataDir = mkdtempSync(join(tmpdir(), "acrtask-api-emulator-"));
  emulator = await startLocalEmulator({
    dataDir,
    runRegistries: false,
    runBlobStorage: false,
    runTasks: false,
  });
}, 60_000);

afterAll(async () => {
  await emulator?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test("the connection signs in and the operations reach the emulator", async () => {
  const { connection, config } = emulator;
  expect(connection).toMatchObject({
    endpoint: config.armEndpoint,
    subscriptionId: config.subscriptionId,
    loginServerSuffix: ".azurecr.io",
  });

  const created = await createTask(connection, {
    registry: "myregistry",
    name: "hello",
    contextPath: "/dev/null",
    cmd: "busybox echo hello",
  });
  expect(created).toMatchObject({ name: "hello", provisioningState: "Succeeded" });
  expect(await listTasks(connection, { registry: "myregistry" })).toEqual([
    expect.objectContaining({ name: "hello" }),
  ]);

  await deleteTask(connection, { registry: "myregistry", name: "hello", yes: true });
  await expect(
    showTask(connection, { registry: "myregistry", name: "hello" }),
  ).rejects.toMatchObject({ statusCode: 404 });
});
