#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) with vCenter's sessions as its login flows and scripts
use them: sessionList and currentSession, SessionIsActive and TerminateSession under their
privileges, a failed login, an extension logging in with its certificate
(VimSessionOrientedStub.makeExtensionLoginMethod) and impersonating a user, and the events of all
that.

Run with /usr/bin/python3:
  sessions.py --url URL --user VIEWER --password P --principal 'VSPHERE.LOCAL\\viewer' --admin-user ADMIN --admin-password P --cert FILE --key FILE
--user (whose principal --principal is) is made read-only by the script. Prints one JSON document as its last stdout line.
"""

import datetime
import ssl
from urllib.parse import urlparse

from pyVim.connect import VimSessionOrientedStub
from pyVmomi import SoapStubAdapter, vim

from sim import arguments, connect, emit, fault_of

EXTENSION = 'com.example.pyvmomi'
READ_ONLY = -2


def as_user(args, user, password):
    return connect(type('Credentials', (), {'url': args.url, 'user': user, 'password': password}))


def extension_instance(args):
    """A ServiceInstance whose stub logs in as the extension with its client certificate."""
    parsed = urlparse(args.url)
    context = ssl._create_unverified_context()
    stub = SoapStubAdapter(host=parsed.hostname, port=parsed.port, path=parsed.path, certFile=args.cert, certKeyFile=args.key, sslContext=context,
                           version='vim.version.version12')  # 6.7: the API version pyVim.connect would agree on
    return vim.ServiceInstance('ServiceInstance', VimSessionOrientedStub(stub, VimSessionOrientedStub.makeExtensionLoginMethod(EXTENSION)))


def main():
    parser = arguments()
    for option in ('--admin-user', '--admin-password', '--principal', '--cert', '--key'):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    admin = as_user(args, args.admin_user, args.admin_password).RetrieveContent()
    admin.authorizationManager.SetEntityPermissions(admin.rootFolder, [vim.AuthorizationManager.Permission(principal=args.principal, group=False, roleId=READ_ONLY, propagate=True)])
    viewer_instance = as_user(args, args.user, args.password)
    viewer = viewer_instance.RetrieveContent()

    listed = sorted([s.userName, s.ipAddress, s.userAgent.startswith('pyvmomi'), s.callCount > 0, s.extensionSession] for s in admin.sessionManager.sessionList)
    own = viewer.sessionManager.currentSession
    admin_key = admin.sessionManager.currentSession.key
    result = {
        'listed': listed,
        'viewerList': fault_of(lambda: viewer.sessionManager.sessionList),
        'viewerOwn': own.userName,
        'viewerTerminates': fault_of(lambda: viewer.sessionManager.TerminateSession([admin_key])),
        'activeBefore': admin.sessionManager.SessionIsActive(own.key, own.userName),
    }
    admin.sessionManager.TerminateSession([own.key])
    result['activeAfter'] = admin.sessionManager.SessionIsActive(own.key, own.userName)
    result['viewerAfter'] = fault_of(viewer_instance.CurrentTime)
    result['badPassword'] = fault_of(lambda: as_user(args, args.admin_user, 'wrong'))

    admin.extensionManager.RegisterExtension(vim.Extension(key=EXTENSION, version='1.0', company='simtest', description=vim.Description(label='x', summary='x'),
                                                           lastHeartbeatTime=datetime.datetime.now(datetime.timezone.utc)))
    with open(args.cert) as pem:
        admin.extensionManager.SetExtensionCertificate(EXTENSION, pem.read())
    extension = extension_instance(args).content.sessionManager
    session = extension.currentSession
    result['extension'] = [session.userName, session.extensionSession]
    result['impersonated'] = extension.ImpersonateUser(args.user).userName
    result['impersonatedList'] = fault_of(lambda: extension.sessionList)

    events = admin.eventManager.QueryEvents(vim.event.EventFilterSpec(eventTypeId=[
        'UserLoginSessionEvent', 'BadUsernameSessionEvent', 'SessionTerminatedEvent', 'PermissionUpdatedEvent']))
    result['events'] = sorted({e._wsdlName for e in events})
    result['terminated'] = [e.terminatedUsername for e in events if isinstance(e, vim.event.SessionTerminatedEvent)]
    result['loggedIn'] = sorted({e.userName for e in events if isinstance(e, vim.event.UserLoginSessionEvent)})
    emit(result)


if __name__ == '__main__':
    main()
