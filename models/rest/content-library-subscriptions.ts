/**
 * A published library's subscriptions (`content/library/subscriptions`): the subscribed libraries
 * of this simulator a publisher knows and pushes to, made by the publisher (a new subscribed
 * library, or an existing one following it). Publishing names them by subscription id. Remote
 * vCenters are out of reach: a REMOTE location is refused. Part of ContentLibraryStore.
 */
import { LibrarySync, publishPath } from './content-library-sync.js';
import { fail, type StorageBacking } from './content-library-types.js';

export interface Subscription {
  subscription: string;
  publisher: string;
  library: string;
}

export interface SubscriptionSpec {
  target: 'CREATE_NEW' | 'USE_EXISTING';
  location: 'LOCAL' | 'REMOTE';
  subscribed_library?: string;
  new_subscribed_library?: { name: string; description?: string; storage_backings: StorageBacking[]; automatic_sync_enabled: boolean; on_demand: boolean };
}

export class LibrarySubscriptions extends LibrarySync {
  protected subscriptions = new Map<string, Subscription>();

  listSubscriptions(publisher: string): { subscription: string; subscribed_library: string; subscribed_library_name: string; subscribed_library_vcenter_hostname?: string }[] {
    this.localLibrary(publisher);
    return this.ofPublisher(publisher).map((s) => ({ subscription: s.subscription, subscribed_library: s.library, subscribed_library_name: this.getLibrary(s.library).name }));
  }

  getSubscription(publisher: string, id: string) {
    const found = this.subscription(publisher, id);
    const library = this.getLibrary(found.library);
    return { subscribed_library: library.id, subscribed_library_name: library.name, subscribed_library_location: 'LOCAL' };
  }

  /** A new subscribed library on the publisher's URL (at `origin`, this server), or an existing one that follows it. */
  createSubscription(publisher: string, spec: SubscriptionSpec, origin: string): string {
    const published = this.localLibrary(publisher);
    if (!published.publish_info?.published) fail('not_allowed_in_current_state', 'com.vmware.vdcs.cls-main.library_not_published', `Library '${publisher}' is not published.`, [publisher]);
    if (spec.location === 'REMOTE') fail('unsupported', 'com.vmware.vdcs.cls-main.remote_subscription', 'The simulator reaches no other vCenter: subscriptions are LOCAL.', ['location']);
    const library = spec.target === 'USE_EXISTING' ? this.existingSubscriber(publisher, spec.subscribed_library) : this.newSubscriber(publisher, spec, origin);
    const id = this.newUuid('subscription');
    this.subscriptions.set(id, { subscription: id, publisher, library });
    return id;
  }

  deleteSubscription(publisher: string, id: string): void {
    this.subscription(publisher, id);
    this.subscriptions.delete(id);
  }

  /** Publishing to named subscriptions syncs their libraries; with none named, every subscriber. */
  override publishLibrary(id: string, subscriptions?: string[]): void {
    const libraries = subscriptions?.map((sub) => this.subscription(id, sub).library);
    super.publishLibrary(id, libraries);
  }

  /** A library that goes ends the subscriptions it is in. */
  override deleteLibrary(id: string): void {
    super.deleteLibrary(id);
    for (const sub of [...this.subscriptions.values()]) if (sub.library === id || sub.publisher === id) this.subscriptions.delete(sub.subscription);
  }

  private existingSubscriber(publisher: string, libraryId: string | undefined): string {
    if (!libraryId) fail('invalid_argument', 'com.vmware.vdcs.cls-main.subscribed_library_required', 'USE_EXISTING needs subscribed_library.', ['subscribed_library']);
    const library = this.subscribedLibrary(libraryId);
    if (this.publisherId(library.subscription_info!.subscription_url) !== publisher) {
      fail('invalid_argument', 'com.vmware.vdcs.cls-main.not_a_subscriber', `Library '${libraryId}' does not subscribe to '${publisher}'.`, ['subscribed_library', libraryId]);
    }
    return libraryId;
  }

  private newSubscriber(publisher: string, spec: SubscriptionSpec, origin: string): string {
    const create = spec.new_subscribed_library;
    if (!create) fail('invalid_argument', 'com.vmware.vdcs.cls-main.new_library_required', 'CREATE_NEW needs new_subscribed_library.', ['new_subscribed_library']);
    const publish = this.getLibrary(publisher).publish_info!;
    return this.createSubscribedLibrary({
      name: create.name,
      description: create.description,
      storage_backings: create.storage_backings,
      subscription_info: {
        subscription_url: `${origin}${publishPath(publisher)}`,
        authentication_method: publish.authentication_method,
        password: publish.password,
        automatic_sync_enabled: create.automatic_sync_enabled,
        on_demand: create.on_demand,
      },
    });
  }

  private ofPublisher(publisher: string): Subscription[] {
    return [...this.subscriptions.values()].filter((s) => s.publisher === publisher);
  }

  private subscription(publisher: string, id: string): Subscription {
    this.getLibrary(publisher);
    const found = this.subscriptions.get(id);
    if (!found || found.publisher !== publisher) fail('not_found', 'com.vmware.vdcs.cls-main.subscription_not_found', `Subscription '${id}' of library '${publisher}' does not exist.`, [id]);
    return found;
  }
}
