import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTopologyFile, serviceContent, topologyFromFlags, type Topology, type VcsimFlags } from '../../models/inventory/index.js';
import type { ManagedObject } from '../../models/core/managed-object.js';
import { MoRef, type DataObject } from '../../models/core/moref.js';
import { VCenter } from '../../models/vcenter.js';

type Obj = ManagedObject & Record<string, any>;

const build = (flags: Partial<VcsimFlags> = {}, seed?: number) => new VCenter({ topology: topologyFromFlags(flags), seed });
const all = (vc: VCenter, type: string) => vc.registry.ofType<Obj>(type);
const names = (vc: VCenter, type: string) => all(vc, type).map((o) => o.name);
const byName = (vc: VCenter, type: string, name: string) => all(vc, type).find((o) => o.name === name)!;
const get = (vc: VCenter, ref: MoRef) => vc.registry.require<Obj>(ref);
const ids = (refs: MoRef[]) => refs.map((r) => r.value);

const ENTITY_TYPES = [
  'Folder',
  'StoragePod',
  'Datacenter',
  'ComputeResource',
  'ClusterComputeResource',
  'HostSystem',
  'ResourcePool',
  'VirtualApp',
  'Datastore',
  'Network',
  'DistributedVirtualPortgroup',
  'VmwareDistributedVirtualSwitch',
  'VirtualMachine',
];

/** Every inventory object (and the host managers), in registry order, as JSON. */
function inventoryJson(vc: VCenter): string {
  const types = new Set([...ENTITY_TYPES, 'HostDatastoreSystem', 'HostNetworkSystem', 'HostStorageSystem', 'HostDatastoreBrowser', 'EnvironmentBrowser']);
  const objects = [...ENTITY_TYPES, ...types].flatMap((t) => all(vc, t));
  return JSON.stringify([...new Set(objects)]);
}

describe('VPX default model (vcsim VPX)', () => {
  const vc = build();

  it('has vcsim’s names and counts', () => {
    expect(names(vc, 'Datacenter')).toEqual(['DC0']);
    expect(names(vc, 'ClusterComputeResource')).toEqual(['DC0_C0']);
    expect(names(vc, 'ComputeResource')).toEqual(['DC0_H0']);
    expect(names(vc, 'HostSystem')).toEqual(['DC0_H0', 'DC0_C0_H0', 'DC0_C0_H1', 'DC0_C0_H2']);
    expect(names(vc, 'VirtualMachine')).toEqual(['DC0_H0_VM0', 'DC0_H0_VM1', 'DC0_C0_RP0_VM0', 'DC0_C0_RP0_VM1']);
    expect(names(vc, 'Datastore')).toEqual(['LocalDS_0']);
    expect(names(vc, 'Network')).toEqual(['VM Network']);
    expect(names(vc, 'VmwareDistributedVirtualSwitch')).toEqual(['DVS0']);
    expect(names(vc, 'DistributedVirtualPortgroup')).toEqual(['DVS0-DVUplinks-9', 'DC0_DVPG0']);
    expect(names(vc, 'ResourcePool')).toEqual(['Resources', 'Resources']);
    expect(names(vc, 'Folder')).toEqual(['Datacenters', 'vm', 'host', 'datastore', 'network']);
  });

  it('has vcsim’s moref ids', () => {
    const id = (type: string, name: string) => byName(vc, type, name).self.value;
    expect(vc.rootFolder.value).toBe('group-d1');
    expect(vc.registry.ofType('LicenseAssignmentManager')[0]!.self.value).toBe('licenseassignmentmanager-1');
    expect(id('Datacenter', 'DC0')).toBe('datacenter-2');
    const dc = byName(vc, 'Datacenter', 'DC0');
    expect([dc.vmFolder, dc.hostFolder, dc.datastoreFolder, dc.networkFolder].map((r: MoRef) => r.value)).toEqual(['folder-3', 'folder-4', 'folder-5', 'folder-6']);
    expect(id('Network', 'VM Network')).toBe('network-7');
    expect(id('VmwareDistributedVirtualSwitch', 'DVS0')).toBe('dvs-9');
    expect(id('DistributedVirtualPortgroup', 'DVS0-DVUplinks-9')).toBe('dvportgroup-11');
    expect(id('DistributedVirtualPortgroup', 'DC0_DVPG0')).toBe('dvportgroup-13');
    expect(id('HostSystem', 'DC0_H0')).toBe('host-21');
    expect(id('ComputeResource', 'DC0_H0')).toBe('computeresource-23');
    expect(byName(vc, 'ComputeResource', 'DC0_H0').resourcePool.value).toBe('resgroup-22');
    expect(id('ClusterComputeResource', 'DC0_C0')).toBe('clustercomputeresource-27');
    expect(byName(vc, 'ClusterComputeResource', 'DC0_C0').resourcePool.value).toBe('resgroup-26');
    expect(['DC0_C0_H0', 'DC0_C0_H1', 'DC0_C0_H2'].map((n) => id('HostSystem', n))).toEqual(['host-34', 'host-42', 'host-50']);
    expect(id('Datastore', 'LocalDS_0')).toBe('LocalDS_0@folder-5');
    expect(ids(all(vc, 'VirtualMachine').map((vm) => vm.self))).toEqual(['vm-57', 'vm-60', 'vm-63', 'vm-66']);
  });

  it('derives UUIDs from names as vcsim does when no seed is given', () => {
    expect(byName(vc, 'HostSystem', 'DC0_H0').hardware.systemInfo.uuid).toBe('dcf7fb3c-4a1c-5a05-b730-5e09f3704e2f');
    const vm = byName(vc, 'VirtualMachine', 'DC0_H0_VM0');
    expect(vm.config.uuid).toBe('265104de-1472-547c-b873-6dc7883fb6cb');
    expect(vm.config.instanceUuid).toBe('b4689bed-97f0-5bcd-8a4c-07477cc8f06f');
    expect(byName(vc, 'VmwareDistributedVirtualSwitch', 'DVS0').uuid).toBe('fea97929-4b2d-5972-b146-930c6d0b4014');
  });

  it('gives VMs the values vcsim’s VMs have, powered on with tools and an IP', () => {
    const vm = byName(vc, 'VirtualMachine', 'DC0_H0_VM0');
    expect(vm.config.files.vmPathName).toBe('[LocalDS_0] DC0_H0_VM0/DC0_H0_VM0.vmx');
    expect(vm.config.hardware).toMatchObject({ numCPU: 1, numCoresPerSocket: 1, memoryMB: 32 });
    expect(vm.config).toMatchObject({ version: 'vmx-13', guestId: 'otherGuest', template: false });
    expect(vm.runtime).toMatchObject({ powerState: 'poweredOn', connectionState: 'connected' });
    expect(vm.runtime.host.value).toBe('host-21');
    expect(vm.summary.runtime).toBe(vm.runtime);
    expect(vm.guest).toMatchObject({ toolsRunningStatus: 'guestToolsRunning', guestState: 'running' });
    expect(vm.guest.ipAddress).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(vm.summary.guest.ipAddress).toBe(vm.guest.ipAddress);
    expect(vm.snapshot).toBeUndefined();

    const devices = vm.config.hardware.device as DataObject[];
    const disk = devices.find((d) => d._type === 'VirtualDisk')!;
    expect(disk).toMatchObject({ key: 2000, controllerKey: 202, unitNumber: 0, capacityInKB: 1024 });
    expect(disk.backing).toMatchObject({ _type: 'VirtualDiskFlatVer2BackingInfo', fileName: '[LocalDS_0] DC0_H0_VM0/disk1.vmdk' });
    expect((disk.backing as DataObject).datastore).toEqual(new MoRef('Datastore', 'LocalDS_0@folder-5'));
    const nic = devices.find((d) => d._type === 'VirtualE1000')!;
    expect(nic.macAddress).toMatch(/^00:0c:29(:[0-9a-f]{2}){3}$/);
    expect(nic.backing).toEqual({
      _type: 'VirtualEthernetCardDistributedVirtualPortBackingInfo',
      port: { switchUuid: 'fea97929-4b2d-5972-b146-930c6d0b4014', portgroupKey: 'dvportgroup-13' },
    });
    expect(devices.some((d) => d._type === 'ParaVirtualSCSIController' && d.key === 202)).toBe(true);
    expect(devices.some((d) => d._type === 'VirtualCdrom')).toBe(true);
    expect(ids(vm.network)).toEqual(['dvportgroup-13']);
    expect(vm.guest.net[0]).toMatchObject({ network: 'DC0_DVPG0', macAddress: nic.macAddress, ipAddress: [vm.guest.ipAddress] });
  });

  it('sums host capacity into compute resources and mounts the datastore everywhere', () => {
    const cluster = byName(vc, 'ClusterComputeResource', 'DC0_C0');
    expect(cluster.summary).toMatchObject({ _type: 'ClusterComputeResourceSummary', numHosts: 3, numEffectiveHosts: 3, numCpuCores: 6 });
    expect(cluster.summary.totalMemory).toBe(3 * 4294430720);
    const ds = byName(vc, 'Datastore', 'LocalDS_0');
    expect(ds.host.map((m: DataObject) => (m.key as MoRef).value)).toEqual(['host-21', 'host-34', 'host-42', 'host-50']);
    expect(ds.summary.freeSpace).toBeLessThan(ds.summary.capacity);
    expect(ds.summary.url).toBe(ds.info.url);
    expect(ds.browser.type).toBe('HostDatastoreBrowser');
  });

  it('keeps parent and child links consistent both ways', () => {
    expectConsistentTree(vc);
  });
});

describe('ESX default model (vcsim ESX)', () => {
  const vc = build({ esx: true });

  it('has vcsim’s fixed ha-* ids and names', () => {
    expect(vc.rootFolder.value).toBe('ha-folder-root');
    const dc = all(vc, 'Datacenter')[0]!;
    expect([dc.self.value, dc.name]).toEqual(['ha-datacenter', 'ha-datacenter']);
    expect([dc.vmFolder, dc.hostFolder, dc.datastoreFolder, dc.networkFolder].map((r: MoRef) => r.value)).toEqual([
      'ha-folder-vm',
      'ha-folder-host',
      'ha-folder-datastore',
      'ha-folder-network',
    ]);
    const host = all(vc, 'HostSystem')[0]!;
    expect([host.self.value, host.name]).toEqual(['ha-host', 'localhost.localdomain']);
    expect(host.hardware.systemInfo.uuid).toBe('564d2f12-8041-639b-5018-05a835b72eaf');
    expect(host.parent.value).toBe('ha-compute-res');
    expect(get(vc, host.parent).resourcePool.value).toBe('ha-root-pool');
    expect(all(vc, 'Network').map((n) => n.self.value)).toEqual(['HaNetwork-VM Network']);
    expect(names(vc, 'VirtualMachine')).toEqual(['ha-host_VM0', 'ha-host_VM1']);
    expect(ids(all(vc, 'VirtualMachine').map((vm) => vm.self))).toEqual(['vm-9', 'vm-12']);
    expect(all(vc, 'Datastore').map((d) => d.self.value)).toEqual(['LocalDS_0@ha-folder-datastore']);
    expect(all(vc, 'VmwareDistributedVirtualSwitch')).toHaveLength(0);
    expect(all(vc, 'ResourcePool')[0]!.disabledMethod).toEqual(['CreateVApp', 'CreateChildVM_Task']);
  });

  it('keeps parent and child links consistent both ways', () => {
    expectConsistentTree(vc);
  });
});

describe('serviceContent', () => {
  it('names vcsim’s service objects and reports vSphere 7.0', () => {
    const vpx = serviceContent('VPX');
    expect(vpx._type).toBe('ServiceContent');
    expect(vpx.rootFolder).toEqual(new MoRef('Folder', 'group-d1'));
    expect(vpx.propertyCollector).toEqual(new MoRef('PropertyCollector', 'propertyCollector'));
    expect(vpx.setting).toEqual(new MoRef('OptionManager', 'VpxSettings'));
    expect(vpx.perfManager).toEqual(new MoRef('PerformanceManager', 'PerfMgr'));
    expect(vpx.accountManager).toBeUndefined();
    expect(vpx.about).toMatchObject({ name: 'VMware vCenter Server', apiType: 'VirtualCenter', apiVersion: '7.0', version: '7.0.0' });
    expect((vpx.about as DataObject).fullName).toMatch(/^VMware vCenter Server 7\.0\.0 build-\d+$/);

    const esx = serviceContent('ESX');
    expect(esx.rootFolder).toEqual(new MoRef('Folder', 'ha-folder-root'));
    expect(esx.propertyCollector).toEqual(new MoRef('PropertyCollector', 'ha-property-collector'));
    expect(esx.sessionManager).toEqual(new MoRef('SessionManager', 'ha-sessionmgr'));
    expect(esx.accountManager).toEqual(new MoRef('HostLocalAccountManager', 'ha-localacctmgr'));
    expect(esx.alarmManager).toBeUndefined();
    expect(esx.about).toMatchObject({ name: 'VMware ESXi', apiType: 'HostAgent', apiVersion: '7.0' });
  });
});

describe('topology flags', () => {
  it('follows vcsim’s creation order for other flags (ids match vcsim for -dc 2 -folder 1 -pool 1 -app 1 -pod 1 -ds 2)', () => {
    const vc = build({ dc: 2, cluster: 2, host: 2, vm: 1, pool: 1, folder: 1, pg: 1, app: 1, pod: 1, ds: 2, pgNSX: 1 });
    const id = (type: string, name: string) => byName(vc, type, name).self.value;
    expect(id('StoragePod', 'DC0_POD0')).toBe('storagepod-8');
    expect(id('VmwareDistributedVirtualSwitch', 'DVS0')).toBe('dvs-10');
    expect(id('DistributedVirtualPortgroup', 'DC0_NSXPG0')).toBe('dvportgroup-16');
    expect(id('HostSystem', 'DC0_H0')).toBe('host-24');
    expect(id('ResourcePool', 'DC0_C0_RP1')).toBe('resgroup-47');
    expect(id('VirtualApp', 'DC0_C0_APP0')).toBe('virtualapp-48');
    expect(id('Folder', 'F0')).toBe('folder-70');
    expect(id('Datacenter', 'DC1')).toBe('datacenter-71');
    expect(byName(vc, 'Datacenter', 'DC1').parent.value).toBe('folder-70');
    expect(id('VirtualMachine', 'DC0_H0_VM0')).toBe('vm-164');
    expect(id('VirtualMachine', 'DC1_C1_APP0_VM0')).toBe('vm-191');
    expect(byName(vc, 'VirtualMachine', 'DC1_H0_VM0').parent.value).toBe('folder-81');
    expect(all(vc, 'Datastore').map((d) => d.self.value)).toEqual(['LocalDS_0@folder-5', 'LocalDS_1@folder-5', 'LocalDS_0@folder-78', 'LocalDS_1@folder-78']);
    expectConsistentTree(vc);
  });

  it('scales to 1,000 VMs with unique identities', () => {
    const vc = build({ cluster: 2, standaloneHost: 0, vm: 500 }, 7);
    const vms = all(vc, 'VirtualMachine');
    expect(vms).toHaveLength(1000);
    const unique = (values: unknown[]) => new Set(values).size;
    expect(unique(vms.map((vm) => vm.config.uuid))).toBe(1000);
    expect(unique(vms.map((vm) => vm.config.instanceUuid))).toBe(1000);
    expect(unique(vms.map((vm) => vm.guest.ipAddress))).toBe(1000);
    expect(unique(vms.map((vm) => vm.guest.net[0].macAddress))).toBe(1000);
    expect(get(vc, byName(vc, 'Datacenter', 'DC0').vmFolder).childEntity).toHaveLength(1000);
    expectConsistentTree(vc);
  });

  // How fast is measured by `npm run bench` (start-up with 5,000 and 20,000 VMs), not here.
  it('builds 5,000 VMs', () => {
    const vc = build({ cluster: 4, standaloneHost: 0, vm: 1250 }, 1);
    expect(all(vc, 'VirtualMachine')).toHaveLength(5000);
  });

  it('uses vcsim’s defaults for absent flags', () => {
    const topology = topologyFromFlags({ dc: undefined, vm: 3 });
    expect(topology.model).toBe('VPX');
    expect(topology.datacenters).toHaveLength(1);
    expect(topology.datacenters[0]).toMatchObject({ name: 'DC0', datastores: 1, portgroups: 1 });
    expect(topology.datacenters[0]!.hosts).toEqual([{ vms: 3 }]);
    expect(topology.datacenters[0]!.clusters).toEqual([{ hosts: 3, vms: 3, pools: 0, apps: 0 }]);
  });
});

describe('vcsim flags beyond counts', () => {
  const events = (vc: VCenter) => (vc.events as unknown as { events: { toArray(): { event: DataObject }[] } }).events.toArray().map((e) => e.event);
  const countOf = (list: DataObject[], type: string) => list.filter((e) => e._type === type).length;

  it('carries the event history vcsim\'s model builder leaves: datacenter, switch, portgroups, host joins, VM creation and power-on', () => {
    const vc = build();
    const list = events(vc);
    expect(list[0]).toMatchObject({ _type: 'DatacenterCreatedEvent', fullFormattedMessage: 'Created datacenter DC0 in folder Datacenters', datacenter: { name: 'DC0' } });
    expect(countOf(list, 'DvsCreatedEvent')).toBe(1);
    expect(countOf(list, 'DVPortgroupCreatedEvent')).toBe(2); // the uplinks and DC0_DVPG0
    expect(countOf(list, 'DvsHostJoinedEvent')).toBe(4);
    for (const type of ['VmBeingCreatedEvent', 'VmInstanceUuidAssignedEvent', 'VmUuidAssignedEvent', 'VmCreatedEvent', 'VmStartingEvent', 'VmPoweredOnEvent']) {
      expect(countOf(list, type), type).toBe(4);
    }
    const vm = byName(vc, 'VirtualMachine', 'DC0_H0_VM0');
    const created = list.find((e) => e._type === 'VmCreatedEvent' && (e.vm as { vm: MoRef }).vm.value === vm.self.value)!;
    expect(created).toMatchObject({ fullFormattedMessage: 'Created virtual machine DC0_H0_VM0 on DC0_H0 in DC0', host: { name: 'DC0_H0' } });
    const uuid = list.find((e) => e._type === 'VmUuidAssignedEvent' && (e.vm as DataObject).name === 'DC0_H0_VM0')!;
    expect(uuid.uuid).toBe(vm.config.uuid);
    // The VM's events are in the chain of the task that made them: vcsim's builder ran CreateVM_Task, PowerOnVM_Task.
    const tasks = all(vc, 'Task').map((t) => t.info);
    const createTask = tasks.find((t) => t.name === 'CreateVM_Task' && t.result?.value === vm.self.value)!;
    expect(createTask).toMatchObject({ state: 'success', descriptionId: 'Folder.createVm', entityName: 'vm', progress: 100 });
    expect(uuid.chainId).toBe(createTask.eventChainId);
    const powerOn = tasks.find((t) => t.name === 'PowerOnVM_Task' && t.entity.value === vm.self.value)!;
    expect(list.find((e) => e._type === 'VmPoweredOnEvent' && (e.vm as DataObject).name === 'DC0_H0_VM0')!.chainId).toBe(powerOn.eventChainId);
    // The tasks take the ids vcsim's tasks take: DC0_H0's AddStandaloneHost_Task is task-14, before its managers and host-21.
    expect(tasks.find((t) => t.name === 'AddStandaloneHost_Task')!.key).toBe('task-14');
    expect(tasks.map((t) => t.name).filter((n, i, a) => a.indexOf(n) === i).sort()).toEqual([
      'AddDVPortgroup_Task', 'AddHost_Task', 'AddStandaloneHost_Task', 'CreateDVS_Task', 'CreateVM_Task', 'PowerOnVM_Task', 'ReconfigureDvs_Task',
    ]);
    expect(get(vc, vc.content.taskManager as MoRef).recentTask).toHaveLength(tasks.length);
    // The model's fixed past, not the time of the start: the same inventory each time.
    expect(JSON.stringify(events(build()))).toBe(JSON.stringify(list));
  });

  it('-autostart=false leaves the VMs powered off, without power-on events, the ESX model too', () => {
    for (const vc of [build({ autostart: false }), build({ esx: true, autostart: false })]) {
      const vms = all(vc, 'VirtualMachine');
      expect(vms.length).toBeGreaterThan(0);
      for (const vm of vms) {
        expect(vm.runtime.powerState).toBe('poweredOff');
        expect(vm.summary.runtime.powerState).toBe('poweredOff');
        expect(vm.guest.toolsRunningStatus).toBe('guestToolsNotRunning');
      }
      expect(countOf(events(vc), 'VmPoweredOnEvent')).toBe(0);
      expect(countOf(events(vc), 'VmCreatedEvent')).toBe(vms.length);
    }
  });

  it('-nsx N adds opaque networks (nsx.LogicalSwitch) to each datacenter\'s network folder', () => {
    const vc = build({ dc: 2, nsx: 2 });
    expect(names(vc, 'OpaqueNetwork')).toEqual(['DC0_NSX0', 'DC0_NSX1', 'DC1_NSX0', 'DC1_NSX1']);
    const net = byName(vc, 'OpaqueNetwork', 'DC1_NSX1');
    expect(net.summary).toMatchObject({ _type: 'OpaqueNetworkSummary', name: 'DC1_NSX1', accessible: true, opaqueNetworkType: 'nsx.LogicalSwitch', network: net.self });
    expect(net.summary.opaqueNetworkId).toMatch(/^[0-9a-f-]{36}$/);
    expect(get(vc, net.parent).name).toBe('network');
    expectConsistentTree(vc);
  });

  it('-pool N puts -vm VMs into each child pool, none into the root pool (vcsim 0.38)', () => {
    const vc = build({ pool: 2, vm: 1, standaloneHost: 0 });
    expect(names(vc, 'VirtualMachine')).toEqual(['DC0_C0_RP1_VM0', 'DC0_C0_RP2_VM0']);
    expect(byName(vc, 'VirtualMachine', 'DC0_C0_RP2_VM0').resourcePool).toEqual(byName(vc, 'ResourcePool', 'DC0_C0_RP2').self);
    expect(byName(vc, 'ResourcePool', 'Resources').vm).toEqual([]);
    expectConsistentTree(vc);
  });
});

describe('determinism', () => {
  const vmUuids = (vc: VCenter) => all(vc, 'VirtualMachine').map((vm) => vm.config.uuid);

  it('gives the same inventory for the same topology and seed', () => {
    expect(inventoryJson(build({ vm: 5 }, 42))).toBe(inventoryJson(build({ vm: 5 }, 42)));
    expect(inventoryJson(build())).toBe(inventoryJson(build()));
  });

  it('gives other UUIDs, MACs and IPs for another seed', () => {
    const a = build({}, 1);
    const b = build({}, 2);
    expect(vmUuids(a)).not.toEqual(vmUuids(b));
    expect(vmUuids(a)).not.toEqual(vmUuids(build()));
    const macs = (vc: VCenter) => all(vc, 'VirtualMachine').map((vm) => vm.guest.net[0].macAddress);
    expect(macs(a)).not.toEqual(macs(b));
    expect(names(a, 'VirtualMachine')).toEqual(names(b, 'VirtualMachine'));
  });
});

describe('topology files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vcsim-topology-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('loads a declarative YAML topology with overrides', () => {
    const path = file(
      'lab.yaml',
      [
        'model: VPX',
        'datacenters:',
        '  - name: Lab',
        '    folder: Europe',
        '    hosts: [{ name: esx-01, vms: 1 }]',
        '    clusters:',
        '      - name: Prod',
        '        hostNames: [esx-11, esx-12]',
        '        vms: 3',
        '        pools: 1',
        '    datastores: 2',
        '    portgroups: 0',
        'overrides:',
        '  - path: Europe/Lab/vm/Europe/Prod_RP1_VM1',
        '    set: { config.hardware.numCPU: 4, summary.config.numCpu: 4 }',
        '  - path: Europe/Lab/vm/Europe/*',
        "    set: { config.annotation: lab }",
        '  - path: Europe/Lab/host/Europe/Prod/esx-12',
        "    set: { runtime.inMaintenanceMode: true }",
      ].join('\n'),
    );
    const topology = loadTopologyFile(path);
    const vc = new VCenter({ topology, seed: 1 });
    expect(names(vc, 'Datacenter')).toEqual(['Lab']);
    expect(names(vc, 'HostSystem')).toEqual(['esx-01', 'esx-11', 'esx-12']);
    // With child pools, the VMs go into each child pool, not the root pool (vcsim 0.38).
    expect(names(vc, 'VirtualMachine')).toEqual(['esx-01_VM0', 'Prod_RP1_VM0', 'Prod_RP1_VM1', 'Prod_RP1_VM2']);
    expect(names(vc, 'Datastore')).toEqual(['LocalDS_0', 'LocalDS_1']);
    expect(names(vc, 'ResourcePool')).toContain('Prod_RP1');
    expect(all(vc, 'VmwareDistributedVirtualSwitch')).toHaveLength(0);
    const vm = byName(vc, 'VirtualMachine', 'Prod_RP1_VM1');
    expect(vm.resourcePool).toEqual(byName(vc, 'ResourcePool', 'Prod_RP1').self);
    expect(vm.config.hardware.numCPU).toBe(4);
    expect(vm.summary.config.numCpu).toBe(4);
    expect(byName(vc, 'VirtualMachine', 'Prod_RP1_VM0').config.hardware.numCPU).toBe(1);
    expect(all(vc, 'VirtualMachine').map((v) => v.config.annotation)).toEqual(['lab', 'lab', 'lab', 'lab']);
    expect(['esx-01', 'esx-11', 'esx-12'].map((n) => byName(vc, 'HostSystem', n).runtime.inMaintenanceMode)).toEqual([false, false, true]);
    expect(byName(vc, 'Datacenter', 'Lab').parent).toEqual(byName(vc, 'Folder', 'Europe').self);
    // Without a DVS, VMs connect to 'VM Network'.
    expect(vm.config.hardware.device.find((d: DataObject) => d._type === 'VirtualE1000').backing.deviceName).toBe('VM Network');
    expectConsistentTree(vc);
  });

  it('loads JSON, and vcsim flags in a file', () => {
    const overrides = [
      { path: 'DC1/vm/DC1_H0_VM0', set: { name: 'renamed' } },
      { path: 'datacenter-2', set: { name: 'First' } },
      // Overrides apply in order: DC0 is 'First' by now. Shared, frozen objects are copied for the VM changed.
      { path: 'First/vm/DC0_H0_VM0', set: { 'capability.snapshotOperationsSupported': false } },
    ];
    const json = file('t.json', JSON.stringify({ model: 'VPX', flags: { dc: 2, vm: 1 }, overrides }));
    const vc = new VCenter({ topology: loadTopologyFile(json) });
    expect(names(vc, 'Datacenter')).toEqual(['First', 'DC1']);
    expect(names(vc, 'VirtualMachine')).toEqual(['DC0_H0_VM0', 'DC0_C0_RP0_VM0', 'renamed', 'DC1_C0_RP0_VM0']);
    expect(all(vc, 'VirtualMachine').map((vm) => vm.capability.snapshotOperationsSupported)).toEqual([false, true, true, true]);
    const esx = loadTopologyFile(file('esx.yaml', 'model: ESX\n'));
    expect(esx.model).toBe('ESX');
    expect(loadTopologyFile(file('empty.yaml', 'overrides: []\n'))).toEqual(topologyFromFlags({}));
  });

  it('names the offending path and the file in validation errors', () => {
    const path = file('bad.yaml', 'datacenters:\n  - clusters:\n      - hosts: 2\n      - hosts: three\n');
    expect(() => loadTopologyFile(path)).toThrow(/datacenters\[0\]\.clusters\[1\]\.hosts: expected number/);
    expect(() => loadTopologyFile(path)).toThrow(path);
    expect(() => loadTopologyFile(file('extra.yaml', 'datacenters: [{ name: DC0, bogus: 1 }]\n'))).toThrow(/datacenters\[0\]: Unrecognized key: "bogus"/);
    expect(() => loadTopologyFile(file('both.json', '{"flags":{"dc":1},"datacenters":[{}]}'))).toThrow(/flags: give either flags or datacenters/);
    expect(() => loadTopologyFile(file('model.yaml', 'model: vsphere\n'))).toThrow(/model:/);
  });

  it('rejects an override whose path names nothing', () => {
    const topology: Topology = { ...topologyFromFlags({}), overrides: [{ path: 'DC0/vm/nope', set: { name: 'x' } }] };
    expect(() => new VCenter({ topology })).toThrow(/overrides\[0\]\.path: no inventory object at 'DC0\/vm\/nope'/);
  });
});

/**
 * Walks the tree from the root folder and checks every link both ways: folder children,
 * datacenter folders, compute resource hosts and pools, pool children and VMs, and the VM's
 * host, datastores and networks. Every entity of the registry must be reached.
 */
function expectConsistentTree(vc: VCenter): void {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const seen = new Set<string>();
  const visit = (ref: MoRef, parent: MoRef | undefined) => {
    const obj = get(vc, ref);
    check(!seen.has(ref.value), `${ref.value} reached twice`);
    seen.add(ref.value);
    check(obj.parent?.value === parent?.value, `parent of ${ref.value} is ${obj.parent?.value}, not ${parent?.value}`);
    for (const child of children(obj)) visit(child, obj.self);
  };
  visit(vc.rootFolder, undefined);
  for (const type of ENTITY_TYPES) {
    for (const obj of all(vc, type)) check(seen.has(obj.self.value), `${obj.self.value} not reachable from the root`);
  }
  for (const vm of all(vc, 'VirtualMachine')) checkVmLinks(vc, vm, check);
  for (const host of all(vc, 'HostSystem')) checkHostLinks(vc, host, check);
  for (const dc of all(vc, 'Datacenter')) {
    const inDc = (o: Obj) => datacenterOf(vc, o) === dc.self.value;
    const networks = [...all(vc, 'Network'), ...all(vc, 'DistributedVirtualPortgroup')].filter(inDc);
    check(sameIds(dc.network, networks.map((n) => n.self)), `${dc.name}.network`);
    check(sameIds(dc.datastore, all(vc, 'Datastore').filter(inDc).map((d) => d.self)), `${dc.name}.datastore`);
  }
  expect(problems).toEqual([]);
}

type Check = (ok: boolean, problem: string) => void;

function children(obj: Obj): MoRef[] {
  switch (obj.self.type) {
    case 'Folder':
    case 'StoragePod':
      return obj.childEntity;
    case 'Datacenter':
      return [obj.vmFolder, obj.hostFolder, obj.datastoreFolder, obj.networkFolder];
    case 'ComputeResource':
    case 'ClusterComputeResource':
      return [...obj.host, obj.resourcePool];
    case 'ResourcePool':
    case 'VirtualApp':
      return obj.resourcePool;
    default:
      return [];
  }
}

const has = (list: MoRef[], ref: MoRef) => list.some((r) => r.value === ref.value);
const sameIds = (a: MoRef[], b: MoRef[]) => JSON.stringify(ids(a).sort()) === JSON.stringify(ids(b).sort());

function checkVmLinks(vc: VCenter, vm: Obj, check: Check): void {
  const name = vm.self.value;
  check(has(get(vc, vm.parent).childEntity, vm.self), `${name} not in its folder`);
  const pool = get(vc, vm.resourcePool);
  check(has(pool.vm, vm.self), `${name} not in its pool`);
  const host = get(vc, vm.runtime.host);
  check(has(host.vm, vm.self), `${name} not in its host`);
  check(vm.summary.runtime.host.value === host.self.value, `${name} summary.runtime.host`);
  let owner = pool;
  while (owner.self.type === 'ResourcePool' || owner.self.type === 'VirtualApp') owner = get(vc, owner.parent);
  check(has(owner.host, host.self), `${name} runs outside its pool's compute resource`);
  check(pool.owner.value === owner.self.value, `${pool.self.value}.owner`);
  for (const ds of vm.datastore) {
    check(has(get(vc, ds).vm, vm.self), `${name} not in ${ds.value}.vm`);
    check(has(host.datastore, ds), `${name}'s host lacks ${ds.value}`);
  }
  for (const net of vm.network) {
    check(has(get(vc, net).vm, vm.self), `${name} not in ${net.value}.vm`);
    check(has(host.network, net), `${name}'s host lacks ${net.value}`);
  }
  check(vm.summary.vm.value === name, `${name} summary.vm`);
  check(vm.environmentBrowser.value === owner.environmentBrowser.value, `${name} environmentBrowser`);
}

function checkHostLinks(vc: VCenter, host: Obj, check: Check): void {
  const name = host.self.value;
  const cr = get(vc, host.parent);
  check(has(cr.host, host.self), `${name} not in its compute resource`);
  check(host.summary.host.value === name && host.summary.runtime === host.runtime, `${name} summary`);
  for (const ds of host.datastore) {
    check(get(vc, ds).host.some((m: DataObject) => (m.key as MoRef).value === name), `${ds.value} not mounted on ${name}`);
    check(has(cr.datastore, ds), `${cr.self.value} lacks ${ds.value}`);
  }
  for (const net of host.network) check(has(get(vc, net).host, host.self), `${net.value}.host lacks ${name}`);
  for (const vm of host.vm) check(get(vc, vm).runtime.host.value === name, `${vm.value} runs elsewhere than ${name}`);
  check(sameIds(get(vc, host.configManager.datastoreSystem).read('datastore', { vc }) as MoRef[], host.datastore), `${name} datastore system`);
}

function datacenterOf(vc: VCenter, obj: Obj): string | undefined {
  let current: Obj | undefined = obj;
  while (current && current.self.type !== 'Datacenter') current = current.parent ? get(vc, current.parent) : undefined;
  return current?.self.value;
}
