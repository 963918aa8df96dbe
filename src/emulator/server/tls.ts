// The emulator's own certificate authority and the server certificate it signs. Both SDKs and
// az refuse plain http for bearer tokens, so the emulator serves TLS and clients trust this CA
// (NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE). Made once with openssl, then kept in the data dir.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TlsFiles {
  caCertPath: string;
  certPath: string;
  keyPath: string;
  cert: Buffer;
  key: Buffer;
}

/**
 * Names the server certificate covers: the loopback address and name, and the blob hosts that
 * log SAS URLs use (`<account>.blob.localhost`), which az requires in that form.
 */
const SUBJECT_ALT_NAMES = "IP:127.0.0.1,DNS:localhost,DNS:*.localhost,DNS:*.blob.localhost";

/** Creates the CA and server certificate under `<dataDir>/tls/` unless they are there. */
export function ensureTlsFiles(dataDir: string): TlsFiles {
  const directory = join(dataDir, "tls");
  const caKeyPath = join(directory, "ca.key");
  const caCertPath = join(directory, "ca.crt");
  const keyPath = join(directory, "server.key");
  const certPath = join(directory, "server.crt");

  if (!existsSync(caCertPath) || !existsSync(certPath) || !existsSync(keyPath)) {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    createCertificates(directory, caKeyPath, caCertPath, keyPath, certPath);
  }

  return {
    caCertPath,
    certPath,
    keyPath,
    cert: readFileSync(certPath),
    key: readFileSync(keyPath),
  };
}

function createCertificates(
  directory: string,
  caKeyPath: string,
  caCertPath: string,
  keyPath: string,
  certPath: string,
): void {
  const requestPath = join(directory, "server.csr");
  const extensionsPath = join(directory, "server.ext");

  openssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    caKeyPath,
    "-out",
    caCertPath,
    "-days",
    "3650",
    "-subj",
    "/CN=acrtask emulator local CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);

  openssl([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    keyPath,
    "-out",
    requestPath,
    "-subj",
    "/CN=localhost",
  ]);

  writeFileSync(
    extensionsPath,
    [
      "basicConstraints=CA:FALSE",
      "keyUsage=digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      `subjectAltName=${SUBJECT_ALT_NAMES}`,
      "",
    ].join("\n"),
  );
  openssl([
    "x509",
    "-req",
    "-in",
    requestPath,
    "-CA",
    caCertPath,
    "-CAkey",
    caKeyPath,
    "-CAcreateserial",
    "-out",
    certPath,
    "-days",
    "825",
    "-sha256",
    "-extfile",
    extensionsPath,
  ]);
}

function openssl(args: string[]): void {
  try {
    execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? "";
    throw new Error(
      `openssl ${args[0]} failed while creating the emulator's certificates. ${stderr}`,
    );
  }
}
