// Link shapes: what az's parser takes apart, and the SAS fields Azure Storage checks.

import {
  blobUrl,
  createLogLink,
  createUploadLink,
  DEVELOPMENT_ACCOUNT,
  generateStorageAccount,
} from "../../../src/emulator/blob/index.js";

// az 2.45's pattern for log links (acr/_stream_utils.py, get_blob_info).
const AZ_SAS_PATTERN =
  /http(s)?:\/\/(?<account>.*?)\.blob\.(?<suffix>.*?)\/(?<container>.*?)\/(?<blob>.*?)\?(?<sas>.*)/;

const location = {
  account: DEVELOPMENT_ACCOUNT,
  endpointSuffix: "emulator.test",
  container: "logs",
  blobName: "cf12/rawtext.log",
};

test("a log link splits into the parts az expects", async () => {
  const expiresOn = new Date("2030-01-02T03:04:05Z");
  const link = await createLogLink(location, expiresOn);

  const parts = AZ_SAS_PATTERN.exec(link)?.groups;
  expect(parts).toMatchObject({
    account: "devstoreaccount1",
    suffix: "emulator.test",
    container: "logs",
    blob: "cf12/rawtext.log",
  });

  const sas = new URLSearchParams(parts?.sas);
  expect(sas.get("sp")).toBe("r");
  expect(sas.get("sr")).toBe("b");
  expect(sas.get("spr")).toBe("https");
  expect(sas.get("se")).toBe("2030-01-02T03:04:05Z");
  expect(sas.get("sig")).toMatch(/^[A-Za-z0-9+/]{43}=$/);
});

test("an upload link may create and write, and lasts an hour by default", async () => {
  const before = Date.now();
  const link = await createUploadLink({ ...location, container: "myregistry" });

  const sas = new URL(link).searchParams;
  expect(sas.get("sp")).toBe("cw");
  const expiry = Date.parse(sas.get("se") ?? "");
  expect(expiry).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3600_000);
  expect(expiry).toBeLessThanOrEqual(Date.now() + 3600_000);
});

test("links signed with different keys differ only in the signature", async () => {
  const expiresOn = new Date("2030-01-01T00:00:00Z");
  const other = generateStorageAccount("devstoreaccount1");
  const first = new URL(await createLogLink(location, expiresOn));
  const second = new URL(await createLogLink({ ...location, account: other }, expiresOn));

  expect(first.searchParams.get("sig")).not.toBe(second.searchParams.get("sig"));
  first.searchParams.delete("sig");
  second.searchParams.delete("sig");
  expect(first.toString()).toBe(second.toString());
});

test("blob names are escaped segment by segment", () => {
  expect(blobUrl({ ...location, blobName: "a dir/b#c?.log" })).toBe(
    "https://devstoreaccount1.blob.emulator.test/logs/a%20dir/b%23c%3F.log",
  );
});
