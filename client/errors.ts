/**
 * One error type for everything the client can fail with: a vSphere fault (SOAP), a vAPI error
 * (REST), a failed task, an HTTP status, a transport failure. Each gets a stable `code` from the
 * tables below (exported as data so vcctl can map code families to exit codes) and `retryable`.
 */
import { vimTypes } from './type-info.js';
import type { MoRef } from './vim25.js';

export type ErrorFamily =
  | 'not_found' | 'auth' | 'permission' | 'state' | 'argument' | 'resources' | 'conflict'
  | 'task' | 'transient' | 'transport' | 'unsupported' | 'fault';

export interface ErrorCodeInfo {
  family: ErrorFamily;
  /** Whether a later identical call may succeed (the client retries these when asked to). */
  retryable: boolean;
  description: string;
}

/** Every code the client gives, with its family. Stable: codes are added, never renamed. */
export const errorCodes = {
  NOT_FOUND: { family: 'not_found', retryable: false, description: 'the object or item does not exist' },
  VM_NOT_FOUND: { family: 'not_found', retryable: false, description: 'ManagedObjectNotFound of a VirtualMachine' },
  HOST_NOT_FOUND: { family: 'not_found', retryable: false, description: 'ManagedObjectNotFound of a HostSystem' },
  CLUSTER_NOT_FOUND: { family: 'not_found', retryable: false, description: 'ManagedObjectNotFound of a ClusterComputeResource' },
  DATACENTER_NOT_FOUND: { family: 'not_found', retryable: false, description: 'ManagedObjectNotFound of a Datacenter' },
  DATASTORE_NOT_FOUND: { family: 'not_found', retryable: false, description: 'ManagedObjectNotFound of a Datastore' },
  NETWORK_NOT_FOUND: { family: 'not_found', retryable: false, description: 'ManagedObjectNotFound of a Network, portgroup or switch' },
  FOLDER_NOT_FOUND: { family: 'not_found', retryable: false, description: 'ManagedObjectNotFound of a Folder' },
  RESOURCE_POOL_NOT_FOUND: { family: 'not_found', retryable: false, description: 'ManagedObjectNotFound of a ResourcePool or vApp' },
  SNAPSHOT_NOT_FOUND: { family: 'not_found', retryable: false, description: 'ManagedObjectNotFound of a VirtualMachineSnapshot' },
  TASK_NOT_FOUND: { family: 'not_found', retryable: false, description: 'ManagedObjectNotFound of a Task' },
  NOT_AUTHENTICATED: { family: 'auth', retryable: false, description: 'no session or the session expired (the client logs in again once by itself)' },
  INVALID_LOGIN: { family: 'auth', retryable: false, description: 'wrong user name, password, token or ticket' },
  NO_PERMISSION: { family: 'permission', retryable: false, description: 'the user lacks a privilege' },
  INVALID_POWER_STATE: { family: 'state', retryable: false, description: 'the VM is in the wrong power state' },
  INVALID_STATE: { family: 'state', retryable: false, description: 'the object is in a state that forbids the operation' },
  HOST_NOT_CONNECTED: { family: 'state', retryable: false, description: 'the host is disconnected or not responding' },
  BUSY: { family: 'transient', retryable: true, description: 'another task holds the object (TaskInProgress, resource_busy)' },
  CONCURRENT_MODIFICATION: { family: 'transient', retryable: true, description: 'the object changed under the call' },
  DUPLICATE_NAME: { family: 'conflict', retryable: false, description: 'the name is taken' },
  ALREADY_EXISTS: { family: 'conflict', retryable: false, description: 'the object already exists' },
  INVALID_ARGUMENT: { family: 'argument', retryable: false, description: 'a parameter is wrong (type, value, property path)' },
  NOT_SUPPORTED: { family: 'unsupported', retryable: false, description: 'the server does not offer the method or operation' },
  INSUFFICIENT_RESOURCES: { family: 'resources', retryable: false, description: 'not enough CPU, memory, disk space or licenses' },
  FILE_ERROR: { family: 'fault', retryable: false, description: 'a datastore file operation failed' },
  TASK_FAILED: { family: 'task', retryable: false, description: 'the task ended in error with a fault of no more specific code' },
  TASK_CANCELED: { family: 'task', retryable: false, description: 'the task or request was canceled' },
  TIMEOUT: { family: 'transient', retryable: true, description: 'no answer in time (a per-call timeout, Timedout, timed_out)' },
  RATE_LIMITED: { family: 'transient', retryable: true, description: 'HTTP 429' },
  UNAVAILABLE: { family: 'transient', retryable: true, description: 'HTTP 502/503/504, service_unavailable, HostCommunication' },
  CIRCUIT_OPEN: { family: 'transient', retryable: false, description: 'the endpoint failed repeatedly; calls fail fast until its probe succeeds' },
  TRANSPORT: { family: 'transport', retryable: true, description: 'the connection failed (refused, reset, closed early)' },
  TLS: { family: 'transport', retryable: false, description: 'the server certificate is not trusted or does not match the pinned thumbprint' },
  ABORTED: { family: 'transport', retryable: false, description: "the caller's AbortSignal fired" },
  HTTP_ERROR: { family: 'fault', retryable: false, description: 'an HTTP status with no SOAP fault or vAPI error' },
  PROTOCOL: { family: 'fault', retryable: false, description: 'the answer could not be decoded' },
  RUNTIME_FAULT: { family: 'fault', retryable: false, description: 'a RuntimeFault of no more specific code (SystemError, ...)' },
  FAULT: { family: 'fault', retryable: false, description: 'a vSphere fault or vAPI error of no more specific code' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof errorCodes;

/**
 * vSphere faults to codes: a fault takes the code of its nearest ancestor (itself first) listed
 * here, by the type table's fault hierarchy. ManagedObjectNotFound is refined by its `obj` type
 * (see `notFoundCodes`).
 */
export const faultCodes: Readonly<Record<string, ErrorCode>> = {
  ManagedObjectNotFound: 'NOT_FOUND',
  NotFound: 'NOT_FOUND',
  NotAuthenticated: 'NOT_AUTHENTICATED',
  InvalidLogin: 'INVALID_LOGIN',
  NoPermission: 'NO_PERMISSION',
  SecurityError: 'NO_PERMISSION',
  InvalidPowerState: 'INVALID_POWER_STATE',
  HostNotConnected: 'HOST_NOT_CONNECTED',
  InvalidState: 'INVALID_STATE',
  TaskInProgress: 'BUSY',
  ConcurrentAccess: 'CONCURRENT_MODIFICATION',
  DuplicateName: 'DUPLICATE_NAME',
  AlreadyExists: 'ALREADY_EXISTS',
  InvalidArgument: 'INVALID_ARGUMENT',
  InvalidRequest: 'INVALID_ARGUMENT',
  InvalidProperty: 'INVALID_ARGUMENT',
  InvalidType: 'INVALID_ARGUMENT',
  InvalidName: 'INVALID_ARGUMENT',
  OutOfBounds: 'INVALID_ARGUMENT',
  MethodNotFound: 'NOT_SUPPORTED',
  NotSupported: 'NOT_SUPPORTED',
  NotImplemented: 'NOT_SUPPORTED',
  InsufficientResourcesFault: 'INSUFFICIENT_RESOURCES',
  NoDiskSpace: 'INSUFFICIENT_RESOURCES',
  FileFault: 'FILE_ERROR',
  RequestCanceled: 'TASK_CANCELED',
  Timedout: 'TIMEOUT',
  HostCommunication: 'UNAVAILABLE',
  RuntimeFault: 'RUNTIME_FAULT',
  MethodFault: 'FAULT',
};

/** ManagedObjectNotFound's `obj.type` to its code; other types give NOT_FOUND. */
export const notFoundCodes: Readonly<Record<string, ErrorCode>> = {
  VirtualMachine: 'VM_NOT_FOUND',
  HostSystem: 'HOST_NOT_FOUND',
  ClusterComputeResource: 'CLUSTER_NOT_FOUND',
  Datacenter: 'DATACENTER_NOT_FOUND',
  Datastore: 'DATASTORE_NOT_FOUND',
  Network: 'NETWORK_NOT_FOUND',
  OpaqueNetwork: 'NETWORK_NOT_FOUND',
  DistributedVirtualPortgroup: 'NETWORK_NOT_FOUND',
  VmwareDistributedVirtualSwitch: 'NETWORK_NOT_FOUND',
  DistributedVirtualSwitch: 'NETWORK_NOT_FOUND',
  Folder: 'FOLDER_NOT_FOUND',
  ResourcePool: 'RESOURCE_POOL_NOT_FOUND',
  VirtualApp: 'RESOURCE_POOL_NOT_FOUND',
  VirtualMachineSnapshot: 'SNAPSHOT_NOT_FOUND',
  Task: 'TASK_NOT_FOUND',
};

/** vAPI standard errors (`com.vmware.vapi.std.errors.<name>`, by the short name) to codes. */
export const vapiErrorCodes: Readonly<Record<string, ErrorCode>> = {
  not_found: 'NOT_FOUND',
  unauthenticated: 'NOT_AUTHENTICATED',
  unauthorized: 'NO_PERMISSION',
  invalid_argument: 'INVALID_ARGUMENT',
  invalid_request: 'INVALID_ARGUMENT',
  already_exists: 'ALREADY_EXISTS',
  already_in_desired_state: 'INVALID_STATE',
  not_allowed_in_current_state: 'INVALID_STATE',
  resource_busy: 'BUSY',
  concurrent_change: 'CONCURRENT_MODIFICATION',
  unable_to_allocate_resource: 'INSUFFICIENT_RESOURCES',
  resource_in_use: 'INVALID_STATE',
  resource_inaccessible: 'UNAVAILABLE',
  service_unavailable: 'UNAVAILABLE',
  timed_out: 'TIMEOUT',
  canceled: 'TASK_CANCELED',
  operation_not_found: 'NOT_SUPPORTED',
  unsupported: 'NOT_SUPPORTED',
  unexpected_input: 'INVALID_ARGUMENT',
  feature_in_use: 'INVALID_STATE',
  internal_server_error: 'FAULT',
  error: 'FAULT',
};

/** HTTP statuses without a decodable fault or vAPI error. */
export const httpStatusCodes: Readonly<Record<number, ErrorCode>> = {
  401: 'NOT_AUTHENTICATED',
  403: 'NO_PERMISSION',
  404: 'NOT_FOUND',
  429: 'RATE_LIMITED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'UNAVAILABLE',
};

export interface VimErrorInit {
  code: ErrorCode;
  message: string;
  faultType?: string;
  /** The fault's properties as decoded (`_type` included), or the vAPI error's body. */
  fault?: Record<string, unknown>;
  /** Overrides the code's retryability (e.g. a timeout of a call whose effect may have happened). */
  retryable?: boolean;
  mayHaveExecuted?: boolean;
  status?: number;
  method?: string;
  task?: MoRef<'Task'>;
  retryAfterMs?: number;
  cause?: unknown;
}

export class VimError extends Error {
  override name = 'VimError';
  readonly code: ErrorCode;
  /** The vSphere fault type (`InvalidPowerState`) or the vAPI error type. */
  readonly faultType?: string;
  readonly fault?: Record<string, unknown>;
  readonly retryable: boolean;
  /**
   * True when the request was fully sent and no answer came back for a method that changes
   * state: the change may have happened, so the client did not retry it.
   */
  readonly mayHaveExecuted: boolean;
  readonly status?: number;
  /** The SOAP method or `HTTP-METHOD /path` that failed. */
  readonly method?: string;
  /** For a failed task: the task. */
  readonly task?: MoRef<'Task'>;
  /** For 429/503: the server's Retry-After, in ms. */
  readonly retryAfterMs?: number;

  constructor(init: VimErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.faultType = init.faultType;
    this.fault = init.fault;
    this.retryable = init.retryable ?? errorCodes[init.code].retryable;
    this.mayHaveExecuted = init.mayHaveExecuted ?? false;
    this.status = init.status;
    this.method = init.method;
    this.task = init.task;
    this.retryAfterMs = init.retryAfterMs;
  }

  get family(): ErrorFamily {
    return errorCodes[this.code].family;
  }

  /** What `JSON.stringify` shows (vcctl -o json): the message and every field, no stack. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      faultType: this.faultType,
      fault: this.fault,
      retryable: this.retryable,
      mayHaveExecuted: this.mayHaveExecuted,
      status: this.status,
      method: this.method,
      task: this.task,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

/** The code of a vSphere fault: its nearest mapped ancestor, ManagedObjectNotFound by `obj.type`. */
export function codeOfFault(faultType: string, fault?: Record<string, unknown>): ErrorCode {
  const types = vimTypes();
  const chain = types.isData(faultType) ? types.ancestry(faultType) : [faultType, 'MethodFault'];
  for (const type of chain) {
    const code = faultCodes[type];
    if (!code) continue;
    if (type === 'ManagedObjectNotFound') {
      const obj = fault?.obj as { type?: string } | undefined;
      return (obj?.type && notFoundCodes[obj.type]) || 'NOT_FOUND';
    }
    return code;
  }
  return 'FAULT';
}

/** A VimError for a decoded vSphere fault. */
export function faultError(faultType: string, message: string, fault: Record<string, unknown> | undefined, extra: Partial<VimErrorInit> = {}): VimError {
  return new VimError({ code: codeOfFault(faultType, fault), message: message || faultType, faultType, fault, ...extra });
}

/** The code of a vAPI error type (`com.vmware.vapi.std.errors.not_found` or `not_found`). */
export function codeOfVapiError(type: string): ErrorCode {
  const short = type.slice(type.lastIndexOf('.') + 1).toLowerCase();
  return vapiErrorCodes[short] ?? 'FAULT';
}
