/** `vcctl vm ...`: list, inspect, create, clone, destroy, reconfigure and power VMs. */
import type { Command } from 'commander';
import { VimError } from '../../errors.js';
import type { MoRef, OptionValue, VirtualMachineConfigSpec } from '../../vim25.js';
import type { RunContext } from '../context.js';
import { CliError } from '../errors.js';
import { resolve } from '../inventory.js';
import { printInfo, printListing } from '../listing.js';
import { runTask } from '../progress.js';
import { examples, filterOption, group } from '../program.js';
import { registerSnapshot } from './vm-snapshot.js';

export const VM_LS_FIELDS = ['name', 'powerState', 'numCPU', 'memoryMB', 'guestId', 'host', 'ip'] as const;
export const VM_INFO_FIELDS = [
  'name', 'id', 'path', 'powerState', 'connectionState', 'template', 'numCPU', 'numCoresPerSocket', 'memoryMB', 'guestId', 'guestFullName',
  'uuid', 'instanceUuid', 'host', 'resourcePool', 'datastore', 'network', 'ip', 'hostName', 'toolsRunningStatus', 'annotation',
] as const;
/** What an action on a VM prints. */
export const VM_ACTION_FIELDS = ['name', 'id', 'action', 'task'] as const;

/** A number flag (`--cpus 4`): commander hands over text. */
export const integer = (name: string) => (text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new CliError('USAGE', `${name} needs a whole number, not "${text}"`);
  return value;
};

/** A size flag (`--disk 20G`): a number of KB, MB, GB or TB (a bare number is GB), as KB. */
export const sizeInKB = (name: string) => (text: string, previous: number[] = []) => {
  const m = /^(\d+)\s*([KMGT])?B?$/i.exec(text.trim());
  if (!m || Number(m[1]) === 0) throw new CliError('USAGE', `${name} needs a size such as 20G or 512M, not "${text}"`);
  const kb = Number(m[1]) * { K: 1, M: 1024, G: 1024 ** 2, T: 1024 ** 3 }[(m[2] ?? 'G').toUpperCase() as 'K' | 'M' | 'G' | 'T'];
  return [...previous, kb];
};

type PowerVerb = 'on' | 'off' | 'reset' | 'suspend' | 'shutdown' | 'reboot';
const POWER: Record<PowerVerb, { method: string; task: boolean; what: string }> = {
  on: { method: 'PowerOnVM_Task', task: true, what: 'power on' },
  off: { method: 'PowerOffVM_Task', task: true, what: 'power off (hard)' },
  reset: { method: 'ResetVM_Task', task: true, what: 'reset (hard)' },
  suspend: { method: 'SuspendVM_Task', task: true, what: 'suspend' },
  shutdown: { method: 'ShutdownGuest', task: false, what: 'shut the guest OS down (VMware Tools)' },
  reboot: { method: 'RebootGuest', task: false, what: 'reboot the guest OS (VMware Tools)' },
};

export function registerVm(program: Command, ctx: RunContext): void {
  const vm = group(program, 'vm', 'virtual machines', ['vcctl vm ls', 'vcctl vm info DC0_H0_VM0', 'vcctl vm power on DC0_H0_VM0']);

  examples(
    vm.command('ls').description(`list VMs (fields: ${VM_LS_FIELDS.join(', ')}, id, path, any filter alias or property path)`).addOption(filterOption()),
    ["vcctl vm ls --filter 'powerState==poweredOn && numCPU>=2'", 'vcctl vm ls --columns name,uuid,path -o json', "vcctl vm ls --filter 'name=~\"DC0_H0_*\"'"],
  ).action((options: { filter?: string }) => printListing(ctx, { type: 'VirtualMachine', columns: VM_LS_FIELDS }, options.filter));

  examples(vm.command('info <vm>').description('one VM in detail (by name or inventory path)'), ['vcctl vm info DC0_H0_VM0', 'vcctl vm info /DC0/vm/DC0_H0_VM0 -o yaml']).action(
    async (name: string) => printInfo(ctx, await resolve(await ctx.vim(), 'VirtualMachine', name), VM_INFO_FIELDS),
  );

  registerCreate(vm, ctx);
  registerClone(vm, ctx);

  examples(vm.command('destroy <vm...>').description('power off (if on or suspended) and delete VMs'), ['vcctl vm destroy web-1 web-2']).action(async (names: string[]) => {
    for (const name of names) {
      const client = await ctx.vim();
      const ref = await resolve(client, 'VirtualMachine', name);
      const [state] = await client.retrieve(ref, ['runtime.powerState']);
      // PowerOff works from suspended too; Destroy wants the VM off.
      if (state?.['runtime.powerState'] !== 'poweredOff') await runTask(ctx, `power off ${name}`, ref, 'PowerOffVM_Task', {});
      const { task } = await runTask(ctx, `destroy ${name}`, ref, 'Destroy_Task', {});
      ctx.printRows([{ name, id: ref.value, action: 'destroy', task }], VM_ACTION_FIELDS);
    }
  });

  examples(
    vm
      .command('reconfigure <vm>')
      .description('change CPUs, memory, annotation or extraConfig')
      .option('--cpus <n>', 'number of virtual CPUs', integer('--cpus'))
      .option('--cores-per-socket <n>', 'cores per socket', integer('--cores-per-socket'))
      .option('--memory <MB>', 'memory in MB', integer('--memory'))
      .option('--annotation <text>', 'the VM notes')
      .option('-e, --extra-config <key=value...>', 'extraConfig entries'),
    ['vcctl vm reconfigure DC0_H0_VM0 --cpus 4 --memory 8192', 'vcctl vm reconfigure DC0_H0_VM0 -e guestinfo.role=web'],
  ).action(async (name: string, options: { cpus?: number; coresPerSocket?: number; memory?: number; annotation?: string; extraConfig?: string[] }) => {
    const spec: VirtualMachineConfigSpec = { numCPUs: options.cpus, numCoresPerSocket: options.coresPerSocket, memoryMB: options.memory, annotation: options.annotation };
    if (options.extraConfig) spec.extraConfig = options.extraConfig.map(keyValue);
    if (Object.values(spec).every((v) => v === undefined)) throw new CliError('USAGE', 'nothing to change: give --cpus, --memory, --annotation or -e key=value');
    const ref = await resolve(await ctx.vim(), 'VirtualMachine', name);
    const { task } = await runTask(ctx, `reconfigure ${name}`, ref, 'ReconfigVM_Task', { spec });
    ctx.printRows([{ name, id: ref.value, action: 'reconfigure', task }], VM_ACTION_FIELDS);
  });

  const power = group(vm, 'power', 'power operations', ['vcctl vm power on DC0_H0_VM0', 'vcctl vm power shutdown DC0_H0_VM0 DC0_H0_VM1']);
  for (const [verb, op] of Object.entries(POWER) as [PowerVerb, (typeof POWER)[PowerVerb]][]) {
    examples(power.command(`${verb} <vm...>`).description(op.what), [`vcctl vm power ${verb} DC0_H0_VM0`]).action(async (names: string[]) => {
      for (const name of names) {
        const client = await ctx.vim();
        const ref = await resolve(client, 'VirtualMachine', name);
        let task: string | undefined;
        if (op.task) task = (await runTask(ctx, `${verb} ${name}`, ref, op.method as 'PowerOnVM_Task', {})).task;
        else await client.callRaw(ref, op.method, {});
        ctx.printRows([{ name, id: ref.value, action: `power ${verb}`, task }], VM_ACTION_FIELDS);
      }
    });
  }

  registerSnapshot(vm, ctx);
}

function keyValue(text: string): OptionValue {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new CliError('USAGE', `-e needs key=value, not "${text}"`);
  return { key: text.slice(0, eq), value: text.slice(eq + 1) } as OptionValue;
}

interface Placement {
  folder?: string;
  pool?: string;
  host?: string;
  ds?: string;
}

/** Where a new VM goes: the given folder, pool, host and datastore, else the first datacenter's defaults. */
async function placement(ctx: RunContext, given: Placement) {
  const client = await ctx.vim();
  const host = given.host ? await resolve(client, 'HostSystem', given.host) : undefined;
  let pool = given.pool ? await resolve(client, 'ResourcePool', given.pool) : undefined;
  let computeDatastores: MoRef<'Datastore'>[] = [];
  if (!pool) {
    const [compute] = host
      ? await client.retrieve((await client.retrieve(host, ['parent']))[0]!.parent as MoRef<'ComputeResource'>, ['resourcePool', 'datastore'])
      : await client.find('ComputeResource', { paths: ['resourcePool', 'datastore'] });
    if (!compute?.resourcePool) throw new VimError({ code: 'RESOURCE_POOL_NOT_FOUND', message: 'no resource pool to place the VM in: give --pool' });
    pool = compute.resourcePool as MoRef<'ResourcePool'>;
    computeDatastores = (compute.datastore ?? []) as MoRef<'Datastore'>[];
  }
  const folder = given.folder ? await resolve(client, 'Folder', given.folder) : ((await client.find('Datacenter', { paths: ['vmFolder'] }))[0]?.vmFolder as MoRef<'Folder'> | undefined);
  if (!folder) throw new VimError({ code: 'FOLDER_NOT_FOUND', message: 'no VM folder: give --folder' });
  const ds = given.ds ? await resolve(client, 'Datastore', given.ds) : computeDatastores[0] ?? (await client.find('Datastore'))[0]?.ref;
  if (!ds) throw new VimError({ code: 'DATASTORE_NOT_FOUND', message: 'no datastore: give --ds' });
  const [dsName] = await client.retrieve(ds, ['name']);
  return { host, pool, folder, ds, dsName: String(dsName?.name) };
}

function registerCreate(vm: Command, ctx: RunContext): void {
  examples(
    vm
      .command('create <name>')
      .description('create a VM, placed by --folder/--pool/--host/--ds or in the first datacenter; disks and a NIC when asked')
      .option('--cpus <n>', 'virtual CPUs', integer('--cpus'), 1)
      .option('--memory <MB>', 'memory in MB', integer('--memory'), 1024)
      .option('--guest <id>', 'guest OS id', 'otherGuest64')
      .option('--folder <path>', 'VM folder (name or path)')
      .option('--pool <pool>', 'resource pool (name or path)')
      .option('--host <host>', 'host (name or path)')
      .option('--ds <datastore>', 'datastore for its files')
      .option('--disk <size>', 'a thin disk of this size (20G, 512M; repeat for more), on a paravirtual SCSI controller', sizeInKB('--disk'))
      .option('--net <network>', 'a vmxnet3 NIC on this network (standard or distributed portgroup, by name)')
      .option('--on', 'power it on after creating it'),
    ['vcctl vm create web-1 --cpus 2 --memory 4096', 'vcctl vm create db-1 --host DC0_C0_H1 --ds LocalDS_0 --disk 20G --net "VM Network" --on'],
  ).action(async (name: string, options: Placement & { cpus: number; memory: number; guest: string; disk?: number[]; net?: string; on?: boolean }) => {
    const where = await placement(ctx, options);
    const devices = [...diskDevices(options.disk ?? [], where.dsName), ...(options.net ? [await nicDevice(ctx, options.net)] : [])];
    const config: VirtualMachineConfigSpec = {
      name, numCPUs: options.cpus, memoryMB: options.memory, guestId: options.guest, files: { vmPathName: `[${where.dsName}]` },
      ...(devices.length ? { deviceChange: devices } : {}),
    } as VirtualMachineConfigSpec;
    const { task, result } = await runTask(ctx, `create ${name}`, where.folder, 'CreateVM_Task', { config, pool: where.pool, host: where.host });
    const ref = result as MoRef<'VirtualMachine'>;
    if (options.on) await runTask(ctx, `power on ${name}`, ref, 'PowerOnVM_Task', {});
    ctx.printRows([{ name, id: ref.value, action: 'create', task }], VM_ACTION_FIELDS);
  });
}

/** A paravirtual SCSI controller and a thin disk of each size on it, in the VM's folder on `dsName`. */
function diskDevices(sizesKB: number[], dsName: string): object[] {
  if (!sizesKB.length) return [];
  const controller = { _type: 'ParaVirtualSCSIController', key: -100, busNumber: 0, sharedBus: 'noSharing' };
  const disks = sizesKB.map((capacityInKB, i) => ({
    _type: 'VirtualDisk', key: -101 - i, controllerKey: -100, unitNumber: i < 7 ? i : i + 1, capacityInKB,
    backing: { _type: 'VirtualDiskFlatVer2BackingInfo', fileName: `[${dsName}]`, diskMode: 'persistent', thinProvisioned: true },
  }));
  return [
    { _type: 'VirtualDeviceConfigSpec', operation: 'add', device: controller },
    ...disks.map((device) => ({ _type: 'VirtualDeviceConfigSpec', operation: 'add', fileOperation: 'create', device })),
  ];
}

/** A vmxnet3 NIC on the network named `name`: a standard network by name, a distributed portgroup by its switch's port. */
async function nicDevice(ctx: RunContext, name: string): Promise<object> {
  const client = await ctx.vim();
  const network: MoRef = await resolve(client, 'Network', name);
  let backing: object = { _type: 'VirtualEthernetCardNetworkBackingInfo', deviceName: name, network };
  if (network.type === 'DistributedVirtualPortgroup') {
    const [pg] = await client.retrieve(network as unknown as MoRef<'DistributedVirtualPortgroup'>, ['key', 'config.distributedVirtualSwitch']);
    const [dvs] = await client.retrieve(pg!['config.distributedVirtualSwitch'] as MoRef<'DistributedVirtualSwitch'>, ['uuid']);
    backing = { _type: 'VirtualEthernetCardDistributedVirtualPortBackingInfo', port: { _type: 'DistributedVirtualSwitchPortConnection', switchUuid: dvs!.uuid, portgroupKey: pg!.key } };
  }
  const device = { _type: 'VirtualVmxnet3', key: -200, addressType: 'generated', backing, connectable: { _type: 'VirtualDeviceConnectInfo', startConnected: true, allowGuestControl: true, connected: false } };
  return { _type: 'VirtualDeviceConfigSpec', operation: 'add', device };
}

function registerClone(vm: Command, ctx: RunContext): void {
  examples(
    vm
      .command('clone <source> <name>')
      .description("clone a VM or template (into the source's folder unless --folder)")
      .option('--folder <path>', 'VM folder (name or path)')
      .option('--pool <pool>', 'resource pool')
      .option('--host <host>', 'host')
      .option('--ds <datastore>', 'datastore')
      .option('--template', 'make the clone a template')
      .option('--on', 'power the clone on'),
    ['vcctl vm clone DC0_H0_VM0 web-2', 'vcctl vm clone DC0_H0_VM0 web-3 --host DC0_C0_H0 --on'],
  ).action(async (source: string, name: string, options: Placement & { template?: boolean; on?: boolean }) => {
    const client = await ctx.vim();
    const ref = await resolve(client, 'VirtualMachine', source);
    const folder = options.folder ? await resolve(client, 'Folder', options.folder) : ((await client.retrieve(ref, ['parent']))[0]?.parent as MoRef<'Folder'> | undefined);
    if (!folder) throw new VimError({ code: 'FOLDER_NOT_FOUND', message: `${source} has no parent folder: give --folder` });
    const location = {
      pool: options.pool ? await resolve(client, 'ResourcePool', options.pool) : undefined,
      host: options.host ? await resolve(client, 'HostSystem', options.host) : undefined,
      datastore: options.ds ? await resolve(client, 'Datastore', options.ds) : undefined,
    };
    const { task, result } = await runTask(ctx, `clone ${source} to ${name}`, ref, 'CloneVM_Task', { folder, name, spec: { location, template: Boolean(options.template), powerOn: Boolean(options.on) } });
    ctx.printRows([{ name, id: (result as MoRef).value, action: 'clone', task }], VM_ACTION_FIELDS);
  });
}
