import { describe, expect, it } from 'vitest';
import type { ClusterComputeResource } from '../../models/cluster/cluster-compute-resource.js';
import type { EnvironmentBrowser } from '../../models/cluster/environment-browser.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import type { HostSystem } from '../../models/host/host-system.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { VCenter } from '../../models/vcenter.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import { errorType, faultOf, setup } from './compute-support.js';

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
    // Guests outside the table are named by rule, as VMware names them.
    const name = (id: string) => guests.find((g) => g.id === id)!.fullName;
    expect([name('rhel5_64Guest'), name('centos64Guest'), name('darwin19_64Guest'), name('windows2019srv_64Guest'), name('winNetEnterprise64Guest')]).toEqual([
      'Red Hat Enterprise Linux 5 (64-bit)', 'CentOS 4/5 (64-bit)', 'Apple macOS 10.15 (64-bit)', 'Microsoft Windows Server 2019 (64-bit)', 'Microsoft Windows Server 2003 Enterprise (64-bit)',
    ]);
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

describe('World state', () => {
  it('a state file keeps new clusters, added hosts and their environment browsers, which answer after a restore', async () => {
    const { vc, ctx, registry, hostFolder, settled } = setup();
    const { worldToJson, worldFromJson } = await import('../../models/inventory/world-json.js');
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
