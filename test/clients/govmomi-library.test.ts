/**
 * govmomi's vapi/library and vapi/vcenter clients (Debian golang-github-vmware-govmomi-dev 0.24.2)
 * against vcenter-sim's content library, in the legacy `/rest` form they speak: library and item
 * creation, an update-session upload through the REST client's Upload, items and files, a copy,
 * a download-session download, FilterLibraryItem, DeployLibraryItem (the VM then read over SOAP,
 * with its events) and CreateOVF. The client is test/clients/govmomi/library/main.go, built once for this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MoRef } from '../../models/core/moref.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from './inventory.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi vapi/library', () => {
  let binary: string;
  let sim: Simulator;

  beforeAll(async () => {
    [binary, sim] = await Promise.all([buildGoProgram('library'), createSimulator({ listen: '127.0.0.1:0' })]);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('creates a library and an item, uploads, lists, downloads, deploys, captures and deletes', async () => {
    const datastore = named(sim, 'Datastore', 'LocalDS_0').self.value;
    const pool = (named(sim, 'ClusterComputeResource', 'DC0_C0') as unknown as { resourcePool: MoRef }).resourcePool.value;
    const args = ['-url', sim.url, '-user', sim.username, '-password', sim.password, '-datastore', datastore, '-pool', pool];
    const out = jsonResult(await runProcess(binary, args, { timeoutMs: 60_000 }));

    expect(out.libraryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.duplicate).toMatch(/400.*already_exists/);
    expect(out.library).toEqual({
      id: out.libraryId,
      name: 'golib',
      description: "govmomi's library",
      type: 'LOCAL',
      storage: [{ datastore_id: datastore, type: 'DATASTORE' }],
      created: true,
    });
    expect(out.found).toEqual([out.libraryId]);
    expect(out.items).toEqual([{ id: out.itemId, name: 'photon', type: 'ovf', size: out.file.size, library: out.libraryId }]);
    expect(out.file.size).toBeGreaterThan(500);
    expect(out.foundItems).toEqual([out.itemId]);
    expect(out.files).toEqual([out.file]);
    expect(out.file).toMatchObject({ name: 'photon.ovf', cached: true, version: '1', checksum_info: { algorithm: 'SHA1', checksum: expect.stringMatching(/^[0-9a-f]{40}$/) } });
    expect(out.downloadedMatches).toBe(true);
    expect(out.copy).toEqual({ name: 'photon-copy', library: out.libraryId, size: out.file.size, source: out.itemId });
    expect(out.filterName).toBe('photon');

    // The deployed VM, as SOAP sees it: sized from the uploaded descriptor, created by the REST user.
    const [type, id] = (out.deployed as string).split(':');
    expect(type).toBe('VirtualMachine');
    expect(out.vm).toEqual({ name: 'photon-vm', numCPU: 2, memoryMB: 512, guestId: 'vmwarePhoton64Guest', pool });
    expect(out.events).toEqual(expect.arrayContaining([`VmBeingCreatedEvent:${sim.username}`, `VmCreatedEvent:${sim.username}`]));
    expect((sim.vc.registry.byId(id!) as VirtualMachine).name).toBe('photon-vm');
    expect(out.captured).toEqual({ name: 'photon-captured', type: 'ovf' });

    expect(out.missingItem).toMatch(/404/);
    expect(out.librariesLeft).toEqual([]);
    expect(sim.vc.contentLibrary.listLibraries()).toEqual([]);
  });
});
