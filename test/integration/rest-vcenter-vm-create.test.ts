/**
 * `POST /api/vcenter/vm` and `DELETE /api/vcenter/vm/{vm}` through the SOAP model's CreateVM_Task
 * and Destroy_Task: the VM, its task and its events are the ones a SOAP client would see; bad specs
 * are refused naming the field, and leave the inventory as it was. Also `?vmw-task=true` and
 * `/api/cis/tasks`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoapClient } from '../../client/soap.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from '../clients/inventory.js';
import { closeCrossApi, openCrossApi, RestTestClient } from './rest-support.js';

describe('REST VM create and delete', () => {
  let sim: Simulator;
  let rest: RestTestClient;
  let soap: SoapClient;
  let token: string;
  let restToken: string;

  const id = (type: string, name: string) => named(sim, type, name).self.value;
  const send = (method: string, path: string, body?: unknown, tok = token) =>
    rest.send(method, path, { token: tok, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  /** The root pool of the standalone host DC0_H0's compute resource. */
  const standalonePool = () => {
    const host = named(sim, 'HostSystem', 'DC0_H0') as unknown as { parent: MoRef };
    return (sim.vc.registry.get(host.parent) as unknown as { resourcePool: MoRef }).resourcePool.value;
  };
  const vmCount = () => sim.vc.registry.ofType('VirtualMachine').length;
  const soapEvents = async (vm: string, type: string) => {
    const eventManager = sim.vc.content.eventManager as MoRef;
    const filter = `<filter><entity><entity type="VirtualMachine">${vm}</entity><recursion>self</recursion></entity><eventTypeId>${type}</eventTypeId></filter>`;
    const reply = await soap.call('QueryEvents', { type: 'EventManager', value: eventManager.value }, filter);
    expect(reply.status, reply.body).toBe(200);
    return reply.body.split(`xsi:type="${type}"`).length - 1;
  };

  beforeAll(async () => ({ sim, rest, soap, token, restToken } = await openCrossApi()));
  afterAll(() => closeCrossApi({ sim, rest, soap }));

  it('creates a VM from a spec; SOAP sees it with its devices, VmCreatedEvent and the CreateVM_Task', async () => {
    const spec = {
      name: 'rest-vm-1',
      guest_OS: 'OTHER_LINUX_64',
      placement: { folder: id('Folder', 'vm'), host: id('HostSystem', 'DC0_H0'), datastore: id('Datastore', 'LocalDS_0') },
      cpu: { count: 2, cores_per_socket: 2 },
      memory: { size_MiB: 2048 },
      disks: [{ new_vmdk: { capacity: 1024 ** 3 } }],
      nics: [{ type: 'VMXNET3', backing: { type: 'STANDARD_PORTGROUP', network: id('Network', 'VM Network') }, start_connected: true }],
      cdroms: [{ type: 'IDE', backing: { type: 'CLIENT_DEVICE' } }],
    };
    const reply = await send('POST', '/api/vcenter/vm', spec);
    expect(reply.status, reply.text).toBe(201);
    const vmId = reply.json as string;
    expect(vmId).toMatch(/^vm-\d+$/);

    const vm = sim.vc.registry.byId(vmId) as VirtualMachine;
    expect(vm.name).toBe('rest-vm-1');
    expect(vm.runtime.powerState).toBe('poweredOff');
    expect((vm.runtime.host as MoRef).value).toBe(id('HostSystem', 'DC0_H0'));
    const config = vm.config as DataObject;
    expect(config.guestId).toBe('otherLinux64Guest');
    expect((config.hardware as DataObject).numCPU).toBe(2);
    expect((config.hardware as DataObject).memoryMB).toBe(2048);
    expect(await soapEvents(vmId, 'VmCreatedEvent')).toBe(1);
    const task = sim.vc.registry.ofType<Task>('Task').find((t) => t.info.name === 'CreateVM_Task' && (t.info.result as MoRef | undefined)?.value === vmId);
    expect(task?.info.state).toBe('success');
    expect((task?.info.reason as DataObject).userName).toBe('user');

    const info = (await rest.get(`/api/vcenter/vm/${vmId}`, token)).json;
    expect(info).toMatchObject({ name: 'rest-vm-1', guest_OS: 'OTHER_LINUX_64', power_state: 'POWERED_OFF', cpu: { count: 2, cores_per_socket: 2 }, memory: { size_MiB: 2048 } });
    const disks = Object.values(info.disks) as DataObject[];
    expect(disks).toHaveLength(1);
    expect(disks[0]).toMatchObject({ type: 'SCSI', scsi: { bus: 0, unit: 0 }, capacity: 1024 ** 3 });
    expect(String((disks[0]!.backing as DataObject).vmdk_file)).toMatch(/^\[LocalDS_0\] rest-vm-1\/rest-vm-1\.vmdk$/);
    const nics = Object.values(info.nics) as DataObject[];
    expect(nics).toHaveLength(1);
    expect(nics[0]).toMatchObject({ type: 'VMXNET3', start_connected: true, backing: { type: 'STANDARD_PORTGROUP', network: id('Network', 'VM Network') } });
    expect(Object.values(info.cdroms)).toEqual([expect.objectContaining({ type: 'IDE', ide: { primary: true, master: true } })]);
    expect(Object.values(info.scsi_adapters)).toHaveLength(1);
    // Listed like any other VM.
    expect((await rest.get('/api/vcenter/vm?names=rest-vm-1', token)).json).toEqual([{ vm: vmId, name: 'rest-vm-1', power_state: 'POWERED_OFF', cpu_count: 2, memory_size_MiB: 2048 }]);
  });

  it('places a VM by cluster alone (its root pool, the datacenter VM folder, a host datastore) and gives it a default disk', async () => {
    const reply = await send('POST', '/api/vcenter/vm', { name: 'rest-vm-cluster', guest_OS: 'WINDOWS_9_64', placement: { cluster: id('ClusterComputeResource', 'DC0_C0') } });
    expect(reply.status, reply.text).toBe(201);
    const vm = sim.vc.registry.byId(reply.json) as VirtualMachine;
    expect(vm.parent?.value).toBe(id('Folder', 'vm'));
    const cluster = named(sim, 'ClusterComputeResource', 'DC0_C0') as unknown as { resourcePool: MoRef };
    expect(vm.resourcePool?.value).toBe(cluster.resourcePool.value);
    const info = (await rest.get(`/api/vcenter/vm/${vm.self.value}`, token)).json;
    expect(Object.keys(info.disks)).toHaveLength(1);
    expect(Object.keys(info.nics)).toHaveLength(0);
  });

  it('creates with a hardware version and EFI firmware; an unknown storage policy is refused', async () => {
    const host = id('HostSystem', 'DC0_H0');
    const reply = await send('POST', '/api/vcenter/vm', { name: 'rest-vm-efi', guest_OS: 'OTHER', hardware_version: 'VMX_15', boot: { type: 'EFI' }, placement: { host } });
    expect(reply.status, reply.text).toBe(201);
    const config = (sim.vc.registry.byId(reply.json) as VirtualMachine).config as DataObject;
    expect(config).toMatchObject({ version: 'vmx-15', firmware: 'efi' });
    expect((await rest.get(`/api/vcenter/vm/${reply.json}/hardware`, token)).json.version).toBe('VMX_15');
    expect((await rest.get(`/api/vcenter/vm/${reply.json}`, token)).json.boot.type).toBe('EFI');
    const before = vmCount();
    const policy = await send('POST', '/api/vcenter/vm', { name: 'rest-vm-policy', guest_OS: 'OTHER', placement: { host }, disks: [{ new_vmdk: { storage_policy: { policy: 'no-such-policy' } } }] });
    expect(policy.status).toBe(400);
    expect(policy.json.messages[0].args[0]).toBe('disks.0.new_vmdk.storage_policy.policy');
    expect(vmCount()).toBe(before);
  });

  it('takes the /rest form {"spec": ...} and answers {"value": id}', async () => {
    const reply = await send('POST', '/rest/vcenter/vm', { spec: { name: 'rest-vm-legacy', guest_OS: 'OTHER', placement: { resource_pool: standalonePool(), datastore: id('Datastore', 'LocalDS_0') } } }, restToken);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json.value).toMatch(/^vm-\d+$/);
    expect((sim.vc.registry.byId(reply.json.value) as VirtualMachine).name).toBe('rest-vm-legacy');
  });

  it('refuses bad specs with invalid_argument naming the field, and creates nothing', async () => {
    const before = vmCount();
    const host = id('HostSystem', 'DC0_H0');
    const cases: [unknown, string][] = [
      [{ name: 'x', placement: { host } }, 'guest_OS'],
      [{ name: 'x', guest_OS: 'NOT_AN_OS', placement: { host } }, 'guest_OS'],
      [{ name: 'x', guest_OS: 'OTHER', placement: { host }, cpu: { count: 0 } }, 'cpu.count'],
      [{ name: 'x', guest_OS: 'OTHER', placement: { host }, memory: { size_MiB: 'lots' } }, 'memory.size_MiB'],
      [{ name: 'x', guest_OS: 'OTHER', placement: { host: 'host-999999' } }, 'placement.host'],
      [{ name: 'x', guest_OS: 'OTHER', placement: {} }, 'placement.resource_pool'],
      [{ name: 'x', guest_OS: 'OTHER', placement: { host, datastore: 'datastore-999999' } }, 'placement.datastore'],
      [{ name: 'x', guest_OS: 'OTHER', placement: { host }, nics: [{ backing: { type: 'STANDARD_PORTGROUP', network: 'network-999999' } }] }, 'nics.0.backing.network'],
      [{ name: 'x', guest_OS: 'OTHER', placement: { host }, disks: [{ backing: { type: 'VMDK_FILE', vmdk_file: '[LocalDS_0] a.vmdk' }, new_vmdk: {} }] }, 'disks.0'],
      [{ name: 'x', guest_OS: 'OTHER', placement: { host }, disks: [{ type: 'SCSI', scsi: { bus: 0, unit: 7 }, new_vmdk: {} }] }, 'disks.0.unit'],
    ];
    for (const [spec, field] of cases) {
      const reply = await send('POST', '/api/vcenter/vm', spec);
      expect(reply.status, `${field}: ${reply.text}`).toBe(400);
      expect(reply.json.error_type).toBe('INVALID_ARGUMENT');
      expect(reply.json.messages[0].args[0], reply.text).toBe(field);
    }
    const legacy = await send('POST', '/rest/vcenter/vm', { spec: { name: 'x', placement: { host } } }, restToken);
    expect(legacy.status).toBe(400);
    expect(legacy.json.type).toBe('com.vmware.vapi.std.errors.invalid_argument');
    expect(legacy.json.value.messages[0].args[0]).toBe('spec.guest_OS');
    expect((await send('POST', '/api/vcenter/vm', undefined)).status).toBe(400);
    expect(vmCount()).toBe(before);
  });

  it('refuses a duplicate name with already_exists (the CreateVM_Task fault), creating nothing', async () => {
    const before = vmCount();
    const reply = await send('POST', '/api/vcenter/vm', { name: 'DC0_H0_VM0', guest_OS: 'OTHER', placement: { host: id('HostSystem', 'DC0_H0') } });
    expect(reply.status, reply.text).toBe(400);
    expect(reply.json.error_type).toBe('ALREADY_EXISTS');
    expect(vmCount()).toBe(before);
  });

  it('deletes a powered-off VM (VmRemovedEvent over SOAP); a powered-on one is not_allowed_in_current_state; unknown ids are 404', async () => {
    const created = await send('POST', '/api/vcenter/vm', { name: 'rest-vm-doomed', guest_OS: 'OTHER', placement: { host: id('HostSystem', 'DC0_H0') } });
    const vmId = created.json as string;
    expect((await send('POST', `/api/vcenter/vm/${vmId}/power?action=start`)).status).toBe(204);
    const running = await send('DELETE', `/api/vcenter/vm/${vmId}`);
    expect(running.status).toBe(400);
    expect(running.json.error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE');
    expect(sim.vc.registry.byId(vmId)).toBeDefined();

    expect((await send('POST', `/api/vcenter/vm/${vmId}/power?action=stop`)).status).toBe(204);
    const before = sim.vc.events.QueryEvents({ vc: sim.vc }, { filter: { eventTypeId: ['VmRemovedEvent'] } as never }) as DataObject[];
    const deleted = await send('DELETE', `/api/vcenter/vm/${vmId}`);
    expect(deleted.status, deleted.text).toBe(204);
    expect(sim.vc.registry.byId(vmId)).toBeUndefined();
    const after = sim.vc.events.QueryEvents({ vc: sim.vc }, { filter: { eventTypeId: ['VmRemovedEvent'] } as never }) as DataObject[];
    expect(after.length).toBe(before.length + 1);
    expect((await rest.get(`/api/vcenter/vm/${vmId}`, token)).status).toBe(404);
    const again = await send('DELETE', `/api/vcenter/vm/${vmId}`);
    expect(again.status).toBe(404);
    expect(again.json.error_type).toBe('NOT_FOUND');
    expect((await send('DELETE', `/rest/vcenter/vm/${vmId}`, undefined, restToken)).json.type).toBe('com.vmware.vapi.std.errors.not_found');
  });

  it('?vmw-task=true answers a task id that /api/cis/tasks reports as the SOAP task', async () => {
    const reply = await send('POST', '/api/vcenter/vm?vmw-task=true', { name: 'rest-vm-async', guest_OS: 'OTHER', placement: { host: id('HostSystem', 'DC0_H0') } });
    expect(reply.status, reply.text).toBe(201);
    const taskId = reply.json as string;
    expect(sim.vc.registry.byId(taskId)?.self.type).toBe('Task');
    await (sim.vc.registry.byId(taskId) as Task).completion();
    const info = (await rest.get(`/api/cis/tasks/${taskId}`, token)).json;
    const vm = named(sim, 'VirtualMachine', 'rest-vm-async').self.value;
    expect(info).toMatchObject({ service: 'com.vmware.vcenter.VM', operation: 'create', status: 'SUCCEEDED', result: vm, user: 'user', progress: { total: 100, completed: 100 } });
    expect(Date.parse(info.start_time)).toBeLessThanOrEqual(Date.parse(info.end_time));

    const list = (await rest.get(`/api/cis/tasks?tasks=${taskId}`, token)).json;
    expect(Object.keys(list)).toEqual([taskId]);
    expect(list[taskId].status).toBe('SUCCEEDED');

    const power = await send('POST', `/api/vcenter/vm/${vm}/power?action=start&vmw-task=true`);
    expect(power.status, power.text).toBe(200);
    const powerTask = sim.vc.registry.byId(power.json) as Task;
    expect(powerTask.info.name).toBe('PowerOnVM_Task');
    await powerTask.completion();
    expect((await rest.get(`/api/cis/tasks/${power.json}`, token)).json).toMatchObject({ service: 'com.vmware.vcenter.vm.power', operation: 'start', status: 'SUCCEEDED', target: { type: 'VirtualMachine', id: vm } });

    // A task that fails reports FAILED with the vAPI error.
    const failing = await send('POST', `/api/vcenter/vm/${vm}/power?action=start&vmw-task=true`);
    await (sim.vc.registry.byId(failing.json) as Task).completion();
    const failed = (await rest.get(`/rest/com/vmware/cis/tasks/id:${failing.json}`, restToken)).json.value;
    expect(failed.status).toBe('FAILED');
    expect(failed.error.error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE');

    const unknown = await rest.get('/api/cis/tasks/task-999999', token);
    expect(unknown.status).toBe(404);
    expect((await rest.get('/api/cis/tasks?status=NOPE', token)).status).toBe(400);
  });

  it('reports a running task as RUNNING with progress, as SOAP shows it', async () => {
    const slow = await createSimulator({ methodDelayMs: { PowerOffVM_Task: 2000, CloneVM_Task: 10_000 } });
    const client = new RestTestClient(slow);
    try {
      const tok = await client.login();
      const vm = named(slow, 'VirtualMachine', 'DC0_H0_VM0').self.value;
      const reply = await client.send('POST', `/api/vcenter/vm/${vm}/power?action=stop&vmw-task=true`, { token: tok });
      const task = slow.vc.registry.byId(reply.json) as Task;
      while (task.state === 'queued') await new Promise((resolve) => setTimeout(resolve, 10));
      const running = (await client.get(`/api/cis/tasks/${reply.json}`, tok)).json;
      expect(running.status).toBe('RUNNING');
      expect([0, 25, 50, 75]).toContain(running.progress.completed);
      expect(running.end_time).toBeUndefined();
      const notCancelable = await client.send('POST', `/api/cis/tasks/${reply.json}?action=cancel`, { token: tok });
      expect(notCancelable.status).toBe(400);
      expect(notCancelable.json.error_type).toBe('UNSUPPORTED');
      await task.completion();
      expect((await client.get(`/api/cis/tasks/${reply.json}`, tok)).json.status).toBe('SUCCEEDED');

      // A cancelable task (a clone) canceled over REST ends as SOAP's CancelTask ends it.
      const source = named(slow, 'VirtualMachine', 'DC0_H0_VM1') as VirtualMachine;
      const clone = slow.vc.registry.require<Task>(source.CloneVM_Task({ vc: slow.vc }, { folder: source.parent!, name: 'clone-to-cancel', spec: {} }));
      expect((await client.get(`/api/cis/tasks/${clone.self.value}`, tok)).json.cancelable).toBe(true);
      const cancel = await client.send('POST', `/api/cis/tasks/${clone.self.value}?action=cancel`, { token: tok });
      expect(cancel.status, cancel.text).toBe(204);
      expect(clone.info.cancelled).toBe(true);
      const canceled = (await client.get(`/api/cis/tasks/${clone.self.value}`, tok)).json;
      expect(canceled).toMatchObject({ status: 'FAILED', cancelable: false });
      expect(canceled.error.messages[0].id).toBe('com.vmware.vim.fault.RequestCanceled');
    } finally {
      client.close();
      await slow.close();
    }
  });
});
