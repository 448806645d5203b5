/**
 * The read-only vcenter resources over real HTTPS, in both flavours: lists with every documented
 * filter, gets, not-found and validation errors, the list limits, and the registry as the one
 * source of truth (a change made in-process with setProperty shows in the next GET).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MoRef } from '../../models/core/moref.js';
import { createSimulator, topologyFromFlags, type Simulator } from '../../simulator/index.js';
import { named, objectsOfType, vpx } from '../clients/inventory.js';
import { fromKeyValues, RestTestClient, type RestReply } from './rest-support.js';

const idOf = (sim: Simulator, type: string, name: string) => named(sim, type, name).self.value;
const names = (reply: RestReply) => (reply.json as { name: string }[]).map((s) => s.name).sort();

describe('REST vcenter resources', () => {
  let sim: Simulator;
  let rest: RestTestClient;
  let token: string;

  /** GETs `path` in both flavours, checks they agree, and returns the `/api` reply. */
  const both = async (path: string, query = { api: '', rest: '' }) => {
    const api = await rest.get(`/api${path}${query.api}`, token);
    const legacy = await rest.get(`/rest${path}${query.rest}`, token);
    expect(api.status, api.text).toBe(200);
    expect(legacy.status, legacy.text).toBe(200);
    expect(api.headers['content-type']).toMatch(/^application\/json/);
    expect(legacy.headers['content-type']).toMatch(/^application\/json/);
    expect(legacy.json).toEqual({ value: api.json });
    return api;
  };

  beforeAll(async () => {
    sim = await createSimulator();
    rest = new RestTestClient(sim);
    token = await rest.login();
  });
  afterAll(async () => {
    rest.close();
    await sim.close();
  });

  describe('vm', () => {
    it('lists every VM with the documented summary fields, the same in both flavours', async () => {
      const reply = await both('/vcenter/vm');
      expect(names(reply)).toEqual(vpx.vms);
      const vm = named(sim, 'VirtualMachine', 'DC0_H0_VM0');
      expect(reply.json).toContainEqual({ vm: vm.self.value, name: 'DC0_H0_VM0', power_state: 'POWERED_ON', cpu_count: 1, memory_size_MiB: 32 });
    });

    it('answers with and without a trailing slash, never with a redirect', async () => {
      for (const path of ['/api/vcenter/vm', '/api/vcenter/vm/', '/rest/vcenter/vm/']) {
        const reply = await rest.get(path, token);
        expect(reply.status).toBe(200);
        expect(reply.headers.location).toBeUndefined();
      }
    });

    it('gets a VM: name, power, guest OS, CPU, memory, hardware, identity, boot and device maps', async () => {
      const vm = named(sim, 'VirtualMachine', 'DC0_H0_VM0') as any;
      const reply = await rest.get(`/api/vcenter/vm/${vm.self.value}`, token);
      expect(reply.status).toBe(200);
      const info = reply.json;
      expect(info).toMatchObject({
        name: 'DC0_H0_VM0',
        power_state: 'POWERED_ON',
        guest_OS: 'OTHER',
        identity: { name: 'DC0_H0_VM0', bios_uuid: vm.config.uuid, instance_uuid: vm.config.instanceUuid },
        cpu: { count: 1, cores_per_socket: 1, hot_add_enabled: false, hot_remove_enabled: false },
        memory: { size_MiB: 32, hot_add_enabled: false },
        hardware: { version: 'VMX_13', upgrade_policy: 'NEVER', upgrade_status: 'NONE' },
        boot: { type: 'BIOS', delay: 0, retry: false, retry_delay: 10000, enter_setup_mode: false },
        boot_devices: [],
        floppies: {},
        serial_ports: {},
        parallel_ports: {},
        sata_adapters: {},
      });
      expect(info.disks).toEqual({
        2000: { label: 'Hard disk 1', type: 'SCSI', scsi: { bus: 0, unit: 0 }, backing: { type: 'VMDK_FILE', vmdk_file: '[LocalDS_0] DC0_H0_VM0/disk1.vmdk' }, capacity: 1024 * 1024 },
      });
      const nic = vm.config.hardware.device.find((d: any) => d._type === 'VirtualE1000');
      expect(info.nics['4000']).toEqual({
        label: 'Network adapter 1',
        type: 'E1000',
        mac_type: 'GENERATED',
        mac_address: nic.macAddress,
        pci_slot_number: 32,
        wake_on_lan_enabled: true,
        backing: { type: 'DISTRIBUTED_PORTGROUP', network: idOf(sim, 'DistributedVirtualPortgroup', 'DC0_DVPG0'), distributed_switch_uuid: nic.backing.port.switchUuid },
        state: 'CONNECTED',
        start_connected: true,
        allow_guest_control: true,
      });
      expect(info.cdroms['3000']).toMatchObject({ type: 'IDE', ide: { primary: true, master: true }, label: 'CD/DVD drive 1', state: 'NOT_CONNECTED' });
      expect(info.scsi_adapters['202']).toEqual({ label: 'SCSI controller 0', type: 'PVSCSI', scsi: { bus: 0, unit: 7 }, pci_slot_number: 160, sharing: 'NONE' });
    });

    it('writes maps as objects in /api and as key/value lists in /rest', async () => {
      const id = idOf(sim, 'VirtualMachine', 'DC0_C0_RP0_VM0');
      const api = (await rest.get(`/api/vcenter/vm/${id}`, token)).json;
      const legacy = (await rest.get(`/rest/vcenter/vm/${id}`, token)).json.value;
      const maps = ['disks', 'nics', 'cdroms', 'floppies', 'parallel_ports', 'serial_ports', 'sata_adapters', 'scsi_adapters'];
      for (const map of maps) {
        expect(Array.isArray(legacy[map])).toBe(true);
        expect(fromKeyValues(legacy[map])).toEqual(api[map]);
      }
      const strip = (info: Record<string, unknown>) => Object.fromEntries(Object.entries(info).filter(([k]) => !maps.includes(k)));
      expect(strip(legacy)).toEqual(strip(api));
    });

    it('gets the power state', async () => {
      const id = idOf(sim, 'VirtualMachine', 'DC0_H0_VM1');
      expect((await both(`/vcenter/vm/${id}/power`)).json).toEqual({ state: 'POWERED_ON' });
    });

    it('404 not_found for an unknown VM, and for an object that is not a VM, in both forms', async () => {
      const host = idOf(sim, 'HostSystem', 'DC0_H0');
      for (const id of ['vm-99999', host]) {
        const api = await rest.get(`/api/vcenter/vm/${id}`, token);
        expect(api.status).toBe(404);
        expect(api.headers['content-type']).toMatch(/^application\/json/);
        expect(api.json).toEqual({
          error_type: 'NOT_FOUND',
          messages: [{ id: 'com.vmware.api.vcenter.vm.not_found', default_message: `Virtual machine with identifier '${id}' does not exist.`, args: [id] }],
        });
        const legacy = await rest.get(`/rest/vcenter/vm/${id}/power`, token);
        expect(legacy.status).toBe(404);
        expect(legacy.json).toEqual({ type: 'com.vmware.vapi.std.errors.not_found', value: { error_type: 'NOT_FOUND', messages: api.json.messages } });
      }
    });

    it('400 invalid_argument naming the field for a bad filter value', async () => {
      const api = await rest.get('/api/vcenter/vm?power_states=RUNNING', token);
      expect(api.status).toBe(400);
      expect(api.json.error_type).toBe('INVALID_ARGUMENT');
      expect(api.json.messages[0].args[0]).toBe('power_states');
      expect(api.json.messages[0].default_message).toContain("'power_states'");
      const legacy = await rest.get('/rest/vcenter/vm?filter.power_states.1=RUNNING', token);
      expect(legacy.status).toBe(400);
      expect(legacy.json.type).toBe('com.vmware.vapi.std.errors.invalid_argument');
      expect(legacy.json.value.messages[0].args[0]).toBe('filter.power_states');
    });
  });

  describe('cross-API: the registry is the truth', () => {
    it('a property changed in-process shows in the next GET, list and power read', async () => {
      const vm = named(sim, 'VirtualMachine', 'DC0_C0_RP0_VM1');
      const id = vm.self.value;
      sim.setProperty(vm.self, 'config.hardware.numCPU', 4);
      sim.setProperty(vm.self, 'config.hardware.memoryMB', 2048);
      sim.setProperty(vm.self, 'config.cpuHotAddEnabled', true);
      sim.setProperty(vm.self, 'runtime.powerState', 'poweredOff');
      const info = (await rest.get(`/api/vcenter/vm/${id}`, token)).json;
      expect(info.cpu).toEqual({ count: 4, cores_per_socket: 1, hot_add_enabled: true, hot_remove_enabled: false });
      expect(info.memory.size_MiB).toBe(2048);
      expect(info.power_state).toBe('POWERED_OFF');
      expect((await rest.get(`/api/vcenter/vm/${id}/power`, token)).json).toEqual({ state: 'POWERED_OFF', clean_power_off: true });
      const list = (await rest.get(`/api/vcenter/vm?vms=${id}`, token)).json;
      expect(list).toEqual([{ vm: id, name: 'DC0_C0_RP0_VM1', power_state: 'POWERED_OFF', cpu_count: 4, memory_size_MiB: 2048 }]);
      sim.setProperty(vm.self, 'runtime.powerState', 'suspended');
      expect((await rest.get(`/rest/vcenter/vm/${id}/power`, token)).json).toEqual({ value: { state: 'SUSPENDED' } });
      sim.setProperty(vm.self, 'runtime.powerState', 'poweredOn');
    });

    it('a template is not listed as a VM', async () => {
      const vm = named(sim, 'VirtualMachine', 'DC0_H0_VM1');
      sim.setProperty(vm.self, 'config.template', true);
      try {
        expect(names(await rest.get('/api/vcenter/vm', token))).not.toContain('DC0_H0_VM1');
      } finally {
        sim.setProperty(vm.self, 'config.template', false);
      }
    });
  });

  describe('host', () => {
    it('lists hosts with connection and power state', async () => {
      const reply = await both('/vcenter/host');
      expect(names(reply)).toEqual(vpx.hosts);
      expect(reply.json).toContainEqual({ host: idOf(sim, 'HostSystem', 'DC0_H0'), name: 'DC0_H0', connection_state: 'CONNECTED', power_state: 'POWERED_ON' });
    });

    it('filters by standalone, clusters, names and connection state', async () => {
      const cluster = idOf(sim, 'ClusterComputeResource', 'DC0_C0');
      expect(names((await both('/vcenter/host', { api: '?standalone=true', rest: '?filter.standalone=true' })))).toEqual(['DC0_H0']);
      expect(names(await both('/vcenter/host', { api: '?standalone=false', rest: '?filter.standalone=false' }))).toEqual(['DC0_C0_H0', 'DC0_C0_H1', 'DC0_C0_H2']);
      expect(names(await both('/vcenter/host', { api: `?clusters=${cluster}`, rest: `?filter.clusters.1=${cluster}` }))).toHaveLength(3);
      expect(names(await both('/vcenter/host', { api: `?clusters=${cluster}&standalone=true`, rest: `?filter.clusters=${cluster}&filter.standalone=true` }))).toEqual([]);
      expect(names(await both('/vcenter/host', { api: '?names=DC0_C0_H1&names=DC0_H0', rest: '?filter.names.1=DC0_C0_H1&filter.names.2=DC0_H0' }))).toEqual(['DC0_C0_H1', 'DC0_H0']);
      expect(names(await both('/vcenter/host', { api: '?connection_states=DISCONNECTED', rest: '?filter.connection_states=DISCONNECTED' }))).toEqual([]);
    });

    it('leaves the power state out for a disconnected host', async () => {
      const host = named(sim, 'HostSystem', 'DC0_C0_H2');
      sim.setProperty(host.self, 'runtime.connectionState', 'disconnected');
      try {
        const reply = await rest.get('/api/vcenter/host?connection_states=DISCONNECTED', token);
        expect(reply.json).toEqual([{ host: host.self.value, name: 'DC0_C0_H2', connection_state: 'DISCONNECTED' }]);
      } finally {
        sim.setProperty(host.self, 'runtime.connectionState', 'connected');
      }
    });

    it('400 naming the field for a boolean that is not one', async () => {
      const reply = await rest.get('/api/vcenter/host?standalone=yes', token);
      expect(reply.status).toBe(400);
      expect(reply.json.messages[0].args[0]).toBe('standalone');
    });
  });

  describe('cluster', () => {
    it('lists clusters with HA and DRS flags, and gets one', async () => {
      const id = idOf(sim, 'ClusterComputeResource', 'DC0_C0');
      expect((await both('/vcenter/cluster')).json).toEqual([{ cluster: id, name: 'DC0_C0', ha_enabled: false, drs_enabled: true }]);
      const pool = (named(sim, 'ClusterComputeResource', 'DC0_C0') as any).resourcePool.value;
      expect((await both(`/vcenter/cluster/${id}`)).json).toEqual({ name: 'DC0_C0', resource_pool: pool });
      expect((await both('/vcenter/cluster', { api: '?names=nope', rest: '?filter.names=nope' })).json).toEqual([]);
      expect((await rest.get('/api/vcenter/cluster/domain-c404', token)).status).toBe(404);
    });
  });

  describe('datacenter', () => {
    it('lists datacenters and gets one with its four folders', async () => {
      const dc = named(sim, 'Datacenter', 'DC0') as any;
      expect((await both('/vcenter/datacenter')).json).toEqual([{ datacenter: dc.self.value, name: 'DC0' }]);
      expect((await both(`/vcenter/datacenter/${dc.self.value}`)).json).toEqual({
        name: 'DC0',
        datastore_folder: dc.datastoreFolder.value,
        host_folder: dc.hostFolder.value,
        network_folder: dc.networkFolder.value,
        vm_folder: dc.vmFolder.value,
      });
      expect((await rest.get('/rest/vcenter/datacenter/datacenter-404', token)).json.type).toBe('com.vmware.vapi.std.errors.not_found');
    });
  });

  describe('datastore', () => {
    it('lists datastores with type and space, gets one, filters by type', async () => {
      const ds = named(sim, 'Datastore', 'LocalDS_0') as any;
      const summary = { datastore: ds.self.value, name: 'LocalDS_0', type: 'VMFS', free_space: ds.summary.freeSpace, capacity: ds.summary.capacity };
      expect((await both('/vcenter/datastore')).json).toEqual([summary]);
      expect((await both('/vcenter/datastore', { api: '?types=VMFS', rest: '?filter.types=VMFS' })).json).toEqual([summary]);
      expect((await both('/vcenter/datastore', { api: '?types=NFS', rest: '?filter.types.1=NFS' })).json).toEqual([]);
      expect((await both(`/vcenter/datastore/${encodeURIComponent(ds.self.value)}`)).json).toEqual({
        name: 'LocalDS_0',
        type: 'VMFS',
        accessible: true,
        free_space: ds.summary.freeSpace,
        multiple_host_access: true,
        thin_provisioning_supported: true,
      });
      expect((await rest.get('/api/vcenter/datastore?types=FAT32', token)).json.messages[0].args[0]).toBe('types');
    });
  });

  describe('network', () => {
    it('lists standard and distributed portgroups (not the switch), filters by type', async () => {
      const all = await both('/vcenter/network');
      expect(all.json).toContainEqual({ network: idOf(sim, 'Network', 'VM Network'), name: 'VM Network', type: 'STANDARD_PORTGROUP' });
      expect(all.json).toContainEqual({ network: idOf(sim, 'DistributedVirtualPortgroup', 'DC0_DVPG0'), name: 'DC0_DVPG0', type: 'DISTRIBUTED_PORTGROUP' });
      expect(names(all)).not.toContain('DVS0');
      expect(all.json).toHaveLength(3);
      const dv = await both('/vcenter/network', { api: '?types=DISTRIBUTED_PORTGROUP', rest: '?filter.types=DISTRIBUTED_PORTGROUP' });
      expect(dv.json).toHaveLength(2);
      expect((await both('/vcenter/network', { api: '?types=OPAQUE_NETWORK', rest: '?filter.types=OPAQUE_NETWORK' })).json).toEqual([]);
    });
  });

  describe('folder', () => {
    it('lists folders with their types, filters by type', async () => {
      const all = (await both('/vcenter/folder')).json;
      expect(all).toContainEqual({ folder: 'group-d1', name: 'Datacenters', type: 'DATACENTER' });
      const dc = named(sim, 'Datacenter', 'DC0') as any;
      expect(all).toContainEqual({ folder: dc.vmFolder.value, name: 'vm', type: 'VIRTUAL_MACHINE' });
      expect(all).toContainEqual({ folder: dc.hostFolder.value, name: 'host', type: 'HOST' });
      expect(all).toContainEqual({ folder: dc.datastoreFolder.value, name: 'datastore', type: 'DATASTORE' });
      expect(all).toContainEqual({ folder: dc.networkFolder.value, name: 'network', type: 'NETWORK' });
      const vmFolders = (await both('/vcenter/folder', { api: '?type=VIRTUAL_MACHINE', rest: '?filter.type=VIRTUAL_MACHINE' })).json;
      expect(vmFolders).toEqual([{ folder: dc.vmFolder.value, name: 'vm', type: 'VIRTUAL_MACHINE' }]);
      const bad = await rest.get('/rest/vcenter/folder?filter.type=TEMPLATE', token);
      expect(bad.status).toBe(400);
      expect(bad.json.value.messages[0].args[0]).toBe('filter.type');
    });
  });

  describe('resource-pool', () => {
    it('lists pools and gets one with its children and allocations', async () => {
      const all = (await both('/vcenter/resource-pool')).json;
      expect(all.map((p: { name: string }) => p.name)).toEqual(['Resources', 'Resources']);
      const root = (named(sim, 'ClusterComputeResource', 'DC0_C0') as any).resourcePool.value;
      expect((await both(`/vcenter/resource-pool/${root}`)).json).toEqual({
        name: 'Resources',
        resource_pools: [],
        cpu_allocation: { reservation: 4121, expandable_reservation: false, limit: 4121, shares: { level: 'CUSTOM', shares: 9000 } },
        memory_allocation: { reservation: 961, expandable_reservation: false, limit: 961, shares: { level: 'CUSTOM', shares: 9000 } },
      });
      expect((await rest.get('/api/vcenter/resource-pool/resgroup-404', token)).status).toBe(404);
    });
  });

  describe('appliance', () => {
    it('reports the version consistent with about, health and uptime', async () => {
      const about = sim.vc.content.about as { version: string; build: string };
      const version = (await both('/appliance/system/version')).json;
      expect(version).toMatchObject({ version: `${about.version}.10100`, build: about.build, product: 'VMware vCenter Server' });
      expect(version.install_time).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect((await both('/appliance/health/system')).json).toBe('green');
      const first = (await rest.get('/api/appliance/system/uptime', token)).json;
      await new Promise((resolve) => setTimeout(resolve, 20));
      const second = (await rest.get('/rest/appliance/system/uptime', token)).json.value;
      expect(typeof first).toBe('number');
      expect(second).toBeGreaterThan(first);
      expect((await rest.get('/api/appliance/system/version')).status).toBe(401);
    });
  });
});

describe('REST list filters over a wider inventory', () => {
  let sim: Simulator;
  let rest: RestTestClient;
  let token: string;
  const id = (type: string, name: string) => idOf(sim, type, name);
  const list = async (resource: string, apiQuery: string, restQuery: string) => {
    const api = await rest.get(`/api/vcenter/${resource}?${apiQuery}`, token);
    const legacy = await rest.get(`/rest/vcenter/${resource}?${restQuery}`, token);
    expect(api.status, api.text).toBe(200);
    expect(legacy.json).toEqual({ value: api.json });
    return names(api);
  };

  beforeAll(async () => {
    // Two datacenters, DC1 inside root folder F0 with its children in F0 sub-folders; a child pool and a vApp per cluster.
    sim = await createSimulator({ topology: topologyFromFlags({ dc: 2, folder: 1, pool: 1, app: 1 }) });
    rest = new RestTestClient(sim);
    token = await rest.login();
  });
  afterAll(async () => {
    rest.close();
    await sim.close();
  });

  // With a child pool, the cluster's VMs are in it (vcsim 0.38's -pool), not in the root pool.
  const dc1Vms = ['DC1_C0_APP0_VM0', 'DC1_C0_APP0_VM1', 'DC1_C0_RP1_VM0', 'DC1_C0_RP1_VM1', 'DC1_H0_VM0', 'DC1_H0_VM1'];

  it('vm: folders and datacenters contain their VMs at any depth', async () => {
    const f0 = objectsOfType(sim, 'Folder').find((f: any) => f.name === 'F0' && f.parent?.value === 'group-d1')!.self.value;
    const dc1 = named(sim, 'Datacenter', 'DC1') as any;
    expect(await list('vm', `folders=${f0}`, `filter.folders=${f0}`)).toEqual(dc1Vms);
    expect(await list('vm', `folders=${dc1.vmFolder.value}`, `filter.folders.1=${dc1.vmFolder.value}`)).toEqual(dc1Vms);
    expect(await list('vm', `datacenters=${dc1.self.value}`, `filter.datacenters=${dc1.self.value}`)).toEqual(dc1Vms);
    expect(await list('vm', 'folders=group-d1', 'filter.folders=group-d1')).toHaveLength(12);
  });

  it('vm: hosts, clusters and resource pools (a pool contains its child pools and vApps)', async () => {
    const host = id('HostSystem', 'DC0_H0');
    expect(await list('vm', `hosts=${host}`, `filter.hosts=${host}`)).toEqual(['DC0_H0_VM0', 'DC0_H0_VM1']);
    const cluster = id('ClusterComputeResource', 'DC0_C0');
    expect(await list('vm', `clusters=${cluster}`, `filter.clusters=${cluster}`)).toEqual(['DC0_C0_APP0_VM0', 'DC0_C0_APP0_VM1', 'DC0_C0_RP1_VM0', 'DC0_C0_RP1_VM1']);
    const root = (named(sim, 'ClusterComputeResource', 'DC0_C0') as any).resourcePool.value;
    expect(await list('vm', `resource_pools=${root}`, `filter.resource_pools=${root}`)).toEqual(['DC0_C0_APP0_VM0', 'DC0_C0_APP0_VM1', 'DC0_C0_RP1_VM0', 'DC0_C0_RP1_VM1']);
    const app = id('VirtualApp', 'DC0_C0_APP0');
    expect(await list('vm', `resource_pools=${app}`, `filter.resource_pools.1=${app}`)).toEqual(['DC0_C0_APP0_VM0', 'DC0_C0_APP0_VM1']);
  });

  it('vm: names, vms, power states; several fields AND, several values OR; unknown ids match nothing', async () => {
    const vm = named(sim, 'VirtualMachine', 'DC1_H0_VM1');
    sim.setProperty(vm.self, 'runtime.powerState', 'poweredOff');
    expect(await list('vm', 'power_states=POWERED_OFF', 'filter.power_states=POWERED_OFF')).toEqual(['DC1_H0_VM1']);
    expect(await list('vm', 'power_states=POWERED_OFF&power_states=SUSPENDED', 'filter.power_states.1=POWERED_OFF&filter.power_states.2=SUSPENDED')).toEqual(['DC1_H0_VM1']);
    expect(await list('vm', 'names=DC1_H0_VM1&names=DC0_H0_VM0&power_states=POWERED_ON', 'filter.names.1=DC1_H0_VM1&filter.names.2=DC0_H0_VM0&filter.power_states=POWERED_ON')).toEqual(['DC0_H0_VM0']);
    expect(await list('vm', `vms=${vm.self.value}`, `filter.vms=${vm.self.value}`)).toEqual(['DC1_H0_VM1']);
    expect(await list('vm', 'vms=vm-0&folders=group-d1', 'filter.vms=vm-0')).toEqual([]);
    expect(await list('vm', 'names=', 'filter.names=')).toEqual([]);
  });

  it('host: datacenters and folders', async () => {
    const dc1 = named(sim, 'Datacenter', 'DC1') as any;
    expect(await list('host', `datacenters=${dc1.self.value}`, `filter.datacenters=${dc1.self.value}`)).toEqual(['DC1_C0_H0', 'DC1_C0_H1', 'DC1_C0_H2', 'DC1_H0']);
    expect(await list('host', `folders=${dc1.hostFolder.value}`, `filter.folders=${dc1.hostFolder.value}`)).toHaveLength(4);
  });

  it('datacenter, cluster, datastore, network: folders and datacenters', async () => {
    const f0 = objectsOfType(sim, 'Folder').find((f: any) => f.name === 'F0' && f.parent?.value === 'group-d1')!.self.value;
    expect(await list('datacenter', `folders=${f0}`, `filter.folders=${f0}`)).toEqual(['DC1']);
    const dc0 = id('Datacenter', 'DC0');
    expect(await list('cluster', `datacenters=${dc0}`, `filter.datacenters=${dc0}`)).toEqual(['DC0_C0']);
    expect(await list('datastore', `datacenters=${dc0}`, `filter.datacenters=${dc0}`)).toEqual(['LocalDS_0']);
    expect(await list('network', `datacenters=${dc0}&types=STANDARD_PORTGROUP`, `filter.datacenters=${dc0}&filter.types=STANDARD_PORTGROUP`)).toEqual(['VM Network']);
  });

  it('folder: parent folders and datacenters', async () => {
    const dc1 = named(sim, 'Datacenter', 'DC1') as any;
    const vmFolder = dc1.vmFolder.value;
    expect(await list('folder', `parent_folders=${vmFolder}`, `filter.parent_folders=${vmFolder}`)).toEqual(['F0']);
    expect(await list('folder', `datacenters=${dc1.self.value}&type=HOST`, `filter.datacenters=${dc1.self.value}&filter.type=HOST`)).toEqual(['F0', 'host']);
  });

  it('resource-pool: clusters, hosts (standalone only), parents; vApps are pools', async () => {
    const cluster = id('ClusterComputeResource', 'DC0_C0');
    expect(await list('resource-pool', `clusters=${cluster}`, `filter.clusters=${cluster}`)).toEqual(['DC0_C0_APP0', 'DC0_C0_RP1', 'Resources']);
    const host = id('HostSystem', 'DC0_H0');
    expect(await list('resource-pool', `hosts=${host}`, `filter.hosts=${host}`)).toEqual(['Resources']);
    const clusterHost = id('HostSystem', 'DC0_C0_H0');
    expect(await list('resource-pool', `hosts=${clusterHost}`, `filter.hosts=${clusterHost}`)).toEqual([]);
    const root = (named(sim, 'ClusterComputeResource', 'DC0_C0') as any).resourcePool.value;
    expect(await list('resource-pool', `parent_resource_pools=${root}`, `filter.parent_resource_pools=${root}`)).toEqual(['DC0_C0_APP0', 'DC0_C0_RP1']);
    const info = (await rest.get(`/api/vcenter/resource-pool/${root}`, token)).json;
    expect(info.resource_pools.sort()).toEqual([id('ResourcePool', 'DC0_C0_RP1'), id('VirtualApp', 'DC0_C0_APP0')].sort());
    const child = (await rest.get(`/api/vcenter/resource-pool/${id('ResourcePool', 'DC0_C0_RP1')}`, token)).json;
    expect(child.cpu_allocation).toEqual({ reservation: 0, expandable_reservation: true, limit: -1, shares: { level: 'NORMAL' } });
  });
});

describe('REST list limits', () => {
  it('more VMs than vCenter lists at once: 400 unable_to_allocate_resource; a narrower filter answers', async () => {
    const sim = await createSimulator({ topology: topologyFromFlags({ cluster: 0, standaloneHost: 1, vm: 4001 }) });
    const rest = new RestTestClient(sim);
    try {
      const token = await rest.login();
      const api = await rest.get('/api/vcenter/vm', token);
      expect(api.status).toBe(400);
      expect(api.json).toEqual({
        error_type: 'UNABLE_TO_ALLOCATE_RESOURCE',
        messages: [{ id: 'com.vmware.api.vcenter.vm.too_many_matches', default_message: 'Too many virtual machines. Add more filter criteria to reduce the number.', args: [] }],
      });
      expect((await rest.get('/rest/vcenter/vm', token)).json.type).toBe('com.vmware.vapi.std.errors.unable_to_allocate_resource');
      const vm = sim.vc.registry.ofType('VirtualMachine')[4000]!;
      sim.setProperty(vm.self as MoRef, 'runtime.powerState', 'poweredOff');
      const narrowed = await rest.get('/api/vcenter/vm?power_states=POWERED_ON', token);
      expect(narrowed.status).toBe(200);
      expect(narrowed.json).toHaveLength(4000);
    } finally {
      rest.close();
      await sim.close();
    }
  });
});
