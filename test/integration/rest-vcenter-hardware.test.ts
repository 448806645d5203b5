/**
 * `vcenter/vm/{vm}/hardware` and its cpu, memory, disk, ethernet and cdrom sub-resources: every
 * change is a ReconfigVM_Task (SOAP sees the task, the VmReconfiguredEvent and the new config),
 * a reconfigure over SOAP shows here, and vCenter's hot-plug rules hold. Bad input is refused,
 * naming the field, and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoapClient } from '../../client/soap.js';
import type { DataObject } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import type { Simulator } from '../../simulator/index.js';
import { named } from '../clients/inventory.js';
import { closeCrossApi, openCrossApi, type RestTestClient } from './rest-support.js';

describe('REST VM hardware', () => {
  let sim: Simulator;
  let rest: RestTestClient;
  let soap: SoapClient;
  let token: string;
  let restToken: string;

  const vmOf = (name: string) => named(sim, 'VirtualMachine', name) as VirtualMachine;
  const send = (method: string, path: string, body?: unknown, tok = token) =>
    rest.send(method, path, { token: tok, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const get = (path: string, tok = token) => rest.get(path, tok);
  const hardware = (vm: VirtualMachine) => (vm.config as DataObject).hardware as DataObject;
  const reconfigTasks = () => sim.vc.registry.ofType<Task>('Task').filter((t) => t.info.name === 'ReconfigVM_Task').length;
  const reconfigEvents = (vm: VirtualMachine) =>
    (sim.vc.events.QueryEvents({ vc: sim.vc }, { filter: { eventTypeId: ['VmReconfiguredEvent'] } as never }) as DataObject[]).filter(
      (e) => ((e.vm as DataObject | undefined)?.vm as { value?: string } | undefined)?.value === vm.self.value,
    ).length;
  const powerOff = async (vm: VirtualMachine) => {
    if (vm.runtime.powerState !== 'poweredOff') expect((await send('POST', `/api/vcenter/vm/${vm.self.value}/power?action=stop`)).status).toBe(204);
  };

  beforeAll(async () => ({ sim, rest, soap, token, restToken } = await openCrossApi()));
  afterAll(() => closeCrossApi({ sim, rest, soap }));

  it('reads and updates CPU through ReconfigVM_Task, with its task and event', async () => {
    const vm = vmOf('DC0_H0_VM0');
    await powerOff(vm);
    const path = `/api/vcenter/vm/${vm.self.value}/hardware/cpu`;
    expect((await get(path)).json).toEqual({ count: hardware(vm).numCPU, cores_per_socket: 1, hot_add_enabled: false, hot_remove_enabled: false });
    const [tasks, events] = [reconfigTasks(), reconfigEvents(vm)];
    const reply = await send('PATCH', path, { count: 4, cores_per_socket: 2, hot_add_enabled: true });
    expect(reply.status, reply.text).toBe(204);
    expect(hardware(vm).numCPU).toBe(4);
    expect(reconfigTasks()).toBe(tasks + 1);
    expect(reconfigEvents(vm)).toBe(events + 1);
    expect((await get(path)).json).toEqual({ count: 4, cores_per_socket: 2, hot_add_enabled: true, hot_remove_enabled: false });

    const bad = await send('PATCH', path, { count: 3, cores_per_socket: 2 });
    expect(bad.status).toBe(400);
    expect(bad.json.messages[0].args[0]).toBe('cores_per_socket');
    const badType = await send('PATCH', path, { count: 'four' });
    expect(badType.status).toBe(400);
    expect(badType.json.messages[0].args[0]).toBe('count');
    expect(hardware(vm).numCPU).toBe(4);
  });

  it('applies the hot-plug rules: CPU added with hot-add on a running VM, memory not without hot-add', async () => {
    const vm = vmOf('DC0_H0_VM0'); // hot-add CPU enabled by the test above
    expect((await send('POST', `/api/vcenter/vm/${vm.self.value}/power?action=start`)).status).toBe(204);
    expect((await send('PATCH', `/api/vcenter/vm/${vm.self.value}/hardware/cpu`, { count: 6, cores_per_socket: 2 })).status).toBe(204);
    expect(hardware(vm).numCPU).toBe(6);
    const removeCpu = await send('PATCH', `/api/vcenter/vm/${vm.self.value}/hardware/cpu`, { count: 2, cores_per_socket: 2 });
    expect(removeCpu.status).toBe(400);
    expect(removeCpu.json.error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE');

    const memoryPath = `/api/vcenter/vm/${vm.self.value}/hardware/memory`;
    const before = hardware(vm).memoryMB;
    const memory = await send('PATCH', memoryPath, { size_MiB: 4096 });
    expect(memory.status).toBe(400);
    expect(memory.json.error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE');
    expect(hardware(vm).memoryMB).toBe(before);
    const toggle = await send('PATCH', memoryPath, { hot_add_enabled: true });
    expect(toggle.json.error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE');
    expect((vm.config as DataObject).memoryHotAddEnabled).toBe(false);

    await powerOff(vm);
    expect((await send('PATCH', memoryPath, { size_MiB: 4096, hot_add_enabled: true })).status).toBe(204);
    expect((await get(memoryPath)).json).toMatchObject({ size_MiB: 4096, hot_add_enabled: true });
    const legacy = await send('PATCH', `/rest/vcenter/vm/${vm.self.value}/hardware/memory`, { spec: { size_MiB: 'big' } }, restToken);
    expect(legacy.status).toBe(400);
    expect(legacy.json.value.messages[0].args[0]).toBe('spec.size_MiB');
  });

  it('shows a reconfigure made over SOAP in GET hardware/memory and hardware/cpu', async () => {
    const vm = vmOf('DC0_H0_VM1');
    await powerOff(vm);
    const spec = '<spec><numCPUs>3</numCPUs><memoryMB>3072</memoryMB></spec>';
    const reply = await soap.call('ReconfigVM_Task', vm.self, spec);
    expect(reply.status, reply.body).toBe(200);
    const taskId = /<returnval type="Task">([^<]+)</.exec(reply.body)![1]!;
    await (sim.vc.registry.byId(taskId) as Task).completion();
    expect((await get(`/api/vcenter/vm/${vm.self.value}/hardware/memory`)).json.size_MiB).toBe(3072);
    expect((await get(`/api/vcenter/vm/${vm.self.value}/hardware/cpu`)).json.count).toBe(3);
    expect((await get(`/rest/vcenter/vm/${vm.self.value}/hardware/cpu`, restToken)).json.value.count).toBe(3);
  });

  it('hardware: version and upgrade policy, updated as scheduledHardwareUpgradeInfo', async () => {
    const vm = vmOf('DC0_C0_RP0_VM0');
    const path = `/api/vcenter/vm/${vm.self.value}/hardware`;
    const info = (await get(path)).json;
    expect(info).toMatchObject({ upgrade_policy: 'NEVER', upgrade_status: 'NONE' });
    expect(info.version).toMatch(/^VMX_\d+$/);
    const current = Number(info.version.slice(4));
    const bad = await send('PATCH', path, { upgrade_version: `VMX_${current + 1}` });
    expect(bad.status).toBe(400);
    expect(bad.json.messages[0].args[0]).toBe('upgrade_version');
    expect((await send('PATCH', path, { upgrade_policy: 'SOMETIMES' })).json.messages[0].args[0]).toBe('upgrade_policy');
    const reply = await send('PATCH', path, { upgrade_policy: 'AFTER_CLEAN_SHUTDOWN', upgrade_version: `VMX_${current + 1}` });
    expect(reply.status, reply.text).toBe(204);
    expect((vm.config as DataObject).scheduledHardwareUpgradeInfo).toMatchObject({ upgradePolicy: 'onSoftPowerOff', versionKey: `vmx-${current + 1}` });
    expect((await get(path)).json).toMatchObject({ upgrade_policy: 'AFTER_CLEAN_SHUTDOWN', upgrade_version: `VMX_${current + 1}`, upgrade_status: 'PENDING' });
  });

  it('hardware?action=upgrade runs UpgradeVM_Task on a powered-off VM only', async () => {
    const vm = vmOf('DC0_C0_RP0_VM0');
    const path = `/api/vcenter/vm/${vm.self.value}/hardware?action=upgrade`;
    expect(vm.runtime.powerState).toBe('poweredOn');
    const running = await send('POST', path, { version: 'VMX_14' });
    expect(running.status).toBe(400);
    expect(running.json.error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE');
    await powerOff(vm);
    const tasks = sim.vc.registry.ofType<Task>('Task').filter((t) => t.info.name === 'UpgradeVM_Task').length;
    const reply = await send('POST', path, { version: 'VMX_14' });
    expect(reply.status, reply.text).toBe(204);
    expect((vm.config as DataObject).version).toBe('vmx-14');
    expect(sim.vc.registry.ofType<Task>('Task').filter((t) => t.info.name === 'UpgradeVM_Task').length).toBe(tasks + 1);
    expect((await send('POST', path, { version: 'VMX_13' })).json.error_type).toBe('ALREADY_IN_DESIRED_STATE');
    expect((await send('POST', path, { version: '14' })).json.messages[0].args[0]).toBe('version');
  });

  it('disks: list, get, create (a SCSI adapter added when needed), update, delete', async () => {
    const vm = vmOf('DC0_C0_RP0_VM1');
    await powerOff(vm);
    const base = `/api/vcenter/vm/${vm.self.value}/hardware/disk`;
    const list = (await get(base)).json as { disk: string }[];
    expect(list.length).toBeGreaterThan(0);
    const first = (await get(`${base}/${list[0]!.disk}`)).json;
    expect(first).toMatchObject({ type: 'SCSI', backing: { type: 'VMDK_FILE' } });

    const created = await send('POST', base, { new_vmdk: { capacity: 2 * 1024 ** 3 } });
    expect(created.status, created.text).toBe(201);
    const diskId = created.json as string;
    expect((await get(base)).json).toContainEqual({ disk: diskId });
    const disk = (await get(`${base}/${diskId}`)).json;
    expect(disk).toMatchObject({ type: 'SCSI', scsi: { bus: 0 }, capacity: 2 * 1024 ** 3 });
    expect(hardware(vm).device as DataObject[]).toContainEqual(expect.objectContaining({ key: Number(diskId), _type: 'VirtualDisk' }));

    // A disk on a SCSI bus the VM has no adapter for gets one.
    const onBus1 = await send('POST', base, { type: 'SCSI', scsi: { bus: 1 }, new_vmdk: { capacity: 1024 ** 3 } });
    expect(onBus1.status, onBus1.text).toBe(201);
    expect((await get(`${base}/${onBus1.json}`)).json).toMatchObject({ scsi: { bus: 1, unit: 0 } });
    const info = (await get(`/api/vcenter/vm/${vm.self.value}`)).json;
    expect(Object.values(info.scsi_adapters).map((a) => (a as DataObject).scsi)).toContainEqual({ bus: 1, unit: 7 });

    const update = await send('PATCH', `${base}/${diskId}`, { backing: { type: 'VMDK_FILE', vmdk_file: '[LocalDS_0] other/other.vmdk' } });
    expect(update.status, update.text).toBe(204);
    expect((await get(`${base}/${diskId}`)).json.backing.vmdk_file).toBe('[LocalDS_0] other/other.vmdk');

    const count = (hardware(vm).device as DataObject[]).length;
    const bad = await send('POST', base, { new_vmdk: {}, backing: { type: 'VMDK_FILE', vmdk_file: '[LocalDS_0] x.vmdk' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error_type).toBe('INVALID_ARGUMENT');
    expect((await send('POST', base, { type: 'FLOPPY', new_vmdk: {} })).json.messages[0].args[0]).toBe('type');
    expect((hardware(vm).device as DataObject[]).length).toBe(count);

    expect((await send('DELETE', `${base}/${diskId}`)).status).toBe(204);
    expect((await get(`${base}/${diskId}`)).status).toBe(404);
    const missing = await send('DELETE', `${base}/${diskId}`);
    expect(missing.status).toBe(404);
    expect(missing.json.error_type).toBe('NOT_FOUND');
    expect((await get('/api/vcenter/vm/vm-999999/hardware/disk')).status).toBe(404);
  });

  it('ethernet: create, get, update, connect/disconnect on a running VM, delete', async () => {
    const vm = vmOf('DC0_C0_RP0_VM1');
    await powerOff(vm);
    const base = `/api/vcenter/vm/${vm.self.value}/hardware/ethernet`;
    const network = named(sim, 'Network', 'VM Network').self.value;
    const created = await send('POST', base, { type: 'E1000E', backing: { type: 'STANDARD_PORTGROUP', network }, start_connected: true });
    expect(created.status, created.text).toBe(201);
    const nicId = created.json as string;
    expect((await get(base)).json).toContainEqual({ nic: nicId });
    const nic = (await get(`${base}/${nicId}`)).json;
    expect(nic).toMatchObject({ type: 'E1000E', mac_type: 'GENERATED', start_connected: true, state: 'NOT_CONNECTED', backing: { type: 'STANDARD_PORTGROUP', network } });
    expect(nic.mac_address).toMatch(/^00:50:56:/);

    const dvpg = named(sim, 'DistributedVirtualPortgroup', 'DC0_DVPG0').self.value;
    const update = await send('PATCH', `${base}/${nicId}`, { backing: { type: 'DISTRIBUTED_PORTGROUP', network: dvpg }, mac_type: 'MANUAL', mac_address: '00:50:56:aa:bb:cc' });
    expect(update.status, update.text).toBe(204);
    expect((await get(`${base}/${nicId}`)).json).toMatchObject({ mac_type: 'MANUAL', mac_address: '00:50:56:aa:bb:cc', backing: { type: 'DISTRIBUTED_PORTGROUP', network: dvpg } });
    const badMac = await send('PATCH', `${base}/${nicId}`, { mac_address: 'nope' });
    expect(badMac.status).toBe(400);
    expect(badMac.json.messages[0].args[0]).toBe('mac_address');
    const badNetwork = await send('PATCH', `${base}/${nicId}`, { backing: { type: 'STANDARD_PORTGROUP', network: dvpg } });
    expect(badNetwork.status).toBe(400);
    expect(badNetwork.json.messages[0].args[0]).toBe('backing.network');

    const offConnect = await send('POST', `${base}/${nicId}?action=connect`);
    expect(offConnect.status).toBe(400);
    expect(offConnect.json.error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE');
    expect((await send('POST', `/api/vcenter/vm/${vm.self.value}/power?action=start`)).status).toBe(204);
    expect((await send('POST', `${base}/${nicId}?action=connect`)).status).toBe(204);
    expect((await get(`${base}/${nicId}`)).json.state).toBe('CONNECTED');
    const again = await send('POST', `${base}/${nicId}?action=connect`);
    expect(again.json.error_type).toBe('ALREADY_IN_DESIRED_STATE');
    expect((await send('POST', `/rest/vcenter/vm/${vm.self.value}/hardware/ethernet/${nicId}/disconnect`, undefined, restToken)).status).toBe(200);
    expect((await get(`${base}/${nicId}`)).json.state).toBe('NOT_CONNECTED');

    expect((await send('DELETE', `${base}/${nicId}`)).status).toBe(204);
    expect((await get(`${base}/${nicId}`)).status).toBe(404);
    await powerOff(vm);
  });

  it('cdrom: create with an ISO, update, delete; IDE devices are not hot-plugged', async () => {
    const vm = vmOf('DC0_H0_VM1');
    await powerOff(vm);
    const base = `/api/vcenter/vm/${vm.self.value}/hardware/cdrom`;
    const created = await send('POST', base, { type: 'IDE', backing: { type: 'ISO_FILE', iso_file: '[LocalDS_0] iso/os.iso' } });
    expect(created.status, created.text).toBe(201);
    const cdromId = created.json as string;
    expect((await get(`${base}/${cdromId}`)).json).toMatchObject({ type: 'IDE', backing: { type: 'ISO_FILE', iso_file: '[LocalDS_0] iso/os.iso' } });
    const noIso = await send('PATCH', `${base}/${cdromId}`, { backing: { type: 'ISO_FILE' } });
    expect(noIso.status).toBe(400);
    expect(noIso.json.messages[0].args[0]).toBe('backing.iso_file');
    expect((await send('PATCH', `${base}/${cdromId}`, { backing: { type: 'CLIENT_DEVICE' } })).status).toBe(204);
    expect((await get(`${base}/${cdromId}`)).json.backing.type).toBe('CLIENT_DEVICE');

    expect((await send('POST', `/api/vcenter/vm/${vm.self.value}/power?action=start`)).status).toBe(204);
    const hot = await send('POST', base, { type: 'IDE', backing: { type: 'CLIENT_DEVICE' } });
    expect(hot.status).toBe(400);
    expect(hot.json.error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE');
    expect((await send('DELETE', `${base}/${cdromId}`)).json.error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE');
    await powerOff(vm);
    expect((await send('DELETE', `${base}/${cdromId}`)).status).toBe(204);
    expect((await get(`${base}/${cdromId}`)).status).toBe(404);
  });
});
