/** pyvmomi (Debian python3-pyvmomi 6.7.1) building inventory: CreateDatacenter, CreateFolder, MoveIntoFolder_Task, MoveIntoResourcePool. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { clientAvailable, clientsDir, jsonResult, pythonEnv, pyvmomiStatus, runProcess, systemPython } from './support.js';

const available = clientAvailable(pyvmomiStatus());

describe.skipIf(!available)('pyvmomi building inventory', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await createSimulator();
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('creates a datacenter with its folders, folders and pools, and moves a VM and a pool; refuses what vCenter refuses', async () => {
    const out = await jsonResult(
      await runProcess(systemPython, [join(clientsDir, 'pyvmomi', 'folders.py'), '--url', sim.url, '--user', sim.username, '--password', sim.password], {
        env: pythonEnv(),
        timeoutMs: 60_000,
      }),
    );
    expect(out).toEqual({
      datacenter: 'DC-new',
      folders: ['vm', 'host', 'datastore', 'network'],
      duplicate: 'DuplicateName',
      movedFound: true,
      vmParent: 'web',
      oldPathGone: true,
      intoHostFolder: 'NotSupported',
      intoOwnChild: 'InvalidFolder',
      datacenterInVmFolder: 'NotSupported',
      pools: { batchParent: 'team', vmPool: 'team', teamChildren: ['batch'], teamVms: ['DC0_C0_RP0_VM0'], intoOwnChild: 'InvalidArgument', otherHost: 'InvalidArgument' },
    });
    // One by the client; DC0's is the start inventory's history, posted by no user.
    expect(sim.vc.events.QueryEvents({ vc: sim.vc }, { filter: { eventTypeId: ['DatacenterCreatedEvent'], userName: { userList: [sim.username] } } })).toHaveLength(1);
    expect(sim.vc.events.QueryEvents({ vc: sim.vc }, { filter: { eventTypeId: ['DatacenterCreatedEvent'] } })).toHaveLength(2);
  });
});
