/**
 * vCenter's content library service: local libraries, their items and files (content-library-
 * items.ts), and the update and download sessions that move an item's bytes. Part of the simulated
 * world (no HTTP): the REST adapter (simulator/rest/content/) maps its refusals to vAPI errors and
 * serves the bytes.
 *
 * State is plain data in the store's own fields (Maps of plain records, file lists and byte
 * buffers, never mutated in place, and an id counter), so a world snapshot can copy it field by
 * field and a world document write it as JSON (bytes as base64). Identifiers are UUIDs
 * drawn from the instance's seed and a counter: the same seed and the same calls give the same ids.
 */
import { blobKey, sha1 } from './content-library-items.js';
import { LibrarySync } from './content-library-sync.js';
import {
  fail,
  MAX_FILE_BYTES,
  MAX_TOTAL_BYTES,
  SESSION_LIFETIME_MS,
  type DownloadFile,
  type DownloadSession,
  type LibraryItem,
  type TransferSession,
  type UpdateFile,
  type UpdateSession,
} from './content-library-types.js';

export * from './content-library-types.js';
export { publishPath, type StorageInfo, type SubscribedLibrarySpec } from './content-library-sync.js';

/** The path of a session's file on the transfer endpoint: `/cls-data/<session>/<file>`. */
export const TRANSFER_PREFIX = '/cls-data';
const transferPath = (sessionId: string, name: string) => `${TRANSFER_PREFIX}/${sessionId}/${encodeURIComponent(name)}`;

export class ContentLibraryStore extends LibrarySync {
  private updateSessions = new Map<string, UpdateSession>();
  private downloadSessions = new Map<string, DownloadSession>();

  protected override itemDeleted(id: string): void {
    for (const session of [...this.updateSessions.values()]) if (session.library_item_id === id) this.deleteUpdateSession(session.id);
    for (const session of [...this.downloadSessions.values()]) if (session.library_item_id === id) this.downloadSessions.delete(session.id);
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
      this.requireLocal(item.library_id);
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
    if (spec.size !== undefined && !this.canHold(spec.size)) tooLarge(spec.size);
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
      this.ensureCached(itemId);
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
