/**
 * World action `host-fail`: the host stops responding, as when it loses power. vCenter marks it
 * `notResponding` (HostConnectionLostEvent); in a cluster, vSphere HA detects the failure
 * (DasHostFailedEvent) and restarts each powered-on VM of the host on another connected host of the
 * cluster (VmRestartedOnAlternateHostEvent, `runtime.host` changes). What cannot restart — VMs that
 * were not running, VMs of a standalone host, VMs with no host left to run on (VmFailoverFailed) —
 * stays on the failed host, disconnected. `host-reconnect` brings the host back.
 */
import { z } from 'zod';
import { ClusterComputeResource } from '../../models/cluster/cluster-compute-resource.js';
import { ComputeResource } from '../../models/cluster/compute-resource.js';
import { entityArguments } from '../../models/core/event-manager.js';
import type { HostSystem } from '../../models/host/host-system.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import type { VCenter } from '../../models/vcenter.js';

export const hostFailResultSchema = z.object({
  host: z.string().describe("The failed host's managed object id"),
  connectionState: z.literal('notResponding'),
  changed: z.boolean().describe('False when the host already was not responding'),
  restarted: z.array(z.object({ vm: z.string(), name: z.string(), host: z.string().describe('Where HA restarted it') })),
  disconnected: z.array(z.string()).describe('VMs left on the failed host, disconnected'),
});

export type HostFailResult = z.output<typeof hostFailResultSchema>;

export function failHost(vc: VCenter, host: HostSystem): HostFailResult {
  const result: HostFailResult = { host: host.self.value, connectionState: 'notResponding', changed: false, restarted: [], disconnected: [] };
  if (host.runtime.connectionState === 'notResponding') return result;
  result.changed = true;
  const ctx: CallContext = { vc };
  const { registry } = vc;
  host.runtime.connectionState = 'notResponding'; // summary.runtime is the same object
  registry.changed(host);
  const dc = entityArguments(registry, host.self).datacenter as DataObject | undefined;
  post(ctx, 'HostConnectionLostEvent', `Host ${host.name} in ${dc?.name ?? ''} is not responding`, entityArguments(registry, host.self));

  const cluster = host.parent && registry.get(host.parent);
  const ha = cluster instanceof ClusterComputeResource ? cluster : undefined;
  if (ha) {
    post(ctx, 'DasHostFailedEvent', `A possible host failure has been detected by vSphere HA on ${host.name} in cluster ${ha.name} in ${dc?.name ?? ''}`, {
      computeResource: { _type: 'ComputeResourceEventArgument', computeResource: ha.self, name: ha.name },
      datacenter: dc,
      failedHost: hostArgument(host),
    });
  }
  for (const ref of [...host.vm]) {
    const vm = registry.get(ref) as VirtualMachine | undefined;
    if (!vm) continue;
    const target = ha && vm.runtime.powerState === 'poweredOn' ? alternateHost(vc, ha, host) : undefined;
    if (target) {
      restartOn(ctx, vm, host, target, ha!);
      result.restarted.push({ vm: vm.self.value, name: vm.name, host: target.self.value });
      continue;
    }
    if (ha && vm.runtime.powerState === 'poweredOn') {
      vm.postEvent(ctx, 'VmFailoverFailed', `could not be restarted by vSphere HA: no connected host left in cluster ${ha.name}`);
    }
    vm.runtime.connectionState = 'disconnected';
    registry.changed(vm);
    result.disconnected.push(vm.self.value);
  }
  // The failed host no longer counts in its compute resource's effective capacity.
  if (cluster instanceof ComputeResource) cluster.refreshSummary(registry);
  return result;
}

/** The connected host of the cluster (not in maintenance) running the fewest VMs; the first such in the cluster's order. */
function alternateHost(vc: VCenter, cluster: ClusterComputeResource, failed: HostSystem): HostSystem | undefined {
  let best: HostSystem | undefined;
  for (const ref of cluster.host) {
    const candidate = vc.registry.get(ref) as HostSystem | undefined;
    if (!candidate || candidate === failed || candidate.runtime.connectionState !== 'connected' || candidate.runtime.inMaintenanceMode) continue;
    if (!best || candidate.vm.length < best.vm.length) best = candidate;
  }
  return best;
}

/** The VM moves to `target` (host.vm both ways, runtime.host) and boots again there. */
function restartOn(ctx: CallContext, vm: VirtualMachine, source: HostSystem, target: HostSystem, cluster: ClusterComputeResource): void {
  const { registry } = ctx.vc;
  source.vm = source.vm.filter((ref) => ref.value !== vm.self.value);
  target.vm = [...target.vm, vm.self];
  registry.changed(source);
  registry.changed(target);
  vm.runtime.host = target.self;
  vm.setPowerState(ctx, 'poweredOn'); // a new boot time; tells the registry
  registry.structureChanged(vm);
  post(ctx, 'VmRestartedOnAlternateHostEvent', `vSphere HA restarted virtual machine ${vm.name} on host ${target.name} in cluster ${cluster.name}`, {
    ...entityArguments(registry, vm.self),
    sourceHost: hostArgument(source),
  });
}

function hostArgument(host: HostSystem): DataObject {
  return { _type: 'HostEventArgument', host: host.self as MoRef, name: host.name };
}

function post(ctx: CallContext, type: string, message: string, fields: DataObject): void {
  ctx.vc.events.post(ctx, { _type: type, template: false, fullFormattedMessage: message, ...fields });
}
