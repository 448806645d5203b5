/** What the REST stores ask of the inventory: whether an id names an object of a type, and a VM's cluster. */
import { MoRef } from '../core/moref.js';
import type { Registry } from '../core/registry.js';
import { refuse } from './service-error.js';

export function exists(registry: Registry, type: string, id: string): boolean {
  return registry.get(new MoRef(type, id)) !== undefined;
}

/** Refuses an id that names no object of `type` (a VM id given as a cluster, or nothing at all). */
export function requireObject(registry: Registry, type: string, id: string, label: string): void {
  if (!exists(registry, type, id)) refuse('not_found', `com.vmware.api.vcenter.${type.toLowerCase()}.not_found`, `${label} with identifier '${id}' does not exist.`, [id]);
}

/** The cluster a VM runs in: its pool's owner, when that is a cluster. */
export function clusterOfVm(registry: Registry, vmId: string): string | undefined {
  const vm = registry.get(new MoRef('VirtualMachine', vmId)) as { resourcePool?: MoRef } | undefined;
  const pool = vm?.resourcePool && (registry.get(vm.resourcePool) as { owner?: MoRef } | undefined);
  return pool?.owner?.type === 'ClusterComputeResource' ? pool.owner.value : undefined;
}
