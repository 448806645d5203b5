/**
 * The govmomi Go library (Debian golang-github-vmware-govmomi-dev 0.24.2, GOPATH mode) against
 * vcenter-sim. The client is test/clients/govmomi/probe/main.go, built once for this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { at, byName, objectsOfType, vpx } from './inventory.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi', () => {
  let probe: string;
  let sim: Simulator;
  const sims: Simulator[] = [];

  const start = async (options: Parameters<typeof createSimulator>[0] = {}) => {
    const s = await createSimulator({ listen: '127.0.0.1:0', ...options });
    sims.push(s);
    return s;
  };
  const run = async <T = Record<string, any>>(
    scenario: string,
    target: { url: string; username: string; password: string },
    flags: string[] = [],
  ): Promise<T> => {
    const args = ['-url', target.url, '-user', target.username, '-password', target.password, ...flags, scenario];
    return jsonResult<T>(await runProcess(probe, args, { timeoutMs: 60_000 }));
  };

  beforeAll(async () => {
    // Compiling govmomi takes a while the first time; the Go build cache makes reruns fast.
    [probe, sim] = await Promise.all([buildGoProgram('probe'), start()]);
  }, 300_000);
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.close()));
  });

  it('find.Finder lists datacenters, clusters, hosts, VMs, datastores and networks', async () => {
    const out = await run('finder', sim);
    expect(out.datacenters).toEqual(vpx.datacenters);
    expect(out.datacenterPaths).toEqual(['/DC0']);
    expect(out.clusters).toEqual(vpx.clusters);
    expect(out.clusterPaths).toEqual(['/DC0/host/DC0_C0']);
    expect(out.hosts).toEqual(vpx.hosts);
    expect(out.hostPaths).toEqual(vpx.hostPaths);
    expect(out.vms).toEqual(vpx.vms);
    expect(out.vmPaths).toEqual(vpx.vmPaths);
    expect(out.datastores).toEqual(vpx.datastores);

    expect(out.networks).toHaveLength(4);
    expect(out.networks).toEqual(expect.arrayContaining(['VM Network', 'DVS0', 'DC0_DVPG0']));
    expect(out.networks.filter((n: string) => /^DVS0-DVUplinks-\d+$/.test(n))).toHaveLength(1);
    expect(out.networkTypes['VM Network']).toBe('Network');
    expect(out.networkTypes['DC0_DVPG0']).toBe('DistributedVirtualPortgroup');
    expect(['VmwareDistributedVirtualSwitch', 'DistributedVirtualSwitch']).toContain(out.networkTypes['DVS0']);
  });

  it('property.Collector.Retrieve decodes the VMs summary', async () => {
    const out = await run('retrieve', sim);
    const expected = objectsOfType(sim, 'VirtualMachine').map((vm) => ({
      id: vm.self.value,
      name: at(vm, 'name'),
      powerState: at(vm, 'runtime.powerState'),
      numCpu: at(vm, 'config.hardware.numCPU'),
      memorySizeMB: at(vm, 'config.hardware.memoryMB'),
      uuid: at(vm, 'config.uuid'),
      guestId: at(vm, 'config.guestId'),
      host: at(vm, 'runtime.host')?.value,
      summaryVm: vm.self.value,
    }));
    expect(out.vms.map((v: { name: string }) => v.name)).toEqual(vpx.vms);
    expect(out.vms).toEqual(expected.sort(byName));
    for (const vm of out.vms) {
      expect(vm.numCpu).toBeGreaterThan(0);
      expect(vm.memorySizeMB).toBeGreaterThan(0);
      expect(vm.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(vm.host).toMatch(/^host-/);
    }
  });

  it('view.Manager container views retrieve VMs and hosts; a destroyed view is gone', async () => {
    const out = await run('view', sim);
    const vms = objectsOfType(sim, 'VirtualMachine').map((vm) => ({
      id: vm.self.value,
      name: at(vm, 'name'),
      powerState: at(vm, 'runtime.powerState'),
      numCPU: at(vm, 'config.hardware.numCPU'),
    }));
    const hosts = objectsOfType(sim, 'HostSystem').map((h) => ({
      id: h.self.value,
      name: at(h, 'name'),
      connectionState: at(h, 'runtime.connectionState'),
    }));
    expect(out.vms).toEqual(vms.sort(byName));
    expect(out.hosts).toEqual(hosts.sort(byName));
    expect(out.hosts.map((h: { name: string }) => h.name)).toEqual(vpx.hosts);
    expect(out.hosts.every((h: { connectionState: string }) => h.connectionState === 'connected')).toBe(true);
    expect(out.afterDestroyFault).toBe('ManagedObjectNotFound');
  });

  it('keepalive.NewHandlerSOAP keeps a session alive past the idle timeout; Logout stops it', async () => {
    const short = await start({ sessionIdleTimeoutMs: 1000 });
    const out = await run('keepalive', short, ['-interval', '200ms', '-wait', '3s']);
    expect(out.plainSessionAlive).toBe(false);
    expect(out.keptSessionAlive).toBe(true);
    expect(out.sameSession).toBe(true);
    expect(out.userName).toBe(short.username);
    expect(out.keepAliveSends).toBeGreaterThanOrEqual(5);
    expect(out.sendsAfterLogout).toBe(0);
  });

  it('after Logout, calls fail with NotAuthenticated', async () => {
    const out = await run('logout', sim);
    expect(out.userName).toBe(sim.username);
    expect(out.serverTimeYear).toBe(new Date().getUTCFullYear());
    expect(out.currentTimeFault).toBe('NotAuthenticated');
    expect(out.retrieveFault).toBe('NotAuthenticated');
    expect(out.sessionAfterLogout).toBe(false);
  });

  it('gets an InvalidLogin SOAP fault on a bad password, and logs in with the right one', async () => {
    const locked = await start({ username: 'admin@vsphere.local', password: 'S3cret!' });
    const bad = await run('badlogin', { url: locked.url, username: 'admin@vsphere.local', password: 'wrong' });
    expect(bad).toMatchObject({
      loggedIn: false,
      isSoapFault: true,
      fault: 'InvalidLogin',
      isInvalidLogin: true,
      faultCode: 'ServerFaultCode',
    });
    expect(bad.faultString).toEqual(expect.any(String));
    const good = await run('badlogin', { url: locked.url, username: 'admin@vsphere.local', password: 'S3cret!' });
    expect(good).toEqual({ loggedIn: true, fault: '' });
  });
});
