/** `vcctl cluster ls|info`. */
import type { Command } from 'commander';
import type { RunContext } from '../context.js';
import { resolve } from '../inventory.js';
import { printInfo, printListing } from '../listing.js';
import { examples, filterOption, group } from '../program.js';

export const CLUSTER_LS_FIELDS = ['name', 'numHosts', 'numEffectiveHosts', 'numCpuCores', 'totalMemory', 'drsEnabled', 'haEnabled'] as const;
export const CLUSTER_INFO_FIELDS = [...CLUSTER_LS_FIELDS.slice(0, 1), 'id', 'path', ...CLUSTER_LS_FIELDS.slice(1), 'totalCpu', 'effectiveCpu', 'effectiveMemory', 'host', 'datastore', 'network'] as const;

export function registerCluster(program: Command, ctx: RunContext): void {
  const cluster = group(program, 'cluster', 'compute clusters', ['vcctl cluster ls', 'vcctl cluster info DC0_C0']);
  examples(cluster.command('ls').description(`list clusters (fields: ${CLUSTER_LS_FIELDS.join(', ')}, id, path, any filter alias or property path)`).addOption(filterOption()), [
    'vcctl cluster ls',
    "vcctl cluster ls --filter 'numHosts>=3'",
  ]).action((options: { filter?: string }) => printListing(ctx, { type: 'ClusterComputeResource', columns: CLUSTER_LS_FIELDS }, options.filter));
  examples(cluster.command('info <cluster>').description('one cluster in detail'), ['vcctl cluster info DC0_C0 -o yaml']).action(async (name: string) =>
    printInfo(ctx, await resolve(await ctx.vim(), 'ClusterComputeResource', name), CLUSTER_INFO_FIELDS),
  );
}
