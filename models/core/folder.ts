import { Datacenter } from './datacenter.js';
import { entityArguments } from './event-manager.js';
import { checkChildName, ManagedEntity, removeRef } from './managed-entity.js';
import { faults, VimFault } from './fault.js';
import type { CallContext } from './managed-object.js';
import type { DataObject, MoRef } from './moref.js';
import type { Registry } from './registry.js';
import { addStandaloneHostTask, checkHostToFolder, createCluster, hostToFolder } from '../cluster/cluster-operations.js';
import type { HostSystem } from '../host/host-system.js';
import { createVmTask, type CreateConfigSpec } from '../vm/vm-provisioning.js';
import { registerVmTask, type RegisterArgs } from '../vm/vm-registration.js';
import { createDvsTask } from '../network/dvs-operations.js';

/** A folder of the inventory: the root folder, a datacenter's vm/host/datastore/network folders, or a user folder. */
export class Folder extends ManagedEntity {
  /** The types of entity this folder may hold ('Folder', 'Datacenter', 'VirtualMachine', ...). */
  childType: string[] = [];
  childEntity: MoRef[] = [];

  /** Links `child` under this folder, both ways. */
  addChild(child: ManagedEntity): void {
    // A child whose parent is this folder is listed already; checking that, not the list, keeps big folders fast.
    if (child.parent?.value === this.self.value) return;
    this.childEntity.push(child.self);
    child.parent = this.self;
  }

  /** A new folder under this one, for the same kinds of children. */
  CreateFolder(ctx: CallContext, { name }: { name: string }): MoRef {
    const { registry } = ctx.vc;
    checkChildName(registry, this.childEntity, name, this.self);
    const folder = registry.addNew(new Folder(), 'Folder', 'folder');
    folder.name = name;
    folder.childType = [...this.childType];
    this.addChild(folder);
    registry.structureChanged(this);
    return folder.self;
  }

  /** A new datacenter under this folder (one that holds datacenters), with its four folders. */
  CreateDatacenter(ctx: CallContext, { name }: { name: string }): MoRef {
    const { registry } = ctx.vc;
    // An ESX host has its one ha-datacenter, and no other.
    if (!ctx.vc.isVpx || !this.childType.includes('Datacenter')) throw faults.notSupported();
    checkChildName(registry, this.childEntity, name, this.self);
    const dc = registry.addNew(new Datacenter(), 'Datacenter', 'datacenter');
    dc.name = name;
    this.addChild(dc);
    addDatacenterFolders(registry, dc);
    registry.structureChanged(this);
    ctx.vc.events.post(ctx, {
      _type: 'DatacenterCreatedEvent',
      parent: { _type: 'FolderEventArgument', folder: this.self, name: this.name },
      fullFormattedMessage: `Created datacenter ${name} in folder ${this.name}`,
      ...entityArguments(registry, dc.self),
    });
    return dc.self;
  }

  /** A new cluster in this folder (one that holds compute resources), `spec` applied over the defaults. */
  CreateClusterEx(ctx: CallContext, { name, spec }: { name: string; spec: DataObject }): MoRef {
    return createCluster(ctx, this, name, spec);
  }

  /** The pre-4.0 form of CreateClusterEx (a ClusterConfigSpec). */
  CreateCluster(ctx: CallContext, { name, spec }: { name: string; spec: DataObject }): MoRef {
    return createCluster(ctx, this, name, spec);
  }

  /** Adds a host as a standalone compute resource in this folder; the task's result is the ComputeResource. */
  AddStandaloneHost_Task(ctx: CallContext, args: { spec: DataObject; compResSpec?: DataObject; addConnected: boolean; license?: string }): MoRef {
    return addStandaloneHostTask(ctx, this, args);
  }

  /**
   * Moves entities into this folder: each must be of a type the folder holds, must not be the
   * folder or one of its ancestors, and its name must be free here. All are checked before any moves.
   */
  MoveIntoFolder_Task(ctx: CallContext, { list }: { list: MoRef[] }): MoRef {
    return ctx.vc.tasks.start(ctx, {
      method: 'MoveIntoFolder_Task',
      descriptionId: 'Folder.moveInto',
      entity: this,
      run: () => {
        const { registry, types } = ctx.vc;
        const entities = (list ?? []).map((ref) => registry.require<ManagedEntity>(ref));
        for (const entity of entities) {
          if (entity.self.type === 'HostSystem' && this.childType.includes('ComputeResource')) {
            checkHostToFolder(ctx, this, entity as HostSystem);
            continue;
          }
          if (!this.childType.some((type) => types.isSubtypeOf(entity.self.type, type))) throw faults.notSupported();
          if (this.isWithin(registry, entity)) throw new VimFault('InvalidFolder', { target: entity.self }, `${entity.name} cannot be moved into itself.`);
          if (entity.parent?.value !== this.self.value) checkChildName(registry, this.childEntity, entity.name ?? '', entity.self);
        }
        for (const entity of entities) {
          if (entity.self.type === 'HostSystem') {
            hostToFolder(ctx, this, entity as HostSystem);
            continue;
          }
          const from = entity.parent && (registry.get(entity.parent) as Folder | undefined);
          if (from === this) continue;
          from?.removeChild(entity);
          if (from) registry.structureChanged(from);
          this.addChild(entity);
          registry.structureChanged(entity);
        }
        registry.structureChanged(this);
        return undefined;
      },
    });
  }

  /** Whether this folder is `entity` or lies under it. */
  private isWithin(registry: Registry, entity: ManagedEntity): boolean {
    for (let at: ManagedEntity | undefined = this; at; at = at.parent && (registry.get(at.parent) as ManagedEntity | undefined)) {
      if (at === entity) return true;
    }
    return false;
  }

  /** Creates a VM in this folder, placed in `pool` (and on `host`, or one of the pool's hosts): its task's result is the VM. */
  CreateVM_Task(ctx: CallContext, args: { config: CreateConfigSpec; pool: MoRef; host?: MoRef }): MoRef {
    return createVmTask(ctx, this, args);
  }

  /** Registers the VM whose .vmx is at `path` (no registered VM may use it): its task's result is the VM. */
  RegisterVM_Task(ctx: CallContext, args: RegisterArgs): MoRef {
    return registerVmTask(ctx, this, args);
  }

  /** Destroy_Task: the root folder and a datacenter's own folders cannot go; everything inside must be destroyable. */
  override checkDestroy(ctx: CallContext): void {
    const parent = this.parent && ctx.vc.registry.get(this.parent);
    if (!(parent instanceof Folder)) throw faults.notSupported();
    this.checkChildren(ctx);
  }

  /** Destroys what the folder holds, then the folder. */
  override destroy(ctx: CallContext): void {
    this.destroyChildren(ctx);
    this.unlink(ctx);
  }

  /** Throws what any child's destroy would be refused with. */
  checkChildren(ctx: CallContext): void {
    for (const ref of this.childEntity) (ctx.vc.registry.get(ref) as ManagedEntity | undefined)?.checkDestroy(ctx);
  }

  /** Destroys every child (one may take others with it: a switch its portgroups). */
  destroyChildren(ctx: CallContext): void {
    for (const ref of [...this.childEntity]) (ctx.vc.registry.get(ref) as ManagedEntity | undefined)?.destroy(ctx);
  }

  /** A datastore cluster in this (datastore) folder: an empty StoragePod with Storage DRS on. */
  CreateStoragePod(ctx: CallContext, { name }: { name: string }): MoRef {
    const { registry } = ctx.vc;
    if (!this.childType.includes('StoragePod')) throw faults.notSupported();
    checkChildName(registry, this.childEntity, name, this.self);
    const pod = registry.addNew(new StoragePod(), 'StoragePod', 'storagepod');
    pod.name = name;
    pod.childType = ['Datastore'];
    pod.summary = { name, capacity: 0, freeSpace: 0 };
    this.addChild(pod);
    registry.structureChanged(this);
    return pod.self;
  }

  /** A distributed switch in this (network) folder, with its uplink portgroup and member hosts; the task's result is the switch. */
  CreateDVS_Task(ctx: CallContext, { spec }: { spec: DataObject }): MoRef {
    return createDvsTask(ctx, this, spec);
  }

  /** Unlinks `child` from this folder, both ways. */
  removeChild(child: ManagedEntity): void {
    removeRef(this.childEntity, child.self);
    if (child.parent?.value === this.self.value) child.parent = undefined;
  }
}

/** The four folders every datacenter has (vm, host, datastore, network), made and linked to it. */
export function addDatacenterFolders(registry: Registry, dc: Datacenter): Record<'vm' | 'host' | 'datastore' | 'network', Folder> {
  const folder = (name: string, childType: string[]) => {
    const f = registry.addNew(new Folder(), 'Folder', 'folder');
    f.name = name;
    f.childType = childType;
    f.parent = dc.self;
    return f;
  };
  const folders = {
    vm: folder('vm', ['VirtualMachine', 'VirtualApp', 'Folder']),
    host: folder('host', ['ComputeResource', 'Folder']),
    datastore: folder('datastore', ['Datastore', 'StoragePod', 'Folder']),
    network: folder('network', ['Network', 'DistributedVirtualSwitch', 'Folder']),
  };
  dc.vmFolder = folders.vm.self;
  dc.hostFolder = folders.host.self;
  dc.datastoreFolder = folders.datastore.self;
  dc.networkFolder = folders.network.self;
  return folders;
}

/** A datastore cluster: a folder of datastores with Storage DRS settings. */
export class StoragePod extends Folder {
  summary: DataObject = { name: '', capacity: 0, freeSpace: 0 };

  /** A pod's capacity and free space are its datastores' (it is read whole, or not at all). */
  override read(name: string, ctx: CallContext): unknown {
    if (name !== 'summary') return super.read(name, ctx);
    let capacity = 0;
    let freeSpace = 0;
    for (const ref of this.childEntity) {
      const ds = ctx.vc.registry.get(ref) as (ManagedEntity & { summary?: DataObject }) | undefined;
      if (ref.type !== 'Datastore' || !ds?.summary) continue;
      capacity += Number(ds.summary.capacity ?? 0);
      freeSpace += Number(ds.summary.freeSpace ?? 0);
    }
    return { ...this.summary, name: this.name, capacity, freeSpace };
  }
  podStorageDrsEntry: DataObject = {
    storageDrsConfig: {
      podConfig: {
        enabled: true,
        ioLoadBalanceEnabled: false,
        defaultVmBehavior: 'automated',
        loadBalanceInterval: 480,
        defaultIntraVmAffinity: true,
      },
      vmConfig: [],
    },
    recommendation: [],
    drsFault: [],
    actionHistory: [],
  };
}
