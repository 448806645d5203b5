import type { CallContext } from './managed-object.js';
import { ManagedObject } from './managed-object.js';
import type { MoRef } from './moref.js';
import type { Registry } from './registry.js';

/** The properties holding an object's children in the inventory tree, as container views walk it. */
const childProperties: Record<string, readonly string[]> = {
  Folder: ['childEntity'],
  Datacenter: ['vmFolder', 'hostFolder', 'datastoreFolder', 'networkFolder'],
  ComputeResource: ['host', 'resourcePool'],
  ClusterComputeResource: ['host', 'resourcePool'],
  ResourcePool: ['resourcePool', 'vm'],
  VirtualApp: ['resourcePool', 'vm'],
  HostSystem: ['vm'],
};

export function childrenOf(obj: ManagedObject): MoRef[] {
  const children: MoRef[] = [];
  const fields = obj as unknown as Record<string, MoRef | MoRef[] | undefined>;
  for (const name of childProperties[obj.self.type] ?? []) {
    const value = fields[name];
    if (Array.isArray(value)) for (const ref of value) children.push(ref);
    else if (value !== undefined) children.push(value);
  }
  return children;
}

/**
 * The entities below `root` in the children relation, each once, parents before children: its
 * children only, or with `deep` the whole subtree.
 */
export function descendants(registry: Registry, root: ManagedObject, deep: boolean): MoRef[] {
  const seen = new Set<string>();
  const found: MoRef[] = [];
  const walk = (obj: ManagedObject): void => {
    for (const child of childrenOf(obj)) {
      if (seen.has(child.value)) continue;
      seen.add(child.value);
      found.push(child);
      const next = deep ? registry.get(child) : undefined;
      if (next) walk(next);
    }
  };
  walk(root);
  return found;
}

/**
 * The ids of the entities an event or task filter's `recursion` reaches from `root`: itself
 * ('self'), its direct children ('children', root included as vCenter does), or its whole subtree ('all').
 */
export function entitiesUnder(registry: Registry, root: MoRef, recursion: string): Set<string> {
  const start = registry.require(root);
  const ids = new Set<string>([root.value]);
  if (recursion === 'self') return ids;
  for (const ref of descendants(registry, start, recursion === 'all')) ids.add(ref.value);
  return ids;
}

/** Base of the session's views: `view` is their one property; DestroyView ends them. */
export abstract class View extends ManagedObject {
  onDestroy: () => void = () => {};

  DestroyView(ctx: CallContext): void {
    this.onDestroy();
    ctx.vc.registry.structureChanged(this);
  }

  dispose(): void {}
}

/** The objects of the given types under a container, computed on each read so it is always current. */
export class ContainerView extends View {
  override readonly dependsOnStructure = true;

  constructor(
    readonly container: MoRef,
    readonly type: string[],
    readonly recursive: boolean,
  ) {
    super();
  }

  /** The last contents computed, valid while the inventory keeps its shape. */
  private cached?: { structureSeq: number; view: MoRef[] };

  override read(name: string, ctx: CallContext): unknown {
    if (name !== 'view') return super.read(name, ctx);
    const structureSeq = ctx.vc.registry.structureSeq;
    if (this.cached?.structureSeq !== structureSeq) this.cached = { structureSeq, view: this.contents(ctx) };
    return this.visible(ctx, this.cached.view);
  }

  /** Once privileges are enforced, a view lists only what its session's user may see. */
  private visible(ctx: CallContext, view: MoRef[]): MoRef[] {
    const { access, registry } = ctx.vc;
    if (!access.enforced || !ctx.session) return view;
    return view.filter((ref) => {
      const obj = registry.get(ref);
      return obj !== undefined && access.sees(ctx, obj);
    });
  }

  private contents(ctx: CallContext): MoRef[] {
    const { registry, types } = ctx.vc;
    const root = registry.get(this.container);
    if (!root) return [];
    const matchesByType = new Map<string, boolean>();
    const matches = (ref: MoRef) => {
      let match = matchesByType.get(ref.type);
      if (match === undefined) {
        match = this.type.length === 0 || this.type.some((t) => types.isSubtypeOf(ref.type, t));
        matchesByType.set(ref.type, match);
      }
      return match;
    };
    return descendants(registry, root, this.recursive).filter(matches);
  }
}

/** A list of objects the client manages. */
export class ListView extends View {
  view: MoRef[] = [];

  ModifyListView(ctx: CallContext, { add, remove }: { add?: MoRef[]; remove?: MoRef[] }): MoRef[] {
    const removed = new Set((remove ?? []).map((r) => r.value));
    const { found, unresolved } = resolveAll(ctx.vc.registry, add ?? []);
    this.view = [...this.view.filter((r) => !removed.has(r.value)), ...found.filter((r) => !this.view.some((v) => v.value === r.value))];
    ctx.vc.registry.structureChanged(this);
    return unresolved;
  }

  ResetListView(ctx: CallContext, { obj }: { obj?: MoRef[] }): MoRef[] {
    return this.reset(ctx, obj ?? []);
  }

  ResetListViewFromView(ctx: CallContext, { view }: { view: MoRef }): void {
    const source = ctx.vc.resolve(view, ctx.session);
    this.reset(ctx, (source.read('view', ctx) as MoRef[] | undefined) ?? []);
  }

  reset(ctx: CallContext, refs: MoRef[]): MoRef[] {
    const { found, unresolved } = resolveAll(ctx.vc.registry, refs);
    this.view = found;
    ctx.vc.registry.structureChanged(this);
    return unresolved;
  }
}

/** The inventory as a tree the client opens folder by folder. */
export class InventoryView extends View {
  view: MoRef[];

  constructor(root: MoRef) {
    super();
    this.view = [root];
  }

  OpenInventoryViewFolder(ctx: CallContext, { entity }: { entity?: MoRef[] }): MoRef[] {
    const { found, unresolved } = resolveAll(ctx.vc.registry, entity ?? []);
    for (const ref of found) {
      for (const child of childrenOf(ctx.vc.registry.require(ref))) {
        if (!this.view.some((v) => v.value === child.value)) this.view.push(child);
      }
    }
    ctx.vc.registry.structureChanged(this);
    return unresolved;
  }

  CloseInventoryViewFolder(ctx: CallContext, { entity }: { entity?: MoRef[] }): MoRef[] {
    const { found, unresolved } = resolveAll(ctx.vc.registry, entity ?? []);
    const closing = new Set(found.flatMap((ref) => childrenOf(ctx.vc.registry.require(ref)).map((c) => c.value)));
    this.view = this.view.filter((v) => !closing.has(v.value));
    ctx.vc.registry.structureChanged(this);
    return unresolved;
  }
}

function resolveAll(registry: Registry, refs: MoRef[]): { found: MoRef[]; unresolved: MoRef[] } {
  const found: MoRef[] = [];
  const unresolved: MoRef[] = [];
  for (const ref of refs) (registry.get(ref) ? found : unresolved).push(ref);
  return { found, unresolved };
}
