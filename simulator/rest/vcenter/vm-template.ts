/**
 * VM templates in content libraries, `vcenter/vm-template/library-items` (`/api`, and `/rest`
 * with `{"spec": ...}` bodies and `?action=` as govmomi's vapi/vcenter sends them): create an
 * item from a VM (CloneVM_Task to a template), get, deploy (CloneVM_Task from the template), and
 * check-outs: check out a VM to edit, list, get, check it back in (it becomes the template, the
 * item's version goes up) or discard it. The clones are real SOAP tasks, with their events.
 */
import { z } from 'zod';
import type { Datacenter } from '../../../models/core/datacenter.js';
import { datacenterOf } from '../../../models/core/managed-entity.js';
import { MoRef, type DataObject } from '../../../models/core/moref.js';
import type { Task } from '../../../models/core/task.js';
import type { VCenter } from '../../../models/vcenter.js';
import type { CloneSpec } from '../../../models/vm/vm-provisioning.js';
import { VirtualMachine } from '../../../models/vm/virtual-machine.js';
import { guarded } from '../content/common.js';
import { message, vapiErrors, VapiError } from '../errors.js';
import { defineRoute, type RestContext, type RestRoute } from '../route.js';
import { callContext, taskFailure } from './task-calls.js';

const id = z.string().min(1);
const placement = z.object({ folder: id.optional(), resource_pool: id.optional(), host: id.optional(), cluster: id.optional() }).optional();
const storage = z.object({ datastore: id.optional(), storage_policy: z.unknown().optional() }).optional();

const createSpec = z.object({
  source_vm: id,
  name: z.string().min(1),
  description: z.string().optional(),
  library: id,
  vm_home_storage: storage,
  disk_storage: storage,
  placement,
});
const deploySpec = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  placement,
  vm_home_storage: storage,
  disk_storage: storage,
  powered_on: z.boolean().optional(),
  guest_customization: z.unknown().optional(),
  hardware_customization: z.unknown().optional(),
});
const checkOutSpec = z.object({ name: z.string().min(1).optional(), placement, powered_on: z.boolean().optional() }).optional();
const checkInSpec = z.object({ message: z.string() });

const items = { api: '/vcenter/vm-template/library-items', rest: '/vcenter/vm-template/library-items' };
const item = { api: '/vcenter/vm-template/library-items/:item', rest: '/vcenter/vm-template/library-items/:item' };
const checkOuts = { api: '/vcenter/vm-template/library-items/:item/check-outs', rest: '/vcenter/vm-template/library-items/:item/check-outs' };
const checkOut = { api: '/vcenter/vm-template/library-items/:item/check-outs/:vm', rest: '/vcenter/vm-template/library-items/:item/check-outs/:vm' };

type Placement = z.output<typeof placement>;

function vmOf(vc: VCenter, vmId: string, field: string): VirtualMachine {
  const vm = vc.registry.byId(vmId);
  if (!(vm instanceof VirtualMachine)) throw vapiErrors.invalidField(field, `no virtual machine has identifier '${vmId}'`);
  return vm;
}

function entityId(vc: VCenter, type: string, value: string | undefined, field: string): MoRef | undefined {
  if (value === undefined) return undefined;
  if (!vc.registry.get(new MoRef(type, value))) throw vapiErrors.invalidField(field, `no ${type} has identifier '${value}'`);
  return new MoRef(type, value);
}

/** Where a clone goes: the placement's folder, pool (or its cluster's or host's) and datastore; defaults from `source`. */
function location(vc: VCenter, source: VirtualMachine, where: Placement, datastore: string | undefined, defaultPool?: string) {
  const dc = vc.registry.require<Datacenter>(datacenterOf(vc.registry, source)!);
  const folder = entityId(vc, 'Folder', where?.folder, 'placement.folder') ?? dc.vmFolder;
  const cluster = entityId(vc, 'ClusterComputeResource', where?.cluster, 'placement.cluster');
  const host = entityId(vc, 'HostSystem', where?.host, 'placement.host');
  const clusterPool = cluster && (vc.registry.get(cluster) as unknown as { resourcePool: MoRef }).resourcePool;
  const pool = entityId(vc, 'ResourcePool', where?.resource_pool, 'placement.resource_pool') ?? clusterPool ?? (defaultPool ? new MoRef('ResourcePool', defaultPool) : undefined);
  const ds = entityId(vc, 'Datastore', datastore, 'vm_home_storage.datastore');
  return { folder, spec: { location: { pool, host, datastore: ds } } satisfies CloneSpec };
}

/** Runs CloneVM_Task of `source` as the caller and waits: the new VM, or the task's vAPI error. */
async function clone(ctx: RestContext, source: VirtualMachine, name: string, folder: MoRef, spec: CloneSpec): Promise<VirtualMachine> {
  const ref = source.CloneVM_Task(callContext(ctx), { folder, name, spec });
  const info = await ctx.vc.registry.require<Task>(ref).completion();
  if (info.state === 'error') throw taskFailure(info);
  return ctx.vc.registry.require<VirtualMachine>(info.result as MoRef);
}

async function create(ctx: RestContext<unknown, z.output<typeof createSpec>>) {
  const { vc, body } = ctx;
  const source = vmOf(vc, body.source_vm, 'source_vm');
  // The library and the name are checked before any clone runs, so a refusal leaves nothing behind.
  const library = guarded(() => vc.contentLibrary.localLibrary(body.library))(ctx);
  if (vc.contentLibrary.findItems({ library_id: library.id, name: body.name }).length > 0) {
    throw new VapiError('already_exists', [message('com.vmware.vdcs.cls-main.duplicate_item_name', `An item with the name '${body.name}' already exists in the library.`, [body.name])]);
  }
  const where = location(vc, source, body.placement, body.vm_home_storage?.datastore);
  const template = await clone(ctx, source, body.name, where.folder, { ...where.spec, template: true });
  const itemId = guarded(() => vc.contentLibrary.createItem({ library_id: library.id, name: body.name, description: body.description, type: 'vm-template' }))(ctx);
  vc.vmTemplates.add(itemId, template.self.value, source.resourcePool?.value);
  return itemId;
}

function templateOf(ctx: RestContext): { itemId: string; vm: VirtualMachine; pool?: string } {
  const itemId = ctx.params.item!;
  guarded(() => ctx.vc.contentLibrary.getItem(itemId))(ctx);
  const link = ctx.vc.vmTemplates.get(itemId);
  return { itemId, vm: vmOf(ctx.vc, link.vm, 'template_library_item'), pool: link.pool };
}

function info(ctx: RestContext) {
  const { vm } = templateOf(ctx);
  const config = vm.config as DataObject;
  const hardware = config.hardware as DataObject;
  const disks: Record<string, unknown> = {};
  const nics: Record<string, unknown> = {};
  for (const device of (hardware.device ?? []) as DataObject[]) {
    const backing = device.backing as DataObject | undefined;
    if (device._type === 'VirtualDisk') disks[String(device.key)] = { capacity: Number(device.capacityInBytes ?? 0), disk_storage: { datastore: (backing?.datastore as MoRef | undefined)?.value } };
    if (String(device._type).match(/^Virtual(E1000e?|Vmxnet3?|Vmxnet2|PCNet32)$/)) nics[String(device.key)] = { backing_type: 'STANDARD_PORTGROUP', mac_type: 'GENERATED', network: (backing?.network as MoRef | undefined)?.value };
  }
  return {
    guest_OS: String(config.guestId ?? 'OTHER').toUpperCase().replace(/GUEST$/, ''),
    cpu: { count: Number(hardware.numCPU ?? 1), cores_per_socket: Number(hardware.numCoresPerSocket ?? 1) },
    memory: { size_MiB: Number(hardware.memoryMB ?? 0) },
    vm_home_storage: { datastore: vm.datastore[0]?.value },
    disks,
    nics,
    vm_template: vm.self.value,
  };
}

async function deploy(ctx: RestContext<unknown, z.output<typeof deploySpec>>) {
  const { vm, pool } = templateOf(ctx);
  const where = location(ctx.vc, vm, ctx.body.placement, ctx.body.vm_home_storage?.datastore, pool);
  const deployed = await clone(ctx, vm, ctx.body.name, where.folder, { ...where.spec, powerOn: ctx.body.powered_on === true });
  return deployed.self.value;
}

async function checkOutVm(ctx: RestContext<unknown, z.output<typeof checkOutSpec>>) {
  const { itemId, vm, pool } = templateOf(ctx);
  const where = location(ctx.vc, vm, ctx.body?.placement, undefined, pool);
  const name = ctx.body?.name ?? `${vm.name}-checkout-${ctx.vc.vmTemplates.get(itemId).check_outs.length + 1}`;
  const out = await clone(ctx, vm, name, where.folder, { ...where.spec, powerOn: ctx.body?.powered_on === true });
  ctx.vc.vmTemplates.checkOut(itemId, out.self.value, ctx.session?.userName ?? '', ctx.vc.now());
  return out.self.value;
}

/** The checked-out VM becomes the template (powered off, as vCenter requires); the old template VM goes. */
async function checkIn(ctx: RestContext<unknown, z.output<typeof checkInSpec>>) {
  const { itemId, vm: old } = templateOf(ctx);
  ctx.vc.vmTemplates.checkOutOf(itemId, ctx.params.vm!);
  const vm = vmOf(ctx.vc, ctx.params.vm!, 'vm');
  const call = callContext(ctx);
  vm.MarkAsTemplate(call);
  ctx.vc.vmTemplates.checkIn(itemId, vm.self.value);
  const info = await ctx.vc.registry.require<Task>(old.Destroy_Task(call)).completion();
  if (info.state === 'error') throw taskFailure(info);
  return ctx.vc.contentLibrary.bumpContentVersion(itemId);
}

async function discard(ctx: RestContext) {
  const { itemId } = templateOf(ctx);
  ctx.vc.vmTemplates.checkOutOf(itemId, ctx.params.vm!);
  const vm = vmOf(ctx.vc, ctx.params.vm!, 'vm');
  const call = callContext(ctx);
  if (vm.runtime.powerState !== 'poweredOff') await ctx.vc.registry.require<Task>(vm.PowerOffVM_Task(call)).completion();
  const info = await ctx.vc.registry.require<Task>(vm.Destroy_Task(call)).completion();
  if (info.state === 'error') throw taskFailure(info);
  ctx.vc.vmTemplates.discard(itemId, vm.self.value);
}

export const vmTemplateRoutes: RestRoute[] = [
  defineRoute({ method: 'POST', path: items, body: createSpec, restBodyKey: 'spec', created: true, handle: create }),
  defineRoute({ method: 'GET', path: item, handle: info }),
  defineRoute({ method: 'POST', path: item, action: 'deploy', plainRestAction: true, body: deploySpec, restBodyKey: 'spec', handle: deploy }),
  defineRoute({ method: 'GET', path: checkOuts, handle: (ctx) => ctx.vc.vmTemplates.get(templateOf(ctx).itemId).check_outs.map((c) => ({ vm: c.vm })) }),
  defineRoute({ method: 'POST', path: checkOuts, action: 'check-out', plainRestAction: true, body: checkOutSpec, restBodyKey: 'spec', handle: checkOutVm }),
  defineRoute({
    method: 'GET',
    path: checkOut,
    handle: (ctx) => {
      const { time, user } = ctx.vc.vmTemplates.checkOutOf(templateOf(ctx).itemId, ctx.params.vm!);
      return { time, user };
    },
  }),
  defineRoute({ method: 'POST', path: checkOut, action: 'check-in', plainRestAction: true, body: checkInSpec, restBodyKey: 'spec', handle: checkIn }),
  defineRoute({ method: 'DELETE', path: checkOut, handle: discard }),
];
