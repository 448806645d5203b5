/**
 * The journal of one simulator instance: every API call, newest last, in a bounded ring buffer.
 * It lives in simulator/ rather than models/ because it records the wire (API, HTTP status,
 * duration), not the simulated world. Recording stores the call object the adapter already made;
 * the JSON view is built only when someone reads.
 */
import type { ApiCall } from '../faults/call.js';
import { globMatcher, type Matcher } from '../faults/glob.js';
import { Coverage, type CoverageReport } from './coverage.js';
import type { JournalEntry, JournalFilter } from './schemas.js';

/** The TypeScript face of the journal, the same operations as /_sim/journal, its stream and /_sim/coverage. */
export interface JournalApi {
  /** Matching calls, oldest first; with `limit`, the newest that many. */
  entries(filter?: JournalFilter): JournalEntry[];
  /** Calls `listener` with each matching call as it is recorded; returns the function that stops it. */
  follow(listener: (entry: JournalEntry) => void, filter?: Omit<JournalFilter, 'since' | 'limit'>): () => void;
  /** Methods and routes called since the last clear, with counts, and those not implemented. */
  coverage(): CoverageReport;
  /** Forgets every call (coverage too). */
  clear(): void;
}

export class Journal implements JournalApi {
  private readonly ring: (ApiCall | undefined)[];
  private next = 0;
  private seq = 0;
  private readonly counts = new Coverage();
  /** Followers (SSE streams, the trace file): none on the hot path unless someone follows. */
  private listeners: ((call: ApiCall) => void)[] = [];

  constructor(readonly capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`journal size must be a positive integer, got ${capacity}`);
    this.ring = new Array<ApiCall | undefined>(capacity).fill(undefined);
  }

  /** The sequence number of the next call. */
  nextSeq(): number {
    return ++this.seq;
  }

  record(call: ApiCall): void {
    this.ring[this.next] = call;
    this.next = (this.next + 1) % this.capacity;
    this.counts.count(call);
    for (const listener of this.listeners) listener(call);
  }

  follow(listener: (entry: JournalEntry) => void, filter: Omit<JournalFilter, 'since' | 'limit'> = {}): () => void {
    const keep = compileFilter(filter);
    const follower = (call: ApiCall) => {
      if (keep(call)) listener(entryOf(call));
    };
    this.listeners = [...this.listeners, follower]; // a copy: a listener may stop following while others are told
    return () => {
      this.listeners = this.listeners.filter((l) => l !== follower);
    };
  }

  coverage(): CoverageReport {
    return this.counts.report();
  }

  entries(filter: JournalFilter = {}): JournalEntry[] {
    const keep = compileFilter(filter);
    const found: ApiCall[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const call = this.ring[(this.next + i) % this.capacity];
      if (call && keep(call)) found.push(call);
    }
    // Calls are recorded when they end: order by arrival, as the seq says.
    found.sort((a, b) => a.seq - b.seq);
    const limited = filter.limit !== undefined ? found.slice(-filter.limit) : found;
    return limited.map(entryOf);
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.counts.clear();
  }
}

function compileFilter(filter: JournalFilter): (call: ApiCall) => boolean {
  const glob = (pattern: string | undefined): Matcher | undefined => (pattern === undefined ? undefined : globMatcher(pattern));
  const method = glob(filter.method);
  const moid = glob(filter.moid);
  const user = glob(filter.user);
  const since = filter.since === undefined ? undefined : new Date(filter.since).getTime();
  return (call) =>
    (filter.api === undefined || call.api === filter.api) &&
    (filter.outcome === undefined || call.outcome === filter.outcome) &&
    (!method || method(call.method)) &&
    (!moid || moid(call.moid)) &&
    (!user || user(call.user)) &&
    (since === undefined || call.time >= since);
}

/** The JSON view of a recorded call, fields in a readable order, absent ones left out. */
export function entryOf(call: ApiCall): JournalEntry {
  const entry: Record<string, unknown> = { seq: call.seq, time: new Date(call.time).toISOString(), api: call.api, method: call.method };
  const put = (key: string, value: unknown) => {
    if (value !== undefined) entry[key] = value;
  };
  put('path', call.path);
  put('type', call.type);
  put('moid', call.moid);
  put('entityName', call.entityName);
  put('user', call.user);
  put('session', call.session);
  entry.outcome = call.outcome === 'pending' ? 'abandoned' : call.outcome;
  put('fault', call.fault);
  entry.status = call.status;
  entry.durationMs = Math.round(call.durationMs * 1000) / 1000;
  put('rules', call.rules && [...call.rules]);
  put('traceparent', call.traceparent);
  put('operationId', call.operationId);
  return entry as JournalEntry;
}
