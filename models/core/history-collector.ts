import { faults } from './fault.js';
import { ManagedObject, type CallContext } from './managed-object.js';
import type { DataObject } from './moref.js';

const defaultPageSize = 10;
const maxPageSize = 1000;

/**
 * A history collector's "scrollable view" over the items its filter selects (events or tasks,
 * oldest first): `latestPage` is the newest `pageSize` of them (newest first), the read position
 * starts just before that page, ReadNext moves it towards the newest, ReadPrevious towards the
 * oldest, each page read oldest first.
 */
export abstract class HistoryCollector extends ManagedObject {
  /** latestPage is computed from the instance's events or tasks: collectors re-read it on every check. */
  override readonly volatile = true;
  private pageSize = defaultPageSize;
  private position: number;
  onDestroy: () => void = () => {};

  constructor(
    readonly filter: DataObject,
    /** The items `filter` selects, oldest first; with `newest`, only that many of the newest. */
    private readonly source: (filter: DataObject, newest?: number) => DataObject[],
  ) {
    super();
    this.position = this.latestPageStart();
  }

  override read(name: string, ctx: CallContext): unknown {
    // Newest first, as vCenter pages them (the API calls the page unordered; govmomi's event tailer counts on this order).
    if (name === 'latestPage') return this.source(this.filter, this.pageSize).reverse();
    return super.read(name, ctx);
  }

  SetCollectorPageSize(ctx: CallContext, { maxCount }: { maxCount: number }): void {
    if (!(maxCount > 0 && maxCount <= maxPageSize)) throw faults.invalidArgument('maxCount');
    this.pageSize = maxCount;
    ctx.vc.registry.changed(this);
  }

  RewindCollector(): void {
    this.position = 0;
  }

  ResetCollector(): void {
    this.position = this.latestPageStart();
  }

  DestroyCollector(): void {
    this.onDestroy();
  }

  protected readNext(maxCount: number): DataObject[] {
    const page = this.items().slice(this.position, this.position + this.checkCount(maxCount));
    this.position += page.length;
    return page;
  }

  protected readPrevious(maxCount: number): DataObject[] {
    const start = Math.max(0, this.position - this.checkCount(maxCount));
    const page = this.items().slice(start, this.position);
    this.position = start;
    return page;
  }

  private items(): DataObject[] {
    return this.source(this.filter);
  }

  private latestPageStart(): number {
    return Math.max(0, this.items().length - this.pageSize);
  }

  private checkCount(maxCount: number): number {
    if (!(maxCount > 0)) throw faults.invalidArgument('maxCount');
    return Math.min(maxCount, maxPageSize);
  }
}

export class EventHistoryCollector extends HistoryCollector {
  ReadNextEvents(_ctx: CallContext, { maxCount }: { maxCount: number }): DataObject[] {
    return this.readNext(maxCount);
  }

  ReadPreviousEvents(_ctx: CallContext, { maxCount }: { maxCount: number }): DataObject[] {
    return this.readPrevious(maxCount);
  }
}

export class TaskHistoryCollector extends HistoryCollector {
  ReadNextTasks(_ctx: CallContext, { maxCount }: { maxCount: number }): DataObject[] {
    return this.readNext(maxCount);
  }

  ReadPreviousTasks(_ctx: CallContext, { maxCount }: { maxCount: number }): DataObject[] {
    return this.readPrevious(maxCount);
  }
}
