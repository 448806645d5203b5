import { describe, expect, it } from 'vitest';
import type { Datacenter } from '../../models/core/datacenter.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import { VCenter } from '../../models/vcenter.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import { expectFault } from '../support/faults.js';

function setup() {
  const vc = new VCenter({ topology: topologyFromFlags({}), seed: 1 });
  const ctx: CallContext = { vc };
  vc.sessionManager.Login(ctx, { userName: 'alice', password: 'x' });
  const vms = vc.registry.ofType<VirtualMachine>('VirtualMachine');
  const vm = vms.find((v) => v.name === 'DC0_H0_VM0')!;
  const settled = (ref: MoRef) => vc.registry.require<Task>(ref).completion();
  const off = async (v = vm) => expect((await settled(v.PowerOffVM_Task(ctx))).state).toBe('success');
  return { vc, ctx, vm, vms, settled, off };
}

const faultOf = (info: DataObject) => (info.error as DataObject).fault as DataObject;
const devices = (vm: VirtualMachine) => (vm.config!.hardware as DataObject).device as DataObject[];

describe('UpgradeVM_Task', () => {
  it('upgrades to the newest version the host supports, then AlreadyUpgraded', async () => {
    const { ctx, vm, settled, off } = setup();
    expect(faultOf(await settled(vm.UpgradeVM_Task(ctx, {})))).toMatchObject({ _type: 'InvalidPowerState' });
    await off();
    expect((await settled(vm.UpgradeVM_Task(ctx, {}))).state).toBe('success');
    expect(vm.config!.version).toBe('vmx-17');
    expect((vm.summary.config as DataObject).hwVersion).toBe('vmx-17');
    expect(faultOf(await settled(vm.UpgradeVM_Task(ctx, { version: 'vmx-17' })))._type).toBe('AlreadyUpgraded');
  });

  it('upgrades to a given version', async () => {
    const { ctx, vm, settled, off } = setup();
    await off();
    expect((await settled(vm.UpgradeVM_Task(ctx, { version: 'vmx-14' }))).state).toBe('success');
    expect(vm.config!.version).toBe('vmx-14');
    expect(faultOf(await settled(vm.UpgradeVM_Task(ctx, { version: 'vmx-13' })))._type).toBe('AlreadyUpgraded');
  });
});

describe('CustomizeVM_Task', () => {
  const spec = {
    _type: 'CustomizationSpec',
    identity: { _type: 'CustomizationLinuxPrep', hostName: { _type: 'CustomizationFixedName', name: 'web01' }, domain: 'example.com' },
    globalIPSettings: {},
    nicSettingMap: [{ adapter: { ip: { _type: 'CustomizationFixedIp', ipAddress: '10.1.2.3' }, subnetMask: '255.255.255.0' } }],
  };

  it('is refused while the VM runs', async () => {
    const { ctx, vm, settled } = setup();
    expect(faultOf(await settled(vm.CustomizeVM_Task(ctx, { spec })))._type).toBe('InvalidPowerState');
  });

  it('applies host name and fixed IP, shown when powered on, with the customization events', async () => {
    const { vc, ctx, vm, settled, off } = setup();
    await off();
    expect((await settled(vm.CustomizeVM_Task(ctx, { spec }))).state).toBe('success');
    expect(vm.guest?.hostName).toBe('web01');
    expect((vm.summary.guest as DataObject).hostName).toBe('web01');
    await settled(vm.PowerOnVM_Task(ctx, {}));
    expect(vm.guest?.ipAddress).toBe('10.1.2.3');
    expect((vm.summary.guest as DataObject).ipAddress).toBe('10.1.2.3');
    expect(((vm.guest?.net as DataObject[])[0]!.ipAddress as string[])).toEqual(['10.1.2.3']);
    const types = vc.events.QueryEvents(ctx, { filter: {} }).map((e) => e._type);
    expect(types).toContain('CustomizationStartedEvent');
    expect(types).toContain('CustomizationSucceeded');
  });
});

describe('AttachDisk_Task / DetachDisk_Task', () => {
  it('attaches a disk with its vDiskId and detaches it; NotFound for an unknown disk', async () => {
    const { ctx, vm, settled } = setup();
    const before = devices(vm).length;
    const diskId = { _type: 'ID', id: 'fcd-0001' };
    expect((await settled(vm.AttachDisk_Task(ctx, { diskId, datastore: vm.datastore[0]! }))).state).toBe('success');
    const disk = devices(vm).find((d) => (d.vDiskId as DataObject | undefined)?.id === 'fcd-0001')!;
    expect(disk).toMatchObject({ _type: 'VirtualDisk', unitNumber: 1 });
    expect((disk.backing as DataObject).fileName).toMatch(/fcd\/fcd-0001\.vmdk$/);
    expect((vm.summary.config as DataObject).numVirtualDisks).toBe(2);
    expect(faultOf(await settled(vm.AttachDisk_Task(ctx, { diskId, datastore: vm.datastore[0]! })))._type).toBe('InvalidState');
    expect((await settled(vm.DetachDisk_Task(ctx, { diskId }))).state).toBe('success');
    expect(devices(vm).length).toBe(before);
    expect(faultOf(await settled(vm.DetachDisk_Task(ctx, { diskId })))._type).toBe('NotFound');
  });
});

describe('Reload, RefreshStorageInfo, SetCustomValue', () => {
  it('reloads and recomputes storage from the disks', () => {
    const { ctx, vm } = setup();
    vm.Reload(ctx);
    vm.RefreshStorageInfo(ctx);
    expect((vm.summary.storage as DataObject).committed).toBe(1024 * 1024);
    expect(((vm.storage!.perDatastoreUsage as DataObject[])[0]!).committed).toBe(1024 * 1024);
  });

  it('defines a field on first use and sets customValue and value', () => {
    const { ctx, vm, vms } = setup();
    vm.SetCustomValue(ctx, { key: 'owner', value: 'alice' });
    vm.SetCustomValue(ctx, { key: 'owner', value: 'bob' });
    vm.SetCustomValue(ctx, { key: 'team', value: 'x' });
    const fields = vm.read('availableField', ctx) as DataObject[];
    const owner = fields.find((f) => f.name === 'owner')!;
    const team = fields.find((f) => f.name === 'team')!;
    expect(team.key).toBe((owner.key as number) + 1);
    expect(vm.customValue).toContainEqual({ _type: 'CustomFieldStringValue', key: owner.key, value: 'bob' });
    expect(vm.value).toContainEqual({ _type: 'CustomFieldStringValue', key: team.key, value: 'x' });
    const other = vms.find((v) => v !== vm)!;
    other.SetCustomValue(ctx, { key: 'owner', value: 'carol' });
    expect(other.customValue[0]!.key).toBe(owner.key);
  });
});

describe('AcquireTicket', () => {
  it('hands out distinct mks and webmks tickets, and InvalidState when powered off', async () => {
    const { ctx, vm, off } = setup();
    const mks = vm.AcquireTicket(ctx, { ticketType: 'mks' });
    expect(mks).toMatchObject({ _type: 'VirtualMachineTicket', port: 902, cfgFile: (vm.config!.files as DataObject).vmPathName });
    expect(mks.host).toBeTruthy();
    expect(mks.sslThumbprint).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2})+$/);
    const web = vm.AcquireTicket(ctx, { ticketType: 'webmks' });
    expect(web.port).toBe(443);
    expect(web.ticket).not.toBe(mks.ticket);
    await off();
    await expectFault(() => vm.AcquireTicket(ctx, { ticketType: 'mks' }), 'InvalidState');
  });
});

describe('Datacenter.PowerOnMultiVM_Task', () => {
  it('powers on each VM with its own task', async () => {
    const { vc, ctx, vms, settled, off } = setup();
    const [a, b] = vms;
    await off(a);
    await off(b);
    const dc = vc.registry.ofType<Datacenter>('Datacenter')[0]!;
    const info = await settled(dc.PowerOnMultiVM_Task(ctx, { vm: [a!.self, b!.self] }));
    const result = info.result as DataObject;
    const attempted = result.attempted as DataObject[];
    expect(result._type).toBe('ClusterPowerOnVmResult');
    expect(attempted.map((x) => (x.vm as MoRef).value)).toEqual([a!.self.value, b!.self.value]);
    for (const x of attempted) expect((await settled(x.task as MoRef)).state).toBe('success');
    expect(a!.powerState).toBe('poweredOn');
    expect(b!.powerState).toBe('poweredOn');
    expect(result.notAttempted).toEqual([]);
  });
});
