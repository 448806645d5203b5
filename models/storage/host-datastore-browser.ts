/**
 * HostDatastoreBrowser: searches the datastores of its host (SearchDatastore_Task, and
 * SearchDatastoreSubFolders_Task, which descends into every folder) over the datastore file
 * system. Files are kept by query type (FileQuery, FolderFileQuery, VmDiskFileQuery, ...) and by
 * matchPattern (globs; none means every name), and described as the details flags ask.
 */
import { VimFault } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import { Typed, type DataObject, type MoRef } from '../core/moref.js';
import { DatastoreFiles, fileFault, parseDatastorePath, vmDiskOf, type FileEntry } from './datastore-files.js';
import type { Datastore } from './datastore.js';

interface SearchSpec {
  query?: DataObject[];
  details?: { fileType?: boolean; fileSize?: boolean; modification?: boolean; fileOwner?: boolean };
  searchCaseInsensitive?: boolean;
  matchPattern?: string[];
  sortFoldersFirst?: boolean;
}

interface SearchArgs {
  datastorePath: string;
  searchSpec?: SearchSpec;
}

export class HostDatastoreBrowser extends ManagedObject {
  datastore: MoRef[] = [];
  supportedType: DataObject[] = [];
  /** The host whose datastores it browses (set when made; a saved inventory's browser keeps its list). */
  ownerHost?: MoRef;

  /** The host's datastores as they are now (one mounted later included). */
  override read(name: string, ctx: CallContext): unknown {
    const host = name === 'datastore' && this.ownerHost ? (ctx.vc.registry.get(this.ownerHost) as (ManagedObject & { datastore: MoRef[] }) | undefined) : undefined;
    return host ? host.datastore : super.read(name, ctx);
  }

  SearchDatastore_Task(ctx: CallContext, args: SearchArgs): MoRef {
    return this.search(ctx, args, false);
  }

  SearchDatastoreSubFolders_Task(ctx: CallContext, args: SearchArgs): MoRef {
    return this.search(ctx, args, true);
  }

  /** Deletes a file through the browser (the deprecated DeleteFile): FileManager does the same. */
  DeleteFile(ctx: CallContext, { datastorePath }: { datastorePath: string }): void {
    const { dsName, path } = parseDatastorePath(datastorePath);
    new DatastoreFiles(ctx, this.datastoreNamed(ctx, dsName)).remove(path);
  }

  private search(ctx: CallContext, { datastorePath, searchSpec = {} }: SearchArgs, recurse: boolean): MoRef {
    const { dsName, path } = parseDatastorePath(datastorePath);
    const ds = this.datastoreNamed(ctx, dsName);
    return ctx.vc.tasks.start(ctx, {
      method: recurse ? 'SearchDatastoreSubFolders_Task' : 'SearchDatastore_Task',
      descriptionId: recurse ? 'HostDatastoreBrowser.searchSubFolders' : 'HostDatastoreBrowser.search',
      entity: ds,
      run: () => {
        const files = new DatastoreFiles(ctx, ds);
        if (!files.stat(path)?.folder) throw fileFault('FileNotFound', ds, path, `File [${ds.name}] ${path} was not found`);
        const results: DataObject[] = [];
        const visit = (dir: string) => {
          const entries = files.list(dir);
          results.push(searchResult(ds, dir, entries, searchSpec));
          if (recurse) for (const entry of entries) if (entry.folder) visit(entry.path);
        };
        visit(path);
        return recurse ? new Typed('HostDatastoreBrowserSearchResults', results, true) : new Typed('HostDatastoreBrowserSearchResults', results[0]);
      },
    });
  }

  private datastoreNamed(ctx: CallContext, name: string): Datastore {
    for (const ref of this.read('datastore', ctx) as MoRef[]) {
      const ds = ctx.vc.registry.get(ref) as Datastore | undefined;
      if (ds?.name === name) return ds;
    }
    throw new VimFault('InvalidDatastore', { name }, `Invalid datastore: ${name}`);
  }
}

function searchResult(ds: Datastore, dir: string, entries: FileEntry[], spec: SearchSpec): DataObject {
  const patterns = (spec.matchPattern ?? []).map((p) => globRegex(p, spec.searchCaseInsensitive === true));
  let matched = entries.filter((e) => matchesQuery(e, spec.query ?? []) && (!patterns.length || patterns.some((re) => re.test(baseName(e.path)))));
  if (spec.sortFoldersFirst) matched = [...matched.filter((e) => e.folder), ...matched.filter((e) => !e.folder)];
  const file = matched.map((e) => fileInfo(e, spec));
  return { datastore: ds.self, folderPath: `[${ds.name}] ${dir}`.trimEnd(), ...(file.length ? { file } : {}) };
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const extension = (name: string) => (name.includes('.') ? name.slice(name.lastIndexOf('.')) : '');

/** Extents and delta extents are no disks of their own: a disk query lists their descriptors only. */
const isDiskDescriptor = (name: string) => name.endsWith('.vmdk') && !/-(flat|delta|sesparse|ctk)\.vmdk$/.test(name);

/** The FileInfo subtype a file is listed as, by extension, as ESX types them. */
function fileKind(entry: FileEntry): string {
  if (entry.folder) return 'FolderFileInfo';
  const name = baseName(entry.path);
  if (isDiskDescriptor(name)) return 'VmDiskFileInfo';
  const byExtension: Record<string, string> = {
    '.iso': 'IsoImageFileInfo', '.flp': 'FloppyImageFileInfo', '.img': 'FloppyImageFileInfo', '.vmx': 'VmConfigFileInfo',
    '.vmtx': 'TemplateConfigFileInfo', '.nvram': 'VmNvramFileInfo', '.log': 'VmLogFileInfo', '.vmsn': 'VmSnapshotFileInfo',
  };
  return byExtension[extension(name)] ?? 'FileInfo';
}

const queryKinds: Record<string, string> = {
  FolderFileQuery: 'FolderFileInfo', VmDiskFileQuery: 'VmDiskFileInfo', IsoImageFileQuery: 'IsoImageFileInfo',
  FloppyImageFileQuery: 'FloppyImageFileInfo', VmConfigFileQuery: 'VmConfigFileInfo', TemplateConfigFileQuery: 'TemplateConfigFileInfo',
  VmNvramFileQuery: 'VmNvramFileInfo', VmLogFileQuery: 'VmLogFileInfo', VmSnapshotFileQuery: 'VmSnapshotFileInfo',
};

function matchesQuery(entry: FileEntry, query: DataObject[]): boolean {
  if (!query.length) return true;
  const kind = fileKind(entry);
  return query.some((q) => q._type === 'FileQuery' || q._type === undefined || queryKinds[q._type] === kind);
}

function fileInfo(entry: FileEntry, spec: SearchSpec): DataObject {
  const details = spec.details ?? {};
  const kind = fileKind(entry);
  const info: DataObject = { _type: details.fileType || entry.folder ? kind : 'FileInfo', path: baseName(entry.path) };
  if (details.fileSize) info.fileSize = entry.size;
  if (details.modification) info.modification = entry.modified;
  if (details.fileOwner) info.owner = 'root';
  if (kind === 'VmDiskFileInfo' && (details.fileType || spec.query?.some((q) => q._type === 'VmDiskFileQuery'))) {
    info._type = kind;
    Object.assign(info, diskDetails(entry));
  }
  return info;
}

function diskDetails(entry: FileEntry): DataObject {
  const stored = entry.stored?.disk;
  if (stored) {
    return { diskType: 'VirtualDiskFlatVer2BackingInfo', capacityKb: stored.capacityKb, hardwareVersion: 13, controllerType: controllerOf(stored.adapterType), diskExtents: [stored.extent], thin: stored.diskType === 'thin' };
  }
  const disk = vmDiskOf(entry);
  if (!disk) return {};
  const backing = disk.backing as DataObject;
  return {
    diskType: String(backing._type ?? 'VirtualDiskFlatVer2BackingInfo'),
    capacityKb: Number(disk.capacityInKB ?? 0),
    hardwareVersion: 13,
    controllerType: 'ParaVirtualSCSIController',
    diskExtents: [entry.path.replace(/\.vmdk$/, '-flat.vmdk')],
    thin: backing.thinProvisioned === true,
  };
}

function controllerOf(adapterType: string): string {
  return adapterType === 'ide' ? 'VirtualIDEController' : adapterType === 'busLogic' ? 'VirtualBusLogicController' : 'VirtualLsiLogicController';
}

/** A glob as ESX reads matchPattern: `*`, `?` and `[...]` classes. */
function globRegex(pattern: string, caseInsensitive: boolean): RegExp {
  const source = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
}
