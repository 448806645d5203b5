/**
 * `vcenter/ovf/library-item` over real HTTPS: deploying an OVF item makes a VM through
 * CreateVM_Task (its task and events seen over SOAP), sized from the uploaded descriptor when it
 * reads as OVF, with defaults otherwise; creating an OVF item from a VM and deploying it back; the
 * refusals, in both flavours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import { VM_MEMORY_MB } from '../../models/inventory/vm-data.js';
import { MoRef, type DataObject } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from '../clients/inventory.js';
import { Content, type Flavour } from './rest-content-support.js';
import { RestTestClient } from './rest-support.js';

const ovfDescriptor = (name = 'web') => `<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by hand -->
<ovf:Envelope xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vmw="http://www.vmware.com/schema/ovf">
  <ovf:VirtualSystem ovf:id="web-template">
    <ovf:Info>A web server</ovf:Info>
    <ovf:Name>${name}</ovf:Name>
    <ovf:OperatingSystemSection ovf:id="94" vmw:osType="ubuntu64Guest"><ovf:Info>Ubuntu</ovf:Info></ovf:OperatingSystemSection>
    <ovf:VirtualHardwareSection>
      <ovf:Item><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>4</rasd:VirtualQuantity></ovf:Item>
      <ovf:Item><rasd:AllocationUnits>byte * 2^30</rasd:AllocationUnits><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>2</rasd:VirtualQuantity></ovf:Item>
    </ovf:VirtualHardwareSection>
  </ovf:VirtualSystem>
</ovf:Envelope>
`;

const eventsSpec = (vm: string, type: string) =>
  `<filter><entity><entity type="VirtualMachine">${vm}</entity><recursion>self</recursion></entity><eventTypeId>${type}</eventTypeId></filter>`;

describe('REST vcenter/ovf/library-item', () => {
  let sim: Simulator;
  let http: RestTestClient;
  let soap: SoapClient;
  let pool: string;
  const clients = {} as Record<Flavour, Content>;
  const libraries = {} as Record<Flavour, string>;

  beforeAll(async () => {
    sim = await createSimulator();
    http = new RestTestClient(sim);
    soap = new SoapClient({ url: sim.url });
    await soap.login('user', 'pass');
    const datastore = named(sim, 'Datastore', 'LocalDS_0').self.value;
    pool = (named(sim, 'ClusterComputeResource', 'DC0_C0') as unknown as { resourcePool: MoRef }).resourcePool.value;
    for (const flavour of ['api', 'rest'] as const) {
      const c = (clients[flavour] = new Content(http, flavour, await http.login('user', 'pass', flavour)));
      libraries[flavour] = await c.createLibrary({ name: `ovf-${flavour}`, storage_backings: [{ type: 'DATASTORE', datastore_id: datastore }] });
    }
  });
  afterAll(async () => {
    http.close();
    soap.close();
    await sim.close();
  });

  const deployPath = (c: Content, item: string) => c.path('vcenter/ovf/library-item', 'vcenter/ovf/library-item', item, 'deploy');
  const deploy = (c: Content, item: string, body: unknown) => c.ok('POST', deployPath(c, item), body);
  const vm = (id: string) => sim.vc.registry.byId(id) as VirtualMachine;
  const soapEvents = async (vmId: string, type: string) => {
    const reply = await soap.call('QueryEvents', { type: 'EventManager', value: (sim.vc.content.eventManager as MoRef).value }, eventsSpec(vmId, type));
    expect(reply.status, reply.body).toBe(200);
    return reply.body.split(`xsi:type="${type}"`).length - 1;
  };
  const ovfItem = async (c: Content, name: string, descriptor = ovfDescriptor()) => {
    const item = await c.createItem({ library_id: libraries[c.flavour], name, type: 'ovf' });
    await c.upload(item, `${name}.ovf`, Buffer.from(descriptor));
    return item;
  };

  describe.each(['api', 'rest'] as const)('%s', (flavour) => {
    const c = () => clients[flavour];

    it('deploys a VM sized from the descriptor, with its task and events', async () => {
      const item = await ovfItem(c(), `web-${flavour}`, ovfDescriptor(`web-${flavour}`));
      const result = await deploy(c(), item, { target: { resource_pool_id: pool }, deployment_spec: { name: `web-${flavour}-named`, accept_all_EULA: true, annotation: 'from OVF' } });
      expect(result).toMatchObject({ succeeded: true, resource_id: { type: 'VirtualMachine', id: expect.stringMatching(/^vm-\d+$/) } });
      const created = vm(result.resource_id.id);
      expect(created.name).toBe(`web-${flavour}-named`);
      const hardware = created.config!.hardware as DataObject;
      expect(hardware.numCPU).toBe(4);
      expect(hardware.memoryMB).toBe(2048);
      expect(created.config!.guestId).toBe('ubuntu64Guest');
      expect(created.config!.annotation).toBe('from OVF');
      expect((created.resourcePool as MoRef).value).toBe(pool);
      const task = sim.vc.registry.ofType<Task>('Task').find((t) => (t.info.result as MoRef | undefined)?.value === created.self.value);
      expect(task?.info).toMatchObject({ descriptionId: 'Folder.createVm', state: 'success', reason: { userName: 'user' } });
      expect(await soapEvents(created.self.value, 'VmBeingCreatedEvent')).toBe(1);
      expect(await soapEvents(created.self.value, 'VmCreatedEvent')).toBe(1);
      // The descriptor's name when the spec gives none.
      const unnamed = await deploy(c(), item, { target: { resource_pool_id: pool }, deployment_spec: {} });
      expect(unnamed.succeeded).toBe(true);
      expect(vm(unnamed.resource_id.id).name).toBe(`web-${flavour}`);
      // A second VM of that name in the folder: the result says why.
      const again = await deploy(c(), item, { target: { resource_pool_id: pool }, deployment_spec: {} });
      expect(again.succeeded).toBe(false);
      expect(again.error.errors[0].error['@class']).toBe('com.vmware.vapi.std.errors.already_exists');
      await c().ok('DELETE', c().at('content/library/item', item));
    });

    it('filters: what a deployment of the item needs', async () => {
      const item = await ovfItem(c(), `filtered-${flavour}`, ovfDescriptor(`filtered-vm-${flavour}`));
      const filtered = await c().ok('POST', c().path('vcenter/ovf/library-item', 'vcenter/ovf/library-item', item, 'filter'), { target: { resource_pool_id: pool } });
      expect(filtered).toEqual({ name: `filtered-vm-${flavour}`, annotation: '', EULAs: [], networks: [], storage_groups: [], additional_params: [] });
      const missing = await c().error('POST', c().path('vcenter/ovf/library-item', 'vcenter/ovf/library-item', 'nope', 'filter'), { target: { resource_pool_id: pool } });
      expect(missing).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    });

    it('takes defaults when the descriptor is not OVF', async () => {
      const item = await ovfItem(c(), `junk-${flavour}`, 'this is { not XML');
      const result = await deploy(c(), item, { target: { resource_pool_id: pool }, deployment_spec: {} });
      expect(result.succeeded).toBe(true);
      const created = vm(result.resource_id.id);
      expect(created.name).toBe(`junk-${flavour}`);
      expect((created.config!.hardware as DataObject).numCPU).toBe(1);
      expect((created.config!.hardware as DataObject).memoryMB).toBe(VM_MEMORY_MB);
    });

    it('refuses unknown items, non-OVF items and bad targets, creating nothing', async () => {
      const iso = await c().createItem({ library_id: libraries[flavour], name: `tools-${flavour}`, type: 'iso' });
      const item = await ovfItem(c(), `refused-${flavour}`);
      const vms = sim.vc.registry.ofType('VirtualMachine').length;
      const body = { target: { resource_pool_id: pool }, deployment_spec: {} };
      expect(await c().error('POST', deployPath(c(), 'no-such-item'), body)).toMatchObject({ status: 404, type: 'NOT_FOUND' });
      expect(await c().error('POST', deployPath(c(), iso), body)).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      const badPool = await c().error('POST', deployPath(c(), item), { target: { resource_pool_id: 'host-999' }, deployment_spec: {} });
      expect(badPool).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(badPool.message).toContain("'target.resource_pool_id'");
      const noTarget = await c().error('POST', deployPath(c(), item), { deployment_spec: {} });
      expect(noTarget.message).toContain("'target'");
      const badDs = await c().error('POST', deployPath(c(), item), { target: { resource_pool_id: pool }, deployment_spec: { default_datastore_id: 'nope' } });
      expect(badDs.message).toContain("'deployment_spec.default_datastore_id'");
      expect(sim.vc.registry.ofType('VirtualMachine').length).toBe(vms);
    });
  });

  it('creates an OVF item from a VM and deploys it back', async () => {
    const c = clients.api;
    const source = named(sim, 'VirtualMachine', 'DC0_H0_VM0') as VirtualMachine;
    const sourceHw = source.config!.hardware as DataObject;
    const created = await c.ok('POST', '/api/vcenter/ovf/library-item', {
      source: { type: 'VirtualMachine', id: source.self.value },
      target: { library_id: libraries.api },
      create_spec: { name: 'captured', description: 'from DC0_H0_VM0' },
    });
    expect(created).toMatchObject({ succeeded: true, ovf_library_item_id: expect.any(String) });
    const item = await c.ok('GET', c.at('content/library/item', created.ovf_library_item_id));
    expect(item).toMatchObject({ name: 'captured', type: 'ovf', description: 'from DC0_H0_VM0' });
    expect((await c.itemFiles(item.id)).map((f: any) => f.name)).toEqual(['captured.ovf']);
    const result = await deploy(c, item.id, { target: { resource_pool_id: pool }, deployment_spec: { name: 'captured-copy' } });
    const copy = vm(result.resource_id.id).config!.hardware as DataObject;
    expect([copy.numCPU, copy.memoryMB]).toEqual([sourceHw.numCPU, sourceHw.memoryMB]);

    // The /rest spelling, into the existing item; an unknown VM is not found.
    const rest = clients.rest;
    const again = await rest.ok('POST', '/rest/com/vmware/vcenter/ovf/library-item?~action=create', {
      source: { type: 'VirtualMachine', id: source.self.value },
      target: { library_item_id: item.id },
      create_spec: { name: 'captured' },
    });
    expect(again).toMatchObject({ succeeded: true, ovf_library_item_id: item.id });
    expect(await rest.ok('GET', rest.at('content/library/item', item.id))).toMatchObject({ content_version: '3' });
    const missing = await rest.error('POST', '/rest/com/vmware/vcenter/ovf/library-item', { source: { id: 'vm-999' }, target: { library_id: libraries.rest }, create_spec: {} });
    expect(missing).toMatchObject({ status: 404, type: 'NOT_FOUND' });
  });
});
