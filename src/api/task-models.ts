// The Task model of az's SDK (azure-mgmt-containerregistry 10.0.0, api 2019-06-01-preview) as
// far as a request needs it: which fields exist, in which order msrest writes them, which are
// read-only, and the client-side checks msrest runs before sending.
//
// Two uses: `task timer remove` sends back the whole task it read (az re-serialises the model,
// so unknown keys, read-only fields and nulls disappear), and every task PUT is validated the
// way msrest validates it, with msrest's messages.

import { CliError } from "../cli/errors.js";

type FieldType =
  | "scalar"
  | "int"
  | { model: string }
  | { list: string }
  | { map: string }
  | "list-of-scalars"
  | "map-of-scalars";

interface Field {
  /** Python attribute name, as msrest names it in validation messages. */
  attribute: string;
  /** Wire key; `properties.x` for the flattened envelope. */
  key: string;
  type: FieldType;
  readonly?: true;
  required?: true;
  minimum?: number;
  maximum?: number;
}

const f = (
  attribute: string,
  key: string,
  type: FieldType = "scalar",
  rules: Omit<Field, "attribute" | "key" | "type"> = {},
): Field => ({ attribute, key, type, ...rules });

const STEP_BASE: Field[] = [
  f("type", "type", "scalar", { required: true }),
  f(
    "base_image_dependencies",
    "baseImageDependencies",
    { list: "BaseImageDependency" },
    { readonly: true },
  ),
  f("context_path", "contextPath"),
  f("context_access_token", "contextAccessToken"),
];

const MODELS: Record<string, Field[]> = {
  Task: [
    f("id", "id", "scalar", { readonly: true }),
    f("name", "name", "scalar", { readonly: true }),
    f("type", "type", "scalar", { readonly: true }),
    f("location", "location", "scalar", { required: true }),
    f("tags", "tags", "map-of-scalars"),
    f("system_data", "systemData", { model: "SystemData" }, { readonly: true }),
    f("identity", "identity", { model: "IdentityProperties" }),
    f("provisioning_state", "properties.provisioningState", "scalar", { readonly: true }),
    f("creation_date", "properties.creationDate", "scalar", { readonly: true }),
    f("status", "properties.status"),
    f("platform", "properties.platform", { model: "PlatformProperties" }),
    f("agent_configuration", "properties.agentConfiguration", { model: "AgentProperties" }),
    f("agent_pool_name", "properties.agentPoolName"),
    f("timeout", "properties.timeout", "int", { minimum: 300, maximum: 28800 }),
    f("step", "properties.step", { model: "TaskStepProperties" }),
    f("trigger", "properties.trigger", { model: "TriggerProperties" }),
    f("credentials", "properties.credentials", { model: "Credentials" }),
    f("log_template", "properties.logTemplate"),
    f("is_system_task", "properties.isSystemTask"),
  ],
  SystemData: [],
  IdentityProperties: [
    f("principal_id", "principalId"),
    f("tenant_id", "tenantId"),
    f("type", "type"),
    f("user_assigned_identities", "userAssignedIdentities", { map: "UserIdentityProperties" }),
  ],
  UserIdentityProperties: [f("principal_id", "principalId"), f("client_id", "clientId")],
  PlatformProperties: [
    f("os", "os", "scalar", { required: true }),
    f("architecture", "architecture"),
    f("variant", "variant"),
  ],
  AgentProperties: [f("cpu", "cpu", "int")],
  TaskStepProperties: STEP_BASE,
  DockerBuildStep: [
    ...STEP_BASE,
    f("image_names", "imageNames", "list-of-scalars"),
    f("is_push_enabled", "isPushEnabled"),
    f("no_cache", "noCache"),
    f("docker_file_path", "dockerFilePath", "scalar", { required: true }),
    f("target", "target"),
    f("arguments", "arguments", { list: "Argument" }),
  ],
  FileTaskStep: [
    ...STEP_BASE,
    f("task_file_path", "taskFilePath", "scalar", { required: true }),
    f("values_file_path", "valuesFilePath"),
    f("values", "values", { list: "SetValue" }),
  ],
  EncodedTaskStep: [
    ...STEP_BASE,
    f("encoded_task_content", "encodedTaskContent", "scalar", { required: true }),
    f("encoded_values_content", "encodedValuesContent"),
    f("values", "values", { list: "SetValue" }),
  ],
  BaseImageDependency: [],
  Argument: [
    f("name", "name", "scalar", { required: true }),
    f("value", "value", "scalar", { required: true }),
    f("is_secret", "isSecret"),
  ],
  SetValue: [
    f("name", "name", "scalar", { required: true }),
    f("value", "value", "scalar", { required: true }),
    f("is_secret", "isSecret"),
  ],
  TriggerProperties: [
    f("timer_triggers", "timerTriggers", { list: "TimerTrigger" }),
    f("source_triggers", "sourceTriggers", { list: "SourceTrigger" }),
    f("base_image_trigger", "baseImageTrigger", { model: "BaseImageTrigger" }),
  ],
  TimerTrigger: [
    f("schedule", "schedule", "scalar", { required: true }),
    f("status", "status"),
    f("name", "name", "scalar", { required: true }),
  ],
  SourceTrigger: [
    f("source_repository", "sourceRepository", { model: "SourceProperties" }, { required: true }),
    f("source_trigger_events", "sourceTriggerEvents", "list-of-scalars", { required: true }),
    f("status", "status"),
    f("name", "name", "scalar", { required: true }),
  ],
  SourceProperties: [
    f("source_control_type", "sourceControlType", "scalar", { required: true }),
    f("repository_url", "repositoryUrl", "scalar", { required: true }),
    f("branch", "branch"),
    f("source_control_auth_properties", "sourceControlAuthProperties", { model: "AuthInfo" }),
  ],
  AuthInfo: [
    f("token_type", "tokenType", "scalar", { required: true }),
    f("token", "token", "scalar", { required: true }),
    f("refresh_token", "refreshToken"),
    f("scope", "scope"),
    f("expires_in", "expiresIn", "int"),
  ],
  BaseImageTrigger: [
    f("base_image_trigger_type", "baseImageTriggerType", "scalar", { required: true }),
    f("update_trigger_endpoint", "updateTriggerEndpoint"),
    f("update_trigger_payload_type", "updateTriggerPayloadType"),
    f("status", "status"),
    f("name", "name", "scalar", { required: true }),
  ],
  Credentials: [
    f("source_registry", "sourceRegistry", { model: "SourceRegistryCredentials" }),
    f("custom_registries", "customRegistries", { map: "CustomRegistryCredentials" }),
  ],
  SourceRegistryCredentials: [f("login_mode", "loginMode")],
  CustomRegistryCredentials: [
    f("user_name", "userName", { model: "SecretObject" }),
    f("password", "password", { model: "SecretObject" }),
    f("identity", "identity"),
  ],
  SecretObject: [f("value", "value"), f("type", "type")],
};

const STEP_SUBTYPES: Record<string, string> = {
  Docker: "DockerBuildStep",
  FileTask: "FileTaskStep",
  EncodedTask: "EncodedTaskStep",
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The model msrest deserialises `value` into: the step's subtype comes from its `type`. */
function modelOf(name: string, value: Json): string {
  if (name === "TaskStepProperties" && typeof value.type === "string") {
    return STEP_SUBTYPES[value.type] ?? name;
  }
  return name;
}

function read(value: Json, key: string): unknown {
  let current: unknown = value;
  for (const part of key.split(".")) {
    current = isObject(current) ? current[part] : undefined;
  }
  return current;
}

function write(target: Json, key: string, value: unknown): void {
  const parts = key.split(".");
  let current = target;
  for (const part of parts.slice(0, -1)) {
    if (!isObject(current[part])) {
      current[part] = {};
    }
    current = current[part] as Json;
  }
  current[parts[parts.length - 1]] = value;
}

/** msrest's int deserialisation; other scalars pass as they are. */
function integer(value: unknown): unknown {
  if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) {
    return Number.parseInt(value, 10);
  }
  return value;
}

/** Serialises `value` as model `name` the way msrest writes a request body. */
function serialize(name: string, value: Json): Json {
  const model = modelOf(name, value);
  const output: Json = {};

  for (const field of MODELS[model]) {
    if (field.readonly) {
      continue;
    }
    const member = read(value, field.key);
    if (member === null || member === undefined) {
      continue;
    }
    write(output, field.key, serializeValue(field.type, member));
  }

  return output;
}

function serializeValue(type: FieldType, value: unknown): unknown {
  if (type === "int") {
    return integer(value);
  }
  if (type === "scalar" || type === "list-of-scalars" || type === "map-of-scalars") {
    return value;
  }
  if ("model" in type) {
    return isObject(value) ? serialize(type.model, value) : value;
  }
  if ("list" in type) {
    return Array.isArray(value)
      ? value.map((item) => (isObject(item) ? serialize(type.list, item) : item))
      : value;
  }
  return isObject(value)
    ? Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          isObject(item) ? serialize(type.map, item) : item,
        ]),
      )
    : value;
}

/** The first error msrest's client-side validation finds in `value` as model `name`. */
function firstValidationError(name: string, value: Json): string | undefined {
  const model = modelOf(name, value);

  for (const field of MODELS[model]) {
    const member = read(value, field.key);
    const target = `'${model}.${field.attribute}'`;

    if (member === null || member === undefined) {
      if (field.required) {
        return `Parameter ${target} can not be None.`;
      }
      continue;
    }
    const number = field.type === "int" ? integer(member) : member;
    if (field.minimum !== undefined && typeof number === "number" && number < field.minimum) {
      return `Parameter ${target} must be equal to or greater than ${field.minimum}.`;
    }
    if (field.maximum !== undefined && typeof number === "number" && number > field.maximum) {
      return `Parameter ${target} must be equal to or less than ${field.maximum}.`;
    }

    const nested = nestedError(field.type, member);
    if (nested !== undefined) {
      return nested;
    }
  }
  return undefined;
}

function nestedError(type: FieldType, value: unknown): string | undefined {
  if (typeof type === "string") {
    return undefined;
  }
  const items =
    "model" in type
      ? [value]
      : "list" in type
        ? Array.isArray(value)
          ? value
          : []
        : isObject(value)
          ? Object.values(value)
          : [];
  const modelName = "model" in type ? type.model : "list" in type ? type.list : type.map;

  for (const item of items) {
    if (isObject(item)) {
      const error = firstValidationError(modelName, item);
      if (error !== undefined) {
        return error;
      }
    }
  }
  return undefined;
}

/** A step read from the service, written back as msrest writes the model it became. */
export function stepBody(step: Json): Json {
  return serialize("TaskStepProperties", step);
}

/** Fails as az does when msrest would refuse to send `task` (e.g. a timeout out of range). */
export function validateTask(task: Json): void {
  const error = firstValidationError("Task", task);
  if (error !== undefined) {
    throw new CliError(error);
  }
}

/**
 * The body az PUTs when it sends back a task it read: the model's writable fields in model
 * order, without nulls, unknown keys or read-only fields. Validated first, as msrest does.
 */
export function taskPutBody(task: Json): Json {
  validateTask(task);
  return serialize("Task", task);
}
