/** `vcctl net ls`: networks and distributed portgroups. */
import type { Command } from 'commander';
import type { RunContext } from '../context.js';
import { printListing } from '../listing.js';
import { examples, filterOption, group } from '../program.js';

export const NET_LS_FIELDS = ['name', 'type', 'accessible', 'id'] as const;

export function registerNetwork(program: Command, ctx: RunContext): void {
  const net = group(program, 'net', 'networks (standard and distributed portgroups)', ['vcctl net ls']);
  examples(net.command('ls').description(`list networks (fields: ${NET_LS_FIELDS.join(', ')}, path, any filter alias or property path)`).addOption(filterOption()), [
    'vcctl net ls',
    "vcctl net ls --filter 'name=~\"DC0_*\"' -o json",
  ]).action((options: { filter?: string }) => printListing(ctx, { type: 'Network', columns: NET_LS_FIELDS }, options.filter));
}
