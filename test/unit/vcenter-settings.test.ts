import { describe, expect, it } from 'vitest';
import type { CallContext } from '../../models/core/managed-object.js';
import { Typed, type DataObject, type MoRef } from '../../models/core/moref.js';
import { OptionManager } from '../../models/host/option-manager.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { VCenter } from '../../models/vcenter.js';
import { expectFault } from '../support/faults.js';

function setup() {
  const vc = new VCenter({ topology: topologyFromFlags({}) });
  const ctx: CallContext = { vc };
  return { ctx, settings: vc.registry.require<OptionManager>(vc.content.setting as MoRef) };
}

const value = (o: DataObject) => (o.value instanceof Typed ? o.value.value : o.value);

describe('vCenter OptionManager (VpxSettings)', () => {
  it('holds vCenter\'s usual keys; QueryOptions takes a key or a prefix ending in a dot, InvalidName otherwise', async () => {
    const { ctx, settings } = setup();
    expect(settings).toBeInstanceOf(OptionManager);
    const keys = settings.QueryOptions(ctx, {}).map((o) => o.key);
    expect(keys).toEqual(expect.arrayContaining(['VirtualCenter.FQDN', 'VirtualCenter.InstanceName', 'event.maxAge', 'task.maxAge', 'config.vpxd.sso.enabled']));
    expect(settings.QueryOptions(ctx, { name: 'event.maxAge' }).map(value)).toEqual([30]);
    expect(settings.QueryOptions(ctx, { name: 'task.' }).map((o) => o.key)).toEqual(['task.maxAge', 'task.maxAgeEnabled']);
    await expectFault(() => settings.QueryOptions(ctx, { name: 'task' }), 'InvalidName');
    await expectFault(() => settings.QueryOptions(ctx, { name: 'no.such' }), 'InvalidName');
  });

  it('updates known keys keeping their type, adds new keys under config. only, all or nothing', async () => {
    const { ctx, settings } = setup();
    settings.UpdateOptions(ctx, { changedValue: [{ key: 'event.maxAge', value: 60 }, { key: 'config.vpxd.custom', value: 'x' }] });
    const maxAge = settings.QueryOptions(ctx, { name: 'event.maxAge' })[0]!;
    expect(maxAge.value).toEqual(new Typed('int', 60));
    expect(settings.QueryOptions(ctx, { name: 'config.vpxd.custom' }).map(value)).toEqual(['x']);
    await expectFault(() => settings.UpdateOptions(ctx, { changedValue: [{ key: 'task.maxAge', value: 7 }, { key: 'nope.key', value: 'x' }] }), 'InvalidName');
    await expectFault(() => settings.UpdateOptions(ctx, { changedValue: [{ key: 'event.maxAge', value: 'many' }] }), 'InvalidArgument');
    expect(settings.QueryOptions(ctx, { name: 'task.maxAge' }).map(value)).toEqual([30]);
  });
});
