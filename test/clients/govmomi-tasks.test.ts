/**
 * govmomi (Debian golang-github-vmware-govmomi-dev 0.24.2) driving VM power operations as tasks:
 * task.WaitForResult follows Task.info through WaitForUpdatesEx, so progress, results and faults
 * must arrive exactly as vCenter sends them. The client is test/clients/govmomi/tasks/main.go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi tasks and events', () => {
  let program: string;
  let sim: Simulator;

  beforeAll(async () => {
    [program, sim] = await Promise.all([buildGoProgram('tasks'), createSimulator({ methodDelayMs: { PowerOffVM_Task: 400 } })]);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('powers off with progress, fails a second power-off with InvalidPowerState, powers on and waits for the IP', async () => {
    const out = jsonResult(await runProcess(program, ['-url', sim.url, '-user', sim.username, '-password', sim.password], { timeoutMs: 60_000 }));
    expect(out.powerOff).toMatchObject({ state: 'success', descriptionId: 'VirtualMachine.powerOff', powerState: 'poweredOff' });
    expect(out.powerOff.progress.some((p: number) => p > 0 && p < 100)).toBe(true);
    expect(out.secondPowerOff).toMatchObject({ fault: 'InvalidPowerState', existingState: 'poweredOff' });
    expect(out.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(out.events).toEqual([
      'TaskEvent', 'VmStoppingEvent', 'VmPoweredOffEvent',
      'TaskEvent',
      'TaskEvent', 'VmStartingEvent', 'VmPoweredOnEvent',
    ]);
  });
});
