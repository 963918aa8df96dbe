// Loads the recorded Azure interactions kept in test/fixtures/emulator/recordings.

import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface RecordedInteraction {
  command?: string;
  method: string;
  uri: string;
  requestBody: string | null;
  status: number;
  responseHeaders?: Record<string, string>;
  responseBody: string | null;
  repeated?: number;
}

const FOLDER = join(__dirname, "..", "..", "fixtures", "emulator", "recordings");

export function recording(file: string): RecordedInteraction[] {
  const parsed = JSON.parse(readFileSync(join(FOLDER, file), "utf8")) as {
    interactions: RecordedInteraction[];
  };
  return parsed.interactions;
}

/** The request body, parsed; the 2020 recorder wrote some bodies as Python's `b'…'` text. */
export function requestOf(interaction: RecordedInteraction): unknown {
  const text = interaction.requestBody?.replace(/^b'([\s\S]*)'$/, "$1");
  return text ? (JSON.parse(text) as unknown) : undefined;
}
