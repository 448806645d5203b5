/** `vcctl tasks [--follow]`: recent tasks, oldest first; --follow prints each state change. */
import type { Command } from 'commander';
import type { TaskInfo } from '../../vim25.js';
import type { RunContext } from '../context.js';
import { showHistory } from '../history.js';
import { examples } from '../program.js';
import { integer } from './vm.js';

export const TASK_FIELDS = ['id', 'time', 'operation', 'entity', 'state', 'progress', 'user', 'error'] as const;

export function registerTasks(program: Command, ctx: RunContext): void {
  examples(
    program
      .command('tasks')
      .description(`recent tasks, oldest first; --follow prints each task as it changes state, until Ctrl-C (fields: ${TASK_FIELDS.join(', ')})`)
      .option('-n, --limit <n>', 'how many recent tasks', integer('--limit'), 25)
      .option('-f, --follow', 'keep printing task changes'),
    ['vcctl tasks', 'vcctl tasks --follow', "vcctl tasks -o json | jq 'select(.state==\"error\")'"],
  ).action(async (options: { limit: number; follow?: boolean }) => {
    const client = await ctx.vim();
    const collector = await client.call(client.serviceContent.taskManager!, 'CreateCollectorForTasks', { filter: {} });
    await client.call(collector, 'SetCollectorPageSize', { maxCount: options.limit });
    await showHistory<TaskInfo>(ctx, client, {
      collector,
      key: (t) => `${t.key}:${t.state}`,
      order: (t) => t.queueTime,
      row: (t) => ({
        id: t.key,
        time: t.completeTime ?? t.startTime ?? t.queueTime,
        operation: t.descriptionId,
        entity: t.entityName,
        state: t.state,
        progress: t.progress,
        user: (t.reason as { userName?: string } | undefined)?.userName,
        error: t.error?.localizedMessage,
      }),
      columns: TASK_FIELDS,
      widths: [10, 24, 28, 16, 8, 8, 10],
    }, Boolean(options.follow));
  });
}
