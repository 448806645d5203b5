/**
 * vCenter's content library service: local libraries, their items and files, and the update and
 * download sessions that move an item's bytes. Part of the simulated world (no HTTP): the REST
 * adapter (simulator/rest/content/) maps its refusals to vAPI errors and serves the bytes.
 *
 * State is plain data in the store's own fields (Maps of plain records, file lists and byte
 * buffers, never mutated in place, and an id counter), so a world snapshot can copy it field by
 * field, and `toJSON`/`restore` write and read it as JSON (bytes as base64). Identifiers are UUIDs
 * drawn from the instance's seed and a counter: the same seed and the same calls give the same ids.
 */
import { createHash } from 'node:crypto';
import { MoRef } from './moref.js';
import type { Registry } from './registry.js';
import {
  fail,
  MAX_FILE_BYTES,
  MAX_TOTAL_BYTES,
  SESSION_LIFETIME_MS,
  type ContentLibraryState,
  type DownloadFile,
  type DownloadSession,
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
  type TransferSession,
  type UpdateFile,
  type UpdateSession,
} from './content-library-types.js';

export * from './content-library-types.js';

/** The path of a session's file on the transfer endpoint: `/cls-data/<session>/<file>`. */
export const TRANSFER_PREFIX = '/cls-data';
const transferPath = (sessionId: string, name: string) => `${TRANSFER_PREFIX}/${sessionId}/${encodeURIComponent(name)}`;
const blobKey = (owner: string, name: string) => `${owner}/${name}`;
const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');

export class ContentLibraryStore {
  private libraries = new Map<string, Library>();
  private items = new Map<string, LibraryItem>();
  /** item id → its files. */
  private files = new Map<string, ItemFile[]>();
  private updateSessions = new Map<string, UpdateSession>();
  private downloadSessions = new Map<string, DownloadSession>();
  /** `<item id>/<file>` (committed) or `<update session id>/<file>` (staged) → bytes. */
  private blobs = new Map<string, Buffer>();
  /** client_token → the id its creation gave, so a repeated creation answers the same id. */
  private clientTokens = new Map<string, string>();
  private counter = 0;

  constructor(
    private readonly registry: Registry,
    private readonly seed: () => number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private newUuid(kind: string): string {
    const hex = createHash('sha256').update(`${this.seed()}:${kind}:${++this.counter}`).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  }

  private timestamp(): string {
    return this.now().toISOString();
  }

  /** Runs `create` once per client token: a repeated token gets the first call's id. */
  private idempotent(token: string | undefined, create: () => string): string {
    const known = token === undefined ? undefined : this.clientTokens.get(token);
    if (known !== undefined) return known;
    const id = create();
    if (token !== undefined) this.clientTokens.set(token, id);
    return id;
  }

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
      });
      return id;
    });
  }

  updateLibrary(id: string, update: LibraryUpdate): void {
    const library = this.getLibrary(id);
    if (update.name !== undefined && update.name.toLowerCase() !== library.name.toLowerCase()) this.requireUniqueLibraryName(update.name);
    if (update.name !== undefined) library.name = update.name;
    if (update.description !== undefined) library.description = update.description;
    library.version = String(Number(library.version) + 1);
    library.last_modified_time = this.timestamp();
  }

  /** Deletes the library with its items, their files and any sessions on them. */
  deleteLibrary(id: string): void {
    this.getLibrary(id);
    for (const item of [...this.items.values()]) if (item.library_id === id) this.deleteItem(item.id);
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
      this.getLibrary(spec.library_id);
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
      return id;
    });
  }

  updateItem(id: string, update: ItemUpdate): void {
    const item = this.getItem(id);
    if (update.name !== undefined && update.name.toLowerCase() !== item.name.toLowerCase()) this.requireUniqueItemName(item.library_id, update.name);
    if (update.name !== undefined) item.name = update.name;
    if (update.description !== undefined) item.description = update.description;
    if (update.type !== undefined) item.type = update.type;
    item.metadata_version = String(Number(item.metadata_version) + 1);
    item.version = String(Number(item.version) + 1);
    item.last_modified_time = this.timestamp();
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
    this.getItem(id);
    for (const file of this.files.get(id) ?? []) this.blobs.delete(blobKey(id, file.name));
    for (const session of [...this.updateSessions.values()]) if (session.library_item_id === id) this.deleteUpdateSession(session.id);
    for (const session of [...this.downloadSessions.values()]) if (session.library_item_id === id) this.downloadSessions.delete(session.id);
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
  }

  /** A committed file's bytes (the OVF descriptor a deployment reads, a download). */
  fileBytes(itemId: string, name: string): Buffer {
    this.getFile(itemId, name);
    return this.blobs.get(blobKey(itemId, name)) ?? Buffer.alloc(0);
  }

  // ------------------------------------------------------------------ update sessions

  listUpdateSessions(): string[] {
    return [...this.updateSessions.keys()];
  }

  getUpdateSession(id: string): TransferSession {
    const { files: _files, ...session } = this.updateSession(id);
    return session;
  }

  private updateSession(id: string): UpdateSession {
    return this.updateSessions.get(id) ?? fail('not_found', 'com.vmware.vdcs.cls-main.update_session_not_found', `Update session with identifier '${id}' does not exist.`, [id]);
  }

  private activeUpdateSession(id: string): UpdateSession {
    const session = this.updateSession(id);
    if (session.state !== 'ACTIVE') notActive('Update', session);
    return session;
  }

  /** vCenter allows one active update session per item. */
  createUpdateSession(itemId: string, clientToken?: string): string {
    return this.idempotent(clientToken, () => {
      const item = this.getItem(itemId);
      for (const other of this.updateSessions.values()) {
        if (other.library_item_id === itemId && other.state === 'ACTIVE') {
          fail('resource_busy', 'com.vmware.vdcs.cls-main.item_update_in_progress', `Library item '${itemId}' already has an active update session.`, [itemId]);
        }
      }
      const id = this.newUuid('update-session');
      this.updateSessions.set(id, { ...this.newSession(id, item), files: [] });
      return id;
    });
  }

  private newSession(id: string, item: LibraryItem): TransferSession {
    return {
      id,
      library_item_id: item.id,
      library_item_content_version: item.content_version,
      client_progress: 0,
      state: 'ACTIVE',
      expiration_time: new Date(this.now().getTime() + SESSION_LIFETIME_MS).toISOString(),
    };
  }

  /** Asks for a file to be pushed: its upload path; PULL (the server fetching a URI) is not simulated. */
  addUpdateFile(sessionId: string, spec: { name: string; source_type: 'PUSH' | 'PULL'; size?: number; checksum_info?: { algorithm?: string; checksum: string } }): UpdateFile {
    const session = this.activeUpdateSession(sessionId);
    if (spec.source_type === 'PULL') fail('unsupported', 'com.vmware.vdcs.cls-main.pull_unsupported', 'The simulator only accepts files the client pushes (source_type PUSH).');
    if (spec.size !== undefined && spec.size > MAX_FILE_BYTES) tooLarge(spec.size);
    this.blobs.delete(blobKey(sessionId, spec.name));
    const file: UpdateFile = { name: spec.name, source_type: 'PUSH', status: 'WAITING_FOR_TRANSFER', bytes_transferred: 0, upload_path: transferPath(sessionId, spec.name) };
    if (spec.size !== undefined) file.size = spec.size;
    session.files = [...session.files.filter((other) => other.name !== spec.name), file];
    return file;
  }

  listUpdateFiles(sessionId: string): UpdateFile[] {
    return this.updateSession(sessionId).files;
  }

  getUpdateFile(sessionId: string, name: string): UpdateFile {
    return this.updateSession(sessionId).files.find((file) => file.name === name) ?? noSuchSessionFile(sessionId, name);
  }

  removeUpdateFile(sessionId: string, name: string): void {
    const session = this.activeUpdateSession(sessionId);
    this.getUpdateFile(sessionId, name);
    session.files = session.files.filter((file) => file.name !== name);
    this.blobs.delete(blobKey(sessionId, name));
  }

  /** The files that block completion: every added file must have its bytes. */
  validateUpdateSession(sessionId: string): { missing_files: string[]; invalid_files: never[]; has_errors: boolean } {
    const missing = this.activeUpdateSession(sessionId).files.filter((file) => file.status !== 'READY').map((file) => file.name);
    return { missing_files: missing, invalid_files: [], has_errors: missing.length > 0 };
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

  /** The bytes a client PUT to a file's upload path. */
  receiveUpload(sessionId: string, name: string, bytes: Buffer): void {
    const session = this.activeUpdateSession(sessionId);
    const file = session.files.find((f) => f.name === name) ?? noSuchSessionFile(sessionId, name);
    if (!this.canHold(bytes.length)) tooLarge(bytes.length);
    this.blobs.set(blobKey(sessionId, name), bytes);
    Object.assign(file, { status: 'READY', bytes_transferred: bytes.length, size: bytes.length, checksum_info: { algorithm: 'SHA1', checksum: sha1(bytes) } });
  }

  /** The item takes the session's files (a file of the same name is replaced); its size and content version follow. */
  completeUpdateSession(sessionId: string): void {
    const session = this.activeUpdateSession(sessionId);
    const missing = session.files.filter((file) => file.status !== 'READY').map((file) => file.name);
    if (missing.length > 0) {
      fail('not_allowed_in_current_state', 'com.vmware.vdcs.cls-main.files_not_received', `Files not received yet: ${missing.join(', ')}.`, missing);
    }
    const uploads = session.files.map((file) => ({ name: file.name, bytes: this.blobs.get(blobKey(sessionId, file.name)) ?? Buffer.alloc(0) }));
    this.dropStaged(session);
    this.storeFiles(session.library_item_id, uploads);
    session.state = 'DONE';
    session.client_progress = 100;
  }

  failUpdateSession(sessionId: string, clientMessage: string): void {
    const session = this.activeUpdateSession(sessionId);
    session.state = 'ERROR';
    session.error_message = { id: 'com.vmware.vdcs.cls-main.client_error', default_message: clientMessage, args: [clientMessage] };
    this.dropStaged(session);
  }

  cancelUpdateSession(sessionId: string): void {
    const session = this.activeUpdateSession(sessionId);
    session.state = 'CANCELED';
    this.dropStaged(session);
  }

  deleteUpdateSession(sessionId: string): void {
    const session = this.updateSession(sessionId);
    this.dropStaged(session);
    this.updateSessions.delete(sessionId);
  }

  keepAliveUpdateSession(sessionId: string, clientProgress?: number): void {
    const session = this.activeUpdateSession(sessionId);
    session.expiration_time = new Date(this.now().getTime() + SESSION_LIFETIME_MS).toISOString();
    if (clientProgress !== undefined) session.client_progress = clientProgress;
  }

  private dropStaged(session: UpdateSession): void {
    for (const file of session.files) this.blobs.delete(blobKey(session.id, file.name));
  }

  // ------------------------------------------------------------------ download sessions

  listDownloadSessions(): string[] {
    return [...this.downloadSessions.keys()];
  }

  getDownloadSession(id: string): TransferSession {
    const { files: _files, ...session } = this.downloadSession(id);
    return session;
  }

  private downloadSession(id: string): DownloadSession {
    return this.downloadSessions.get(id) ?? fail('not_found', 'com.vmware.vdcs.cls-main.download_session_not_found', `Download session with identifier '${id}' does not exist.`, [id]);
  }

  private activeDownloadSession(id: string): DownloadSession {
    const session = this.downloadSession(id);
    if (session.state !== 'ACTIVE') notActive('Download', session);
    return session;
  }

  createDownloadSession(itemId: string, clientToken?: string): string {
    return this.idempotent(clientToken, () => {
      const item = this.getItem(itemId);
      const id = this.newUuid('download-session');
      const files: DownloadFile[] = this.listFiles(itemId).map((file) => ({
        name: file.name,
        status: 'UNPREPARED',
        bytes_transferred: 0,
        size: file.size,
        checksum_info: { ...file.checksum_info },
      }));
      this.downloadSessions.set(id, { ...this.newSession(id, item), files });
      return id;
    });
  }

  listDownloadFiles(sessionId: string): DownloadFile[] {
    return this.downloadSession(sessionId).files;
  }

  getDownloadFile(sessionId: string, name: string): DownloadFile {
    return this.downloadSession(sessionId).files.find((file) => file.name === name) ?? noSuchSessionFile(sessionId, name);
  }

  /** Bytes are in memory already: preparing is immediate. */
  prepareDownloadFile(sessionId: string, name: string): DownloadFile {
    this.activeDownloadSession(sessionId);
    const file = this.getDownloadFile(sessionId, name);
    file.status = 'PREPARED';
    file.download_path = transferPath(sessionId, name);
    return file;
  }

  /** The bytes of a prepared file, for a GET of its download path. */
  download(sessionId: string, name: string): Buffer {
    const session = this.activeDownloadSession(sessionId);
    const file = this.getDownloadFile(sessionId, name);
    if (file.status !== 'PREPARED') {
      fail('not_allowed_in_current_state', 'com.vmware.vdcs.cls-main.file_not_prepared', `File '${name}' has not been prepared for download.`, [name]);
    }
    const bytes = this.fileBytes(session.library_item_id, name);
    file.bytes_transferred = bytes.length;
    return bytes;
  }

  endDownloadSession(sessionId: string, state: 'CANCELED' | 'ERROR', clientMessage?: string): void {
    const session = this.activeDownloadSession(sessionId);
    session.state = state;
    if (clientMessage !== undefined) session.error_message = { id: 'com.vmware.vdcs.cls-main.client_error', default_message: clientMessage, args: [clientMessage] };
  }

  deleteDownloadSession(sessionId: string): void {
    this.downloadSession(sessionId);
    this.downloadSessions.delete(sessionId);
  }

  keepAliveDownloadSession(sessionId: string, progress?: number): void {
    const session = this.activeDownloadSession(sessionId);
    session.expiration_time = new Date(this.now().getTime() + SESSION_LIFETIME_MS).toISOString();
    if (progress !== undefined) session.client_progress = progress;
  }

  /** Whether `id` names an update or download session (the transfer endpoint's 404 otherwise). */
  hasSession(id: string): 'update' | 'download' | undefined {
    if (this.updateSessions.has(id)) return 'update';
    if (this.downloadSessions.has(id)) return 'download';
    return undefined;
  }

  // ------------------------------------------------------------------ state

  toJSON(): ContentLibraryState {
    return {
      counter: this.counter,
      libraries: [...this.libraries.values()],
      items: [...this.items.values()],
      files: [...this.files.entries()],
      updateSessions: [...this.updateSessions.values()],
      downloadSessions: [...this.downloadSessions.values()],
      blobs: [...this.blobs.entries()].map(([key, bytes]) => [key, bytes.toString('base64')]),
      clientTokens: [...this.clientTokens.entries()],
    };
  }

  /** Puts back a state `toJSON` gave (deep-copied through JSON, so the two never share records). */
  restore(state: ContentLibraryState): void {
    const copy = JSON.parse(JSON.stringify(state)) as ContentLibraryState;
    this.counter = copy.counter;
    this.libraries = new Map(copy.libraries.map((library) => [library.id, library]));
    this.items = new Map(copy.items.map((item) => [item.id, item]));
    this.files = new Map(copy.files);
    this.updateSessions = new Map(copy.updateSessions.map((session) => [session.id, session]));
    this.downloadSessions = new Map(copy.downloadSessions.map((session) => [session.id, session]));
    this.blobs = new Map(copy.blobs.map(([key, base64]) => [key, Buffer.from(base64, 'base64')]));
    this.clientTokens = new Map(copy.clientTokens);
  }
}

function notActive(kind: 'Update' | 'Download', session: TransferSession): never {
  fail('not_allowed_in_current_state', 'com.vmware.vdcs.cls-main.session_not_active', `${kind} session '${session.id}' is not active (state ${session.state}).`, [session.id, session.state]);
}

function noSuchSessionFile(sessionId: string, name: string): never {
  fail('not_found', 'com.vmware.vdcs.cls-main.session_file_not_found', `File '${name}' is not part of session '${sessionId}'.`, [name, sessionId]);
}

function tooLarge(size: number): never {
  fail(
    'unable_to_allocate_resource',
    'com.vmware.vdcs.cls-main.file_too_large',
    `A file of ${size} bytes does not fit: the simulator keeps at most ${MAX_FILE_BYTES} bytes per file and ${MAX_TOTAL_BYTES} in all.`,
    [String(size)],
  );
}

/** An item created without a type takes the one its files name, as vCenter's type adapters do. */
function typeFromFiles(files: ItemFile[]): string {
  if (files.some((file) => /\.(ovf|ova)$/i.test(file.name))) return 'ovf';
  if (files.some((file) => /\.iso$/i.test(file.name))) return 'iso';
  return '';
}
