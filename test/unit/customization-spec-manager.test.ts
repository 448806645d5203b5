import { describe, expect, it } from 'vitest';
import { CustomizationSpecManager } from '../../models/admin/customization-spec-manager.js';
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
  return { vc, ctx, specs: vc.registry.require<CustomizationSpecManager>(vc.content.customizationSpecManager as MoRef) };
}

const names = (specs: CustomizationSpecManager, ctx: CallContext) => (specs.read('info', ctx) as DataObject[]).map((i) => i.name);
const item = (name: string, changeVersion?: string): DataObject => ({
  _type: 'CustomizationSpecItem',
  info: { _type: 'CustomizationSpecInfo', name, description: 'web tier', type: 'Linux', changeVersion },
  spec: { _type: 'CustomizationSpec', identity: { _type: 'CustomizationLinuxPrep', hostName: { _type: 'CustomizationFixedName', name: 'web' }, domain: 'example.com' }, globalIPSettings: { _type: 'CustomizationGlobalIPSettings' } },
});

describe('CustomizationSpecManager', () => {
  it('lists vcsim\'s four specs', () => {
    const { ctx, specs } = setup();
    expect(names(specs, ctx)).toEqual(['vcsim-linux', 'vcsim-linux-static', 'vcsim-windows-static', 'vcsim-windows-domain']);
    expect(specs.GetCustomizationSpec(ctx, { name: 'vcsim-linux-static' }).spec).toMatchObject({ identity: { hostName: { _type: 'CustomizationPrefixName', base: 'vcsim' }, timeZone: 'Africa/Cairo' } });
  });

  it('creates, overwrites (ConcurrentAccess on a stale version), duplicates, renames and deletes specs', async () => {
    const { ctx, specs } = setup();
    specs.CreateCustomizationSpec(ctx, { item: item('web') });
    await expectFault(() => specs.CreateCustomizationSpec(ctx, { item: item('web') }), 'AlreadyExists');
    expect(specs.DoesCustomizationSpecExist(ctx, { name: 'web' })).toBe(true);
    const version = (specs.GetCustomizationSpec(ctx, { name: 'web' }).info as DataObject).changeVersion as string;
    specs.OverwriteCustomizationSpec(ctx, { item: item('web', version) });
    const newVersion = (specs.GetCustomizationSpec(ctx, { name: 'web' }).info as DataObject).changeVersion;
    expect(newVersion).toBe(String(Number(version) + 1));
    await expectFault(() => specs.OverwriteCustomizationSpec(ctx, { item: item('web', version) }), 'ConcurrentAccess');
    await expectFault(() => specs.OverwriteCustomizationSpec(ctx, { item: item('nope') }), 'NotFound');
    specs.DuplicateCustomizationSpec(ctx, { name: 'web', newName: 'web-copy' });
    await expectFault(() => specs.DuplicateCustomizationSpec(ctx, { name: 'web', newName: 'vcsim-linux' }), 'AlreadyExists');
    specs.RenameCustomizationSpec(ctx, { name: 'web-copy', newName: 'app' });
    expect(specs.GetCustomizationSpec(ctx, { name: 'app' }).spec).toEqual(specs.GetCustomizationSpec(ctx, { name: 'web' }).spec);
    await expectFault(() => specs.RenameCustomizationSpec(ctx, { name: 'gone', newName: 'x' }), 'NotFound');
    specs.DeleteCustomizationSpec(ctx, { name: 'web' });
    await expectFault(() => specs.DeleteCustomizationSpec(ctx, { name: 'web' }), 'NotFound');
    expect(names(specs, ctx)).toEqual(['vcsim-linux', 'vcsim-linux-static', 'vcsim-windows-static', 'vcsim-windows-domain', 'app']);
  });

  it('specs survive a world state file', () => {
    const { vc, ctx, specs } = setup();
    specs.CreateCustomizationSpec(ctx, { item: item('kept') });
    const fresh = new VCenter({ topology: topologyFromFlags({}) });
    restoreWorld(fresh, worldFromJson(JSON.parse(JSON.stringify(worldToJson(vc)))));
    expect(fresh.registry.require<CustomizationSpecManager>(specs.self).DoesCustomizationSpecExist({ vc: fresh }, { name: 'kept' })).toBe(true);
  });
});
