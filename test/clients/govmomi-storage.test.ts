/**
 * govmomi (Debian golang-github-vmware-govmomi-dev 0.24.2) using datastores: HTTP upload and
 * download (Datastore.Upload/Download), Stat and SearchDatastoreSubFolders, DatastoreFileManager,
 * FileManager.MakeDirectory and VirtualDiskManager; HostDatastoreSystem (NAS on two hosts, VMFS on a
 * free disk) and HostStorageSystem; HostNetworkSystem and HostVirtualNicManager. The client is
 * test/clients/govmomi/storage/main.go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi storage', () => {
  let program: string;
  let sim: Simulator;

  beforeAll(async () => {
    [program, sim] = await Promise.all([buildGoProgram('storage'), createSimulator()]);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
  });

  const run = async (scenario: string) =>
    jsonResult(await runProcess(program, ['-url', sim.url, '-user', sim.username, '-password', sim.password, scenario], { timeoutMs: 60_000 }));

  it('uploads, downloads, stats, browses, copies, moves and deletes datastore files; creates, extends and deletes a virtual disk', async () => {
    const out = await run('datastore');
    expect(out).toEqual({
      downloaded: 'hello from govmomi',
      vmxHasName: true,
      spaceUsed: 18 + 5000,
      stat: { type: 'IsoImageFileInfo', size: 5000 },
      statMissingDir: 'DatastoreNoSuchDirectoryError',
      isos: ['[LocalDS_0] iso/tiny.iso'],
      vmDisks: sim.vc.registry.ofType('VirtualMachine').length,
      copyAgain: 'FileAlreadyExists',
      movedThere: true,
      movedAway: true,
      deleteVmFile: 'CannotDeleteFile',
      deleteMissing: 'FileNotFound',
      mkdirNoParent: 'FileNotFound',
      mkdirAgain: 'FileAlreadyExists',
      createAgain: 'FileAlreadyExists',
      uuid: expect.stringMatching(/^60 00 c2 9[0-9a-f]( [0-9a-f]{2}){4}-[0-9a-f]{2}( [0-9a-f]{2}){7}$/),
      disk: { capacityKb: 20480, thin: true },
      extentGone: true,
      spaceBack: true,
    });
  });

  it('builds a standard switch with a portgroup (a Network of the datacenter) and a VMkernel NIC on a host, selects it for vMotion, and takes it all down', async () => {
    const out = await run('network');
    expect(out).toEqual({
      addSwitchAgain: 'AlreadyExists',
      addPortgroupAgain: 'AlreadyExists',
      portgroupOnMissingSwitch: 'NotFound',
      vnic: 'vmk1',
      switches: ['vSwitch0', 'vSwitch1'],
      portgroups: ['VM Network', 'Management Network', 'Storage'],
      vnicIp: '10.0.20.5',
      networkType: 'Network',
      vmotionSelected: ['vmotion.key-vim.host.VirtualNic-vmk0', 'vmotion.key-vim.host.VirtualNic-vmk1'],
      removePortgroupInUse: 'ResourceInUse',
      networkGone: true,
      removeSwitchAgain: 'NotFound',
    });
  });

  it('mounts one NAS share on two hosts, writes to it, formats a VMFS datastore on a free disk and removes it', async () => {
    const out = await run('host');
    expect(out).toEqual({
      nas: { type: 'NFS', hosts: 2, multipleHostAccess: true, remoteHost: 'nfs.example.com' },
      freeDisks: 1,
      vmfs: { name: 'vmfs-new', type: 'VMFS', capacity: 512 * 67108864 },
      freeDisksAfter: 0,
      rescan: true,
      vmfsGone: true,
    });
  });

  it('places a new VM in a datastore cluster (CreateStoragePod, MoveInto, RecommendDatastores, ApplyStorageDrsRecommendation)', async () => {
    const out = await run('pod');
    expect(out).toEqual({ recommendations: 1, destination: true, vm: 'pod-vm', onPodDatastore: true, podCapacity: 1024 ** 4 });
  });

  it('imports an OVF as govc import.ovf does (CreateImportSpec, ImportVApp, lease uploads, Complete): the VM has the hardware of the descriptor; an aborted import leaves no VM; ExportVm serves its disk', async () => {
    const out = await run('ovf');
    expect(out).toEqual({
      defaultName: 'tiny',
      fileItems: 1,
      vm: { name: 'tiny-imported', cpus: 2, memoryMB: 256, guestId: 'otherLinux64Guest', disks: [2 * 1024], nics: ['vmxnet3'], networks: 1 },
      abortedGone: true,
      exported: [2 * 1024 ** 2],
    });
    // The disk transfers are journalled like REST calls.
    const transfers = sim.journal.entries({ api: 'rest' }).filter((e) => e.path?.startsWith('/nfc/')).map((e) => [e.method, e.status]);
    expect(transfers).toContainEqual(['POST /nfc/{lease}/{file}', 200]);
    expect(transfers).toContainEqual(['GET /nfc/{lease}/{file}', 200]);
  });
});
