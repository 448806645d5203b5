/**
 * `vcenter/vm/{vm}/power` operations (start, stop, suspend, reset) and `vcenter/vm/{vm}/guest`
 * (power get and shutdown/reboot/standby, identity). They call the very methods SOAP calls, as the
 * REST session's user, so the same tasks and events happen; a power operation answers when its
 * task has ended, with the task's fault turned into the vAPI error vCenter gives.
 */
import { z } from 'zod';
import { VimFault } from '../../../models/core/fault.js';
import type { CallContext } from '../../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../../models/core/moref.js';
import { Task } from '../../../models/core/task.js';
import type { VCenter } from '../../../models/vcenter.js';
import { VirtualMachine } from '../../../models/vm/virtual-machine.js';
import { asVapiError, message, VapiError, type VapiErrorKind } from '../errors.js';
import { defineRoute, type RestContext, type RestRoute } from '../route.js';
import { lookup } from './filters.js';
import { taskQuery } from './task-calls.js';
import { guestOs } from './vm-hardware.js';

const findVm = (vc: VCenter, id: string) => lookup(vc, id, VirtualMachine, 'vm', 'Virtual machine');

const callContext = (ctx: RestContext): CallContext => ({ vc: ctx.vc, session: ctx.session, remote: ctx.remote, call: ctx.call });

/** Resolves with the task once it has ended, woken by the registry's change notifications (no polling). */
export async function taskEnded(vc: VCenter, ref: MoRef): Promise<Task> {
  const task = vc.registry.require<Task>(ref);
  await task.completion();
  return task;
}

const vapi = (kind: VapiErrorKind, id: string, text: string, args: string[] = []) => new VapiError(kind, [message(id, text, args)]);

type PowerOperation = 'start' | 'stop' | 'suspend' | 'reset';

const powerOperations: Record<PowerOperation, { method: string; already: string; done: string }> = {
  start: { method: 'PowerOnVM_Task', already: 'already_powered_on', done: 'powered on' },
  stop: { method: 'PowerOffVM_Task', already: 'already_powered_off', done: 'powered off' },
  suspend: { method: 'SuspendVM_Task', already: 'already_suspended', done: 'suspended' },
  reset: { method: 'ResetVM_Task', already: '', done: '' },
};

/** The fault a power task ended with, as vCenter's vAPI reports it. */
function powerError(operation: PowerOperation, vm: VirtualMachine, fault: DataObject | undefined, text: string): VapiError {
  const type = String(fault?._type ?? 'SystemError');
  const { already, done } = powerOperations[operation];
  if (type === 'InvalidPowerState') {
    if (already && fault?.requestedState === fault?.existingState) {
      return vapi('already_in_desired_state', `com.vmware.api.vcenter.vm.power.${already}`, `Virtual machine ${vm.self.value} is already ${done}.`, [vm.self.value]);
    }
    return vapi(
      'not_allowed_in_current_state',
      'com.vmware.api.vcenter.vm.power.invalid_power_state',
      `The operation '${operation}' is not allowed on virtual machine ${vm.self.value} in its current power state (${String(fault?.existingState)}).`,
      [operation, vm.self.value, String(fault?.existingState)],
    );
  }
  return asVapiError(new VimFault(type, fault ?? {}, text));
}

async function power(ctx: RestContext<z.output<typeof taskQuery>>, operation: PowerOperation): Promise<string | undefined> {
  const vm = findVm(ctx.vc, ctx.params.vm!);
  const method = powerOperations[operation].method;
  const call = vm[method as 'PowerOffVM_Task'].bind(vm) as (c: CallContext, args: object) => MoRef;
  const ref = call(callContext(ctx), {});
  // `?vmw-task=true`: the task's id at once, for /api/cis/tasks/{task}.
  if (ctx.query['vmw-task']) return ref.value;
  const task = await taskEnded(ctx.vc, ref);
  if (task.state === 'error') {
    const error = task.info.error as DataObject | undefined;
    throw powerError(operation, vm, error?.fault as DataObject | undefined, String(error?.localizedMessage ?? ''));
  }
  return undefined;
}

/** `/api`: `POST .../power?action=start`; `/rest` (6.7): `POST .../power/start`. */
function powerRoutes(operation: PowerOperation): RestRoute[] {
  const handle = (ctx: RestContext<z.output<typeof taskQuery>>) => power(ctx, operation);
  return [
    defineRoute({ method: 'POST', path: { api: '/vcenter/vm/:vm/power' }, action: operation, query: taskQuery, handle }),
    defineRoute({ method: 'POST', path: { rest: `/vcenter/vm/:vm/power/${operation}` }, query: taskQuery, handle }),
  ];
}

// --- guest ---------------------------------------------------------------------------------------

const guestOf = (vm: VirtualMachine) => (vm.guest ?? {}) as DataObject;
const toolsRunning = (vm: VirtualMachine) => guestOf(vm).toolsRunningStatus === 'guestToolsRunning';

const guestStates: Record<string, string> = {
  running: 'RUNNING',
  shuttingDown: 'SHUTTING_DOWN',
  resetting: 'RESETTING',
  standby: 'STANDBY',
  notRunning: 'NOT_RUNNING',
};

function guestPowerInfo(vm: VirtualMachine) {
  const powered = vm.runtime.powerState === 'poweredOn';
  const state = powered ? (guestStates[String(guestOf(vm).guestState)] ?? 'UNAVAILABLE') : 'NOT_RUNNING';
  return { state, operations_ready: powered && toolsRunning(vm) && state === 'RUNNING' };
}

const guestFamilies: Record<string, string> = {
  windowsGuest: 'WINDOWS',
  linuxGuest: 'LINUX',
  netwareGuest: 'NETWARE',
  solarisGuest: 'SOLARIS',
  darwinGuestFamily: 'DARWIN',
  otherGuestFamily: 'OTHER',
};

const toolsNotRunning = (vm: VirtualMachine, what: string) =>
  vapi('service_unavailable', `com.vmware.api.vcenter.vm.guest.${what}.tools_not_running`, `VMware Tools is not running in virtual machine ${vm.self.value}.`, [vm.self.value]);

function guestIdentity(vm: VirtualMachine) {
  if (vm.runtime.powerState !== 'poweredOn' || !toolsRunning(vm)) throw toolsNotRunning(vm, 'identity');
  const guest = guestOf(vm);
  const guestId = String(guest.guestId ?? (vm.config as DataObject | undefined)?.guestId ?? 'otherGuest');
  const fullName = String(guest.guestFullName ?? '');
  return {
    name: guestOs(guestId),
    family: guestFamilies[String(guest.guestFamily)] ?? 'OTHER',
    full_name: message(`vmsg.guestos.${guestId}.label`, fullName),
    host_name: guest.hostName,
    ip_address: guest.ipAddress,
  };
}

type GuestOperation = 'shutdown' | 'reboot' | 'standby';
const guestMethods = { shutdown: 'ShutdownGuest', reboot: 'RebootGuest', standby: 'StandbyGuest' } as const;
const GUEST_OPERATIONS = ['shutdown', 'reboot', 'standby'] as const;

function guestPower(ctx: RestContext, operation: GuestOperation): undefined {
  const vm = findVm(ctx.vc, ctx.params.vm!);
  try {
    vm[guestMethods[operation]](callContext(ctx));
  } catch (error) {
    if (error instanceof VimFault && error.type === 'ToolsUnavailable') throw toolsNotRunning(vm, 'power');
    if (error instanceof VimFault && (error.type === 'InvalidPowerState' || error.type === 'InvalidState')) {
      throw vapi(
        'not_allowed_in_current_state',
        'com.vmware.api.vcenter.vm.guest.power.not_powered_on',
        `The guest operation '${operation}' needs virtual machine ${vm.self.value} to be powered on.`,
        [operation, vm.self.value],
      );
    }
    throw error;
  }
  return undefined;
}

function guestRoutes(): RestRoute[] {
  const routes: RestRoute[] = [];
  for (const operation of GUEST_OPERATIONS) {
    // `/api` names it with `?action=`; `/rest` also takes the generic `?~action=` spelling.
    routes.push(defineRoute({ method: 'POST', path: '/vcenter/vm/:vm/guest/power', action: operation, handle: (ctx) => guestPower(ctx, operation) }));
  }
  // vCenter 6.7's `/rest` spelled these `POST /rest/vcenter/vm/{vm}/guest/power?action=shutdown`.
  routes.push(
    defineRoute({
      method: 'POST',
      path: { rest: '/vcenter/vm/:vm/guest/power' },
      query: z.object({ action: z.enum(GUEST_OPERATIONS) }),
      handle: (ctx) => guestPower(ctx, ctx.query.action),
    }),
  );
  return routes;
}

export const vmPowerRoutes: RestRoute[] = [
  ...(['start', 'stop', 'suspend', 'reset'] as const).flatMap(powerRoutes),
  ...guestRoutes(),
  defineRoute({ method: 'GET', path: '/vcenter/vm/:vm/guest/power', handle: ({ vc, params }) => guestPowerInfo(findVm(vc, params.vm!)) }),
  defineRoute({ method: 'GET', path: '/vcenter/vm/:vm/guest/identity', handle: ({ vc, params }) => guestIdentity(findVm(vc, params.vm!)) }),
];
