// The ARM client: the pipeline of @azure/arm-containerregistry 11.0.0 (authentication, retries,
// user agent, request ids, any extra policies such as --debug logging) carrying the exact
// requests az 2.45 sends.
//
// Why not the SDK's operations: SDK 11 bakes its own api-versions into every operation
// (2025-11-01 for registries, none for the ARM resource listing), serialises bodies from its
// models (dropping what az sends, e.g. "isSystemTask": false and empty "platform": {}), and
// deserialises responses into models (losing unknown keys, turning dates into Date objects and
// nulls into defaults). az's output is a function of the raw response JSON, so we keep the
// SDK's ServiceClient and pipeline but build each request ourselves: az's api-version, az's
// query order and percent-encoding (Python's quote), az's body bytes (Python's json.dumps) —
// and hand back the raw JSON text.
//
// Why our own long-running-operation loop rather than @azure/core-lro: az polls with
// azure-mgmt-core's ARMPolling, whose choices differ from core-lro's and are visible on the
// wire: 30 s between polls unless Retry-After says otherwise (core-lro: 2 s), body polling for
// PATCH as well as PUT, a final GET after Azure-AsyncOperation polling for PUT and PATCH, and
// every poll sent with `Accept: */*`. `longRunning` below follows ARMPolling step by step.

import { randomUUID } from "node:crypto";

import type { TokenCredential } from "@azure/core-auth";
import type {
  AdditionalPolicyConfig,
  CommonClientOptions,
  ServiceClient,
} from "@azure/core-client";
import type { PipelineResponse } from "@azure/core-rest-pipeline";

import { CliError } from "../cli/errors.js";
import { describeHttpFailure, exitCodeForStatus } from "./arm-errors.js";

/** The api-versions az 2.45 uses, per resource kind. */
export const API_VERSIONS = {
  /** Microsoft.Resources listing used to find a registry's resource group. */
  resources: "2021-04-01",
  /** Registry GET (the CLI profile's version for container registries). */
  registries: "2022-02-01-preview",
  /** Tasks, runs, task runs, scheduleRun and listBuildSourceUploadUrl. */
  tasks: "2019-06-01-preview",
} as const;

export const PUBLIC_CLOUD_ENDPOINT = "https://management.azure.com";

/** Everything needed to reach ARM; nothing here depends on the CLI's profile. */
export interface ArmConnection {
  credential: TokenCredential;
  subscriptionId: string;
  /** ARM base URL, e.g. https://management.azure.com. */
  endpoint: string;
  /** Token scopes; defaults to `<endpoint>/.default`. */
  credentialScopes?: string | string[];
  /** Extra pipeline policies (request logging, fault injection…). */
  additionalPolicies?: AdditionalPolicyConfig[];
  /** Other core-client options (retries, user agent, HTTP client). */
  clientOptions?: CommonClientOptions;
  /** Headers added to every request, e.g. az's CommandName and ParameterSetName. */
  headers?: Record<string, string>;
  /** Waits between polls of a long-running operation; replaceable in tests. */
  sleep?: (milliseconds: number) => Promise<void>;
}

export type HttpMethod = "GET" | "PUT" | "PATCH" | "POST" | "DELETE";

/** Query parameters in the order az sends them; values are encoded here, keys are not. */
export type QueryPairs = readonly (readonly [string, string])[];

export interface ArmRequest {
  method: HttpMethod;
  /** Path below the endpoint, built with `resourcePath` so segments are encoded as az does. */
  path: string;
  query: QueryPairs;
  /** JSON value sent as the body, serialised as Python's json.dumps would. */
  body?: unknown;
}

export interface ArmResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  bodyText: string;
  /** The parsed body; undefined when the body is empty. */
  json: unknown;
}

/**
 * How a list operation turns `nextLink` into the next request. az's two generators differ:
 * the container-registry operations re-add `api-version` in front of the link's own query
 * (`tasks`), the Microsoft.Resources listing re-encodes the link's query and sets its own
 * `api-version` (`resources`).
 */
export type NextLinkStyle = "tasks" | "resources";

export interface LongRunningOptions {
  /** Statuses the initial response may have without being an error. */
  accepted: readonly number[];
  /**
   * az treats a 404 while polling as success for commands whose name contains "delete";
   * the final result is then nothing.
   */
  notFoundMeansDeleted?: boolean;
}

/** The response holding an operation's result; `polled` when it is not the first response. */
export interface LongRunningResponse extends ArmResponse {
  polled: boolean;
}

export interface ArmClient {
  readonly subscriptionId: string;
  readonly endpoint: string;
  /** One request; a status outside `accepted` throws the SDK's RestError. */
  send(request: ArmRequest, accepted: readonly number[]): Promise<ArmResponse>;
  /** Every item of every page, following nextLink as az does. */
  listAll(request: ArmRequest, style: NextLinkStyle): Promise<unknown[]>;
  /** The response holding the operation's result, or undefined when it has none. */
  longRunning(
    request: ArmRequest,
    options: LongRunningOptions,
  ): Promise<LongRunningResponse | undefined>;
}

/** Python's `urllib.parse.quote(value, safe)`: only letters, digits and `_.-~` stay as they are. */
export function pythonQuote(value: string, safe = ""): string {
  let encoded = "";
  for (const character of value) {
    if (/[A-Za-z0-9_.~-]/.test(character) || safe.includes(character)) {
      encoded += character;
      continue;
    }
    for (const byte of Buffer.from(character, "utf8")) {
      encoded += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  return encoded;
}

/** A path built from literal parts and values, each value encoded as msrest encodes URL parts. */
export function resourcePath(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce(
    (path, part, index) => path + part + (index < values.length ? pythonQuote(values[index]) : ""),
    "",
  );
}

/**
 * Python's `json.dumps(value)` with its default separators and ASCII escaping, which is how
 * azure-core writes a request body. Only JSON data is expected (no undefined inside arrays).
 */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) {
    return "null";
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => pythonJson(item)).join(", ")}]`;
  }
  if (typeof value === "object") {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .map(([key, member]) => `${pythonString(key)}: ${pythonJson(member)}`);
    return `{${members.join(", ")}}`;
  }
  if (typeof value === "string") {
    return pythonString(value);
  }
  return JSON.stringify(value);
}

function pythonString(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The URL az requests for the page after one whose nextLink is `nextLink`. */
export function nextPageUrl(nextLink: string, apiVersion: string, style: NextLinkStyle): string {
  const queryStart = nextLink.indexOf("?");
  const base = queryStart < 0 ? nextLink : nextLink.slice(0, queryStart);
  const query = queryStart < 0 ? "" : nextLink.slice(queryStart + 1);

  if (style === "tasks") {
    // azure-core merges the link's raw `key=value` pairs into {"api-version": …}.
    const parameters = new Map<string, string>([["api-version", apiVersion]]);
    if (query) {
      for (const pair of query.split("&")) {
        const separator = pair.indexOf("=");
        const key = separator < 0 ? pair : pair.slice(0, separator);
        parameters.set(key, separator < 0 ? "" : pair.slice(separator + 1));
      }
    }
    return `${base}?${[...parameters].map(([key, value]) => `${key}=${value}`).join("&")}`;
  }

  // parse_qs (blank values dropped, `+` as space, keys and values decoded), each value
  // re-quoted with `/` kept, then api-version replaced in place or appended.
  const parameters = new Map<string, { key: string; values: string[] }>();
  for (const pair of query.split("&")) {
    const separator = pair.indexOf("=");
    if (separator < 0 || separator === pair.length - 1) {
      continue;
    }
    const key = pythonUnquote(pair.slice(0, separator));
    const value = pythonUnquote(pair.slice(separator + 1));
    const entry = parameters.get(key) ?? { key, values: [] };
    entry.values.push(pythonQuote(value, "/"));
    parameters.set(key, entry);
  }

  const byLowerKey = new Map<string, { key: string; values: string[] }>();
  for (const entry of parameters.values()) {
    byLowerKey.set(entry.key.toLowerCase(), entry);
  }
  byLowerKey.set("api-version", { key: "api-version", values: [apiVersion] });

  const pairs = [...byLowerKey.values()].flatMap(({ key, values }) =>
    values.map((value) => `${key}=${value}`),
  );
  return `${base}?${pairs.join("&")}`;
}

function pythonUnquote(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text.replace(/\+/g, " ");
  }
}

/** azure-core's get_retry_after, in milliseconds; undefined when the response sets none. */
function retryAfterMilliseconds(headers: Record<string, string>): number | undefined {
  const parse = (text: string): number => {
    const seconds = Number.parseInt(text, 10);
    if (/^\s*[+-]?\d+\s*$/.test(text)) {
      return Math.max(0, seconds);
    }
    const date = Date.parse(text);
    return Number.isNaN(date) ? 0 : Math.max(0, (date - Date.now()) / 1000);
  };

  if (headers["retry-after"]) {
    return parse(headers["retry-after"]) * 1000;
  }
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    if (headers[name]) {
      return parse(headers[name]);
    }
  }
  return undefined;
}

const DEFAULT_POLL_INTERVAL_MS = 30_000;
const POLLABLE_STATUSES = [200, 201, 202, 204];
const EMPTY_POLL_BODY = "The response from long running operation does not contain a body.";

type PollingMode = "async-operation" | "location" | "body" | "none";

/** Creates the client; loads the SDK only now, so commands that never call ARM stay fast. */
export async function createArmClient(connection: ArmConnection): Promise<ArmClient> {
  const { ContainerRegistryManagementClient } = await import("@azure/arm-containerregistry");
  const { RestError, createHttpHeaders, createPipelineRequest, retryPolicy } =
    await import("@azure/core-rest-pipeline");

  const endpoint = connection.endpoint.replace(/\/+$/, "");
  const serviceClient: ServiceClient = new ContainerRegistryManagementClient(
    connection.credential,
    connection.subscriptionId,
    {
      ...connection.clientOptions,
      endpoint,
      credentialScopes: connection.credentialScopes,
      additionalPolicies: [
        ...(connection.clientOptions?.additionalPolicies ?? []),
        ...(connection.additionalPolicies ?? []),
      ],
    },
  );

  // The SDK retries 408 and 5xx (except 501 and 505) three times, as azure-core does, and 429
  // only when the answer says when; azure-core retries every 429 three times, the first time
  // at once and then after 1.6 s and 3.2 s. This inner policy adds the missing 429 retries.
  const retryOptions = connection.clientOptions?.retryOptions;
  const baseDelay = retryOptions?.retryDelayInMs ?? 800;
  serviceClient.pipeline.addPolicy(
    retryPolicy(
      [
        {
          name: "tooManyRequestsWithoutRetryAfter",
          retry: ({ response, retryCount }) => {
            const throttled =
              response?.status === 429 &&
              !["retry-after", "retry-after-ms", "x-ms-retry-after-ms"].some((name) =>
                response.headers.has(name),
              );
            if (!throttled) {
              return { skipStrategy: true };
            }
            const delay = retryCount === 0 ? 0 : baseDelay * 2 ** retryCount;
            return { retryAfterInMs: Math.min(delay, retryOptions?.maxRetryDelayInMs ?? 120_000) };
          },
        },
      ],
      { maxRetries: retryOptions?.maxRetries ?? 3 },
    ),
    { phase: "Retry" },
  );

  // az sends one client request id for every call of a command.
  const clientRequestId = randomUUID();
  const sleep =
    connection.sleep ??
    ((milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)));

  function toArmResponse(response: PipelineResponse): ArmResponse {
    const bodyText = response.bodyAsText ?? "";
    let json: unknown;
    if (bodyText.trim() !== "") {
      try {
        json = JSON.parse(bodyText);
      } catch {
        json = undefined;
      }
    }
    return { status: response.status, headers: response.headers.toJSON(), bodyText, json };
  }

  /**
   * The error azure-core raises for `response`; `ownMessage` is what it says instead of the
   * generic "invalid status" text when the body carries no ARM error.
   */
  function failure(response: PipelineResponse, ownMessage?: string): Error {
    if (ownMessage !== undefined) {
      const rendered = describeHttpFailure({
        statusCode: response.status,
        bodyText: response.bodyAsText ?? "",
        contentType: response.headers.get("content-type"),
      });
      if (rendered.message.startsWith("Operation returned an invalid status")) {
        return new CliError(ownMessage, exitCodeForStatus(response.status));
      }
    }
    return new RestError(`Operation returned an invalid status code ${response.status}`, {
      statusCode: response.status,
      request: response.request,
      response,
    });
  }

  async function sendRaw(
    method: HttpMethod,
    url: string,
    accept: string,
    body?: unknown,
  ): Promise<PipelineResponse> {
    const headers = createHttpHeaders({
      ...connection.headers,
      Accept: accept,
      "x-ms-client-request-id": clientRequestId,
    });
    let bodyText: string | undefined;
    if (body !== undefined) {
      bodyText = pythonJson(body);
      headers.set("Content-Type", "application/json");
    }

    const request = createPipelineRequest({ url, method, headers, body: bodyText });
    return serviceClient.sendRequest(request);
  }

  function urlOf(request: ArmRequest): string {
    const query = request.query.map(([key, value]) => `${key}=${pythonQuote(value)}`).join("&");
    return `${endpoint}${request.path}${query ? `?${query}` : ""}`;
  }

  async function send(request: ArmRequest, accepted: readonly number[]): Promise<ArmResponse> {
    const response = await sendRaw(
      request.method,
      urlOf(request),
      "application/json",
      request.body,
    );
    if (!accepted.includes(response.status)) {
      throw failure(response);
    }
    return toArmResponse(response);
  }

  async function listAll(request: ArmRequest, style: NextLinkStyle): Promise<unknown[]> {
    const apiVersion = request.query.find(([key]) => key === "api-version")?.[1] ?? "";
    const items: unknown[] = [];

    let page = await send(request, [200]);
    for (;;) {
      const body = (page.json ?? {}) as { value?: unknown[]; nextLink?: unknown };
      items.push(...(Array.isArray(body.value) ? body.value : []));
      if (typeof body.nextLink !== "string" || body.nextLink === "") {
        return items;
      }

      // The resources pager sends its follow-up requests without an Accept header, which the
      // Python transport fills in as */*.
      const accept = style === "resources" ? "*/*" : "application/json";
      const response = await sendRaw("GET", nextPageUrl(body.nextLink, apiVersion, style), accept);
      if (response.status !== 200) {
        throw failure(response);
      }
      page = toArmResponse(response);
    }
  }

  async function longRunning(
    request: ArmRequest,
    options: LongRunningOptions,
  ): Promise<LongRunningResponse | undefined> {
    const requestUrl = urlOf(request);
    const initialRaw = await sendRaw(request.method, requestUrl, "application/json", request.body);
    if (!options.accepted.includes(initialRaw.status)) {
      throw failure(initialRaw);
    }
    const initial = toArmResponse(initialRaw);

    const asyncOperationUrl = initial.headers["azure-asyncoperation"];
    let locationUrl = initial.headers["location"];
    let mode: PollingMode = "none";
    if (asyncOperationUrl) {
      mode = "async-operation";
    } else if (locationUrl) {
      mode = "location";
    } else if (request.method === "PUT" || request.method === "PATCH") {
      mode = "body";
    }

    const provisioningState = (response: ArmResponse): string | undefined => {
      const properties = (response.json as { properties?: { provisioningState?: unknown } })
        ?.properties;
      const state = properties?.provisioningState;
      return typeof state === "string" && state !== "" ? state : undefined;
    };

    let status = "Succeeded";
    if (mode === "async-operation" || mode === "location") {
      status = "InProgress";
    } else if (mode === "body") {
      if (initial.status === 202) {
        status = "InProgress";
      } else if (initial.status === 201) {
        status = provisioningState(initial) ?? "InProgress";
      } else if (initial.status === 200) {
        status = provisioningState(initial) ?? "Succeeded";
      }
    }

    const finished = (): boolean =>
      ["succeeded", "canceled", "failed"].includes(status.toLowerCase());
    let latestRaw = initialRaw;
    let latest = initial;

    const poll = async (url: string): Promise<void> => {
      latestRaw = await sendRaw("GET", url, "*/*");
      latest = toArmResponse(latestRaw);
      if (!POLLABLE_STATUSES.includes(latest.status)) {
        throw failure(latestRaw);
      }
    };

    const updateStatus = async (): Promise<void> => {
      if (mode === "async-operation") {
        await poll(asyncOperationUrl);
        const operationStatus = (latest.json as { status?: unknown } | undefined)?.status;
        if (latest.bodyText === "") {
          throw failure(latestRaw, EMPTY_POLL_BODY);
        }
        if (typeof operationStatus !== "string" || !operationStatus) {
          throw failure(latestRaw, "No status found in body");
        }
        status = operationStatus;
      } else if (mode === "location") {
        await poll(locationUrl);
        locationUrl = latest.headers["location"] || locationUrl;
        status = latest.status === 202 ? "InProgress" : "Succeeded";
      } else if (mode === "body") {
        await poll(requestUrl);
        if (latest.bodyText === "") {
          throw failure(latestRaw, EMPTY_POLL_BODY);
        }
        status = provisioningState(latest) ?? "Succeeded";
      }
    };

    try {
      if (!finished()) {
        await updateStatus();
      }
      while (!finished()) {
        await sleep(retryAfterMilliseconds(latest.headers) || DEFAULT_POLL_INTERVAL_MS);
        await updateStatus();
      }
      if (status.toLowerCase() !== "succeeded") {
        throw failure(latestRaw);
      }

      let finalUrl: string | undefined;
      if (mode === "async-operation") {
        const resourceLocation = (latest.json as { resourceLocation?: unknown } | undefined)
          ?.resourceLocation;
        if (typeof resourceLocation === "string" && resourceLocation) {
          finalUrl = resourceLocation;
        } else if (request.method === "PUT" || request.method === "PATCH") {
          finalUrl = requestUrl;
        } else if (request.method === "POST" && locationUrl) {
          finalUrl = locationUrl;
        }
      }
      if (finalUrl) {
        await poll(finalUrl);
      }
    } catch (error) {
      const statusCode = (error as { statusCode?: unknown }).statusCode;
      if (options.notFoundMeansDeleted && statusCode === 404) {
        return undefined;
      }
      throw error;
    }

    return latest.bodyText === "" ? undefined : { ...latest, polled: latest !== initial };
  }

  return { subscriptionId: connection.subscriptionId, endpoint, send, listAll, longRunning };
}
