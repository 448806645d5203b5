/**
 * govmomi (Debian golang-github-vmware-govmomi-dev 0.24.2) driving a VM's lifecycle as tasks:
 * task.Wait and task.WaitForResult follow Task.info through WaitForUpdatesEx, so progress, results
 * and faults must arrive exactly as vCenter sends them; event.Manager reads and tails the events.
 * The client is test/clients/govmomi/tasks/main.go.
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

  it('powers off with progress, fails a second power-off with InvalidPowerState, powers on, waits for the IP, reads and tails events, reconfigures, clones and destroys, and uses a pool and vApps as containers', async () => {
    const out = jsonResult(await runProcess(program, ['-url', sim.url, '-user', sim.username, '-password', sim.password], { timeoutMs: 60_000 }));
    expect(out.powerOff).toMatchObject({ state: 'success', descriptionId: 'VirtualMachine.powerOff', powerState: 'poweredOff' });
    expect(out.powerOff.progress.some((p: number) => p > 0 && p < 100)).toBe(true);
    expect(out.secondPowerOff).toMatchObject({ fault: 'InvalidPowerState', existingState: 'poweredOff' });
    expect(out.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(out.events).toEqual([
      // the start inventory's history of the VM, as vcsim's model builder leaves it
      'VmBeingCreatedEvent', 'VmInstanceUuidAssignedEvent', 'VmUuidAssignedEvent', 'VmCreatedEvent', 'VmStartingEvent', 'VmPoweredOnEvent',
      'TaskEvent', 'VmStoppingEvent', 'VmPoweredOffEvent',
      'TaskEvent',
      'TaskEvent', 'VmStartingEvent', 'VmPoweredOnEvent',
    ]);
    // event.Manager.Events: the newest page of 4, newest first (govmomi's tailer counts on that order).
    expect(out.eventsPage).toEqual(['VmPoweredOnEvent', 'VmStartingEvent', 'TaskEvent', 'TaskEvent']);
    // Tailing while the VM powers off and on: every new event once, in order.
    expect(out.tail.names).toEqual(['TaskEvent', 'VmStoppingEvent', 'VmPoweredOffEvent', 'TaskEvent', 'VmStartingEvent', 'VmPoweredOnEvent']);
    expect(out.tail.keys).toEqual([...out.tail.keys].sort((a: number, b: number) => a - b));
    expect(new Set(out.tail.keys).size).toBe(6);
    expect(out.lifecycle).toEqual({
      numCPU: 2, memoryMB: 96, annotation: 'reconfigured by govmomi', disks: ['disk-202-0', 'disk-202-1'],
      cloneTaskEntity: 'DC0_H0_VM0', cloneName: 'govm-clone', clonePowerState: 'poweredOn', cloneDisks: 2, cloneGone: true,
    });
    // A pool and vApps as VM containers; DestroyChildren and Destroy hand the VMs up (4: two in each vApp).
    expect(out.pools).toEqual({
      started: 'started', cloneName: 'gapp-copy', cloneState: 'stopped', cloneVms: ['ga-web', 'ga-db'],
      poolName: 'gpool-renamed', poolChildrenAfterDestroyChildren: 0, poolVmsAfterDestroyChildren: 4, poolGone: true,
    });
  });
});
