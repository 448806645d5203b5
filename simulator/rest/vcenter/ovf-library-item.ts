/**
 * `vcenter/ovf/library-item`: deploy an OVF library item as a VM (`{id}?action=deploy`, `/rest`:
 * `id:{id}?~action=deploy`), what a deployment needs (`filter`), and create an OVF item from a VM
 * (`POST`, `/rest` also `~action=create`).
 * A deployment is Folder.CreateVM_Task run in-process as the REST session's user, so the VM comes
 * with its task and its VmBeingCreatedEvent/VmCreatedEvent on SOAP. CPU, memory, guest and name
 * come from the item's .ovf descriptor when it has a readable one.
 */
import { z } from 'zod';
import { ContentLibraryError } from '../../../models/rest/content-library.js';
import type { Datacenter } from '../../../models/core/datacenter.js';
import { Datastore } from '../../../models/storage/datastore.js';
import { Folder } from '../../../models/core/folder.js';
import { HostSystem } from '../../../models/host/host-system.js';
import { datacenterOf } from '../../../models/core/managed-entity.js';
import type { CallContext } from '../../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../../models/core/moref.js';
import { readOvf, writeOvf, type OvfSummary } from '../../../models/vm/ovf-descriptor.js';
import { ResourcePool } from '../../../models/cluster/resource-pool.js';
import type { Task } from '../../../models/core/task.js';
import type { VCenter } from '../../../models/vcenter.js';
import { VirtualMachine } from '../../../models/vm/virtual-machine.js';
import { VM_MEMORY_MB } from '../../../models/inventory/vm-data.js';
import { message, vapiErrors, VapiError } from '../errors.js';
import { defineRoute, type RestContext, type RestRoute } from '../route.js';

const id = z.string().min(1);

const deployBody = z.object({
  client_token: z.string().optional(),
  target: z.object({ resource_pool_id: id, host_id: id.optional(), folder_id: id.optional() }),
  deployment_spec: z.object({
    name: z.string().min(1).optional(),
    annotation: z.string().optional(),
    accept_all_EULA: z.boolean().optional(),
    default_datastore_id: id.optional(),
    storage_provisioning: z.enum(['thin', 'thick', 'eagerZeroedThick']).optional(),
    network_mappings: z.unknown().optional(),
    storage_mappings: z.unknown().optional(),
    storage_profile_id: z.string().optional(),
    locale: z.string().optional(),
    flags: z.array(z.string()).optional(),
    additional_parameters: z.array(z.unknown()).optional(),
  }),
});

const createBody = z.object({
  client_token: z.string().optional(),
  source: z.object({ type: z.literal('VirtualMachine').optional(), id }),
  target: z.object({ library_id: id.optional(), library_item_id: id.optional() }),
  create_spec: z.object({ name: z.string().min(1).optional(), description: z.string().optional(), flags: z.array(z.string()).optional() }),
});

const noErrors = () => ({ errors: [], warnings: [], information: [] });

/** An operation result that failed: vCenter reports it in the result, not as an error status. */
function failedResult(error: VapiError) {
  return { succeeded: false, error: { ...noErrors(), errors: [{ category: 'SERVER', error: { '@class': `com.vmware.vapi.std.errors.${error.kind}`, messages: error.messages } }] } };
}

/** The store's refusals as vAPI errors (not_found for an unknown item, ...). */
function storeCall<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ContentLibraryError) throw new VapiError(error.kind, [message(error.id, error.message, error.args)]);
    throw error;
  }
}

function entity<T>(vc: VCenter, value: string | undefined, Class: abstract new (...args: never[]) => T, field: string): T | undefined {
  if (value === undefined) return undefined;
  const obj = vc.registry.byId(value);
  if (!(obj instanceof Class)) throw vapiErrors.invalidField(field, `no ${Class.name} has identifier '${value}'`);
  return obj;
}

/** The .ovf descriptor's summary, if the item has one that reads as OVF. */
function descriptor(vc: VCenter, itemId: string): OvfSummary {
  const ovf = vc.contentLibrary.listFiles(itemId).find((file) => /\.ovf$/i.test(file.name));
  return ovf ? readOvf(vc.contentLibrary.fileBytes(itemId, ovf.name).toString('utf8')) : {};
}

/** The datastore the VM goes on: the one asked for, else the library's, else the datacenter's first. */
function datastoreFor(vc: VCenter, dc: Datacenter, asked: string | undefined, libraryId: string): Datastore {
  const chosen = entity(vc, asked, Datastore, 'deployment_spec.default_datastore_id');
  if (chosen) return chosen;
  const backing = vc.contentLibrary.libraryDatastore(libraryId);
  const inDc = (ref: MoRef | undefined) => (ref && dc.datastore.some((d) => d.value === ref.value) ? (vc.registry.get(ref) as Datastore) : undefined);
  const found = inDc(backing) ?? inDc(dc.datastore[0]);
  if (!found) throw vapiErrors.invalidField('deployment_spec.default_datastore_id', `datacenter ${dc.name} has no datastore`);
  return found;
}

async function deploy(ctx: RestContext<unknown, z.output<typeof deployBody>>) {
  const { vc, body } = ctx;
  const item = storeCall(() => vc.contentLibrary.getItem(ctx.params.item!));
  if (item.type !== 'ovf') throw vapiErrors.invalidField('ovf_library_item_id', `library item '${item.id}' is not an OVF package`);
  const pool = entity(vc, body.target.resource_pool_id, ResourcePool, 'target.resource_pool_id')!;
  const host = entity(vc, body.target.host_id, HostSystem, 'target.host_id');
  const dcRef = datacenterOf(vc.registry, pool);
  const dc = dcRef && (vc.registry.get(dcRef) as Datacenter);
  if (!dc) throw vapiErrors.invalidField('target.resource_pool_id', `resource pool '${pool.self.value}' is in no datacenter`);
  const folder = entity(vc, body.target.folder_id, Folder, 'target.folder_id') ?? vc.registry.require<Folder>(dc.vmFolder);
  const ds = datastoreFor(vc, dc, body.deployment_spec.default_datastore_id, item.library_id);
  const ovf = descriptor(vc, item.id);
  const config = {
    name: body.deployment_spec.name ?? ovf.name ?? item.name,
    numCPUs: ovf.numCPUs ?? 1,
    memoryMB: ovf.memoryMB ?? VM_MEMORY_MB,
    guestId: ovf.guestId ?? 'otherGuest',
    annotation: body.deployment_spec.annotation,
    files: { vmPathName: `[${ds.name}]` },
  };
  const call: CallContext = { vc, session: ctx.session, remote: ctx.remote, call: ctx.call };
  const task = vc.registry.require<Task>(folder.CreateVM_Task(call, { config, pool: pool.self, host: host?.self }));
  await task.completion();
  if (task.state === 'error') {
    const error = task.info.error as DataObject | undefined;
    return failedResult(faultOf(error));
  }
  const vm = task.info.result as MoRef;
  return { succeeded: true, resource_id: { type: vm.type, id: vm.value }, error: noErrors() };
}

/** The fault a creation task ended with, as the vAPI error a deployment result reports. */
function faultOf(error: DataObject | undefined): VapiError {
  const type = String((error?.fault as DataObject | undefined)?._type ?? 'SystemError');
  return new VapiError(kindOf(type), [message(`com.vmware.vim.fault.${type}`, String(error?.localizedMessage ?? type))]);
}

function kindOf(fault: string): VapiError['kind'] {
  if (fault === 'DuplicateName' || fault === 'FileAlreadyExists' || fault === 'AlreadyExists') return 'already_exists';
  if (fault.startsWith('Insufficient') || fault === 'OutOfBounds') return 'unable_to_allocate_resource';
  if (fault === 'InvalidArgument' || fault === 'InvalidName' || fault === 'InvalidDatastore' || fault === 'InvalidDatastorePath') return 'invalid_argument';
  return 'error';
}

/** An OVF item from a VM: a new item in `target.library_id`, or new content for `target.library_item_id`. */
function createFromVm(ctx: RestContext<unknown, z.output<typeof createBody>>) {
  const { vc, body } = ctx;
  const vm = vc.registry.byId(body.source.id);
  if (!(vm instanceof VirtualMachine)) throw vapiErrors.notFound('vm', 'Virtual machine', body.source.id);
  const hardware = (vm.config?.hardware ?? {}) as DataObject;
  const summary = { name: body.create_spec.name ?? vm.name, guestId: String(vm.config?.guestId ?? 'otherGuest'), numCPUs: Number(hardware.numCPU ?? 1), memoryMB: Number(hardware.memoryMB ?? VM_MEMORY_MB) };
  const itemId = storeCall(() => {
    if (body.target.library_item_id) return vc.contentLibrary.getItem(body.target.library_item_id).id;
    if (!body.target.library_id) throw vapiErrors.invalidField('target', 'library_id or library_item_id is required');
    return vc.contentLibrary.createItem({ library_id: body.target.library_id, name: summary.name, description: body.create_spec.description, type: 'ovf' }, body.client_token);
  });
  storeCall(() => vc.contentLibrary.storeFiles(itemId, [{ name: `${summary.name}.ovf`, bytes: Buffer.from(writeOvf(summary)) }]));
  return { succeeded: true, ovf_library_item_id: itemId, error: noErrors() };
}

/** What a deployment of the item would ask for: its name, and no EULAs, networks or parameters to settle. */
function filter(ctx: RestContext<unknown, unknown>) {
  const { vc } = ctx;
  const item = storeCall(() => vc.contentLibrary.getItem(ctx.params.item!));
  if (item.type !== 'ovf') throw vapiErrors.invalidField('ovf_library_item_id', `library item '${item.id}' is not an OVF package`);
  return { name: descriptor(vc, item.id).name ?? item.name, annotation: '', EULAs: [], networks: [], storage_groups: [], additional_params: [] };
}

const filterBody = z.object({ target: deployBody.shape.target });

export const ovfLibraryItemRoutes: RestRoute[] = [
  defineRoute({ method: 'POST', path: { api: '/vcenter/ovf/library-item/:item' }, action: 'deploy', body: deployBody, handle: deploy }),
  defineRoute({ method: 'POST', path: { rest: '/com/vmware/vcenter/ovf/library-item/:item' }, action: 'deploy', body: deployBody, handle: deploy }),
  defineRoute({ method: 'POST', path: { api: '/vcenter/ovf/library-item/:item' }, action: 'filter', body: filterBody, handle: filter }),
  defineRoute({ method: 'POST', path: { rest: '/com/vmware/vcenter/ovf/library-item/:item' }, action: 'filter', body: filterBody, handle: filter }),
  defineRoute({ method: 'POST', path: { api: '/vcenter/ovf/library-item' }, body: createBody, handle: createFromVm }),
  defineRoute({ method: 'POST', path: { rest: '/com/vmware/vcenter/ovf/library-item' }, body: createBody, handle: createFromVm }),
  defineRoute({ method: 'POST', path: { rest: '/com/vmware/vcenter/ovf/library-item' }, action: 'create', body: createBody, handle: createFromVm }),
];
