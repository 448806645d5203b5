/**
 * Cluster modules (`vcenter/cluster/modules`): named subsets of one cluster's VMs that compute
 * policies (anti-affinity, ...) scope to. State: the modules and their members, plain data; a
 * VM that goes leaves every module (forgetObject).
 */
import type { Registry } from '../core/registry.js';
import { seededUuid } from './ids.js';
import { clusterOfVm, requireObject } from './inventory-lookup.js';
import { refuse } from './service-error.js';

export interface ClusterModule {
  module: string;
  cluster: string;
  vms: string[];
}

export class ClusterModuleStore {
  private modules = new Map<string, ClusterModule>();
  private counter = 0;

  constructor(
    private readonly registry: Registry,
    private readonly seed: () => number,
  ) {}

  list(): { cluster: string; module: string }[] {
    return [...this.modules.values()].map(({ cluster, module }) => ({ cluster, module }));
  }

  create(cluster: string): string {
    requireObject(this.registry, 'ClusterComputeResource', cluster, 'Cluster');
    const module = seededUuid(this.seed(), 'cluster-module', ++this.counter);
    this.modules.set(module, { module, cluster, vms: [] });
    return module;
  }

  delete(module: string): void {
    this.get(module);
    this.modules.delete(module);
  }

  members(module: string): string[] {
    return [...this.get(module).vms];
  }

  /** Adds the VMs of the module's cluster; false when any VM was a member already or is elsewhere (the others are added). */
  add(module: string, vms: string[]): boolean {
    const found = this.get(module);
    let all = true;
    for (const vm of vms) {
      if (found.vms.includes(vm) || clusterOfVm(this.registry, vm) !== found.cluster) all = false;
      else found.vms = [...found.vms, vm];
    }
    return all;
  }

  /** Removes the VMs; false when any was no member. */
  remove(module: string, vms: string[]): boolean {
    const found = this.get(module);
    const all = vms.every((vm) => found.vms.includes(vm));
    found.vms = found.vms.filter((vm) => !vms.includes(vm));
    return all;
  }

  /** A VM destroyed or a cluster removed: it leaves its modules (a cluster takes its modules along). */
  forgetObject(type: string, id: string): void {
    for (const module of [...this.modules.values()]) {
      if (type === 'ClusterComputeResource' && module.cluster === id) this.modules.delete(module.module);
      else if (type === 'VirtualMachine' && module.vms.includes(id)) module.vms = module.vms.filter((vm) => vm !== id);
    }
  }

  private get(module: string): ClusterModule {
    return this.modules.get(module) ?? refuse('not_found', 'com.vmware.vcenter.cluster.module.not_found', `Cluster module '${module}' does not exist.`, [module]);
  }
}
