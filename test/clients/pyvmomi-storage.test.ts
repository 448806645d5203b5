/**
 * pyvmomi (Debian python3-pyvmomi 6.7.1) using datastores and networks: HTTP /folder uploads with
 * the session cookie, the datastore browser, FileManager, VirtualDiskManager, a NAS datastore; a
 * distributed switch with a VM connected, and a standard switch, portgroup and VMkernel NIC on a
 * host. The client is test/clients/pyvmomi/storage.py.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { clientAvailable, clientsDir, jsonResult, pythonEnv, pyvmomiStatus, runProcess, systemPython } from './support.js';

const available = clientAvailable(pyvmomiStatus());

describe.skipIf(!available)('pyvmomi storage and networking', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await createSimulator();
  });
  afterAll(async () => {
    await sim?.close();
  });

  const run = async (scenario: string) =>
    jsonResult(
      await runProcess(systemPython, [join(clientsDir, 'pyvmomi', 'storage.py'), scenario, '--url', sim.url, '--user', sim.username, '--password', sim.password], {
        env: pythonEnv(),
        timeoutMs: 60_000,
      }),
    );

  it('uploads, browses, moves and deletes datastore files, creates and extends a virtual disk, creates a NAS datastore', async () => {
    expect(await run('datastore')).toEqual({
      put: 201,
      putIso: 201,
      get: 'written by pyvmomi',
      used: 18 + 2048,
      isos: [['[LocalDS_0] iso', 'boot.iso', 'IsoImageFileInfo', 2048]],
      listed: ['notes.txt'],
      searchMissing: 'FileNotFound',
      afterMove: [404, 200],
      afterDelete: 404,
      deleteAgain: 'FileNotFound',
      disks: [['data.vmdk', 8192]],
      diskSpace: 2048 + 512 + 8192 * 1024,
      shrink: 'InvalidArgument',
      spaceBack: true,
      nas: ['nas-1', 'NFS', 'nas.example.com', true, true],
      nasAgain: 'DuplicateName',
    });
  });

  it('builds a distributed switch, connects a VM to its portgroup, and adds a standard switch, portgroup and VMkernel NIC to a host', async () => {
    expect(await run('network')).toEqual({
      dvs: ['py-dvs', ['py-pg'], ['DC0_H0']],
      vmNetworks: ['py-pg'],
      pgVms: ['DC0_H0_VM0'],
      connectedPorts: [[true, 'DC0_H0_VM0']],
      destroyInUse: 'ResourceInUse',
      lookup: 'py-pg',
      vmk: 'vmk1',
      hostSwitches: ['vSwitch0', 'vSwitch7'],
      hostPortgroups: ['VM Network', 'Management Network', 'py-std'],
      stdNetwork: ['py-std'],
      duplicatePortgroup: 'AlreadyExists',
    });
  });
});
