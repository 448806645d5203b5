/**
 * Snapshots of the world: every managed object but the session-bound services, the registry's id
 * counter and the REST-side stores (tags, libraries). A snapshot holds deep copies, so the live
 * world can change, and be restored from it, any number of times without touching it.
 *
 * Restoring copies back only what changed since the snapshot was taken or last restored: every
 * change goes through registry.changed(), so an object still at the change it had then is still
 * equal to its copy. That keeps resets of a large world fast when a test changed a few objects.
 *
 * Sessions are not part of the world: they survive a restore, and so do their collectors, filters
 * and views, which see the restored objects in their next update.
 */
import { BoundedLog } from './bounded-log.js';
import { ManagedObject } from './managed-object.js';
import type { World } from './world.js';

export interface WorldSnapshot {
  /** Copies of the registry's objects, the session-bound services left out. */
  objects: ManagedObject[];
  /** The registry's id counter, so ids handed out after a restore are those handed out after the capture. */
  idCounter: number;
  /** Copies of the stores' data (vc.stores), by store name. */
  stores: Record<string, object>;
  /** For each copy, the live object known equal to it, and that object's changeSeq then. */
  twins?: Map<ManagedObject, { live: ManagedObject; changeSeq: number }>;
}

/** Services whose state belongs to the sessions, not to the world: never captured or replaced. */
const sessionBound = new Set(['SessionManager', 'PropertyCollector', 'ViewManager']);

export function isWorldObject(obj: ManagedObject): boolean {
  return !sessionBound.has(obj.self.type);
}

export function captureWorld(vc: World): WorldSnapshot {
  const copy = deepCopier();
  const twins = new Map<ManagedObject, { live: ManagedObject; changeSeq: number }>();
  const objects = vc.registry.all().filter(isWorldObject).map((live) => {
    const saved = copy(live);
    twins.set(saved, { live, changeSeq: live.changeSeq });
    return saved;
  });
  return { objects, idCounter: vc.registry.idCounter, stores: storesData(vc.stores, copy), twins };
}

/**
 * A snapshot whose objects are those of `pristine`, a world nobody else uses (a fresh build of
 * the same options): its objects are taken over, not copied.
 */
export function adoptWorld(pristine: World): WorldSnapshot {
  return { objects: pristine.registry.all().filter(isWorldObject), idCounter: pristine.registry.idCounter, stores: storesData(pristine.stores, deepCopier()) };
}

/** Makes the live world equal to `snapshot`, which stays as it is, to be restored again. */
export function restoreWorld(vc: World, snapshot: WorldSnapshot): void {
  const twins = (snapshot.twins ??= new Map());
  const kept = new Map<ManagedObject, ManagedObject>();
  for (const saved of snapshot.objects) {
    const twin = twins.get(saved);
    if (twin && vc.registry.byId(saved.self.value) === twin.live && twin.live.changeSeq === twin.changeSeq) kept.set(saved, twin.live);
  }
  const staying = new Set(kept.values());
  for (const task of vc.registry.ofType<ManagedObject & { stopPending?: () => void }>('Task')) {
    if (!staying.has(task)) task.stopPending?.(); // a task running in a world that is going away
  }
  const copy = deepCopier(kept);
  const restored = snapshot.objects.map((saved) => kept.get(saved) ?? copy(saved));
  const replaced = restored.filter((obj, i) => obj !== kept.get(snapshot.objects[i]!));
  for (const obj of replaced) obj.linkShared();
  vc.registry.replaceWorld(restored, replaced, snapshot.idCounter, isWorldObject);
  snapshot.objects.forEach((saved, i) => twins.set(saved, { live: restored[i]!, changeSeq: restored[i]!.changeSeq }));
  for (const [name, live] of Object.entries(vc.stores)) {
    const saved = snapshot.stores[name];
    if (saved) Object.assign(live, storesData({ [name]: saved }, copy)[name]);
  }
}

/**
 * A deep copier. Copied: arrays, Maps, Sets, bounded logs, plain objects and managed objects (prototype kept;
 * `known` maps a managed object to the one its copies should point at instead). Shared: frozen
 * objects, morefs, dates and Typed values (never changed in place), functions, and other class
 * instances (the registry, timers), which are not world data.
 */
export function deepCopier(known: Map<ManagedObject, ManagedObject> = new Map()): <T>(value: T) => T {
  // Only managed objects are memoised (they point at each other: a snapshot's owner VM); the data
  // below them is a tree, and a memo over its hundreds of thousands of nodes would cost more than the copy.
  const memo = new Map(known);
  const copy = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
    if (Array.isArray(value)) {
      const out = new Array(value.length);
      for (let i = 0; i < value.length; i++) out[i] = copy(value[i]);
      return out;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return copyOwn(value, {});
    if (value instanceof ManagedObject) {
      const done = memo.get(value);
      if (done) return done;
      const out = Object.create(proto) as ManagedObject;
      memo.set(value, out);
      return copyOwn(value, out);
    }
    if (value instanceof Map) return new Map([...value].map(([key, item]) => [key, copy(item)]));
    if (value instanceof BoundedLog) return BoundedLog.from(value.capacity, value.toArray().map(copy));
    if (value instanceof Set) return new Set([...value].map(copy));
    return value;
  };
  const copyOwn = <T extends object>(value: object, out: T): T => {
    for (const key of Object.keys(value)) (out as Record<string, unknown>)[key] = copy((value as Record<string, unknown>)[key]);
    return out;
  };
  return copy as <T>(value: T) => T;
}

/** Copies of the stores' data fields: Maps, Sets, arrays, plain values; not the registry they point at. */
function storesData(stores: Record<string, object>, copy: <T>(value: T) => T): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [name, store] of Object.entries(stores)) {
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(store)) if (isData(value)) data[key] = copy(value);
    out[name] = data;
  }
  return out;
}

function isData(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function';
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || Array.isArray(value) || value instanceof Map || value instanceof Set;
}
