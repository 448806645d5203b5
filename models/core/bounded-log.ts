/**
 * The newest `capacity` items, oldest first: pushing onto a full log drops the oldest, in
 * constant time (a ring), so a history of 100,000 costs no more per push than one of 10.
 */
export class BoundedLog<T> {
  private items: T[] = [];
  /** Index of the oldest item once the ring is full. */
  private start = 0;
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  /** A log holding `items` (oldest first, at most `capacity`), taking the array over. */
  static from<T>(capacity: number, items: T[]): BoundedLog<T> {
    const log = new BoundedLog<T>(capacity);
    if (items.length > log.capacity) items.splice(0, items.length - log.capacity);
    log.items = items;
    return log;
  }

  /** The items, oldest first. */
  toArray(): T[] {
    return this.filter(() => true);
  }

  get length(): number {
    return this.items.length;
  }

  /** A log of `capacity` holding the newest of these items. */
  resized(capacity: number): BoundedLog<T> {
    return BoundedLog.from(capacity, this.toArray());
  }

  /** Appends `item`; returns the item it pushed out, if the log was full. */
  push(item: T): T | undefined {
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return undefined;
    }
    const dropped = this.items[this.start];
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    return dropped;
  }

  last(): T | undefined {
    const n = this.items.length;
    return n === 0 ? undefined : this.items[(this.start + n - 1) % n];
  }

  /** The items `keep` accepts, oldest first; with `max`, only the newest `max` of them (found newest first, so a short page of a long log is quick). */
  filter(keep: (item: T) => boolean, max = Infinity): T[] {
    const { items, start } = this;
    const n = items.length;
    const found: T[] = [];
    if (max >= n) {
      for (let i = start; i < n; i++) if (keep(items[i]!)) found.push(items[i]!);
      for (let i = 0; i < start; i++) if (keep(items[i]!)) found.push(items[i]!);
      return found;
    }
    for (let k = n - 1; k >= 0 && found.length < max; k--) {
      const item = items[(start + k) % n]!;
      if (keep(item)) found.push(item);
    }
    return found.reverse();
  }
}
