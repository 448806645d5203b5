/** Runs one `expect` entry: the kind it names, with its optional name for messages. */
import type { RunContext } from '../context.js';
import type { Assertion } from '../schema.js';
import { assertEvents } from './events.js';
import { assertExec } from './exec.js';
import { assertJournal } from './journal.js';
import { assertObjects } from './objects.js';
import { assertTasks } from './tasks.js';

export { AssertionFailure } from './failure.js';

export async function runAssertion(ctx: RunContext, assertion: Assertion): Promise<void> {
  const label = assertion.name;
  if (assertion.objects) return assertObjects(ctx, assertion.objects, label);
  if (assertion.events) return assertEvents(ctx, assertion.events, label);
  if (assertion.tasks) return assertTasks(ctx, assertion.tasks, label);
  if (assertion.exec) return assertExec(ctx, assertion.exec, label);
  if (assertion.journal) return assertJournal(ctx, assertion.journal, label);
}
