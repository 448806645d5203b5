import type { CallContext } from './managed-object.js';
import { ManagedObject } from './managed-object.js';
import type { MoRef } from './moref.js';
import type { Registry } from './registry.js';

/** The inventory's children relation, as container views walk it. */
export function childrenOf(obj: ManagedObject): MoRef[] {
  const o = obj as unknown as Record<string, MoRef | MoRef[] | undefined>;
  const list = (...values: (MoRef | MoRef[] | undefined)[]): MoRef[] =>
    values.flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
  switch (obj.self.type) {
    case 'Folder':
      return list(o.childEntity);
    case 'Datacenter':
      return list(o.vmFolder, o.hostFolder, o.datastoreFolder, o.networkFolder);
    case 'ComputeResource':
    case 'ClusterComputeResource':
      return list(o.host, o.resourcePool);
    case 'ResourcePool':
    case 'VirtualApp':
      return list(o.resourcePool, o.vm);
    case 'HostSystem':
      return list(o.vm);
    default:
      return [];
  }
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

  override read(name: string, ctx: CallContext): unknown {
    if (name === 'view') return this.contents(ctx);
    return super.read(name, ctx);
  }

  private contents(ctx: CallContext): MoRef[] {
    const { registry, types } = ctx.vc;
    const root = registry.get(this.container);
    if (!root) return [];
    const matches = (ref: MoRef) => this.type.length === 0 || this.type.some((t) => types.isSubtypeOf(ref.type, t));
    const seen = new Set<string>();
    const view: MoRef[] = [];
    const walk = (obj: ManagedObject): void => {
      for (const child of childrenOf(obj)) {
        if (seen.has(child.value)) continue;
        seen.add(child.value);
        if (matches(child)) view.push(child);
        const next = this.recursive ? registry.get(child) : undefined;
        if (next) walk(next);
      }
    };
    walk(root);
    return view;
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
