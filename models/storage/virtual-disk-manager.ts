/**
 * VirtualDiskManager: standalone virtual disks on datastores, as a descriptor (`name.vmdk`) and
 * its extent (`name-flat.vmdk`) in the datastore file system. A thick disk takes its capacity from
 * the datastore at once; a thin one takes nothing until written (and inflating makes it thick). A
 * registered VM's disks can be read (QueryVirtualDiskUuid) but not changed here (FileLocked).
 */
import { createHash } from 'node:crypto';
import { faults, VimFault } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import { fileFault, type DatastoreFiles, type FileEntry, type StoredDisk, vmDiskOf } from './datastore-files.js';
import { resolveFile, taskEntity, transfer } from './file-manager.js';

interface DiskArgs {
  name: string;
  datacenter?: MoRef;
}

interface RelocateArgs {
  sourceName: string;
  sourceDatacenter?: MoRef;
  destName: string;
  destDatacenter?: MoRef;
  force?: boolean;
}

const THIN_TYPES = new Set(['thin', 'sparse2Gb', 'sparseMonolithic', 'flatMonolithic', 'seSparse']);

export class VirtualDiskManager extends ManagedObject {
  CreateVirtualDisk_Task(ctx: CallContext, { name, datacenter, spec }: DiskArgs & { spec: DataObject }): MoRef {
    return this.task(ctx, datacenter, 'CreateVirtualDisk_Task', 'VirtualDiskManager.createVirtualDisk', () => {
      const { files, path } = resolveDisk(ctx, name, datacenter);
      const capacityKb = Number(spec?.capacityKb ?? 0);
      if (!(capacityKb > 0)) throw faults.invalidArgument('spec.capacityKb');
      if (files.stat(path)) throw fileFault('FileAlreadyExists', files.ds, path, `Cannot complete the operation because the file or folder ${name} already exists`);
      const parent = path.slice(0, Math.max(0, path.lastIndexOf('/')));
      if (!files.stat(parent)?.folder) throw fileFault('FileNotFound', files.ds, parent, `File [${files.ds.name}] ${parent} was not found`);
      const disk: StoredDisk = {
        capacityKb,
        diskType: String(spec.diskType ?? 'thin'),
        adapterType: String(spec.adapterType ?? 'lsiLogic'),
        uuid: diskUuid(`${ctx.vc.options.seed ?? 0}:${files.ds.self.value}:${path}:${ctx.vc.registry.seq}`),
        extent: path.replace(/\.vmdk$/, '-flat.vmdk'),
      };
      writeDisk(files, path, disk);
      return `[${files.ds.name}] ${path}`;
    });
  }

  DeleteVirtualDisk_Task(ctx: CallContext, { name, datacenter }: DiskArgs): MoRef {
    return this.task(ctx, datacenter, 'DeleteVirtualDisk_Task', 'VirtualDiskManager.deleteVirtualDisk', () => {
      const { files, path, disk } = standaloneDisk(ctx, name, datacenter);
      files.checkRemovable(disk.extent);
      files.remove(disk.extent);
      files.remove(path);
    });
  }

  MoveVirtualDisk_Task(ctx: CallContext, args: RelocateArgs): MoRef {
    return this.task(ctx, args.sourceDatacenter, 'MoveVirtualDisk_Task', 'VirtualDiskManager.moveVirtualDisk', () => this.relocate(ctx, args, true));
  }

  CopyVirtualDisk_Task(ctx: CallContext, args: RelocateArgs): MoRef {
    return this.task(ctx, args.sourceDatacenter, 'CopyVirtualDisk_Task', 'VirtualDiskManager.copyVirtualDisk', () => this.relocate(ctx, args, false));
  }

  ExtendVirtualDisk_Task(ctx: CallContext, { name, datacenter, newCapacityKb, eagerZero }: DiskArgs & { newCapacityKb: number; eagerZero?: boolean }): MoRef {
    return this.task(ctx, datacenter, 'ExtendVirtualDisk_Task', 'VirtualDiskManager.extendVirtualDisk', () => {
      const { files, path, disk } = standaloneDisk(ctx, name, datacenter);
      const capacityKb = Number(newCapacityKb);
      if (!(capacityKb > disk.capacityKb)) throw faults.invalidArgument('newCapacityKb', `The new capacity ${newCapacityKb} KB is not larger than the disk's ${disk.capacityKb} KB`);
      writeDisk(files, path, { ...disk, capacityKb, diskType: eagerZero ? 'eagerZeroedThick' : disk.diskType });
    });
  }

  InflateVirtualDisk_Task(ctx: CallContext, { name, datacenter }: DiskArgs): MoRef {
    return this.task(ctx, datacenter, 'InflateVirtualDisk_Task', 'VirtualDiskManager.inflateVirtualDisk', () => {
      const { files, path, disk } = standaloneDisk(ctx, name, datacenter);
      if (!THIN_TYPES.has(disk.diskType)) throw new VimFault('InvalidArgument', { invalidProperty: 'name' }, `The disk ${name} is not thin`);
      writeDisk(files, path, { ...disk, diskType: 'eagerZeroedThick' });
    });
  }

  QueryVirtualDiskUuid(ctx: CallContext, { name, datacenter }: DiskArgs): string {
    const { files, path } = resolveDisk(ctx, name, datacenter);
    const entry = files.stat(path);
    const uuid = entry?.stored?.disk?.uuid ?? (entry?.vm ? String((vmDiskOf(entry)?.backing as DataObject | undefined)?.uuid ?? '') : '');
    if (!uuid) throw fileFault('FileNotFound', files.ds, path, `File ${name} was not found`);
    return uuidText(uuid);
  }

  SetVirtualDiskUuid(ctx: CallContext, { name, datacenter, uuid }: DiskArgs & { uuid: string }): void {
    const { files, path, disk } = standaloneDisk(ctx, name, datacenter);
    const hex = String(uuid ?? '').replace(/[\s-]/g, '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw faults.invalidArgument('uuid');
    writeDisk(files, path, { ...disk, uuid: hex.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5') });
  }

  private relocate(ctx: CallContext, args: RelocateArgs, move: boolean): string {
    const source = standaloneDisk(ctx, args.sourceName, args.sourceDatacenter);
    const target = resolveDisk(ctx, args.destName, args.destDatacenter ?? args.sourceDatacenter);
    if (target.files.stat(target.path) && !args.force) {
      throw fileFault('FileAlreadyExists', target.files.ds, target.path, `Cannot complete the operation because the file or folder ${args.destName} already exists`);
    }
    const extentName = (name: string) => name.replace(/\.vmdk$/, '-flat.vmdk');
    const common = { sourceDatacenter: args.sourceDatacenter, destinationDatacenter: args.destDatacenter ?? args.sourceDatacenter, force: args.force };
    target.files.requireSpace(move && source.files.ds === target.files.ds ? 0 : source.files.stat(source.disk.extent)?.size ?? 0);
    transfer(ctx, { ...common, sourceName: `[${source.files.ds.name}] ${source.disk.extent}`, destinationName: extentName(args.destName) }, move);
    transfer(ctx, { ...common, sourceName: args.sourceName, destinationName: args.destName }, move);
    const moved = resolveDisk(ctx, args.destName, common.destinationDatacenter);
    const disk = moved.files.stat(moved.path)!.stored!.disk!;
    const uuid = move ? disk.uuid : diskUuid(`${disk.uuid}:${args.destName}`);
    moved.files.write(moved.path, { ...moved.files.stat(moved.path)!.stored!, disk: { ...disk, extent: extentName(moved.path), uuid } });
    return `[${moved.files.ds.name}] ${moved.path}`;
  }

  private task(ctx: CallContext, datacenter: MoRef | undefined, method: string, descriptionId: string, run: () => unknown): MoRef {
    return ctx.vc.tasks.start(ctx, { method, descriptionId, entity: taskEntity(ctx, datacenter), run });
  }
}

function resolveDisk(ctx: CallContext, name: string, datacenter?: MoRef): { files: DatastoreFiles; path: string } {
  const resolved = resolveFile(ctx, name, datacenter);
  if (!resolved.path.endsWith('.vmdk')) throw faults.invalidArgument('name', `Invalid virtual disk name ${name}`);
  return resolved;
}

/** A disk VirtualDiskManager made (FileNotFound if none; FileLocked for a registered VM's disk). */
function standaloneDisk(ctx: CallContext, name: string, datacenter?: MoRef): { files: DatastoreFiles; path: string; disk: StoredDisk; entry: FileEntry } {
  const { files, path } = resolveDisk(ctx, name, datacenter);
  const entry = files.stat(path);
  if (entry?.vm) throw fileFault('FileLocked', files.ds, path, `Unable to access file ${name} since it is locked`);
  const disk = entry?.stored?.disk;
  if (!entry || !disk) throw fileFault('FileNotFound', files.ds, path, `File ${name} was not found`);
  return { files, path, disk, entry };
}

/** Writes a disk's descriptor and extent: a thick extent is as large as the disk, a thin one empty. */
function writeDisk(files: DatastoreFiles, path: string, disk: StoredDisk): void {
  const extentBytes = THIN_TYPES.has(disk.diskType) ? 0 : disk.capacityKb * 1024;
  const current = files.stat(disk.extent)?.stored?.size ?? 0;
  files.requireSpace(extentBytes - current);
  files.write(disk.extent, { size: extentBytes });
  files.write(path, { size: 512, disk });
}

/** A disk UUID as ESX makes them (VMware's 6000C29 prefix), from `seed`. */
function diskUuid(seed: string): string {
  const hex = `6000c29${createHash('sha256').update(seed).digest('hex').slice(0, 25)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The UUID as QueryVirtualDiskUuid answers it: `60 00 C2 9x ... xx-xx ... xx`, bytes in pairs. */
function uuidText(uuid: string): string {
  const bytes = uuid.replace(/-/g, '').toLowerCase().match(/../g) ?? [];
  return `${bytes.slice(0, 8).join(' ')}-${bytes.slice(8).join(' ')}`;
}
