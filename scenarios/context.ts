/**
 * The state of one scenario run that steps and assertions share: the target simulator, the two
 * clients (the steps' one, and the runner's own for waits, probes and bookkeeping, whose calls
 * carry the runner's trace id and are left out of journal assertions and the timeline), the
 * variables, and the fault rules added by name.
 */
import { createHash } from 'node:crypto';
import type { VimClient } from '../client/index.js';
import type { JournalEntry } from '../simulator/index.js';
import type { SimTarget } from './sim/target.js';

export interface ExecResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export interface RunContext {
  file?: string;
  seed: number;
  target: SimTarget;
  /** The client the steps act with (the client under test's stand-in). */
  client: VimClient;
  /** The runner's own client (waits, assertions, bookkeeping). */
  probe: VimClient;
  runnerTrace: string;
  vars: Record<string, unknown>;
  /** Fault rule ids by the name the scenario gave them (kept after a clear, for journal assertions). */
  rules: Map<string, string>;
  /** Names of the rules added and not cleared yet. */
  activeRules: Set<string>;
  /** Journal seq before the first step: assertions look at calls after it. */
  stepsStartSeq: number;
  /** Event key before the first step. */
  stepsStartEvent: number;
  /** Journal seq ranges of the steps run so far, in the order they ended (for `during` and `trace: step`). */
  stepSeqs: { name: string; after: number; upTo: number; trace: string }[];
  /** The REST session of rest steps, made at the first one. */
  rest: { token?: string };
}

/** A W3C trace id (32 hex digits) from the seed and a label: the same run gives the same ids. */
export function traceId(seed: number, label: string): string {
  return createHash('sha256').update(`${seed}\0${label}`).digest('hex').slice(0, 32);
}

export const traceparentOf = (trace: string) => `00-${trace}-${trace.slice(0, 16)}-01`;

export const traceOfEntry = (entry: JournalEntry) => entry.traceparent?.split('-')[1];

/** Journal entries the scenario's steps caused: after `after`, not the runner's own calls. */
export async function stepCalls(ctx: RunContext, after = ctx.stepsStartSeq): Promise<JournalEntry[]> {
  return (await ctx.target.journal(after)).filter((e) => traceOfEntry(e) !== ctx.runnerTrace);
}
