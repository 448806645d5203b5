#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) managing licenses as Ansible's vcenter_license and
govc's license.ls, license.add, license.decode, license.label.set, license.assign,
license.assigned.ls and license.remove do.

Run with /usr/bin/python3:  licenses.py --url https://127.0.0.1:PORT/sdk --user U --password P
Prints one JSON document as its last stdout line.
"""

from pyVmomi import vim

from sim import arguments, connect, emit, fault_of

KEY = 'ABCDE-12345-FGHIJ-67890-KLMNO'



def main():
    args = arguments().parse_args()
    content = connect(args).RetrieveContent()
    lm = content.licenseManager
    before = [(l.licenseKey, l.editionKey, l.name) for l in lm.licenses]
    features = [p.value.key for p in lm.licenses[0].properties if p.key == 'feature']
    evaluation = {p.key: p.value for p in lm.evaluation.properties}
    # vcenter_license: present (with labels), the key then shows in lm.licenses.
    added = lm.AddLicense(licenseKey=KEY, labels=[vim.KeyValue(key='VpxClientLicenseLabel', value='vcenter-sim')])
    decoded = lm.DecodeLicense(licenseKey=KEY)
    bad = fault_of(lambda: lm.AddLicense(licenseKey='bogus'))
    lm.UpdateLicenseLabel(licenseKey=KEY, labelKey='env', labelValue='test')
    labels = sorted((l.key, l.value) for l in next(x for x in lm.licenses if x.licenseKey == KEY).labels)
    # govc license.label.set: a new value replaces the label where it is; an empty one removes it.
    lm.UpdateLicenseLabel(licenseKey=KEY, labelKey='VpxClientLicenseLabel', labelValue='renamed')
    relabeled = [(l.key, l.value) for l in next(x for x in lm.licenses if x.licenseKey == KEY).labels]
    lm.UpdateLicenseLabel(licenseKey=KEY, labelKey='env', labelValue='')
    unlabeled = [(l.key, l.value) for l in next(x for x in lm.licenses if x.licenseKey == KEY).labels]
    usage = lm.QueryLicenseUsage()
    am = lm.licenseAssignmentManager
    host = content.viewManager.CreateContainerView(content.rootFolder, [vim.HostSystem], True).view[0]
    assigned = am.UpdateAssignedLicense(entity=host._moId, licenseKey=KEY, entityDisplayName=host.name)
    listed = [(a.entityId == content.about.instanceUuid or a.entityId.startswith('host-'), a.assignedLicense.licenseKey) for a in am.QueryAssignedLicenses()]
    mine = [(a.entityDisplayName, a.assignedLicense.licenseKey) for a in am.QueryAssignedLicenses(entityId=host._moId)]
    missing = fault_of(lambda: am.UpdateAssignedLicense(entity='host-999', licenseKey=KEY))
    am.RemoveAssignedLicense(entityId=host._moId)
    reverted = am.QueryAssignedLicenses(entityId=host._moId)[0].assignedLicense.licenseKey
    lm.RemoveLicense(licenseKey=KEY)  # vcenter_license: absent
    emit({
        'before': before, 'features': features, 'evaluation': evaluation, 'added': [added.licenseKey, added.editionKey],
        'decoded': decoded.licenseKey, 'bad': bad, 'labels': labels, 'relabeled': relabeled, 'unlabeled': unlabeled, 'usageSource': usage.source._wsdlName,
        'assigned': assigned.licenseKey, 'listed': listed, 'mine': mine, 'missing': missing, 'reverted': reverted,
        'after': [l.licenseKey for l in lm.licenses],
    })


if __name__ == '__main__':
    main()
