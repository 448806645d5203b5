/**
 * `wait`: polls (every 100 ms, with the runner's client) until objects match a filter in the
 * expected number, a task ends or reaches a state, or an event type is posted; fails at the timeout
 * saying what it saw last.
 */
import type { z } from 'zod';
import type { RunContext } from '../context.js';
import { AssertionFailure, countHolds, describeCount, listed } from '../assertions/failure.js';
import { describeQuery, objectsMatching } from '../assertions/objects.js';
import { eventsSince } from '../assertions/events.js';
import { readTasks } from '../assertions/tasks.js';
import { durationMs, type waitSchema } from '../schema.js';
import { resolveRef } from './resolve.js';

type Wait = z.output<typeof waitSchema>;

/** One look: undefined when the condition holds, else what was seen. */
type Check = () => Promise<string | undefined>;

export async function runWait(ctx: RunContext, wait: Wait, signal: AbortSignal): Promise<unknown> {
  const timeout = durationMs(wait.timeout, 30_000);
  const [what, expected, check] = await condition(ctx, wait);
  const deadline = Date.now() + timeout;
  for (;;) {
    const seen = await check();
    if (seen === undefined) return { waitedMs: timeout - (deadline - Date.now()) };
    if (Date.now() >= deadline || signal.aborted) throw new AssertionFailure(`wait for ${what} (${timeout} ms)`, expected, seen);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function condition(ctx: RunContext, wait: Wait): Promise<[string, string, Check]> {
  if (wait.objects) {
    const query = wait.objects;
    return [describeQuery(query), `count ${describeCount(query.count)}`, async () => {
      const found = await objectsMatching(ctx, query);
      return countHolds(found.length, query.count) ? undefined : `${found.length} (${listed(found.map((f) => f.name))})`;
    }];
  }
  if (wait.task !== undefined) {
    const ref = await resolveRef(ctx.probe, 'Task', wait.task, {}, 'task');
    const want = wait.state;
    return [`task ${ref.value}`, want ?? 'success or error', async () => {
      const [task] = await readTasks(ctx, [ref]);
      const done = want ? task?.state === want : task?.state === 'success' || task?.state === 'error';
      return done ? undefined : `${task?.state ?? 'no such task'}`;
    }];
  }
  const type = wait.event!;
  return [`event ${type}`, 'posted', async () => {
    const events = await eventsSince(ctx, ctx.stepsStartEvent);
    return events.some((e) => e.type === type) ? undefined : `not posted (${listed([...new Set(events.map((e) => e.type))])})`;
  }];
}
