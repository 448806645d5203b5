/**
 * PropertyCollector helpers: `retrieve` (RetrievePropertiesEx with paging), `find` (a container
 * view) and `watch` (WaitForUpdatesEx as an async iterator, on a collector of its own so watches
 * never see each other's filters; collectors are pooled per client).
 */
import type { CallOptions, ManagedTypeName, VimClient } from './client.js';
import { VimError, faultError } from './errors.js';
import type { ManagedTypes, MoRef, ObjectContent, ObjectUpdate, PropertyFilterSpec, RetrieveResult, TraversalSpec, UpdateSet } from './vim25.js';

/** The value at a dotted path of T (`config.hardware.numCPU` → number), `unknown` past what the types say. */
export type PathValue<O, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof NonNullable<O>
    ? PathValue<NonNullable<NonNullable<O>[Head]>, Rest>
    : unknown
  : P extends keyof NonNullable<O>
    ? NonNullable<O>[P]
    : unknown;

type PropsOf<T extends string> = T extends ManagedTypeName ? ManagedTypes[T]['props'] : Record<string, unknown>;

/**
 * One managed object: its reference and the properties asked for, keyed by path. A property the
 * server could not give (the missingSet: NoPermission, say) is absent, its error under `missing`.
 */
export type Retrieved<T extends string, P extends string> = { ref: MoRef<T>; missing?: Record<string, VimError> } & { [K in P]?: PathValue<PropsOf<T>, K> };

export interface PagedCallOptions extends CallOptions {
  /** Objects per page (RetrieveOptions.maxObjects); the rest comes by ContinueRetrievePropertiesEx. */
  pageSize?: number;
}

export interface FindOptions<P extends string> extends PagedCallOptions {
  paths?: readonly P[];
  /** Where the container view starts. Default: the root folder. */
  root?: MoRef;
  /** Look into sub-folders, datacenters, clusters... Default true. */
  recursive?: boolean;
}

function toRetrieved(content: ObjectContent): Retrieved<string, string> {
  const out: Record<string, unknown> = { ref: content.obj };
  for (const p of content.propSet ?? []) out[p.name] = p.val;
  if (content.missingSet?.length) {
    out.missing = Object.fromEntries(content.missingSet.map((m) => {
      const fault = m.fault?.fault as unknown as (Record<string, unknown> & { _type?: string }) | undefined;
      return [m.path, faultError(fault?._type ?? 'SystemError', m.fault?.localizedMessage ?? '', fault)];
    }));
  }
  return out as Retrieved<string, string>;
}

/** Every page of a RetrievePropertiesEx, ContinueRetrievePropertiesEx until there is no token. */
export async function retrieveContents(client: VimClient, specSet: PropertyFilterSpec[], options: PagedCallOptions = {}): Promise<ObjectContent[]> {
  const pc = client.serviceContent.propertyCollector;
  const all: ObjectContent[] = [];
  let page: RetrieveResult | undefined = await client.call(pc, 'RetrievePropertiesEx', { specSet, options: { maxObjects: options.pageSize } }, options);
  while (page) {
    all.push(...page.objects);
    if (!page.token) break;
    page = await client.call(pc, 'ContinueRetrievePropertiesEx', { token: page.token }, options);
  }
  return all;
}

/** The `paths` of each of `objects` (of one or several types), in the order the server answers. */
export async function retrieve<T extends string, P extends string>(
  client: VimClient,
  objects: MoRef<T> | readonly MoRef<T>[],
  paths: readonly P[],
  options: PagedCallOptions = {},
): Promise<Retrieved<T, P>[]> {
  const list = Array.isArray(objects) ? (objects as readonly MoRef<T>[]) : [objects as MoRef<T>];
  if (!list.length) return [];
  const types = [...new Set(list.map((o) => o.type))];
  const specSet: PropertyFilterSpec[] = [
    {
      objectSet: list.map((obj) => ({ obj })),
      propSet: types.map((type) => ({ type, pathSet: [...paths] })),
    },
  ];
  return (await retrieveContents(client, specSet, options)).map(toRetrieved) as Retrieved<T, P>[];
}

/** Every object of `type` under `root` (a container view), with the properties asked for. */
export async function find<T extends ManagedTypeName, P extends string = never>(client: VimClient, type: T, options: FindOptions<P> = {}): Promise<Retrieved<T, P>[]> {
  const view = await client.call(client.serviceContent.viewManager!, 'CreateContainerView', {
    container: (options.root ?? client.serviceContent.rootFolder) as MoRef<'ManagedEntity'>,
    type: [type],
    recursive: options.recursive ?? true,
  }, options);
  try {
    const specSet: PropertyFilterSpec[] = [
      {
        objectSet: [{ obj: view, skip: true, selectSet: [{ _type: 'TraversalSpec', name: 'view', type: 'ContainerView', path: 'view', skip: false } as TraversalSpec] }],
        propSet: [{ type, pathSet: [...(options.paths ?? [])] }],
      },
    ];
    return (await retrieveContents(client, specSet, options)).map(toRetrieved) as Retrieved<T, P>[];
  } finally {
    await client.call(view, 'DestroyView', {}, { ...options, signal: undefined }).catch(() => undefined);
  }
}

export interface WatchOptions extends CallOptions {
  /** How long one WaitForUpdatesEx waits on the server. Default 30 s. */
  maxWaitSeconds?: number;
}

/**
 * The updates of the filter `spec` as they happen: first the current state (ObjectUpdates of
 * kind `enter`), then each change. Ends when `signal` aborts (quietly) or a call fails (throws).
 *
 * Each watch has a property collector to itself, so concurrent watches (and waitForTask) never
 * see each other's filters. Collectors are pooled per client: a watch that ends cleanly destroys
 * its filter and hands the collector on, so a waitForTask costs CreateFilter, WaitForUpdatesEx and
 * DestroyPropertyFilter, as pyVmomi's does. One that ends in the middle of a long poll destroys it.
 */
export async function* watch(client: VimClient, spec: PropertyFilterSpec, options: WatchOptions = {}): AsyncGenerator<ObjectUpdate[], void, undefined> {
  let { collector, pooled } = await client.collectors.take(options);
  let filter: MoRef<'PropertyFilter'> | undefined;
  let inFlight = false;
  try {
    try {
      filter = await client.call(collector, 'CreateFilter', { spec, partialUpdates: false }, options);
    } catch (error) {
      // A pooled collector of a session that has since ended (and been logged in again): a new one.
      if (!(pooled && error instanceof VimError && error.family === 'not_found')) throw error;
      ({ collector, pooled } = await client.collectors.take(options, true));
      filter = await client.call(collector, 'CreateFilter', { spec, partialUpdates: false }, options);
    }
    let version = '';
    /** Recoveries since the last answer: a cancelled wait, then a new collector. */
    let recoveries = 0;
    const maxWaitSeconds = options.maxWaitSeconds ?? 30;
    for (;;) {
      let set: UpdateSet | undefined;
      inFlight = true;
      try {
        set = await client.call(collector, 'WaitForUpdatesEx', { version, options: { maxWaitSeconds } }, {
          ...options,
          // The long poll itself must not time out before the server's wait ends.
          timeoutMs: (options.timeoutMs ?? client.options.timeoutMs ?? 60_000) + maxWaitSeconds * 1000,
        });
      } catch (error) {
        if (error instanceof VimError && error.code === 'ABORTED') return;
        if (!(error instanceof VimError) || recoveries++ >= 2) throw error;
        // The server ended the wait (the session ended, say): waiting again tells what happened.
        if (error.faultType === 'RequestCanceled') continue;
        // The client logged in again and the old session's collector is gone: start over on a new
        // one, whose first update gives the current state again (kind `enter`).
        if (!(error.family === 'not_found' && sameRef(error.fault?.obj, collector))) throw error;
        ({ collector, pooled } = await client.collectors.take(options, true));
        filter = await client.call(collector, 'CreateFilter', { spec, partialUpdates: false }, options);
        version = '';
        continue;
      }
      recoveries = 0;
      inFlight = false;
      if (!set) continue;
      version = set.version;
      const objects = (set.filterSet ?? []).flatMap((f) => f.objectSet ?? []);
      if (objects.length) yield objects;
    }
  } finally {
    await client.collectors.give(collector, filter, !inFlight);
  }
}

/** Idle property collectors of one client's session, for watches to reuse. */
export class CollectorPool {
  private idle: MoRef<'PropertyCollector'>[] = [];

  constructor(
    private readonly client: VimClient,
    private readonly max = 4,
  ) {}

  /** An idle collector, or a new one (`fresh`: always new). */
  async take(options: CallOptions, fresh = false): Promise<{ collector: MoRef<'PropertyCollector'>; pooled: boolean }> {
    const idle = fresh ? undefined : this.idle.pop();
    if (idle) return { collector: idle, pooled: true };
    return { collector: await this.client.call(this.client.serviceContent.propertyCollector, 'CreatePropertyCollector', {}, options), pooled: false };
  }

  /** Back from a watch: pooled again when its filter is gone and no long poll is pending on it. */
  async give(collector: MoRef<'PropertyCollector'>, filter: MoRef<'PropertyFilter'> | undefined, clean: boolean): Promise<void> {
    if (clean && filter && this.idle.length < this.max) {
      const destroyed = await this.client.call(filter, 'DestroyPropertyFilter', {}, { retry: false }).then(() => true, () => false);
      if (destroyed) {
        this.idle.push(collector);
        return;
      }
    }
    await this.client.call(collector, 'DestroyPropertyCollector', {}, { retry: false }).catch(() => undefined);
  }

  /** Destroys the idle collectors: the client leaves, its session stays for another process. */
  async drain(): Promise<void> {
    const idle = this.idle;
    this.idle = [];
    await Promise.all(idle.map((c) => this.client.call(c, 'DestroyPropertyCollector', {}, { retry: false }).catch(() => undefined)));
  }

  /** Forgets the idle collectors (their session ended: a new login has none). */
  clear(): void {
    this.idle = [];
  }
}

function sameRef(a: unknown, b: MoRef): boolean {
  const ref = a as MoRef | undefined;
  return ref?.type === b.type && ref.value === b.value;
}

/** A filter spec for `paths` of `objects`. */
export function filterSpec(objects: readonly MoRef[], paths: readonly string[]): PropertyFilterSpec {
  const types = [...new Set(objects.map((o) => o.type))];
  return { objectSet: objects.map((obj) => ({ obj })), propSet: types.map((type) => ({ type, pathSet: [...paths] })) };
}
