/** `vcctl ds ls|info`: datastores. */
import type { Command } from 'commander';
import type { RunContext } from '../context.js';
import { resolve } from '../inventory.js';
import { printInfo, printListing } from '../listing.js';
import { examples, filterOption, group } from '../program.js';

export const DS_LS_FIELDS = ['name', 'type', 'capacity', 'freeSpace', 'accessible'] as const;
export const DS_INFO_FIELDS = ['name', 'id', 'path', 'type', 'url', 'capacity', 'freeSpace', 'uncommitted', 'accessible', 'multipleHostAccess', 'maintenanceMode', 'host', 'vm'] as const;

export function registerDatastore(program: Command, ctx: RunContext): void {
  const ds = group(program, 'ds', 'datastores', ['vcctl ds ls', 'vcctl ds info LocalDS_0']);
  examples(ds.command('ls').description(`list datastores (fields: ${DS_LS_FIELDS.join(', ')}, id, path, any filter alias or property path; sizes in bytes)`).addOption(filterOption()), [
    'vcctl ds ls',
    "vcctl ds ls --filter 'freeSpace < 100GB'",
  ]).action((options: { filter?: string }) => printListing(ctx, { type: 'Datastore', columns: DS_LS_FIELDS }, options.filter));
  examples(ds.command('info <datastore>').description('one datastore in detail'), ['vcctl ds info LocalDS_0']).action(async (name: string) =>
    printInfo(ctx, await resolve(await ctx.vim(), 'Datastore', name), DS_INFO_FIELDS),
  );
}
