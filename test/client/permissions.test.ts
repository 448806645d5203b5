/** The bundled client as a least-privilege user sees it: filtered finds, missing properties as VimErrors, NO_PERMISSION faults. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, VimError, type VimClient } from '../../client/index.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { accessTopology, accessUsers } from '../support/access.js';

describe('the client under enforced privileges', () => {
  let sim: Simulator;
  let reader: VimClient;

  beforeAll(async () => {
    sim = await createSimulator({ listen: '127.0.0.1:0', topology: accessTopology() });
    reader = await connect(sim.url, { ...accessUsers.reader, insecure: true });
  });
  afterAll(async () => {
    await reader?.close();
    await sim?.close();
  });

  const hidden = () => sim.vc.registry.ofType<ManagedEntity>('VirtualMachine').find((v) => v.name === 'DC0_H0_VM1')!.self;

  it('finds only what the user sees, and reports what it may not read under missing', async () => {
    const names = (await reader.find('VirtualMachine', { paths: ['name'] })).map((v) => v.name);
    expect(names).toHaveLength(sim.vc.registry.ofType('VirtualMachine').length - 1);
    expect(names).not.toContain('DC0_H0_VM1');
    const [object] = await reader.retrieve({ type: 'VirtualMachine', value: hidden().value }, ['name', 'runtime.powerState']);
    expect(Object.keys(object!).sort()).toEqual(['missing', 'ref']);
    const missing = object!.missing!;
    expect(Object.keys(missing)).toEqual(['name', 'runtime.powerState']);
    for (const error of Object.values(missing)) expect(error).toMatchObject({ code: 'NO_PERMISSION', faultType: 'NoPermission' });
    expect(missing['runtime.powerState']!.fault).toMatchObject({ privilegeId: 'System.Read' });
  });

  it('gets NO_PERMISSION with the privilege for a call it may not make', async () => {
    const vm = (await reader.find('VirtualMachine', { paths: ['name'] })).find((v) => v.name === 'DC0_H0_VM0')!.ref;
    const error = await reader.call(vm, 'PowerOffVM_Task', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VimError);
    expect(error).toMatchObject({ code: 'NO_PERMISSION', retryable: false, fault: { privilegeId: 'VirtualMachine.Interact.PowerOff' } });
  });
});
