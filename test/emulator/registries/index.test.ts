// Real distribution registries started by the module, driven over the registry HTTP API with
// fetch: no docker needed.

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, request as httpRequest } from "node:http";
import { createServer } from "node:net";
import type { AddressInfo, Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  deleteRegistry,
  listStoredRegistries,
  readRegistryCredentials,
  regenerateRegistryPassword,
  registryDirectory,
  startRegistry,
  stopAllRegistries,
  stopRegistry,
} from "../../../src/emulator/registries/index.js";
import type { RegistryHandle } from "../../../src/emulator/registries/index.js";

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "acrtask-registries-"));
});

afterEach(async () => {
  await stopAllRegistries();
  rmSync(dataDir, { recursive: true, force: true });
});

function basicAuth(username: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` };
}

function adminAuth(registry: RegistryHandle): Record<string, string> {
  return basicAuth(registry.username, registry.passwords[0]);
}

function digestOf(content: Buffer): string {
  return `sha256:${createHash("sha256").update(content).digest("hex")}`;
}

async function pushBlob(registry: RegistryHandle, repository: string, content: Buffer) {
  const base = `http://${registry.loginServer}`;
  const started = await fetch(`${base}/v2/${repository}/blobs/uploads/`, {
    method: "POST",
    headers: adminAuth(registry),
  });
  expect(started.status).toBe(202);

  const location = new URL(started.headers.get("location") ?? "", base);
  location.searchParams.set("digest", digestOf(content));
  const finished = await fetch(location, {
    method: "PUT",
    headers: { ...adminAuth(registry), "content-type": "application/octet-stream" },
    body: content,
  });
  expect(finished.status).toBe(201);
}

/** Pushes a one-layer image `repository:tag` and returns its manifest. */
async function pushImage(registry: RegistryHandle, repository: string, tag: string) {
  const layer = Buffer.from(`layer of ${repository}:${tag}\n`);
  const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: {} }));
  await pushBlob(registry, repository, layer);
  await pushBlob(registry, repository, config);

  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: {
      mediaType: "application/vnd.docker.container.image.v1+json",
      size: config.length,
      digest: digestOf(config),
    },
    layers: [
      {
        mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
        size: layer.length,
        digest: digestOf(layer),
      },
    ],
  });
  const put = await fetch(`http://${registry.loginServer}/v2/${repository}/manifests/${tag}`, {
    method: "PUT",
    headers: {
      ...adminAuth(registry),
      "content-type": "application/vnd.docker.distribution.manifest.v2+json",
    },
    body: manifest,
  });
  expect(put.status).toBe(201);
  return { manifest, layer };
}

async function readManifest(registry: RegistryHandle, repository: string, tag: string) {
  const answer = await fetch(`http://${registry.loginServer}/v2/${repository}/manifests/${tag}`, {
    headers: {
      ...adminAuth(registry),
      accept: "application/vnd.docker.distribution.manifest.v2+json",
    },
  });
  return { status: answer.status, text: await answer.text() };
}

async function waitForSocket(socketPath: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const answered = await new Promise<boolean>((resolve) => {
      const probe = httpRequest({ socketPath, path: "/v2/" }, (answer) => {
        answer.resume();
        resolve(true);
      });
      probe.on("error", () => resolve(false));
      probe.end();
    });
    if (answered) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${socketPath} never answered`);
}

function holdPort(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

describe("startRegistry", () => {
  test("serves the registry API on localhost behind basic auth for the admin user", async () => {
    const registry = await startRegistry({ dataDir, name: "myregistry" });

    expect(registry.loginServer).toBe(`localhost:${registry.port}`);
    expect(registry.username).toBe("myregistry");
    expect(registry.passwords[0]).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(registry.passwords[1]).not.toBe(registry.passwords[0]);
    expect(registry.previousPort).toBeUndefined();
    expect(registry.directory).toBe(join(dataDir, "registries", "myregistry"));

    const anonymous = await fetch(`http://${registry.loginServer}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe('Basic realm="myregistry"');

    const wrong = await fetch(`http://${registry.loginServer}/v2/`, {
      headers: basicAuth("myregistry", "not-the-password"),
    });
    expect(wrong.status).toBe(401);

    const admin = await fetch(`http://${registry.loginServer}/v2/`, {
      headers: adminAuth(registry),
    });
    expect(admin.status).toBe(200);

    // ACR accepts either admin password, and the user name without regard to case.
    const second = await fetch(`http://${registry.loginServer}/v2/`, {
      headers: basicAuth("MyRegistry", registry.passwords[1]),
    });
    expect(second.status).toBe(200);
  });

  test("stores pushed manifests and blobs and gives them back", async () => {
    const registry = await startRegistry({ dataDir, name: "myregistry" });
    const { manifest, layer } = await pushImage(registry, "hello/world", "v1");

    expect(await readManifest(registry, "hello/world", "v1")).toEqual({
      status: 200,
      text: manifest,
    });
    const blob = await fetch(
      `http://${registry.loginServer}/v2/hello/world/blobs/${digestOf(layer)}`,
      { headers: adminAuth(registry) },
    );
    expect(blob.status).toBe(200);
    expect(Buffer.from(await blob.arrayBuffer())).toEqual(layer);

    const tags = await fetch(`http://${registry.loginServer}/v2/hello/world/tags/list`, {
      headers: adminAuth(registry),
    });
    expect(await tags.json()).toEqual({ name: "hello/world", tags: ["v1"] });
  });

  test("posts push events to the notification endpoints it is given", async () => {
    const events: { headers: Record<string, unknown>; body: { events: unknown[] } }[] = [];
    const receiver = createHttpServer((incoming, outgoing) => {
      let body = "";
      incoming.on("data", (chunk: Buffer) => (body += chunk.toString()));
      incoming.once("end", () => {
        events.push({ headers: incoming.headers, body: JSON.parse(body) });
        outgoing.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const receiverPort = (receiver.address() as AddressInfo).port;

    try {
      const registry = await startRegistry({
        dataDir,
        name: "myregistry",
        notifications: [
          {
            name: "triggers",
            url: `http://127.0.0.1:${receiverPort}/events`,
            headers: { "x-emulator-registry": "myregistry" },
          },
        ],
      });
      const { manifest } = await pushImage(registry, "base/alpine", "3.20");

      for (let attempt = 0; attempt < 100 && !manifestPushed(); attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const push = pushEvents().find((event) => event.target.mediaType.includes("manifest"));
      expect(push).toMatchObject({
        action: "push",
        target: { repository: "base/alpine", tag: "3.20", digest: digestOf(Buffer.from(manifest)) },
      });
      expect(events[0].headers["x-emulator-registry"]).toBe("myregistry");
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }

    function pushEvents() {
      return events.flatMap(
        (envelope) =>
          envelope.body.events as {
            action: string;
            target: { mediaType: string; repository: string; tag?: string; digest: string };
          }[],
      );
    }
    function manifestPushed() {
      return pushEvents().some((event) => event.target.mediaType.includes("manifest"));
    }
  });

  test("keeps secrets readable by their owner only", async () => {
    const registry = await startRegistry({ dataDir, name: "myregistry" });

    for (const file of ["registry.json", "config.yml"]) {
      expect(statSync(join(registry.directory, file)).mode & 0o077).toBe(0);
    }
    // The process behind the front listens on a socket only the owner can reach.
    expect(statSync(registry.directory).mode & 0o077).toBe(0);
    expect(statSync(join(registry.directory, "registry.sock")).isSocket()).toBe(true);
    expect(readFileSync(join(registry.directory, "config.yml"), "utf8")).not.toContain(
      registry.passwords[0],
    );
  });

  test("returns the running registry when started twice, even while it starts", async () => {
    const [first, concurrent] = await Promise.all([
      startRegistry({ dataDir, name: "myregistry" }),
      startRegistry({ dataDir, name: "myregistry" }),
    ]);
    const second = await startRegistry({ dataDir, name: "MyRegistry" });

    expect(concurrent).toBe(first);
    expect(second).toBe(first);
  });

  test("rejects a name ACR would reject", async () => {
    await expect(startRegistry({ dataDir, name: "../escape" })).rejects.toThrow(
      "Registry name '../escape' is invalid",
    );
    await expect(startRegistry({ dataDir, name: "abc" })).rejects.toThrow("is invalid");
  });

  test("names the package to install when the registry program is missing", async () => {
    await expect(
      startRegistry({ dataDir, name: "myregistry", registryBinary: "no-such-registry-program" }),
    ).rejects.toThrow(
      "The registry program 'no-such-registry-program' was not found. Install the distribution" +
        " registry (Debian package docker-registry).",
    );
  });

  test("reports a registry binary that cannot start", async () => {
    await expect(
      startRegistry({ dataDir, name: "myregistry", registryBinary: "/bin/false" }),
    ).rejects.toThrow("The registry 'myregistry' did not start: it exited with code 1");
  });
});

describe("restart", () => {
  test("brings back the content, the credentials and the port", async () => {
    const first = await startRegistry({ dataDir, name: "myregistry" });
    const { manifest } = await pushImage(first, "app", "latest");
    await first.stop();

    await expect(fetch(`http://${first.loginServer}/v2/`)).rejects.toThrow();

    const second = await startRegistry({ dataDir, name: "myregistry" });
    expect(second.port).toBe(first.port);
    expect(second.previousPort).toBeUndefined();
    expect(second.passwords).toEqual(first.passwords);
    expect(await readManifest(second, "app", "latest")).toEqual({ status: 200, text: manifest });
  });

  test("moves to a free port and says so when the old one is taken", async () => {
    const first = await startRegistry({ dataDir, name: "myregistry" });
    await stopRegistry(dataDir, "myregistry");
    const squatter = await holdPort(first.port);

    try {
      const second = await startRegistry({ dataDir, name: "myregistry" });
      expect(second.port).not.toBe(first.port);
      expect(second.previousPort).toBe(first.port);
      expect(second.loginServer).toBe(`localhost:${second.port}`);
      await second.stop();

      const third = await startRegistry({ dataDir, name: "myregistry" });
      expect(third.port).toBe(second.port);
      expect(third.previousPort).toBeUndefined();
    } finally {
      squatter.close();
    }
  });

  test(
    "stops a registry left running by an emulator that was " + "killed, and takes its socket",
    async () => {
      const first = await startRegistry({ dataDir, name: "myregistry" });
      const { manifest } = await pushImage(first, "app", "v1");
      await first.stop();

      // What a killed emulator leaves behind: the registry process and its recorded id.
      const leftover = spawn("docker-registry", ["serve", join(first.directory, "config.yml")], {
        stdio: "ignore",
      });
      const leftoverExit = new Promise((resolve) => leftover.once("exit", resolve));
      await waitForSocket(join(first.directory, "registry.sock"));
      writeFileSync(join(first.directory, "registry.pid"), `${leftover.pid}\n`);

      const second = await startRegistry({ dataDir, name: "myregistry" });
      await leftoverExit;
      expect(second.port).toBe(first.port);
      expect(second.previousPort).toBeUndefined();
      expect(await readManifest(second, "app", "v1")).toEqual({
        status: 200,
        text: manifest,
      });
    },
  );

  test("leaves alone a recorded process that is not the registry", async () => {
    const first = await startRegistry({ dataDir, name: "myregistry" });
    await first.stop();
    const unrelated = spawn("sleep", ["30"], { stdio: "ignore" });
    writeFileSync(join(first.directory, "registry.pid"), `${unrelated.pid}\n`);

    try {
      await startRegistry({ dataDir, name: "myregistry" });
      expect(unrelated.exitCode).toBeNull();
      expect(unrelated.signalCode).toBeNull();
    } finally {
      unrelated.kill();
    }
  });

  test("lists the kept registries and their credentials without starting them", async () => {
    const registry = await startRegistry({ dataDir, name: "Zregistry" });
    await startRegistry({ dataDir, name: "aregistry" });
    await stopAllRegistries();

    expect(await listStoredRegistries(dataDir)).toEqual(["aregistry", "Zregistry"]);
    expect(await readRegistryCredentials(dataDir, "zregistry")).toEqual({
      username: "Zregistry",
      passwords: registry.passwords,
    });
    expect(await readRegistryCredentials(dataDir, "missingone")).toBeUndefined();
    expect(await listStoredRegistries(join(dataDir, "nothing-here"))).toEqual([]);
  });
});

describe("regenerateRegistryPassword", () => {
  async function status(registry: RegistryHandle, password: string) {
    const answer = await fetch(`http://${registry.loginServer}/v2/`, {
      headers: basicAuth(registry.username, password),
    });
    return answer.status;
  }

  test("a new first password replaces the old one in the running registry", async () => {
    const registry = await startRegistry({ dataDir, name: "myregistry" });
    const [oldPassword, secondPassword] = registry.passwords;
    await pushImage(registry, "app", "v1");

    const renewed = await regenerateRegistryPassword(dataDir, "myregistry", "password");

    expect(renewed.passwords[0]).not.toBe(oldPassword);
    expect(renewed.passwords[1]).toBe(secondPassword);
    expect(registry.passwords).toEqual(renewed.passwords);
    expect(await status(registry, oldPassword)).toBe(401);
    expect(await status(registry, renewed.passwords[0])).toBe(200);
    expect((await readManifest(registry, "app", "v1")).status).toBe(200);
    expect(await readRegistryCredentials(dataDir, "myregistry")).toEqual(renewed);
  });

  test("a new second password leaves the first one working", async () => {
    const registry = await startRegistry({ dataDir, name: "myregistry" });
    const [firstPassword, oldSecond] = registry.passwords;

    const renewed = await regenerateRegistryPassword(dataDir, "myregistry", "password2");

    expect(renewed.passwords).toEqual([firstPassword, expect.not.stringMatching(oldSecond)]);
    expect(await status(registry, firstPassword)).toBe(200);
    expect(await status(registry, oldSecond)).toBe(401);
    expect(await status(registry, renewed.passwords[1])).toBe(200);
  });

  test("a stopped registry starts with the new password", async () => {
    const registry = await startRegistry({ dataDir, name: "myregistry" });
    await registry.stop();

    const renewed = await regenerateRegistryPassword(dataDir, "myregistry", "password");
    const restarted = await startRegistry({ dataDir, name: "myregistry" });

    expect(restarted.passwords).toEqual(renewed.passwords);
    expect(await status(restarted, renewed.passwords[0])).toBe(200);
    expect(await status(restarted, registry.passwords[0])).toBe(401);
  });

  test("names a registry that does not exist", async () => {
    await expect(regenerateRegistryPassword(dataDir, "missingone", "password")).rejects.toThrow(
      "Registry 'missingone' does not exist.",
    );
  });
});

describe("deleteRegistry", () => {
  test("stops the process and keeps nothing", async () => {
    const registry = await startRegistry({ dataDir, name: "myregistry" });
    await pushImage(registry, "app", "v1");

    await deleteRegistry(dataDir, "myregistry");

    expect(existsSync(registryDirectory(dataDir, "myregistry"))).toBe(false);
    await expect(fetch(`http://${registry.loginServer}/v2/`)).rejects.toThrow();
    expect(await listStoredRegistries(dataDir)).toEqual([]);

    const again = await startRegistry({ dataDir, name: "myregistry" });
    expect(again.passwords).not.toEqual(registry.passwords);
    expect((await readManifest(again, "app", "v1")).status).toBe(404);
  });
});
