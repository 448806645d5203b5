/**
 * vSphere with Tanzu, the namespace-management side: Supervisors enabled on clusters, and the
 * virtual machine classes namespaces offer. Enabling and disabling run as tasks (the REST layer
 * starts them); meanwhile a Supervisor is CONFIGURING or REMOVING. Plain data, kept by world
 * snapshots and state files.
 */
import type { Registry } from '../core/registry.js';
import { requireObject } from './inventory-lookup.js';
import { refuse } from './service-error.js';

export type SizeHint = 'TINY' | 'SMALL' | 'MEDIUM' | 'LARGE';
export type ConfigStatus = 'CONFIGURING' | 'REMOVING' | 'RUNNING' | 'ERROR';

/** The enable spec as far as the simulator keeps it (what Info reports back). */
export interface EnableSpec {
  size_hint: SizeHint;
  network_provider: 'NSXT_CONTAINER_PLUGIN' | 'VSPHERE_NETWORK';
  image_storage: { storage_policy: string };
  master_storage_policy?: string;
  ephemeral_storage_policy?: string;
  master_management_network?: Record<string, unknown>;
  service_cidr?: { address: string; prefix: number };
  ncp_cluster_network_spec?: Record<string, unknown>;
  default_kubernetes_service_content_library?: string;
  login_banner?: string;
}

export interface Supervisor {
  cluster: string;
  spec: EnableSpec;
  config_status: ConfigStatus;
  /** Where the Supervisor's API server answers: one address per Supervisor, drawn in order. */
  endpoint: string;
}

export interface VmClass {
  id: string;
  cpu_count: number;
  memory_MB: number;
  description: string;
  cpu_reservation?: number;
  memory_reservation?: number;
}

/** The classes vCenter 7.0 ships: best-effort and guaranteed (fully reserved), xsmall to 8xlarge. */
const SIZES: [string, number, number][] = [
  ['xsmall', 2, 2048],
  ['small', 2, 4096],
  ['medium', 2, 8192],
  ['large', 4, 16384],
  ['xlarge', 4, 32768],
  ['2xlarge', 8, 65536],
  ['4xlarge', 16, 131072],
  ['8xlarge', 32, 131072],
];

function defaultClasses(): Map<string, VmClass> {
  const classes = new Map<string, VmClass>();
  for (const [size, cpu_count, memory_MB] of SIZES) {
    classes.set(`best-effort-${size}`, { id: `best-effort-${size}`, cpu_count, memory_MB, description: '' });
    classes.set(`guaranteed-${size}`, { id: `guaranteed-${size}`, cpu_count, memory_MB, description: '', cpu_reservation: 100, memory_reservation: 100 });
  }
  return classes;
}

/** A class id as vCenter checks it: a DNS label. */
const CLASS_ID = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export class SupervisorStore {
  private supervisors = new Map<string, Supervisor>();
  private vmClasses = defaultClasses();
  private endpoints = 0;

  constructor(private readonly registry: Registry) {}

  list(): Supervisor[] {
    return [...this.supervisors.values()];
  }

  get(cluster: string): Supervisor {
    requireObject(this.registry, 'ClusterComputeResource', cluster, 'Cluster');
    return this.supervisors.get(cluster) ?? refuse('not_found', 'com.vmware.wcp.cluster.not_enabled', `Cluster '${cluster}' has no Supervisor.`, [cluster]);
  }

  /** A Supervisor that is up: namespaces go only there. */
  running(cluster: string): Supervisor {
    const supervisor = this.get(cluster);
    if (supervisor.config_status !== 'RUNNING') notReady(cluster, supervisor.config_status);
    return supervisor;
  }

  /** Starts enabling: CONFIGURING until `configured` (the task's end). */
  beginEnable(cluster: string, spec: EnableSpec): void {
    requireObject(this.registry, 'ClusterComputeResource', cluster, 'Cluster');
    if (this.supervisors.has(cluster)) refuse('already_exists', 'com.vmware.wcp.cluster.already_enabled', `Cluster '${cluster}' already has a Supervisor.`, [cluster]);
    const endpoint = `192.168.123.${++this.endpoints}`;
    this.supervisors.set(cluster, { cluster, spec, config_status: 'CONFIGURING', endpoint });
  }

  /** Starts disabling: REMOVING until `removed`. */
  beginDisable(cluster: string): void {
    const supervisor = this.get(cluster);
    if (supervisor.config_status === 'REMOVING') notReady(cluster, supervisor.config_status);
    supervisor.config_status = 'REMOVING';
  }

  configured(cluster: string, ok: boolean): void {
    const supervisor = this.supervisors.get(cluster);
    if (supervisor?.config_status === 'CONFIGURING') supervisor.config_status = ok ? 'RUNNING' : 'ERROR';
  }

  removed(cluster: string, ok: boolean): void {
    const supervisor = this.supervisors.get(cluster);
    if (supervisor?.config_status !== 'REMOVING') return;
    if (ok) this.supervisors.delete(cluster);
    else supervisor.config_status = 'ERROR';
  }

  forgetObject(type: string, id: string): void {
    if (type === 'ClusterComputeResource') this.supervisors.delete(id);
  }

  // ------------------------------------------------------------------ VM classes

  listClasses(): VmClass[] {
    return [...this.vmClasses.values()];
  }

  getClass(id: string): VmClass {
    return this.vmClasses.get(id) ?? refuse('not_found', 'com.vmware.vmop.vmclass.not_found', `Virtual machine class '${id}' does not exist.`, [id]);
  }

  createClass(spec: VmClass): void {
    if (!CLASS_ID.test(spec.id)) refuse('invalid_argument', 'com.vmware.vmop.vmclass.invalid_id', `'${spec.id}' is no valid class identifier (a DNS label).`, [spec.id]);
    if (this.vmClasses.has(spec.id)) refuse('already_exists', 'com.vmware.vmop.vmclass.exists', `Virtual machine class '${spec.id}' already exists.`, [spec.id]);
    this.vmClasses.set(spec.id, { ...spec, description: spec.description ?? '' });
  }

  updateClass(id: string, update: Partial<Omit<VmClass, 'id'>>): void {
    const found = this.getClass(id);
    this.vmClasses.set(id, { ...found, ...definedOnly(update) });
  }

  deleteClass(id: string, inUse: boolean): void {
    this.getClass(id);
    if (inUse) refuse('resource_in_use', 'com.vmware.vmop.vmclass.in_use', `Virtual machine class '${id}' is offered by a namespace.`, [id]);
    this.vmClasses.delete(id);
  }
}

function notReady(cluster: string, status: ConfigStatus): never {
  refuse('not_allowed_in_current_state', 'com.vmware.wcp.cluster.not_ready', `The Supervisor of cluster '${cluster}' is ${status}.`, [cluster, status]);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
