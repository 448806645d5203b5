/**
 * FileManager: datastore files by `[ds] path` within a datacenter (MakeDirectory,
 * DeleteDatastoreFile_Task, MoveDatastoreFile_Task, CopyDatastoreFile_Task) over the datastore
 * file system. A move or copy checks everything (source there, target free unless `force`, no
 * registered VM's file touched, room on the target) before it changes anything.
 */
import type { Datacenter } from '../core/datacenter.js';
import { faults, VimFault } from '../core/fault.js';
import type { ManagedEntity } from '../core/managed-entity.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { MoRef } from '../core/moref.js';
import { DatastoreFiles, fileFault, normalize, parseDatastorePath } from './datastore-files.js';
import type { Datastore } from './datastore.js';

interface TransferArgs {
  sourceName: string;
  sourceDatacenter?: MoRef;
  destinationName: string;
  destinationDatacenter?: MoRef;
  force?: boolean;
}

export class FileManager extends ManagedObject {
  MakeDirectory(ctx: CallContext, { name, datacenter, createParentDirectories }: { name: string; datacenter?: MoRef; createParentDirectories?: boolean }): void {
    const { files, path } = resolveFile(ctx, name, datacenter);
    files.mkdir(path, createParentDirectories === true);
  }

  DeleteDatastoreFile_Task(ctx: CallContext, { name, datacenter }: { name: string; datacenter?: MoRef }): MoRef {
    return this.task(ctx, datacenter, 'DeleteDatastoreFile_Task', 'FileManager.deleteFile', () => {
      const { files, path } = resolveFile(ctx, name, datacenter);
      files.remove(path);
    });
  }

  MoveDatastoreFile_Task(ctx: CallContext, args: TransferArgs): MoRef {
    return this.task(ctx, args.sourceDatacenter, 'MoveDatastoreFile_Task', 'FileManager.move', () => transfer(ctx, args, true));
  }

  CopyDatastoreFile_Task(ctx: CallContext, args: TransferArgs): MoRef {
    return this.task(ctx, args.sourceDatacenter, 'CopyDatastoreFile_Task', 'FileManager.copy', () => transfer(ctx, args, false));
  }

  private task(ctx: CallContext, datacenter: MoRef | undefined, method: string, descriptionId: string, run: () => void): MoRef {
    return ctx.vc.tasks.start(ctx, { method, descriptionId, entity: taskEntity(ctx, datacenter), run: () => { run(); return undefined; } });
  }
}

/** Moves or copies a file or directory tree; a move leaves nothing at the source. */
export function transfer(ctx: CallContext, args: TransferArgs, move: boolean): void {
  const source = resolveFile(ctx, args.sourceName, args.sourceDatacenter);
  const target = resolveFile(ctx, args.destinationName, args.destinationDatacenter ?? args.sourceDatacenter);
  const tree = source.files.treeAt(source.path, move);
  if (source.files.ds === target.files.ds && (target.path === source.path || target.path.startsWith(`${source.path}/`))) {
    throw faults.invalidArgument('destinationName', `Cannot ${move ? 'move' : 'copy'} ${args.sourceName} into itself`);
  }
  if (target.files.stat(target.path)) {
    if (!args.force) throw fileFault('FileAlreadyExists', target.files.ds, target.path, `Cannot complete the operation because the file or folder ${args.destinationName} already exists`);
    target.files.checkRemovable(target.path);
  }
  const bytes = [...tree.values()].reduce((sum, f) => sum + f.size, 0);
  if (!move || source.files.ds !== target.files.ds) target.files.requireSpace(bytes);
  if (target.files.stat(target.path)) target.files.remove(target.path);
  if (move) source.files.remove(source.path);
  target.files.place(target.path, tree);
}

/**
 * What a file or disk task names as its entity (TaskInfo.entity is a ManagedEntity): the
 * datacenter of the call, else the inventory's root folder.
 */
export function taskEntity(ctx: CallContext, datacenter?: MoRef): ManagedEntity {
  const dc = datacenter && (ctx.vc.registry.get(datacenter) as ManagedEntity | undefined);
  return dc ?? ctx.vc.registry.require<ManagedEntity>(ctx.vc.rootFolder);
}

/** The datastore file system and path `name` (`[ds] path`) names in `datacenter`. */
export function resolveFile(ctx: CallContext, name: string, datacenter?: MoRef): { files: DatastoreFiles; path: string } {
  const { dsName, path } = parseDatastorePath(name);
  return { files: new DatastoreFiles(ctx, datastoreNamed(ctx, dsName, datacenter)), path: normalize(path) };
}

/** The datastore named `dsName` in `datacenter` (on an ESX host, its only datacenter may go unnamed). */
export function datastoreNamed(ctx: CallContext, dsName: string, datacenter?: MoRef): Datastore {
  const { registry } = ctx.vc;
  const dcs = datacenter ? [registry.require<Datacenter>(datacenter)] : ctx.vc.isVpx ? [] : registry.ofType<Datacenter>('Datacenter');
  if (!dcs.length) throw faults.invalidArgument('datacenter');
  for (const dc of dcs) {
    for (const ref of dc.datastore) {
      const ds = registry.get(ref) as Datastore | undefined;
      if (ds?.name === dsName) return ds;
    }
  }
  throw new VimFault('InvalidDatastore', { name: dsName }, `Invalid datastore: ${dsName}`);
}
