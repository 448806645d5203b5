import { describe, expect, it } from 'vitest';
import { LicenseAssignmentManager } from '../../models/admin/license-assignment-manager.js';
import { LicenseManager } from '../../models/admin/license-manager.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { VCenter } from '../../models/vcenter.js';
import { expectFault } from '../support/faults.js';

const KEY = 'ABCDE-12345-FGHIJ-67890-KLMNO';

function setup(esx = false) {
  const vc = new VCenter({ topology: topologyFromFlags(esx ? { esx: true } : {}) });
  const ctx: CallContext = { vc };
  const licenses = vc.registry.require<LicenseManager>(vc.content.licenseManager as MoRef);
  return { vc, ctx, licenses };
}

describe('LicenseManager', () => {
  it('starts with vcsim\'s evaluation license; vCenter has an assignment manager, a host none', () => {
    const { licenses } = setup();
    expect(licenses.licenses).toMatchObject([{ licenseKey: '00000-00000-00000-00000-00000', editionKey: 'eval', name: 'Evaluation Mode' }]);
    expect(licenses.licenseAssignmentManager).toMatchObject({ type: 'LicenseAssignmentManager', value: 'licenseassignmentmanager-1' });
    expect(setup(true).licenses.licenseAssignmentManager).toBeUndefined();
  });

  it('adds, labels, updates, decodes and removes licenses; a malformed key is an InvalidArgument', async () => {
    const { ctx, licenses } = setup();
    const added = licenses.AddLicense(ctx, { licenseKey: KEY, labels: [{ key: 'team', value: 'a' }] });
    expect(added).toMatchObject({ licenseKey: KEY, labels: [{ key: 'team', value: 'a' }] });
    expect(licenses.AddLicense(ctx, { licenseKey: KEY })).toBe(added);
    expect(licenses.licenses).toHaveLength(2);
    await expectFault(() => licenses.AddLicense(ctx, { licenseKey: 'not-a-key' }), 'InvalidArgument');
    licenses.UpdateLicenseLabel(ctx, { licenseKey: KEY, labelKey: 'env', labelValue: 'prod' });
    expect(licenses.find(KEY)!.labels).toEqual([{ _type: 'KeyValue', key: 'team', value: 'a' }, { _type: 'KeyValue', key: 'env', value: 'prod' }]);
    licenses.RemoveLicenseLabel(ctx, { licenseKey: KEY, labelKey: 'team' });
    expect((licenses.find(KEY)!.labels as DataObject[]).map((l) => l.key)).toEqual(['env']);
    await expectFault(() => licenses.UpdateLicenseLabel(ctx, { licenseKey: 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA', labelKey: 'x', labelValue: 'y' }), 'InvalidArgument');
    expect(licenses.DecodeLicense(ctx, { licenseKey: 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA' })).toMatchObject({ editionKey: 'eval' });
    expect(licenses.licenses).toHaveLength(2);
    licenses.RemoveLicense(ctx, { licenseKey: KEY });
    licenses.RemoveLicense(ctx, { licenseKey: KEY });
    expect(licenses.licenses.map((l) => l.licenseKey)).toEqual(['00000-00000-00000-00000-00000']);
    expect(licenses.QueryLicenseUsage(ctx)).toMatchObject({ source: { _type: 'EvaluationLicenseSource' }, sourceAvailable: true });
  });
});

describe('LicenseAssignmentManager', () => {
  it('lists vCenter and every host, assigns installed licenses and removes assignments', async () => {
    const { vc, ctx, licenses } = setup();
    const assignments = vc.registry.require<LicenseAssignmentManager>(licenses.licenseAssignmentManager!);
    const uuid = (vc.content.about as DataObject).instanceUuid as string;
    const all = assignments.QueryAssignedLicenses(ctx, {});
    expect(all.map((a) => a.entityId)).toEqual([uuid, ...vc.registry.ofType('HostSystem').map((h) => h.self.value)]);
    expect(all.every((a) => (a.assignedLicense as DataObject).editionKey === 'eval')).toBe(true);
    const host = vc.registry.ofType('HostSystem')[0]!.self.value;
    await expectFault(() => assignments.UpdateAssignedLicense(ctx, { entity: host, licenseKey: KEY }), 'InvalidArgument');
    licenses.AddLicense(ctx, { licenseKey: KEY });
    expect(assignments.UpdateAssignedLicense(ctx, { entity: host, licenseKey: KEY, entityDisplayName: 'h0' })).toMatchObject({ licenseKey: KEY });
    expect(assignments.QueryAssignedLicenses(ctx, { entityId: host })).toMatchObject([{ entityId: host, entityDisplayName: 'h0', assignedLicense: { licenseKey: KEY } }]);
    expect(assignments.QueryAssignedLicenses(ctx, { entityId: 'host-999' })).toEqual([]);
    await expectFault(() => assignments.UpdateAssignedLicense(ctx, { entity: 'host-999', licenseKey: KEY }), 'LicenseEntityNotFound');
    await expectFault(() => assignments.RemoveAssignedLicense(ctx, { entityId: 'host-999' }), 'LicenseEntityNotFound');
    assignments.RemoveAssignedLicense(ctx, { entityId: host });
    expect((assignments.QueryAssignedLicenses(ctx, { entityId: host })[0]!.assignedLicense as DataObject).licenseKey).toBe('00000-00000-00000-00000-00000');
  });
});
