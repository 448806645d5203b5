import { faults } from './fault.js';
import { ManagedObject } from './managed-object.js';
import { MoRef } from './moref.js';

type ChangeListener = () => void;

/**
 * The managed objects of one simulator instance, and the change sequence the PropertyCollector
 * reads: every change to a property goes through `changed()`, every add or remove bumps
 * `structureSeq` too.
 */
export class Registry {
  private readonly objects = new Map<string, ManagedObject>();
  private readonly byType = new Map<string, Set<ManagedObject>>();
  private readonly listeners = new Set<ChangeListener>();
  private notifyScheduled = false;
  private counter = 0;
  /** Bumped on every change. */
  seq = 0;
  /** Bumped when objects are added or removed, or move in the tree. */
  structureSeq = 0;
  /**
   * Bumped when the inventory tree itself changes shape (an entity added, removed or moved), not
   * when other objects come and go (tasks, sessions' views): what permissions propagate down.
   */
  treeSeq = 0;

  /** A fresh vcsim-style id: `${prefix}-${n}` from one counter shared by all types. */
  newId(prefix: string): string {
    return `${prefix}-${++this.counter}`;
  }

  /** Adds `obj` under a fresh id of `prefix` (`vm-42`). */
  addNew<T extends ManagedObject>(obj: T, type: string, prefix: string): T {
    return this.add(obj, type, this.newId(prefix));
  }

  add<T extends ManagedObject>(obj: T, type: string, value: string): T {
    obj.self = new MoRef(type, value);
    this.objects.set(value, obj);
    let set = this.byType.get(type);
    if (!set) this.byType.set(type, (set = new Set()));
    set.add(obj);
    this.structureChanged(obj);
    return obj;
  }

  remove(ref: MoRef): void {
    const obj = this.objects.get(ref.value);
    if (!obj) return;
    this.objects.delete(ref.value);
    this.byType.get(obj.self.type)?.delete(obj);
    this.structureChanged(obj);
  }

  get(ref: MoRef): ManagedObject | undefined {
    const obj = this.objects.get(ref.value);
    return obj && obj.self.type === ref.type ? obj : undefined;
  }

  /** The object `ref` names, or ManagedObjectNotFound. */
  require<T extends ManagedObject = ManagedObject>(ref: MoRef): T {
    const obj = this.get(ref);
    if (!obj) throw faults.managedObjectNotFound(ref);
    return obj as T;
  }

  byId(value: string): ManagedObject | undefined {
    return this.objects.get(value);
  }

  all(): ManagedObject[] {
    return [...this.objects.values()];
  }

  /** How many ids newId has handed out. */
  get idCounter(): number {
    return this.counter;
  }

  /**
   * Swaps the world for a restored one: the objects `isWorld` accepts give way to `objects`, and
   * the id counter goes back. The `replaced` ones count as changed and the tree as reshaped, so
   * each filter reports exactly what differs from what it last saw.
   */
  replaceWorld(objects: ManagedObject[], replaced: ManagedObject[], idCounter: number, isWorld: (obj: ManagedObject) => boolean): void {
    for (const obj of this.objects.values()) if (isWorld(obj)) this.objects.delete(obj.self.value);
    for (const obj of objects) this.objects.set(obj.self.value, obj);
    this.byType.clear();
    for (const obj of this.objects.values()) {
      let set = this.byType.get(obj.self.type);
      if (!set) this.byType.set(obj.self.type, (set = new Set()));
      set.add(obj);
    }
    this.counter = idCounter;
    this.structureSeq = ++this.seq;
    this.treeSeq++;
    for (const obj of replaced) obj.changeSeq = this.seq;
    this.scheduleNotify();
  }

  ofType<T extends ManagedObject = ManagedObject>(type: string): T[] {
    return [...(this.byType.get(type) ?? [])] as T[];
  }

  get size(): number {
    return this.objects.size;
  }

  /** Records that properties of `obj` changed, so collectors report them. */
  changed(obj: ManagedObject): void {
    obj.changeSeq = ++this.seq;
    this.scheduleNotify();
  }

  /** Records that the tree's shape changed around `obj` (added, removed, moved). */
  structureChanged(obj: ManagedObject): void {
    this.structureSeq = this.seq + 1;
    if (obj.inInventoryTree) this.treeSeq++;
    this.changed(obj);
  }

  /** Calls `listener` (batched, once per turn of the event loop) after changes. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private scheduleNotify(): void {
    if (this.notifyScheduled || this.listeners.size === 0) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      for (const listener of [...this.listeners]) listener();
    });
  }
}
