/**
 * HttpNfcLease: the lease an OVF import (ResourcePool.ImportVApp) or export (ExportVm) hands out.
 * An import creates its VM at once, under a running task, and offers one upload URL per disk
 * (`https://*\/nfc/<lease>/<file>`, PUT or POST of the bytes: simulator/files/nfc-routes.ts);
 * HttpNfcLeaseComplete ends the task with the VM, HttpNfcLeaseAbort (or the lease timing out with
 * no progress) ends it in error and removes the VM. An export offers each disk for download.
 */
import type { Folder } from '../core/folder.js';
import { faults, VimFault } from '../core/fault.js';
import type { ManagedEntity } from '../core/managed-entity.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { Task } from '../core/task.js';
import { diskImportKey } from './ovf-manager.js';
import { createVm } from './vm-provisioning.js';
import type { VirtualMachine } from './virtual-machine.js';

/** How long a lease lives without HttpNfcLeaseProgress, as vCenter's default. */
export const LEASE_TIMEOUT_MS = 300_000;
export const NFC_PREFIX = '/nfc';

export class HttpNfcLease extends ManagedObject {
  initializeProgress = 100;
  transferProgress = 0;
  mode = 'push';
  capabilities: DataObject = { pullModeSupported: false, corsSupported: false };
  info?: DataObject;
  state = 'initializing';
  error?: DataObject;
  /** The task an import runs under, and its VM. */
  importTask?: MoRef;
  /** Bytes received per upload file name. */
  received: Record<string, number> = {};
  /** Not world data: a timer. */
  private expiry?: NodeJS.Timeout;

  HttpNfcLeaseProgress(ctx: CallContext, { percent }: { percent: number }): void {
    this.requireReady();
    this.transferProgress = Math.max(0, Math.min(100, Number(percent)));
    this.arm(ctx);
    ctx.vc.registry.changed(this);
    const task = this.task(ctx);
    if (task && !task.ended) task.update(ctx, { progress: this.transferProgress });
  }

  HttpNfcLeaseComplete(ctx: CallContext): void {
    this.requireReady();
    this.end(ctx, 'done');
    const task = this.task(ctx);
    if (task && !task.ended) task.finish(ctx, { result: (this.info?.entity as MoRef | undefined) });
  }

  HttpNfcLeaseAbort(ctx: CallContext, { fault }: { fault?: DataObject }): void {
    if (this.state === 'done' || this.state === 'error') throw faults.invalidState('The lease has ended.');
    this.fail(ctx, new VimFault(String(fault?._type ?? 'RequestCanceled'), {}, 'The operation was canceled by the client.'));
  }

  HttpNfcLeaseGetManifest(_ctx: CallContext): DataObject[] {
    this.requireReady();
    return ((this.info?.deviceUrl as DataObject[] | undefined) ?? []).map((d) => ({
      key: d.key, sha1: '', checksum: '', checksumType: 'SHA1', size: this.received[String(d.targetId)] ?? 0,
      capacity: Math.floor(Number(this.info?.totalDiskCapacityInKB ?? 0) * 1024), populatedSize: this.received[String(d.targetId)] ?? 0,
    }));
  }

  /** The upload or download of `file`, for the HTTP side; undefined for no such file or a lease not ready. */
  device(file: string): DataObject | undefined {
    if (this.state !== 'ready') return undefined;
    return ((this.info?.deviceUrl as DataObject[] | undefined) ?? []).find((d) => d.targetId === file);
  }

  /** Records bytes received for `file` (the disk's content is not kept). */
  receive(ctx: CallContext, file: string, bytes: number): void {
    this.received[file] = bytes;
    this.arm(ctx);
    ctx.vc.registry.changed(this);
  }

  /** Opens the lease on `vm`'s disks (import: upload URLs keyed by the file items; export: downloads). */
  open(ctx: CallContext, vm: VirtualMachine, importName?: string): void {
    const disks = (((vm.config?.hardware as DataObject | undefined)?.device as DataObject[] | undefined) ?? []).filter((d) => ctx.vc.types.isSubtypeOf(String(d._type), 'VirtualDisk'));
    const total = disks.reduce((sum, d) => sum + Number(d.capacityInKB ?? 0), 0);
    this.info = {
      lease: this.self,
      entity: vm.self,
      deviceUrl: disks.map((d, i) => {
        const targetId = importName ? `disk-${i}.vmdk` : `${vm.name}-disk-${i}.vmdk`;
        return {
          key: `/${vm.self.value}/VirtualLsiLogicController0:${Number(d.unitNumber ?? i)}`,
          importKey: importName ? diskImportKey(importName, Number(d.unitNumber ?? i)) : undefined,
          url: `https://*${NFC_PREFIX}/${this.self.value}/${targetId}`,
          sslThumbprint: '',
          disk: true,
          targetId,
          datastoreKey: String((d.backing as DataObject | undefined)?.fileName ?? ''),
          fileSize: importName ? undefined : Number(d.capacityInKB ?? 0) * 1024,
        };
      }),
      totalDiskCapacityInKB: total,
      leaseTimeout: LEASE_TIMEOUT_MS / 1000,
      hostMap: [],
    };
    this.state = 'ready';
    this.arm(ctx);
    ctx.vc.registry.changed(this);
  }

  /** Drops the timer (a world restore or reset discards the lease). */
  stopPending(): void {
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = undefined;
  }

  private arm(ctx: CallContext): void {
    this.stopPending();
    this.expiry = setTimeout(() => {
      if (this.state === 'ready' && ctx.vc.registry.get(this.self) === this) this.fail(ctx, new VimFault('Timedout', {}, 'The lease timed out.'));
    }, LEASE_TIMEOUT_MS);
    this.expiry.unref?.();
  }

  private fail(ctx: CallContext, fault: VimFault): void {
    this.error = { _type: 'LocalizedMethodFault', fault: { _type: fault.type }, localizedMessage: fault.message };
    this.end(ctx, 'error');
    const task = this.task(ctx);
    if (!task || task.ended) return;
    task.finish(ctx, { error: fault });
    const entity = this.info?.entity as MoRef | undefined;
    const vm = entity ? (ctx.vc.registry.get(entity) as VirtualMachine | undefined) : undefined;
    if (vm) vm.Destroy_Task(ctx);
  }

  private end(ctx: CallContext, state: string): void {
    this.stopPending();
    this.state = state;
    ctx.vc.registry.changed(this);
  }

  private requireReady(): void {
    if (this.state !== 'ready') throw faults.invalidState(`The lease is ${this.state}.`);
  }

  private task(ctx: CallContext): Task | undefined {
    return this.importTask && (ctx.vc.registry.get(this.importTask) as Task | undefined);
  }
}

/** ResourcePool.ImportVApp: the VM of `spec` created in `folder` under a running task, and a lease to upload its disks. */
export function importVApp(ctx: CallContext, pool: ManagedEntity, { spec, folder, host }: { spec: DataObject; folder?: MoRef; host?: MoRef }): MoRef {
  const { registry } = ctx.vc;
  if (spec?._type !== 'VirtualMachineImportSpec') throw faults.notSupported();
  const config = spec.configSpec as DataObject;
  const vmFolder = folder ? registry.require<Folder>(folder) : defaultVmFolder(ctx, pool);
  const info = ctx.vc.tasks.CreateTask(ctx, { obj: pool.self, taskTypeId: 'ResourcePool.ImportVAppLRO', cancelable: false });
  const task = registry.require<Task>(info.task as MoRef);
  task.SetTaskState(ctx, { state: 'running' });
  let vm: VirtualMachine;
  try {
    vm = createVm(ctx, vmFolder, { config: config as never, pool: pool.self, host }, task);
  } catch (fault) {
    task.finish(ctx, { error: fault as VimFault });
    throw fault;
  }
  const lease = registry.addNew(new HttpNfcLease(), 'HttpNfcLease', 'session');
  lease.importTask = task.self;
  lease.open(ctx, vm, String(config.name));
  return lease.self;
}

/** VirtualMachine.ExportVm: a lease offering the (powered-off) VM's disks for download. */
export function exportVm(ctx: CallContext, vm: VirtualMachine): MoRef {
  if (vm.runtime.powerState !== 'poweredOff') {
    throw new VimFault('InvalidPowerState', { requestedState: 'poweredOff', existingState: vm.runtime.powerState }, 'The VM must be powered off to be exported.');
  }
  const lease = ctx.vc.registry.addNew(new HttpNfcLease(), 'HttpNfcLease', 'session');
  lease.mode = 'pull';
  lease.open(ctx, vm);
  return lease.self;
}

function defaultVmFolder(ctx: CallContext, pool: ManagedEntity): Folder {
  let current: (ManagedEntity & { vmFolder?: MoRef }) | undefined = pool;
  while (current && current.self.type !== 'Datacenter') current = current.parent && (ctx.vc.registry.get(current.parent) as ManagedEntity | undefined);
  if (!current?.vmFolder) throw faults.invalidArgument('folder');
  return ctx.vc.registry.require<Folder>(current.vmFolder);
}
