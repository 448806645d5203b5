/**
 * A refusal of one of the newer REST services' stores (cluster modules, zones, appliance, data
 * sets, namespaces, ...), with the vAPI standard error kind it goes out as. models/ knows nothing
 * of HTTP: simulator/rest/errors.ts turns it into the wire form.
 */
export type ServiceErrorKind =
  | 'already_exists'
  | 'invalid_argument'
  | 'not_allowed_in_current_state'
  | 'not_found'
  | 'resource_in_use'
  | 'unauthorized'
  | 'unsupported';

export class ServiceError extends Error {
  constructor(
    readonly kind: ServiceErrorKind,
    readonly id: string,
    message: string,
    readonly args: string[] = [],
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** Throws the refusal. */
export function refuse(kind: ServiceErrorKind, id: string, message: string, args: string[] = []): never {
  throw new ServiceError(kind, id, message, args);
}
