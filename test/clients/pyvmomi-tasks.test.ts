/**
 * pyvmomi (Debian python3-pyvmomi 6.7.1) driving power operations as tasks: WaitForTask reads
 * Task.info through a PropertyCollector filter, so this checks tasks, updates and events together.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { clientAvailable, clientsDir, jsonResult, pythonEnv, pyvmomiStatus, runProcess, systemPython } from './support.js';

const available = clientAvailable(pyvmomiStatus());

describe.skipIf(!available)('pyvmomi tasks and events', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await createSimulator({ methodDelayMs: { PowerOnVM_Task: 300 } });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('powers a VM off, snapshots and reconfigures it, reverts, powers it on with WaitForTask, gets InvalidPowerState, and reads the events back', async () => {
    const script = join(clientsDir, 'pyvmomi', 'tasks.py');
    const result = await runProcess(systemPython, [script, '--url', sim.url, '--user', sim.username, '--password', sim.password], { timeoutMs: 60_000, env: pythonEnv() });
    const out = jsonResult(result);
    const [off, again, reconfigured, snapshots, on] = out.steps;
    expect(snapshots).toEqual({
      after: 'snapshots',
      snapshotType: 'VirtualMachineSnapshot',
      tree: ['base'],
      current: 'removed',
      numCPUAfterRevert: 1,
      rootSnapshots: 0,
      // The snapshot's files in layoutEx: its .vmsn, the .vmsd list, a delta disk on the chain; consolidated away by RemoveAll.
      layout: {
        files: ['config', 'diskDescriptor', 'diskDescriptor', 'diskExtent', 'diskExtent', 'log', 'nvram', 'snapshotData', 'snapshotList'],
        snapshots: [{ snapshot: expect.stringMatching(/^snapshot-/), data: '[LocalDS_0] DC0_H0_VM0/DC0_H0_VM0-Snapshot1.vmsn', chainBefore: [1] }],
        chains: [2],
        filesAfterRemoveAll: ['config', 'diskDescriptor', 'diskExtent', 'log', 'nvram', 'snapshotList'],
        chainsAfterRemoveAll: [1],
      },
    });
    expect(reconfigured).toMatchObject({ numCPU: 2, memoryMB: 64, annotation: 'reconfigured by pyvmomi' });
    expect(reconfigured.disks).toHaveLength(2);
    expect(reconfigured.disks[1]).toEqual({ label: 'Hard disk 2', capacityInKB: 2097152, file: '[LocalDS_0] DC0_H0_VM0/DC0_H0_VM0_1.vmdk' });
    expect(off).toEqual({ after: 'PowerOffVM_Task', powerState: 'poweredOff', ip: null });
    expect(again).toMatchObject({ fault: 'InvalidPowerState', existingState: 'poweredOff' });
    expect(on).toMatchObject({ powerState: 'poweredOn', taskState: 'success', descriptionId: 'VirtualMachine.powerOn', entityName: 'DC0_H0_VM0' });
    expect(on.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // The VM's history from the start inventory (posted by no user), then the client's.
    const history = out.events.filter((e: { user: string }) => e.user === '');
    expect(history.map((e: { type: string }) => e.type)).toEqual(['VmBeingCreatedEvent', 'VmInstanceUuidAssignedEvent', 'VmUuidAssignedEvent', 'VmCreatedEvent', 'VmStartingEvent', 'VmPoweredOnEvent']);
    const events = out.events.filter((e: { user: string }) => e.user !== '');
    const types = events.map((e: { type: string }) => e.type);
    expect(types).toEqual([
      'TaskEvent', 'VmStoppingEvent', 'VmPoweredOffEvent',
      'TaskEvent',
      'TaskEvent',
      'TaskEvent', 'VmReconfiguredEvent',
      'TaskEvent', 'TaskEvent',
      'TaskEvent', 'VmStartingEvent', 'VmPoweredOnEvent',
    ]);
    expect(events.every((e: { user: string }) => e.user === sim.username)).toBe(true);
    expect(events[2].message).toBe('DC0_H0_VM0 on DC0_H0 in DC0 is powered off');
    expect(out.latestEvent).toBe('VmPoweredOnEvent');
    // Its 7 tasks after the 19 the start inventory's build ran (as vcsim's builder leaves them).
    expect(out.recentTasks).toBe(19 + 7);
  });
});
