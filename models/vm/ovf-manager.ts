/**
 * OvfManager: reads OVF descriptors (ParseDescriptor, ValidateHost), turns one into the spec a
 * VM is imported from (CreateImportSpec: hardware as the descriptor says, disks to upload as file
 * items) and writes one for a VM (CreateDescriptor). Descriptors are read by ovf-descriptor.ts.
 */
import type { Datastore } from '../storage/datastore.js';
import { faults } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { Network } from '../network/network.js';
import { readOvf, readOvfHardware, writeOvf, type OvfHardware } from './ovf-descriptor.js';
import type { VirtualMachine } from './virtual-machine.js';

const nicTypes: Record<string, string> = { e1000: 'VirtualE1000', e1000e: 'VirtualE1000e', vmxnet3: 'VirtualVmxnet3', vmxnet2: 'VirtualVmxnet2', pcnet32: 'VirtualPCNet32' };

/** The import key of a disk's file item (OvfFileItem.deviceId = the lease's deviceUrl.importKey). */
export const diskImportKey = (vmName: string, unit: number) => `/${vmName}/VirtualLsiLogicController0:${unit}`;

export class OvfManager extends ManagedObject {
  ovfImportOption: DataObject[] = [];
  ovfExportOption: DataObject[] = [];

  ParseDescriptor(_ctx: CallContext, { ovfDescriptor }: { ovfDescriptor: string }): DataObject {
    const ovf = parse(ovfDescriptor);
    const size = ovf.disks.reduce((sum, d) => sum + (d.fileSize ?? 0), 0);
    const flat = ovf.disks.reduce((sum, d) => sum + d.capacityBytes, 0);
    return {
      eula: [], network: ovf.networks.map((name) => ({ name, description: `The ${name} network` })), ipAllocationScheme: [], ipProtocols: [], property: [],
      annotation: '', approximateDownloadSize: size, approximateFlatDeploymentSize: flat, approximateSparseDeploymentSize: size,
      defaultEntityName: ovf.name ?? '', virtualApp: false, deploymentOption: [], defaultDeploymentOption: '', entityName: [], error: [], warning: [],
    };
  }

  ValidateHost(ctx: CallContext, { ovfDescriptor, host }: { ovfDescriptor: string; host: MoRef }): DataObject {
    ctx.vc.registry.require(host);
    const ovf = parse(ovfDescriptor);
    const size = ovf.disks.reduce((sum, d) => sum + (d.fileSize ?? 0), 0);
    return {
      downloadSize: size, flatDeploymentSize: ovf.disks.reduce((sum, d) => sum + d.capacityBytes, 0), sparseDeploymentSize: size,
      error: [], warning: [], supportedDiskProvisioning: ['monolithicSparse', 'monolithicFlat', 'twoGbMaxExtentSparse', 'twoGbMaxExtentFlat', 'thin', 'thick', 'sparse', 'flat', 'seSparse'],
    };
  }

  /** The VirtualMachineImportSpec of the descriptor for `resourcePool` and `datastore`, and the disk files to upload. */
  CreateImportSpec(ctx: CallContext, { ovfDescriptor, resourcePool, datastore, cisp }: { ovfDescriptor: string; resourcePool: MoRef; datastore: MoRef; cisp: DataObject }): DataObject {
    ctx.vc.registry.require(resourcePool);
    const ds = ctx.vc.registry.require<Datastore>(datastore);
    const ovf = parse(ovfDescriptor);
    const name = String(cisp?.entityName || ovf.name || '');
    if (!name) throw faults.invalidArgument('cisp.entityName');
    const thin = cisp?.diskProvisioning === undefined || cisp.diskProvisioning === 'thin' || String(cisp.diskProvisioning).includes('Sparse');
    const deviceChange: DataObject[] = [];
    if (ovf.disks.length) deviceChange.push({ operation: 'add', device: { _type: 'VirtualLsiLogicController', key: -100, busNumber: 0, sharedBus: 'noSharing' } });
    ovf.disks.forEach((disk, unit) => {
      deviceChange.push({
        operation: 'add',
        fileOperation: 'create',
        device: {
          _type: 'VirtualDisk', key: -200 - unit, controllerKey: -100, unitNumber: unit,
          capacityInKB: Math.ceil(disk.capacityBytes / 1024), capacityInBytes: disk.capacityBytes,
          backing: { _type: 'VirtualDiskFlatVer2BackingInfo', fileName: '', datastore: ds.self, diskMode: 'persistent', thinProvisioned: thin },
        },
      });
    });
    const warning: DataObject[] = [];
    ovf.nics.forEach((nic, i) => {
      const network = mappedNetwork(ctx, ds, nic.network, (cisp?.networkMapping as DataObject[] | undefined) ?? []);
      if (!network) {
        warning.push({ _type: 'LocalizedMethodFault', fault: { _type: 'OvfNetworkMappingNotSupported' }, localizedMessage: `No network for '${nic.network}'` });
        return;
      }
      deviceChange.push({ operation: 'add', device: { _type: nicTypes[nic.type.toLowerCase()] ?? 'VirtualE1000', key: -300 - i, backing: nicBacking(network), connectable: { startConnected: true, allowGuestControl: true, connected: false } } });
    });
    const configSpec: DataObject = {
      _type: 'VirtualMachineConfigSpec', name, guestId: ovf.guestId ?? 'otherGuest', numCPUs: ovf.numCPUs ?? 1, memoryMB: ovf.memoryMB ?? 32,
      files: { vmPathName: `[${ds.name}]` }, deviceChange,
    };
    return {
      importSpec: { _type: 'VirtualMachineImportSpec', configSpec },
      fileItem: ovf.disks.flatMap((disk, unit) => (disk.fileHref ? [{ deviceId: diskImportKey(name, unit), path: disk.fileHref, size: disk.fileSize ?? 0, create: false }] : [])),
      warning,
      error: [],
    };
  }

  CreateDescriptor(ctx: CallContext, { obj, cdp }: { obj: MoRef; cdp?: DataObject }): DataObject {
    const vm = ctx.vc.registry.require<VirtualMachine>(obj);
    if (vm.self.type !== 'VirtualMachine') throw faults.notSupported();
    const hardware = (vm.config?.hardware ?? {}) as DataObject;
    const descriptor = writeOvf({
      name: String(cdp?.name || vm.name),
      guestId: String(vm.config?.guestId ?? 'otherGuest'),
      numCPUs: Number(hardware.numCPU ?? 1),
      memoryMB: Number(hardware.memoryMB ?? 32),
    });
    return { ovfDescriptor: descriptor, error: [], warning: [], includeImageFiles: false };
  }
}

/** The descriptor read, or InvalidArgument for what is no OVF envelope. */
function parse(xml: string): OvfHardware {
  if (!Object.keys(readOvf(String(xml ?? ''))).length && !/<(\w+:)?Envelope[\s>]/.test(String(xml ?? ''))) throw faults.invalidArgument('ovfDescriptor', 'The descriptor is not an OVF envelope.');
  return readOvfHardware(String(xml));
}

/** The network an OVF network name maps to: the spec's mapping, else the datastore's datacenter network of that name, else 'VM Network'. */
function mappedNetwork(ctx: CallContext, ds: Datastore, name: string, mapping: DataObject[]): Network | undefined {
  const mapped = mapping.find((m) => m.name === name)?.network as MoRef | undefined;
  if (mapped) return ctx.vc.registry.require<Network>(mapped);
  const dc = ctx.vc.registry.ofType<ManagedObject & { network: MoRef[]; datastore: MoRef[] }>('Datacenter').find((d) => d.datastore.some((r) => r.value === ds.self.value));
  const networks = (dc?.network ?? []).map((r) => ctx.vc.registry.get(r) as Network | undefined).filter((n): n is Network => !!n);
  return networks.find((n) => n.name === name) ?? networks.find((n) => n.name === 'VM Network') ?? networks.find((n) => n.self.type === 'Network');
}

function nicBacking(network: Network): DataObject {
  const pg = network as Network & { key?: string; config?: DataObject };
  if (network.self.type === 'DistributedVirtualPortgroup') {
    return { _type: 'VirtualEthernetCardDistributedVirtualPortBackingInfo', port: { portgroupKey: pg.key } };
  }
  return { _type: 'VirtualEthernetCardNetworkBackingInfo', deviceName: network.name, network: network.self };
}
