import { describe, expect, it } from 'vitest';
import { CustomFieldsManager } from '../../models/admin/custom-fields-manager.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import { worldFromJson, worldToJson } from '../../models/inventory/world-json.js';
import { restoreWorld } from '../../models/core/world-state.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { VCenter } from '../../models/vcenter.js';
import { expectFault } from '../support/faults.js';

function setup() {
  const vc = new VCenter({ topology: topologyFromFlags({}) });
  const ctx: CallContext = { vc };
  const fields = vc.registry.require<CustomFieldsManager>(vc.content.customFieldsManager as MoRef);
  const [vm, other] = vc.registry.ofType<ManagedEntity>('VirtualMachine');
  const host = vc.registry.ofType<ManagedEntity>('HostSystem')[0]!;
  return { vc, ctx, fields, vm: vm!, other: other!, host };
}

const names = (entity: ManagedEntity, ctx: CallContext) => (entity.read('availableField', ctx) as DataObject[]).map((f) => f.name);

describe('CustomFieldsManager', () => {
  it('adds global and per-type definitions; entities of the type (and only they) list them', async () => {
    const { ctx, fields, vm, host } = setup();
    const owner = fields.AddCustomFieldDef(ctx, { name: 'owner', moType: 'VirtualMachine' });
    const global = fields.AddCustomFieldDef(ctx, { name: 'cost-center' });
    expect(owner).toMatchObject({ _type: 'CustomFieldDef', key: 101, name: 'owner', type: 'string', managedObjectType: 'VirtualMachine' });
    expect(global).toMatchObject({ key: 102, managedObjectType: undefined });
    expect(names(vm, ctx)).toEqual(['owner', 'cost-center']);
    expect(names(host, ctx)).toEqual(['cost-center']);
    await expectFault(() => fields.AddCustomFieldDef(ctx, { name: 'owner', moType: 'VirtualMachine' }), 'DuplicateName');
    await expectFault(() => fields.AddCustomFieldDef(ctx, { name: 'cost-center', moType: 'HostSystem' }), 'DuplicateName');
    await expectFault(() => fields.AddCustomFieldDef(ctx, { name: 'x', moType: 'Task' }), 'InvalidArgument');
    expect(fields.AddCustomFieldDef(ctx, { name: 'owner', moType: 'HostSystem' }).key).toBe(103);
    expect(fields.field).toHaveLength(3);
  });

  it('sets values with SetField, renames and removes definitions with their values', async () => {
    const { ctx, fields, vm, other, host } = setup();
    const { key } = fields.AddCustomFieldDef(ctx, { name: 'owner', moType: 'VirtualMachine' }) as { key: number };
    fields.SetField(ctx, { entity: vm.self, key, value: 'alice' });
    fields.SetField(ctx, { entity: vm.self, key, value: 'bob' });
    expect(vm.customValue).toEqual([{ _type: 'CustomFieldStringValue', key, value: 'bob' }]);
    expect(vm.value).toEqual(vm.customValue);
    expect((vm as unknown as { summary: DataObject }).summary.customValue).toEqual(vm.customValue);
    await expectFault(() => fields.SetField(ctx, { entity: host.self, key, value: 'x' }), 'InvalidArgument');
    await expectFault(() => fields.SetField(ctx, { entity: vm.self, key: 999, value: 'x' }), 'InvalidArgument');
    fields.RenameCustomFieldDef(ctx, { key, name: 'owned-by' });
    expect(names(other, ctx)).toEqual(['owned-by']);
    await expectFault(() => fields.RenameCustomFieldDef(ctx, { key: 999, name: 'y' }), 'NotFound');
    const seq = vm.changeSeq;
    fields.RemoveCustomFieldDef(ctx, { key });
    expect(vm.changeSeq).toBeGreaterThan(seq);
    expect(vm.customValue).toEqual([]);
    expect((vm as unknown as { summary: DataObject }).summary.customValue).toEqual([]);
    expect(names(vm, ctx)).toEqual([]);
    await expectFault(() => fields.RemoveCustomFieldDef(ctx, { key }), 'NotFound');
  });

  it('setCustomValue defines the field for the entity\'s type on first use and reuses it', () => {
    const { ctx, fields, vm, other, host } = setup();
    vm.SetCustomValue(ctx, { key: 'team', value: 'a' });
    other.SetCustomValue(ctx, { key: 'team', value: 'b' });
    expect(fields.field).toEqual([expect.objectContaining({ key: 101, name: 'team', managedObjectType: 'VirtualMachine' })]);
    expect(other.customValue).toEqual([{ _type: 'CustomFieldStringValue', key: 101, value: 'b' }]);
    host.SetCustomValue(ctx, { key: 'team', value: 'c' });
    expect(fields.field.map((f) => [f.key, f.managedObjectType])).toEqual([[101, 'VirtualMachine'], [102, 'HostSystem']]);
  });

  it('definitions and values survive a world state file', () => {
    const { vc, ctx, fields, vm } = setup();
    vm.SetCustomValue(ctx, { key: 'team', value: 'a' });
    const fresh = new VCenter({ topology: topologyFromFlags({}) });
    restoreWorld(fresh, worldFromJson(JSON.parse(JSON.stringify(worldToJson(vc)))));
    const restored = fresh.registry.require<CustomFieldsManager>(fields.self);
    expect(restored).toBeInstanceOf(CustomFieldsManager);
    expect(names(fresh.registry.require<ManagedEntity>(vm.self), { vc: fresh })).toEqual(['team']);
    expect(restored.AddCustomFieldDef({ vc: fresh }, { name: 'next' }).key).toBe(102);
  });
});
