// The real az 2.45 against the emulator, configured only from emulator.json through the lines
// `acrtask emulator az-env` prints: sign-in, the registry lookup az does through the resources
// listing, registry reads and credentials, and ACR Tasks commands.

import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { azEnvLines } from "../../src/commands/emulator/az-env.js";
import { startEmulator } from "../../src/emulator/emulator.js";
import type { RunningEmulator } from "../../src/emulator/emulator.js";

const AZ = "/usr/bin/az";

interface Outcome {
  stdout: string;
  stderr: string;
  rc: number;
}

let dataDir: string;
let emulator: RunningEmulator;
let setup: string;

function az(command: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      "/bin/sh",
      ["-c", `${setup}\n${command}`],
      {
        env: { PATH: process.env.PATH, HOME: dataDir, AZURE_CORE_NO_COLOR: "true" },
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        const rc = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ stdout, stderr, rc });
      },
    );
  });
}

function json(outcome: Outcome): Record<string, unknown> {
  expect(outcome.stderr).not.toMatch(/ERROR|Traceback/);
  expect(outcome.rc).toBe(0);
  return JSON.parse(outcome.stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  expect(existsSync(AZ)).toBe(true);
  dataDir = mkdtempSync(join(tmpdir(), "acrtask-emulator-az-"));
  // The control plane only: runs stay queued (the seed tutorial test executes them).
  emulator = await startEmulator({ dataDir, runTasks: false });
  const lines = azEnvLines(emulator.config, dataDir);
  // Sign in once; the commands below run with the exports only, as a user's shell would.
  const signIn = lines.join("\n");
  setup = lines.filter((line) => line.startsWith("export ")).join("\n");
  const login = await new Promise<Outcome>((resolve) => {
    execFile(
      "/bin/sh",
      ["-c", signIn],
      { env: { PATH: process.env.PATH, HOME: dataDir } },
      (error, stdout, stderr) => resolve({ stdout, stderr, rc: error ? 1 : 0 }),
    );
  });
  expect(login.stderr).toBe("");
  expect(login.rc).toBe(0);
}, 180_000);

afterAll(async () => {
  await emulator?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test("az account show names the emulator's subscription and tenant", async () => {
  const account = json(await az("az account show -o json"));
  expect(account).toMatchObject({
    id: emulator.config.subscriptionId,
    tenantId: emulator.config.tenantId,
    environmentName: "AcrtaskEmulator",
    state: "Enabled",
    user: { name: emulator.config.clientId, type: "servicePrincipal" },
  });
}, 60_000);

test(
  "az acr show and az acr list find the default registry " + "through the resources listing",
  async () => {
    const registry = json(await az("az acr show -n MyRegistry -o json"));
    expect(registry).toMatchObject({
      name: "myregistry",
      resourceGroup: "myresourcegroup",
      loginServer: emulator.config.registries[0]?.loginServer,
      sku: { name: "Standard", tier: "Standard" },
      provisioningState: "Succeeded",
      adminUserEnabled: true,
    });

    const listed = JSON.parse((await az("az acr list -o json")).stdout) as { name: string }[];
    expect(listed.map((item) => item.name)).toEqual(["myregistry"]);
  },
  60_000,
);

test("az acr credential show returns the registry's admin user", async () => {
  const credentials = json(await az("az acr credential show -n myregistry -o json"));
  expect(credentials.username).toBe("myregistry");
  expect((credentials.passwords as { name: string }[]).map((item) => item.name)).toEqual([
    "password",
    "password2",
  ]);
}, 60_000);

test("az acr show of a missing registry fails as against Azure", async () => {
  const outcome = await az("az acr show -n nosuchregistry -o json");
  // az decides this itself from an empty resources listing, with exit code 1.
  expect(outcome.rc).toBe(1);
  expect(outcome.stderr.split("\n")[0]).toBe(
    "ERROR: The resource with name 'nosuchregistry' and type " +
      "'Microsoft.ContainerRegistry/registries' could not be found in subscription " +
      `'acrtask emulator (${emulator.config.subscriptionId})'.`,
  );
}, 60_000);

test("az acr task create, list, show and delete", async () => {
  const created = json(
    await az(
      "az acr task create -n hello -r myregistry --cmd mcr.microsoft.com/hello-world -c " +
        "/dev/null -o json",
    ),
  );
  expect(created).toMatchObject({
    name: "hello",
    provisioningState: "Succeeded",
    status: "Enabled",
  });

  const listed = JSON.parse((await az("az acr task list -r myregistry -o json")).stdout) as {
    name: string;
  }[];
  expect(listed.map((task) => task.name)).toEqual(["hello"]);

  const shown = json(await az("az acr task show -n hello -r myregistry -o json"));
  expect(shown.name).toBe("hello");

  const queued = await az("az acr task run -n hello -r myregistry --no-wait -o json");
  expect(queued.rc).toBe(0);
  expect(queued.stdout).toBe("");
  const runId = /^WARNING: Queued a run with ID: (\w+)\n$/.exec(queued.stderr)?.[1];
  expect(runId).toMatch(/^[a-z]{2}1$/);
  const runs = JSON.parse((await az("az acr task list-runs -r myregistry -o json")).stdout) as {
    runId: string;
    task: string;
  }[];
  expect(runs.map((run) => [run.runId, run.task])).toEqual([[runId, "hello"]]);

  const deleted = await az("az acr task delete -n hello -r myregistry --yes");
  expect(deleted.rc).toBe(0);
  const empty = JSON.parse(
    (await az("az acr task list -r myregistry -o json")).stdout,
  ) as unknown[];
  expect(empty).toEqual([]);
}, 120_000);

test("az group create, acr check-name, acr create, update and delete", async () => {
  const group = json(await az("az group create -n rg-az -l westus -o json"));
  expect(group).toMatchObject({ name: "rg-az", location: "westus" });

  const free = json(await az("az acr check-name -n azregistry1 -o json"));
  expect(free).toMatchObject({ nameAvailable: true });

  const created = json(
    await az("az acr create -n azregistry1 -g rg-az --sku Basic --admin-enabled true -o json"),
  );
  expect(created).toMatchObject({
    name: "azregistry1",
    resourceGroup: "rg-az",
    adminUserEnabled: true,
    sku: { name: "Basic", tier: "Basic" },
  });

  const taken = json(await az("az acr check-name -n AzRegistry1 -o json"));
  expect(taken).toMatchObject({ nameAvailable: false, reason: "AlreadyExists" });

  const updated = json(await az("az acr update -n azregistry1 --tags stage=test -o json"));
  expect(updated.tags).toEqual({ stage: "test" });

  const deleted = await az("az acr delete -n azregistry1 --yes");
  expect(deleted.rc).toBe(0);
  const listed = JSON.parse((await az("az acr list -g rg-az -o json")).stdout) as unknown[];
  expect(listed).toEqual([]);
}, 120_000);

test(
  "az acr build --no-wait uploads the context through the blob " + "proxy and queues a run",
  async () => {
    const context = join(dataDir, "build-context");
    mkdirSync(context);
    writeFileSync(join(context, "Dockerfile"), "FROM scratch\n");

    const outcome = await az(`az acr build -r myregistry -t hello:1 --no-wait ${context}`);
    expect(outcome.rc).toBe(0);
    expect(outcome.stderr).toMatch(/Uploading archived source code from /);
    expect(outcome.stderr).toMatch(/Sending context \(.+\) to registry: myregistry\.\.\./);
    expect(outcome.stderr).not.toMatch(/ERROR|Traceback/);
    const runId = /Queued a build with ID: (\w+)/.exec(outcome.stderr)?.[1];
    expect(runId).toMatch(/^[a-z]{2}\d+$/);

    const run = json(await az(`az acr task show-run -r myregistry --run-id ${runId} -o json`));
    expect(run).toMatchObject({ runId, runType: "QuickRun" });
  },
  120_000,
);

test("az acr agentpool list answers from the emulator", async () => {
  const pools = await az("az acr agentpool list -r myregistry -o json");
  expect(pools.rc).toBe(0);
  expect(JSON.parse(pools.stdout)).toEqual([]);
}, 60_000);
