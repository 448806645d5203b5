/** Events posted since the steps began, read by QueryEvents on the runner's client. */
import { compileGlob } from '../../client/filter/index.js';
import { traceparentOf, type RunContext } from '../context.js';
import type { z } from 'zod';
import type { eventsAssertionSchema } from '../schema.js';
import { AssertionFailure, countHolds, describeCount, listed } from './failure.js';

export interface PostedEvent {
  key: number;
  type: string;
  /** Names and ids of the entities the event's arguments name (vm, host, computeResource, failedHost, ...). */
  entities: string[];
  message?: string;
}

export async function eventsSince(ctx: RunContext, afterKey: number): Promise<PostedEvent[]> {
  const manager = ctx.probe.serviceContent.eventManager!;
  const events = (await ctx.probe.callRaw(manager, 'QueryEvents', { filter: {} }, { traceparent: traceparentOf(ctx.runnerTrace) })) as Record<string, unknown>[] | undefined;
  return (events ?? [])
    .filter((e) => Number(e.key) > afterKey)
    .map((e) => ({
      key: Number(e.key),
      type: String(e._type),
      entities: Object.values(e).flatMap((value) => {
        // Entity arguments (vm, host, failedHost, ...) are {name, <moref>} objects.
        const arg = value as { name?: unknown; [k: string]: unknown } | undefined;
        if (!arg || typeof arg !== 'object' || typeof arg.name !== 'string') return [];
        const ref = Object.values(arg).find((v) => v && typeof v === 'object' && 'value' in (v as object)) as { value: string } | undefined;
        return [arg.name, ref?.value].filter((x): x is string => typeof x === 'string');
      }),
      message: typeof e.fullFormattedMessage === 'string' ? e.fullFormattedMessage : undefined,
    }))
    .sort((a, b) => a.key - b.key);
}

/** The newest event key now (0 when none). */
export async function latestEventKey(ctx: RunContext): Promise<number> {
  const manager = ctx.probe.serviceContent.eventManager!;
  const [props] = await ctx.probe.retrieve([manager], ['latestEvent'], { traceparent: traceparentOf(ctx.runnerTrace) });
  return Number((props as { latestEvent?: { key?: number } } | undefined)?.latestEvent?.key ?? 0);
}

type EventsAssertion = z.output<typeof eventsAssertionSchema>;

export async function assertEvents(ctx: RunContext, spec: EventsAssertion, label?: string): Promise<void> {
  const all = await eventsSince(ctx, ctx.stepsStartEvent);
  const entity = spec.entity === undefined ? undefined : compileGlob(spec.entity);
  const selected = all.filter((e) => (!spec.types || spec.types.includes(e.type)) && (!entity || e.entities.some((n) => entity(n))));
  const what = label ?? `events ${spec.types?.join(', ') ?? 'of any type'}${spec.entity ? ` on ${spec.entity}` : ''}`;
  if (!countHolds(selected.length, spec.count)) {
    throw new AssertionFailure(what, `count ${describeCount(spec.count)}`, `${selected.length} (${listed(selected.map((e) => e.type))})`);
  }
  if (spec.ordered && spec.types) {
    const firsts = spec.types.map((t) => selected.find((e) => e.type === t)?.key ?? Infinity);
    const inOrder = firsts.every((k, i) => k !== Infinity && (i === 0 || k > firsts[i - 1]!));
    if (!inOrder) {
      const seen = [...new Set(selected.map((e) => e.type))];
      throw new AssertionFailure(`${what} in order`, spec.types.join(' → '), seen.join(' → ') || 'none');
    }
  }
}
