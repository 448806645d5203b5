import { randomUUID } from 'node:crypto';
import { faults } from './fault.js';
import { ManagedObject, type CallContext } from './managed-object.js';
import { MoRef, type DataObject } from './moref.js';
import { PropertyFilter } from './property-filter.js';
import { Retrieval, missingProperty, type PropertyFilterSpec } from './property-retrieval.js';

interface RetrieveOptions {
  maxObjects?: number;
}
interface WaitOptions {
  maxWaitSeconds?: number;
  maxObjectUpdates?: number;
}
type WaitOutcome = 'changed' | 'timeout' | 'canceled';

/**
 * The PropertyCollector: retrieval (with paging), filters and their updates (WaitForUpdatesEx
 * long-polls until the registry reports a change). One lives per session, as in vCenter.
 */
export class PropertyCollector extends ManagedObject {
  private readonly filters = new Map<string, PropertyFilter>();
  /** Paged retrieval results not yet fetched, by token. */
  private readonly pages = new Map<string, { rest: DataObject[]; pageSize: number }>();
  private readonly waiters = new Set<(outcome: WaitOutcome) => void>();
  private version = 0;

  override read(name: string, ctx: CallContext): unknown {
    if (name === 'filter') return [...this.filters.values()].map((f) => f.self);
    return super.read(name, ctx);
  }

  RetrieveProperties(ctx: CallContext, { specSet }: { specSet?: PropertyFilterSpec[] }): DataObject[] {
    return this.retrieve(ctx, specSet ?? []);
  }

  RetrievePropertiesEx(ctx: CallContext, { specSet, options }: { specSet?: PropertyFilterSpec[]; options?: RetrieveOptions }) {
    const objects = this.retrieve(ctx, specSet ?? []);
    return this.page(objects, options?.maxObjects);
  }

  ContinueRetrievePropertiesEx(_ctx: CallContext, { token }: { token: string }) {
    const pending = this.pages.get(token);
    if (!pending) throw faults.invalidArgument('token');
    this.pages.delete(token);
    return this.page(pending.rest, pending.pageSize);
  }

  CancelRetrievePropertiesEx(_ctx: CallContext, { token }: { token: string }): void {
    if (!this.pages.delete(token)) throw faults.invalidArgument('token');
  }

  CreateFilter(ctx: CallContext, { spec, partialUpdates }: { spec: PropertyFilterSpec; partialUpdates: boolean }): MoRef {
    new Retrieval(ctx, spec).objects(); // the spec's faults (InvalidProperty, ManagedObjectNotFound) come now, not later
    const session = ctx.session!;
    const filter = new PropertyFilter(spec, partialUpdates, this.self, (f) => this.removeFilter(ctx, f));
    filter.self = new MoRef('PropertyFilter', session.newObjectId());
    session.objects.set(filter.self.value, filter);
    this.filters.set(filter.self.value, filter);
    ctx.vc.registry.changed(this);
    return filter.self;
  }

  CreatePropertyCollector(ctx: CallContext): MoRef {
    const session = ctx.session!;
    const collector = new PropertyCollector();
    collector.self = new MoRef('PropertyCollector', session.newObjectId());
    session.objects.set(collector.self.value, collector);
    return collector.self;
  }

  DestroyPropertyCollector(ctx: CallContext): void {
    if (this.self.value === (ctx.vc.content.propertyCollector as MoRef).value) {
      throw faults.invalidArgument('_this', 'The default property collector cannot be destroyed');
    }
    this.dispose();
    ctx.session?.objects.delete(this.self.value);
    for (const filter of this.filters.values()) ctx.session?.objects.delete(filter.self.value);
  }

  async WaitForUpdatesEx(ctx: CallContext, { version, options }: { version?: string; options?: WaitOptions }) {
    const maxWait = options?.maxWaitSeconds;
    return this.waitForUpdates(ctx, version, maxWait === undefined ? Infinity : maxWait * 1000);
  }

  async WaitForUpdates(ctx: CallContext, { version }: { version?: string }) {
    return this.waitForUpdates(ctx, version, Infinity);
  }

  CheckForUpdates(ctx: CallContext, { version }: { version?: string }) {
    this.checkVersion(version);
    return this.collectUpdates(ctx);
  }

  CancelWaitForUpdates(): void {
    for (const wake of [...this.waiters]) wake('canceled');
  }

  /** Ends pending waits when the collector or its session goes away. */
  dispose(): void {
    this.CancelWaitForUpdates();
    this.filters.clear();
    this.pages.clear();
  }

  private retrieve(ctx: CallContext, specSet: PropertyFilterSpec[]): DataObject[] {
    if (!ctx.session) return specSet.flatMap((spec) => unauthenticated(ctx, spec));
    const contents: DataObject[] = [];
    for (const spec of specSet) {
      const retrieval = new Retrieval(ctx, spec);
      const { found, missing } = retrieval.objects();
      for (const obj of found.values()) {
        const missingSet: DataObject[] = [];
        const propSet = retrieval.properties(obj, missingSet);
        if (propSet) contents.push({ _type: 'ObjectContent', obj: obj.self, propSet, ...(missingSet.length ? { missingSet } : {}) });
      }
      for (const obj of missing) {
        contents.push({ _type: 'ObjectContent', obj, missingSet: [missingProperty('', { _type: 'ManagedObjectNotFound', obj })] });
      }
    }
    return contents;
  }

  private page(objects: DataObject[], maxObjects: number | undefined): DataObject | undefined {
    if (objects.length === 0) return undefined;
    if (!maxObjects || maxObjects <= 0 || objects.length <= maxObjects) return { _type: 'RetrieveResult', objects };
    const token = randomUUID();
    this.pages.set(token, { rest: objects.slice(maxObjects), pageSize: maxObjects });
    return { _type: 'RetrieveResult', token, objects: objects.slice(0, maxObjects) };
  }

  private async waitForUpdates(ctx: CallContext, version: string | undefined, maxWaitMs: number) {
    this.checkVersion(version);
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const updates = this.collectUpdates(ctx);
      if (updates) return updates;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return undefined;
      const outcome = await this.waitForChange(ctx, remaining);
      if (outcome === 'canceled') throw faults.requestCanceled();
      if (outcome === 'timeout') return undefined;
    }
  }

  /** A version "" (or none) asks for everything again; any other must be one this collector gave. */
  private checkVersion(version: string | undefined): void {
    if (!version) {
      for (const filter of this.filters.values()) filter.restart();
      return;
    }
    const n = Number(version);
    if (!Number.isInteger(n) || n < 0 || n > this.version) throw faults.invalidCollectorVersion();
  }

  private collectUpdates(ctx: CallContext): DataObject | undefined {
    const filterSet: DataObject[] = [];
    for (const filter of this.filters.values()) {
      const update = filter.updates(ctx);
      if (update) filterSet.push(update);
    }
    if (filterSet.length === 0) return undefined;
    return { _type: 'UpdateSet', version: String(++this.version), filterSet, truncated: false };
  }

  private waitForChange(ctx: CallContext, ms: number): Promise<WaitOutcome> {
    return new Promise((resolve) => {
      const wake = (outcome: WaitOutcome) => {
        if (timer) clearTimeout(timer);
        stopListening();
        this.waiters.delete(wake);
        resolve(outcome);
      };
      const timer = Number.isFinite(ms) ? setTimeout(() => wake('timeout'), ms) : undefined;
      const stopListening = ctx.vc.registry.onChange(() => wake('changed'));
      this.waiters.add(wake);
    });
  }

  private removeFilter(ctx: CallContext, filter: PropertyFilter): void {
    this.filters.delete(filter.self.value);
    ctx.session?.objects.delete(filter.self.value);
    ctx.vc.registry.changed(this);
  }
}

/**
 * What vCenter answers a retrieval made without a session: the named objects (no traversal), the
 * properties anyone may read (System.Anonymous: ServiceInstance.content, the SessionManager's
 * currentSession and locales) with their values, every other requested property missing with
 * NotAuthenticated. pyVim's login stubs read `content.sessionManager.currentSession` this way.
 */
function unauthenticated(ctx: CallContext, spec: PropertyFilterSpec): DataObject[] {
  const types = ctx.vc.types;
  const retrieval = new Retrieval(ctx, spec);
  return (spec.objectSet ?? []).map(({ obj }) => {
    const paths = (spec.propSet ?? []).filter((p) => types.isSubtypeOf(obj.type, p.type)).flatMap((p) => p.pathSet ?? []);
    const target = ctx.vc.registry.get(obj);
    const propSet: DataObject[] = [];
    const missingSet: DataObject[] = [];
    for (const path of paths) {
      const anonymous = types.propType(obj.type, path.split('.')[0]!)?.privilege === 'System.Anonymous';
      if (!anonymous || !target) {
        missingSet.push(missingProperty(path, { _type: 'NotAuthenticated', object: obj, privilegeId: 'System.Read' }));
        continue;
      }
      const val = retrieval.read(target, path);
      if (val !== undefined) propSet.push({ name: path, val });
    }
    return { _type: 'ObjectContent', obj, ...(propSet.length ? { propSet } : {}), ...(missingSet.length ? { missingSet } : {}) };
  });
}
