/**
 * vAPI standard errors (`com.vmware.vapi.std.errors.*`): what a REST handler throws, and the HTTP
 * status each one goes out with.
 */
import { VimFault } from '../../models/core/fault.js';
import { typeTable } from '../../models/core/type-table.js';
import { ServiceError } from '../../models/rest/service-error.js';

export interface LocalizableMessage {
  id: string;
  default_message: string;
  args: string[];
}

/** The standard error types the simulator raises (the short names of the vAPI error structures). */
export type VapiErrorKind =
  | 'already_exists'
  | 'already_in_desired_state'
  | 'concurrent_change'
  | 'error'
  | 'internal_server_error'
  | 'invalid_argument'
  | 'invalid_element_type'
  | 'invalid_request'
  | 'not_allowed_in_current_state'
  | 'not_found'
  | 'resource_busy'
  | 'resource_in_use'
  | 'service_unavailable'
  | 'unable_to_allocate_resource'
  | 'unauthenticated'
  | 'unauthorized'
  | 'unsupported';

/**
 * The status vCenter's vAPI endpoint answers each error with. These follow the vAPI runtime's
 * error-to-HTTP table (and the REST programming guide): creation conflicts and "resource in use"
 * are 400, not 409; only concurrent_change is 409. An error type missing from that table is a 500.
 */
const statusOf: Record<VapiErrorKind, number> = {
  already_exists: 400,
  already_in_desired_state: 400,
  concurrent_change: 409,
  error: 500,
  internal_server_error: 500,
  invalid_argument: 400,
  invalid_element_type: 400,
  invalid_request: 400,
  not_allowed_in_current_state: 400,
  not_found: 404,
  resource_busy: 400,
  resource_in_use: 400,
  service_unavailable: 503,
  unable_to_allocate_resource: 400,
  unauthenticated: 401,
  unauthorized: 403,
  unsupported: 400,
};

/** A vAPI standard error: thrown by handlers, encoded by the flavour of the request. */
export class VapiError extends Error {
  /** For `unauthenticated`: the `WWW-Authenticate` challenge (RFC 7235) other than vCenter's Basic one. */
  challenge?: string;

  constructor(
    readonly kind: VapiErrorKind,
    readonly messages: LocalizableMessage[],
    /** Overrides the kind's status (an HTTP-level failure such as 413 reported in vAPI form). */
    readonly statusOverride?: number,
  ) {
    super(messages[0]?.default_message ?? kind);
    this.name = 'VapiError';
  }

  get status(): number {
    return this.statusOverride ?? statusOf[this.kind];
  }
}

export function message(id: string, defaultMessage: string, args: string[] = []): LocalizableMessage {
  return { id, default_message: defaultMessage, args };
}

function error(kind: VapiErrorKind, id: string, defaultMessage: string, args: string[] = []): VapiError {
  return new VapiError(kind, [message(id, defaultMessage, args)]);
}

export const vapiErrors = {
  authenticationRequired: () =>
    error('unauthenticated', 'com.vmware.vapi.endpoint.method.authentication.required', 'Authentication required.'),
  invalidCredentials: () =>
    error('unauthenticated', 'com.vmware.vapi.endpoint.failedToLoginInvalidCredentials', 'Unable to authenticate user: invalid user name or password.'),
  /** A SAML token that is not ours, tampered with, expired, or (holder-of-key) a request its key did not sign. */
  invalidToken: () => error('unauthenticated', 'com.vmware.vapi.endpoint.failedToLoginInvalidToken', 'Unable to authenticate user: invalid or expired SAML token.'),
  routeNotFound: () => error('not_found', 'com.vmware.vapi.rest.httpNotFound', 'Not found.'),
  operationNotFound: (action: string) =>
    error('not_found', 'com.vmware.vapi.rest.operation_not_found', `Operation '${action}' not found.`, [action]),
  invalidJson: (detail: string) =>
    error('invalid_argument', 'com.vmware.vapi.rest.invalid_json_content', `Invalid JSON in the request body: ${detail}`, [detail]),
  invalidField: (field: string, detail: string) =>
    error('invalid_argument', 'com.vmware.vapi.rest.invalid_field', `Invalid value for field '${field}': ${detail}`, [field, detail]),
  /** An identifier that names no object of the expected kind (`vm-999`, or a host id given as a VM). */
  notFound: (kind: string, label: string, id: string) =>
    error('not_found', `com.vmware.api.vcenter.${kind}.not_found`, `${label} with identifier '${id}' does not exist.`, [id]),
  /** vCenter's list operations refuse to answer with more than their limit rather than truncate. */
  tooManyMatches: (kind: string, label: string) =>
    error('unable_to_allocate_resource', `com.vmware.api.vcenter.${kind}.too_many_matches`, `Too many ${label}. Add more filter criteria to reduce the number.`),
  /** RFC 6750 §3.1: a bearer token that is malformed, forged, tampered with, expired or revoked. */
  invalidBearerToken: () =>
    Object.assign(error('unauthenticated', 'com.vmware.vapi.endpoint.invalid_token', 'The access token is invalid, expired or revoked.'), {
      challenge: 'Bearer realm="VAPI endpoint", error="invalid_token", error_description="The access token is invalid, expired or revoked"',
    }),
  internal: () => error('error', 'com.vmware.vapi.rest.internal_error', 'Internal error.'),
  unsupportedMediaType: (contentType: string) =>
    new VapiError('invalid_request', [message('com.vmware.vapi.rest.unsupported_media_type', `Unsupported content type '${contentType.slice(0, 100)}': the body must be application/json.`, [contentType.slice(0, 100)])], 415),
};

/** vSphere faults raised by the model, as the vAPI error vCenter reports for them. */
const kindOfFault: Record<string, VapiErrorKind> = {
  ManagedObjectNotFound: 'not_found',
  NotFound: 'not_found',
  InvalidArgument: 'invalid_argument',
  InvalidRequest: 'invalid_argument',
  NotAuthenticated: 'unauthenticated',
  InvalidLogin: 'unauthenticated',
  NoPermission: 'unauthorized',
  InvalidState: 'not_allowed_in_current_state',
  InvalidPowerState: 'not_allowed_in_current_state',
  DuplicateName: 'already_exists',
  AlreadyExists: 'already_exists',
  ResourceInUse: 'resource_in_use',
  NotSupported: 'unsupported',
  InsufficientResourcesFault: 'unable_to_allocate_resource',
};

/** The error of the fault type's nearest mapped ancestor (InvalidPowerState's own, a DuplicateName's subtypes'). */
function kindOf(faultType: string): VapiErrorKind {
  for (const type of [faultType, ...typeTable().ancestry(faultType)]) {
    const kind = kindOfFault[type];
    if (kind) return kind;
  }
  return 'error';
}

/** Any error a handler let escape, as a VapiError; the ones that are bugs of ours are reported (`report`), never shown. */
export function asVapiError(thrown: unknown, report: (error: unknown) => void = (e) => console.error('vcenter-sim: internal error while serving a REST call:', e)): VapiError {
  if (thrown instanceof VapiError) return thrown;
  if (thrown instanceof ServiceError) return error(thrown.kind, thrown.id, thrown.message, thrown.args);
  if (thrown instanceof VimFault) {
    const kind = kindOf(thrown.type);
    return error(kind, `com.vmware.vim.fault.${thrown.type}`, thrown.message);
  }
  report(thrown);
  return vapiErrors.internal();
}
