import type { DataObject } from './moref.js';
import { MoRef } from './moref.js';

/**
 * A vSphere fault thrown by a managed object method. `type` is the wire name of the fault data
 * type (InvalidPowerState, ManagedObjectNotFound, ...) and `props` its properties.
 */
export class VimFault extends Error {
  constructor(
    readonly type: string,
    readonly props: DataObject = {},
    message?: string,
  ) {
    super(message ?? type);
    this.name = 'VimFault';
  }

  /** `true` for faults the server blames on a malformed request (SOAP ClientFaultCode). */
  clientFault = false;
}

export const faults = {
  notAuthenticated: (object?: MoRef, privilegeId = 'System.View') =>
    new VimFault('NotAuthenticated', { object, privilegeId }, 'The session is not authenticated.'),
  invalidLogin: () => new VimFault('InvalidLogin', {}, 'Cannot complete login due to an incorrect user name or password.'),
  managedObjectNotFound: (obj: MoRef) =>
    new VimFault('ManagedObjectNotFound', { obj }, `The object '${obj.type}:${obj.value}' has already been deleted or has not been completely created`),
  methodNotFound: (receiver: MoRef, method: string) =>
    new VimFault('MethodNotFound', { receiver, method }, `Method ${method} not found on ${receiver.type}`),
  invalidArgument: (invalidProperty?: string, message?: string) =>
    new VimFault('InvalidArgument', { invalidProperty }, message ?? `A specified parameter was not correct: ${invalidProperty ?? ''}`),
  invalidRequest: (message: string) => new VimFault('InvalidRequest', {}, message),
  invalidProperty: (name: string) => new VimFault('InvalidProperty', { name }, `Invalid property: ${name}`),
  invalidType: (argument: string) => new VimFault('InvalidType', { argument }, `Invalid type: ${argument}`),
  notFound: (message = 'The object or item referred to could not be found.') => new VimFault('NotFound', {}, message),
  invalidCollectorVersion: () => new VimFault('InvalidCollectorVersion', {}, 'The collector version is invalid.'),
  requestCanceled: () => new VimFault('RequestCanceled', {}, 'The task was canceled by a user.'),
  notSupported: () => new VimFault('NotSupported', {}, 'The operation is not supported on the object.'),
  invalidState: (message = 'The operation is not allowed in the current state.') => new VimFault('InvalidState', {}, message),
  duplicateName: (name: string, object: MoRef) =>
    new VimFault('DuplicateName', { name, object }, `The name '${name}' already exists.`),
  invalidName: (name: string, entity?: MoRef) => new VimFault('InvalidName', { name, entity }, `The name '${name}' is invalid.`),
  noPermission: (object: MoRef, privilegeId: string) =>
    new VimFault('NoPermission', { object, privilegeId }, `Permission to perform this operation was denied.`),
  /** A malformed request: answered with ClientFaultCode and no fault detail the client could decode as a vim fault. */
  client: (message: string) => {
    const fault = new VimFault('InvalidRequest', {}, message);
    fault.clientFault = true;
    return fault;
  },
};
