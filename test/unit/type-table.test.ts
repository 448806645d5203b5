import { runsWith } from '../support/tools.js';
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TypeTable, typeTable } from '../../models/core/type-table.js';

const table = typeTable();
const names = (props: readonly { name: string }[]) => props.map((p) => p.name);

describe('TypeTable: data objects', () => {
  it('lists versions oldest to newest, ending with 7.0', () => {
    expect(table.versions).toEqual([
      '2.0', '2.5', '2.5u2', '2.5u2server', '4.0', '4.1', '5.0', '5.1', '5.5', '6.0', '6.5', '6.7', '6.7.1', '7.0',
    ]);
  });

  it('keeps own props in WSDL order and inherits base-most first', () => {
    const disk = table.dataType('VirtualDisk')!;
    expect(disk.base).toBe('VirtualDevice');
    expect(table.dataType('VirtualDevice')!.base).toBe('DynamicData');
    expect(names(disk.props).slice(0, 4)).toEqual(['capacityInKB', 'capacityInBytes', 'shares', 'storageIOAllocation']);
    expect(names(table.allProps('VirtualDisk')).slice(0, 9)).toEqual([
      'dynamicType', 'dynamicProperty',
      'key', 'deviceInfo', 'backing', 'connectable', 'slotInfo', 'controllerKey', 'unitNumber',
    ]);
    expect(table.allProps('VirtualDisk')).toBe(table.allProps('VirtualDisk'));
  });

  it('describes property types, arrays, optionality and versions', () => {
    const spec = table.dataType('VirtualMachineConfigSpec')!;
    expect(names(spec.props).slice(0, 3)).toEqual(['changeVersion', 'name', 'version']);
    expect(table.prop('VirtualMachineConfigSpec', 'deviceChange')).toMatchObject({
      type: 'VirtualDeviceConfigSpec', array: true, optional: true, since: '2.0',
    });
    expect(table.prop('VirtualDisk', 'capacityInBytes')).toMatchObject({ type: 'long', since: '5.5' });
    expect(table.prop('ObjectContent', 'obj')).toEqual({
      name: 'obj', type: 'ManagedObjectReference', mo: 'ManagedObject', since: '2.0',
    });
    expect(table.prop('HostPortGroup', 'vswitch')).toMatchObject({ type: 'string', link: 'HostVirtualSwitch' });
    expect(table.prop('TaskInfo', 'error')).toMatchObject({ type: 'LocalizedMethodFault', optional: true });
  });

  it('includes the vmodl core types', () => {
    expect(table.dataType('DynamicData')).toMatchObject({ base: null });
    expect(names(table.dataType('KeyAnyValue')!.props)).toEqual(['key', 'value']);
    expect(names(table.dataType('LocalizableMessage')!.props)).toEqual(['key', 'arg', 'message']);
    expect(table.dataType('DynamicProperty')!.props[1]).toMatchObject({ name: 'val', type: 'anyType' });
    expect(table.dataType('LocalizedMethodFault')).toMatchObject({ base: 'DynamicData' });
    expect(table.isDataType('ManagedObjectReference')).toBe(false);
  });

  it('resolves dotted property paths through data types', () => {
    expect(table.propType('VirtualMachine', 'config.hardware.numCPU')).toMatchObject({ type: 'int' });
    expect(table.propType('VirtualMachine', 'summary.runtime.powerState')).toMatchObject({
      type: 'VirtualMachinePowerState',
    });
    expect(table.propType('VirtualMachine', 'config.hardware.device')).toMatchObject({
      type: 'VirtualDevice', array: true,
    });
    expect(table.propType('VirtualMachine', 'name')).toMatchObject({ type: 'string' });
    expect(table.propType('VirtualMachine', 'config.nope')).toBeUndefined();
    expect(table.propType('VirtualMachine', 'config.hardware.device.key')).toBeUndefined();
    expect(table.propType('VirtualMachine', 'resourcePool.name')).toBeUndefined();
  });
});

describe('TypeTable: faults', () => {
  it('derives InvalidPowerState from MethodFault through InvalidState and VimFault', () => {
    expect(table.ancestry('InvalidPowerState')).toEqual(['InvalidPowerState', 'InvalidState', 'VimFault', 'MethodFault']);
    expect(table.isSubtypeOf('InvalidPowerState', 'MethodFault')).toBe(true);
    expect(table.isSubtypeOf('InvalidPowerState', 'RuntimeFault')).toBe(false);
    expect(table.isSubtypeOf('NotFound', 'VimFault')).toBe(true);
    expect(names(table.dataType('InvalidPowerState')!.props)).toEqual(['requestedState', 'existingState']);
    expect(table.dataType('RuntimeFault')!.base).toBe('MethodFault');
    expect(table.dataType('ManagedObjectNotFound')!.base).toBe('RuntimeFault');
  });

  it('gives MethodFault its wire shape', () => {
    const fault = table.dataType('MethodFault')!;
    expect(fault.base).toBeNull();
    expect(names(fault.props)).toEqual(['faultCause', 'faultMessage']);
    expect(fault.props[0]).toMatchObject({ type: 'LocalizedMethodFault', optional: true });
  });
});

describe('TypeTable: enums', () => {
  it('lists VirtualMachinePowerState values', () => {
    expect(table.isEnum('VirtualMachinePowerState')).toBe(true);
    expect(table.enumValues('VirtualMachinePowerState')).toEqual(['poweredOff', 'poweredOn', 'suspended']);
    expect(table.enumType('ObjectUpdateKind')!.values.map(([v]) => v)).toEqual(['modify', 'enter', 'leave']);
  });
});

describe('TypeTable: managed objects and methods', () => {
  it('describes VirtualMachine and its bases', () => {
    const vm = table.managedType('VirtualMachine')!;
    expect(vm.base).toBe('ManagedEntity');
    expect(table.ancestry('VirtualMachine')).toEqual(['VirtualMachine', 'ManagedEntity', 'ExtensibleManagedObject']);
    expect(names(vm.props)).toEqual(expect.arrayContaining(['config', 'runtime', 'summary', 'guest', 'datastore']));
    expect(table.prop('VirtualMachine', 'config')).toMatchObject({ type: 'VirtualMachineConfigInfo', optional: true });
    expect(table.prop('VirtualMachine', 'datastore')).toMatchObject({
      type: 'ManagedObjectReference', mo: 'Datastore', array: true,
    });
    expect(names(table.allProps('VirtualMachine')).slice(0, 3)).toEqual(['value', 'availableField', 'parent']);
    expect(table.isManaged('VirtualMachine')).toBe(true);
    expect(table.isSubtypeOf('VirtualMachine', 'ManagedEntity')).toBe(true);
    expect(table.isSubtypeOf('VirtualMachine', 'ManagedObject')).toBe(true);
  });

  it('describes RetrievePropertiesEx with its array parameter', () => {
    const m = table.method('PropertyCollector', 'RetrievePropertiesEx')!;
    expect(m.params).toEqual([
      { name: 'specSet', type: 'PropertyFilterSpec', array: true, since: '4.1' },
      { name: 'options', type: 'RetrieveOptions', since: '4.1' },
    ]);
    expect(m.returns).toEqual({ type: 'RetrieveResult', optional: true });
    expect(m.faults).toEqual(['InvalidProperty']);
    expect(m.privilege).toBe('System.Anonymous');
    expect(table.allProps('TraversalSpec').map((p) => p.name)).toContain('selectSet');
    expect(table.isSubtypeOf('TraversalSpec', 'SelectionSpec')).toBe(true);
  });

  it('describes task methods, inherited methods and lookup by name', () => {
    const reconfig = table.method('VirtualMachine', 'ReconfigVM_Task')!;
    expect(reconfig.params).toEqual([{ name: 'spec', type: 'VirtualMachineConfigSpec', since: '2.0' }]);
    expect(reconfig.returns).toEqual({ type: 'ManagedObjectReference', mo: 'Task' });
    expect(reconfig.faults).toContain('InvalidState');
    expect(table.method('VirtualMachine', 'PowerOnVM_Task')!.privilege).toBe('VirtualMachine.Interact.PowerOn');
    expect(table.method('Folder', 'CreateVM_Task')!.returns).toMatchObject({
      mo: 'Task', taskResult: 'ManagedObjectReference', taskResultMo: 'VirtualMachine',
    });
    expect(table.method('VirtualMachine', 'Destroy_Task')).toBe(table.method('ManagedEntity', 'Destroy_Task'));
    expect(table.findMethod('PowerOnVM_Task')!.owner).toBe('VirtualMachine');
    expect(table.findMethod('RetrieveServiceContent')!.owner).toBe('ServiceInstance');
    expect(table.findMethod('NoSuchMethod')).toBeUndefined();
    const login = table.method('SessionManager', 'Login')!;
    expect(login.params[1]).toMatchObject({ name: 'password', secret: true });
  });
});

describe('TypeTable: vSphere 7.0 additions and versions', () => {
  it('has types, props, params and enum values only govmomi knows, as 7.0', () => {
    expect(table.dataType('VirtualWDT')).toMatchObject({ base: 'VirtualDevice', since: '7.0' });
    expect(names(table.dataType('VirtualWDT')!.props)).toEqual(['runOnBoot', 'running']);
    expect(table.prop('VirtualMachineConfigInfo', 'sgxInfo')).toMatchObject({
      type: 'VirtualMachineSgxInfo', optional: true, since: '7.0',
    });
    expect(table.prop('ServiceContent', 'siteInfoManager')).toMatchObject({
      type: 'ManagedObjectReference', mo: 'SiteInfoManager', since: '7.0',
    });
    expect(table.method('ClusterEVCManager', 'ConfigureEvcMode_Task')!.params.map((p) => [p.name, p.since])).toEqual([
      ['evcModeKey', '6.0'],
      ['evcGraphicsModeKey', '7.0'],
    ]);
    expect(table.managedType('SiteInfoManager')!.since).toBe('7.0');
    expect(table.enumType('VirtualMachineGuestOsIdentifier')!.values).toContainEqual(['windows2019srv_64Guest', '7.0']);
  });

  it('filters by version', () => {
    expect(table.versionIndex('2.0')).toBe(0);
    expect(table.versionIndex('6.7')).toBeLessThan(table.versionIndex('7.0'));
    expect(table.versionIndex(undefined)).toBe(table.versions.length - 1);
    expect(table.versionIndex('9.9')).toBe(table.versions.length - 1);
    const in67 = names(table.propsIn('VirtualMachineConfigInfo', '6.7'));
    expect(in67).toContain('keyId');
    expect(in67).not.toContain('sgxInfo');
    expect(names(table.propsIn('VirtualMachineConfigInfo'))).toContain('sgxInfo');
    expect(table.typeAvailable('VirtualWDT', '6.7')).toBe(false);
    expect(table.typeAvailable('VirtualWDT', '7.0')).toBe(true);
    expect(table.typeAvailable('RetrieveResult', '4.0')).toBe(false);
    expect(table.enumValues('VirtualMachineGuestOsIdentifier', '6.7')).not.toContain('windows2019srv_64Guest');
    expect(table.isAvailable(table.method('PropertyCollector', 'RetrievePropertiesEx')!, '4.1')).toBe(true);
  });

  it('is immutable', () => {
    const vm = table.managedType('VirtualMachine')!;
    expect(Object.isFrozen(vm)).toBe(true);
    expect(Object.isFrozen(vm.props[0])).toBe(true);
    expect(typeTable()).toBe(table);
  });

  it('works on a hand-made table', () => {
    const small = new TypeTable({
      versions: ['1', '2'],
      data: {
        A: { base: null, since: '1', props: [{ name: 'a', type: 'string', since: '1' }] },
        B: { base: 'A', since: '2', props: [{ name: 'b', type: 'A', since: '2' }] },
      },
      enums: {},
      managed: {},
    });
    expect(names(small.allProps('B'))).toEqual(['a', 'b']);
    expect(small.propType('B', 'b.a')).toMatchObject({ type: 'string' });
    expect(small.propsIn('B', '1').map((p) => p.name)).toEqual(['a']);
  });
});

const PYVMOMI = '/usr/lib/python3/dist-packages/pyVmomi';
const GOVMOMI = '/usr/share/gocode/src/github.com/vmware/govmomi/vim25';
const sourcesPresent = existsSync(PYVMOMI) && existsSync(GOVMOMI);
const mustCheck = runsWith('vim-types.json against its sources', sourcesPresent, 'install python3-pyvmomi and golang-github-vmware-govmomi-dev');

describe('vim-types.json', () => {
  it.skipIf(!mustCheck)('is what scripts/gen-types.py generates from the installed sources', () => {
    expect(existsSync(PYVMOMI), `${PYVMOMI} missing: install python3-pyvmomi`).toBe(true);
    expect(existsSync(GOVMOMI), `${GOVMOMI} missing: install golang-github-vmware-govmomi-dev`).toBe(true);
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'vim-types-'));
    try {
      const out = join(dir, 'vim-types.json');
      const run = spawnSync('/usr/bin/python3', [join(root, 'scripts/gen-types.py'), '--out', out], {
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      const committed = readFileSync(join(root, 'models/data/vim-types.json'), 'utf8');
      expect(readFileSync(out, 'utf8') === committed, 'regenerate with npm run gen-types').toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
