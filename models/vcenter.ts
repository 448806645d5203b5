import { buildInventory, serviceContent } from './inventory/index.js';
import type { VCenterOptions } from './core/vcenter-options.js';
import type { World } from './core/world.js';
import { ContentLibraryStore } from './rest/content-library.js';
import { EventManager } from './core/event-manager.js';
import { DistributedVirtualSwitchManager } from './network/dvs-manager.js';
import { FileManager } from './storage/file-manager.js';
import { OvfManager } from './vm/ovf-manager.js';
import { StorageResourceManager } from './storage/storage-resource-manager.js';
import { ManagedObject } from './core/managed-object.js';
import { MoRef, type DataObject } from './core/moref.js';
import { PropertyCollector } from './core/property-collector.js';
import { Registry } from './core/registry.js';
import { SearchIndex } from './core/search-index.js';
import { ServiceInstance } from './core/service-instance.js';
import type { Session } from './core/session.js';
import { SessionManager } from './core/session-manager.js';
import { ApplianceStore } from './rest/appliance.js';
import { ClusterModuleStore } from './rest/cluster-modules.js';
import { LifecycleStore } from './rest/lifecycle.js';
import { NamespaceStore } from './rest/namespaces.js';
import { SupervisorServiceStore } from './rest/supervisor-services.js';
import { SupervisorStore } from './rest/supervisors.js';
import { TagStore } from './rest/tagging.js';
import { TrustedCertificateStore } from './rest/trusted-certificates.js';
import { VmDataSetStore } from './rest/vm-data-sets.js';
import { VmTemplateStore } from './rest/vm-templates.js';
import { ZoneStore } from './rest/zones.js';
import { TaskManager } from './core/task-manager.js';
import { typeTable, type TypeTable } from './core/type-table.js';
import { ViewManager } from './core/view-manager.js';
import { VirtualDiskManager } from './storage/virtual-disk-manager.js';
import { UserDirectory } from './host/user-directory.js';
import { AuthorizationManager } from './admin/authorization-manager.js';
import { Directory } from './core/directory.js';
import { AccessControl } from './admin/access.js';
import { applyAccess } from './inventory/access-config.js';
import { OAuthServer } from './admin/oauth-server.js';
import { oauthSchema } from './inventory/topology.js';
import { CustomFieldsManager } from './admin/custom-fields-manager.js';
import { LicenseManager } from './admin/license-manager.js';
import { ExtensionManager } from './admin/extension-manager.js';
import { CustomizationSpecManager } from './admin/customization-spec-manager.js';
import { OptionManager } from './host/option-manager.js';

/** Service objects with behaviour; every other manager in ServiceContent is a plain ManagedObject. */
const serviceClasses: Record<string, new () => ManagedObject> = {
  ServiceInstance,
  TaskManager,
  EventManager,
  SessionManager,
  PropertyCollector,
  ViewManager,
  SearchIndex,
  FileManager,
  VirtualDiskManager,
  UserDirectory,
  DistributedVirtualSwitchManager,
  StorageResourceManager,
  OvfManager,
  AuthorizationManager,
  CustomFieldsManager,
  LicenseManager,
  OptionManager,
  ExtensionManager,
  CustomizationSpecManager,
};

/** One simulated vCenter (or ESX host): its objects, its service content, its settings. */
export class VCenter implements World {
  readonly registry = new Registry();
  readonly types: TypeTable = typeTable();
  readonly content: DataObject;
  readonly sessionIdleTimeoutMs: number;
  /** Runtime randomness (task duration jitter), seeded so runs repeat. */
  readonly random: () => number;
  /** Tag categories, tags and their associations (the cis tagging service). */
  readonly tagging = new TagStore(this.registry, () => this.options.seed ?? 0);
  /** Content libraries, their items, files and transfer sessions (the content library service). */
  readonly contentLibrary = new ContentLibraryStore(this.registry, () => this.options.seed ?? 0, () => this.now());
  /** The content library's trusted certificates. */
  readonly trustedCertificates = new TrustedCertificateStore();

  /** Cluster modules and their VMs (vcenter/cluster/modules). */
  readonly clusterModules = new ClusterModuleStore(this.registry, () => this.options.seed ?? 0);
  /** Consumption-domain zones and their clusters. */
  readonly zones = new ZoneStore(this.registry);
  /** The appliance's access, shutdown, health and logging settings. */
  readonly appliance = new ApplianceStore(() => this.now());
  /** VM data sets and their entries (vcenter/vm/{vm}/data-sets). */
  readonly dataSets = new VmDataSetStore(this.registry, () => this.options.seed ?? 0);
  /** Supervisors on clusters and VM classes (vcenter/namespace-management). */
  readonly supervisors = new SupervisorStore(this.registry);
  /** The services Supervisors can run (vcenter/namespace-management/supervisor-services). */
  readonly supervisorServices = new SupervisorServiceStore();
  /** vSphere Lifecycle Manager: clusters' software specs, drafts, hosts' software (esx/settings). */
  readonly lifecycle = new LifecycleStore(this.registry, () => this.now());
  /** Which VM template each `vm-template` library item holds, and its check-outs. */
  readonly vmTemplates = new VmTemplateStore();
  /** Namespaces on Supervisors (vcenter/namespaces/instances). */
  readonly namespaces = new NamespaceStore(this.supervisors, (id) => this.contentLibrary.listLibraries().includes(id));

  /** The REST services' state: world data that snapshots and state files keep besides the objects. */
  get stores(): Record<string, object> {
    return { tagging: this.tagging, contentLibrary: this.contentLibrary, clusterModules: this.clusterModules, zones: this.zones, appliance: this.appliance, dataSets: this.dataSets, supervisors: this.supervisors, namespaces: this.namespaces, vmTemplates: this.vmTemplates, trustedCertificates: this.trustedCertificates, lifecycle: this.lifecycle, supervisorServices: this.supervisorServices };
  }

  /** An inventory object is gone: the REST services drop what they held of it (tags, module memberships, ...). */
  forgetObject(type: string, id: string): void {
    for (const store of Object.values(this.stores) as { forgetObject?: (type: string, id: string) => void }[]) store.forgetObject?.(type, id);
  }

  /** Who logs in, and as whom. */
  readonly directory: Directory;
  /** Who may do what: effective privileges per (principal, entity), enforced once users are configured. */
  readonly access: AccessControl;
  /** The OAuth 2.0 token service of identity federation: its clients, tokens and keys. */
  readonly oauth: OAuthServer;

  constructor(readonly options: VCenterOptions) {
    this.directory = new Directory(options);
    this.access = new AccessControl({
      registry: this.registry,
      directory: this.directory,
      rootFolder: () => this.rootFolder,
      roles: () => this.authorizationManager.roleList,
    });
    this.sessionIdleTimeoutMs = options.sessionIdleTimeoutMs ?? 30 * 60_000;
    this.random = seededRandom(options.seed ?? 0);
    this.content = serviceContent(options.topology.model);
    if (options.apiVersion) this.content.about = { ...(this.content.about as DataObject), apiVersion: options.apiVersion };
    this.oauth = new OAuthServer(options.topology.oauth ?? oauthSchema.parse({}), this.directory, () => this.now(), String((this.content.about as DataObject).instanceUuid));
    this.oauth.checkClients();
    this.registry.add(new ServiceInstance(), 'ServiceInstance', 'ServiceInstance');
    for (const ref of Object.values(this.content)) {
      if (!(ref instanceof MoRef) || this.registry.byId(ref.value)) continue;
      const Class = serviceClasses[ref.type] ?? ManagedObject;
      this.registry.add(new Class(), ref.type, ref.value);
    }
    this.sessionManager.idleTimeoutMs = this.sessionIdleTimeoutMs;
    this.sessionManager.clock = () => this.now().getTime();
    if (options.eventHistorySize !== undefined) this.events.retain(options.eventHistorySize);
    if (options.taskHistorySize !== undefined) this.tasks.retain(options.taskHistorySize);
    buildInventory(this);
    this.authorizationManager.grantDefaults({ vc: this });
    applyAccess(this, this.authorizationManager);
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

  get authorizationManager(): AuthorizationManager {
    return this.registry.require(this.content.authorizationManager as MoRef);
  }

  get tasks(): TaskManager {
    return this.registry.require(this.content.taskManager as MoRef);
  }

  get events(): EventManager {
    return this.registry.require(this.content.eventManager as MoRef);
  }

  /** How long a task of `method` runs: its configured delay, varied by the jitter. */
  taskDuration(method: string): number {
    const { taskDelayMs = 0, methodDelayMs = {}, delayJitter = 0 } = this.options;
    const base = methodDelayMs[method] ?? taskDelayMs;
    if (base <= 0 || delayJitter <= 0) return Math.max(0, base);
    const normal = Math.sqrt(-2 * Math.log(1 - this.random())) * Math.cos(2 * Math.PI * this.random());
    return Math.max(0, base * (1 + delayJitter * normal));
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

  /** How far the simulator's clock runs ahead of the wall clock, ms (the control API's clock-advance). */
  clockOffsetMs = 0;

  /** The simulator's clock: CurrentTime, task and event times, rule time windows. */
  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  /**
   * The simulator listens at `serverUrl`: the service URIs of vCenter's settings read as served
   * there (the stored values keep their default host, so saved state does not depend on the port).
   */
  serveAt(serverUrl: string): void {
    this.options.serverUrl = serverUrl;
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

/** mulberry32: a small, fast PRNG; good enough for jitter, and the same for the same seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
