/**
 * govmomi's vSphere 7 vapi clients of Debian's 0.24.2 that need no program of their own, against
 * vcenter-sim: vapi/appliance/logging (the forwarding the simulator holds) and vapi/namespace
 * (Supervisor enable/disable and the compatibility lists). test/clients/govmomi/vapi7/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from './inventory.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi vSphere 7 vapi clients', () => {
  let binary: string;
  let sim: Simulator;

  beforeAll(async () => {
    [binary, sim] = await Promise.all([buildGoProgram('vapi7'), createSimulator({ listen: '127.0.0.1:0' })]);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
  });

  const run = async (scenario: string, extra: string[] = []) =>
    jsonResult(await runProcess(binary, ['-url', sim.url, '-user', sim.username, '-password', sim.password, ...extra, scenario], { timeoutMs: 60_000 }));

  it('vapi/appliance/logging reads the syslog forwarding', async () => {
    expect(await run('logging')).toEqual({ forwarding: [] });
    sim.vc.appliance.setForwarding([{ hostname: 'syslog.example', port: 514, protocol: 'TLS' }]);
    expect(await run('logging')).toEqual({ forwarding: [{ hostname: 'syslog.example', port: 514, protocol: 'TLS' }] });
  });

  it('vapi/namespace enables a Supervisor, reads compatibility and a support bundle, refuses a second enable, disables it', async () => {
    const cluster = named(sim, 'ClusterComputeResource', 'DC0_C0').self.value;
    const network = named(sim, 'DistributedVirtualPortgroup', 'DC0_DVPG0').self.value;
    const dvs = named(sim, 'VmwareDistributedVirtualSwitch', 'DVS0').self.value;
    const policy = 'aa6d5a82-1c88-45da-85d3-3d74b91a5bad';
    const out = await run('namespace', ['-cluster', cluster, '-network', network, '-policy', policy]);

    expect(out.clusters).toEqual([{ cluster, cluster_name: 'DC0_C0', kubernetes_status: 'READY', config_status: 'RUNNING' }]);
    expect(out.switches).toEqual([{ distributed_switch: dvs, compatible: true }]);
    expect(out.edges).toEqual([{ edge_cluster: 'edge-cluster-1', display_name: 'Edge Cluster 1', compatible: true }]);
    expect(out.bundle).toEqual({ url: expect.stringMatching(new RegExp(`/wcp/support-bundle/${cluster}$`)), token: true });
    expect(out.again).toMatch(/400.*already_exists/i);
    expect(out.afterDisable).toEqual([]);
    expect(sim.vc.supervisors.list()).toEqual([]);
    // Both changes ran as tasks on the cluster.
    const tasks = sim.vc.registry.ofType('Task').map((t) => (t as unknown as { info: { name: string; entity: { value: string } } }).info);
    expect(tasks.filter((info) => info.entity.value === cluster).map((info) => info.name)).toEqual(expect.arrayContaining(['EnableSupervisor', 'DisableSupervisor']));
  });

  it('vapi/vcenter makes a VM template item, deploys it, checks a VM out and in', async () => {
    const datastore = named(sim, 'Datastore', 'LocalDS_0').self.value;
    const source = named(sim, 'VirtualMachine', 'DC0_C0_RP0_VM0');
    const pool = named(sim, 'ClusterComputeResource', 'DC0_C0') as unknown as { resourcePool: { value: string } };
    const out = await run('vmtx', ['-datastore', datastore, '-pool', pool.resourcePool.value, '-vm', source.self.value]);

    expect(out.item).toMatchObject({ name: 'golden', type: 'vm-template' });
    const vmNamed = (id: string) => sim.vc.registry.byId(id) as unknown as { name: string; config: { template: boolean }; resourcePool?: { value: string } };
    expect(vmNamed(out.deployed)).toMatchObject({ name: 'from-golden', config: { template: false }, resourcePool: { value: pool.resourcePool.value } });
    // Checked in, the edited VM is the template now, and the item has a new version.
    expect(vmNamed(out.checkedOut)).toMatchObject({ name: 'golden-edit', config: { template: true } });
    expect(out.version).toBe('2');
    expect(sim.vc.registry.ofType('VirtualMachine').filter((vm) => (vm as unknown as { name: string }).name === 'golden')).toEqual([]);
    expect(out.missing).toMatch(/404/);
  });
});
