// The environment the emulator runs git with (source fetches and commit-trigger polls): never a
// prompt, and a repository's access token sent as an HTTP header through git's GIT_CONFIG_*
// variables. A `-c` option would put the token on the command line, which every local user can
// read in the process list; a process's environment only its owner can.

const TOKEN_HOSTS = /^https:\/\//i;

export function gitEnvironment(url: string, token: string | undefined): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0" };
  if (token && TOKEN_HOSTS.test(url)) {
    const credentials = Buffer.from(`x-access-token:${token}`).toString("base64");
    environment.GIT_CONFIG_COUNT = "1";
    environment.GIT_CONFIG_KEY_0 = "http.extraHeader";
    environment.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${credentials}`;
  }
  return environment;
}
