/** `vcctl pool ls`: resource pools (and vApps). */
import type { Command } from 'commander';
import type { RunContext } from '../context.js';
import { printListing } from '../listing.js';
import { examples, filterOption, group } from '../program.js';

export const POOL_LS_FIELDS = ['name', 'path', 'cpuReservation', 'cpuLimit', 'memoryReservation', 'memoryLimit'] as const;

export function registerPool(program: Command, ctx: RunContext): void {
  const pool = group(program, 'pool', 'resource pools', ['vcctl pool ls']);
  examples(pool.command('ls').description(`list resource pools (fields: ${POOL_LS_FIELDS.join(', ')}, id, any filter alias or property path)`).addOption(filterOption()), [
    'vcctl pool ls',
    'vcctl pool ls --columns path,vm',
  ]).action((options: { filter?: string }) => printListing(ctx, { type: 'ResourcePool', columns: POOL_LS_FIELDS }, options.filter));
}
