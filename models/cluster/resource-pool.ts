import { ManagedEntity } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import * as ops from './pool-operations.js';
import type { CreateConfigSpec } from '../vm/vm-provisioning.js';
import { importVApp } from '../vm/http-nfc-lease.js';

/**
 * A resource pool: a compute resource's root pool ("Resources") or a child pool. `summary.config`
 * and `summary.runtime` are the very objects `config` and `runtime` are, as vCenter reports
 * the same values in both; replace `config`/`runtime` through their properties, not wholesale.
 */
export class ResourcePool extends ManagedEntity {
  summary!: DataObject;
  runtime!: DataObject;
  owner!: MoRef;
  resourcePool: MoRef[] = [];
  vm: MoRef[] = [];
  config!: DataObject;
  childConfiguration: DataObject[] = [];

  constructor() {
    super();
    this.configure('Resources', childAllocation('cpu'), childAllocation('memory'));
  }

  /** Names the pool and sets its CPU and memory allocation (ResourceAllocationInfo) and what derives from them. */
  configure(name: string, cpu: DataObject, memory: DataObject): void {
    this.name = name;
    this.config = { entity: this.self, cpuAllocation: cpu, memoryAllocation: memory };
    this.runtime = {
      memory: usage(Number(memory.limit) < 0 ? ROOT_MEMORY_BYTES : Number(memory.limit) * 1024 * 1024),
      cpu: usage(Number(cpu.limit) < 0 ? ROOT_CPU_MHZ : Number(cpu.limit)),
      overallStatus: 'green',
    };
    this.summary = {
      name: this.name,
      config: this.config,
      runtime: this.runtime,
      quickStats: quickStats(),
      configuredMemoryMB: 0,
    };
  }

  override linkShared(): void {
    if (!this.summary) return;
    this.summary.config = this.config;
    this.summary.runtime = this.runtime;
  }

  /** Imports a VM from an OVF import spec: the VM is made at once, the lease takes its disks' bytes (models/vm/http-nfc-lease.ts). */
  ImportVApp(ctx: CallContext, args: { spec: DataObject; folder?: MoRef; host?: MoRef }): MoRef {
    return importVApp(ctx, this, args);
  }

  CreateResourcePool(ctx: CallContext, { name, spec }: { name: string; spec: ops.ResourceConfigSpec }): MoRef {
    return ops.createResourcePool(ctx, this, name, spec);
  }

  UpdateConfig(ctx: CallContext, { name, config }: { name?: string; config?: ops.ResourceConfigSpec }): void {
    ops.updatePoolConfig(ctx, this, name, config);
  }

  /** Destroys the pool: its VMs and child pools move to the parent pool; a root pool cannot be destroyed. */
  override Destroy_Task(ctx: CallContext): MoRef {
    return ops.destroyPoolTask(ctx, this);
  }

  DestroyChildren(ctx: CallContext): void {
    ops.destroyChildren(ctx, this);
  }

  /** Moves pools, vApps and VMs of the same cluster or standalone host into this pool. */
  MoveIntoResourcePool(ctx: CallContext, { list }: { list?: MoRef[] }): void {
    ops.moveIntoResourcePool(ctx, this, list ?? []);
  }

  CreateVApp(ctx: CallContext, args: { name: string; resSpec: ops.ResourceConfigSpec; configSpec: DataObject; vmFolder?: MoRef }): MoRef {
    return ops.createVApp(ctx, this, args);
  }

  /** Creates a VM in this pool and the datacenter's vm folder (the vApp's folder for a vApp). */
  CreateChildVM_Task(ctx: CallContext, args: { config: CreateConfigSpec; host?: MoRef }): MoRef {
    return ops.createChildVmTask(ctx, this, args);
  }
}

/** The VAppConfigInfo of a vApp, with the defaults vCenter fills for one made without an OVF. */
export function vAppConfigInfo(annotation: string, instanceUuid: string, product: DataObject[] = []): DataObject {
  return {
    entityConfig: [],
    annotation,
    instanceUuid,
    product,
    property: [],
    ipAssignment: { ipAllocationPolicy: 'fixedPolicy', supportedAllocationScheme: [], ipProtocol: 'IPv4', supportedIpProtocol: ['IPv4'] },
    eula: [],
    ovfSection: [],
    ovfEnvironmentTransport: [],
    installBootRequired: false,
    installBootStopDelay: 0,
  };
}

/** A vApp: a resource pool with its own VM folder link and vApp settings. */
export class VirtualApp extends ResourcePool {
  parentFolder?: MoRef;
  datastore: MoRef[] = [];
  network: MoRef[] = [];
  vAppConfig: DataObject = { entityConfig: [], annotation: '' };
  parentVApp?: MoRef;
  childLink: DataObject[] = [];

  PowerOnVApp_Task(ctx: CallContext): MoRef {
    return ops.vAppPowerTask(ctx, this, true);
  }

  PowerOffVApp_Task(ctx: CallContext, _args: { force?: boolean }): MoRef {
    return ops.vAppPowerTask(ctx, this, false);
  }

  CloneVApp_Task(ctx: CallContext, args: { name: string; target: MoRef; spec: ops.VAppCloneSpec }): MoRef {
    return ops.cloneVAppTask(ctx, this, args);
  }
}

/** What ESX reports for its root pool (and vcsim for every root pool): all of a small host's capacity. */
const ROOT_CPU_MHZ = 4121;
const ROOT_MEMORY_MB = 961;
const ROOT_MEMORY_BYTES = 1007681536;

export function rootAllocation(kind: 'cpu' | 'memory'): DataObject {
  const amount = kind === 'cpu' ? ROOT_CPU_MHZ : ROOT_MEMORY_MB;
  return { reservation: amount, expandableReservation: false, limit: amount, shares: { shares: 9000, level: 'custom' } };
}

/** vCenter's defaults for a new pool: nothing reserved, no limit, normal shares. */
export function childAllocation(kind: 'cpu' | 'memory'): DataObject {
  return { reservation: 0, expandableReservation: true, limit: -1, shares: { shares: kind === 'cpu' ? 4000 : 163840, level: 'normal' } };
}

function usage(max: number): DataObject {
  return { reservationUsed: 0, reservationUsedForVm: 0, unreservedForPool: max, unreservedForVm: max, overallUsage: 0, maxUsage: max };
}

function quickStats(): DataObject {
  return {
    overallCpuUsage: 0,
    overallCpuDemand: 0,
    guestMemoryUsage: 0,
    hostMemoryUsage: 0,
    distributedCpuEntitlement: 0,
    distributedMemoryEntitlement: 0,
    staticCpuEntitlement: 0,
    staticMemoryEntitlement: 0,
    privateMemory: 0,
    sharedMemory: 0,
    swappedMemory: 0,
    balloonedMemory: 0,
    overheadMemory: 0,
    consumedOverheadMemory: 0,
    compressedMemory: 0,
  };
}
