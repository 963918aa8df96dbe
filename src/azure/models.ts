// The models az 2.45 deserialises ACR Tasks answers into (azure-mgmt-containerregistry 10.0.0,
// API 2019-06-01-preview, and the registry of 2022-02-01-preview), described attribute by
// attribute in the SDK's declaration order: that order is the key order of az's dict, which
// `--query … -o table` shows.

export type FieldType =
  | "str"
  | "int"
  | "bool"
  | "datetime"
  | "object"
  | { list: FieldType }
  | { dict: FieldType }
  | { model: ModelName };

export interface Attribute {
  /** The key of az's dict. */
  name: string;
  /** The wire path: `properties.x` for attributes flattened out of the ARM envelope. */
  wireKey: string;
  type: FieldType;
}

export interface ModelSchema {
  attributes: readonly Attribute[];
  /** For a polymorphic base: the `type` values and the model each selects. */
  subtypes?: Readonly<Record<string, ModelName>>;
}

export type ModelName =
  | "Task"
  | "SystemData"
  | "IdentityProperties"
  | "UserIdentityProperties"
  | "PlatformProperties"
  | "AgentProperties"
  | "TaskStepProperties"
  | "DockerBuildStep"
  | "FileTaskStep"
  | "EncodedTaskStep"
  | "BaseImageDependency"
  | "Argument"
  | "SetValue"
  | "TriggerProperties"
  | "TimerTrigger"
  | "SourceTrigger"
  | "SourceProperties"
  | "AuthInfo"
  | "BaseImageTrigger"
  | "Credentials"
  | "SourceRegistryCredentials"
  | "CustomRegistryCredentials"
  | "SecretObject"
  | "Run"
  | "ImageDescriptor"
  | "ImageUpdateTrigger"
  | "SourceTriggerDescriptor"
  | "TimerTriggerDescriptor"
  | "TaskRun"
  | "RunRequest"
  | "DockerBuildRequest"
  | "FileTaskRunRequest"
  | "EncodedTaskRunRequest"
  | "TaskRunRequest"
  | "OverrideTaskStepProperties"
  | "SourceUploadDefinition"
  | "RunGetLogResult"
  | "Registry"
  | "Sku"
  | "Status"
  | "NetworkRuleSet"
  | "IPRule"
  | "Policies"
  | "QuarantinePolicy"
  | "TrustPolicy"
  | "RetentionPolicy"
  | "ExportPolicy"
  | "AzureADAuthenticationAsArmPolicy"
  | "SoftDeletePolicy"
  | "EncryptionProperty"
  | "KeyVaultProperties"
  | "PrivateEndpointConnection"
  | "PrivateEndpoint"
  | "PrivateLinkServiceConnectionState";

const model = (name: ModelName): FieldType => ({ model: name });
const listOf = (type: FieldType): FieldType => ({ list: type });
const dictOf = (type: FieldType): FieldType => ({ dict: type });

/** An attribute read from the wire key of the same name. */
function at(name: string, type: FieldType = "str"): Attribute {
  return { name, wireKey: name, type };
}

/** An attribute flattened out of the ARM `properties` envelope. */
function inProperties(name: string, type: FieldType = "str"): Attribute {
  return { name, wireKey: `properties.${name}`, type };
}

const SYSTEM_DATA = at("systemData", model("SystemData"));

const RESOURCE = [
  at("id"),
  at("name"),
  at("type"),
  at("location"),
  at("tags", dictOf("str")),
  SYSTEM_DATA,
];

const PROXY_RESOURCE = [at("id"), at("name"), at("type"), SYSTEM_DATA];

const STEP_BASE = [
  at("type"),
  at("baseImageDependencies", listOf(model("BaseImageDependency"))),
  at("contextPath"),
  at("contextAccessToken"),
];

const RUN_REQUEST_BASE = [
  at("type"),
  at("isArchiveEnabled", "bool"),
  at("agentPoolName"),
  at("logTemplate"),
];

const RUN_REQUEST_TAIL = [
  at("timeout", "int"),
  at("platform", model("PlatformProperties")),
  at("agentConfiguration", model("AgentProperties")),
  at("sourceLocation"),
  at("credentials", model("Credentials")),
];

const ARGUMENTS = at("arguments", listOf(model("Argument")));
const VALUES = at("values", listOf(model("SetValue")));

const MODELS: Record<ModelName, ModelSchema> = {
  Task: {
    attributes: [
      ...RESOURCE,
      at("identity", model("IdentityProperties")),
      inProperties("provisioningState"),
      inProperties("creationDate", "datetime"),
      inProperties("status"),
      inProperties("platform", model("PlatformProperties")),
      inProperties("agentConfiguration", model("AgentProperties")),
      inProperties("agentPoolName"),
      inProperties("timeout", "int"),
      inProperties("step", model("TaskStepProperties")),
      inProperties("trigger", model("TriggerProperties")),
      inProperties("credentials", model("Credentials")),
      inProperties("logTemplate"),
      inProperties("isSystemTask", "bool"),
    ],
  },
  SystemData: {
    attributes: [
      at("createdBy"),
      at("createdByType"),
      at("createdAt", "datetime"),
      at("lastModifiedBy"),
      at("lastModifiedByType"),
      at("lastModifiedAt", "datetime"),
    ],
  },
  IdentityProperties: {
    attributes: [
      at("principalId"),
      at("tenantId"),
      at("type"),
      at("userAssignedIdentities", dictOf(model("UserIdentityProperties"))),
    ],
  },
  UserIdentityProperties: { attributes: [at("principalId"), at("clientId")] },
  PlatformProperties: { attributes: [at("os"), at("architecture"), at("variant")] },
  AgentProperties: { attributes: [at("cpu", "int")] },
  TaskStepProperties: {
    attributes: STEP_BASE,
    subtypes: {
      Docker: "DockerBuildStep",
      EncodedTask: "EncodedTaskStep",
      FileTask: "FileTaskStep",
    },
  },
  DockerBuildStep: {
    attributes: [
      ...STEP_BASE,
      at("imageNames", listOf("str")),
      at("isPushEnabled", "bool"),
      at("noCache", "bool"),
      at("dockerFilePath"),
      at("target"),
      ARGUMENTS,
    ],
  },
  FileTaskStep: {
    attributes: [...STEP_BASE, at("taskFilePath"), at("valuesFilePath"), VALUES],
  },
  EncodedTaskStep: {
    attributes: [...STEP_BASE, at("encodedTaskContent"), at("encodedValuesContent"), VALUES],
  },
  BaseImageDependency: {
    attributes: [at("type"), at("registry"), at("repository"), at("tag"), at("digest")],
  },
  Argument: { attributes: [at("name"), at("value"), at("isSecret", "bool")] },
  SetValue: { attributes: [at("name"), at("value"), at("isSecret", "bool")] },
  TriggerProperties: {
    attributes: [
      at("timerTriggers", listOf(model("TimerTrigger"))),
      at("sourceTriggers", listOf(model("SourceTrigger"))),
      at("baseImageTrigger", model("BaseImageTrigger")),
    ],
  },
  TimerTrigger: { attributes: [at("schedule"), at("status"), at("name")] },
  SourceTrigger: {
    attributes: [
      at("sourceRepository", model("SourceProperties")),
      at("sourceTriggerEvents", listOf("str")),
      at("status"),
      at("name"),
    ],
  },
  SourceProperties: {
    attributes: [
      at("sourceControlType"),
      at("repositoryUrl"),
      at("branch"),
      at("sourceControlAuthProperties", model("AuthInfo")),
    ],
  },
  AuthInfo: {
    attributes: [
      at("tokenType"),
      at("token"),
      at("refreshToken"),
      at("scope"),
      at("expiresIn", "int"),
    ],
  },
  BaseImageTrigger: {
    attributes: [
      at("baseImageTriggerType"),
      at("updateTriggerEndpoint"),
      at("updateTriggerPayloadType"),
      at("status"),
      at("name"),
    ],
  },
  Credentials: {
    attributes: [
      at("sourceRegistry", model("SourceRegistryCredentials")),
      at("customRegistries", dictOf(model("CustomRegistryCredentials"))),
    ],
  },
  SourceRegistryCredentials: { attributes: [at("loginMode")] },
  CustomRegistryCredentials: {
    attributes: [
      at("userName", model("SecretObject")),
      at("password", model("SecretObject")),
      at("identity"),
    ],
  },
  SecretObject: { attributes: [at("value"), at("type")] },
  Run: {
    attributes: [
      ...PROXY_RESOURCE,
      inProperties("runId"),
      inProperties("status"),
      inProperties("lastUpdatedTime", "datetime"),
      inProperties("runType"),
      inProperties("agentPoolName"),
      inProperties("createTime", "datetime"),
      inProperties("startTime", "datetime"),
      inProperties("finishTime", "datetime"),
      inProperties("outputImages", listOf(model("ImageDescriptor"))),
      inProperties("task"),
      inProperties("imageUpdateTrigger", model("ImageUpdateTrigger")),
      inProperties("sourceTrigger", model("SourceTriggerDescriptor")),
      inProperties("timerTrigger", model("TimerTriggerDescriptor")),
      inProperties("platform", model("PlatformProperties")),
      inProperties("agentConfiguration", model("AgentProperties")),
      inProperties("sourceRegistryAuth"),
      inProperties("customRegistries", listOf("str")),
      inProperties("runErrorMessage"),
      inProperties("updateTriggerToken"),
      inProperties("logArtifact", model("ImageDescriptor")),
      inProperties("provisioningState"),
      inProperties("isArchiveEnabled", "bool"),
    ],
  },
  ImageDescriptor: {
    attributes: [at("registry"), at("repository"), at("tag"), at("digest")],
  },
  ImageUpdateTrigger: {
    attributes: [
      at("id"),
      at("timestamp", "datetime"),
      at("images", listOf(model("ImageDescriptor"))),
    ],
  },
  SourceTriggerDescriptor: {
    attributes: [
      at("id"),
      at("eventType"),
      at("commitId"),
      at("pullRequestId"),
      at("repositoryUrl"),
      at("branchName"),
      at("providerType"),
    ],
  },
  TimerTriggerDescriptor: { attributes: [at("timerTriggerName"), at("scheduleOccurrence")] },
  TaskRun: {
    attributes: [
      ...PROXY_RESOURCE,
      at("identity", model("IdentityProperties")),
      at("location"),
      inProperties("provisioningState"),
      inProperties("runRequest", model("RunRequest")),
      inProperties("runResult", model("Run")),
      inProperties("forceUpdateTag"),
    ],
  },
  RunRequest: {
    attributes: RUN_REQUEST_BASE,
    subtypes: {
      DockerBuildRequest: "DockerBuildRequest",
      EncodedTaskRunRequest: "EncodedTaskRunRequest",
      FileTaskRunRequest: "FileTaskRunRequest",
      TaskRunRequest: "TaskRunRequest",
    },
  },
  DockerBuildRequest: {
    attributes: [
      ...RUN_REQUEST_BASE,
      at("imageNames", listOf("str")),
      at("isPushEnabled", "bool"),
      at("noCache", "bool"),
      at("dockerFilePath"),
      at("target"),
      ARGUMENTS,
      ...RUN_REQUEST_TAIL,
    ],
  },
  FileTaskRunRequest: {
    attributes: [
      ...RUN_REQUEST_BASE,
      at("taskFilePath"),
      at("valuesFilePath"),
      VALUES,
      ...RUN_REQUEST_TAIL,
    ],
  },
  EncodedTaskRunRequest: {
    attributes: [
      ...RUN_REQUEST_BASE,
      at("encodedTaskContent"),
      at("encodedValuesContent"),
      VALUES,
      ...RUN_REQUEST_TAIL,
    ],
  },
  TaskRunRequest: {
    attributes: [
      ...RUN_REQUEST_BASE,
      at("taskId"),
      at("overrideTaskStepProperties", model("OverrideTaskStepProperties")),
    ],
  },
  OverrideTaskStepProperties: {
    attributes: [
      at("contextPath"),
      at("file"),
      ARGUMENTS,
      at("target"),
      VALUES,
      at("updateTriggerToken"),
    ],
  },
  SourceUploadDefinition: { attributes: [at("uploadUrl"), at("relativePath")] },
  RunGetLogResult: { attributes: [at("logLink"), at("logArtifactLink")] },
  // The registry of API 2022-02-01-preview, which az reads to resolve `-r`.
  Registry: {
    attributes: [
      ...RESOURCE,
      at("sku", model("Sku")),
      at("identity", model("IdentityProperties")),
      inProperties("loginServer"),
      inProperties("creationDate", "datetime"),
      inProperties("provisioningState"),
      inProperties("status", model("Status")),
      inProperties("adminUserEnabled", "bool"),
      inProperties("networkRuleSet", model("NetworkRuleSet")),
      inProperties("policies", model("Policies")),
      inProperties("encryption", model("EncryptionProperty")),
      inProperties("dataEndpointEnabled", "bool"),
      inProperties("dataEndpointHostNames", listOf("str")),
      inProperties("privateEndpointConnections", listOf(model("PrivateEndpointConnection"))),
      inProperties("publicNetworkAccess"),
      inProperties("networkRuleBypassOptions"),
      inProperties("zoneRedundancy"),
      inProperties("anonymousPullEnabled", "bool"),
    ],
  },
  Sku: { attributes: [at("name"), at("tier")] },
  Status: { attributes: [at("displayStatus"), at("message"), at("timestamp", "datetime")] },
  NetworkRuleSet: {
    attributes: [at("defaultAction"), at("ipRules", listOf(model("IPRule")))],
  },
  // The one attribute whose az name differs from its wire name.
  IPRule: {
    attributes: [at("action"), { name: "ipAddressOrRange", wireKey: "value", type: "str" }],
  },
  Policies: {
    attributes: [
      at("quarantinePolicy", model("QuarantinePolicy")),
      at("trustPolicy", model("TrustPolicy")),
      at("retentionPolicy", model("RetentionPolicy")),
      at("exportPolicy", model("ExportPolicy")),
      at("azureADAuthenticationAsArmPolicy", model("AzureADAuthenticationAsArmPolicy")),
      at("softDeletePolicy", model("SoftDeletePolicy")),
    ],
  },
  QuarantinePolicy: { attributes: [at("status")] },
  TrustPolicy: { attributes: [at("type"), at("status")] },
  RetentionPolicy: {
    attributes: [at("days", "int"), at("lastUpdatedTime", "datetime"), at("status")],
  },
  ExportPolicy: { attributes: [at("status")] },
  AzureADAuthenticationAsArmPolicy: { attributes: [at("status")] },
  SoftDeletePolicy: {
    attributes: [at("retentionDays", "int"), at("lastUpdatedTime", "datetime"), at("status")],
  },
  EncryptionProperty: {
    attributes: [at("status"), at("keyVaultProperties", model("KeyVaultProperties"))],
  },
  KeyVaultProperties: {
    attributes: [
      at("keyIdentifier"),
      at("versionedKeyIdentifier"),
      at("identity"),
      at("keyRotationEnabled", "bool"),
      at("lastKeyRotationTimestamp", "datetime"),
    ],
  },
  PrivateEndpointConnection: {
    attributes: [
      ...PROXY_RESOURCE,
      inProperties("privateEndpoint", model("PrivateEndpoint")),
      inProperties("privateLinkServiceConnectionState", model("PrivateLinkServiceConnectionState")),
      inProperties("provisioningState"),
    ],
  },
  PrivateEndpoint: { attributes: [at("id")] },
  PrivateLinkServiceConnectionState: {
    attributes: [at("status"), at("description"), at("actionsRequired")],
  },
};

export const models: Readonly<Record<ModelName, ModelSchema>> = MODELS;

export function isModelName(name: string): name is ModelName {
  return Object.prototype.hasOwnProperty.call(MODELS, name);
}
