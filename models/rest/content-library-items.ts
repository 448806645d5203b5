/**
 * The content library's libraries, items and item files, with the bytes of those files: the base
 * of ContentLibraryStore (content-library.ts), which adds the transfer sessions. The two classes
 * make one object, whose own fields are all the state there is (see content-library.ts).
 */
import { createHash } from 'node:crypto';
import {
  fail,
  MAX_FILE_BYTES,
  MAX_TOTAL_BYTES,
  type ItemFile,
  type ItemFind,
  type ItemSpec,
  type ItemUpdate,
  type Library,
  type LibraryFind,
  type LibraryItem,
  type LibrarySpec,
  type LibraryUpdate,
  type StorageBacking,
} from './content-library-types.js';
import { MoRef } from '../core/moref.js';
import type { Registry } from '../core/registry.js';

export const blobKey = (owner: string, name: string) => `${owner}/${name}`;
export const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');

export class LibraryItems {
  protected libraries = new Map<string, Library>();
  protected items = new Map<string, LibraryItem>();
  /** item id → its files. */
  protected files = new Map<string, ItemFile[]>();
  /** `<item id>/<file>` (committed) or `<update session id>/<file>` (staged) → bytes. */
  protected blobs = new Map<string, Buffer>();
  /** client_token → the id its creation gave, so a repeated creation answers the same id. */
  protected clientTokens = new Map<string, string>();
  protected counter = 0;

  constructor(
    protected readonly registry: Registry,
    private readonly seed: () => number,
    protected readonly now: () => Date = () => new Date(),
  ) {}

  protected newUuid(kind: string): string {
    const hex = createHash('sha256').update(`${this.seed()}:${kind}:${++this.counter}`).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  }

  protected timestamp(): string {
    return this.now().toISOString();
  }

  /** Runs `create` once per client token: a repeated token gets the first call's id. */
  protected idempotent(token: string | undefined, create: () => string): string {
    const known = token === undefined ? undefined : this.clientTokens.get(token);
    if (known !== undefined) return known;
    const id = create();
    if (token !== undefined) this.clientTokens.set(token, id);
    return id;
  }

  /** Called as an item goes: the sessions open on it go too. */
  protected itemDeleted(_id: string): void {}

  /** Called after a library's items or their content changed: its automatic subscribers follow. */
  protected contentChanged(_libraryId: string): void {}

  // ------------------------------------------------------------------ libraries

  listLibraries(): string[] {
    return [...this.libraries.keys()];
  }

  getLibrary(id: string): Library {
    return this.libraries.get(id) ?? fail('not_found', 'com.vmware.vdcs.cls-main.library_not_found', `Library with identifier '${id}' does not exist.`, [id]);
  }

  findLibraries(find: LibraryFind): string[] {
    const name = find.name?.toLowerCase();
    return [...this.libraries.values()]
      .filter((library) => (name === undefined || library.name.toLowerCase() === name) && (find.type === undefined || library.type === find.type))
      .map((library) => library.id);
  }

  createLibrary(spec: LibrarySpec, clientToken?: string): string {
    return this.idempotent(clientToken, () => {
      this.requireUniqueLibraryName(spec.name);
      this.checkBackings(spec.storage_backings);
      const id = this.newUuid('library');
      const now = this.timestamp();
      this.libraries.set(id, {
        id,
        name: spec.name,
        description: spec.description ?? '',
        type: 'LOCAL',
        storage_backings: spec.storage_backings.map((backing) => ({ ...backing })),
        creation_time: now,
        last_modified_time: now,
        version: '1',
        server_guid: this.newUuid('server'),
        publish_info: { authentication_method: 'NONE', published: false, persist_json_enabled: false },
        ...(spec.security_policy_id === undefined ? {} : { security_policy_id: spec.security_policy_id }),
      });
      return id;
    });
  }

  updateLibrary(id: string, update: LibraryUpdate): void {
    const library = this.getLibrary(id);
    if (update.name !== undefined && update.name.toLowerCase() !== library.name.toLowerCase()) this.requireUniqueLibraryName(update.name);
    if (update.name !== undefined) library.name = update.name;
    if (update.description !== undefined) library.description = update.description;
    if (update.security_policy_id !== undefined) library.security_policy_id = update.security_policy_id;
    library.version = String(Number(library.version) + 1);
    library.last_modified_time = this.timestamp();
  }

  /** Deletes the library with its items, their files and any sessions on them. */
  deleteLibrary(id: string): void {
    this.getLibrary(id);
    for (const item of [...this.items.values()]) if (item.library_id === id) this.dropItem(item.id);
    this.libraries.delete(id);
  }

  /** The datastore backing `library`, if it has one (where deployed VMs go by default). */
  libraryDatastore(id: string): MoRef | undefined {
    const backing = this.getLibrary(id).storage_backings.find((b) => b.type === 'DATASTORE' && b.datastore_id);
    return backing ? new MoRef('Datastore', backing.datastore_id!) : undefined;
  }

  private requireUniqueLibraryName(name: string): void {
    const lower = name.toLowerCase();
    for (const library of this.libraries.values()) {
      if (library.name.toLowerCase() === lower) {
        fail('already_exists', 'com.vmware.vdcs.cls-main.duplicate_library_name', `A library with the name '${name}' already exists.`, [name]);
      }
    }
  }

  /** A local library needs somewhere to keep its files: a datastore that exists, or a storage URI. */
  private checkBackings(backings: StorageBacking[]): void {
    if (backings.length === 0) fail('invalid_argument', 'com.vmware.vdcs.cls-main.invalid_storage_backing', 'A library needs at least one storage backing.', ['storage_backings']);
    for (const backing of backings) {
      if (backing.type === 'DATASTORE') {
        const id = backing.datastore_id ?? '';
        if (!this.registry.get(new MoRef('Datastore', id))) {
          fail('invalid_argument', 'com.vmware.vdcs.cls-main.invalid_datastore', `Datastore with identifier '${id}' does not exist.`, ['storage_backings.datastore_id', id]);
        }
      } else if (!backing.storage_uri) {
        fail('invalid_argument', 'com.vmware.vdcs.cls-main.invalid_storage_backing', 'A storage backing of type OTHER needs a storage_uri.', ['storage_backings.storage_uri']);
      }
    }
  }

  // ------------------------------------------------------------------ items

  listItems(libraryId: string): string[] {
    this.getLibrary(libraryId);
    return [...this.items.values()].filter((item) => item.library_id === libraryId).map((item) => item.id);
  }

  getItem(id: string): LibraryItem {
    return this.items.get(id) ?? fail('not_found', 'com.vmware.vdcs.cls-main.item_not_found', `Library item with identifier '${id}' does not exist.`, [id]);
  }

  findItems(find: ItemFind): string[] {
    const name = find.name?.toLowerCase();
    return [...this.items.values()]
      .filter(
        (item) =>
          (name === undefined || item.name.toLowerCase() === name) &&
          (find.library_id === undefined || item.library_id === find.library_id) &&
          (find.type === undefined || item.type === find.type) &&
          (find.source_id === undefined || item.source_id === find.source_id) &&
          (find.cached === undefined || item.cached === find.cached),
      )
      .map((item) => item.id);
  }

  createItem(spec: ItemSpec, clientToken?: string): string {
    return this.idempotent(clientToken, () => {
      this.requireLocal(spec.library_id);
      this.requireUniqueItemName(spec.library_id, spec.name);
      const id = this.newUuid('item');
      const now = this.timestamp();
      this.items.set(id, {
        id,
        library_id: spec.library_id,
        name: spec.name,
        description: spec.description ?? '',
        type: spec.type ?? '',
        creation_time: now,
        last_modified_time: now,
        content_version: '1',
        metadata_version: '1',
        version: '1',
        cached: true,
        size: 0,
      });
      this.files.set(id, []);
      this.contentChanged(spec.library_id);
      return id;
    });
  }

  /** Items of a subscribed library follow their publisher: only a sync changes them. */
  protected requireLocal(libraryId: string): Library {
    const library = this.getLibrary(libraryId);
    if (library.type === 'SUBSCRIBED') {
      fail('invalid_element_type', 'com.vmware.vdcs.cls-main.subscribed_library_readonly', `Library '${libraryId}' is a subscribed library: its items change only by synchronization.`, [libraryId]);
    }
    return library;
  }

  updateItem(id: string, update: ItemUpdate): void {
    const item = this.getItem(id);
    this.requireLocal(item.library_id);
    if (update.name !== undefined && update.name.toLowerCase() !== item.name.toLowerCase()) this.requireUniqueItemName(item.library_id, update.name);
    if (update.name !== undefined) item.name = update.name;
    if (update.description !== undefined) item.description = update.description;
    if (update.type !== undefined) item.type = update.type;
    item.metadata_version = String(Number(item.metadata_version) + 1);
    item.version = String(Number(item.version) + 1);
    item.last_modified_time = this.timestamp();
    this.contentChanged(item.library_id);
  }

  /** A new item with the source's files (bytes shared: they are never changed in place), in the source's library unless told. */
  copyItem(sourceId: string, destination: { library_id?: string; name?: string; description?: string }, clientToken?: string): string {
    const source = this.getItem(sourceId);
    return this.idempotent(clientToken, () => {
      const id = this.createItem({
        library_id: destination.library_id ?? source.library_id,
        name: destination.name ?? source.name,
        description: destination.description ?? source.description,
        type: source.type,
      });
      const files = this.listFiles(sourceId);
      if (files.length > 0) this.storeFiles(id, files.map((file) => ({ name: file.name, bytes: this.fileBytes(sourceId, file.name) })));
      this.getItem(id).source_id = sourceId;
      return id;
    });
  }

  /** Deletes the item, its bytes and the sessions open on it. */
  deleteItem(id: string): void {
    const { library_id } = this.getItem(id);
    this.requireLocal(library_id);
    this.dropItem(id);
    this.contentChanged(library_id);
  }

  protected dropItem(id: string): void {
    this.getItem(id);
    for (const file of this.files.get(id) ?? []) this.blobs.delete(blobKey(id, file.name));
    this.itemDeleted(id);
    this.files.delete(id);
    this.items.delete(id);
  }

  private requireUniqueItemName(libraryId: string, name: string): void {
    const lower = name.toLowerCase();
    for (const item of this.items.values()) {
      if (item.library_id === libraryId && item.name.toLowerCase() === lower) {
        fail('already_exists', 'com.vmware.vdcs.cls-main.duplicate_item_name', `An item with the name '${name}' already exists in the library.`, [name]);
      }
    }
  }

  // ------------------------------------------------------------------ item files

  listFiles(itemId: string): ItemFile[] {
    this.getItem(itemId);
    return this.files.get(itemId) ?? [];
  }

  getFile(itemId: string, name: string): ItemFile {
    return (
      this.listFiles(itemId).find((file) => file.name === name) ??
      fail('not_found', 'com.vmware.vdcs.cls-main.file_not_found', `File '${name}' does not exist in library item '${itemId}'.`, [name, itemId])
    );
  }

  /**
   * Gives the item these files (one of the same name is replaced): its size, content version and
   * modification time follow, and an item of no type takes the one its files name.
   */
  storeFiles(itemId: string, uploads: { name: string; bytes: Buffer }[]): void {
    const item = this.getItem(itemId);
    const names = new Set(uploads.map((upload) => upload.name));
    const kept = (this.files.get(itemId) ?? []).filter((file) => !names.has(file.name));
    const added = uploads.map(({ name, bytes }) => {
      this.blobs.set(blobKey(itemId, name), bytes);
      return { name, size: bytes.length, version: '1', cached: true, checksum_info: { algorithm: 'SHA1' as const, checksum: sha1(bytes) } };
    });
    const files = [...kept, ...added];
    this.files.set(itemId, files);
    item.size = files.reduce((sum, file) => sum + file.size, 0);
    item.content_version = String(Number(item.content_version) + 1);
    item.last_modified_time = this.timestamp();
    if (!item.type) item.type = typeFromFiles(files);
    this.contentChanged(item.library_id);
  }

  /** The item's content changed outside its files (a VM template checked in): a new content version. */
  bumpContentVersion(itemId: string): string {
    const item = this.getItem(itemId);
    item.content_version = String(Number(item.content_version) + 1);
    item.last_modified_time = this.timestamp();
    return item.content_version;
  }

  /** A committed file's bytes (the OVF descriptor a deployment reads, a download). */
  fileBytes(itemId: string, name: string): Buffer {
    this.getFile(itemId, name);
    return this.blobs.get(blobKey(itemId, name)) ?? Buffer.alloc(0);
  }

  /** Whether `bytes` more would fit in memory; the transfer endpoint asks before reading a body. */
  canHold(bytes: number): boolean {
    return bytes <= MAX_FILE_BYTES && this.storedBytes() + bytes <= MAX_TOTAL_BYTES;
  }

  private storedBytes(): number {
    let total = 0;
    for (const bytes of this.blobs.values()) total += bytes.length;
    return total;
  }
}

/** An item created without a type takes the one its files name, as vCenter's type adapters do. */
function typeFromFiles(files: ItemFile[]): string {
  if (files.some((file) => /\.(ovf|ova)$/i.test(file.name))) return 'ovf';
  if (files.some((file) => /\.iso$/i.test(file.name))) return 'iso';
  return '';
}
