/**
 * What a scenario runs against: an embedded simulator made for it, or one already running at a
 * URL. Both offer the same control operations (fault rules, journal, world actions), in-process
 * or over the control API.
 */
import type { FaultRuleInput, JournalEntry } from '../../simulator/index.js';
import type { worldActions } from '../schema.js';

export type WorldAction = (typeof worldActions)[number];

export interface SimTarget {
  /** The SDK URL, without credentials. */
  url: string;
  username: string;
  password: string;
  /** The control API's base URL (…/_sim). */
  controlUrl: string;
  addRule(rule: FaultRuleInput): Promise<string>;
  removeRule(id: string): Promise<void>;
  /** Every journal entry with a greater seq, oldest first. */
  journal(afterSeq: number): Promise<JournalEntry[]>;
  /** The seq of the newest journal entry (0 when none). */
  lastSeq(): Promise<number>;
  /** The newest event's key, read without an API call (embedded only: the runner's marks then stay out of fault rules' way). */
  latestEventKey?(): number;
  action(kind: WorldAction, args: Record<string, unknown>): Promise<unknown>;
  /** Ends an embedded simulator; leaves one at a URL running. */
  close(): Promise<void>;
}
