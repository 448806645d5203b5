/**
 * HostDatastoreSystem: the datastores one host mounts. Creating a datastore (NAS, local, VMFS on
 * one of the host's free disks) adds it to the host, its compute resource, the datacenter and its
 * datastore folder; a NAS share another host of the datacenter already mounts under the same name
 * is mounted here too, as vCenter does. RemoveDatastore unmounts it from this host (the datastore
 * goes when no host is left), refused while VMs of this host use it.
 */
import type { ComputeResource } from '../cluster/compute-resource.js';
import type { Datacenter } from '../core/datacenter.js';
import { faults, VimFault } from '../core/fault.js';
import type { Folder } from '../core/folder.js';
import { addRef, datacenterOf, removeRef } from '../core/managed-entity.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { HostSystem } from '../host/host-system.js';
import { Datastore } from './datastore.js';
import { HostDatastoreBrowser } from './host-datastore-browser.js';

/** What a new datastore offers when its backing says nothing of its size (NAS shares, local paths). */
export const NEW_DATASTORE_CAPACITY = 1024 ** 4;

interface NewDatastore {
  name: string;
  info: DataObject;
  type: string;
  capacity: number;
  url: string;
}

export class HostDatastoreSystem extends ManagedObject {
  datastore: MoRef[] = [];
  capabilities: DataObject = {};
  /** The host this system configures (set by the builder). */
  ownerHost?: MoRef;

  /** The host's own list, never a copy of it. */
  override read(name: string, ctx: CallContext): unknown {
    const host = name === 'datastore' && this.ownerHost ? (ctx.vc.registry.get(this.ownerHost) as HostSystem | undefined) : undefined;
    if (host) return host.datastore;
    return super.read(name, ctx);
  }

  CreateNasDatastore(ctx: CallContext, { spec }: { spec: DataObject }): MoRef {
    const { remoteHost, remotePath, localPath } = spec as Record<string, string>;
    if (!remoteHost) throw faults.invalidArgument('spec.remoteHost');
    if (!remotePath) throw faults.invalidArgument('spec.remotePath');
    if (!localPath) throw faults.invalidArgument('spec.localPath');
    const type = String(spec.type ?? 'NFS');
    const host = this.host(ctx);
    const shared = this.datacenterDatastores(ctx, host).find((ds) => ds.name === localPath);
    if (shared) {
      const nas = (shared.info.nas ?? {}) as DataObject;
      if (nas.remoteHost !== remoteHost || nas.remotePath !== remotePath || shared.host.some((m) => (m.key as MoRef).value === host.self.value)) {
        throw faults.duplicateName(localPath, shared.self);
      }
      mount(ctx, shared, host);
      return shared.self;
    }
    const url = `ds:///vmfs/volumes/${volumeId(`${remoteHost}:${remotePath}`)}/`;
    const nas = { _type: 'HostNasVolume', type, name: localPath, capacity: NEW_DATASTORE_CAPACITY, remoteHost, remotePath, userName: spec.userName, protocolEndpoint: undefined };
    return this.create(ctx, host, { name: localPath, type, capacity: NEW_DATASTORE_CAPACITY, url, info: { _type: 'NasDatastoreInfo', nas } }).self;
  }

  CreateLocalDatastore(ctx: CallContext, { name, path }: { name: string; path: string }): MoRef {
    if (!name) throw faults.invalidArgument('name');
    if (!path) throw faults.invalidArgument('path');
    const url = `ds:///vmfs/volumes/${volumeId(`local:${name}:${path}`)}/`;
    return this.create(ctx, this.host(ctx), { name, type: 'OTHER', capacity: NEW_DATASTORE_CAPACITY, url, info: { _type: 'LocalDatastoreInfo', path } }).self;
  }

  CreateVmfsDatastore(ctx: CallContext, { spec }: { spec: DataObject }): MoRef {
    const vmfs = (spec.vmfs ?? {}) as DataObject;
    const name = String(vmfs.volumeName ?? '');
    if (!name) throw faults.invalidArgument('spec.vmfs.volumeName');
    const host = this.host(ctx);
    const diskName = String((vmfs.extent as DataObject | undefined)?.diskName ?? '');
    const disk = this.freeDisks(ctx, host).find((d) => d.canonicalName === diskName || d.devicePath === spec.diskUuid || d.uuid === spec.diskUuid);
    if (!disk) throw faults.notFound(`The disk '${diskName}' is not a free disk of ${host.name}.`);
    const dims = disk.capacity as { block: number; blockSize: number };
    const capacity = dims.block * dims.blockSize;
    const uuid = volumeId(`vmfs:${host.self.value}:${diskName}`);
    const volume = {
      _type: 'HostVmfsVolume', type: 'VMFS', name, capacity, blockSizeMb: 1, blockSize: 1024, maxBlocks: 61439,
      majorVersion: Number(vmfs.majorVersion ?? 6), version: `${vmfs.majorVersion ?? 6}.82`, uuid,
      extent: [{ diskName, partition: 1 }], vmfsUpgradable: false, ssd: true, local: true,
    };
    return this.create(ctx, host, { name, type: 'VMFS', capacity, url: `ds:///vmfs/volumes/${uuid}/`, info: { _type: 'VmfsDatastoreInfo', vmfs: volume } }).self;
  }

  /** The one way ESX offers to format a free disk: all of it, one partition. */
  QueryVmfsDatastoreCreateOptions(ctx: CallContext, { devicePath, vmfsMajorVersion }: { devicePath: string; vmfsMajorVersion?: number }): DataObject[] {
    const disk = this.freeDisks(ctx, this.host(ctx)).find((d) => d.devicePath === devicePath);
    if (!disk) throw faults.notFound(`The disk '${devicePath}' is not a free disk.`);
    const dims = disk.capacity as { block: number; blockSize: number };
    const partition = { _type: 'HostDiskPartitionSpec', totalSectors: dims.block, partition: [{ partition: 1, startSector: 2048, endSector: dims.block - 1, type: 'vmfs' }] };
    return [{
      _type: 'VmfsDatastoreOption',
      info: { _type: 'VmfsDatastoreAllExtentOption', layout: { partition: [] }, partitionFormatChange: false, vmfsExtent: { diskName: disk.canonicalName, partition: 1 } },
      spec: { _type: 'VmfsDatastoreCreateSpec', diskUuid: disk.uuid, partition, vmfs: { volumeName: '', majorVersion: vmfsMajorVersion ?? 6, extent: { diskName: disk.canonicalName, partition: 1 } } },
    }];
  }

  QueryAvailableDisksForVmfs(ctx: CallContext): DataObject[] {
    return this.freeDisks(ctx, this.host(ctx));
  }

  RemoveDatastore(ctx: CallContext, { datastore }: { datastore: MoRef }): void {
    const host = this.host(ctx);
    const ds = ctx.vc.registry.require<Datastore>(datastore);
    if (!host.datastore.some((r) => r.value === ds.self.value)) throw faults.notFound(`${ds.name} is not mounted on ${host.name}.`);
    if (ds.vm.some((vm) => host.vm.some((r) => r.value === vm.value))) {
      throw new VimFault('ResourceInUse', { type: 'Datastore', name: ds.name }, `The resource '${ds.name}' is in use.`);
    }
    if (ds.host.length <= 1) {
      ds.requireUnused();
      ds.destroy(ctx);
      return;
    }
    unmount(ctx, ds, host);
  }

  private create(ctx: CallContext, host: HostSystem, spec: NewDatastore): Datastore {
    const { registry } = ctx.vc;
    const dcRef = datacenterOf(registry, host);
    const dc = dcRef && registry.require<Datacenter>(dcRef);
    if (!dc) throw faults.invalidState(`${host.name} is in no datacenter.`);
    const clash = this.datacenterDatastores(ctx, host).find((d) => d.name === spec.name);
    if (clash) throw faults.duplicateName(spec.name, clash.self);
    const ds = registry.addNew(new Datastore(), 'Datastore', 'datastore');
    const now = ctx.vc.now();
    ds.name = spec.name;
    ds.info = { ...spec.info, name: spec.name, url: spec.url, freeSpace: spec.capacity, maxFileSize: 62 * 1024 ** 4, maxVirtualDiskCapacity: 62 * 1024 ** 4, maxMemoryFileSize: 62 * 1024 ** 4, timestamp: now };
    ds.summary = { datastore: ds.self, name: spec.name, url: spec.url, capacity: spec.capacity, freeSpace: spec.capacity, uncommitted: 0, accessible: true, multipleHostAccess: false, type: spec.type, maintenanceMode: 'normal' };
    const folder = registry.require<Folder>(dc.datastoreFolder);
    folder.addChild(ds);
    addRef(dc.datastore, ds.self);
    registry.structureChanged(folder);
    registry.changed(dc);
    mount(ctx, ds, host);
    return ds;
  }

  private host(ctx: CallContext): HostSystem {
    const host = this.ownerHost && (ctx.vc.registry.get(this.ownerHost) as HostSystem | undefined);
    if (!host) throw faults.invalidState('The host of this datastore system is gone.');
    return host;
  }

  private datacenterDatastores(ctx: CallContext, host: HostSystem): Datastore[] {
    const dcRef = datacenterOf(ctx.vc.registry, host);
    const dc = dcRef && (ctx.vc.registry.get(dcRef) as Datacenter | undefined);
    return (dc?.datastore ?? []).map((r) => ctx.vc.registry.get(r) as Datastore | undefined).filter((d): d is Datastore => !!d);
  }

  /** The host's disks no VMFS datastore uses. */
  private freeDisks(ctx: CallContext, host: HostSystem): DataObject[] {
    const luns = (((host.config as DataObject).storageDevice as DataObject | undefined)?.scsiLun as DataObject[] | undefined) ?? [];
    const used = new Set<string>();
    for (const ds of this.datacenterDatastores(ctx, host)) {
      for (const extent of (((ds.info.vmfs as DataObject | undefined)?.extent as DataObject[] | undefined) ?? [])) used.add(String(extent.diskName));
    }
    return luns.filter((lun) => lun.lunType === 'disk' && !used.has(String(lun.canonicalName)));
  }
}

/** Mounts `ds` on `host`: both lists, the compute resource's, and the host's file system volumes. */
export function mount(ctx: CallContext, ds: Datastore, host: HostSystem): void {
  const { registry } = ctx.vc;
  ds.mountOn(host.self);
  if (!registry.get(host.datastoreBrowser)) {
    // A host that had no datastore has no browser yet (its datastoreBrowser names none).
    const browser = registry.addNew(new HostDatastoreBrowser(), 'HostDatastoreBrowser', 'hostdatastorebrowser');
    browser.ownerHost = host.self;
    host.datastoreBrowser = browser.self;
  }
  ds.browser ??= host.datastoreBrowser;
  ds.summary.multipleHostAccess = ds.host.length > 1;
  addRef(host.datastore, ds.self);
  const cr = host.parent && (registry.get(host.parent) as ComputeResource | undefined);
  if (cr) {
    addRef(cr.datastore, ds.self);
    registry.changed(cr);
  }
  const volumes = ((host.config as DataObject).fileSystemVolume as { mountInfo: DataObject[] }).mountInfo;
  const volume = (ds.info.nas ?? ds.info.vmfs ?? { _type: 'HostFileSystemVolume', type: ds.summary.type, name: ds.name, capacity: ds.summary.capacity }) as DataObject;
  volumes.push({ mountInfo: { path: `/vmfs/volumes/${String(ds.summary.url).replace(/^ds:\/\/\/vmfs\/volumes\//, '').replace(/\/$/, '')}`, accessMode: 'readWrite', mounted: true, accessible: true }, volume, vStorageSupport: 'vStorageUnsupported' });
  changedHost(ctx, host);
  registry.changed(ds);
}

/** The host and the managers that show its datastores. */
function changedHost(ctx: CallContext, host: HostSystem): void {
  const managers = host.configManager as { datastoreSystem?: MoRef; storageSystem?: MoRef };
  for (const ref of [host.self, managers.datastoreSystem, managers.storageSystem]) {
    const obj = ref && ctx.vc.registry.get(ref);
    if (obj) ctx.vc.registry.changed(obj);
  }
}

function unmount(ctx: CallContext, ds: Datastore, host: HostSystem): void {
  const { registry } = ctx.vc;
  ds.host = ds.host.filter((m) => (m.key as MoRef).value !== host.self.value);
  ds.summary.multipleHostAccess = ds.host.length > 1;
  removeRef(host.datastore, ds.self);
  const volumes = ((host.config as DataObject).fileSystemVolume as { mountInfo: DataObject[] });
  volumes.mountInfo = volumes.mountInfo.filter((v) => (v.volume as DataObject).name !== ds.name && (v.volume as DataObject).name !== (ds.info.nas as DataObject | undefined)?.name);
  const cr = host.parent && (registry.get(host.parent) as ComputeResource | undefined);
  if (cr && !cr.host.some((h) => ds.host.some((m) => (m.key as MoRef).value === h.value))) {
    removeRef(cr.datastore, ds.self);
    registry.changed(cr);
  }
  changedHost(ctx, host);
  registry.changed(ds);
}

/** A VMFS-style volume id (8-8-4-12 hex digits) from `seed`, the same for the same seed. */
function volumeId(seed: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < seed.length; i++) {
    h1 = Math.imul(h1 ^ seed.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ seed.charCodeAt(i), 2246822519) >>> 0;
  }
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  const all = hex(h1) + hex(h2) + hex(h1 ^ h2) + hex(Math.imul(h1, 31) >>> 0);
  return `${all.slice(0, 8)}-${all.slice(8, 16)}-${all.slice(16, 20)}-${all.slice(20, 32)}`;
}

