/** `vcctl events [--type T] [--limit N] [--follow]`: vCenter's events, oldest first. */
import type { Command } from 'commander';
import type { Event, MoRef } from '../../vim25.js';
import type { RunContext } from '../context.js';
import { CliError } from '../errors.js';
import { showHistory } from '../history.js';
import { resolve } from '../inventory.js';
import { examples } from '../program.js';
import { integer } from './vm.js';

export const EVENT_FIELDS = ['key', 'time', 'type', 'user', 'entity', 'message'] as const;

const entityOf = (e: Event) => e.vm?.name ?? e.host?.name ?? e.ds?.name ?? e.net?.name ?? e.computeResource?.name ?? e.datacenter?.name;

export function registerEvents(program: Command, ctx: RunContext): void {
  examples(
    program
      .command('events')
      .description(`recent events, oldest first; --follow prints new ones until Ctrl-C (fields: ${EVENT_FIELDS.join(', ')})`)
      .option('-t, --type <type...>', 'only these event types (VmPoweredOnEvent, ...)')
      .option('--vm <vm>', "only this VM's events")
      .option('--host <host>', "only this host's events")
      .option('-n, --limit <n>', 'how many recent events', integer('--limit'), 25)
      .option('-f, --follow', 'keep printing new events'),
    ['vcctl events', 'vcctl events --type VmPoweredOnEvent VmPoweredOffEvent -n 5', 'vcctl events --vm DC0_H0_VM0 --follow -o json'],
  ).action(async (options: { type?: string[]; vm?: string; host?: string; limit: number; follow?: boolean }) => {
    if (options.vm && options.host) throw new CliError('USAGE', 'give --vm or --host, not both');
    const client = await ctx.vim();
    const entity = (options.vm ? await resolve(client, 'VirtualMachine', options.vm) : options.host ? await resolve(client, 'HostSystem', options.host) : undefined) as MoRef<'ManagedEntity'> | undefined;
    const types = options.type?.flatMap((t) => t.split(',')).filter(Boolean);
    const collector = await client.call(client.serviceContent.eventManager!, 'CreateCollectorForEvents', {
      filter: { eventTypeId: types, entity: entity ? { entity, recursion: 'self' } : undefined },
    });
    await client.call(collector, 'SetCollectorPageSize', { maxCount: options.limit });
    await showHistory<Event>(ctx, client, {
      collector,
      key: (e) => String(e.key),
      order: (e) => e.key,
      row: (e) => ({ key: e.key, time: e.createdTime, type: (e as { _type?: string })._type, user: e.userName, entity: entityOf(e), message: e.fullFormattedMessage }),
      columns: EVENT_FIELDS,
      widths: [6, 24, 28, 10, 16],
    }, Boolean(options.follow));
  });
}
