/**
 * pyvmomi (Debian python3-pyvmomi 6.7.1) as least-privilege users against privileges enforced
 * once users are configured: test/clients/pyvmomi/access.py, in the world of test/support/access.ts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import { createSimulator } from '../../simulator/index.js';
import { accessTopology, accessUsers } from '../support/access.js';
import { clientAvailable, clientsDir, jsonResult, pythonEnv, pyvmomiStatus, runProcess, systemPython } from './support.js';

const available = clientAvailable(pyvmomiStatus());
const credentials = (user: keyof typeof accessUsers) => `${accessUsers[user].username}:${accessUsers[user].password}`;

describe.skipIf(!available)('pyvmomi: a read-only user, an operator and an administrator under enforced privileges', () => {
  it('filters what the reader sees, refuses it with NoPermission, lets the operator power on, grants and revokes as vmware_object_role_permission', async () => {
    const sim = await createSimulator({ topology: accessTopology() });
    let out: Record<string, any>;
    try {
      const args = ['--url', sim.url, '--user', accessUsers.admin.username, '--password', accessUsers.admin.password, '--reader', credentials('reader'), '--operator', credentials('operator')];
      out = jsonResult(await runProcess(systemPython, [join(clientsDir, 'pyvmomi', 'access.py'), ...args], { env: pythonEnv(), timeoutMs: 120_000 }));
    } finally {
      await sim.close();
    }
    const vmId = (name: string) => sim.vc.registry.ofType<ManagedEntity>('VirtualMachine').find((v) => v.name === name)!.self.value;
    const vmFolder = sim.vc.registry.ofType<ManagedEntity>('Folder').find((f) => f.name === 'vm')!.self.value;
    expect(out.adminVms).toContain('DC0_H0_VM1');
    expect(out.readerVms).toEqual(out.adminVms.filter((name: string) => name !== 'DC0_H0_VM1'));
    expect(out.hiddenName).toEqual(['NoPermission', vmId('DC0_H0_VM1'), 'System.View']);
    expect(out.readerPowerOn).toEqual(['NoPermission', vmId('DC0_C0_RP0_VM0'), 'VirtualMachine.Interact.PowerOn']);
    expect(out.readerEffectiveRole).toEqual([-2]);
    // Events of what the reader cannot see are not the reader's to read.
    expect(out.adminPoweredOff).toContain('DC0_H0_VM1');
    expect(out.readerPoweredOff).toEqual(out.adminPoweredOff.filter((name: string) => name !== 'DC0_H0_VM1'));
    expect(out.readerPoweredOff.length).toBeGreaterThan(0);
    expect(out.operatorPowerState).toBe('poweredOn');
    expect(out.operatorElsewhere).toEqual(['NoPermission', vmId('DC0_H0_VM0'), 'VirtualMachine.Interact.PowerOff']);
    expect(out.operatorDestroy).toEqual(['NoPermission', vmId('DC0_C0_RP0_VM0'), 'VirtualMachine.Inventory.Delete']);
    expect(out.notPropagated).toEqual(['NoPermission', vmId('DC0_H0_VM0'), 'VirtualMachine.Interact.PowerOff']);
    expect(out.propagated).toBeNull();
    expect(out.granted).toEqual([true, false]);
    expect(out.revoked).toEqual(['NoPermission', vmId('DC0_H0_VM0'), 'VirtualMachine.Interact.PowerOn']);
    expect(out.readerGrants).toEqual(['NoPermission', vmFolder, 'Authorization.ModifyPermissions']);
  }, 180_000);
});
