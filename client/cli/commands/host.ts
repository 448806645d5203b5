/** `vcctl host ...`: hosts, their maintenance mode and connection. */
import type { Command } from 'commander';
import type { RunContext } from '../context.js';
import { resolve } from '../inventory.js';
import { printInfo, printListing } from '../listing.js';
import { runTask } from '../progress.js';
import { examples, filterOption, group } from '../program.js';
import { integer } from './vm.js';

export const HOST_LS_FIELDS = ['name', 'connectionState', 'powerState', 'inMaintenanceMode', 'numCpuCores', 'memorySize', 'version'] as const;
export const HOST_INFO_FIELDS = [
  'name', 'id', 'path', 'connectionState', 'powerState', 'inMaintenanceMode', 'vendor', 'model', 'numCpuPkgs', 'numCpuCores', 'numCpuThreads', 'cpuMhz',
  'memorySize', 'version', 'build', 'parent', 'vm', 'datastore', 'network',
] as const;
const ACTION_FIELDS = ['name', 'id', 'action', 'task'] as const;

export function registerHost(program: Command, ctx: RunContext): void {
  const host = group(program, 'host', 'ESXi hosts', ['vcctl host ls', 'vcctl host maintenance enter DC0_C0_H0']);

  examples(host.command('ls').description(`list hosts (fields: ${HOST_LS_FIELDS.join(', ')}, id, path, any filter alias or property path)`).addOption(filterOption()), [
    'vcctl host ls',
    "vcctl host ls --filter 'connectionState==connected' --columns name,path",
  ]).action((options: { filter?: string }) => printListing(ctx, { type: 'HostSystem', columns: HOST_LS_FIELDS }, options.filter));

  examples(host.command('info <host>').description('one host in detail'), ['vcctl host info DC0_H0']).action(async (name: string) =>
    printInfo(ctx, await resolve(await ctx.vim(), 'HostSystem', name), HOST_INFO_FIELDS),
  );

  const act = async (name: string, action: string, run: (ref: Awaited<ReturnType<typeof resolve<'HostSystem'>>>) => Promise<{ task: string }>) => {
    const ref = await resolve(await ctx.vim(), 'HostSystem', name);
    const { task } = await run(ref);
    ctx.printRows([{ name, id: ref.value, action, task }], ACTION_FIELDS);
  };

  const maintenance = group(host, 'maintenance', 'maintenance mode', ['vcctl host maintenance enter DC0_C0_H0', 'vcctl host maintenance exit DC0_C0_H0']);
  examples(maintenance.command('enter <host>').description('put a host in maintenance mode').option('--timeout <seconds>', 'give up after this long (0: no limit)', integer('--timeout'), 0).option('--evacuate', 'move powered-off VMs too'), [
    'vcctl host maintenance enter DC0_C0_H0',
  ]).action((name: string, options: { timeout: number; evacuate?: boolean }) =>
    act(name, 'maintenance enter', (ref) => runTask(ctx, `maintenance enter ${name}`, ref, 'EnterMaintenanceMode_Task', { timeout: options.timeout, evacuatePoweredOffVms: options.evacuate })),
  );
  examples(maintenance.command('exit <host>').description('take a host out of maintenance mode').option('--timeout <seconds>', 'give up after this long (0: no limit)', integer('--timeout'), 0), [
    'vcctl host maintenance exit DC0_C0_H0',
  ]).action((name: string, options: { timeout: number }) =>
    act(name, 'maintenance exit', (ref) => runTask(ctx, `maintenance exit ${name}`, ref, 'ExitMaintenanceMode_Task', { timeout: options.timeout })),
  );

  examples(host.command('disconnect <host>').description('disconnect a host from vCenter'), ['vcctl host disconnect DC0_H0']).action((name: string) =>
    act(name, 'disconnect', (ref) => runTask(ctx, `disconnect ${name}`, ref, 'DisconnectHost_Task', {})),
  );
  examples(host.command('reconnect <host>').description('reconnect a disconnected host'), ['vcctl host reconnect DC0_H0']).action((name: string) =>
    act(name, 'reconnect', (ref) => runTask(ctx, `reconnect ${name}`, ref, 'ReconnectHost_Task', {})),
  );
}
