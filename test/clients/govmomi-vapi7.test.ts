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
});
