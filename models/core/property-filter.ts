import { ManagedObject, type CallContext } from './managed-object.js';
import type { DataObject, MoRef } from './moref.js';
import { Retrieval, type PropertyFilterSpec } from './property-retrieval.js';

/** What a filter last reported of one object: property path → fingerprint of its value. */
type Reported = Map<string, string>;

/**
 * A PropertyFilter of a collector. It remembers what it last reported, so each WaitForUpdates
 * answers with exactly the objects that entered, left or changed since, and only the changed
 * properties.
 */
export class PropertyFilter extends ManagedObject {
  private readonly reported = new Map<string, Reported>();
  private objectSet = new Map<string, ManagedObject>();
  private lastSeq = -1;
  private lastStructureSeq = -1;

  constructor(
    readonly spec: PropertyFilterSpec,
    readonly partialUpdates: boolean,
    readonly owner: MoRef,
    private readonly onDestroy: (filter: PropertyFilter) => void,
  ) {
    super();
  }

  DestroyPropertyFilter(): void {
    this.onDestroy(this);
  }

  /** Forgets what was reported, so the next update reports every object as entering. */
  restart(): void {
    this.reported.clear();
    this.objectSet.clear();
    this.lastSeq = -1;
    this.lastStructureSeq = -1;
  }

  /** The PropertyFilterUpdate since the last call, or undefined when nothing changed. */
  updates(ctx: CallContext): DataObject | undefined {
    const registry = ctx.vc.registry;
    const retrieval = new Retrieval(ctx, this.spec);
    const structureChanged = registry.structureSeq !== this.lastStructureSeq;
    const objectSet: DataObject[] = [];
    let missing: MoRef[] = [];
    if (structureChanged) {
      const { found, missing: gone } = retrieval.objects();
      missing = gone;
      for (const [id, obj] of this.objectSet) if (!found.has(id)) objectSet.push(this.leave(obj));
      this.objectSet = found;
    }
    for (const obj of this.objectSet.values()) {
      const isNew = !this.reported.has(obj.self.value);
      const stale = isNew || obj.volatile || obj.changeSeq > this.lastSeq || (structureChanged && obj.dependsOnStructure);
      if (!stale) continue;
      const update = this.diff(retrieval, obj, isNew);
      if (update) objectSet.push(update);
    }
    this.lastSeq = registry.seq;
    this.lastStructureSeq = registry.structureSeq;
    if (objectSet.length === 0 && missing.length === 0) return undefined;
    const update: DataObject = { _type: 'PropertyFilterUpdate', filter: this.self, objectSet };
    if (missing.length) update.missingSet = missing.map((obj) => ({ _type: 'MissingObject', obj, fault: notFound(obj) }));
    return update;
  }

  private leave(obj: ManagedObject): DataObject {
    this.reported.delete(obj.self.value);
    return { _type: 'ObjectUpdate', kind: 'leave', obj: obj.self };
  }

  private diff(retrieval: Retrieval, obj: ManagedObject, isNew: boolean): DataObject | undefined {
    const missingSet: DataObject[] = [];
    const props = retrieval.properties(obj, missingSet) ?? [];
    const before = this.reported.get(obj.self.value) ?? new Map<string, string>();
    const after: Reported = new Map();
    const changeSet: DataObject[] = [];
    for (const { name, val } of props) {
      const fingerprint = JSON.stringify(val.value);
      after.set(name, fingerprint);
      if (before.get(name) !== fingerprint) changeSet.push({ _type: 'PropertyChange', name, op: 'assign', val });
    }
    for (const name of before.keys()) {
      if (!after.has(name)) changeSet.push({ _type: 'PropertyChange', name, op: 'assign' });
    }
    this.reported.set(obj.self.value, after);
    if (!isNew && changeSet.length === 0) return undefined;
    // What the caller may not read is told once, as the object enters.
    return { _type: 'ObjectUpdate', kind: isNew ? 'enter' : 'modify', obj: obj.self, changeSet, ...(isNew && missingSet.length ? { missingSet } : {}) };
  }
}

function notFound(obj: MoRef): DataObject {
  return { _type: 'LocalizedMethodFault', fault: { _type: 'ManagedObjectNotFound', obj }, localizedMessage: '' };
}
