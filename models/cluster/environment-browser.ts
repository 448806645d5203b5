import { faults } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { HostSystem } from '../host/host-system.js';
import type { Datastore } from '../storage/datastore.js';
import type { Network } from '../network/network.js';
import type { DistributedVirtualPortgroup } from '../network/distributed-virtual-portgroup.js';
import type { DistributedVirtualSwitch } from '../network/distributed-virtual-switch.js';
import type { ComputeResource } from './compute-resource.js';
import { configOption, hardwareRow, hardwareVersions, vmxKey } from './config-option.js';

/**
 * What a compute resource (a standalone host's or a cluster) offers the VMs created on it: the
 * hardware versions and guests its hosts run (config options) and the datastores, networks and
 * devices a VM there can use (config target). Every answer is read from the inventory as it is now.
 */
export class EnvironmentBrowser extends ManagedObject {
  datastoreBrowser?: MoRef;

  /** The config option of hardware version `key` (the hosts' newest when unset); unset for a key no host runs. */
  QueryConfigOption(ctx: CallContext, { key, host }: { key?: string; host?: MoRef }): DataObject | undefined {
    return this.option(ctx, key, host, []);
  }

  QueryConfigOptionEx(ctx: CallContext, { spec }: { spec?: { key?: string; host?: MoRef; guestId?: string[] } }): DataObject | undefined {
    return this.option(ctx, spec?.key, spec?.host, spec?.guestId ?? []);
  }

  /** Every hardware version the hosts run, with the hosts that run it; the newest is the default. */
  QueryConfigOptionDescriptor(ctx: CallContext): DataObject[] {
    const hosts = this.hosts(ctx);
    const byVersion = hosts.map((h) => ({ host: h, rows: hostHardware(h) }));
    const all = [...new Set(byVersion.flatMap((v) => v.rows.map((r) => r[0])))].sort((a, b) => a - b);
    const newest = all[all.length - 1];
    return all.map((hw) => ({
      key: vmxKey(hw),
      description: byVersion.flatMap((v) => v.rows).find((r) => r[0] === hw)![1],
      host: byVersion.filter((v) => v.rows.some((r) => r[0] === hw)).map((v) => v.host.self),
      createSupported: true,
      defaultConfigOption: hw === newest,
      runSupported: true,
      upgradeSupported: true,
    }));
  }

  /** What a VM on `host` (or any host of the compute resource) can use: CPUs, datastores, networks, switches, devices. */
  QueryConfigTarget(ctx: CallContext, { host }: { host?: MoRef }): DataObject {
    const hosts = host ? [this.memberHost(ctx, host)] : this.hosts(ctx);
    const hardware = hosts.map((h) => h.summary.hardware as Record<string, number>);
    const maxMemMB = Math.max(0, ...hardware.map((h) => Math.floor(h.memorySize! / (1024 * 1024))));
    return {
      numCpus: sum(hardware.map((h) => h.numCpuThreads!)),
      numCpuCores: sum(hardware.map((h) => h.numCpuCores!)),
      numNumaNodes: hosts.length,
      maxCpusPerHost: Math.max(0, ...hardware.map((h) => h.numCpuThreads!)),
      smcPresent: false,
      datastore: this.datastores(ctx, hosts),
      ...this.networks(ctx, hosts),
      cdRom: this.cdRoms(hosts),
      serial: [],
      parallel: [],
      sound: [],
      usb: [],
      floppy: [],
      legacyNetworkInfo: [],
      scsiPassthrough: [],
      scsiDisk: [],
      ideDisk: [],
      maxMemMBOptimalPerf: maxMemMB,
      supportedMaxMemMB: maxMemMB,
      resourcePool: this.rootPoolRuntime(ctx),
      autoVmotion: false,
      pciPassthrough: [],
      sriov: [],
      vFlashModule: [],
      sharedGpuPassthroughTypes: [],
      availablePersistentMemoryReservationMB: 0,
      dynamicPassthrough: [],
    };
  }

  /** The capabilities of `host`, or of the compute resource's first host. */
  QueryTargetCapabilities(ctx: CallContext, { host }: { host?: MoRef }): DataObject | undefined {
    const target = host ? this.memberHost(ctx, host) : this.hosts(ctx)[0];
    return target?.capability;
  }

  private option(ctx: CallContext, key: string | undefined, host: MoRef | undefined, guestIds: string[]): DataObject | undefined {
    const hosts = host ? [this.memberHost(ctx, host)] : this.hosts(ctx);
    const first = hosts[0];
    const rows = first ? hostHardware(first) : hardwareVersions('7.0');
    const row = key ? hardwareRow(rows, key) : rows[rows.length - 1];
    return row && configOption(ctx.vc.types, row, guestIds);
  }

  /** The compute resource whose environment browser this is. */
  owner(ctx: CallContext): ComputeResource | undefined {
    const { registry } = ctx.vc;
    for (const type of ['ComputeResource', 'ClusterComputeResource']) {
      const found = registry.ofType<ComputeResource>(type).find((cr) => cr.environmentBrowser?.value === this.self.value);
      if (found) return found;
    }
    return undefined;
  }

  private hosts(ctx: CallContext): HostSystem[] {
    return (this.owner(ctx)?.host ?? []).map((ref) => ctx.vc.registry.get(ref) as HostSystem | undefined).filter((h): h is HostSystem => h !== undefined);
  }

  /** `ref` as one of the compute resource's hosts: InvalidArgument for any other host. */
  private memberHost(ctx: CallContext, ref: MoRef): HostSystem {
    const host = ctx.vc.registry.require<HostSystem>(ref);
    if (!this.hosts(ctx).includes(host)) throw faults.invalidArgument('host');
    return host;
  }

  /** The hosts' CD-ROM drives (their storage devices' cdrom LUNs), which a VM's CD-ROM may pass through to. */
  private cdRoms(hosts: HostSystem[]): DataObject[] {
    const luns = hosts.flatMap((h) => (((h.config?.storageDevice as DataObject | undefined)?.scsiLun as DataObject[] | undefined) ?? []));
    return luns
      .filter((lun) => lun.lunType === 'cdrom')
      .map((lun) => ({ name: lun.deviceName ?? `/vmfs/devices/cdrom/${String(lun.canonicalName)}`, configurationTag: [], description: lun.displayName }));
  }

  private datastores(ctx: CallContext, hosts: HostSystem[]): DataObject[] {
    const { registry } = ctx.vc;
    return unique(hosts.flatMap((h) => h.datastore)).map((ref) => {
      const ds = registry.require<Datastore>(ref);
      const info = ds.info as { maxFileSize?: number; maxVirtualDiskCapacity?: number };
      return {
        name: ds.name,
        configurationTag: [],
        datastore: ds.summary,
        capability: ds.capability,
        maxFileSize: info.maxFileSize ?? 0,
        maxVirtualDiskCapacity: info.maxVirtualDiskCapacity,
        maxPhysicalRDMFileSize: info.maxFileSize,
        maxVirtualRDMFileSize: info.maxFileSize,
        mode: 'readWrite',
        vStorageSupport: 'vStorageUnsupported',
      };
    });
  }

  private networks(ctx: CallContext, hosts: HostSystem[]): DataObject {
    const { registry } = ctx.vc;
    const network: DataObject[] = [];
    const distributedVirtualPortgroup: DataObject[] = [];
    const switches = new Map<string, DistributedVirtualSwitch>();
    for (const ref of unique(hosts.flatMap((h) => h.network))) {
      if (ref.type === 'Network') {
        const net = registry.require<Network>(ref);
        network.push({ name: net.name, configurationTag: [], network: net.summary, vswitch: 'vSwitch0' });
        continue;
      }
      const pg = registry.require<DistributedVirtualPortgroup>(ref);
      const dvs = registry.require<DistributedVirtualSwitch>(pg.config.distributedVirtualSwitch as MoRef);
      switches.set(dvs.self.value, dvs);
      distributedVirtualPortgroup.push({
        switchName: dvs.name,
        switchUuid: dvs.uuid,
        portgroupName: pg.name,
        portgroupKey: pg.key,
        portgroupType: pg.config.type,
        uplinkPortgroup: pg.config.uplink === true,
        portgroup: pg.self,
        networkReservationSupported: false,
      });
    }
    const distributedVirtualSwitch = [...switches.values()].map((dvs) => ({ switchName: dvs.name, switchUuid: dvs.uuid, distributedVirtualSwitch: dvs.self, networkReservationSupported: false }));
    return { network, distributedVirtualPortgroup, distributedVirtualSwitch, opaqueNetwork: [] };
  }

  private rootPoolRuntime(ctx: CallContext): DataObject | undefined {
    const poolRef = this.owner(ctx)?.resourcePool;
    const pool = poolRef && (ctx.vc.registry.get(poolRef) as { runtime?: DataObject } | undefined);
    return pool?.runtime;
  }
}

/** The hardware versions the host's ESXi release runs. */
function hostHardware(host: HostSystem) {
  const product = (host.config?.product as DataObject | undefined) ?? {};
  return hardwareVersions(String(product.version ?? '7.0.0'), Number(product.build ?? 0));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + (b ?? 0), 0);
}

function unique(refs: MoRef[]): MoRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => !seen.has(r.value) && seen.add(r.value));
}
