/**
 * `vcenter/vm/{vm}/hardware` and its sub-resources (cpu, memory, disk, ethernet, cdrom): reads
 * from the VM's config as SOAP shows it, changes through VirtualMachine.ReconfigVM_Task (and
 * UpgradeVM_Task), so a change made here is a reconfigure with its task and event, and obeys the
 * same power-state rules.
 */
import { z } from 'zod';
import type { DataObject } from '../../../models/core/moref.js';
import type { VCenter } from '../../../models/vcenter.js';
import { VirtualMachine } from '../../../models/vm/virtual-machine.js';
import type { ConfigSpec } from '../../../models/vm/vm-reconfigure.js';
import { message, VapiError, type VapiErrorKind } from '../errors.js';
import { defineRoute, type RestContext, type RestRoute } from '../route.js';
import { lookup } from './filters.js';
import { answerTask, callContext, taskFailure, taskQuery } from './task-calls.js';
import {
  cdromCreateSpec,
  cdromFields,
  cdromUpdateSpec,
  DevicePlan,
  diskCreateSpec,
  nicCreateSpec,
  nicFields,
  nicUpdateSpec,
  type Device,
  type DeviceChange,
} from './vm-device-specs.js';
import { deviceInfo, hardwareInfo, hardwareVersion } from './vm-hardware.js';

const findVm = (vc: VCenter, id: string) => lookup(vc, id, VirtualMachine, 'vm', 'Virtual machine');
const configOf = (vm: VirtualMachine) => (vm.config ?? {}) as DataObject;
const hardwareOf = (vm: VirtualMachine) => (configOf(vm).hardware ?? {}) as DataObject;
const devicesOf = (vm: VirtualMachine) => (hardwareOf(vm).device ?? []) as Device[];
const poweredOn = (vm: VirtualMachine) => vm.runtime.powerState === 'poweredOn';

const vapi = (kind: VapiErrorKind, id: string, text: string, args: string[] = []) => new VapiError(kind, [message(id, text, args)]);
const invalid = (field: string, text: string) => vapi('invalid_argument', 'com.vmware.api.vcenter.vm.hardware.invalid_field', `Invalid value for field '${field}': ${text}`, [field, text]);
const notPoweredOff = (vm: VirtualMachine, what: string) =>
  vapi('not_allowed_in_current_state', 'com.vmware.api.vcenter.vm.hardware.powered_on', `The ${what} of virtual machine ${vm.self.value} cannot change while it is powered on.`, [vm.self.value]);

/** A reconfigure's failure as vCenter's vAPI reports it: a bad device spec is the caller's error. */
function reconfigureFailure(info: DataObject): VapiError {
  const fault = ((info.error as DataObject | undefined)?.fault ?? {}) as DataObject;
  if (fault._type === 'InvalidDeviceSpec' || fault._type === 'InvalidDeviceBacking') {
    const text = String((info.error as DataObject).localizedMessage ?? 'Invalid device specification.');
    return vapi('invalid_argument', 'com.vmware.api.vcenter.vm.hardware.invalid_device_spec', text);
  }
  return taskFailure(info);
}

/** Runs ReconfigVM_Task with `spec` as the REST user and waits for it. */
async function reconfigure(ctx: RestContext, vm: VirtualMachine, spec: ConfigSpec): Promise<undefined> {
  await answerTask(ctx, vm.ReconfigVM_Task(callContext(ctx), { spec }), { failure: reconfigureFailure });
  return undefined;
}

/** The field as the caller spelled it: `/rest` wraps the spec in `spec`. */
const fieldOf = (ctx: RestContext, path: string) => (ctx.flavour === 'rest' ? `spec.${path}` : path);

// --- hardware, cpu, memory -----------------------------------------------------------------------

const UPGRADE_POLICIES = { NEVER: 'never', AFTER_CLEAN_SHUTDOWN: 'onSoftPowerOff', ALWAYS: 'always' } as const;
const versionNumber = (version: unknown) => Number(/(\d+)$/.exec(String(version ?? ''))?.[1] ?? 0);
/** `VMX_9` or `VMX_09` → `vmx-09`, as vSphere spells hardware versions. */
const soapVersion = (version: string) => `vmx-${String(versionNumber(version)).padStart(2, '0')}`;

const hardwareUpdate = z.object({
  upgrade_policy: z.enum(['NEVER', 'AFTER_CLEAN_SHUTDOWN', 'ALWAYS']).optional(),
  upgrade_version: z.string().regex(/^VMX_\d+$/, 'expected VMX_<n>').optional(),
});

type UpgradePolicy = keyof typeof UPGRADE_POLICIES;

function currentPolicy(info: DataObject): UpgradePolicy {
  const entry = Object.entries(UPGRADE_POLICIES).find(([, soap]) => soap === info.upgradePolicy);
  return (entry?.[0] as UpgradePolicy | undefined) ?? 'NEVER';
}

async function updateHardware(ctx: RestContext<unknown, z.output<typeof hardwareUpdate>>) {
  const vm = findVm(ctx.vc, ctx.params.vm!);
  const config = configOf(vm);
  const { upgrade_policy: policy, upgrade_version: version } = ctx.body;
  const current = (config.scheduledHardwareUpgradeInfo ?? {}) as DataObject;
  // An update that leaves the policy out keeps the one the VM has.
  const effective = policy ?? currentPolicy(current);
  if (version && effective === 'NEVER') throw invalid(fieldOf(ctx, 'upgrade_version'), 'upgrade_version needs an upgrade_policy other than NEVER');
  if (version && versionNumber(version) <= versionNumber(config.version)) {
    throw invalid(fieldOf(ctx, 'upgrade_version'), `${version} is not newer than ${String(hardwareVersion(config.version))}`);
  }
  const versionKey = effective === 'NEVER' ? undefined : (version ? soapVersion(version) : (current.versionKey as string | undefined));
  return reconfigure(ctx, vm, {
    scheduledHardwareUpgradeInfo: {
      _type: 'ScheduledHardwareUpgradeInfo',
      upgradePolicy: UPGRADE_POLICIES[effective],
      ...(versionKey ? { versionKey } : {}),
      scheduledHardwareUpgradeStatus: effective === 'NEVER' ? 'none' : 'pending',
    },
  });
}

const hardwareUpgrade = z.object({ version: z.string().regex(/^VMX_\d+$/, 'expected VMX_<n>').optional() }).optional();

async function upgradeHardware(ctx: RestContext<unknown, z.output<typeof hardwareUpgrade>>) {
  const vm = findVm(ctx.vc, ctx.params.vm!);
  if (poweredOn(vm)) throw notPoweredOff(vm, 'hardware version');
  const version = ctx.body?.version;
  if (version && versionNumber(version) <= versionNumber(configOf(vm).version)) {
    throw vapi('already_in_desired_state', 'com.vmware.api.vcenter.vm.hardware.upgrade.not_newer', `Virtual machine ${vm.self.value} is at ${String(hardwareVersion(configOf(vm).version))} already.`);
  }
  await answerTask(ctx, vm.UpgradeVM_Task(callContext(ctx), { version: version ? soapVersion(version) : undefined }));
  return undefined;
}

function cpuInfo(vm: VirtualMachine) {
  const config = configOf(vm);
  const hardware = hardwareOf(vm);
  return {
    count: hardware.numCPU,
    cores_per_socket: hardware.numCoresPerSocket ?? 1,
    hot_add_enabled: Boolean(config.cpuHotAddEnabled),
    hot_remove_enabled: Boolean(config.cpuHotRemoveEnabled),
  };
}

const cpuUpdate = z.object({
  count: z.number().int().min(1).max(768).optional(),
  cores_per_socket: z.number().int().min(1).optional(),
  hot_add_enabled: z.boolean().optional(),
  hot_remove_enabled: z.boolean().optional(),
});

function updateCpu(ctx: RestContext<unknown, z.output<typeof cpuUpdate>>) {
  const vm = findVm(ctx.vc, ctx.params.vm!);
  const { count, cores_per_socket: cores } = ctx.body;
  const total = count ?? (hardwareOf(vm).numCPU as number);
  if (cores !== undefined && total % cores !== 0) throw invalid(fieldOf(ctx, 'cores_per_socket'), `${total} CPUs do not divide into sockets of ${cores} cores`);
  if (cores !== undefined && poweredOn(vm) && cores !== (hardwareOf(vm).numCoresPerSocket ?? 1)) throw notPoweredOff(vm, 'cores per socket');
  return reconfigure(ctx, vm, { numCPUs: count, numCoresPerSocket: cores, cpuHotAddEnabled: ctx.body.hot_add_enabled, cpuHotRemoveEnabled: ctx.body.hot_remove_enabled });
}

function memoryInfo(vm: VirtualMachine) {
  const config = configOf(vm);
  const hotAdd = Boolean(config.memoryHotAddEnabled);
  return {
    size_MiB: hardwareOf(vm).memoryMB,
    hot_add_enabled: hotAdd,
    hot_add_increment_size_MiB: hotAdd ? config.hotPlugMemoryIncrementSize : undefined,
    hot_add_limit_MiB: hotAdd ? config.hotPlugMemoryLimit : undefined,
  };
}

const memoryUpdate = z.object({ size_MiB: z.number().int().min(4).optional(), hot_add_enabled: z.boolean().optional() });

function updateMemory(ctx: RestContext<unknown, z.output<typeof memoryUpdate>>) {
  const vm = findVm(ctx.vc, ctx.params.vm!);
  return reconfigure(ctx, vm, { memoryMB: ctx.body.size_MiB, memoryHotAddEnabled: ctx.body.hot_add_enabled });
}

// --- devices -----------------------------------------------------------------------------------

interface DeviceKind {
  /** Path segment and id field: `disk` → `/hardware/disk/{disk}`, `[{disk: "2000"}]`. */
  name: 'disk' | 'ethernet' | 'cdrom';
  idField: string;
  label: string;
  /** The key of `VM.Info` holding this kind's map. */
  infoKey: 'disks' | 'nics' | 'cdroms';
}

const DISK: DeviceKind = { name: 'disk', idField: 'disk', label: 'Virtual disk', infoKey: 'disks' };
const NIC: DeviceKind = { name: 'ethernet', idField: 'nic', label: 'Virtual Ethernet adapter', infoKey: 'nics' };
const CDROM: DeviceKind = { name: 'cdrom', idField: 'cdrom', label: 'Virtual CD-ROM device', infoKey: 'cdroms' };

function infoMap(vm: VirtualMachine, kind: DeviceKind): Map<string, unknown> {
  return deviceInfo(devicesOf(vm))[kind.infoKey];
}

function listDevices(ctx: RestContext, kind: DeviceKind) {
  return [...infoMap(findVm(ctx.vc, ctx.params.vm!), kind).keys()].map((id) => ({ [kind.idField]: id }));
}

function deviceNotFound(vm: VirtualMachine, kind: DeviceKind, id: string): VapiError {
  return vapi('not_found', `com.vmware.api.vcenter.vm.hardware.${kind.name}.not_found`, `${kind.label} '${id}' of virtual machine ${vm.self.value} does not exist.`, [id, vm.self.value]);
}

/** The VM and the device the path names (`{disk}`, `{nic}`, `{cdrom}`), or not_found. */
function findDevice(ctx: RestContext, kind: DeviceKind): { vm: VirtualMachine; device: Device; info: unknown } {
  const vm = findVm(ctx.vc, ctx.params.vm!);
  const id = ctx.params[kind.idField]!;
  const info = infoMap(vm, kind).get(id);
  if (info === undefined) throw deviceNotFound(vm, kind, id);
  return { vm, device: devicesOf(vm).find((d) => String(d.key) === id)!, info };
}

function datastoreName(ctx: RestContext, vm: VirtualMachine): string {
  const ds = vm.datastore[0] && (ctx.vc.registry.get(vm.datastore[0]) as { name?: string } | undefined);
  return ds?.name ?? '';
}

const CONTROLLER = /Controller$/;

/**
 * Adds the device `plan` makes and answers its key. A controller the device needs is added by a
 * reconfigure of its own first (a reconfigure names existing devices by their real keys).
 */
async function addDevice(ctx: RestContext, vm: VirtualMachine, make: (plan: DevicePlan) => Device): Promise<string> {
  let plan = new DevicePlan(ctx.vc, devicesOf(vm), datastoreName(ctx, vm));
  make(plan);
  const controllers = plan.changes.filter((c) => CONTROLLER.test(String(c.device._type)));
  if (controllers.length > 0) {
    await reconfigure(ctx, vm, { deviceChange: controllers });
    plan = new DevicePlan(ctx.vc, devicesOf(vm), datastoreName(ctx, vm));
    make(plan);
  }
  const before = new Set(devicesOf(vm).map((d) => d.key));
  await reconfigure(ctx, vm, { deviceChange: plan.changes });
  return String(devicesOf(vm).find((d) => !before.has(d.key))!.key);
}

async function editDevice(ctx: RestContext, vm: VirtualMachine, device: Device, fields: DataObject): Promise<undefined> {
  if (Object.keys(fields).length === 0) return undefined;
  return reconfigure(ctx, vm, { deviceChange: [{ operation: 'edit', device: { ...device, ...fields } } as DeviceChange] });
}

async function removeDevice(ctx: RestContext, kind: DeviceKind): Promise<undefined> {
  const { vm, device } = findDevice(ctx, kind);
  if (poweredOn(vm) && onIde(vm, device.controllerKey)) throw notPoweredOff(vm, `IDE ${kind.name} devices`);
  // Removing a disk leaves its file on the datastore, as vCenter's Disk.delete does.
  return reconfigure(ctx, vm, { deviceChange: [{ operation: 'remove', device: { _type: device._type, key: device.key } }] });
}

/** Whether a device sits on an IDE controller, where nothing is hot-plugged. */
function onIde(vm: VirtualMachine, controllerKey: unknown): boolean {
  return devicesOf(vm).some((d) => d.key === controllerKey && d._type === 'VirtualIDEController');
}

async function createDisk(ctx: RestContext<unknown, z.output<typeof diskCreateSpec>>) {
  const vm = findVm(ctx.vc, ctx.params.vm!);
  const spec = ctx.body;
  if (poweredOn(vm) && (spec.type === 'IDE' || spec.ide)) throw notPoweredOff(vm, 'IDE disks');
  return addDevice(ctx, vm, (plan) => plan.addDisk(spec, ctx.flavour === 'rest' ? 'spec' : ''));
}

const diskUpdate = z.object({ backing: z.object({ type: z.literal('VMDK_FILE'), vmdk_file: z.string().min(1) }).optional() });

function updateDisk(ctx: RestContext<unknown, z.output<typeof diskUpdate>>) {
  const { vm, device } = findDevice(ctx, DISK);
  if (!ctx.body.backing) return undefined;
  if (poweredOn(vm)) throw notPoweredOff(vm, 'disk backing');
  const backing = { ...(device.backing as DataObject), fileName: ctx.body.backing.vmdk_file };
  return editDevice(ctx, vm, device, { backing });
}

async function createNic(ctx: RestContext<unknown, z.output<typeof nicCreateSpec>>) {
  const vm = findVm(ctx.vc, ctx.params.vm!);
  return addDevice(ctx, vm, (plan) => plan.addNic(ctx.body, ctx.flavour === 'rest' ? 'spec' : ''));
}

function updateNic(ctx: RestContext<unknown, z.output<typeof nicUpdateSpec>>) {
  const { vm, device } = findDevice(ctx, NIC);
  return editDevice(ctx, vm, device, nicFields(ctx.vc, ctx.body, ctx.flavour === 'rest' ? 'spec' : '', false, device));
}

async function createCdrom(ctx: RestContext<unknown, z.output<typeof cdromCreateSpec>>) {
  const vm = findVm(ctx.vc, ctx.params.vm!);
  if (poweredOn(vm) && (ctx.body.type ?? 'IDE') === 'IDE') throw notPoweredOff(vm, 'IDE CD-ROM devices');
  return addDevice(ctx, vm, (plan) => plan.addCdrom(ctx.body, ctx.flavour === 'rest' ? 'spec' : ''));
}

function updateCdrom(ctx: RestContext<unknown, z.output<typeof cdromUpdateSpec>>) {
  const { vm, device } = findDevice(ctx, CDROM);
  return editDevice(ctx, vm, device, cdromFields(ctx.body, ctx.flavour === 'rest' ? 'spec' : '', device));
}

/** connect/disconnect: only on a running VM, and not to the state the device is in. */
function setConnected(ctx: RestContext, kind: DeviceKind, connected: boolean) {
  const { vm, device } = findDevice(ctx, kind);
  const id = String(device.key);
  if (!poweredOn(vm)) {
    throw vapi('not_allowed_in_current_state', `com.vmware.api.vcenter.vm.hardware.${kind.name}.not_powered_on`, `Virtual machine ${vm.self.value} is not powered on.`, [vm.self.value]);
  }
  const current = (device.connectable ?? {}) as DataObject;
  if (Boolean(current.connected) === connected) {
    const state = connected ? 'connected' : 'disconnected';
    throw vapi('already_in_desired_state', `com.vmware.api.vcenter.vm.hardware.${kind.name}.already_${state}`, `${kind.label} '${id}' is already ${state}.`, [id]);
  }
  return editDevice(ctx, vm, device, { connectable: { ...current, _type: 'VirtualDeviceConnectInfo', connected, status: connected ? 'ok' : 'untried' } });
}

/** `/api`: `POST .../{id}?action=connect`; `/rest` (6.7): `POST .../{id}/connect`. */
function connectionRoutes(kind: DeviceKind): RestRoute[] {
  const base = `/vcenter/vm/:vm/hardware/${kind.name}/:${kind.idField}`;
  return (['connect', 'disconnect'] as const).flatMap((action) => {
    const handle = (ctx: RestContext) => setConnected(ctx, kind, action === 'connect');
    return [
      defineRoute({ method: 'POST', path: { api: base }, action, handle }),
      defineRoute({ method: 'POST', path: { rest: `${base}/${action}` }, handle }),
    ];
  });
}

/** list, get, create, update, delete of one device kind. */
function deviceRoutes<C extends z.ZodType, U extends z.ZodType>(
  kind: DeviceKind,
  create: { body: C; handle: (ctx: RestContext<unknown, z.output<C>>) => unknown },
  update: { body: U; handle: (ctx: RestContext<unknown, z.output<U>>) => unknown },
): RestRoute[] {
  const base = `/vcenter/vm/:vm/hardware/${kind.name}`;
  return [
    defineRoute({ method: 'GET', path: base, handle: (ctx) => listDevices(ctx, kind) }),
    defineRoute({ method: 'GET', path: `${base}/:${kind.idField}`, handle: (ctx) => findDevice(ctx, kind).info }),
    defineRoute({ method: 'POST', path: base, body: create.body, restBodyKey: 'spec', created: true, handle: create.handle }),
    defineRoute({ method: 'PATCH', path: `${base}/:${kind.idField}`, body: update.body, restBodyKey: 'spec', handle: update.handle }),
    defineRoute({ method: 'DELETE', path: `${base}/:${kind.idField}`, handle: (ctx) => removeDevice(ctx, kind) }),
  ];
}

export const vmHardwareRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: '/vcenter/vm/:vm/hardware', handle: ({ vc, params }) => hardwareInfo(configOf(findVm(vc, params.vm!))) }),
  defineRoute({ method: 'PATCH', path: '/vcenter/vm/:vm/hardware', body: hardwareUpdate, restBodyKey: 'spec', handle: updateHardware }),
  defineRoute({ method: 'POST', path: { api: '/vcenter/vm/:vm/hardware' }, action: 'upgrade', query: taskQuery, body: hardwareUpgrade, handle: upgradeHardware }),
  defineRoute({ method: 'POST', path: { rest: '/vcenter/vm/:vm/hardware/action/upgrade' }, body: hardwareUpgrade, handle: upgradeHardware }),
  defineRoute({ method: 'GET', path: '/vcenter/vm/:vm/hardware/cpu', handle: ({ vc, params }) => cpuInfo(findVm(vc, params.vm!)) }),
  defineRoute({ method: 'PATCH', path: '/vcenter/vm/:vm/hardware/cpu', body: cpuUpdate, restBodyKey: 'spec', handle: updateCpu }),
  defineRoute({ method: 'GET', path: '/vcenter/vm/:vm/hardware/memory', handle: ({ vc, params }) => memoryInfo(findVm(vc, params.vm!)) }),
  defineRoute({ method: 'PATCH', path: '/vcenter/vm/:vm/hardware/memory', body: memoryUpdate, restBodyKey: 'spec', handle: updateMemory }),
  ...deviceRoutes(DISK, { body: diskCreateSpec, handle: createDisk }, { body: diskUpdate, handle: updateDisk }),
  ...deviceRoutes(NIC, { body: nicCreateSpec, handle: createNic }, { body: nicUpdateSpec, handle: updateNic }),
  ...deviceRoutes(CDROM, { body: cdromCreateSpec, handle: createCdrom }, { body: cdromUpdateSpec, handle: updateCdrom }),
  ...connectionRoutes(NIC),
  ...connectionRoutes(CDROM),
];
