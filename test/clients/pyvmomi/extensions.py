#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) managing vCenter extensions as govc's extension.register,
extension.info, extension.setcert and extension.unregister do.

Run with /usr/bin/python3:  extensions.py --url https://127.0.0.1:PORT/sdk --user U --password P --pem FILE
Prints one JSON document as its last stdout line.
"""

import datetime

from pyVmomi import vim

from sim import arguments, connect, emit, fault_of



def extension(key, version):
    return vim.Extension(key=key, version=version, company='ACME', lastHeartbeatTime=datetime.datetime.now(datetime.timezone.utc),
                         description=vim.Description(label='ACME plug-in', summary='Does things'),
                         server=[vim.Extension.ServerInfo(url='https://acme.example.com/plugin.zip', type='HTTPS', company='ACME',
                                                          adminEmail=['ops@acme.example.com'], description=vim.Description(label='s', summary='s'))])


def main():
    parser = arguments()
    parser.add_argument('--pem', required=True)
    args = parser.parse_args()
    em = connect(args).RetrieveContent().extensionManager
    em.RegisterExtension(extension('com.acme.plugin', '1.0'))
    listed = [(e.key, e.version, e.company, e.server[0].url) for e in em.extensionList]
    duplicate = fault_of(lambda: em.RegisterExtension(extension('com.acme.plugin', '1.0')))
    em.UpdateExtension(extension('com.acme.plugin', '1.1'))  # govc extension.register -update
    found = em.FindExtension('com.acme.plugin')
    with open(args.pem) as pem:
        em.SetExtensionCertificate('com.acme.plugin', pem.read())  # govc extension.setcert
    subject = em.FindExtension('com.acme.plugin').subjectName
    em.UnregisterExtension('com.acme.plugin')
    emit({
        'listed': listed, 'duplicate': duplicate, 'version': found.version, 'heartbeat': found.lastHeartbeatTime is not None,
        'subject': subject, 'missing': em.FindExtension('com.acme.plugin') is None, 'after': len(em.extensionList),
        'unregisterAgain': fault_of(lambda: em.UnregisterExtension('com.acme.plugin')),
    })


if __name__ == '__main__':
    main()
