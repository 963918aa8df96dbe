// The runner's own images, made from this machine's busybox and docker binaries.

import { ensureBusyboxImage, ensureDockerCliImage } from "../../../src/emulator/runner/images.js";
import { spawnProcess } from "../../../src/emulator/runner/process.js";
import { requireDockerEngine } from "../../support/docker.js";

beforeAll(async () => {
  await requireDockerEngine();
}, 90_000);

test("the docker CLI image runs docker sub-commands and plain commands", async () => {
  const tag = await ensureDockerCliImage();
  expect(tag).toMatch(/^acrtask-runner\/docker-cli:[0-9a-f]{16}$/);

  const version = await spawnProcess({
    command: "docker",
    args: [
      "run",
      "--rm",
      "--volume",
      "/var/run/docker.sock:/var/run/docker.sock",
      tag,
      "version",
      "--format",
      "{{.Server.Version}}",
    ],
  });
  expect(version.stderr).toBe("");
  expect(version.exitCode).toBe(0);
  expect(version.stdout.trim()).toMatch(/^\d+\.\d+/);

  const echo = await spawnProcess({
    command: "docker",
    args: ["run", "--rm", tag, "echo", "plain"],
  });
  expect(echo.stdout).toBe("plain\n");

  // The same content gives the same tag: the image is made once.
  expect(await ensureDockerCliImage()).toBe(tag);
}, 120_000);

test("the busybox image has a shell and core utilities", async () => {
  const tag = await ensureBusyboxImage({ repository: "acrtask-test/busybox" });
  const result = await spawnProcess({
    command: "docker",
    args: ["run", "--rm", tag, "sh", "-c", "echo $((6*7)) | wc -c"],
  });
  expect(result.stdout.trim()).toBe("3");
}, 120_000);

test("an image removed from the engine is made again", async () => {
  const options = { repository: "acrtask-test/busybox-removed" };
  const tag = await ensureBusyboxImage(options);
  await spawnProcess({ command: "docker", args: ["rmi", tag] });
  expect(await ensureBusyboxImage(options)).toBe(tag);
  const inspect = await spawnProcess({ command: "docker", args: ["image", "inspect", tag] });
  expect(inspect.exitCode).toBe(0);
  await spawnProcess({ command: "docker", args: ["rmi", tag] });
}, 120_000);
