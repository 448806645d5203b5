/**
 * govmomi's vapi/cluster client (Debian golang-github-vmware-govmomi-dev 0.24.2) against
 * vcenter-sim's cluster modules, in the `/rest/vcenter/cluster/modules` form it speaks: create,
 * add members (true, then false for a member again and for a VM of another host), list modules
 * and members, remove, a VM id given as a cluster (404), delete. test/clients/govmomi/clustermodules/main.go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from './inventory.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi vapi/cluster modules', () => {
  let binary: string;
  let sim: Simulator;

  beforeAll(async () => {
    [binary, sim] = await Promise.all([buildGoProgram('clustermodules'), createSimulator({ listen: '127.0.0.1:0' })]);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('creates a module, adds and removes members, deletes it', async () => {
    const cluster = named(sim, 'ClusterComputeResource', 'DC0_C0').self.value;
    const [first, second] = ['DC0_C0_RP0_VM0', 'DC0_C0_RP0_VM1'].map((name) => named(sim, 'VirtualMachine', name).self.value);
    const outside = named(sim, 'VirtualMachine', 'DC0_H0_VM0').self.value;
    const args = ['-url', sim.url, '-user', sim.username, '-password', sim.password, '-cluster', cluster, '-vms', `${first},${second}`, '-outside', outside];
    const out = jsonResult(await runProcess(binary, args, { timeoutMs: 60_000 }));

    expect(out.module).toMatch(/^[0-9a-f-]{36}$/);
    expect([out.added, out.addedAgain, out.addedOutside]).toEqual([true, false, false]);
    expect(out.modules).toEqual([{ cluster, module: out.module }]);
    expect(out.members).toEqual([`VirtualMachine:${first}`, `VirtualMachine:${second}`]);
    expect(out.removed).toBe(true);
    expect(out.membersAfterRemove).toEqual([`VirtualMachine:${second}`]);
    expect(out.badCluster).toMatch(/404/);
    expect(out.gone).toMatch(/404/);
    expect(sim.vc.clusterModules.list()).toEqual([]);
  });
});
