/**
 * vSphere with Tanzu namespaces (`vcenter/namespaces/instances`): on a running Supervisor, each
 * with its access list, storage specs, resource limits and the VM classes and content libraries
 * its VM service offers. Plain data, kept by world snapshots and state files.
 */
import { refuse } from './service-error.js';
import type { SupervisorStore } from './supervisors.js';

export interface Access {
  subject: string;
  subject_type: 'USER' | 'GROUP';
  domain: string;
  role: 'OWNER' | 'EDIT' | 'VIEW';
}

export interface NamespaceSpec {
  description?: string;
  access_list?: Access[];
  storage_specs?: { policy: string; limit?: number }[];
  resource_spec?: Record<string, unknown>;
  vm_service_spec?: { vm_classes?: string[]; content_libraries?: string[] };
}

export interface Namespace extends Required<Omit<NamespaceSpec, 'resource_spec'>> {
  namespace: string;
  cluster: string;
  resource_spec?: Record<string, unknown>;
}

/** A namespace name is a DNS label: up to 63 lowercase letters, digits and dashes. */
const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export class NamespaceStore {
  private namespaces = new Map<string, Namespace>();

  constructor(
    private readonly supervisors: SupervisorStore,
    /** Whether a content library of that id exists (the content library store answers). */
    private readonly libraryExists: (id: string) => boolean,
  ) {}

  list(): Namespace[] {
    return [...this.namespaces.values()];
  }

  get(name: string): Namespace {
    return this.namespaces.get(name) ?? refuse('not_found', 'com.vmware.wcp.namespace.not_found', `Namespace '${name}' does not exist.`, [name]);
  }

  create(cluster: string, name: string, spec: NamespaceSpec): void {
    if (!NAME.test(name)) refuse('invalid_argument', 'com.vmware.wcp.namespace.invalid_name', `'${name}' is no valid namespace name (a DNS label).`, [name]);
    this.supervisors.running(cluster);
    if (this.namespaces.has(name)) refuse('already_exists', 'com.vmware.wcp.namespace.exists', `Namespace '${name}' already exists.`, [name]);
    this.checkVmService(spec.vm_service_spec);
    this.namespaces.set(name, {
      namespace: name,
      cluster,
      description: spec.description ?? '',
      access_list: spec.access_list ?? [],
      storage_specs: spec.storage_specs ?? [],
      resource_spec: spec.resource_spec,
      vm_service_spec: { vm_classes: spec.vm_service_spec?.vm_classes ?? [], content_libraries: spec.vm_service_spec?.content_libraries ?? [] },
    });
  }

  /** PATCH: the fields given replace the namespace's (a list replaces the whole list). */
  update(name: string, spec: NamespaceSpec): void {
    const found = this.get(name);
    this.checkVmService(spec.vm_service_spec);
    const vmService = spec.vm_service_spec ? { vm_classes: spec.vm_service_spec.vm_classes ?? [], content_libraries: spec.vm_service_spec.content_libraries ?? [] } : undefined;
    this.namespaces.set(name, { ...found, ...definedOnly({ ...spec, vm_service_spec: vmService }) });
  }

  /** PUT: the namespace becomes what the spec says; unset fields go back to their defaults. */
  set(name: string, spec: NamespaceSpec): void {
    const { cluster } = this.get(name);
    this.checkVmService(spec.vm_service_spec);
    this.namespaces.delete(name);
    this.create(cluster, name, spec);
  }

  delete(name: string): void {
    this.get(name);
    this.namespaces.delete(name);
  }

  /** Whether a namespace offers the class (it cannot be deleted then). */
  classInUse(id: string): boolean {
    return this.list().some((ns) => ns.vm_service_spec.vm_classes?.includes(id));
  }

  /** A Supervisor going takes its namespaces along. */
  clusterDisabled(cluster: string): void {
    for (const ns of this.list()) if (ns.cluster === cluster) this.namespaces.delete(ns.namespace);
  }

  private checkVmService(spec: NamespaceSpec['vm_service_spec']): void {
    for (const id of spec?.vm_classes ?? []) this.supervisors.getClass(id);
    for (const id of spec?.content_libraries ?? []) {
      if (!this.libraryExists(id)) refuse('invalid_argument', 'com.vmware.wcp.namespace.invalid_library', `Content library '${id}' does not exist.`, ['vm_service_spec.content_libraries', id]);
    }
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
