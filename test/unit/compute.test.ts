import { describe, expect, it } from 'vitest';
import type { ClusterComputeResource } from '../../models/cluster/cluster-compute-resource.js';
import type { ComputeResource } from '../../models/cluster/compute-resource.js';
import type { EnvironmentBrowser } from '../../models/cluster/environment-browser.js';
import type { Datacenter } from '../../models/core/datacenter.js';
import type { VimFault } from '../../models/core/fault.js';
import type { Folder } from '../../models/core/folder.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import type { HostSystem } from '../../models/host/host-system.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { VCenter } from '../../models/vcenter.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';

function setup(flags: Record<string, number> = {}) {
  const vc = new VCenter({ topology: topologyFromFlags(flags), seed: 1 });
  const ctx: CallContext = { vc };
  vc.sessionManager.Login(ctx, { userName: 'alice', password: 'x' });
  const { registry } = vc;
  const named = <T extends ManagedEntity>(type: string, name: string) => registry.ofType<T>(type).find((o) => o.name === name)!;
  const dc = named<Datacenter>('Datacenter', 'DC0');
  const hostFolder = registry.require<Folder>(dc.hostFolder);
  const cluster = named<ClusterComputeResource>('ClusterComputeResource', 'DC0_C0');
  const standalone = named<ComputeResource>('ComputeResource', 'DC0_H0');
  const host = (name: string) => named<HostSystem>('HostSystem', name);
  const vm = (name: string) => named<VirtualMachine>('VirtualMachine', name);
  const browser = (cr: ComputeResource) => registry.require<EnvironmentBrowser>(cr.environmentBrowser!);
  /** The task's info once it ended. */
  const settled = async (ref: MoRef) => {
    const task = registry.require<Task>(ref);
    await task.completion();
    return task.info;
  };
  const events = (type: string) => vc.events.QueryEvents(ctx, { filter: { type: [type] } }) as DataObject[];
  return { vc, ctx, registry, named, dc, hostFolder, cluster, standalone, host, vm, browser, settled, events };
}

const faultOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as VimFault).type;
  }
  return undefined;
};
const errorType = (info: DataObject) => ((info.error as DataObject | undefined)?.fault as DataObject | undefined)?._type;

describe('EnvironmentBrowser', () => {
  it('QueryConfigOptionDescriptor lists vmx-04 to vmx-17 for 7.0 hosts, the newest the default, with the hosts', () => {
    const { ctx, cluster, browser } = setup();
    const descriptors = browser(cluster).QueryConfigOptionDescriptor(ctx);
    expect(descriptors.map((d) => d.key)).toEqual(['vmx-04', 'vmx-07', 'vmx-08', 'vmx-09', 'vmx-10', 'vmx-11', 'vmx-13', 'vmx-14', 'vmx-15', 'vmx-17']);
    expect(descriptors.filter((d) => d.defaultConfigOption).map((d) => d.key)).toEqual(['vmx-17']);
    expect((descriptors[0]!.host as MoRef[]).map((h) => h.value)).toEqual(cluster.host.map((h) => h.value));
  });

  it('QueryConfigOption gives the default (newest) or the asked version, with guests, hardware options and default devices', () => {
    const { ctx, cluster, browser } = setup();
    const option = browser(cluster).QueryConfigOption(ctx, {})!;
    expect(option.version).toBe('vmx-17');
    const guests = option.guestOSDescriptor as DataObject[];
    expect(guests.length).toBeGreaterThan(150);
    expect(guests.find((g) => g.id === 'windows9Server64Guest')).toMatchObject({ family: 'windowsGuest', fullName: 'Microsoft Windows Server 2016 or later (64-bit)', recommendedFirmware: 'efi' });
    expect(guests.find((g) => g.id === 'ubuntu64Guest')).toMatchObject({ family: 'linuxGuest', recommendedEthernetCard: 'VirtualVmxnet3', supportedMaxMemMB: 6128640 });
    expect(guests[option.guestOSDefaultIndex as number]!.id).toBe('otherGuest');
    expect((option.hardwareOptions as DataObject).hwVersion).toBe(17);
    expect((option.defaultDevice as DataObject[]).map((d) => d._type)).toContain('VirtualPCIController');
    const old = browser(cluster).QueryConfigOption(ctx, { key: 'vmx-07' })!;
    expect(old.version).toBe('vmx-07');
    expect((old.guestOSDescriptor as DataObject[])[0]!.supportedMaxCPUs).toBe(8);
    expect(browser(cluster).QueryConfigOption(ctx, { key: 'vmx-99' })).toBeUndefined();
  });

  it('QueryConfigOptionEx filters guests to the ids asked for, the whole list when none matches; a host of another compute resource is InvalidArgument', () => {
    const { ctx, cluster, standalone, browser } = setup();
    const b = browser(cluster);
    const one = b.QueryConfigOptionEx(ctx, { spec: { guestId: ['centos7_64Guest', 'nope'] } })!;
    expect((one.guestOSDescriptor as DataObject[]).map((g) => g.id)).toEqual(['centos7_64Guest']);
    const all = b.QueryConfigOptionEx(ctx, { spec: { guestId: ['nope'] } })!;
    expect((all.guestOSDescriptor as DataObject[]).length).toBeGreaterThan(150);
    expect(faultOf(() => b.QueryConfigOptionEx(ctx, { spec: { host: standalone.host[0]! } }))).toBe('InvalidArgument');
  });

  it('QueryConfigTarget lists the datastores, networks and portgroups of the hosts, and their CPUs; QueryTargetCapabilities the host capability', () => {
    const { ctx, cluster, standalone, browser, host } = setup();
    const target = browser(cluster).QueryConfigTarget(ctx, {});
    expect(target.numCpuCores).toBe(6);
    expect(target.numNumaNodes).toBe(3);
    expect((target.datastore as DataObject[]).map((d) => d.name)).toEqual(['LocalDS_0']);
    expect((target.network as DataObject[]).map((n) => n.name)).toEqual(['VM Network']);
    expect((target.distributedVirtualPortgroup as DataObject[]).map((p) => [p.portgroupName, p.uplinkPortgroup])).toEqual([
      [expect.stringMatching(/^DVS0-DVUplinks-/), true],
      ['DC0_DVPG0', false],
    ]);
    expect((target.distributedVirtualSwitch as DataObject[]).map((s) => s.switchName)).toEqual(['DVS0']);
    const one = browser(standalone).QueryConfigTarget(ctx, { host: standalone.host[0]! });
    expect(one.numNumaNodes).toBe(1);
    expect(browser(standalone).QueryTargetCapabilities(ctx, {})).toBe(host('DC0_H0').capability);
  });
});
