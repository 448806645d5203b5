import { describe, expect, it } from 'vitest';
import { ExtensionManager } from '../../models/admin/extension-manager.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { VCenter } from '../../models/vcenter.js';
import { selfSigned } from '../../simulator/tls.js';
import { expectFault } from '../support/faults.js';

function setup() {
  const vc = new VCenter({ topology: topologyFromFlags({}) });
  const ctx: CallContext = { vc };
  return { vc, ctx, extensions: vc.registry.require<ExtensionManager>(vc.content.extensionManager as MoRef) };
}

const extension = (key: string, version = '1.0'): DataObject => ({ _type: 'Extension', key, version, company: 'ACME', description: { _type: 'Description', label: key, summary: key } });

describe('ExtensionManager', () => {
  it('registers, finds, updates and unregisters extensions with vCenter\'s faults', async () => {
    const { ctx, extensions } = setup();
    extensions.RegisterExtension(ctx, { extension: extension('com.acme.plugin') });
    expect(extensions.extensionList.map((e) => e.key)).toEqual(['com.acme.plugin']);
    expect(extensions.FindExtension(ctx, { extensionKey: 'com.acme.plugin' })).toMatchObject({ version: '1.0', lastHeartbeatTime: expect.any(Date) });
    expect(extensions.FindExtension(ctx, { extensionKey: 'nope' })).toBeUndefined();
    await expectFault(() => extensions.RegisterExtension(ctx, { extension: extension('com.acme.plugin') }), 'InvalidArgument');
    await expectFault(() => extensions.RegisterExtension(ctx, { extension: extension('') }), 'InvalidArgument');
    extensions.UpdateExtension(ctx, { extension: extension('com.acme.plugin', '2.0') });
    expect(extensions.FindExtension(ctx, { extensionKey: 'com.acme.plugin' })!.version).toBe('2.0');
    await expectFault(() => extensions.UpdateExtension(ctx, { extension: extension('com.other') }), 'NotFound');
    extensions.UnregisterExtension(ctx, { extensionKey: 'com.acme.plugin' });
    expect(extensions.extensionList).toEqual([]);
    await expectFault(() => extensions.UnregisterExtension(ctx, { extensionKey: 'com.acme.plugin' }), 'NotFound');
  });

  it('sets a certificate: its subject becomes subjectName and survives an update', async () => {
    const { ctx, extensions } = setup();
    extensions.RegisterExtension(ctx, { extension: extension('com.acme.plugin') });
    extensions.SetExtensionCertificate(ctx, { extensionKey: 'com.acme.plugin', certificatePem: selfSigned('acme-solution').cert });
    expect(extensions.FindExtension(ctx, { extensionKey: 'com.acme.plugin' })!.subjectName).toContain('CN=acme-solution');
    extensions.UpdateExtension(ctx, { extension: extension('com.acme.plugin', '3.0') });
    expect(extensions.FindExtension(ctx, { extensionKey: 'com.acme.plugin' })!.subjectName).toContain('CN=acme-solution');
    await expectFault(() => extensions.SetExtensionCertificate(ctx, { extensionKey: 'com.acme.plugin', certificatePem: 'junk' }), 'InvalidArgument');
    await expectFault(() => extensions.SetExtensionCertificate(ctx, { extensionKey: 'com.acme.plugin' }), 'NoClientCertificate');
    await expectFault(() => extensions.SetExtensionCertificate(ctx, { extensionKey: 'nope', certificatePem: 'junk' }), 'NotFound');
  });

  it('QueryManagedBy lists the VMs whose config.managedBy names the extension', () => {
    const { vc, ctx, extensions } = setup();
    const vm = vc.registry.ofType<{ config: DataObject } & ReturnType<typeof vc.registry.all>[number]>('VirtualMachine')[0]!;
    vm.config = { ...vm.config, managedBy: { _type: 'ManagedByInfo', extensionKey: 'com.acme.plugin', type: 'appliance' } };
    expect(extensions.QueryManagedBy(ctx, { extensionKey: 'com.acme.plugin' })).toEqual([vm.self]);
    expect(extensions.QueryManagedBy(ctx, { extensionKey: 'other' })).toEqual([]);
  });
});
