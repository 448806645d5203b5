/**
 * `vcenter/vm`: list (with VM.FilterSpec), get (VM.Info) and `vm/{vm}/power` get, read from the
 * same VirtualMachine objects SOAP serves.
 */
import { z } from 'zod';
import type { DataObject, MoRef } from '../../../models/core/moref.js';
import { ResourcePool } from '../../../models/cluster/resource-pool.js';
import type { VCenter } from '../../../models/vcenter.js';
import { VirtualMachine } from '../../../models/vm/virtual-machine.js';
import { enumSet, stringSet } from '../query.js';
import { defineRoute, type RestRoute } from '../route.js';
import { allows, containedIn, filterSet, inPoolChain, listOf, lookup } from './filters.js';
import { bootDevices, bootInfo, deviceInfo, guestOs, hardwareInfo } from './vm-hardware.js';

const POWER_STATES = ['POWERED_OFF', 'POWERED_ON', 'SUSPENDED'] as const;
const powerStateOf: Record<string, (typeof POWER_STATES)[number]> = {
  poweredOff: 'POWERED_OFF',
  poweredOn: 'POWERED_ON',
  suspended: 'SUSPENDED',
};

const vmFilter = z.object({
  vms: stringSet(),
  names: stringSet(),
  folders: stringSet(),
  datacenters: stringSet(),
  hosts: stringSet(),
  clusters: stringSet(),
  resource_pools: stringSet(),
  power_states: enumSet(POWER_STATES),
});
type VmFilter = z.output<typeof vmFilter>;

const configOf = (vm: VirtualMachine) => (vm.config ?? {}) as DataObject;
const hardwareOf = (vm: VirtualMachine) => (configOf(vm).hardware ?? {}) as DataObject;
const powerState = (vm: VirtualMachine) => powerStateOf[String(vm.runtime.powerState)] ?? 'POWERED_OFF';

/** The cluster (or standalone host's compute resource) that owns the VM's pool. */
function computeResourceOf(vc: VCenter, vm: VirtualMachine): string | undefined {
  const pool = vc.registry.byId(vm.resourcePool?.value ?? '');
  return pool instanceof ResourcePool ? pool.owner?.value : undefined;
}

function vmMatcher(vc: VCenter, filter: VmFilter) {
  const [vms, names, folders, datacenters, hosts, clusters, pools, states] = [
    filter.vms, filter.names, filter.folders, filter.datacenters, filter.hosts, filter.clusters, filter.resource_pools, filter.power_states,
  ].map(filterSet);
  return (vm: VirtualMachine) =>
    // Templates are not virtual machines to this API (vCenter lists them under vm-template).
    configOf(vm).template !== true &&
    allows(vms, vm.self.value) &&
    allows(names, vm.name) &&
    allows(states, powerState(vm)) &&
    allows(hosts, (vm.runtime.host as MoRef | undefined)?.value) &&
    (clusters === undefined || allows(clusters, computeResourceOf(vc, vm))) &&
    inPoolChain(vc, vm.resourcePool, pools) &&
    containedIn(vc, vm.parent, folders) &&
    containedIn(vc, vm.parent, datacenters);
}

function vmSummary(vm: VirtualMachine) {
  const hardware = hardwareOf(vm);
  return {
    vm: vm.self.value,
    name: vm.name,
    power_state: powerState(vm),
    cpu_count: hardware.numCPU,
    memory_size_MiB: hardware.memoryMB,
  };
}

function vmInfo(vm: VirtualMachine) {
  const config = configOf(vm);
  const hardware = hardwareOf(vm);
  const memoryHotAdd = Boolean(config.memoryHotAddEnabled);
  return {
    guest_OS: guestOs(config.guestId),
    name: vm.name,
    identity: { name: vm.name, bios_uuid: config.uuid, instance_uuid: config.instanceUuid },
    power_state: powerState(vm),
    instant_clone_frozen: Boolean(vm.runtime.instantCloneFrozen),
    hardware: hardwareInfo(config),
    boot: bootInfo(config),
    boot_devices: bootDevices(config),
    cpu: {
      count: hardware.numCPU,
      cores_per_socket: hardware.numCoresPerSocket ?? 1,
      hot_add_enabled: Boolean(config.cpuHotAddEnabled),
      hot_remove_enabled: Boolean(config.cpuHotRemoveEnabled),
    },
    memory: {
      size_MiB: hardware.memoryMB,
      hot_add_enabled: memoryHotAdd,
      hot_add_increment_size_MiB: memoryHotAdd ? config.hotPlugMemoryIncrementSize : undefined,
      hot_add_limit_MiB: memoryHotAdd ? config.hotPlugMemoryLimit : undefined,
    },
    ...deviceInfo(hardware.device as DataObject[] | undefined),
  };
}

const findVm = (vc: VCenter, id: string) => lookup(vc, id, VirtualMachine, 'vm', 'Virtual machine');

export const vmRoutes: RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/vcenter/vm',
    query: vmFilter,
    filterQuery: true,
    handle: ({ vc, query }) =>
      listOf(vc.registry.ofType<VirtualMachine>('VirtualMachine'), vmMatcher(vc, query), vmSummary, 'vm', 'virtual machines'),
  }),
  defineRoute({ method: 'GET', path: '/vcenter/vm/:vm', handle: ({ vc, params }) => vmInfo(findVm(vc, params.vm!)) }),
  defineRoute({
    method: 'GET',
    path: '/vcenter/vm/:vm/power',
    handle({ vc, params }) {
      const state = powerState(findVm(vc, params.vm!));
      return state === 'POWERED_OFF' ? { state, clean_power_off: true } : { state };
    },
  }),
];
