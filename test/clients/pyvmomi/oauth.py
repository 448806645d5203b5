#!/usr/bin/python3
"""A hand-written Python REST client of a federated vCenter: it finds the token service by OpenID
discovery, gets OAuth 2.0 tokens (request bodies and answers by oauthlib, Debian python3-oauthlib),
checks the access token's signature against the JWKS (PyJWT, Debian python3-jwt) and calls /api
with `Authorization: Bearer` over urllib; pyvmomi (Debian python3-pyvmomi 6.7.1) reads the same
inventory over SOAP to compare.

Run with /usr/bin/python3:
  oauth.py --url https://127.0.0.1:PORT/sdk --user U --password P --client ID --secret S
Prints one JSON document as its last stdout line.
"""
import base64
import json
import urllib.error
import urllib.request
from urllib.parse import quote, urlencode, urlparse

import jwt
from oauthlib.oauth2 import BackendApplicationClient, LegacyApplicationClient
from oauthlib.oauth2.rfc6749.errors import OAuth2Error
from pyVmomi import vim

from sim import CONTEXT, arguments, connect, control, emit, login_by_token


class Rest:
    """urllib against the simulator's origin, answers as (status, headers, decoded JSON or None)."""

    def __init__(self, url):
        parsed = urlparse(url)
        self.origin = '{0}://{1}'.format(parsed.scheme, parsed.netloc)

    def call(self, method, path_or_url, body=None, headers=None):
        url = path_or_url if '://' in path_or_url else self.origin + path_or_url
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, context=CONTEXT, timeout=30) as response:
                return response.status, response.headers, decoded(response.read())
        except urllib.error.HTTPError as error:
            return error.code, error.headers, decoded(error.read())


def decoded(data):
    return json.loads(data.decode()) if data else None


def client_basic(client_id, secret):
    """RFC 6749 §2.3.1: id and secret form-encoded, then HTTP Basic."""
    pair = '{0}:{1}'.format(quote(client_id, safe=''), quote(secret, safe=''))
    return 'Basic ' + base64.b64encode(pair.encode()).decode()


class TokenService:
    def __init__(self, rest, discovery, client_id, secret):
        self.rest = rest
        self.discovery = discovery
        self.auth = {'Authorization': client_basic(client_id, secret),
                     'Content-Type': 'application/x-www-form-urlencoded'}

    def request(self, oauth_client, body):
        """Posts the prepared body; oauthlib parses the answer (raising its OAuth2Error subclass for an error)."""
        status, _, answer = self.rest.call('POST', self.discovery['token_endpoint'], body.encode(), self.auth)
        return status, oauth_client.parse_request_body_response(json.dumps(answer))

    def error_of(self, oauth_client, body):
        """The RFC 6749 error code (as oauthlib names it) and HTTP status of a refused request."""
        try:
            status, _ = self.request(oauth_client, body)
        except OAuth2Error as error:
            return error.error, error.status_code
        return None, status

    def revoke(self, token):
        status, _, _ = self.rest.call('POST', self.discovery['revocation_endpoint'],
                                      'token={0}'.format(quote(token, safe='')).encode(), self.auth)
        return status


def bearer_get(rest, path, token):
    return rest.call('GET', path, headers={'Authorization': 'Bearer ' + token})


def refusal(reply):
    """What a 401 says: status, the vAPI error type, the RFC 6750 challenge's error."""
    status, headers, body = reply
    challenge = headers.get('WWW-Authenticate', '')
    return [status, (body or {}).get('error_type'), 'error="invalid_token"' in challenge]


def main():
    parser = arguments()
    parser.add_argument('--client', required=True)
    parser.add_argument('--secret', required=True)
    args = parser.parse_args()
    rest = Rest(args.url)
    content = connect(args).RetrieveContent()
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    soap_vms = sorted(vm.name for vm in view.view)

    _, _, discovery = rest.call('GET', '/.well-known/openid-configuration')
    service = TokenService(rest, discovery, args.client, args.secret)
    _, _, jwks = rest.call('GET', discovery['jwks_uri'])
    keys = {key.key_id: key for key in jwt.PyJWKSet.from_dict(jwks).keys}

    # client_credentials: the token's signature, issuer, audience and expiry checked by PyJWT.
    backend = BackendApplicationClient(client_id=args.client)
    status, token = service.request(backend, backend.prepare_request_body(include_client_id=False))
    access = token['access_token']
    header = jwt.get_unverified_header(access)
    claims = jwt.decode(access, keys[header['kid']].key, algorithms=['RS256'],
                        audience=content.about.instanceUuid, issuer=discovery['issuer'])
    _, _, rest_vms = bearer_get(rest, '/api/vcenter/vm', access)

    # A session opened with the token.
    _, _, session = rest.call('POST', '/api/session', headers={'Authorization': 'Bearer ' + access})
    _, _, session_info = rest.call('GET', '/api/session', headers={'vmware-api-session-id': session})

    # vCenter's token exchange (RFC 8693): the access token for a SAML bearer token, with which pyvmomi logs in by token.
    exchange = urlencode({'grant_type': 'urn:ietf:params:oauth:grant-type:token-exchange', 'subject_token': access,
                          'subject_token_type': 'urn:ietf:params:oauth:token-type:access_token',
                          'requested_token_type': 'urn:ietf:params:oauth:token-type:saml2'})
    _, _, exchanged = rest.call('POST', '/api/vcenter/authentication/token', exchange.encode(),
                                {'Content-Type': 'application/x-www-form-urlencoded'})
    _, token_content = login_by_token(args, base64.b64decode(exchanged['access_token']).decode())

    # password and refresh_token grants; the rotated-away refresh token refused.
    legacy = LegacyApplicationClient(client_id=args.client)
    _, first = service.request(legacy, legacy.prepare_request_body(username=args.user, password=args.password, include_client_id=False))
    _, second = service.request(legacy, legacy.prepare_refresh_body(refresh_token=first['refresh_token']))
    replay = service.error_of(legacy, legacy.prepare_refresh_body(refresh_token=first['refresh_token']))
    user_claims = jwt.decode(second['access_token'], options={'verify_signature': False})

    # Refusals: a wrong password, a wrong client secret; tampered, revoked and expired tokens.
    wrong_password = service.error_of(legacy, legacy.prepare_request_body(username=args.user, password='wrong', include_client_id=False))
    wrong_secret = TokenService(rest, discovery, args.client, 'wrong').error_of(backend, backend.prepare_request_body(include_client_id=False))
    head, payload, signature = access.split('.')
    forged = base64.urlsafe_b64encode(json.dumps(dict(claims, sub='VSPHERE.LOCAL\\Administrator')).encode()).decode().rstrip('=')
    tampered = refusal(bearer_get(rest, '/api/vcenter/vm', '.'.join([head, forged, signature])))
    revoke_status = service.revoke(access)
    revoked = refusal(bearer_get(rest, '/api/vcenter/vm', access))
    # The replayed refresh token revoked its grant: the token the good refresh gave is dead too.
    replay_revoked = refusal(bearer_get(rest, '/api/vcenter/vm', second['access_token']))
    _, fresh = service.request(legacy, legacy.prepare_request_body(username=args.user, password=args.password, include_client_id=False))
    live_before = bearer_get(rest, '/api/vcenter/vm', fresh['access_token'])[0]
    control(args, 'POST', '/actions/clock-advance', {'seconds': fresh['expires_in'] + 1})
    expired = refusal(bearer_get(rest, '/api/vcenter/vm', fresh['access_token']))

    emit({
        'tokenStatus': status, 'tokenType': token['token_type'], 'scope': token.get('scope'),
        'claims': {k: claims[k] for k in ('sub', 'client_id', 'iss')}, 'lifetime': claims['exp'] - claims['iat'],
        'restVms': sorted(vm['name'] for vm in rest_vms), 'soapVms': soap_vms,
        'sessionUser': session_info['user'], 'exchangedType': exchanged['issued_token_type'],
        'samlSessionUser': token_content.sessionManager.currentSession.userName, 'rotated': second['refresh_token'] != first['refresh_token'],
        'replay': list(replay), 'userSub': user_claims['sub'], 'wrongPassword': list(wrong_password),
        'wrongSecret': list(wrong_secret), 'tampered': tampered, 'revokeStatus': revoke_status,
        'revoked': revoked, 'replayRevoked': replay_revoked, 'liveBefore': live_before, 'expired': expired,
    })


if __name__ == '__main__':
    main()
