import { buildInventory, serviceContent, type Topology } from './inventory/index.js';
import { ManagedObject } from './managed-object.js';
import { MoRef, type DataObject } from './moref.js';
import { PropertyCollector } from './property-collector.js';
import { Registry } from './registry.js';
import { SearchIndex } from './search-index.js';
import { ServiceInstance } from './service-instance.js';
import type { Session } from './session.js';
import { SessionManager } from './session-manager.js';
import { typeTable, type TypeTable } from './type-table.js';
import { ViewManager } from './view-manager.js';

export interface VCenterOptions {
  topology: Topology;
  /** Seed of every generated value (UUIDs, MACs, IPs): the same topology and seed give the same inventory. */
  seed?: number;
  /** With both set, only these log in; otherwise any non-empty user name and password do, as vcsim. */
  username?: string;
  password?: string;
  /** A session idle this long is gone (vCenter's default is 30 minutes). */
  sessionIdleTimeoutMs?: number;
  /** Reported as about.apiVersion (vcsim's -api-version). */
  apiVersion?: string;
}

/** Service objects with behaviour; every other manager in ServiceContent is a plain ManagedObject. */
const serviceClasses: Record<string, new () => ManagedObject> = {
  ServiceInstance,
  SessionManager,
  PropertyCollector,
  ViewManager,
  SearchIndex,
};

/** One simulated vCenter (or ESX host): its objects, its service content, its settings. */
export class VCenter {
  readonly registry = new Registry();
  readonly types: TypeTable = typeTable();
  readonly content: DataObject;
  readonly sessionIdleTimeoutMs: number;

  constructor(readonly options: VCenterOptions) {
    this.sessionIdleTimeoutMs = options.sessionIdleTimeoutMs ?? 30 * 60_000;
    this.content = serviceContent(options.topology.model);
    if (options.apiVersion) this.content.about = { ...(this.content.about as DataObject), apiVersion: options.apiVersion };
    this.registry.add(new ServiceInstance(), 'ServiceInstance', 'ServiceInstance');
    for (const ref of Object.values(this.content)) {
      if (!(ref instanceof MoRef) || this.registry.byId(ref.value)) continue;
      const Class = serviceClasses[ref.type] ?? ManagedObject;
      this.registry.add(new Class(), ref.type, ref.value);
    }
    this.sessionManager.idleTimeoutMs = this.sessionIdleTimeoutMs;
    buildInventory(this);
  }

  /** As vcsim: with no user name and password set and no users in the topology, anyone logs in. */
  get loginIsOpen(): boolean {
    const { username, password, topology } = this.options;
    return (username === undefined || password === undefined) && !topology.users?.length;
  }

  /** Whether these credentials log in: any non-empty ones when login is open, else the configured ones. */
  acceptsLogin(userName: string, password: string): boolean {
    const { username, password: expected, topology } = this.options;
    if (this.loginIsOpen) return userName !== '' && password !== '';
    if (username !== undefined && expected !== undefined) return userName === username && password === expected;
    return topology.users!.some((u) => u.username === userName && u.password === password);
  }

  get isVpx(): boolean {
    return this.options.topology.model === 'VPX';
  }

  get rootFolder(): MoRef {
    return this.content.rootFolder as MoRef;
  }

  get sessionManager(): SessionManager {
    return this.registry.require(this.content.sessionManager as MoRef);
  }

  /**
   * The object `ref` names for `session`: session-scoped objects first, then the inventory. The
   * service content's property collector is one per session, as in vCenter.
   */
  resolve(ref: MoRef, session: Session | undefined): ManagedObject {
    const own = session?.objects.get(ref.value);
    if (own) return own;
    if (session && ref.value === (this.content.propertyCollector as MoRef).value) return this.sessionCollector(session);
    return this.registry.require(ref);
  }

  private sessionCollector(session: Session): PropertyCollector {
    const collector = new PropertyCollector();
    collector.self = this.content.propertyCollector as MoRef;
    session.objects.set(collector.self.value, collector);
    return collector;
  }

  now(): Date {
    return new Date();
  }

  /** The in-process way to change any property: sets `path` of `ref` and tells the collectors. */
  setProperty(ref: MoRef, path: string, value: unknown): void {
    const obj = this.registry.require(ref) as unknown as Record<string, unknown>;
    const names = path.split('.');
    let target = obj;
    for (const name of names.slice(0, -1)) {
      const child = (target[name] ?? {}) as Record<string, unknown>;
      // Identical sub-objects are shared frozen between objects: copy before writing into one.
      target = target[name] = Object.isFrozen(child) ? { ...child } : child;
    }
    target[names[names.length - 1]!] = value;
    this.registry.changed(obj as unknown as ManagedObject);
  }
}
