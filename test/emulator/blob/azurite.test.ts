// Azurite over HTTPS with a test CA, a run log written by the log writer and read the way az
// reads it (through the CONNECT proxy, a SAS link, HEAD then ranged GETs), and a source upload
// through an upload link.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

import {
  createLogLink,
  createUploadLink,
  DEVELOPMENT_ACCOUNT,
  loadOrCreateStorageAccount,
  openRunLogWriter,
  runLogLocation,
  startAzurite,
  startBlobProxy,
} from "../../../src/emulator/blob/index.js";
import type {
  AzuriteHandle,
  BlobProxyHandle,
  StorageAccount,
} from "../../../src/emulator/blob/index.js";
import { makeTestCertificates } from "./certificates.js";
import type { TestCertificates } from "./certificates.js";
import { httpsViaProxy } from "./via-proxy.js";

const SUFFIX = "acrtask.localhost";
// az's storage SDK sends this version; Azurite must answer it as it answers the JS SDK.
const AZ_STORAGE_VERSION = { "x-ms-version": "2018-11-09" };

let certificates: TestCertificates;
let dataDir: string;
let account: StorageAccount;
let azurite: AzuriteHandle;
let proxy: BlobProxyHandle;

beforeAll(async () => {
  certificates = makeTestCertificates(SUFFIX);
  dataDir = mkdtempSync(join(tmpdir(), "acrtask-blob-"));
  account = await loadOrCreateStorageAccount(join(dataDir, "storage-account.json"), "acrlogs");
  azurite = await startAzurite({
    dataDir,
    certPath: certificates.certPath,
    keyPath: certificates.keyPath,
    caPath: certificates.caPath,
    account,
  });
  proxy = await startBlobProxy({ endpointSuffix: SUFFIX, azuritePort: azurite.port });
});

afterAll(async () => {
  await proxy?.stop();
  await azurite?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  certificates.remove();
});

type RequestOptions = Omit<Parameters<typeof httpsViaProxy>[1], "proxyPort" | "ca">;

function viaProxy(url: string, options: RequestOptions = {}) {
  return httpsViaProxy(url, { proxyPort: proxy.port, ca: certificates.ca, ...options });
}

test(
  "Azurite keeps its data under <dataDir>/azurite and serves " + "the generated account",
  async () => {
    expect(azurite.account).toEqual(account);
    expect(account.name).toBe("acrlogs");
    expect(azurite.serviceUrl).toBe(`https://127.0.0.1:${azurite.port}/acrlogs`);
    expect(await azurite.serviceClient()).toBe(await azurite.serviceClient());

    const service = await azurite.serviceClient();
    await service.getContainerClient("probe").createIfNotExists();
    expect(existsSync(join(dataDir, "azurite"))).toBe(true);
    const names: string[] = [];
    for await (const container of service.listContainers()) {
      names.push(container.name);
    }
    expect(names).toContain("probe");
  },
);

test("a run log written by the writer reads back through a SAS link as az reads it", async () => {
  const writer = await openRunLogWriter(
    await azurite.serviceClient(),
    runLogLocation("myregistry", "cf1"),
  );
  const link = await createLogLink({
    account,
    endpointSuffix: SUFFIX,
    ...runLogLocation("myregistry", "cf1"),
  });
  expect(link).toMatch(
    new RegExp(
      `^https://acrlogs\\.blob\\.acrtask\\.localhost/myregistry/logs/cf1/rawtext\\.log\\?.*sp=r`,
    ),
  );

  writer.write("Step 1/2 : FROM alpine\r\n");
  writer.write(Buffer.from("Step 2/2 : RUN echo hi\r\n"));
  await writer.flush();

  const exists = await viaProxy(link, { method: "HEAD", headers: AZ_STORAGE_VERSION });
  expect(exists.status).toBe(200);
  expect(exists.headers["x-ms-blob-type"]).toBe("AppendBlob");
  expect(exists.headers["content-length"]).toBe("48");
  expect(Object.keys(exists.headers).filter((name) => name.startsWith("x-ms-meta-"))).toEqual([]);

  const range = await viaProxy(link, {
    headers: { ...AZ_STORAGE_VERSION, "x-ms-range": "bytes=24-4119" },
  });
  expect(range.status).toBe(206);
  expect(range.headers["content-range"]).toBe("bytes 24-47/48");
  expect(range.body.toString()).toBe("Step 2/2 : RUN echo hi\r\n");

  writer.write("Run ID: cf1 was successful after 2s\r\n");
  await writer.complete("Succeeded");
  expect(() => writer.write("late")).toThrow("is complete");

  const done = await viaProxy(link, { method: "HEAD", headers: AZ_STORAGE_VERSION });
  expect(done.headers["x-ms-meta-complete"]).toBe("Succeeded");
  // The key keeps its case, so SDK readers find `metadata.Complete` as on Azure.
  expect(done.headerNames).toContain("x-ms-meta-Complete");
  const whole = await viaProxy(link, { headers: AZ_STORAGE_VERSION });
  expect(whole.body.toString()).toBe(
    "Step 1/2 : FROM alpine\r\nStep 2/2 : RUN echo hi\r\nRun ID: cf1 was successful after 2s\r\n",
  );
});

test(
  "the writer keeps the order of many small writes sent while " + "an append is in flight",
  async () => {
    const writer = await openRunLogWriter(
      await azurite.serviceClient(),
      runLogLocation("myregistry", "cf2"),
    );
    const lines = Array.from(
      { length: 300 },
      (_, index) => `line ${index} ${"x".repeat(index)}\r\n`,
    );
    for (const line of lines) {
      writer.write(line);
    }
    await writer.complete("Failed");

    const link = await createLogLink({
      account,
      endpointSuffix: SUFFIX,
      ...runLogLocation("myregistry", "cf2"),
    });
    const read = await viaProxy(link);
    expect(read.body.toString()).toBe(lines.join(""));
    expect(read.headers["x-ms-meta-complete"]).toBe("Failed");
  },
);

test("a read-only log link cannot write, and a link for another blob is refused", async () => {
  const link = await createLogLink({
    account,
    endpointSuffix: SUFFIX,
    ...runLogLocation("myregistry", "cf1"),
  });
  const write = await viaProxy(link, {
    method: "PUT",
    headers: { "x-ms-blob-type": "BlockBlob", "content-length": "1" },
    body: "x",
  });
  expect(write.status).toBe(403);

  const other = link.replace("/cf1/", "/cf2/");
  expect((await viaProxy(other)).status).toBe(403);
});

test("an upload link takes a single PUT as az's storage SDK sends it", async () => {
  const archive = Buffer.from("a gzipped tar would be here");
  const location = {
    account,
    endpointSuffix: SUFFIX,
    container: "source",
    blobName: "202612040800/e2f0cafe.tar.gz",
  };
  const link = await createUploadLink(location);
  const early = await viaProxy(link, {
    method: "PUT",
    headers: { "x-ms-blob-type": "BlockBlob", "content-length": "1" },
    body: "x",
  });
  expect(early.status).toBe(404);
  expect(early.headers["x-ms-error-code"]).toBe("ContainerNotFound");
  await azurite.ensureContainer("source");
  await azurite.ensureContainer("source");

  const put = await viaProxy(link, {
    method: "PUT",
    headers: {
      ...AZ_STORAGE_VERSION,
      "x-ms-blob-type": "BlockBlob",
      "content-length": String(archive.length),
    },
    body: archive,
  });
  expect(put.status).toBe(201);

  const stored = await (
    await azurite.serviceClient()
  )
    .getContainerClient("source")
    .getBlobClient(location.blobName)
    .downloadToBuffer();
  expect(stored).toEqual(archive);

  // Writing is all it allows.
  expect((await viaProxy(link)).status).toBe(403);
});

test("the proxy tunnels only to the blob hosts of its suffix", async () => {
  const link = await createLogLink({
    account,
    endpointSuffix: SUFFIX,
    ...runLogLocation("myregistry", "cf1"),
  });
  await expect(
    httpsViaProxy(link.replace(`.blob.${SUFFIX}`, ".blob.core.windows.net"), {
      proxyPort: proxy.port,
      ca: certificates.ca,
    }),
  ).rejects.toThrow("the proxy answered 403: No tunnel to acrlogs.blob.core.windows.net:443");
});

test("the development account works too, and data survives a restart", async () => {
  const otherDataDir = mkdtempSync(join(tmpdir(), "acrtask-blob-dev-"));
  const options = {
    dataDir: otherDataDir,
    certPath: certificates.certPath,
    keyPath: certificates.keyPath,
    caPath: certificates.caPath,
  };
  try {
    const first = await startAzurite(options);
    expect(first.account).toEqual(DEVELOPMENT_ACCOUNT);
    const writer = await openRunLogWriter(
      await first.serviceClient(),
      runLogLocation("myregistry", "ab1"),
    );
    writer.write("kept\r\n");
    await writer.complete("Succeeded");
    await first.stop();

    const second = await startAzurite(options);
    proxy.setAzuritePort(second.port);
    try {
      const link = await createLogLink({
        account: DEVELOPMENT_ACCOUNT,
        endpointSuffix: SUFFIX,
        ...runLogLocation("myregistry", "ab1"),
      });
      const read = await viaProxy(link);
      expect(read.status).toBe(200);
      expect(read.body.toString()).toBe("kept\r\n");
    } finally {
      proxy.setAzuritePort(azurite.port);
      await second.stop();
    }
  } finally {
    rmSync(otherDataDir, { recursive: true, force: true });
  }
});

test("an Azurite left running on the data folder is stopped before a new one starts", async () => {
  const otherDataDir = mkdtempSync(join(tmpdir(), "acrtask-blob-leftover-"));
  const location = join(otherDataDir, "azurite");
  mkdirSync(location);
  const main = join(dirname(require.resolve("azurite/package.json")), "dist/src/blob/main.js");
  try {
    // What a killed emulator leaves behind: Azurite on the data folder, and its recorded id.
    const leftover = spawn(
      process.execPath,
      [main, "--blobPort", "0", "--location", location, "--disableTelemetry", "--silent"],
      { stdio: ["ignore", "pipe", "ignore"] },
    );
    const leftoverExit = new Promise((resolve) => leftover.once("exit", resolve));
    await new Promise<void>((resolve) => {
      let output = "";
      leftover.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("successfully listens")) {
          resolve();
        }
      });
    });
    writeFileSync(join(location, "azurite.pid"), `${leftover.pid}\n`);

    const started = await startAzurite({
      dataDir: otherDataDir,
      certPath: certificates.certPath,
      keyPath: certificates.keyPath,
      caPath: certificates.caPath,
    });
    await leftoverExit;
    expect(readFileSync(join(location, "azurite.pid"), "utf8")).not.toBe(`${leftover.pid}\n`);
    await started.stop();
    expect(existsSync(join(location, "azurite.pid"))).toBe(false);
  } finally {
    rmSync(otherDataDir, { recursive: true, force: true });
  }
});

test("a generated account is kept and reused", async () => {
  const again = await loadOrCreateStorageAccount(join(dataDir, "storage-account.json"), "acrlogs");
  expect(again).toEqual(account);
  const renamed = await loadOrCreateStorageAccount(join(dataDir, "storage-account.json"), "other1");
  expect(renamed.name).toBe("other1");
  expect(renamed.key).not.toBe(account.key);
  expect(Buffer.from(renamed.key, "base64")).toHaveLength(64);
});

test("the JS SDK reads a log link through the proxy with the CA from its environment", async () => {
  const location = runLogLocation("myregistry", "js1");
  const writer = await openRunLogWriter(await azurite.serviceClient(), location);
  writer.write("read by the JS SDK\r\n");
  await writer.complete("Succeeded");
  const link = await createLogLink({ account, endpointSuffix: SUFFIX, ...location });

  const child = spawn(process.execPath, [join(__dirname, "sdk-read-blob.mjs"), link], {
    env: {
      ...process.env,
      HTTPS_PROXY: proxy.url,
      NO_PROXY: "127.0.0.1",
      NODE_EXTRA_CA_CERTS: certificates.caPath,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise((resolve) => child.once("close", resolve));

  expect({ code, stdout, stderr }).toEqual({
    code: 0,
    stdout: "read by the JS SDK\r\n",
    stderr: "",
  });
});

describe("az 2.45's own log streaming", () => {
  // Debian's azure-cli package is installed for the system Python.
  const python = "/usr/bin/python3";
  const script = join(__dirname, "az-stream-logs.py");

  function streamWithAz(link: string) {
    const child = spawn(python, [script, link, "60"], {
      env: {
        ...process.env,
        HTTPS_PROXY: proxy.url,
        NO_PROXY: "127.0.0.1",
        REQUESTS_CA_BUNDLE: certificates.caPath,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.once("close", (code) => resolve({ code, stdout, stderr })),
    );
  }

  test("prints a live log as it grows and stops at Complete", async () => {
    const location = runLogLocation("myregistry", "cf3");
    const writer = await openRunLogWriter(await azurite.serviceClient(), location);
    writer.write("Step 1/2 : FROM alpine\r\n");
    await writer.flush();

    const streamed = streamWithAz(
      await createLogLink({ account, endpointSuffix: SUFFIX, ...location }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    writer.write("Step 2/2 : RUN echo hi\r\nRun ID: cf3 was successful");
    await writer.complete("Succeeded");

    expect(await streamed).toEqual({
      code: 0,
      stdout: "Step 1/2 : FROM alpine\r\nStep 2/2 : RUN echo hi\r\nRun ID: cf3 was successful\n",
      stderr: "",
    });
  }, 30_000);

  test("fails the command when the log completes as Failed", async () => {
    const location = runLogLocation("myregistry", "cf4");
    const writer = await openRunLogWriter(await azurite.serviceClient(), location);
    writer.write("Step 1/1 : RUN exit 1\r\n");
    await writer.complete("Failed");

    const streamed = await streamWithAz(
      await createLogLink({ account, endpointSuffix: SUFFIX, ...location }),
    );
    expect(streamed).toEqual({
      code: 1,
      stdout: "Step 1/1 : RUN exit 1\r\n",
      stderr: "ERROR: Run failed\n",
    });
  }, 30_000);
});
