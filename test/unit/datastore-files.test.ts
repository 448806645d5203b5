import { describe, expect, it } from 'vitest';
import type { Datacenter } from '../../models/core/datacenter.js';
import type { VimFault } from '../../models/core/fault.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef, Typed } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import { captureWorld, restoreWorld } from '../../models/core/world-state.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { Datastore } from '../../models/storage/datastore.js';
import { DatastoreFiles } from '../../models/storage/datastore-files.js';
import type { FileManager } from '../../models/storage/file-manager.js';
import type { HostDatastoreBrowser } from '../../models/storage/host-datastore-browser.js';
import type { VirtualDiskManager } from '../../models/storage/virtual-disk-manager.js';
import { VCenter } from '../../models/vcenter.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';

function setup() {
  const vc = new VCenter({ topology: topologyFromFlags({}), seed: 1 });
  const ctx: CallContext = { vc };
  vc.sessionManager.Login(ctx, { userName: 'alice', password: 'x' });
  const named = <T extends ManagedEntity>(type: string, name: string) => vc.registry.ofType<T>(type).find((o) => o.name === name)!;
  const dc = named<Datacenter>('Datacenter', 'DC0');
  const ds = named<Datastore>('Datastore', 'LocalDS_0');
  const browser = vc.registry.require<HostDatastoreBrowser>(ds.browser);
  const fm = vc.registry.require<FileManager>(vc.content.fileManager as MoRef);
  const vdm = vc.registry.require<VirtualDiskManager>(vc.content.virtualDiskManager as MoRef);
  const run = async (ref: MoRef) => {
    const info = await vc.registry.require<Task>(ref).completion();
    if (info.state !== 'success') throw Object.assign(new Error('task failed'), { fault: ((info.error as DataObject).fault as DataObject)._type });
    return info.result instanceof Object && 'value' in (info.result as object) ? ((info.result as Typed).value as any) : (info.result as any);
  };
  const taskFault = async (ref: MoRef) => {
    const info = await vc.registry.require<Task>(ref).completion();
    return ((info.error as DataObject | undefined)?.fault as DataObject | undefined)?._type;
  };
  const free = () => Number(ds.summary.freeSpace);
  return { vc, ctx, dc, ds, browser, fm, vdm, run, taskFault, free, named };
}

const faultOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as VimFault).type;
  }
  return undefined;
};

describe('datastore file system', () => {
  it("lists each VM's directory and files from its layoutEx; the .vmx is VMX text of its configuration", async () => {
    const { ctx, ds, browser, run, named } = setup();
    const root = await run(browser.SearchDatastore_Task(ctx, { datastorePath: '[LocalDS_0]', searchSpec: {} }));
    expect(root.folderPath).toBe('[LocalDS_0]');
    const dirs = (root.file as DataObject[]).map((f) => [f._type, f.path]);
    expect(dirs).toContainEqual(['FolderFileInfo', 'DC0_H0_VM0']);
    expect(dirs).toHaveLength(ds.vm.length);
    const vmDir = await run(browser.SearchDatastore_Task(ctx, { datastorePath: '[LocalDS_0] DC0_H0_VM0', searchSpec: { details: { fileType: true, fileSize: true, modification: true } } }));
    expect((vmDir.file as DataObject[]).map((f) => [f._type, f.path])).toEqual([
      ['VmDiskFileInfo', 'disk1-flat.vmdk'].map((x, i) => (i === 0 ? 'FileInfo' : x)),
      ['VmDiskFileInfo', 'disk1.vmdk'],
      ['VmConfigFileInfo', 'DC0_H0_VM0.vmx'],
      ['VmNvramFileInfo', 'DC0_H0_VM0.nvram'],
      ['VmLogFileInfo', 'vmware.log'],
    ].sort((a, b) => (a[1]! < b[1]! ? -1 : 1)));
    const disk = (vmDir.file as DataObject[]).find((f) => f.path === 'disk1.vmdk')!;
    expect(disk).toMatchObject({ capacityKb: 1024, fileSize: 512 });
    const vm = named<VirtualMachine>('VirtualMachine', 'DC0_H0_VM0');
    const files = new DatastoreFiles(ctx, ds);
    const vmx = String(files.content(files.stat('DC0_H0_VM0/DC0_H0_VM0.vmx')!));
    expect(vmx).toContain('displayName = "DC0_H0_VM0"');
    expect(vmx).toContain(`uuid.bios = "${vm.config!.uuid}"`);
    expect(vmx).toContain('memSize = "32"');
    expect(vmx).toContain('scsi0:0.fileName = "disk1.vmdk"');
    expect(String(files.content(files.stat('DC0_H0_VM0/disk1.vmdk')!))).toContain('RW 2048 VMFS "disk1-flat.vmdk"');
  });

  it('SearchDatastoreSubFolders_Task with queries and patterns; a missing folder is FileNotFound, an unknown datastore InvalidDatastore', async () => {
    const { ctx, dc, browser, fm, run, taskFault } = setup();
    fm.MakeDirectory(ctx, { name: '[LocalDS_0] iso/linux', datacenter: dc.self, createParentDirectories: true });
    new DatastoreFiles(ctx, (await import('../../models/storage/file-manager.js')).datastoreNamed(ctx, 'LocalDS_0', dc.self)).write('iso/linux/boot.iso', { size: 4096 });
    const all = (await run(browser.SearchDatastoreSubFolders_Task(ctx, { datastorePath: '[LocalDS_0]', searchSpec: { query: [{ _type: 'IsoImageFileQuery' }], details: { fileType: true, fileSize: true } } }))) as DataObject[];
    const found = all.filter((r) => r.file).map((r) => [r.folderPath, (r.file as DataObject[]).map((f) => [f._type, f.path, f.fileSize])]);
    expect(found).toEqual([['[LocalDS_0] iso/linux', [['IsoImageFileInfo', 'boot.iso', 4096]]]]);
    const vmx = (await run(browser.SearchDatastoreSubFolders_Task(ctx, { datastorePath: '[LocalDS_0]', searchSpec: { matchPattern: ['*.VMX'], searchCaseInsensitive: true } }))) as DataObject[];
    expect(vmx.flatMap((r) => ((r.file as DataObject[]) ?? []).map((f) => f.path))).toContain('DC0_H0_VM0.vmx');
    expect(await taskFault(browser.SearchDatastore_Task(ctx, { datastorePath: '[LocalDS_0] nope' }))).toBe('FileNotFound');
    expect(faultOf(() => browser.SearchDatastore_Task(ctx, { datastorePath: '[nope] x' }))).toBe('InvalidDatastore');
    expect(faultOf(() => browser.SearchDatastore_Task(ctx, { datastorePath: 'no brackets' }))).toBe('InvalidDatastorePath');
  });

  it('FileManager: MakeDirectory, copy, move, delete with the faults vCenter gives; nothing half-done', async () => {
    const { ctx, dc, ds, fm, run, taskFault, free } = setup();
    const files = () => new DatastoreFiles(ctx, ds);
    const before = free();
    expect(faultOf(() => fm.MakeDirectory(ctx, { name: '[LocalDS_0] a/b', datacenter: dc.self }))).toBe('FileNotFound');
    fm.MakeDirectory(ctx, { name: '[LocalDS_0] a/b', datacenter: dc.self, createParentDirectories: true });
    expect(faultOf(() => fm.MakeDirectory(ctx, { name: '[LocalDS_0] a', datacenter: dc.self }))).toBe('FileAlreadyExists');
    expect(faultOf(() => fm.MakeDirectory(ctx, { name: '[LocalDS_0] x' }))).toBe('InvalidArgument');
    files().write('a/b/data.bin', { size: 1000, content: Buffer.alloc(1000, 7) });
    expect(free()).toBe(before - 1000);
    await run(fm.CopyDatastoreFile_Task(ctx, { sourceName: '[LocalDS_0] a', sourceDatacenter: dc.self, destinationName: '[LocalDS_0] c' }));
    expect(files().stat('c/b/data.bin')?.size).toBe(1000);
    expect(free()).toBe(before - 2000);
    expect(await taskFault(fm.CopyDatastoreFile_Task(ctx, { sourceName: '[LocalDS_0] a', sourceDatacenter: dc.self, destinationName: '[LocalDS_0] c' }))).toBe('FileAlreadyExists');
    await run(fm.MoveDatastoreFile_Task(ctx, { sourceName: '[LocalDS_0] c/b/data.bin', sourceDatacenter: dc.self, destinationName: '[LocalDS_0] moved.bin' }));
    expect(files().stat('c/b/data.bin')).toBeUndefined();
    expect(Buffer.from(files().stat('moved.bin')!.stored!.content!)).toEqual(Buffer.alloc(1000, 7));
    expect(free()).toBe(before - 2000);
    expect(await taskFault(fm.MoveDatastoreFile_Task(ctx, { sourceName: '[LocalDS_0] DC0_H0_VM0', sourceDatacenter: dc.self, destinationName: '[LocalDS_0] elsewhere' }))).toBe('CannotDeleteFile');
    expect(files().stat('elsewhere')).toBeUndefined();
    expect(await taskFault(fm.DeleteDatastoreFile_Task(ctx, { name: '[LocalDS_0] DC0_H0_VM0/DC0_H0_VM0.vmx', datacenter: dc.self }))).toBe('CannotDeleteFile');
    expect(await taskFault(fm.DeleteDatastoreFile_Task(ctx, { name: '[LocalDS_0] nothing', datacenter: dc.self }))).toBe('FileNotFound');
    // A copy of a VM's .vmx keeps its text.
    await run(fm.CopyDatastoreFile_Task(ctx, { sourceName: '[LocalDS_0] DC0_H0_VM0/DC0_H0_VM0.vmx', sourceDatacenter: dc.self, destinationName: '[LocalDS_0] c/copy.vmx' }));
    expect(Buffer.from(files().stat('c/copy.vmx')!.stored!.content!).toString()).toContain('displayName = "DC0_H0_VM0"');
    for (const name of ['a', 'c', 'moved.bin']) await run(fm.DeleteDatastoreFile_Task(ctx, { name: `[LocalDS_0] ${name}`, datacenter: dc.self }));
    expect(free()).toBe(before);
    expect([...ds.files.keys()]).toEqual([]);
  });

  it('VirtualDiskManager: thick disks take their capacity, thin ones nothing until inflated; extend, uuid, copy, move, delete', async () => {
    const { ctx, dc, ds, vdm, run, taskFault, free, browser } = setup();
    const before = free();
    const spec = (diskType: string) => ({ _type: 'FileBackedVirtualDiskSpec', diskType, adapterType: 'lsiLogic', capacityKb: 10240 });
    expect(await taskFault(vdm.CreateVirtualDisk_Task(ctx, { name: '[LocalDS_0] disks/thin.vmdk', datacenter: dc.self, spec: spec('thin') }))).toBe('FileNotFound');
    new DatastoreFiles(ctx, ds).mkdir('disks', false);
    expect(await run(vdm.CreateVirtualDisk_Task(ctx, { name: '[LocalDS_0] disks/thin.vmdk', datacenter: dc.self, spec: spec('thin') }))).toBe('[LocalDS_0] disks/thin.vmdk');
    expect(before - free()).toBe(512);
    await run(vdm.CreateVirtualDisk_Task(ctx, { name: '[LocalDS_0] disks/thick.vmdk', datacenter: dc.self, spec: spec('preallocated') }));
    expect(before - free()).toBe(1024 + 10240 * 1024);
    expect(await taskFault(vdm.CreateVirtualDisk_Task(ctx, { name: '[LocalDS_0] disks/thin.vmdk', datacenter: dc.self, spec: spec('thin') }))).toBe('FileAlreadyExists');
    await run(vdm.ExtendVirtualDisk_Task(ctx, { name: '[LocalDS_0] disks/thick.vmdk', datacenter: dc.self, newCapacityKb: 20480 }));
    expect(before - free()).toBe(1024 + 20480 * 1024);
    expect(await taskFault(vdm.ExtendVirtualDisk_Task(ctx, { name: '[LocalDS_0] disks/thick.vmdk', datacenter: dc.self, newCapacityKb: 100 }))).toBe('InvalidArgument');
    await run(vdm.InflateVirtualDisk_Task(ctx, { name: '[LocalDS_0] disks/thin.vmdk', datacenter: dc.self }));
    expect(before - free()).toBe(1024 + 30720 * 1024);
    const uuid = vdm.QueryVirtualDiskUuid(ctx, { name: '[LocalDS_0] disks/thin.vmdk', datacenter: dc.self });
    expect(uuid).toMatch(/^60 00 c2 9[0-9a-f]( [0-9a-f]{2}){4}-[0-9a-f]{2}( [0-9a-f]{2}){7}$/);
    vdm.SetVirtualDiskUuid(ctx, { name: '[LocalDS_0] disks/thin.vmdk', datacenter: dc.self, uuid: '60 00 C2 90 00 00 00 00-00 00 00 00 00 00 00 01' });
    expect(vdm.QueryVirtualDiskUuid(ctx, { name: '[LocalDS_0] disks/thin.vmdk', datacenter: dc.self })).toBe('60 00 c2 90 00 00 00 00-00 00 00 00 00 00 00 01');
    expect(vdm.QueryVirtualDiskUuid(ctx, { name: '[LocalDS_0] DC0_H0_VM0/disk1.vmdk', datacenter: dc.self })).toMatch(/^60 00 c2 9/);
    expect(await taskFault(vdm.ExtendVirtualDisk_Task(ctx, { name: '[LocalDS_0] DC0_H0_VM0/disk1.vmdk', datacenter: dc.self, newCapacityKb: 4096 }))).toBe('FileLocked');
    await run(vdm.MoveVirtualDisk_Task(ctx, { sourceName: '[LocalDS_0] disks/thin.vmdk', sourceDatacenter: dc.self, destName: '[LocalDS_0] disks/moved.vmdk' }));
    const listed = await run(browser.SearchDatastore_Task(ctx, { datastorePath: '[LocalDS_0] disks', searchSpec: { query: [{ _type: 'VmDiskFileQuery' }] } }));
    expect((listed.file as DataObject[]).map((f) => [f.path, f.capacityKb, f.thin])).toEqual([['moved.vmdk', 10240, false], ['thick.vmdk', 20480, false]]);
    await run(vdm.CopyVirtualDisk_Task(ctx, { sourceName: '[LocalDS_0] disks/moved.vmdk', sourceDatacenter: dc.self, destName: '[LocalDS_0] disks/copy.vmdk' }));
    expect(vdm.QueryVirtualDiskUuid(ctx, { name: '[LocalDS_0] disks/copy.vmdk', datacenter: dc.self })).not.toBe(vdm.QueryVirtualDiskUuid(ctx, { name: '[LocalDS_0] disks/moved.vmdk', datacenter: dc.self }));
    for (const name of ['moved', 'thick', 'copy']) await run(vdm.DeleteVirtualDisk_Task(ctx, { name: `[LocalDS_0] disks/${name}.vmdk`, datacenter: dc.self }));
    expect(await taskFault(vdm.DeleteVirtualDisk_Task(ctx, { name: '[LocalDS_0] disks/thick.vmdk', datacenter: dc.self }))).toBe('FileNotFound');
    expect(before - free()).toBe(0);
  });

  it('RenameDatastore renames the paths of its VMs; Destroy_Task is ResourceInUse while VMs use it; a world restore brings files back', async () => {
    const { vc, ctx, ds, named, taskFault } = setup();
    const snapshot = captureWorld(vc);
    new DatastoreFiles(ctx, ds).write('kept.txt', { size: 3, content: Buffer.from('abc') });
    expect(faultOf(() => ds.RenameDatastore(ctx, { newName: 'LocalDS_0' }))).toBeUndefined();
    ds.RenameDatastore(ctx, { newName: 'Renamed' });
    const vm = named<VirtualMachine>('VirtualMachine', 'DC0_H0_VM0');
    expect((vm.config!.files as DataObject).vmPathName).toBe('[Renamed] DC0_H0_VM0/DC0_H0_VM0.vmx');
    expect((vm.summary.config as DataObject).vmPathName).toBe('[Renamed] DC0_H0_VM0/DC0_H0_VM0.vmx');
    expect(vm.summary.runtime).toBe(vm.runtime);
    expect(new DatastoreFiles(ctx, ds).stat('DC0_H0_VM0/disk1.vmdk')?.vm).toBe(vm);
    expect(await taskFault(ds.Destroy_Task(ctx))).toBe('ResourceInUse');
    restoreWorld(vc, snapshot);
    const restored = named<Datastore>('Datastore', 'LocalDS_0');
    expect(restored.files.size).toBe(0);
  });
});

describe('unregistered VMs', () => {
  it("UnregisterVM leaves the VM's files (the .vmx with its text) without taking space again; RegisterVM_Task takes them back", async () => {
    const { vc, ctx, ds, dc, named, free, run } = setup();
    const vm = named<VirtualMachine>('VirtualMachine', 'DC0_H0_VM0');
    const host = vm.runtime.host as MoRef;
    const pool = vm.resourcePool!;
    await run(vm.PowerOffVM_Task(ctx));
    const before = free();
    vm.UnregisterVM(ctx);
    const files = new DatastoreFiles(ctx, ds);
    expect(files.stat('DC0_H0_VM0/disk1-flat.vmdk')).toMatchObject({ size: 1024 * 1024 });
    expect(files.stat('DC0_H0_VM0/disk1-flat.vmdk')?.vm).toBeUndefined();
    expect(Buffer.from(files.stat('DC0_H0_VM0/DC0_H0_VM0.vmx')!.stored!.content!).toString()).toContain('displayName = "DC0_H0_VM0"');
    expect(free()).toBe(before);
    const folder = vc.registry.require<import('../../models/core/folder.js').Folder>(dc.vmFolder);
    await run(folder.RegisterVM_Task(ctx, { path: '[LocalDS_0] DC0_H0_VM0/DC0_H0_VM0.vmx', asTemplate: false, pool, host }));
    expect(ds.files.size).toBe(0);
    expect(new DatastoreFiles(ctx, ds).stat('DC0_H0_VM0/DC0_H0_VM0.vmx')?.vm?.name).toBe('DC0_H0_VM0');
  });
});

describe('stored files in world documents', () => {
  it('a world saved as JSON and loaded back keeps stored files, their bytes and dates', async () => {
    const { worldToJson, worldFromJson } = await import('../../models/inventory/world-json.js');
    const { vc, ctx, ds } = setup();
    new DatastoreFiles(ctx, ds).write('kept/a.txt', { size: 5, content: Buffer.from('hello') });
    const json = JSON.parse(JSON.stringify(worldToJson(vc)));
    const fresh = setup();
    restoreWorld(fresh.vc, worldFromJson(json));
    const restored = fresh.vc.registry.ofType<Datastore>('Datastore').find((d) => d.name === 'LocalDS_0')!;
    const entry = new DatastoreFiles(fresh.ctx, restored).stat('kept/a.txt')!;
    expect(Buffer.from(entry.stored!.content!).toString()).toBe('hello');
    expect(entry.modified).toBeInstanceOf(Date);
    expect(new DatastoreFiles(fresh.ctx, restored).stat('kept')?.folder).toBe(true);
    expect(restored.summary.freeSpace).toBe(ds.summary.freeSpace);
  });
});
