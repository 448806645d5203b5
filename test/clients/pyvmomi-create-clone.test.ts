/**
 * pyvmomi (Debian python3-pyvmomi 6.7.1) creating a VM with a disk and a NIC, powering it on,
 * cloning it (cancelling a clone mid-run, a linked clone from a snapshot), renaming, powering off and destroying, each task
 * waited for with WaitForTask, and the events of each step read through QueryEvents and an
 * EventHistoryCollector.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { clientAvailable, clientsDir, jsonResult, pythonEnv, pyvmomiStatus, runProcess, systemPython } from './support.js';

const available = clientAvailable(pyvmomiStatus());

describe.skipIf(!available)('pyvmomi create and clone', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await createSimulator({ methodDelayMs: { CloneVM_Task: 400 } });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('creates a VM with a disk and a NIC, powers it on, clones it, cancels a clone, makes a linked clone, renames, powers off and destroys', async () => {
    const script = join(clientsDir, 'pyvmomi', 'create_clone.py');
    const result = await runProcess(systemPython, [script, '--url', sim.url, '--user', sim.username, '--password', sim.password], { timeoutMs: 60_000, env: pythonEnv() });
    const out = jsonResult(result);
    const { created, powered, cloned } = out;
    expect(created).toMatchObject({
      name: 'pyvm', powerState: 'poweredOff', numCPU: 2, memoryMB: 256, guestId: 'otherLinux64Guest', template: false,
      vmx: '[LocalDS_0] pyvm/pyvm.vmx', networks: ['VM Network'], datastores: ['LocalDS_0'], pool: 'Resources', parent: 'vm',
      hostHasVm: true, poolHasVm: true, inFolder: true, taskEntity: 'vm', ip: null,
    });
    expect(created.moid).toMatch(/^vm-\d+$/);
    expect(created.host).toMatch(/^DC0_C0_H\d$/);
    expect(created.controllers).toEqual(expect.arrayContaining(['VirtualIDEController', 'VirtualPCIController', 'VirtualPS2Controller', 'VirtualSIOController', 'VirtualLsiLogicController']));
    expect(created.disks).toEqual([{ file: '[LocalDS_0] pyvm/pyvm.vmdk', capacityInKB: 4194304, controllerKey: 1000, datastore: 'LocalDS_0' }]);
    expect(created.nics).toHaveLength(1);
    expect(created.nics[0]).toMatchObject({ type: 'VirtualVmxnet3', network: 'VM Network' });
    expect(created.nics[0].mac).toMatch(/^00:50:56(:[0-9a-f]{2}){3}$/);
    expect(powered.powerState).toBe('poweredOn');
    expect(powered.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(cloned).toMatchObject({ name: 'pyvm-clone', powerState: 'poweredOff', numCPU: 2, memoryMB: 256, vmx: '[LocalDS_0] pyvm-clone/pyvm-clone.vmx', networks: ['VM Network'], poolHasVm: true, hostHasVm: true });
    expect(cloned.moid).not.toBe(created.moid);
    expect(cloned.uuid).not.toBe(created.uuid);
    expect(cloned.disks[0].file).toBe('[LocalDS_0] pyvm-clone/pyvm-clone.vmdk');
    expect(cloned.nics[0].mac).not.toBe(created.nics[0].mac);
    expect(out.duplicate).toMatchObject({ fault: 'DuplicateName' });
    expect(out.cancelled).toMatchObject({ fault: 'RequestCanceled', stateWhenCancelled: 'running', state: 'error', cancelled: true, cancelable: true, left: [] });
    // A linked clone's disk is a child of the source's: it takes (next to) no space, and destroying it gives that back.
    expect(out.linked).toMatchObject({ file: '[LocalDS_0] pyvm-linked/pyvm-linked.vmdk', parent: '[LocalDS_0] pyvm/pyvm.vmdk', spaceAfterDestroy: 0 });
    expect(out.linked.spaceUsed).toBeLessThan(1024 * 1024);
    expect(out.renamed).toEqual({ name: 'pyvm-renamed', configName: 'pyvm-renamed', summaryName: 'pyvm-renamed' });
    // Every step's events, in order: create (its task's entity is the folder), power on, the clone, the duplicate, the cancelled clone, the linked clone, power off.
    expect(out.events.vm).toEqual([
      'VmBeingCreatedEvent', 'VmCreatedEvent',
      'TaskEvent', 'VmStartingEvent', 'VmPoweredOnEvent',
      'TaskEvent', 'VmBeingClonedEvent',
      'TaskEvent', 'VmBeingClonedEvent',
      'TaskEvent', 'VmBeingClonedEvent',
      'TaskEvent', // the snapshot
      'TaskEvent', 'VmBeingClonedEvent', // the linked clone
      'TaskEvent', // removing the snapshots
      'TaskEvent', 'VmStoppingEvent', 'VmPoweredOffEvent',
    ]);
    expect(out.events.clone).toEqual(['VmClonedEvent', 'TaskEvent', 'VmRenamedEvent']);
    // The collector pages through the very events QueryEvents returns; its latest page is the newest five, newest first.
    expect(out.collected.types).toEqual(out.events.vm);
    expect(out.collected.keys).toEqual(out.collected.queried);
    expect(out.collected.latestPage).toEqual(out.collected.keys.slice(-5).reverse());
    expect(out.removed).toEqual(['pyvm-linked', 'pyvm', 'pyvm-renamed']);
    expect(out.left).toEqual([]);
  });
});
