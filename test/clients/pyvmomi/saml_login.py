#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) logging in by SAML token as pyVim.connect's token login
methods do: the token goes in the stub's samlToken (the WS-Security header) for LoginByToken only.
Debian's pyvmomi has no STS client (pyVim.sso), so the test gets the tokens from the STS itself.

Run with /usr/bin/python3:  saml_login.py --url URL --user U --password P --token FILE --bad-token FILE
Prints one JSON document as its last stdout line.
"""
from sim import arguments, emit, fault_of, login_by_token


def main():
    parser = arguments()
    parser.add_argument('--token', required=True)
    parser.add_argument('--bad-token', required=True)
    args = parser.parse_args()
    with open(args.token) as f:
        token = f.read()
    with open(args.bad_token) as f:
        bad = f.read()
    si, content = login_by_token(args, token)
    emit(dict(user=content.sessionManager.currentSession.userName,
              time=bool(si.CurrentTime()),
              datacenters=[dc.name for dc in content.rootFolder.childEntity],
              bad=fault_of(lambda: login_by_token(args, bad))))


main()
