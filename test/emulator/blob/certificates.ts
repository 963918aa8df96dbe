// A throw-away CA and a server certificate it signs, made with openssl, naming what the blob
// side is reached by: 127.0.0.1, localhost and `*.blob.<suffix>`.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCertificates {
  caPath: string;
  certPath: string;
  keyPath: string;
  ca: string;
  remove(): void;
}

export function makeTestCertificates(endpointSuffix: string): TestCertificates {
  const folder = mkdtempSync(join(tmpdir(), "acrtask-blob-certs-"));
  const path = (name: string) => join(folder, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });

  openssl(
    ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"],
    ...["-subj", "/CN=acrtask test CA", "-keyout", path("ca.key"), "-out", path("ca.crt")],
  );
  openssl(
    ...["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost"],
    ...["-keyout", path("server.key"), "-out", path("server.csr")],
  );
  writeFileSync(
    path("server.ext"),
    `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:*.blob.${endpointSuffix}\n`,
  );
  openssl(
    ...["x509", "-req", "-in", path("server.csr"), "-CA", path("ca.crt")],
    ...["-CAkey", path("ca.key"), "-CAcreateserial", "-days", "2"],
    ...["-extfile", path("server.ext"), "-out", path("server.crt")],
  );

  return {
    caPath: path("ca.crt"),
    certPath: path("server.crt"),
    keyPath: path("server.key"),
    ca: readFileSync(path("ca.crt"), "utf8"),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
