/**
 * `POST /vcenter/vm` (create from a `vcenter.VM.CreateSpec`) and `DELETE /vcenter/vm/{vm}`, through
 * the SOAP model's Folder.CreateVM_Task and VirtualMachine.Destroy_Task: the same task, events and
 * inventory links as a SOAP client's create or destroy.
 */
import { z } from 'zod';
import { ClusterComputeResource } from '../../../models/cluster/cluster-compute-resource.js';
import { ComputeResource } from '../../../models/cluster/compute-resource.js';
import { Datacenter } from '../../../models/core/datacenter.js';
import { Datastore } from '../../../models/storage/datastore.js';
import { Folder } from '../../../models/core/folder.js';
import { HostSystem } from '../../../models/host/host-system.js';
import { datacenterOf, type ManagedEntity } from '../../../models/core/managed-entity.js';
import type { DataObject, MoRef } from '../../../models/core/moref.js';
import { ResourcePool } from '../../../models/cluster/resource-pool.js';
import type { VCenter } from '../../../models/vcenter.js';
import { VirtualMachine } from '../../../models/vm/virtual-machine.js';
import type { CreateConfigSpec } from '../../../models/vm/vm-provisioning.js';
import { message, VapiError } from '../errors.js';
import { defineRoute, type RestContext, type RestRoute } from '../route.js';
import { lookup } from './filters.js';
import { isStoragePolicy } from './storage-policies.js';
import { answerTask, callContext, idOf, taskQuery } from './task-calls.js';
import { cdromCreateSpec, DevicePlan, diskCreateSpec, nicCreateSpec } from './vm-device-specs.js';
import { guestOs } from './vm-hardware.js';

const placementSpec = z.object({
  folder: z.string().optional(),
  resource_pool: z.string().optional(),
  host: z.string().optional(),
  cluster: z.string().optional(),
  datastore: z.string().optional(),
});

export const vmCreateSpec = z.object({
  guest_OS: z.string().min(1),
  name: z.string().min(1).max(80).optional(),
  placement: placementSpec.optional(),
  hardware_version: z.string().regex(/^VMX_\d+$/, 'expected VMX_<n>').optional(),
  boot: z.object({ type: z.enum(['BIOS', 'EFI']).optional() }).optional(),
  cpu: z
    .object({
      count: z.number().int().min(1).max(768).optional(),
      cores_per_socket: z.number().int().min(1).optional(),
      hot_add_enabled: z.boolean().optional(),
      hot_remove_enabled: z.boolean().optional(),
    })
    .optional(),
  memory: z.object({ size_MiB: z.number().int().min(4).optional(), hot_add_enabled: z.boolean().optional() }).optional(),
  disks: z.array(diskCreateSpec).optional(),
  nics: z.array(nicCreateSpec).optional(),
  cdroms: z.array(cdromCreateSpec).optional(),
  storage_policy: z.object({ policy: z.string() }).optional(),
});
type VmCreateSpec = z.output<typeof vmCreateSpec>;

const invalid = (field: string, text: string) =>
  new VapiError('invalid_argument', [message('com.vmware.api.vcenter.vm.create.invalid_field', `Invalid value for field '${field}': ${text}`, [field, text])]);

/** The field as the caller spelled it: `/rest` wraps the spec in `spec`. */
const fieldOf = (ctx: RestContext, path: string) => (ctx.flavour === 'rest' ? `spec.${path}` : path);

/** The vAPI GuestOS value as a vSphere guest id (`OTHER_LINUX_64` → `otherLinux64Guest`), or undefined. */
function guestIdOf(vc: VCenter, value: string): string | undefined {
  return vc.types.enumValues('VirtualMachineGuestOsIdentifier').find((id) => guestOs(id) === value);
}

/** An object of the registry by id, of the class asked, else invalid_argument naming the placement field. */
function placed<T>(vc: VCenter, id: string | undefined, Class: abstract new (...args: never[]) => T, field: string): T | undefined {
  if (id === undefined) return undefined;
  const obj = vc.registry.byId(id);
  if (!(obj instanceof Class)) throw invalid(field, `no such object '${id}'`);
  return obj;
}

interface Placement {
  folder: Folder;
  pool: ResourcePool;
  host?: HostSystem;
  datastore: Datastore;
}

/**
 * Where the VM goes. vCenter needs a resource pool (given, or the root pool of the host's or
 * cluster's compute resource), a datastore and a VM folder (given, or the datacenter's).
 */
function resolvePlacement(ctx: RestContext, spec: VmCreateSpec['placement'] = {}): Placement {
  const { vc } = ctx;
  const field = (name: string) => fieldOf(ctx, `placement.${name}`);
  const host = placed(vc, spec.host, HostSystem, field('host'));
  const cluster = placed(vc, spec.cluster, ClusterComputeResource, field('cluster'));
  let pool = placed(vc, spec.resource_pool, ResourcePool, field('resource_pool'));
  if (host && cluster && host.parent?.value !== cluster.self.value) throw invalid(field('host'), `host ${host.self.value} is not in cluster ${cluster.self.value}`);
  const owner = cluster ?? (host ? (vc.registry.get(host.parent!) as ComputeResource | undefined) : undefined);
  if (!pool && owner instanceof ComputeResource && owner.resourcePool) pool = vc.registry.get(owner.resourcePool) as ResourcePool;
  if (!pool) throw invalid(field('resource_pool'), 'a resource pool, host or cluster must be given');
  let folder = placed(vc, spec.folder, Folder, field('folder'));
  const dcRef = datacenterOf(vc.registry, (folder ?? pool) as ManagedEntity);
  const dc = dcRef ? (vc.registry.get(dcRef) as Datacenter) : undefined;
  if (!dc) throw invalid(field('folder'), 'no datacenter for the placement');
  folder ??= vc.registry.get(dc.vmFolder) as Folder;
  if (!folder.childType.includes('VirtualMachine')) throw invalid(field('folder'), `${folder.self.value} is not a virtual machine folder`);
  const datastore = placed(vc, spec.datastore, Datastore, field('datastore')) ?? firstDatastore(vc, host, pool);
  if (!datastore) throw invalid(field('datastore'), 'a datastore must be given');
  if (!dc.datastore.some((ref) => ref.value === datastore.self.value)) throw invalid(field('datastore'), `datastore ${datastore.self.value} is not in datacenter ${dc.self.value}`);
  return { folder, pool, host, datastore };
}

/** The datastore vCenter would pick: the host's (or the pool's compute resource's) first. */
function firstDatastore(vc: VCenter, host: HostSystem | undefined, pool: ResourcePool): Datastore | undefined {
  const owner = pool.owner && (vc.registry.get(pool.owner) as ComputeResource | undefined);
  const ref = host?.datastore[0] ?? owner?.datastore?.[0];
  return ref && (vc.registry.get(ref) as Datastore | undefined);
}

/** The two IDE controllers every new VM has (Folder.CreateVM_Task keeps them from the model VM's devices). */
const NEW_VM_DEVICES: DataObject[] = [
  { _type: 'VirtualIDEController', key: 200, busNumber: 0, device: [] },
  { _type: 'VirtualIDEController', key: 201, busNumber: 1, device: [] },
];

/** The SOAP VirtualMachineConfigSpec of a vAPI create spec. */
function configSpec(ctx: RestContext, spec: VmCreateSpec, datastore: Datastore): CreateConfigSpec {
  const guestId = guestIdOf(ctx.vc, spec.guest_OS);
  if (!guestId) throw invalid(fieldOf(ctx, 'guest_OS'), `unknown guest OS '${spec.guest_OS}'`);
  const policies: [string | undefined, string][] = [
    [spec.storage_policy?.policy, 'storage_policy.policy'],
    ...(spec.disks ?? []).map((disk, i) => [disk.new_vmdk?.storage_policy?.policy, `disks.${i}.new_vmdk.storage_policy.policy`] as [string | undefined, string]),
  ];
  for (const [policy, field] of policies) if (policy !== undefined && !isStoragePolicy(policy)) throw invalid(fieldOf(ctx, field), `no storage policy '${policy}'`);
  const plan = new DevicePlan(ctx.vc, NEW_VM_DEVICES, datastore.name);
  // vCenter gives a VM created without a disk list one new disk of a guest-specific size.
  const disks = spec.disks ?? [{ new_vmdk: {} }];
  disks.forEach((disk, i) => plan.addDisk(disk, fieldOf(ctx, `disks.${i}`)));
  (spec.nics ?? []).forEach((nic, i) => plan.addNic(nic, fieldOf(ctx, `nics.${i}`)));
  (spec.cdroms ?? []).forEach((cdrom, i) => plan.addCdrom(cdrom, fieldOf(ctx, `cdroms.${i}`)));
  return {
    name: spec.name ?? `Virtual Machine`,
    guestId,
    numCPUs: spec.cpu?.count,
    numCoresPerSocket: spec.cpu?.cores_per_socket,
    cpuHotAddEnabled: spec.cpu?.hot_add_enabled,
    cpuHotRemoveEnabled: spec.cpu?.hot_remove_enabled,
    memoryMB: spec.memory?.size_MiB,
    memoryHotAddEnabled: spec.memory?.hot_add_enabled,
    version: spec.hardware_version ? `vmx-${spec.hardware_version.slice(4).padStart(2, '0')}` : undefined,
    firmware: spec.boot?.type?.toLowerCase(),
    files: { vmPathName: `[${datastore.name}]` },
    deviceChange: plan.changes,
  } as CreateConfigSpec;
}

async function createVm(ctx: RestContext<z.output<typeof taskQuery>, VmCreateSpec>) {
  const spec = ctx.body;
  const place = resolvePlacement(ctx, spec.placement);
  const config = configSpec(ctx, spec, place.datastore);
  const ref = place.folder.CreateVM_Task(callContext(ctx), { config, pool: place.pool.self, host: place.host?.self });
  return answerTask(ctx, ref, { async: ctx.query['vmw-task'], result: idOf });
}

async function deleteVm(ctx: RestContext<z.output<typeof taskQuery>>) {
  const vm = findVm(ctx.vc, ctx.params.vm!);
  // vCenter refuses before any task starts: a running VM is not deleted.
  if (vm.runtime.powerState === 'poweredOn') {
    throw new VapiError('not_allowed_in_current_state', [
      message('com.vmware.api.vcenter.vm.delete.powered_on', `Virtual machine ${vm.self.value} is powered on.`, [vm.self.value]),
    ]);
  }
  const ref: MoRef = vm.Destroy_Task(callContext(ctx));
  return answerTask(ctx, ref, { async: ctx.query['vmw-task'] });
}

const findVm = (vc: VCenter, id: string) => lookup(vc, id, VirtualMachine, 'vm', 'Virtual machine');

export const vmCreateRoutes: RestRoute[] = [
  defineRoute({ method: 'POST', path: '/vcenter/vm', query: taskQuery, body: vmCreateSpec, restBodyKey: 'spec', created: true, handle: createVm }),
  defineRoute({ method: 'DELETE', path: '/vcenter/vm/:vm', query: taskQuery, handle: deleteVm }),
];
