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

describe('Destroy_Task', () => {
  it('a cluster whose hosts are not in maintenance mode is InvalidState, nothing removed; in maintenance it goes with hosts, pools and VMs', async () => {
    const { ctx, registry, cluster, host, settled, events, dc } = setup();
    const hosts = cluster.host.map((ref) => registry.require<HostSystem>(ref));
    const vmCount = hosts.reduce((n, h) => n + h.vm.length, 0);
    expect(errorType(await settled(cluster.Destroy_Task(ctx)))).toBe('InvalidState');
    expect(registry.get(cluster.self)).toBe(cluster);
    for (const h of hosts) for (const vm of h.vm) registry.require<VirtualMachine>(vm).setPowerState(ctx, 'poweredOff');
    for (const h of hosts) expect((await settled(h.EnterMaintenanceMode_Task(ctx, {}))).state).toBe('success');
    const pool = cluster.resourcePool!;
    expect((await settled(cluster.Destroy_Task(ctx))).state).toBe('success');
    expect(registry.get(cluster.self)).toBeUndefined();
    expect(registry.get(pool)).toBeUndefined();
    expect(host('DC0_C0_H0')).toBeUndefined();
    expect(events('HostRemovedEvent')).toHaveLength(3);
    expect(events('VmRemovedEvent')).toHaveLength(vmCount);
    expect(events('ClusterDestroyedEvent')).toHaveLength(1);
    const hostFolder = registry.require<Folder>(dc.hostFolder);
    expect(hostFolder.childEntity.map((r) => r.value)).not.toContain(cluster.self.value);
    const ds = registry.ofType<ManagedEntity & { host: DataObject[] }>('Datastore')[0]!;
    expect(ds.host.map((m) => (m.key as MoRef).value)).toEqual([host('DC0_H0').self.value]);
  });

  it('a standalone host goes with its compute resource; a datastore with VMs is ResourceInUse; an empty one goes with DatastoreDestroyedEvent', async () => {
    const { ctx, registry, standalone, host, settled, events, vm } = setup({ ds: 2 });
    const h0 = host('DC0_H0');
    expect((await settled(h0.Destroy_Task(ctx))).state).toBe('success');
    expect(registry.get(standalone.self)).toBeUndefined();
    expect(vm('DC0_H0_VM0')).toBeUndefined();
    const [used, empty] = registry.ofType<ManagedEntity & { vm: MoRef[] }>('Datastore').sort((a, b) => a.name.localeCompare(b.name));
    expect(used!.vm.length).toBeGreaterThan(0);
    expect(errorType(await settled(used!.Destroy_Task(ctx)))).toBe('ResourceInUse');
    expect((await settled(empty!.Destroy_Task(ctx))).state).toBe('success');
    expect(registry.get(empty!.self)).toBeUndefined();
    expect(host('DC0_C0_H0').datastore.map((r) => r.value)).not.toContain(empty!.self.value);
    expect(events('DatastoreDestroyedEvent')).toHaveLength(1);
  });

  it('a folder goes with its contents, all or nothing: a powered-on VM inside keeps everything', async () => {
    const { ctx, registry, dc, vm, settled } = setup();
    const vmFolder = registry.require<Folder>(dc.vmFolder);
    const sub = registry.require<Folder>(vmFolder.CreateFolder(ctx, { name: 'sub' }));
    const inner = registry.require<Folder>(sub.CreateFolder(ctx, { name: 'inner' }));
    const off = vm('DC0_H0_VM0');
    const on = vm('DC0_H0_VM1');
    off.setPowerState(ctx, 'poweredOff');
    await settled(inner.MoveIntoFolder_Task(ctx, { list: [off.self, on.self] }));
    expect(errorType(await settled(sub.Destroy_Task(ctx)))).toBe('InvalidPowerState');
    expect(registry.get(inner.self)).toBe(inner);
    expect(registry.get(off.self)).toBe(off);
    on.setPowerState(ctx, 'poweredOff');
    expect((await settled(sub.Destroy_Task(ctx))).state).toBe('success');
    for (const gone of [sub, inner, off, on]) expect(registry.get(gone.self)).toBeUndefined();
    expect(errorType(await settled(vmFolder.Destroy_Task(ctx)))).toBe('NotSupported');
  });

  it('a datacenter goes whole once its VMs are off and cluster hosts in maintenance mode; networks, switches and vApps with it', async () => {
    const { ctx, registry, dc, settled } = setup({ app: 1, pool: 1 });
    expect(errorType(await settled(dc.Destroy_Task(ctx)))).toBe('InvalidPowerState');
    for (const v of registry.ofType<VirtualMachine>('VirtualMachine')) v.setPowerState(ctx, 'poweredOff');
    expect(errorType(await settled(dc.Destroy_Task(ctx)))).toBe('InvalidState');
    for (const h of registry.ofType<HostSystem>('HostSystem')) h.runtime.inMaintenanceMode = true;
    expect((await settled(dc.Destroy_Task(ctx))).state).toBe('success');
    for (const type of ['Datacenter', 'HostSystem', 'VirtualMachine', 'Datastore', 'Network', 'DistributedVirtualPortgroup', 'VmwareDistributedVirtualSwitch', 'ClusterComputeResource', 'ResourcePool', 'VirtualApp', 'EnvironmentBrowser']) {
      expect(registry.ofType(type), type).toHaveLength(0);
    }
    expect(registry.require<Folder>(ctx.vc.rootFolder).childEntity).toHaveLength(0);
  });

  it('a distributed portgroup with VMs is ResourceInUse; an unused one leaves its switch', async () => {
    const { ctx, registry, settled, events } = setup({ pg: 2 });
    const pgs = registry.ofType<ManagedEntity & { vm: MoRef[] }>('DistributedVirtualPortgroup');
    const used = pgs.find((p) => p.name === 'DC0_DVPG0')!;
    const unused = pgs.find((p) => p.name === 'DC0_DVPG1')!;
    expect(errorType(await settled(used.Destroy_Task(ctx)))).toBe('ResourceInUse');
    expect((await settled(unused.Destroy_Task(ctx))).state).toBe('success');
    const dvs = registry.ofType<ManagedEntity & { portgroup: MoRef[]; summary: DataObject }>('VmwareDistributedVirtualSwitch')[0]!;
    expect(dvs.portgroup.map((r) => r.value)).not.toContain(unused.self.value);
    expect(dvs.summary.portgroupName).not.toContain('DC0_DVPG1');
    expect(events('DVPortgroupDestroyedEvent')).toHaveLength(1);
  });

  it('an ESX host cannot be destroyed, nor its datacenter, nor hold a cluster', async () => {
    const vc = new VCenter({ topology: { ...topologyFromFlags({}), model: 'ESX' } as never, seed: 1 });
    const ctx: CallContext = { vc };
    const dc = vc.registry.ofType<Datacenter>('Datacenter')[0]!;
    const host = vc.registry.ofType<HostSystem>('HostSystem')[0]!;
    for (const entity of [dc, host] as ManagedEntity[]) {
      const task = vc.registry.require<Task>(entity.Destroy_Task(ctx));
      expect(errorType(await task.completion())).toBe('NotSupported');
    }
    const hostFolder = vc.registry.require<Folder>(dc.hostFolder);
    expect(faultOf(() => hostFolder.CreateClusterEx(ctx, { name: 'c', spec: {} }))).toBe('NotSupported');
  });
});

describe('HostSystem maintenance and power', () => {
  it('in a fully automated DRS cluster, entering maintenance mode migrates the powered-on VMs to the least-loaded hosts', async () => {
    const { ctx, registry, cluster, settled, events } = setup();
    const h0 = cluster.hosts(registry).sort((a, b) => b.vm.length - a.vm.length)[0]!;
    const others = cluster.hosts(registry).filter((h) => h !== h0).map((h) => h.name);
    const running = h0.vm.filter((ref) => registry.require<VirtualMachine>(ref).powerState === 'poweredOn');
    expect(running.length).toBeGreaterThan(0);
    const info = await settled(h0.EnterMaintenanceMode_Task(ctx, { timeout: 0 }));
    expect(info.state).toBe('success');
    expect(h0.runtime.inMaintenanceMode).toBe(true);
    expect(h0.vm.filter((ref) => registry.require<VirtualMachine>(ref).powerState === 'poweredOn')).toHaveLength(0);
    for (const ref of running) expect(others).toContain(registry.require<HostSystem>(registry.require<VirtualMachine>(ref).runtime.host as MoRef).name);
    expect(events('VmMigratedEvent').length).toBe(running.length);
    expect(events('EnteringMaintenanceModeEvent')).toHaveLength(1);
    expect(events('EnteredMaintenanceModeEvent')).toHaveLength(1);
    expect(cluster.summary).toMatchObject({ numHosts: 3, numEffectiveHosts: 2 });
    expect(errorType(await settled(h0.EnterMaintenanceMode_Task(ctx, {})))).toBe('InvalidState');
    expect((await settled(h0.ExitMaintenanceMode_Task(ctx, {}))).state).toBe('success');
    expect(cluster.summary.numEffectiveHosts).toBe(3);
    expect(errorType(await settled(h0.ExitMaintenanceMode_Task(ctx, {})))).toBe('InvalidState');
  });

  it('without DRS automation the task waits for the VMs to be powered off, or fails with Timedout', async () => {
    const { ctx, registry, host, settled, vm } = setup();
    const h0 = host('DC0_H0');
    const timedOut = await settled(h0.EnterMaintenanceMode_Task(ctx, { timeout: 1 }));
    expect(errorType(timedOut)).toBe('Timedout');
    expect(h0.runtime.inMaintenanceMode).toBe(false);
    const ref = h0.EnterMaintenanceMode_Task(ctx, { timeout: 0 });
    await new Promise((r) => setTimeout(r, 50));
    expect(registry.require<Task>(ref).info.state).toBe('running');
    for (const name of ['DC0_H0_VM0', 'DC0_H0_VM1']) vm(name).setPowerState(ctx, 'poweredOff');
    expect((await settled(ref)).state).toBe('success');
    expect(h0.runtime.inMaintenanceMode).toBe(true);
  });

  it('reboot and shutdown need maintenance mode unless forced; standby and back', async () => {
    const { ctx, host, settled, cluster, vm } = setup();
    const h = host('DC0_H0');
    expect(errorType(await settled(h.ShutdownHost_Task(ctx, { force: false })))).toBe('InvalidState');
    expect(errorType(await settled(h.RebootHost_Task(ctx, {})))).toBe('InvalidState');
    expect((await settled(h.RebootHost_Task(ctx, { force: true }))).state).toBe('success');
    expect(vm('DC0_H0_VM0').powerState).toBe('poweredOff');
    expect((await settled(h.ShutdownHost_Task(ctx, { force: true }))).state).toBe('success');
    expect(h.runtime).toMatchObject({ powerState: 'poweredOff', connectionState: 'notResponding' });
    const c = host('DC0_C0_H2');
    expect((await settled(c.PowerDownHostToStandBy_Task(ctx, {}))).state).toBe('success');
    expect(c.runtime).toMatchObject({ powerState: 'standBy', standbyMode: 'in' });
    expect(cluster.summary.numEffectiveHosts).toBe(2);
    expect((await settled(c.PowerUpHostFromStandBy_Task(ctx, {}))).state).toBe('success');
    expect(errorType(await settled(c.PowerUpHostFromStandBy_Task(ctx, {})))).toBe('InvalidState');
    expect(cluster.summary.numEffectiveHosts).toBe(3);
  });

  it('UpdateFlags, QueryTpmAttestationReport, ReconnectHost_Task with a spec', async () => {
    const { ctx, host, settled } = setup();
    const h = host('DC0_H0');
    h.UpdateFlags(ctx, { flagInfo: { _type: 'HostFlagInfo', backgroundSnapshotsEnabled: true } });
    expect(h.config.flags).toMatchObject({ backgroundSnapshotsEnabled: true });
    expect(h.QueryTpmAttestationReport(ctx)).toBeUndefined();
    expect(errorType(await settled(h.ReconnectHost_Task(ctx, { cnxSpec: { hostName: 'elsewhere', force: false } })))).toBe('InvalidArgument');
    expect((await settled(h.ReconnectHost_Task(ctx, { cnxSpec: { hostName: 'DC0_H0', userName: 'root', password: 'x', force: false } }))).state).toBe('success');
  });
});

describe('Clusters', () => {
  const ruleSpec = (operation: string, info: DataObject, removeKey?: unknown) => ({ _type: 'ClusterRuleSpec', operation, info, removeKey });

  it('CreateClusterEx applies the spec over the defaults, with a pool, an environment browser and ClusterCreatedEvent; DuplicateName, NotSupported', () => {
    const { ctx, registry, hostFolder, dc, events } = setup();
    const ref = hostFolder.CreateClusterEx(ctx, { name: 'C1', spec: { drsConfig: { enabled: true, defaultVmBehavior: 'partiallyAutomated' }, dasConfig: { enabled: true }, vsanConfig: { enabled: true, defaultConfig: { autoClaimStorage: false } } } });
    const cluster = registry.require<ClusterComputeResource>(ref);
    expect(ref.value).toMatch(/^clustercomputeresource-\d+$/);
    expect(cluster.configurationEx.drsConfig).toMatchObject({ enabled: true, defaultVmBehavior: 'partiallyAutomated', vmotionRate: 3 });
    expect(cluster.configurationEx.dasConfig).toMatchObject({ enabled: true, failoverLevel: 1 });
    expect(cluster.configurationEx.vsanConfigInfo).toEqual({ enabled: true, defaultConfig: { autoClaimStorage: false } });
    expect((cluster.configuration.dasConfig as DataObject).enabled).toBe(true);
    expect(registry.require(cluster.resourcePool!)).toMatchObject({ name: 'Resources', owner: ref });
    expect(registry.require(cluster.environmentBrowser!).self.type).toBe('EnvironmentBrowser');
    expect(cluster.summary).toMatchObject({ numHosts: 0, numEffectiveHosts: 0, totalCpu: 0 });
    expect(events('ClusterCreatedEvent')).toHaveLength(1);
    expect(faultOf(() => hostFolder.CreateClusterEx(ctx, { name: 'C1', spec: {} }))).toBe('DuplicateName');
    expect(faultOf(() => registry.require<Folder>(dc.vmFolder).CreateClusterEx(ctx, { name: 'C2', spec: {} }))).toBe('NotSupported');
  });

  it('ReconfigureComputeResource_Task: groups, rules and overrides by add/edit/remove, read back in configurationEx; a bad update changes nothing', async () => {
    const { ctx, cluster, vm, settled, host, events } = setup();
    const [a, b] = [vm('DC0_C0_RP0_VM0'), vm('DC0_C0_RP0_VM1')];
    const h0 = host('DC0_C0_H0');
    const spec = {
      groupSpec: [
        { operation: 'add', info: { _type: 'ClusterVmGroup', name: 'web', vm: [a.self, b.self] } },
        { operation: 'add', info: { _type: 'ClusterHostGroup', name: 'hosts', host: [h0.self] } },
      ],
      rulesSpec: [
        ruleSpec('add', { _type: 'ClusterAntiAffinityRuleSpec', name: 'apart', enabled: true, vm: [a.self, b.self] }),
        ruleSpec('add', { _type: 'ClusterVmHostRuleInfo', name: 'pin', enabled: true, mandatory: true, vmGroupName: 'web', affineHostGroupName: 'hosts' }),
      ],
      drsVmConfigSpec: [{ operation: 'add', info: { key: a.self, enabled: true, behavior: 'manual' } }],
      dasVmConfigSpec: [{ operation: 'add', info: { key: a.self, restartPriority: 'high' } }],
      drsConfig: { defaultVmBehavior: 'partiallyAutomated' },
    };
    expect((await settled(cluster.ReconfigureComputeResource_Task(ctx, { spec, modify: true }))).state).toBe('success');
    const config = cluster.configurationEx;
    expect((config.group as DataObject[]).map((g) => [g._type, g.name])).toEqual([['ClusterVmGroup', 'web'], ['ClusterHostGroup', 'hosts']]);
    const rules = config.rule as DataObject[];
    expect(rules.map((r) => [r._type, r.name, r.key])).toEqual([['ClusterAntiAffinityRuleSpec', 'apart', 1], ['ClusterVmHostRuleInfo', 'pin', 2]]);
    expect(rules[0]!.ruleUuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(config.drsVmConfig).toEqual([{ key: a.self, enabled: true, behavior: 'manual' }]);
    expect(config.drsConfig).toMatchObject({ enabled: true, defaultVmBehavior: 'partiallyAutomated' });
    expect(cluster.FindRulesForVm(ctx, { vm: b.self }).map((r) => r.name)).toEqual(['apart', 'pin']);
    const edit = {
      rulesSpec: [ruleSpec('edit', { _type: 'ClusterAntiAffinityRuleSpec', key: 1, enabled: false }), ruleSpec('remove', undefined as never, 2)],
      groupSpec: [{ operation: 'edit', info: { _type: 'ClusterVmGroup', name: 'web', vm: [a.self] } }],
      drsVmConfigSpec: [{ operation: 'remove', removeKey: a.self }],
    };
    expect((await settled(cluster.ReconfigureComputeResource_Task(ctx, { spec: edit, modify: true }))).state).toBe('success');
    expect((cluster.configurationEx.rule as DataObject[]).map((r) => [r.name, r.enabled])).toEqual([['apart', false]]);
    expect((cluster.configurationEx.group as DataObject[])[0]!.vm).toEqual([a.self]);
    expect(cluster.configurationEx.drsVmConfig).toEqual([]);
    const before = cluster.configurationEx;
    const bad = { drsConfig: { enabled: false }, rulesSpec: [ruleSpec('edit', { key: 99, enabled: true })] };
    expect(errorType(await settled(cluster.ReconfigureComputeResource_Task(ctx, { spec: bad, modify: true })))).toBe('InvalidArgument');
    const orphan = { rulesSpec: [ruleSpec('add', { _type: 'ClusterVmHostRuleInfo', name: 'x', vmGroupName: 'nope', affineHostGroupName: 'hosts' })] };
    expect(errorType(await settled(cluster.ReconfigureComputeResource_Task(ctx, { spec: orphan, modify: true })))).toBe('InvalidArgument');
    expect(cluster.configurationEx).toBe(before);
    expect((cluster.configurationEx.drsConfig as DataObject).enabled).toBe(true);
    expect(events('ClusterReconfiguredEvent')).toHaveLength(2);
    // Without modify, the settings given replace the current ones.
    await settled(cluster.ReconfigureComputeResource_Task(ctx, { spec: { dasConfig: { enabled: true } }, modify: false }));
    expect(cluster.configurationEx.dasConfig).toEqual({ enabled: true });
  });

  it('AddHost_Task makes a host like the others, in the cluster, counted in the summary; AlreadyConnected; SSLVerifyFault names the thumbprint', async () => {
    const { ctx, registry, cluster, settled, events } = setup();
    const info = await settled(cluster.AddHost_Task(ctx, { spec: { hostName: 'esx-new', userName: 'root', password: 'x', force: false }, asConnected: true }));
    const host = registry.require<HostSystem>(info.result as MoRef);
    expect(host.name).toBe('esx-new');
    expect(host.parent).toEqual(cluster.self);
    expect((host.hardware.systemInfo as DataObject).uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(host.datastore.map((r) => r.value)).toEqual(registry.require<HostSystem>(cluster.host[0]!).datastore.map((r) => r.value));
    expect(cluster.summary).toMatchObject({ numHosts: 4, numEffectiveHosts: 4, numCpuCores: 8 });
    expect(events('HostAddedEvent')).toHaveLength(1);
    expect(errorType(await settled(cluster.AddHost_Task(ctx, { spec: { hostName: 'esx-new', force: false }, asConnected: true })))).toBe('AlreadyConnected');
    const wrong = await settled(cluster.AddHost_Task(ctx, { spec: { hostName: 'esx-2', sslThumbprint: 'AA:BB', force: false }, asConnected: true }));
    expect(errorType(wrong)).toBe('SSLVerifyFault');
    const thumbprint = ((wrong.error as DataObject).fault as DataObject).thumbprint as string;
    expect((await settled(cluster.AddHost_Task(ctx, { spec: { hostName: 'esx-2', sslThumbprint: thumbprint, force: false }, asConnected: false }))).state).toBe('success');
    expect(cluster.summary).toMatchObject({ numHosts: 5, numEffectiveHosts: 4 });
  });

  it('AddStandaloneHost_Task makes a compute resource of one host; MoveInto_Task takes it into a cluster with its VMs, its compute resource gone', async () => {
    const { ctx, registry, cluster, hostFolder, standalone, host, settled } = setup();
    const info = await settled(hostFolder.AddStandaloneHost_Task(ctx, { spec: { hostName: 'esx-solo', force: false }, addConnected: true }));
    const cr = registry.require<ComputeResource>(info.result as MoRef);
    expect(cr.self.type).toBe('ComputeResource');
    expect(cr.host).toHaveLength(1);
    expect(cr.summary).toMatchObject({ numHosts: 1, numEffectiveHosts: 1 });
    const h0 = host('DC0_H0');
    const vms = [...h0.vm];
    expect((await settled(cluster.MoveInto_Task(ctx, { host: [h0.self] }))).state).toBe('success');
    expect(h0.parent).toEqual(cluster.self);
    expect(registry.get(standalone.self)).toBeUndefined();
    expect(registry.get(standalone.resourcePool!)).toBeUndefined();
    for (const ref of vms) expect(registry.require<VirtualMachine>(ref).resourcePool).toEqual(cluster.resourcePool);
    expect(cluster.summary.numHosts).toBe(4);
    const member = host('DC0_C0_H1');
    const other = registry.require<ClusterComputeResource>(hostFolder.CreateClusterEx(ctx, { name: 'C9', spec: {} }));
    expect(errorType(await settled(other.MoveHostInto_Task(ctx, { host: member.self })))).toBe('InvalidState');
    member.runtime.inMaintenanceMode = true;
    expect((await settled(other.MoveHostInto_Task(ctx, { host: member.self }))).state).toBe('success');
    expect(other.summary).toMatchObject({ numHosts: 1, numEffectiveHosts: 0 });
    expect(cluster.summary.numHosts).toBe(3);
  });

  it('PlaceVm, RecommendHostsForVm and GetResourceUsage answer from the hosts', () => {
    const { ctx, cluster, vm } = setup();
    const result = cluster.PlaceVm(ctx, { placementSpec: { placementType: 'create' } });
    const action = ((result.recommendations as DataObject[])[0]!.action as DataObject[])[0]!;
    expect(cluster.host.map((h) => h.value)).toContain((action.targetHost as MoRef).value);
    expect(((action.relocateSpec as DataObject).pool as MoRef).value).toBe(cluster.resourcePool!.value);
    expect(faultOf(() => cluster.PlaceVm(ctx, { placementSpec: {} }))).toBe('InvalidArgument');
    const hosts = cluster.RecommendHostsForVm(ctx, { vm: vm('DC0_C0_RP0_VM0').self });
    expect(hosts).toHaveLength(3);
    expect(hosts[0]!.rating).toBe(5);
    const usage = cluster.GetResourceUsage(ctx);
    expect(usage.cpuCapacityMHz).toBe(cluster.summary.totalCpu);
    expect(usage.storageCapacityMB).toBeGreaterThan(0);
  });
});

describe('DRS placement on power-on', () => {
  it('a fully automated cluster powers a VM on on the least-loaded host; manual DRS keeps it; a host in maintenance mode is InvalidHostState', async () => {
    const { ctx, registry, cluster, settled, vm, host } = setup();
    const loads = () => cluster.hosts(registry).map((h) => h.vm.filter((r) => registry.require<VirtualMachine>(r).powerState === 'poweredOn').length);
    const busiest = cluster.hosts(registry).sort((a, b) => b.vm.length - a.vm.length)[0]!;
    const target = registry.require<VirtualMachine>(busiest.vm[0]!);
    target.setPowerState(ctx, 'poweredOff');
    const least = Math.min(...loads());
    expect((await settled(target.PowerOnVM_Task(ctx, {}))).state).toBe('success');
    const now = registry.require<HostSystem>(target.runtime.host as MoRef);
    expect(now.vm.filter((r) => r !== target.self && registry.require<VirtualMachine>(r).powerState === 'poweredOn').length).toBe(least);
    // Manual DRS: the VM stays on its host, even a busy one.
    await settled(cluster.ReconfigureComputeResource_Task(ctx, { spec: { drsConfig: { defaultVmBehavior: 'manual' } }, modify: true }));
    const other = vm('DC0_C0_RP0_VM1');
    const before = (other.runtime.host as MoRef).value;
    other.setPowerState(ctx, 'poweredOff');
    await settled(other.PowerOnVM_Task(ctx, {}));
    expect((other.runtime.host as MoRef).value).toBe(before);
    other.setPowerState(ctx, 'poweredOff');
    const h = registry.require<HostSystem>(other.runtime.host as MoRef);
    h.runtime.inMaintenanceMode = true;
    expect(errorType(await settled(other.PowerOnVM_Task(ctx, {})))).toBe('InvalidHostState');
    const elsewhere = cluster.hosts(registry).find((x) => x !== h)!;
    expect((await settled(other.PowerOnVM_Task(ctx, { host: elsewhere.self }))).state).toBe('success');
    expect((other.runtime.host as MoRef).value).toBe(elsewhere.self.value);
    expect(host('DC0_H0')).toBeDefined();
  });
});

describe('Folders and inventory', () => {
  it('a cluster host in maintenance mode moved into a host folder becomes a standalone host with its VMs; out of maintenance it is InvalidState', async () => {
    const { ctx, registry, hostFolder, cluster, host, settled } = setup();
    const h = host('DC0_C0_H2');
    expect(errorType(await settled(hostFolder.MoveIntoFolder_Task(ctx, { list: [h.self] })))).toBe('InvalidState');
    h.runtime.inMaintenanceMode = true;
    const vms = [...h.vm];
    expect((await settled(hostFolder.MoveIntoFolder_Task(ctx, { list: [h.self] }))).state).toBe('success');
    const cr = registry.require<ComputeResource>(h.parent!);
    expect(cr.self.type).toBe('ComputeResource');
    expect(cr.name).toBe('DC0_C0_H2');
    expect(hostFolder.childEntity.map((r) => r.value)).toContain(cr.self.value);
    for (const ref of vms) expect(registry.require<VirtualMachine>(ref).resourcePool).toEqual(cr.resourcePool);
    expect(cluster.summary.numHosts).toBe(2);
    expect(cr.summary.numHosts).toBe(1);
    // And back into a cluster (the standalone compute resource goes).
    expect((await settled(cluster.MoveInto_Task(ctx, { host: [h.self] }))).state).toBe('success');
    expect(registry.get(cr.self)).toBeUndefined();
  });

  it('Rename_Task keeps every copy of the name and posts the rename event of the type', async () => {
    const { ctx, registry, dc, cluster, settled, events } = setup();
    const ds = registry.ofType<ManagedEntity & { summary: DataObject; info: DataObject }>('Datastore')[0]!;
    const pg = registry.ofType<ManagedEntity & { config: DataObject }>('DistributedVirtualPortgroup').find((p) => p.name === 'DC0_DVPG0')!;
    const dvs = registry.ofType<ManagedEntity & { summary: DataObject; config: DataObject }>('VmwareDistributedVirtualSwitch')[0]!;
    for (const [entity, name] of [[ds, 'ds-renamed'], [pg, 'pg-renamed'], [dvs, 'dvs-renamed'], [dc, 'DC-renamed'], [cluster, 'C-renamed']] as [ManagedEntity, string][]) {
      expect((await settled(entity.Rename_Task(ctx, { newName: name }))).state).toBe('success');
      expect(entity.name).toBe(name);
    }
    expect([ds.summary.name, ds.info.name]).toEqual(['ds-renamed', 'ds-renamed']);
    expect(pg.config.name).toBe('pg-renamed');
    expect(dvs.summary.portgroupName).toContain('pg-renamed');
    expect([dvs.summary.name, dvs.config.name]).toEqual(['dvs-renamed', 'dvs-renamed']);
    for (const type of ['DatastoreRenamedEvent', 'DVPortgroupRenamedEvent', 'DvsRenamedEvent', 'DatacenterRenamedEvent']) expect(events(type), type).toHaveLength(1);
    expect(events('DatastoreRenamedEvent')[0]).toMatchObject({ oldName: 'LocalDS_0', newName: 'ds-renamed' });
  });
});

describe('World state', () => {
  it('a state file keeps new clusters, added hosts and their environment browsers, which answer after a restore', async () => {
    const { vc, ctx, registry, hostFolder, settled } = setup();
    const { worldToJson, worldFromJson } = await import('../../models/core/world-json.js');
    const { restoreWorld } = await import('../../models/core/world-state.js');
    const cluster = registry.require<ClusterComputeResource>(hostFolder.CreateClusterEx(ctx, { name: 'saved', spec: { drsConfig: { enabled: true } } }));
    await settled(cluster.AddHost_Task(ctx, { spec: { hostName: 'esx-saved', force: false }, asConnected: true }));
    const json = JSON.parse(JSON.stringify(worldToJson(vc)));
    const fresh = new VCenter({ topology: topologyFromFlags({}), seed: 1 });
    restoreWorld(fresh, worldFromJson(json));
    const restored = fresh.registry.require<ClusterComputeResource>(cluster.self);
    expect(restored.summary).toMatchObject({ numHosts: 1 });
    const browser = fresh.registry.require<EnvironmentBrowser>(restored.environmentBrowser!);
    expect(browser.QueryConfigTarget({ vc: fresh }, {}).numNumaNodes).toBe(1);
    expect(restored.configurationEx.drsConfig).toMatchObject({ enabled: true });
  });
});

describe('ClusterEVCManager', () => {
  it('configures a mode the hosts support, refuses a newer one or another vendor, disables', async () => {
    const { ctx, registry, cluster, settled, host } = setup();
    const evc = registry.require<import('../../models/cluster/cluster-evc-manager.js').ClusterEVCManager>(cluster.EvcManager(ctx));
    expect(cluster.EvcManager(ctx)).toEqual(evc.self);
    expect((await settled(evc.ConfigureEvcMode_Task(ctx, { evcModeKey: 'intel-ivybridge' }))).state).toBe('success');
    expect(cluster.summary.currentEVCModeKey).toBe('intel-ivybridge');
    expect(host('DC0_C0_H0').summary.currentEVCModeKey).toBe('intel-ivybridge');
    expect(errorType(await settled(evc.ConfigureEvcMode_Task(ctx, { evcModeKey: 'intel-haswell' })))).toBe('EVCModeUnsupportedByHosts');
    expect(errorType(await settled(evc.ConfigureEvcMode_Task(ctx, { evcModeKey: 'amd-zen' })))).toBe('EVCModeIllegalByVendor');
    expect(errorType(await settled(evc.ConfigureEvcMode_Task(ctx, { evcModeKey: 'nope' })))).toBe('InvalidArgument');
    expect(cluster.summary.currentEVCModeKey).toBe('intel-ivybridge');
    expect((await settled(evc.DisableEvcMode_Task(ctx))).state).toBe('success');
    expect(cluster.summary.currentEVCModeKey).toBeUndefined();
  });
});

describe('Summaries follow host state', () => {
  it('a disconnected host leaves the effective capacity; the config target lists a host CD-ROM its storage has', async () => {
    const { ctx, cluster, host, settled, browser } = setup();
    const h = host('DC0_C0_H1');
    await settled(h.DisconnectHost_Task(ctx));
    expect(cluster.summary).toMatchObject({ numHosts: 3, numEffectiveHosts: 2, effectiveCpu: 2 * 2 * 2294 });
    await settled(h.ReconnectHost_Task(ctx, {}));
    expect(cluster.summary.numEffectiveHosts).toBe(3);
    const storage = h.config.storageDevice as DataObject;
    storage.scsiLun = [{ _type: 'ScsiLun', lunType: 'cdrom', canonicalName: 'mpx.vmhba64:C0:T0:L0', deviceName: '/vmfs/devices/cdrom/mpx.vmhba64:C0:T0:L0', displayName: 'Local NECVMWar CD-ROM (mpx.vmhba64:C0:T0:L0)' }];
    expect(browser(cluster).QueryConfigTarget(ctx, { host: h.self }).cdRom).toEqual([
      { name: '/vmfs/devices/cdrom/mpx.vmhba64:C0:T0:L0', configurationTag: [], description: 'Local NECVMWar CD-ROM (mpx.vmhba64:C0:T0:L0)' },
    ]);
  });
});

describe('Saved inventories', () => {
  it('a loaded compute resource without an environment browser gets one', async () => {
    const { vc, ctx, registry, cluster, standalone, browser } = setup();
    const { equipComputeResources } = await import('../../models/inventory/load-saved.js');
    registry.remove(cluster.environmentBrowser!);
    cluster.environmentBrowser = undefined;
    expect(equipComputeResources(vc, [cluster.self, standalone.self])).toEqual([`ClusterComputeResource:${cluster.self.value}`]);
    expect(browser(cluster).QueryConfigOption(ctx, {})!.version).toBe('vmx-17');
  });
});

describe('Destroy and tags', () => {
  it('a destroyed cluster, its hosts and a destroyed datastore lose their tags', async () => {
    const { vc, ctx, registry, hostFolder, settled } = setup({ ds: 2 });
    const category = vc.tagging.createCategory({ name: 'env', description: '', cardinality: 'MULTIPLE', associable_types: [] });
    const tag = vc.tagging.createTag({ name: 'prod', description: '', category_id: category });
    const cluster = registry.require<ClusterComputeResource>(hostFolder.CreateClusterEx(ctx, { name: 'tagged', spec: {} }));
    const host = registry.require<HostSystem>((await settled(cluster.AddHost_Task(ctx, { spec: { hostName: 'esx-tagged', force: false }, asConnected: true }))).result as MoRef);
    const ds = registry.ofType<ManagedEntity & { vm: MoRef[] }>('Datastore').find((d) => d.vm.length === 0)!;
    for (const entity of [cluster, host, ds] as ManagedEntity[]) vc.tagging.attach(tag, { type: entity.self.type, id: entity.self.value });
    host.runtime.inMaintenanceMode = true;
    await settled(cluster.Destroy_Task(ctx));
    await settled(ds.Destroy_Task(ctx));
    expect(vc.tagging.listAttachedObjects(tag)).toEqual([]);
  });
});

describe('Cluster configuration follows its members', () => {
  it('a destroyed VM leaves its overrides, groups and rules; a removed host its host groups', async () => {
    const { ctx, registry, cluster, settled } = setup();
    const [a, b] = cluster.hosts(registry).flatMap((host) => host.vm);
    const h = cluster.hosts(registry)[2]!;
    const spec = {
      groupSpec: [
        { operation: 'add', info: { _type: 'ClusterVmGroup', name: 'vms', vm: [a, b] } },
        { operation: 'add', info: { _type: 'ClusterHostGroup', name: 'hosts', host: [h.self] } },
      ],
      rulesSpec: [{ operation: 'add', info: { _type: 'ClusterAffinityRuleSpec', name: 'together', vm: [a, b] } }],
      drsVmConfigSpec: [{ operation: 'add', info: { key: a, behavior: 'manual' } }],
      dasVmConfigSpec: [{ operation: 'add', info: { key: a, restartPriority: 'high' } }],
    };
    await settled(cluster.ReconfigureComputeResource_Task(ctx, { spec, modify: true }));
    const vm = registry.require<VirtualMachine>(a!);
    vm.setPowerState(ctx, 'poweredOff');
    expect((await settled(vm.Destroy_Task(ctx))).state).toBe('success');
    const config = cluster.configurationEx;
    expect(config.drsVmConfig).toEqual([]);
    expect(config.dasVmConfig).toEqual([]);
    expect((config.group as DataObject[])[0]!.vm).toEqual([b]);
    expect((config.rule as DataObject[])[0]!.vm).toEqual([b]);
    expect((cluster.configuration.drsVmConfig as DataObject[])).toEqual([]);
    for (const ref of [...h.vm]) registry.require<VirtualMachine>(ref).setPowerState(ctx, 'poweredOff');
    h.runtime.inMaintenanceMode = true;
    expect((await settled(h.Destroy_Task(ctx))).state).toBe('success');
    expect((cluster.configurationEx.group as DataObject[])[1]!.host).toEqual([]);
  });
});

describe('CreateVM_Task placement', () => {
  it('a VM created in a cluster pool never lands on a host in maintenance mode', async () => {
    const { ctx, registry, dc, cluster, settled } = setup();
    const hosts = cluster.hosts(registry);
    for (const h of hosts.slice(0, 2)) h.runtime.inMaintenanceMode = true;
    const folder = registry.require<Folder>(dc.vmFolder);
    const info = await settled(folder.CreateVM_Task(ctx, { config: { name: 'placed', files: { vmPathName: '[LocalDS_0]' } } as never, pool: cluster.resourcePool! }));
    expect(((registry.require<VirtualMachine>(info.result as MoRef).runtime.host) as MoRef).value).toBe(hosts[2]!.self.value);
    hosts[2]!.runtime.inMaintenanceMode = true;
    const none = await settled(folder.CreateVM_Task(ctx, { config: { name: 'nowhere', files: { vmPathName: '[LocalDS_0]' } } as never, pool: cluster.resourcePool! }));
    expect(errorType(none)).toBe('InvalidState');
  });
});

describe('Hardware versions by ESXi release', () => {
  it('a 6.7 host runs up to vmx-14 (vmx-15 from 6.7 U2); a cluster of mixed hosts lists each version with the hosts that run it', () => {
    const { ctx, cluster, host, browser } = setup();
    const old = host('DC0_C0_H0');
    old.config.product = { ...(old.config.product as DataObject), version: '6.7.0', build: '8169922' };
    const descriptors = browser(cluster).QueryConfigOptionDescriptor(ctx);
    expect(descriptors.find((d) => d.key === 'vmx-15')!.host).toHaveLength(2);
    expect(descriptors.find((d) => d.key === 'vmx-14')!.host).toHaveLength(3);
    expect(browser(cluster).QueryConfigOption(ctx, { host: old.self })!.version).toBe('vmx-14');
    old.config.product = { ...(old.config.product as DataObject), build: '13006603' };
    expect(browser(cluster).QueryConfigOption(ctx, { host: old.self })!.version).toBe('vmx-15');
  });
});
