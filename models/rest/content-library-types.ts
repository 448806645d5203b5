/**
 * The content library's data shapes (libraries, items, files, transfer sessions, as vCenter's
 * content library service describes them), its limits, and its refusals with their vAPI kinds.
 */

/** Largest file one upload may hold, and all bytes the store keeps at once: bytes live in memory. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
export const MAX_TOTAL_BYTES = 256 * 1024 * 1024;
/** How long an idle transfer session lives before keep-alive is needed (as vcsim: an hour). */
export const SESSION_LIFETIME_MS = 60 * 60_000;

export type ContentErrorKind =
  | 'not_found'
  | 'already_exists'
  | 'invalid_argument'
  | 'invalid_element_type'
  | 'not_allowed_in_current_state'
  | 'resource_busy'
  | 'unable_to_allocate_resource'
  | 'unsupported';

/** What a content library operation refused, with the vAPI standard error kind it corresponds to. */
export class ContentLibraryError extends Error {
  constructor(
    readonly kind: ContentErrorKind,
    readonly id: string,
    message: string,
    readonly args: string[] = [],
  ) {
    super(message);
    this.name = 'ContentLibraryError';
  }
}

export interface StorageBacking {
  type: 'DATASTORE' | 'OTHER';
  datastore_id?: string;
  storage_uri?: string;
}

/** How a library is published; `publish_url` is a path on this server (the adapter prefixes the origin). */
export interface PublishInfo {
  authentication_method: 'NONE' | 'BASIC';
  published: boolean;
  persist_json_enabled: boolean;
  publish_url?: string;
  user_name?: string;
  /** Never answered: subscribers prove themselves with it. */
  password?: string;
}

/** What a subscribed library follows: the publish URL of a library of this simulator. */
export interface SubscriptionInfo {
  authentication_method: 'NONE' | 'BASIC';
  automatic_sync_enabled: boolean;
  on_demand: boolean;
  subscription_url: string;
  user_name?: string;
  password?: string;
  ssl_thumbprint?: string;
}

export interface Library {
  id: string;
  name: string;
  description: string;
  type: 'LOCAL' | 'SUBSCRIBED';
  storage_backings: StorageBacking[];
  creation_time: string;
  last_modified_time: string;
  version: string;
  server_guid: string;
  publish_info?: PublishInfo;
  subscription_info?: SubscriptionInfo;
  last_sync_time?: string;
  /** The security policy applied to the library's items (content/security-policies). */
  security_policy_id?: string;
}

export interface LibraryItem {
  id: string;
  library_id: string;
  name: string;
  description: string;
  type: string;
  creation_time: string;
  last_modified_time: string;
  content_version: string;
  metadata_version: string;
  version: string;
  cached: boolean;
  size: number;
  source_id?: string;
  last_sync_time?: string;
}

export interface Checksum {
  algorithm: 'SHA1';
  checksum: string;
}

export interface ItemFile {
  name: string;
  size: number;
  version: string;
  cached: boolean;
  checksum_info: Checksum;
}

export type SessionState = 'ACTIVE' | 'DONE' | 'ERROR' | 'CANCELED';

export interface LocalizableMessage {
  id: string;
  default_message: string;
  args: string[];
}

/** An update or download session as vCenter describes it. */
export interface TransferSession {
  id: string;
  library_item_id: string;
  library_item_content_version: string;
  client_progress: number;
  state: SessionState;
  expiration_time: string;
  error_message?: LocalizableMessage;
}

export interface UpdateFile {
  name: string;
  source_type: 'PUSH' | 'PULL';
  status: 'WAITING_FOR_TRANSFER' | 'TRANSFERRING' | 'READY' | 'VALIDATING' | 'ERROR';
  bytes_transferred: number;
  size?: number;
  checksum_info?: Checksum;
  /** The path (under the server's origin) the client PUTs the bytes to. */
  upload_path?: string;
}

export interface DownloadFile {
  name: string;
  status: 'UNPREPARED' | 'PREPARING' | 'PREPARED' | 'ERROR';
  bytes_transferred: number;
  size: number;
  checksum_info: Checksum;
  /** The path (under the server's origin) the client GETs the bytes from, once prepared. */
  download_path?: string;
}

export interface UpdateSession extends TransferSession {
  files: UpdateFile[];
}

export interface DownloadSession extends TransferSession {
  files: DownloadFile[];
}

export interface LibrarySpec {
  name: string;
  description?: string;
  storage_backings: StorageBacking[];
  publish_info?: Partial<PublishInfo>;
  security_policy_id?: string;
}

export interface LibraryUpdate {
  name?: string;
  description?: string;
  publish_info?: Partial<PublishInfo>;
  subscription_info?: Partial<SubscriptionInfo>;
  security_policy_id?: string;
}

export interface ItemSpec {
  library_id: string;
  name: string;
  description?: string;
  type?: string;
}

export interface ItemUpdate {
  name?: string;
  description?: string;
  type?: string;
}

export interface LibraryFind {
  name?: string;
  type?: string;
}

export interface ItemFind {
  name?: string;
  library_id?: string;
  type?: string;
  source_id?: string;
  cached?: boolean;
}


/** Throws the refusal: the store's one way to say no. */
export function fail(kind: ContentErrorKind, id: string, message: string, args: string[] = []): never {
  throw new ContentLibraryError(kind, id, message, args);
}

