import type { MoRef } from './moref.js';
import type { World } from './world.js';
import type { Session } from './session.js';

/** What a managed object method gets besides its arguments: the instance and the caller. */
export interface CallContext {
  vc: World;
  /** Absent only for the few methods vCenter serves before login. */
  session?: Session;
  /** The caller's address and user agent, for the sessions it logs in. */
  remote?: RemoteCaller;
  /** The API call being served, when one is (the task rules match on its api and path, and note on it the rules that fired). */
  call?: CallOrigin;
  /**
   * The subject (NameID) of the SAML token a LoginByToken call carries, set by the adapter once the
   * token's signature, window and (holder-of-key) the request's signature are checked.
   */
  samlSubject?: string;
}

/** Who is on the other end of the connection a call came on. */
export interface RemoteCaller {
  address: string;
  userAgent: string;
  /**
   * The DER bytes of the TLS client certificate the caller presented, if any. A function: only
   * the few methods that authenticate by certificate pay for reading it.
   */
  certificate?: () => Uint8Array | undefined;
}

/** What the task engine knows of the API call that starts a task (simulator/faults/call.ts's ApiCall is one). */
export interface CallOrigin {
  api: 'soap' | 'rest';
  path?: string;
  rules?: string[];
}

/**
 * Base of every managed object. vSphere properties are the object's own fields, named as in the
 * API (`name`, `runtime`, `childEntity`, ...), and API methods are methods named exactly as the
 * API's (`PowerOnVM_Task`), taking `(ctx, args)` with the arguments decoded by parameter name.
 * Internal state lives in fields whose names no vSphere property uses (`self`, `changeSeq`).
 */
export class ManagedObject {
  /** Set when the object is added to a registry. */
  self!: MoRef;
  /** Registry sequence number of the last change to this object's properties. */
  changeSeq = 0;
  /** Objects whose property values are computed from the inventory's shape (views) say so here. */
  readonly dependsOnStructure: boolean = false;
  /** Objects whose values are computed from many others (history collectors): re-read on every check. */
  readonly volatile: boolean = false;
  /**
   * Inventory entities say so: adding, removing or moving one reshapes the tree permissions
   * propagate down. A getter, so copies of the world (state files) need not carry it.
   */
  get inInventoryTree(): boolean {
    return false;
  }

  /**
   * Joins again the properties the model keeps as one object in two places (a VM's
   * summary.runtime is its runtime). A copy of the object (a world snapshot, a state or saved file)
   * splits them; whoever installs a copy calls this, so a change to one shows in both again.
   */
  linkShared(): void {}

  /** Reads one top-level vSphere property. Objects with caller-dependent properties override it. */
  read(name: string, _ctx: CallContext): unknown {
    return (this as unknown as Record<string, unknown>)[name];
  }
}

export type MethodHandler = (ctx: CallContext, args: Record<string, unknown>) => unknown;

/**
 * The API method `name` of `obj`, if its class implements it. Implementations are named with a
 * capital, as almost every wire name is; the few lower-case wire names (`setCustomValue`) map to
 * the capitalised implementation, so the objects' own lower-case helpers are never reachable.
 */
export function methodOf(obj: ManagedObject, name: string): MethodHandler | undefined {
  if (!name) return undefined;
  const first = name.charCodeAt(0);
  const implementation = first >= 97 && first <= 122 ? name[0]!.toUpperCase() + name.slice(1) : name; // no new string per call on the usual path
  const candidate = (obj as unknown as Record<string, unknown>)[implementation];
  return typeof candidate === 'function' && implementation !== 'Constructor' ? (candidate as MethodHandler) : undefined;
}
