/** The smaller VirtualMachine operations: hardware upgrade, guest customization, FCD attach/detach, storage refresh, console tickets. */
import { createHash } from 'node:crypto';
import { VimFault, faults } from '../core/fault.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { VirtualMachine } from './virtual-machine.js';

/** The newest virtual hardware version of each ESXi release (major.minor). */
const hardwareOfRelease: Record<string, number> = { '5.5': 10, '6.0': 11, '6.5': 13, '6.7': 14, '7.0': 17, '8.0': 20 };

function hostOf(ctx: CallContext, vm: VirtualMachine): (DataObject & { name?: string; config?: DataObject; summary?: DataObject }) | undefined {
  const ref = vm.runtime.host as MoRef | undefined;
  return ref && (ctx.vc.registry.get(ref) as unknown as DataObject & { name?: string }) ;
}

/** The newest hardware version the VM's host runs (vmx-17 for 7.0). */
export function newestHardware(ctx: CallContext, vm: VirtualMachine): number {
  const product = (hostOf(ctx, vm)?.config as DataObject | undefined)?.product as DataObject | undefined;
  const release = String(product?.version ?? '7.0').split('.').slice(0, 2).join('.');
  return hardwareOfRelease[release] ?? 17;
}

function offOrFault(vm: VirtualMachine): void {
  if (vm.config?.template) throw faults.invalidState(`${vm.name} is a template`);
  if (vm.powerState !== 'poweredOff') {
    throw new VimFault('InvalidPowerState', { requestedState: 'poweredOff', existingState: vm.powerState }, 'The attempted operation cannot be performed in the current state.');
  }
}

export function upgradeVmTask(ctx: CallContext, vm: VirtualMachine, version?: string): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method: 'UpgradeVM_Task',
    descriptionId: 'VirtualMachine.upgradeVirtualHardware',
    entity: vm,
    run: () => {
      offOrFault(vm);
      const newest = newestHardware(ctx, vm);
      const target = version ? Number(/^vmx-(\d+)$/.exec(version)?.[1] ?? NaN) : newest;
      if (!Number.isInteger(target) || target > newest) throw faults.invalidArgument('version');
      const current = Number(/^vmx-(\d+)$/.exec(String(vm.config?.version ?? ''))?.[1] ?? 0);
      if (current >= target) throw new VimFault('AlreadyUpgraded', {}, 'The virtual machine is already at the requested hardware version.');
      const hw = `vmx-${target}`;
      vm.config!.version = hw;
      (vm.summary.config as DataObject).hwVersion = hw;
      vm.updateGuest((guest, summary) => {
        if ('hwVersion' in guest) guest.hwVersion = hw;
        if ('hwVersion' in summary) summary.hwVersion = hw;
      });
      ctx.vc.registry.changed(vm);
      vm.postEvent(ctx, 'VmUpgradingEvent', `is being upgraded to ${hw}`, undefined, { version: hw });
      vm.postEvent(ctx, 'VmUpgradeCompleteEvent', `is upgraded to ${hw}`, undefined, { version: hw });
      return undefined;
    },
  });
}

export function customizeVmTask(ctx: CallContext, vm: VirtualMachine, spec: DataObject): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method: 'CustomizeVM_Task',
    descriptionId: 'VirtualMachine.customize',
    entity: vm,
    run: (task) => {
      offOrFault(vm);
      const identity = spec.identity as DataObject | undefined;
      const nameSpec = ((identity?.hostName ?? (identity?.userData as DataObject | undefined)?.computerName) as DataObject | undefined);
      const hostName = typeof nameSpec?.name === 'string' ? nameSpec.name : undefined;
      const adapter = ((spec.nicSettingMap as DataObject[] | undefined)?.[0]?.adapter as DataObject | undefined);
      const ipSpec = adapter?.ip as DataObject | undefined;
      const ip = typeof ipSpec?.ipAddress === 'string' ? ipSpec.ipAddress : undefined;
      vm.postEvent(ctx, 'CustomizationStartedEvent', 'is being customized', task, { logLocation: 'C:/Windows/TEMP/vmware-imc/guestcust.log' });
      vm.updateGuest((guest, summary) => {
        if (hostName) guest.hostName = summary.hostName = hostName;
      });
      if (ip) {
        vm.updateGuest((guest, summary) => {
          guest.ipAddress = summary.ipAddress = ip;
          const nets = (guest.net as DataObject[] | undefined) ?? [];
          if (nets[0]) {
            nets[0].ipAddress = [ip];
            nets[0].ipConfig = { ipAddress: [{ ipAddress: ip, prefixLength: 24, state: 'preferred' }] };
          }
        }, false);
      }
      ctx.vc.registry.changed(vm);
      vm.postEvent(ctx, 'CustomizationSucceeded', 'is customized', task, { logLocation: 'C:/Windows/TEMP/vmware-imc/guestcust.log' });
      return undefined;
    },
  });
}

function diskIdOf(diskId: DataObject | string): string {
  return typeof diskId === 'string' ? diskId : String(diskId.id);
}

function devices(vm: VirtualMachine): DataObject[] {
  const hardware = vm.config?.hardware as DataObject | undefined;
  if (!hardware) throw faults.invalidState(`${vm.name} has no configuration`);
  return ((hardware.device ??= []) as DataObject[]);
}

function diskCount(ctx: CallContext, vm: VirtualMachine): void {
  (vm.summary.config as DataObject).numVirtualDisks = devices(vm).filter((d) => ctx.vc.types.isSubtypeOf(d._type as string, 'VirtualDisk')).length;
}

export function attachDiskTask(
  ctx: CallContext,
  vm: VirtualMachine,
  args: { diskId: DataObject | string; datastore: MoRef; controllerKey?: number; unitNumber?: number },
): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method: 'AttachDisk_Task',
    descriptionId: 'VirtualMachine.attachDisk',
    entity: vm,
    run: () => {
      if (vm.config?.template) throw faults.invalidState(`${vm.name} is a template`);
      const id = diskIdOf(args.diskId);
      const ds = ctx.vc.registry.get(args.datastore) as unknown as { name?: string; self: MoRef } | undefined;
      if (!ds) throw new VimFault('InvalidDatastore', { datastore: args.datastore }, 'The datastore is not valid.');
      const list = devices(vm);
      if (list.some((d) => (d.vDiskId as DataObject | undefined)?.id === id)) throw faults.invalidState(`Disk ${id} is already attached to ${vm.name}`);
      const { types } = ctx.vc;
      const controller = list.find((d) =>
        args.controllerKey !== undefined ? d.key === args.controllerKey : types.isSubtypeOf(d._type as string, 'VirtualSCSIController'),
      );
      if (!controller || !types.isSubtypeOf(controller._type as string, 'VirtualController')) {
        throw new VimFault('MissingController', {}, 'No controller found for the disk.');
      }
      const used = new Set(list.filter((d) => d.controllerKey === controller.key).map((d) => d.unitNumber as number));
      let unit = args.unitNumber;
      if (unit === undefined) for (unit = 0; used.has(unit) || unit === 7; unit++);
      else if (used.has(unit) || unit === 7) throw new VimFault('InvalidController', { controllerKey: controller.key }, `Unit ${unit} of the controller is in use.`);
      const key = Math.max(1999, ...list.filter((d) => types.isSubtypeOf(d._type as string, 'VirtualDisk')).map((d) => d.key as number)) + 1;
      const capacityKB = 1024;
      const disk: DataObject = {
        _type: 'VirtualDisk',
        key,
        deviceInfo: { label: `Hard disk ${key - 1999}`, summary: `${capacityKB} KB` },
        backing: {
          _type: 'VirtualDiskFlatVer2BackingInfo',
          fileName: `[${ds.name ?? ''}] fcd/${id}.vmdk`,
          datastore: ds.self,
          diskMode: 'persistent',
          thinProvisioned: true,
          uuid: id,
        },
        controllerKey: controller.key,
        unitNumber: unit,
        capacityInKB: capacityKB,
        capacityInBytes: capacityKB * 1024,
        vDiskId: { _type: 'ID', id },
      };
      list.push(disk);
      controller.device = [...((controller.device as number[] | undefined) ?? []), key];
      diskCount(ctx, vm);
      ctx.vc.registry.changed(vm);
      vm.postEvent(ctx, 'VmReconfiguredEvent', 'is reconfigured');
      return undefined;
    },
  });
}

export function detachDiskTask(ctx: CallContext, vm: VirtualMachine, diskId: DataObject | string): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method: 'DetachDisk_Task',
    descriptionId: 'VirtualMachine.detachDisk',
    entity: vm,
    run: () => {
      const id = diskIdOf(diskId);
      const list = devices(vm);
      const i = list.findIndex((d) => (d.vDiskId as DataObject | undefined)?.id === id);
      if (i < 0) throw faults.notFound(`Disk ${id} is not attached to ${vm.name}`);
      const [disk] = list.splice(i, 1);
      const controller = list.find((d) => d.key === disk!.controllerKey);
      if (controller?.device) controller.device = (controller.device as number[]).filter((k) => k !== disk!.key);
      diskCount(ctx, vm);
      ctx.vc.registry.changed(vm);
      vm.postEvent(ctx, 'VmReconfiguredEvent', 'is reconfigured');
      return undefined;
    },
  });
}

/** Recomputes `storage` and `summary.storage` from the disks' capacities. */
export function refreshStorageInfo(ctx: CallContext, vm: VirtualMachine): void {
  const disks = ((vm.config?.hardware as DataObject | undefined)?.device as DataObject[] | undefined ?? []).filter((d) =>
    ctx.vc.types.isSubtypeOf(d._type as string, 'VirtualDisk'),
  );
  const committed = disks.reduce((sum, d) => sum + Number(d.capacityInBytes ?? Number(d.capacityInKB ?? 0) * 1024), 0);
  const now = ctx.vc.now();
  const usage = { datastore: vm.datastore[0], committed, uncommitted: 0, unshared: committed };
  vm.storage = { perDatastoreUsage: vm.datastore[0] ? [usage] : [], timestamp: now };
  vm.summary.storage = { committed, uncommitted: 0, unshared: committed, timestamp: now };
  ctx.vc.registry.changed(vm);
}

const ticketPorts: Record<string, number> = { mks: 902, webmks: 443, device: 902, guestControl: 902, guestIntegrity: 902, webRemoteDevice: 443 };

/** A console ticket; the `count`th this VM hands out, so each differs and all are reproducible. */
export function acquireTicket(ctx: CallContext, vm: VirtualMachine, ticketType: string, count: number): DataObject {
  if (!(ticketType in ticketPorts)) throw faults.invalidArgument('ticketType');
  if (vm.powerState !== 'poweredOn') throw faults.invalidState(`${vm.name} is not powered on`);
  const host = hostOf(ctx, vm);
  const summaryConfig = host?.summary?.config as DataObject | undefined;
  const hash = (s: string) => createHash('sha256').update(s).digest('hex');
  const thumbprint = (summaryConfig?.sslThumbprint as string | undefined) ??
    hash(`thumbprint:${host?.name ?? ''}`).slice(0, 40).toUpperCase().match(/../g)!.join(':');
  const uuid = String((vm.config as DataObject | undefined)?.instanceUuid ?? vm.self.value);
  const ticket: DataObject = {
    _type: 'VirtualMachineTicket',
    ticket: hash(`${uuid}:${ticketType}:${count}`).slice(0, 32),
    cfgFile: String(((vm.config?.files as DataObject | undefined)?.vmPathName) ?? ''),
    host: host?.name,
    port: ticketPorts[ticketType],
    sslThumbprint: thumbprint,
  };
  if (ticketType === 'webmks') ticket.url = `wss://${host?.name ?? 'localhost'}:443/ticket/${ticket.ticket}`;
  return ticket;
}
