// The docker invocations of steps (spec: runner §4.9–4.11), compared with the strings acb's own
// tests assert.

import {
  buildEnvironment,
  buildStepShellCommand,
  cleanPath,
  cmdStepShellCommand,
  DOCKER_CONFIG_JSON,
  dockerConfigArgs,
  hostSocketOf,
  loginArgs,
  networkCreateArgs,
  normalizeWorkingDirectory,
  pullArgs,
  pushArgs,
  shellWord,
  withLocalImage,
} from "../../../src/emulator/runner/docker-args.js";
import type { RunDockerContext } from "../../../src/emulator/runner/docker-args.js";

const context: RunDockerContext = {
  docker: "docker",
  workspaceVolume: "volName",
  homeVolume: "home",
  dockerCliImage: "cli:1",
};

describe("cmd steps", () => {
  test(
    "the string acb's test asserts: no optional flag, one env " + "entry, a working directory",
    () => {
      const text = cmdStepShellCommand(
        { id: "id", cmd: "hello-world", env: ["foo=bar"], workingDirectory: "stepWorkDir" },
        context,
      );
      expect(text).toBe(
        "docker run --rm --name id --volume volName:/workspace --volume " +
          "/var/run/docker.sock:/var/run/docker.sock --volume home:/acb/home --env " +
          "HOME=/acb/home --env foo=bar --workdir /workspace/stepWorkDir hello-world",
      );
    },
  );

  test("every option, in acb's order (T-E2)", () => {
    const text = cmdStepShellCommand(
      {
        id: "all",
        cmd: "image arg1 'arg 2'",
        keep: false,
        detach: true,
        ports: ["8080:80", "9000"],
        expose: ["81", "82"],
        privileged: true,
        user: "1000",
        network: "net",
        isolation: "default",
        cpus: "0.5",
        entryPoint: "sh",
        volumeMounts: [
          { name: "secrets", mountPath: "/run/one" },
          { name: "other", mountPath: "/run/other" },
        ],
        env: ["A=1", "B=2"],
        workingDirectory: "/abs/dir/",
      },
      context,
    );
    expect(text).toBe(
      "docker run --rm --detach -p 8080:80 -p 9000 --expose 81 --expose 82 --privileged " +
        "--user 1000 --network net --isolation default --cpus 0.5 --entrypoint sh --name " +
        "all --volume volName:/workspace --volume " +
        "/var/run/docker.sock:/var/run/docker.sock --volume home:/acb/home --volume " +
        "secrets:/run/one --volume other:/run/other --env HOME=/acb/home --env A=1 --env " +
        "B=2 --workdir /abs/dir image arg1 'arg 2'",
    );
  });

  test("keep drops --rm; disableWorkingDirectoryOverride drops --workdir", () => {
    const text = cmdStepShellCommand(
      {
        id: "k",
        cmd: "img",
        keep: true,
        disableWorkingDirectoryOverride: true,
        workingDirectory: "x",
      },
      context,
    );
    expect(text).toBe(
      "docker run --name k --volume volName:/workspace --volume " +
        "/var/run/docker.sock:/var/run/docker.sock --volume home:/acb/home --env " +
        "HOME=/acb/home img",
    );
  });

  test("a volume mounted twice in one step is mounted once, at the last path", () => {
    const text = cmdStepShellCommand(
      {
        id: "m",
        cmd: "img",
        volumeMounts: [
          { name: "v", mountPath: "/one" },
          { name: "v", mountPath: "/two" },
        ],
      },
      context,
    );
    expect(text).toContain("--volume home:/acb/home --volume v:/two --env HOME=/acb/home");
    expect(text).not.toContain("/one");
  });

  test("the seed tutorial's steps: a flag before the image, and the docker image", () => {
    const detached = cmdStepShellCommand(
      {
        id: "test",
        cmd: "-t myregistry.azurecr.io/hello-world:cab",
        detach: true,
        ports: ["8080:80"],
        network: "acb_default_network",
      },
      { ...context, workspaceVolume: "acb_vol_1" },
    );
    expect(detached).toBe(
      "docker run --rm --detach -p 8080:80 --network acb_default_network --name test " +
        "--volume acb_vol_1:/workspace --volume /var/run/docker.sock:/var/run/docker.sock " +
        "--volume home:/acb/home --env HOME=/acb/home --workdir /workspace -t " +
        "myregistry.azurecr.io/hello-world:cab",
    );

    const stop = cmdStepShellCommand(
      { id: "acb_step_2", cmd: "docker stop test", network: "acb_default_network" },
      { ...context, workspaceVolume: "acb_vol_1" },
    );
    expect(stop).toBe(
      "docker run --rm --network acb_default_network --name acb_step_2 --volume " +
        "acb_vol_1:/workspace --volume /var/run/docker.sock:/var/run/docker.sock --volume " +
        "home:/acb/home --env HOME=/acb/home --workdir /workspace cli:1 stop test",
    );
  });

  test("a docker binary with spaces in its path is quoted for the shell", () => {
    expect(shellWord("/opt/my docker/docker")).toBe("'/opt/my docker/docker'");
    expect(shellWord("/usr/bin/docker")).toBe("/usr/bin/docker");
    const text = cmdStepShellCommand(
      { id: "s", cmd: "img" },
      { ...context, docker: "/a b/docker" },
    );
    expect(text.startsWith("'/a b/docker' run --rm")).toBe(true);
  });
});

describe("the docker image name", () => {
  test.each([
    ["docker stop test", "cli:1 stop test"],
    ["  docker   build .", "  cli:1   build ."],
    ["docker", "cli:1"],
    ["dockerx run", "dockerx run"],
    ["docker:24 ps", "docker:24 ps"],
    ["bash -c 'docker ps'", "bash -c 'docker ps'"],
  ])("%j → %j", (cmd, expected) => {
    expect(withLocalImage(cmd, { docker: "cli:1" })).toBe(expected);
  });
});

test(
  "the caller's stand-ins replace the image a cmd names first; " + "docker stays the CLI image",
  () => {
    const text = cmdStepShellCommand(
      { id: "s", cmd: "mcr.microsoft.com/acr/bash:2ff604c -c 'echo hi'" },
      {
        ...context,
        imageSubstitutes: { "mcr.microsoft.com/acr/bash:2ff604c": "local/bash:1", docker: "other" },
      },
    );
    expect(text.endsWith(" local/bash:1 -c 'echo hi'")).toBe(true);
    const docker = cmdStepShellCommand(
      { id: "d", cmd: "docker ps" },
      { ...context, imageSubstitutes: { docker: "other" } },
    );
    expect(docker.endsWith(" cli:1 ps")).toBe(true);
    expect(withLocalImage("toString x", {})).toBe("toString x");
  },
);

test("an engine on another unix socket is mounted at the usual path", () => {
  expect(hostSocketOf("unix:///run/user/1000/docker.sock")).toBe("/run/user/1000/docker.sock");
  expect(hostSocketOf("tcp://127.0.0.1:2375")).toBeUndefined();
  expect(hostSocketOf(undefined)).toBeUndefined();
  const rootless = { ...context, hostDockerSocket: "/run/user/1000/docker.sock" };
  expect(cmdStepShellCommand({ id: "s", cmd: "img" }, rootless)).toContain(
    " --volume /run/user/1000/docker.sock:/var/run/docker.sock ",
  );
  expect(pushArgs("p", "i", rootless)).toContain("/run/user/1000/docker.sock:/var/run/docker.sock");
});

describe("working directories", () => {
  test.each([
    ["", "/workspace"],
    ["src/", "/workspace/src"],
    ["../x", "/x"],
    ["./a/./b", "/workspace/a/b"],
    ["/abs/", "/abs"],
    ["/a/../b", "/b"],
    ["/", "/"],
  ])("%j → %j", (written, expected) => {
    expect(normalizeWorkingDirectory(written)).toBe(expected);
  });

  test("path cleaning as Go's path.Clean", () => {
    expect(cleanPath("")).toBe(".");
    expect(cleanPath("a//b/")).toBe("a/b");
  });
});

describe("build steps", () => {
  test("the string acb's test asserts, with today's DOCKER_BUILDKIT=0 after the user env", () => {
    const text = buildStepShellCommand(
      {
        id: "id",
        build: "-f Dockerfile .",
        env: ["foo=bar", "HOME=qux"],
        workingDirectory: "stepWorkDir",
        entryPoint: "ignored",
      },
      context,
    );
    expect(text).toBe(
      "docker run --rm --name id --volume volName:/workspace --volume " +
        "/var/run/docker.sock:/var/run/docker.sock --volume home:/acb/home --env " +
        "HOME=/acb/home --env foo=bar --env HOME=qux --env DOCKER_BUILDKIT=0 --workdir " +
        "/workspace/stepWorkDir cli:1 build -f Dockerfile .",
    );
  });

  test.each([
    [[], ["DOCKER_BUILDKIT=0"]],
    [["FOO=bar"], ["FOO=bar", "DOCKER_BUILDKIT=0"]],
    [["DOCKER_BUILDKIT=1"], ["DOCKER_BUILDKIT=1"]],
    [
      ["FOO=bar", "DOCKER_BUILDKIT=1"],
      ["FOO=bar", "DOCKER_BUILDKIT=1"],
    ],
  ])("env %j → %j (T-E1)", (env, expected) => {
    expect(buildEnvironment(env)).toEqual(expected);
  });
});

describe("the runner's own containers", () => {
  test("network create: name, --ipv6, --driver, in that order", () => {
    expect(networkCreateArgs({ name: "n", driver: "bridge", ipv6: true }, [])).toEqual([
      "network",
      "create",
      "n",
      "--ipv6",
      "--driver",
      "bridge",
    ]);
    expect(networkCreateArgs({ name: "n", driver: "" }, ["k=v"])).toEqual([
      "network",
      "create",
      "n",
      "--label",
      "k=v",
    ]);
  });

  test("login, push and pull run the docker CLI image with the socket", () => {
    expect(loginArgs("acb_docker_login_1", "localhost:5000", "user", context).join(" ")).toBe(
      "run --name acb_docker_login_1 --rm -i --volume " +
        "/var/run/docker.sock:/var/run/docker.sock --volume home:/acb/home --env " +
        "HOME=/acb/home cli:1 login --username user --password-stdin localhost:5000",
    );
    expect(pushArgs("acb_docker_push_1", "localhost:5000/a:b", context).join(" ")).toBe(
      "run --name acb_docker_push_1 --rm --volume " +
        "/var/run/docker.sock:/var/run/docker.sock --volume home:/acb/home --env " +
        "HOME=/acb/home cli:1 push localhost:5000/a:b",
    );
    expect(pullArgs("  -t image", context).join(" ")).toBe(
      "run --rm --volume /var/run/docker.sock:/var/run/docker.sock cli:1 pull -t",
    );
  });

  test("the docker config: acb's content, tab-indented, written into the home volume", () => {
    expect(DOCKER_CONFIG_JSON).toBe(
      '{\n\t"experimental": "enabled",\n\t"HttpHeaders": {\n\t\t"X-Meta-Source-Client": ' +
        '"azure/acr/tasks"\n\t}\n}',
    );
    const args = dockerConfigArgs("acb_init_config_1", context);
    expect(args.slice(0, 5)).toEqual(["run", "--name", "acb_init_config_1", "--rm", "-i"]);
    expect(args).toContain("home:/acb/home");
  });
});
