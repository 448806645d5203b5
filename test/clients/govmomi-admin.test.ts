/**
 * vCenter's administration managers as govc's role.*, permissions.*, fields.*, license.* and
 * option.* commands use them, through govmomi (Debian 0.24.2): test/clients/govmomi/admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi: administration managers, as govc uses them', () => {
  let program: string;
  let sim: Simulator;
  const run = async (scenario: string) =>
    jsonResult(await runProcess(program, ['-url', sim.url, '-user', sim.username, '-password', sim.password, scenario], { timeoutMs: 120_000 }));

  beforeAll(async () => {
    [program, sim] = await Promise.all([buildGoProgram('admin'), createSimulator({ topology: topologyFromFlags({}) })]);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('role.ls/create/update/usage/remove and permissions.set/ls/remove', async () => {
    const out = await run('roles');
    expect(out.roles).toEqual(['NoCryptoAdmin', 'NoAccess', 'Anonymous', 'View', 'ReadOnly', 'Admin']);
    expect(out).toMatchObject({ id: 1, duplicate: 'AlreadyExists', usage: 1, inUse: 'RemoveFailed', removed: '' });
    expect(out.privileges).toEqual(['System.Anonymous', 'System.Read', 'System.View', 'VirtualMachine.Interact.PowerOff', 'VirtualMachine.Interact.PowerOn']);
    expect(out.principals).toEqual(['ops', 'root', 'root', 'admin']);
    expect(out.opsPrivileges).toEqual(out.privileges);
  });

  it('fields.add/set/rename/ls/rm', async () => {
    const out = await run('fields');
    expect(out).toEqual({ key: 101, duplicate: 'DuplicateName', names: ['owned-by'], missing: true, after: 0 });
  });

  it('license.ls/add/decode/assigned.ls/assign/remove', async () => {
    const out = await run('licenses');
    expect(out).toEqual({ before: 1, evalName: 'Evaluation Mode', added: 'ABCDE-12345-FGHIJ-67890-KLMNO', decoded: 'eval', assignments: 5, assignedKey: 'ABCDE-12345-FGHIJ-67890-KLMNO', hasDVS: true, after: 1 });
  });

  it('option.ls/set on vCenter\'s settings', async () => {
    const out = await run('options');
    expect(out.count).toBeGreaterThan(15);
    expect(out).toMatchObject({ events: 3, maxAge: 60, unknown: 'InvalidName', bad: 'InvalidName' });
  });
});
