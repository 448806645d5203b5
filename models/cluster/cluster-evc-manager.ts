import { VimFault, faults } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import { Typed, type DataObject, type MoRef } from '../core/moref.js';
import { localizedFault } from '../core/task.js';
import type { HostSystem } from '../host/host-system.js';
import type { ClusterComputeResource } from './cluster-compute-resource.js';

/** The EVC modes vCenter 7.0 offers, oldest first per vendor: [key, label]. */
const MODES: [string, string][] = [
  ['intel-merom', 'Intel® "Merom" Generation'],
  ['intel-penryn', 'Intel® "Penryn" Generation'],
  ['intel-nehalem', 'Intel® "Nehalem" Generation'],
  ['intel-westmere', 'Intel® "Westmere" Generation'],
  ['intel-sandybridge', 'Intel® "Sandy Bridge" Generation'],
  ['intel-ivybridge', 'Intel® "Ivy Bridge" Generation'],
  ['intel-haswell', 'Intel® "Haswell" Generation'],
  ['intel-broadwell', 'Intel® "Broadwell" Generation'],
  ['intel-skylake', 'Intel® "Skylake" Generation'],
  ['intel-cascadelake', 'Intel® "Cascade Lake" Generation'],
  ['amd-rev-e', 'AMD Opteron™ Generation 1'],
  ['amd-rev-f', 'AMD Opteron™ Generation 2'],
  ['amd-greyhound', 'AMD Opteron™ Generation 3'],
  ['amd-bulldozer', 'AMD Opteron™ Generation 4'],
  ['amd-piledriver', 'AMD Opteron™ "Piledriver" Generation'],
  ['amd-steamroller', 'AMD Opteron™ "Steamroller" Generation'],
  ['amd-zen', 'AMD EPYC™ "Zen" Generation'],
  ['amd-zen2', 'AMD EPYC™ "Zen 2" Generation'],
];

const vendorOf = (key: string) => (key.startsWith('intel') ? 'intel' : 'amd');
/** A mode's place among its vendor's modes (its vendorTier). */
const tierOf = (key: string) => MODES.filter(([k]) => vendorOf(k) === vendorOf(key)).findIndex(([k]) => k === key);

function supportedModes(): DataObject[] {
  return MODES.map(([key, label]) => ({ key, label, summary: label, vendor: vendorOf(key), track: [vendorOf(key)], vendorTier: tierOf(key) }));
}

/**
 * A cluster's Enhanced vMotion Compatibility: the modes vCenter offers and the one the cluster
 * runs (summary.currentEVCModeKey). A mode must be of the hosts' CPU vendor and no newer than any
 * host's maxEVCModeKey.
 */
export class ClusterEVCManager extends ManagedObject {
  managedCluster!: MoRef;
  evcState: DataObject = { supportedEVCMode: supportedModes() };

  ConfigureEvcMode_Task(ctx: CallContext, { evcModeKey }: { evcModeKey: string }): MoRef {
    return this.task(ctx, 'ConfigureEvcMode_Task', 'configureEvc', () => {
      const fault = this.refusal(ctx, evcModeKey);
      if (fault) throw fault;
      this.setMode(ctx, evcModeKey);
      return undefined;
    });
  }

  DisableEvcMode_Task(ctx: CallContext): MoRef {
    return this.task(ctx, 'DisableEvcMode_Task', 'disableEvc', () => {
      this.setMode(ctx, undefined);
      return undefined;
    });
  }

  /** What configuring `evcModeKey` would meet: no result when it would succeed. */
  CheckConfigureEvcMode_Task(ctx: CallContext, { evcModeKey }: { evcModeKey: string }): MoRef {
    return this.task(ctx, 'CheckConfigureEvcMode_Task', 'checkConfigureEvc', () => {
      const fault = this.refusal(ctx, evcModeKey);
      const results = fault ? [{ evcModeKey, error: localizedFault(fault), host: (fault.props.host as MoRef[] | undefined) ?? [] }] : [];
      return new Typed('ClusterEVCManagerCheckResult', results, true);
    });
  }

  private cluster(ctx: CallContext): ClusterComputeResource {
    return ctx.vc.registry.require<ClusterComputeResource>(this.managedCluster);
  }

  /** The fault configuring `key` meets, if any. */
  private refusal(ctx: CallContext, key: string): VimFault | undefined {
    if (!MODES.some(([k]) => k === key)) return faults.invalidArgument('evcModeKey');
    const hosts = this.cluster(ctx).hosts(ctx.vc.registry);
    const hostVendor = hosts.length > 0 ? vendorOf(String(hosts[0]!.summary.maxEVCModeKey ?? 'intel')) : vendorOf(key);
    if (hostVendor !== vendorOf(key)) return new VimFault('EVCModeIllegalByVendor', { clusterCPUVendor: hostVendor, modeCPUVendor: vendorOf(key) }, `The EVC mode ${key} is not of the cluster's CPU vendor.`);
    const unable = hosts.filter((h) => tierOf(String(h.summary.maxEVCModeKey ?? '')) < tierOf(key));
    if (unable.length > 0) {
      return new VimFault('EVCModeUnsupportedByHosts', { evcMode: key, host: unable.map((h: HostSystem) => h.self), hostName: unable.map((h) => h.name) }, `The hosts' CPUs do not support the EVC mode ${key}.`);
    }
    return undefined;
  }

  private setMode(ctx: CallContext, key: string | undefined): void {
    const cluster = this.cluster(ctx);
    this.evcState = { ...this.evcState, currentEVCModeKey: key };
    cluster.summary.currentEVCModeKey = key;
    for (const host of cluster.hosts(ctx.vc.registry)) {
      host.summary.currentEVCModeKey = key ?? '';
      ctx.vc.registry.changed(host);
    }
    ctx.vc.registry.changed(this);
    ctx.vc.registry.changed(cluster);
  }

  private task(ctx: CallContext, method: string, operation: string, run: () => unknown): MoRef {
    return ctx.vc.tasks.start(ctx, { method, descriptionId: `ClusterComputeResource.${operation}`, entity: this.cluster(ctx), run });
  }
}
