/**
 * World state at run time: reset to the start, named snapshots and their restore, and the whole
 * world as a JSON document (GET/PUT /_sim/state, --state and --save-on-exit files).
 */
import { z } from 'zod';
import { VCenter } from '../../models/vcenter.js';
import { worldFromJson, WorldFormatError, worldToJson, type WorldJson } from '../../models/inventory/world-json.js';
import { adoptWorld, captureWorld, restoreWorld, type WorldSnapshot } from '../../models/core/world-state.js';

export const resetSchema = z
  .strictObject({
    keepRules: z.boolean().optional().describe('Keep the fault rules (default: removed)'),
    keepJournal: z.boolean().optional().describe('Keep the journal (default: cleared)'),
    endSessions: z.boolean().optional().describe('End every session too (default: sessions survive)'),
  })
  .describe('No body: rules and journal cleared, sessions kept');

export const restoreSchema = z.strictObject({
  endSessions: z.boolean().optional().describe('End every session too (default: sessions survive)'),
});

export const snapshotSpecSchema = z.strictObject({ name: z.string().min(1).max(200).describe('A name to recognise it by') });

export const snapshotInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  takenAt: z.string().describe('ISO 8601, the simulator clock'),
  objects: z.int().describe('Managed objects it holds'),
});

export const snapshotIdParams = z.strictObject({ id: z.string().min(1) });

export type ResetOptions = z.input<typeof resetSchema>;
export type SnapshotInfo = z.output<typeof snapshotInfoSchema>;

/** The TypeScript face of /_sim/reset, /_sim/snapshots and /_sim/state. */
export interface StateApi {
  /** Back to the start inventory and clock; fault rules and journal cleared unless kept. */
  reset(options?: ResetOptions): void;
  /** Takes a snapshot of the world now. */
  snapshot(name: string): SnapshotInfo;
  snapshots(): SnapshotInfo[];
  /** Makes the world what it was when snapshot `id` was taken; false if there is no such snapshot. */
  restore(id: string, options?: { endSessions?: boolean }): boolean;
  /** Forgets snapshot `id`; false if there is no such snapshot. */
  remove(id: string): boolean;
  /** The whole world as a JSON document. */
  save(): WorldJson;
  /** Makes the world the one `document` describes (WorldFormatError if it is not a world document). */
  load(document: unknown, options?: { endSessions?: boolean }): void;
}

/** What reset and restore ask of the rest of the control plane. */
export interface StateHooks {
  clearRules(): void;
  clearJournal(): void;
  endSessions(): void;
}

export class WorldStates implements StateApi {
  /** The start inventory: built afresh on the first reset (start-up pays nothing for it), or the world loaded at start. */
  private start?: WorldSnapshot;
  private readonly saved = new Map<string, { info: SnapshotInfo; snapshot: WorldSnapshot }>();
  private counter = 0;

  constructor(
    private readonly vc: VCenter,
    private readonly hooks: StateHooks,
  ) {}

  reset(options: ResetOptions = {}): void {
    const { keepRules, keepJournal, endSessions } = resetSchema.parse(options);
    this.start ??= adoptWorld(new VCenter(this.vc.options));
    this.apply(this.start, endSessions);
    this.vc.clockOffsetMs = 0;
    if (!keepRules) this.hooks.clearRules();
    if (!keepJournal) this.hooks.clearJournal();
  }

  /** The world as it is now is the start a reset goes back to (a world loaded from a file). */
  takeStartFromNow(): void {
    this.start = captureWorld(this.vc);
  }

  snapshot(name: string): SnapshotInfo {
    const snapshot = captureWorld(this.vc);
    const info = { id: `snapshot-${++this.counter}`, name, takenAt: this.vc.now().toISOString(), objects: snapshot.objects.length };
    this.saved.set(info.id, { info, snapshot });
    return info;
  }

  snapshots(): SnapshotInfo[] {
    return [...this.saved.values()].map((s) => s.info);
  }

  restore(id: string, options: { endSessions?: boolean } = {}): boolean {
    const saved = this.saved.get(id);
    if (!saved) return false;
    this.apply(saved.snapshot, options.endSessions);
    return true;
  }

  remove(id: string): boolean {
    return this.saved.delete(id);
  }

  save(): WorldJson {
    return worldToJson(this.vc);
  }

  load(document: unknown, options: { endSessions?: boolean } = {}): void {
    this.apply(worldFromJson(document), options.endSessions);
  }

  private apply(snapshot: WorldSnapshot, endSessions = false): void {
    restoreWorld(this.vc, snapshot);
    if (endSessions) this.hooks.endSessions();
  }
}

export { WorldFormatError };
