/**
 * Publishing and subscribing, between libraries of one simulator: a published local library has a
 * `publish_url` (`/cls/vcsp/lib/<id>/lib.json`); a subscribed library whose subscription URL names
 * it (any host: the path decides) mirrors its items. A sync copies the publisher's items (metadata,
 * and the bytes unless the subscriber is on demand); an item's own sync fetches its bytes; evict
 * drops them again. The base of ContentLibraryStore: one object, its own fields all the state.
 */
import { LibraryItems, blobKey } from './content-library-items.js';
import {
  fail,
  type ItemFile,
  type Library,
  type LibrarySpec,
  type LibraryUpdate,
  type PublishInfo,
  type StorageBacking,
  type SubscriptionInfo,
} from './content-library-types.js';
import { MoRef, type DataObject } from '../core/moref.js';

export interface SubscribedLibrarySpec {
  name: string;
  description?: string;
  storage_backings: StorageBacking[];
  subscription_info: Partial<SubscriptionInfo> & { subscription_url: string };
}

export type ProbeStatus = 'SUCCESS' | 'INVALID_URL' | 'RESOURCE_NOT_FOUND' | 'INVALID_CREDENTIALS';

/** A library item's file as its storage sees it. */
export interface StorageInfo {
  storage_backing: StorageBacking;
  storage_uris: string[];
  checksum_info: ItemFile['checksum_info'];
  name: string;
  size: number;
  cached: boolean;
  version: string;
}

const PUBLISH_PATH = /\/cls\/vcsp\/lib\/([0-9a-f-]+)\/lib\.json$/;
export const publishPath = (libraryId: string) => `/cls/vcsp/lib/${libraryId}/lib.json`;

export class LibrarySync extends LibraryItems {
  // ------------------------------------------------------------------ publishing

  override createLibrary(spec: LibrarySpec, clientToken?: string): string {
    const publish = spec.publish_info ? this.publishInfo(undefined, spec.publish_info) : undefined;
    const id = super.createLibrary(spec, clientToken);
    if (publish) this.setPublishInfo(id, publish);
    return id;
  }

  /** Checks every part of the update before any is made, so a refusal changes nothing. */
  override updateLibrary(id: string, update: LibraryUpdate): void {
    const library = this.getLibrary(id);
    const publish = update.publish_info ? this.publishInfo(library, update.publish_info) : undefined;
    const subscription = update.subscription_info ? this.subscriptionInfo(library, update.subscription_info) : undefined;
    super.updateLibrary(id, update);
    if (publish) this.setPublishInfo(id, publish);
    if (subscription) {
      library.subscription_info = subscription;
      this.syncLibrary(id, false);
    }
  }

  private publishInfo(library: Library | undefined, update: Partial<PublishInfo>): PublishInfo {
    if (library?.type === 'SUBSCRIBED') {
      fail('invalid_argument', 'com.vmware.vdcs.cls-main.subscribed_not_publishable', `Subscribed library '${library.id}' cannot be published.`, ['publish_info']);
    }
    const current = library?.publish_info ?? { authentication_method: 'NONE', published: false, persist_json_enabled: false };
    const next: PublishInfo = { ...current, ...update };
    if (next.authentication_method === 'BASIC' && !next.password) {
      fail('invalid_argument', 'com.vmware.vdcs.cls-main.publish_password_required', 'Publishing with BASIC authentication needs a password.', ['publish_info.password']);
    }
    // vCenter's publisher account is always `vcsp`.
    if (next.authentication_method === 'BASIC') next.user_name = 'vcsp';
    else delete next.password, delete next.user_name;
    return next;
  }

  private setPublishInfo(id: string, info: PublishInfo): void {
    const library = this.getLibrary(id);
    const { publish_url: _stale, ...rest } = info;
    library.publish_info = info.published ? { ...rest, publish_url: publishPath(id) } : rest;
  }

  /**
   * Pushes the library to its subscribers (all, or those named by their library ids): each syncs
   * now, as vCenter's publish does.
   */
  publishLibrary(id: string, subscribers?: string[]): void {
    const library = this.getLibrary(id);
    if (!library.publish_info?.published) {
      fail('not_allowed_in_current_state', 'com.vmware.vdcs.cls-main.library_not_published', `Library '${id}' is not published.`, [id]);
    }
    for (const subscriber of this.subscribersOf(id)) if (!subscribers || subscribers.includes(subscriber.id)) this.syncLibrary(subscriber.id, false);
  }

  publishItem(itemId: string, forceContent: boolean, subscribers?: string[]): void {
    const item = this.getItem(itemId);
    this.publishLibrary(item.library_id, subscribers);
    if (!forceContent) return;
    for (const mirror of this.items.values()) if (mirror.source_id === itemId) this.syncItem(mirror.id, true);
  }

  private subscribersOf(publisherId: string): Library[] {
    return [...this.libraries.values()].filter((library) => library.subscription_info && this.publisherId(library.subscription_info.subscription_url) === publisherId);
  }

  /** Automatic subscribers follow every change of their publisher's items. */
  protected override contentChanged(libraryId: string): void {
    if (!this.libraries.get(libraryId)?.publish_info?.published) return;
    for (const subscriber of this.subscribersOf(libraryId)) if (subscriber.subscription_info!.automatic_sync_enabled) this.syncLibrary(subscriber.id, false);
  }

  // ------------------------------------------------------------------ subscribing

  /** What a subscription to `info` would find: SUCCESS only for a published library of this simulator, with the right password. */
  probe(info: Partial<SubscriptionInfo>): { status: ProbeStatus; error_messages: { id: string; default_message: string; args: string[] }[] } {
    const status = this.probeStatus(info);
    const messages = status === 'SUCCESS' ? [] : [{ id: `com.vmware.vdcs.cls-main.probe_${status.toLowerCase()}`, default_message: `Subscription URL '${info.subscription_url}': ${status}.`, args: [String(info.subscription_url)] }];
    return { status, error_messages: messages };
  }

  private probeStatus(info: Partial<SubscriptionInfo>): ProbeStatus {
    const url = info.subscription_url ?? '';
    if (!/^https?:\/\/[^/]+\//.test(url)) return 'INVALID_URL';
    const id = this.publisherId(url);
    const publisher = id === undefined ? undefined : this.libraries.get(id);
    if (!publisher?.publish_info?.published) return 'RESOURCE_NOT_FOUND';
    const publish = publisher.publish_info;
    if (publish.authentication_method === 'BASIC' && (info.authentication_method !== 'BASIC' || info.password !== publish.password)) return 'INVALID_CREDENTIALS';
    return 'SUCCESS';
  }

  private publisherId(url: string): string | undefined {
    return PUBLISH_PATH.exec(url.replace(/[?#].*$/, ''))?.[1];
  }

  private subscriptionInfo(library: Library | undefined, update: Partial<SubscriptionInfo>): SubscriptionInfo {
    if (library && library.type !== 'SUBSCRIBED') {
      fail('invalid_argument', 'com.vmware.vdcs.cls-main.local_not_subscribable', `Local library '${library.id}' has no subscription.`, ['subscription_info']);
    }
    const current = library?.subscription_info;
    const next: SubscriptionInfo = {
      authentication_method: 'NONE',
      automatic_sync_enabled: false,
      on_demand: false,
      subscription_url: '',
      ...current,
      ...update,
    };
    const status = this.probeStatus(next);
    if (status !== 'SUCCESS') {
      fail('invalid_argument', 'com.vmware.vdcs.cls-main.invalid_subscription', `Cannot subscribe to '${next.subscription_url}': ${status}.`, ['subscription_info.subscription_url', status]);
    }
    return next;
  }

  /** Creates the library and syncs it at once (metadata only when on demand), as vCenter's first sync does. */
  createSubscribedLibrary(spec: SubscribedLibrarySpec, clientToken?: string): string {
    const known = clientToken === undefined ? undefined : this.clientTokens.get(clientToken);
    if (known !== undefined) return known;
    const subscription = this.subscriptionInfo(undefined, spec.subscription_info);
    const id = super.createLibrary({ name: spec.name, description: spec.description, storage_backings: spec.storage_backings }, clientToken);
    const library = this.getLibrary(id);
    library.type = 'SUBSCRIBED';
    delete library.publish_info;
    library.subscription_info = subscription;
    this.syncLibrary(id, false);
    return id;
  }

  subscribedLibrary(id: string): Library {
    const library = this.getLibrary(id);
    if (library.type !== 'SUBSCRIBED') notOfType(id, 'SUBSCRIBED');
    return library;
  }

  localLibrary(id: string): Library {
    const library = this.getLibrary(id);
    if (library.type !== 'LOCAL') notOfType(id, 'LOCAL');
    return library;
  }

  /**
   * Mirrors the publisher's items: new ones are added, changed ones updated, gone ones removed.
   * Content is fetched for every item unless the library is on demand (then only for items whose
   * content was cached before and changed since).
   */
  syncLibrary(id: string, forceContent: boolean): void {
    const library = this.subscribedLibrary(id);
    const publisherId = this.publisherId(library.subscription_info!.subscription_url)!;
    const publisher = this.libraries.get(publisherId);
    if (!publisher?.publish_info?.published) {
      fail('not_allowed_in_current_state', 'com.vmware.vdcs.cls-main.publisher_unavailable', `The library '${id}' subscribes to is no longer published.`, [id]);
    }
    const sources = [...this.items.values()].filter((item) => item.library_id === publisherId);
    const mirrors = [...this.items.values()].filter((item) => item.library_id === id);
    for (const mirror of mirrors) if (!sources.some((source) => source.id === mirror.source_id)) this.dropItem(mirror.id);
    for (const source of sources) {
      const mirrorId = mirrors.find((mirror) => mirror.source_id === source.id)?.id ?? this.newMirror(id, source.id);
      const fetch = forceContent || !library.subscription_info!.on_demand || this.getItem(mirrorId).cached;
      this.copyFromSource(mirrorId, fetch);
    }
    library.last_sync_time = this.timestamp();
  }

  private newMirror(libraryId: string, sourceId: string): string {
    const source = this.getItem(sourceId);
    const id = this.newUuid('item');
    this.items.set(id, { ...source, id, library_id: libraryId, source_id: sourceId, cached: false, content_version: '1', metadata_version: '1', version: '1' });
    this.files.set(id, []);
    return id;
  }

  /** The mirror takes the source's metadata and file list; with `content`, the bytes too. */
  private copyFromSource(mirrorId: string, content: boolean): void {
    const mirror = this.getItem(mirrorId);
    const source = this.getItem(mirror.source_id!);
    for (const file of this.files.get(mirrorId) ?? []) this.blobs.delete(blobKey(mirrorId, file.name));
    const files = this.listFiles(source.id).map((file) => ({ ...file, cached: content }));
    if (content) for (const file of files) this.blobs.set(blobKey(mirrorId, file.name), this.fileBytes(source.id, file.name));
    this.files.set(mirrorId, files);
    Object.assign(mirror, {
      name: source.name,
      description: source.description,
      type: source.type,
      size: source.size,
      cached: content,
      content_version: source.content_version,
      metadata_version: source.metadata_version,
      last_modified_time: source.last_modified_time,
      last_sync_time: this.timestamp(),
    });
  }

  /**
   * Syncs one item's metadata, and its content too unless the library is on demand (then only
   * when forced, or when it was cached already), as `force_sync_content` says on vCenter.
   */
  syncItem(itemId: string, forceContent: boolean): void {
    const mirror = this.subscribedItem(itemId);
    if (!this.items.has(mirror.source_id ?? '')) {
      fail('not_found', 'com.vmware.vdcs.cls-main.source_item_not_found', `The published item library item '${itemId}' follows no longer exists.`, [itemId]);
    }
    const onDemand = this.getLibrary(mirror.library_id).subscription_info!.on_demand;
    this.copyFromSource(itemId, forceContent || !onDemand || mirror.cached);
  }

  /** Drops a subscribed item's cached bytes; only on-demand libraries may. */
  evictItem(itemId: string): void {
    const item = this.subscribedItem(itemId);
    this.requireOnDemand(item.library_id);
    this.evictContent(itemId);
  }

  evictLibrary(id: string): void {
    this.subscribedLibrary(id);
    this.requireOnDemand(id);
    for (const item of [...this.items.values()]) if (item.library_id === id) this.evictContent(item.id);
  }

  private evictContent(itemId: string): void {
    const files = this.files.get(itemId) ?? [];
    for (const file of files) this.blobs.delete(blobKey(itemId, file.name));
    this.files.set(itemId, files.map((file) => ({ ...file, cached: false })));
    this.getItem(itemId).cached = false;
  }

  private requireOnDemand(libraryId: string): void {
    if (!this.getLibrary(libraryId).subscription_info?.on_demand) {
      fail('not_allowed_in_current_state', 'com.vmware.vdcs.cls-main.evict_not_on_demand', `Library '${libraryId}' is not synchronized on demand: its content cannot be evicted.`, [libraryId]);
    }
  }

  private subscribedItem(itemId: string) {
    const item = this.getItem(itemId);
    if (this.getLibrary(item.library_id).type !== 'SUBSCRIBED') {
      fail('not_found', 'com.vmware.vdcs.cls-main.subscribed_item_not_found', `Library item '${itemId}' is not in a subscribed library.`, [itemId]);
    }
    return item;
  }

  /** A download of an uncached subscribed item fetches its content first, as vCenter does. */
  protected ensureCached(itemId: string): void {
    const item = this.getItem(itemId);
    if (!item.cached && item.source_id && this.items.has(item.source_id)) this.copyFromSource(itemId, true);
  }

  // ------------------------------------------------------------------ storage

  /** Where each of the item's files lives: the library's first backing, as a datastore URI. */
  itemStorage(itemId: string, fileName?: string): StorageInfo[] {
    const item = this.getItem(itemId);
    const backing = this.getLibrary(item.library_id).storage_backings[0]!;
    const base = this.backingUri(backing);
    const files = fileName === undefined ? this.listFiles(itemId) : [this.getFile(itemId, fileName)];
    return files.map((file) => ({
      storage_backing: { ...backing },
      storage_uris: file.cached ? [`${base}contentlib-${item.library_id}/${itemId}/${file.name}`] : [],
      checksum_info: { ...file.checksum_info },
      name: file.name,
      size: file.size,
      cached: file.cached,
      version: file.version,
    }));
  }

  private backingUri(backing: StorageBacking): string {
    if (backing.type !== 'DATASTORE') return backing.storage_uri!.replace(/\/?$/, '/');
    const datastore = this.registry.get(new MoRef('Datastore', backing.datastore_id!)) as { info?: DataObject } | undefined;
    return String(datastore?.info?.url ?? `ds:///vmfs/volumes/${backing.datastore_id}/`);
  }
}

function notOfType(id: string, type: 'LOCAL' | 'SUBSCRIBED'): never {
  fail('not_found', 'com.vmware.vdcs.cls-main.library_not_found', `${type === 'LOCAL' ? 'Local' : 'Subscribed'} library with identifier '${id}' does not exist.`, [id]);
}
