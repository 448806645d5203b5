/**
 * govmomi (Debian 0.24.2) as least-privilege users, as govc's ls, find, vm.power and
 * permissions.* run for them: test/clients/govmomi/access, in the world of test/support/access.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { accessTopology, accessUsers } from '../support/access.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi: a read-only user, an operator and an administrator under enforced privileges', () => {
  let program: string;
  let sim: Simulator;
  const vmId = (name: string) => sim.vc.registry.ofType<ManagedEntity>('VirtualMachine').find((v) => v.name === name)!.self.value;
  const run = async (user: keyof typeof accessUsers, scenario: string) => {
    const { username, password } = accessUsers[user];
    return jsonResult(await runProcess(program, ['-url', sim.url, '-user', username, '-password', password, '-hidden', vmId('DC0_H0_VM1'), scenario], { timeoutMs: 120_000 }));
  };

  beforeAll(async () => {
    [program, sim] = await Promise.all([buildGoProgram('access'), createSimulator({ topology: accessTopology() })]);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('shows the reader the inventory without what it may not see, and refuses its PowerOn with NoPermission', async () => {
    const out = await run('reader', 'reader');
    const all = sim.vc.registry.ofType<ManagedEntity>('VirtualMachine').map((v) => v.name).filter((n) => n !== 'DC0_H0_VM1').sort();
    expect(out.viewed).toEqual(all);
    expect(out.listed).toEqual(['DC0_C0_RP0_VM0', 'DC0_C0_RP0_VM1', 'DC0_H0_VM0']);
    expect(out.powerOn).toEqual(['NoPermission', vmId('DC0_C0_RP0_VM0'), 'VirtualMachine.Interact.PowerOn']);
    expect(out.hidden).toEqual(['NoPermission', vmId('DC0_H0_VM1'), 'System.View']);
  });

  it('lets the operator power a VM its group\'s role covers, not one elsewhere, until an administrator grants it there', async () => {
    expect(await run('operator', 'operator')).toEqual({ cluster: [''], standalone: ['NoPermission', vmId('DC0_H0_VM0'), 'VirtualMachine.Interact.PowerOff'] });
    const granted = await run('admin', 'grant');
    // set as Operators@vsphere.local, stored as vCenter names the group
    expect(granted.permissions).toEqual([['VSPHERE.LOCAL\\Operators', true, 1, true]]);
    expect(await run('operator', 'operator')).toEqual({ cluster: [''], standalone: [''] });
    expect(await run('admin', 'revoke')).toEqual({ removed: '' });
    expect((await run('operator', 'operator')).standalone).toEqual(['NoPermission', vmId('DC0_H0_VM0'), 'VirtualMachine.Interact.PowerOff']);
  });

  it('gets 403 from REST for the same rules and lists only readable VMs through vapi/rest', async () => {
    const out = await run('reader', 'rest');
    expect(out.listed).not.toContain('DC0_H0_VM1');
    expect(out.listed).toHaveLength(sim.vc.registry.ofType('VirtualMachine').length - 1);
    expect(out.power).toMatch(/403 Forbidden/);
  });
});
