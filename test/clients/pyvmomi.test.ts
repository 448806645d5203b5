/**
 * pyvmomi (Debian python3-pyvmomi 6.7.1, run by /usr/bin/python3) against vcenter-sim.
 * The client is test/clients/pyvmomi/client.py; every scenario prints one JSON document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, topologyFromFlags, type Simulator } from '../../simulator/index.js';
import { at, byId, named, objectsOfKind, objectsOfType, vpx } from './inventory.js';
import {
  clientAvailable,
  jsonResult,
  pythonEnv,
  pyvmomiArgs,
  pyvmomiStatus,
  runPyvmomi,
  startProcess,
  systemPython,
} from './support.js';

const available = clientAvailable(pyvmomiStatus());

describe.skipIf(!available)('pyvmomi against the default VPX inventory', () => {
  let sim: Simulator;
  const py = <T = Record<string, any>>(scenario: string, extra: string[] = [], timeoutMs?: number) =>
    runPyvmomi<T>(scenario, sim.url, sim, extra, timeoutMs);

  beforeAll(async () => {
    sim = await createSimulator({ listen: '127.0.0.1:0' });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('connects with SmartConnect and reads content.about and the current session', async () => {
    const out = await py('about');
    expect(out.apiType).toBe('VirtualCenter');
    expect(out.fullName).toBe(at(sim.vc.content, 'about.fullName'));
    expect(out.fullName).toMatch(/vCenter Server/);
    expect(out.apiVersion).toBe(at(sim.vc.content, 'about.apiVersion'));
    expect(out.instanceUuid).toBe(at(sim.vc.content, 'about.instanceUuid'));
    expect(out.userName).toBe(sim.username);
    expect(out.sessionKey).toEqual(expect.any(String));
    expect(out.rootFolder).toBe(sim.vc.rootFolder.value);
    expect(out.rootFolderName).toBe('Datacenters');
    // SmartConnect picks the newest version it knows (6.7.1, vim.version.version13) that
    // /sdk/vimServiceVersions.xml lists: the server speaks 7.0 and every prior version.
    expect(out.newestKnownVersion).toBe('vim.version.version13');
    expect(out.stubVersion).toBe(out.newestKnownVersion);
  });

  it('reads name, runtime.powerState and config.hardware.numCPU of every VM through a container view', async () => {
    const out = await py('vms');
    const expected = objectsOfType(sim, 'VirtualMachine').map((vm) => ({
      id: vm.self.value,
      type: 'VirtualMachine',
      name: at(vm, 'name'),
      powerState: at(vm, 'runtime.powerState'),
      numCPU: at(vm, 'config.hardware.numCPU'),
    }));
    expect(out.vms.map((v: { name: string }) => v.name).sort()).toEqual(vpx.vms);
    expect([...out.vms].sort(byId)).toEqual(expected.sort(byId));
    for (const vm of out.vms) {
      expect(vm.powerState).toBe('poweredOn');
      expect(vm.numCPU).toBeGreaterThan(0);
    }
    expect(out.token).toBeNull();
    expect(out.viewSize).toBe(vpx.vms.length);
  });

  it('decodes whole data objects: vm.summary, vm.config, host.summary, datastore.summary', async () => {
    const out = await py('data-objects');

    expect(out.vms.map((v: { summaryName: string }) => v.summaryName).sort()).toEqual(vpx.vms);
    for (const vm of out.vms) {
      const mo = sim.vc.registry.byId(vm.id);
      expect(mo, vm.id).toBeDefined();
      expect(vm.summaryName).toBe(at(mo, 'name'));
      expect(vm.configName).toBe(at(mo, 'name'));
      expect(vm.summaryVm).toBe(vm.id);
      expect(vm.summaryPowerState).toBe(at(mo, 'runtime.powerState'));
      expect(vm.summaryHost).toBe(at(mo, 'runtime.host')?.value);
      expect(vm.memoryMB).toBe(at(mo, 'config.hardware.memoryMB'));
      expect(vm.memoryMB).toBeGreaterThan(0);
      expect(vm.summaryMemorySizeMB).toBe(vm.memoryMB);
      expect(vm.numCPU).toBe(at(mo, 'config.hardware.numCPU'));
      expect(vm.summaryNumCpu).toBe(vm.numCPU);
      expect(vm.guestId).toBe(at(mo, 'config.guestId'));
      expect(vm.uuid).toBe(at(mo, 'config.uuid'));
      expect(vm.deviceCount).toBe(at(mo, 'config.hardware.device').length);
      expect(vm.deviceTypes).toEqual(expect.arrayContaining(['vim.vm.device.VirtualDisk']));
    }

    expect(out.hosts.map((h: { name: string }) => h.name).sort()).toEqual(vpx.hosts);
    for (const host of out.hosts) {
      const mo = sim.vc.registry.byId(host.id);
      expect(host.name).toBe(at(mo, 'name'));
      expect(host.summaryHost).toBe(host.id);
      expect(host.numCpuCores).toBe(at(mo, 'summary.hardware.numCpuCores'));
      expect(host.numCpuCores).toBeGreaterThan(0);
      expect(host.memorySize).toBe(at(mo, 'summary.hardware.memorySize'));
      expect(host.connectionState).toBe('connected');
    }

    expect(out.datastores.map((d: { name: string }) => d.name)).toEqual(vpx.datastores);
    for (const ds of out.datastores) {
      const mo = sim.vc.registry.byId(ds.id);
      expect(ds.summaryDatastore).toBe(ds.id);
      expect(ds.capacity).toBe(at(mo, 'summary.capacity'));
      expect(ds.capacity).toBeGreaterThan(0);
      expect(ds.freeSpace).toBe(at(mo, 'summary.freeSpace'));
      expect(ds.freeSpace).toBeLessThanOrEqual(ds.capacity);
      expect(ds.type).toBe(at(mo, 'summary.type'));
      expect(ds.accessible).toBe(true);
    }
  });

  it('finds a VM with searchIndex.FindByInventoryPath', async () => {
    const out = await py('find-path', ['--path', 'DC0/vm/DC0_H0_VM0']);
    expect(out.found).toEqual({
      type: 'VirtualMachine',
      id: named(sim, 'VirtualMachine', 'DC0_H0_VM0').self.value,
      name: 'DC0_H0_VM0',
      isVirtualMachine: true,
    });
    expect(out.missing).toBeNull();
  });

  it('gets vim.fault.NotAuthenticated when reading a property before login', async () => {
    const out = await py('not-authenticated');
    expect(out.apiTypeBeforeLogin).toBe('VirtualCenter');
    expect(out.rootFolderName).toBeUndefined();
    expect(out.fault).toBe('NotAuthenticated');
    expect(out.currentTimeFault).toBe('NotAuthenticated');
  });

  it('gets vmodl.fault.ManagedObjectNotFound for a VM that does not exist, and the session stays usable', async () => {
    const out = await py('not-found');
    expect(out.fault).toBe('ManagedObjectNotFound');
    expect(out.obj).toEqual({ type: 'VirtualMachine', value: 'vm-999999' });
    expect(out.rootFolderName).toBe('Datacenters');
  });

  it('sees with WaitForUpdatesEx a change made through the in-process API', async () => {
    const vm = named(sim, 'VirtualMachine', 'DC0_H0_VM1');
    const id = vm.self.value;
    expect(at(vm, 'runtime.powerState')).toBe('poweredOn');
    const child = startProcess(systemPython, pyvmomiArgs('wait-updates', sim.url, sim, ['--vm', id, '--max-wait', '20']), {
      env: pythonEnv(),
      timeoutMs: 45_000,
    });
    try {
      await child.waitForLine(/^READY$/);
      sim.setProperty(vm.self, 'runtime.powerState', 'poweredOff');
      const out = jsonResult(await child.result);
      expect(out.initial).toEqual([
        {
          kind: 'enter',
          obj: id,
          changes: [
            { name: 'name', op: 'assign', val: 'DC0_H0_VM1' },
            { name: 'runtime.powerState', op: 'assign', val: 'poweredOn' },
          ],
        },
      ]);
      expect(out.update).toEqual([
        { kind: 'modify', obj: id, changes: [{ name: 'runtime.powerState', op: 'assign', val: 'poweredOff' }] },
      ]);
      expect(out.filterMatches).toBe(true);
      expect(Number(out.updateVersion)).not.toBe(Number(out.initialVersion));
    } finally {
      child.kill();
      sim.setProperty(vm.self, 'runtime.powerState', 'poweredOn');
    }
  });
});

describe.skipIf(!available)('pyvmomi against a simulator with credentials', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await createSimulator({ listen: '127.0.0.1:0', username: 'admin@vsphere.local', password: 'S3cret!' });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('raises vim.fault.InvalidLogin on a bad password', async () => {
    const out = await runPyvmomi('bad-login', sim.url, { username: 'admin@vsphere.local', password: 'wrong' });
    expect(out.fault).toBe('InvalidLogin');
  });

  it('raises vim.fault.InvalidLogin on an unknown user', async () => {
    const out = await runPyvmomi('bad-login', sim.url, { username: 'someone-else', password: 'S3cret!' });
    expect(out.fault).toBe('InvalidLogin');
  });

  it('logs in with the right credentials', async () => {
    const out = await runPyvmomi('about', sim.url, { username: 'admin@vsphere.local', password: 'S3cret!' });
    expect(out.userName).toBe('admin@vsphere.local');
  });
});

describe.skipIf(!available)('pyvmomi against 1,000 VMs', () => {
  // vcsim 0.38's flags: VMs = vm × (standalone hosts + child pools, which hold the cluster's VMs) = 200 × (3 + 2).
  const topology = topologyFromFlags({ standaloneHost: 3, cluster: 1, host: 3, vm: 200, pool: 2 });
  let sim: Simulator;

  beforeAll(async () => {
    sim = await createSimulator({ listen: '127.0.0.1:0', topology });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('pages RetrievePropertiesEx with maxObjects=100 and ContinueRetrievePropertiesEx', async () => {
    const total = objectsOfType(sim, 'VirtualMachine').length;
    expect(total).toBe(1000);
    const out = await runPyvmomi('paging', sim.url, sim, ['--page-size', '100'], 120_000);
    expect(out.total).toBe(1000);
    expect(out.pages).toBe(10);
    expect(out.pageSizes).toEqual(Array(10).fill(100));
    expect(out.uniqueIds).toBe(1000);
    expect(out.uniqueNames).toBe(1000);
    expect(out.namesMissing).toBe(0);
    expect(out.tokens).toBe(9);
    expect(out.distinctTokens).toBe(9);
  }, 150_000);

  it('follows mutually recursive traversal specs (visitFolders, rp_to_rp) to exactly the inventory', async () => {
    const out = await runPyvmomi<{ everything: Entity[]; pools: Record<string, { root: string; pools: Entity[] }> }>(
      'traversal',
      sim.url,
      sim,
      [],
      120_000,
    );
    const expected: Entity[] = objectsOfKind(sim, 'ManagedEntity').map((o) => ({ type: o.self.type, id: o.self.value, name: at(o, 'name') }));
    expect(expected.length).toBeGreaterThan(1000);
    // Every entity once: no duplicates, nothing missing, nothing extra.
    expect([...out.everything].sort(byId)).toEqual(expected.sort(byId));

    const computeResources = objectsOfKind(sim, 'ComputeResource');
    expect(Object.keys(out.pools).sort()).toEqual(computeResources.map((c) => c.self.value).sort());
    for (const cr of computeResources) {
      const root = at(cr, 'resourcePool').value as string;
      const got = out.pools[cr.self.value]!;
      expect(got.root).toBe(root);
      expect([...got.pools].sort(byId)).toEqual(poolTree(sim, root).sort(byId));
    }
    // The cluster's root pool has its two child pools.
    const cluster = named(sim, 'ClusterComputeResource', 'DC0_C0');
    expect(out.pools[cluster.self.value]!.pools).toHaveLength(3);
  }, 150_000);
});

interface Entity {
  type: string;
  id: string;
  name: string;
}

/** The resource pool `rootId` and every pool below it, from the registry. */
function poolTree(sim: Simulator, rootId: string): Entity[] {
  const out: Entity[] = [];
  const visit = (id: string) => {
    const pool = sim.vc.registry.byId(id);
    if (!pool) throw new Error(`no pool ${id}`);
    out.push({ type: pool.self.type, id, name: at(pool, 'name') });
    for (const child of (at(pool, 'resourcePool') ?? []) as { value: string }[]) visit(child.value);
  };
  visit(rootId);
  return out;
}
