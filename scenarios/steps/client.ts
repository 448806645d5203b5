/**
 * Client steps: what a vSphere client does, done with the bundled client, every call carrying the
 * step's traceparent. Each returns the value `save` binds: references as {type, value}.
 */
import type { CallOptions, VimClient } from '../../client/index.js';
import type { MoRef } from '../../client/vim25.js';
import type { clientOps } from '../schema.js';
import { restCall } from './rest.js';
import { resolveOrFirst, resolveRef, StepInputError } from './resolve.js';
import type { RunContext } from '../context.js';

export type ClientOp = (typeof clientOps)[number];
type Args = Record<string, unknown>;

export interface ClientCall {
  ctx: RunContext;
  args: Args;
  options: CallOptions;
  /** Do not wait for the task: return {task}. */
  async: boolean;
}

type Handler = (client: VimClient, call: ClientCall) => Promise<unknown>;

/** Starts `method` and waits for its task unless the step is async. */
async function task(client: VimClient, call: ClientCall, ref: MoRef, method: string, args: Args, resultKey: string): Promise<unknown> {
  const started = (await client.callRaw(ref, method, args, call.options)) as MoRef<'Task'>;
  if (call.async) return { task: started };
  const result = await client.waitForTask(started, { traceparent: call.options.traceparent, signal: call.options.signal });
  return { task: started, [resultKey]: result ?? null };
}

const vmCreate: Handler = async (client, call) => {
  const { args, options } = call;
  const name = String(args.name ?? '');
  if (!name) throw new StepInputError('vm.create: args.name is required');
  const dc = await resolveOrFirst(client, 'Datacenter', args.datacenter, options);
  const [dcProps] = await client.retrieve([dc], ['vmFolder'], options);
  const pool = await poolFor(client, args, options);
  const datastore = String(args.datastore ?? 'LocalDS_0');
  const diskKB = Math.round(Number(args.diskGB ?? 1) * 1024 * 1024);
  const config = {
    name,
    guestId: args.guestId ?? 'otherLinux64Guest',
    numCPUs: Number(args.cpus ?? 1),
    memoryMB: Number(args.memoryMB ?? 256),
    files: { vmPathName: `[${datastore}]` },
    deviceChange: [
      { operation: 'add', device: { _type: 'VirtualLsiLogicController', key: -100, busNumber: 0, sharedBus: 'noSharing' } },
      {
        operation: 'add',
        fileOperation: 'create',
        device: { _type: 'VirtualDisk', key: -101, controllerKey: -100, unitNumber: 0, capacityInKB: diskKB, backing: { _type: 'VirtualDiskFlatVer2BackingInfo', fileName: '', diskMode: 'persistent', thinProvisioned: false } },
      },
    ],
  };
  return task(client, call, (dcProps as { vmFolder: MoRef }).vmFolder, 'CreateVM_Task', { config, pool }, 'vm');
};

/** The resource pool of `cluster` or of `host`'s compute resource; the first cluster's otherwise. */
async function poolFor(client: VimClient, args: Args, options: CallOptions): Promise<MoRef> {
  if (args.host !== undefined) {
    const host = await resolveRef(client, 'HostSystem', args.host, options, 'host');
    const [h] = await client.retrieve([host], ['parent'], options);
    const [cr] = await client.retrieve([(h as { parent: MoRef<'ComputeResource'> }).parent], ['resourcePool'], options);
    return (cr as { resourcePool: MoRef }).resourcePool;
  }
  const cluster = await resolveOrFirst(client, 'ComputeResource', args.cluster, options);
  const [c] = await client.retrieve([cluster], ['resourcePool'], options);
  return (c as { resourcePool: MoRef }).resourcePool;
}

const vmClone: Handler = async (client, call) => {
  const { args, options } = call;
  const vm = await resolveRef(client, 'VirtualMachine', args.vm, options, 'vm');
  const [props] = await client.retrieve([vm], ['parent'], options);
  const spec = { location: {}, powerOn: Boolean(args.powerOn ?? false), template: false };
  return task(client, call, vm, 'CloneVM_Task', { folder: (props as { parent: MoRef }).parent, name: String(args.name), spec }, 'vm');
};

const powerMethods: Record<string, string> = { on: 'PowerOnVM_Task', off: 'PowerOffVM_Task', suspend: 'SuspendVM_Task', reset: 'ResetVM_Task' };

const vmPower: Handler = async (client, call) => {
  const method = powerMethods[String(call.args.state)];
  if (!method) throw new StepInputError(`vm.power: args.state is one of ${Object.keys(powerMethods).join(', ')}`);
  const vm = await resolveRef(client, 'VirtualMachine', call.args.vm, call.options, 'vm');
  return task(client, call, vm, method, {}, 'result');
};

const vmReconfigure: Handler = async (client, call) => {
  const { vm: given, cpus, memoryMB, annotation } = call.args;
  const vm = await resolveRef(client, 'VirtualMachine', given, call.options, 'vm');
  const spec = { numCPUs: cpus === undefined ? undefined : Number(cpus), memoryMB: memoryMB === undefined ? undefined : Number(memoryMB), annotation };
  return task(client, call, vm, 'ReconfigVM_Task', { spec }, 'result');
};

const vmSnapshot: Handler = async (client, call) => {
  const vm = await resolveRef(client, 'VirtualMachine', call.args.vm, call.options, 'vm');
  return task(client, call, vm, 'CreateSnapshot_Task', { name: String(call.args.name ?? 'snapshot'), memory: false, quiesce: false }, 'snapshot');
};

const vmDestroy: Handler = async (client, call) => {
  const vm = await resolveRef(client, 'VirtualMachine', call.args.vm, call.options, 'vm');
  return task(client, call, vm, 'Destroy_Task', {}, 'result');
};

const hostMaintenance: Handler = async (client, call) => {
  const host = await resolveRef(client, 'HostSystem', call.args.host, call.options, 'host');
  const { enter = true, timeout = 0, evacuatePoweredOffVms } = call.args;
  const args = enter ? { timeout: Number(timeout), evacuatePoweredOffVms: evacuatePoweredOffVms === undefined ? undefined : Boolean(evacuatePoweredOffVms) } : { timeout: Number(timeout) };
  return task(client, call, host, enter ? 'EnterMaintenanceMode_Task' : 'ExitMaintenanceMode_Task', args, 'result');
};

const hostConnection = (method: string): Handler => async (client, call) => {
  const host = await resolveRef(client, 'HostSystem', call.args.host, call.options, 'host');
  return task(client, call, host, method, {}, 'result');
};

const taskCancel: Handler = async (client, call) => {
  const ref = await resolveRef(client, 'Task', call.args.task, call.options, 'task');
  await client.callRaw(ref, 'CancelTask', {}, call.options);
  return { task: ref };
};

const findObjects: Handler = async (client, call) => {
  const paths = (call.args.paths as string[] | undefined) ?? ['name'];
  const found = await client.find(String(call.args.type) as 'VirtualMachine', { paths, ...call.options });
  return found;
};

/** Any method on any object: `{object: vm-42 | {type, value}, type: VirtualMachine, method, args}`. */
const rawCall: Handler = async (client, call) => {
  const { object, type, method, args } = call.args;
  const ref = await resolveRef(client, String(type ?? 'ManagedEntity') as 'ManagedEntity', object, call.options, 'object');
  const result = await client.callRaw(ref, String(method), (args as Args) ?? {}, call.options);
  if (String(method).endsWith('_Task') && !call.async) return { task: result, result: (await client.waitForTask(result as MoRef<'Task'>, { traceparent: call.options.traceparent })) ?? null };
  return result ?? null;
};

export const clientHandlers: Record<ClientOp, Handler> = {
  'vm.create': vmCreate,
  'vm.clone': vmClone,
  'vm.power': vmPower,
  'vm.reconfigure': vmReconfigure,
  'vm.snapshot': vmSnapshot,
  'vm.destroy': vmDestroy,
  'host.maintenance': hostMaintenance,
  'host.disconnect': hostConnection('DisconnectHost_Task'),
  'host.reconnect': hostConnection('ReconnectHost_Task'),
  'task.cancel': taskCancel,
  find: findObjects,
  call: rawCall,
  rest: (_client, call) => restCall(call.ctx, call.args, call.options),
};
