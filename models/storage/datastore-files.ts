/**
 * The file system of one datastore, the one source of truth for everything that lists, reads or
 * writes datastore files (the datastore browser, FileManager, VirtualDiskManager, HTTP /folder).
 *
 * Two kinds of entries, merged into one tree:
 * - a registered VM's files are its `layoutEx.file` list (the .vmx, .nvram, disks, logs and
 *   snapshot files), computed on each look, never stored twice; their contents are generated
 *   (the .vmx is VMX text of the VM's configuration, a disk descriptor the descriptor of its disk);
 * - everything else (uploads, ISOs, directories, disks VirtualDiskManager made, the files an
 *   unregistered VM leaves) is a StoredFile in the datastore's `files` map. Its bytes are kept
 *   only for what clients upload, while the instance's content budget lasts; otherwise the size alone.
 *
 * Stored files take the datastore's space: writing and deleting them moves `freeSpace` as a VM's
 * disks do.
 */
import { VimFault } from '../core/fault.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject } from '../core/moref.js';
import type { Datastore } from './datastore.js';
import type { VirtualMachine } from '../vm/virtual-machine.js';
import { vmxText, descriptorText } from './vm-file-text.js';

/** A file or directory kept in a datastore's own map (paths relative to its root, no leading slash). */
export interface StoredFile {
  size: number;
  modified: Date;
  folder?: true;
  /** What a client uploaded, while the content budget lasts. Never changed in place. */
  content?: Uint8Array;
  /** Set on the descriptor of a disk VirtualDiskManager made. */
  disk?: StoredDisk;
}

export interface StoredDisk {
  capacityKb: number;
  diskType: string;
  adapterType: string;
  uuid: string;
  /** The path of its extent (`name-flat.vmdk`). */
  extent: string;
}

/** One entry of the merged tree. */
export interface FileEntry {
  path: string;
  folder: boolean;
  size: number;
  modified: Date;
  stored?: StoredFile;
  /** The registered VM whose layout lists the file, and the layout's file type (config, diskDescriptor, ...). */
  vm?: VirtualMachine;
  layoutType?: string;
}

/** Default budget of uploaded bytes held in memory per simulator. */
export const DEFAULT_CONTENT_BUDGET = 256 * 1024 * 1024;

/** `[ds] some/path` split; InvalidDatastorePath otherwise. */
export function parseDatastorePath(datastorePath: string): { dsName: string; path: string } {
  const match = /^\s*\[([^\]]+)\]\s*(.*)$/.exec(String(datastorePath ?? ''));
  if (!match) throw new VimFault('InvalidDatastorePath', { datastorePath }, `Invalid datastore path '${datastorePath}'.`);
  return { dsName: match[1]!, path: normalize(match[2]!) };
}

/** A path relative to the datastore root: no leading, trailing or doubled slashes. */
export function normalize(path: string): string {
  return path.split('/').filter((part) => part !== '' && part !== '.').join('/');
}

const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export const fileFault = (type: string, ds: Datastore, path: string, message: string) =>
  new VimFault(type, { file: `[${ds.name}] ${path}` }, message);

export class DatastoreFiles {
  /**
   * Entries by path (implied folders included) and each folder's children, by the top-level folder
   * they were built for ('' for the whole datastore): a look at one VM's folder reads only the
   * files under it. Built on first look, dropped when the stored files change.
   */
  private readonly indexes = new Map<string, { entries: Map<string, FileEntry>; children: Map<string, FileEntry[]> }>();

  constructor(
    private readonly ctx: CallContext,
    readonly ds: Datastore,
  ) {}

  /** The entry at `path` ('' is the root), if any; directories holding only VM files count. */
  stat(path: string): FileEntry | undefined {
    path = normalize(path);
    if (path === '') return { path, folder: true, size: 0, modified: this.ds.info.timestamp as Date };
    return this.built(path).entries.get(path);
  }

  /** The entries directly inside directory `dir`, sorted by name. */
  list(dir: string): FileEntry[] {
    dir = normalize(dir);
    return [...(this.built(dir).children.get(dir) ?? [])].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Every path at or under `path` (itself first), stored or a VM's. */
  under(path: string): FileEntry[] {
    path = normalize(path);
    const entry = this.stat(path);
    if (!entry) return [];
    const prefix = path ? `${path}/` : '';
    const inside = [...this.built(path).entries.values()].filter((e) => e.path.startsWith(prefix) && e.path !== path);
    return [entry, ...inside.sort((a, b) => (a.path < b.path ? -1 : 1))];
  }

  /** Stored files first (explicit folders keep their times), then VM files, then the folders their paths imply. */
  private built(path: string): { entries: Map<string, FileEntry>; children: Map<string, FileEntry[]> } {
    const slash = path.indexOf('/');
    const top = slash < 0 ? path : path.slice(0, slash);
    const known = this.indexes.get('') ?? this.indexes.get(top);
    if (known) return known;
    const inScope = (p: string) => top === '' || p === top || p.startsWith(`${top}/`);
    const entries = new Map<string, FileEntry>();
    for (const [p, stored] of this.ds.files) if (inScope(p)) entries.set(p, { path: p, folder: stored.folder === true, size: stored.size, modified: stored.modified, stored });
    this.addVmFiles(entries, inScope);
    for (const entry of [...entries.values()]) {
      for (let dir = parentOf(entry.path); dir && !entries.has(dir); dir = parentOf(dir)) entries.set(dir, { path: dir, folder: true, size: 0, modified: entry.modified });
    }
    const children = new Map<string, FileEntry[]>();
    for (const entry of entries.values()) {
      const dir = parentOf(entry.path);
      const list = children.get(dir);
      if (list) list.push(entry);
      else children.set(dir, [entry]);
    }
    const index = { entries, children };
    this.indexes.set(top, index);
    return index;
  }

  /** The stored map changed: the next look rebuilds the index. */
  private changedFiles(): void {
    this.indexes.clear();
  }

  /** The bytes of a file: uploaded content, a VM file's generated text, else `size` zeros (streamed by the caller). */
  content(entry: FileEntry): Uint8Array | string | undefined {
    if (entry.stored?.content) return entry.stored.content;
    if (entry.stored?.disk) return descriptorText(baseName(entry.stored.disk.extent), entry.stored.disk);
    if (entry.vm && entry.layoutType === 'config') return vmxText(this.ctx.vc.types, entry.vm);
    if (entry.vm && entry.layoutType === 'diskDescriptor') return vmDiskDescriptor(entry);
    return undefined;
  }

  /**
   * Writes a stored file (parents made as needed), taking its size from the free space. A VM's
   * file cannot be written over (FileLocked), nor a directory; a full datastore refuses.
   */
  write(path: string, file: Omit<StoredFile, 'modified'>): void {
    path = normalize(path);
    const existing = this.stat(path);
    if (existing?.vm) throw fileFault('FileLocked', this.ds, path, `Unable to access file [${this.ds.name}] ${path} since it is locked`);
    if (existing?.folder) throw fileFault('FileAlreadyExists', this.ds, path, `Cannot complete the operation because the file or folder [${this.ds.name}] ${path} already exists`);
    const grows = file.size - (existing?.stored?.size ?? 0);
    this.requireSpace(grows);
    this.makeParents(path);
    this.ds.files.set(path, { ...file, modified: this.ctx.vc.now() });
    this.changedFiles();
    this.takeSpace(grows);
  }

  /** MakeDirectory: the parent must exist unless `parents`; the name must be free. */
  mkdir(path: string, parents: boolean): void {
    path = normalize(path);
    if (path === '' || this.stat(path)) throw fileFault('FileAlreadyExists', this.ds, path, `Cannot complete the operation because the file or folder [${this.ds.name}] ${path} already exists`);
    const parent = parentOf(path);
    if (!parents && !this.stat(parent)?.folder) throw fileFault('FileNotFound', this.ds, parent, `File [${this.ds.name}] ${parent} was not found`);
    this.makeParents(path);
    this.ds.files.set(path, { size: 0, modified: this.ctx.vc.now(), folder: true });
    this.changedFiles();
    this.ctx.vc.registry.changed(this.ds);
  }

  /** Checks that `path` and everything under it can go (exists, no registered VM's file). */
  checkRemovable(path: string): FileEntry[] {
    const entries = this.under(path);
    if (!entries.length || normalize(path) === '') throw fileFault('FileNotFound', this.ds, normalize(path), `File [${this.ds.name}] ${normalize(path)} was not found`);
    const locked = entries.find((e) => e.vm);
    if (locked) throw fileFault('CannotDeleteFile', this.ds, locked.path, `Cannot delete file [${this.ds.name}] ${locked.path}: it belongs to the registered VM ${locked.vm!.name}`);
    return entries;
  }

  /** Removes `path` and everything under it, giving their space back. */
  remove(path: string): void {
    let freed = 0;
    for (const entry of this.checkRemovable(path)) {
      freed += entry.stored?.size ?? 0;
      this.ds.files.delete(entry.path);
    }
    this.changedFiles();
    this.takeSpace(-freed);
  }

  /**
   * The entries at and under `path` as stored files, keyed by their path relative to it ('' for
   * itself): what a copy (VM files included, their text kept) or a move (`move`: no VM's file) takes.
   */
  treeAt(path: string, move: boolean): Map<string, StoredFile> {
    path = normalize(path);
    const entries = move ? this.checkRemovable(path) : this.under(path);
    if (!entries.length) throw fileFault('FileNotFound', this.ds, path, `File [${this.ds.name}] ${path} was not found`);
    const out = new Map<string, StoredFile>();
    for (const entry of entries) {
      const rel = entry.path.slice(path.length).replace(/^\//, '');
      if (entry.stored) out.set(rel, entry.stored);
      else if (entry.folder) out.set(rel, { size: 0, modified: entry.modified, folder: true });
      else {
        const text = this.content(entry);
        out.set(rel, { size: entry.size, modified: entry.modified, ...(typeof text === 'string' ? { content: Buffer.from(text) } : {}) });
      }
    }
    return out;
  }

  /** Adds copies of `tree` (from storedUnder) at `path`; sizes are taken from the free space. */
  place(path: string, tree: Map<string, StoredFile>): void {
    path = normalize(path);
    let size = 0;
    for (const file of tree.values()) size += file.size;
    this.requireSpace(size);
    this.makeParents(path);
    for (const [rel, file] of tree) this.ds.files.set(rel ? `${path}/${rel}` : path, { ...file, modified: this.ctx.vc.now() });
    this.changedFiles();
    this.takeSpace(size);
  }

  requireSpace(bytes: number): void {
    const free = Number(this.ds.summary.freeSpace ?? 0);
    if (bytes > 0 && bytes > free) {
      throw new VimFault('NoDiskSpace', { datastore: this.ds.name }, `There is not enough space on the file system for the selected operation (${bytes} bytes needed, ${free} free on ${this.ds.name}).`);
    }
  }

  private takeSpace(bytes: number): void {
    const capacity = Number(this.ds.summary.capacity ?? Infinity);
    for (const holder of [this.ds.summary, this.ds.info]) holder.freeSpace = Math.min(capacity, Number(holder.freeSpace ?? 0) - bytes);
    this.ctx.vc.registry.changed(this.ds);
  }

  private makeParents(path: string): void {
    for (let dir = parentOf(path); dir && !this.stat(dir); dir = parentOf(dir)) {
      this.ds.files.set(dir, { size: 0, modified: this.ctx.vc.now(), folder: true });
      this.changedFiles();
    }
  }

  /** The registered VMs' files on this datastore (from their layoutEx) that `inScope` keeps and no stored file shadows. */
  private addVmFiles(entries: Map<string, FileEntry>, inScope: (path: string) => boolean): void {
    const prefix = `[${this.ds.name}] `;
    for (const ref of this.ds.vm) {
      const vm = this.ctx.vc.registry.get(ref) as VirtualMachine | undefined;
      const layout = vm?.layoutEx;
      if (!vm || !layout) continue;
      const modified = (layout.timestamp as Date | undefined) ?? (this.ds.info.timestamp as Date);
      for (const file of (layout.file as DataObject[] | undefined) ?? []) {
        const name = String(file.name);
        if (!name.startsWith(prefix)) continue;
        // Layout names are well formed (`[ds] dir/file`): no normalizing needed on this hot loop.
        const path = name.slice(prefix.length);
        if (!inScope(path) || entries.has(path)) continue;
        entries.set(path, { path, folder: false, size: Number(file.size ?? 0), modified, vm, layoutType: String(file.type) });
      }
    }
  }
}

/** The descriptor of a VM's disk: the disk device whose backing file it is. */
function vmDiskDescriptor(entry: FileEntry): string | undefined {
  const disk = vmDiskOf(entry);
  if (!disk) return undefined;
  const backing = disk.backing as DataObject;
  const capacityKb = Number(disk.capacityInKB ?? Number(disk.capacityInBytes ?? 0) / 1024);
  const extent = baseName(entry.path).replace(/\.vmdk$/, '-flat.vmdk');
  return descriptorText(extent, { capacityKb, diskType: backing.thinProvisioned ? 'thin' : 'preallocated', adapterType: 'lsiLogic', uuid: String(backing.uuid ?? ''), extent });
}

/** The VirtualDisk device of a VM whose backing (or a delta on its chain) is `entry`'s file. */
export function vmDiskOf(entry: FileEntry): DataObject | undefined {
  const devices = ((entry.vm?.config?.hardware as DataObject | undefined)?.device as DataObject[] | undefined) ?? [];
  const name = `] ${entry.path}`;
  return devices.find((d) => String((d.backing as DataObject | undefined)?.fileName ?? '').endsWith(name) && 'capacityInKB' in d);
}

/**
 * UnregisterVM leaves a VM's files on its datastores: they become stored files (the .vmx keeping
 * its text). Their space was taken when the VM was made, so none is taken again.
 */
export function keepVmFiles(ctx: CallContext, vm: VirtualMachine): void {
  for (const ref of vm.datastore) {
    const ds = ctx.vc.registry.get(ref) as Datastore | undefined;
    if (!ds) continue;
    const files = new DatastoreFiles(ctx, ds);
    for (const entry of files.under('')) {
      if (entry.vm !== vm) continue;
      const text = files.content(entry);
      ds.files.set(entry.path, { size: entry.size, modified: entry.modified, ...(typeof text === 'string' ? { content: Buffer.from(text) } : {}) });
    }
    ctx.vc.registry.changed(ds);
  }
}

/** RegisterVM: the files its layout lists stop being stored ones (their space becomes the VM's again). */
export function claimVmFiles(ctx: CallContext, vm: VirtualMachine): void {
  for (const file of (vm.layoutEx?.file as DataObject[] | undefined) ?? []) {
    const match = /^\[([^\]]+)\]\s*(.*)$/.exec(String(file.name));
    const ds = match && vm.datastore.map((ref) => ctx.vc.registry.get(ref) as Datastore | undefined).find((d) => d?.name === match[1]);
    if (ds?.files.delete(normalize(match![2]!))) ctx.vc.registry.changed(ds);
  }
}

/** Uploaded bytes held in memory across every datastore (what the content budget bounds). */
export function contentBytesHeld(datastores: Datastore[]): number {
  let held = 0;
  for (const ds of datastores) for (const file of ds.files.values()) held += file.content?.byteLength ?? 0;
  return held;
}
