"""What the pyvmomi client scripts share: connecting, the control API, and printing the result.

The scripts run with /usr/bin/python3 (Debian's python3-pyvmomi); each prints one JSON document as
its last stdout line.
"""
import argparse
import base64
import json
import ssl
import urllib.request
from urllib.parse import urlparse

from pyVim.connect import SmartConnect
from pyVim.task import WaitForTask
from pyVmomi import SoapStubAdapter, vim, vmodl

CONTEXT = ssl._create_unverified_context()


def emit(result):
    print(json.dumps(result, sort_keys=True, default=str), flush=True)


def connect(args):
    parsed = urlparse(args.url)
    return SmartConnect(protocol=parsed.scheme, host=parsed.hostname, port=parsed.port or 443, path=parsed.path or '/sdk',
                        user=args.user, pwd=args.password, sslContext=CONTEXT if parsed.scheme == 'https' else None)


def login_by_token(args, token):
    """A fresh stub logged in with the SAML `token`, as pyVim.connect's token logins do: the token
    goes in the stub's samlToken (the WS-Security header) with the login call alone."""
    parsed = urlparse(args.url)
    stub = SoapStubAdapter(host=parsed.hostname, port=parsed.port, path=parsed.path, version='vim.version.version12',
                           sslContext=CONTEXT)
    si = vim.ServiceInstance('ServiceInstance', stub)
    content = si.RetrieveContent()
    stub.samlToken = token
    try:
        content.sessionManager.LoginByToken()
    finally:
        stub.samlToken = None
    return si, content


def control(args, method, path, body=None):
    """One call to the control API; returns (status, decoded JSON or None)."""
    parsed = urlparse(args.url)
    url = '{0}://{1}/_sim{2}'.format(parsed.scheme, parsed.netloc, path)
    token = base64.b64encode('{0}:{1}'.format(args.user, args.password).encode()).decode()
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={'Authorization': 'Basic ' + token, 'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, context=CONTEXT if parsed.scheme == 'https' else None, timeout=30) as response:
        text = response.read().decode()
        return response.status, (json.loads(text) if text else None)


def add_rule(args, rule):
    status, body = control(args, 'POST', '/faults', rule)
    assert status == 201, status
    return body['id']


def arguments(scenarios=None):
    """The command line every script takes (--url, --user, --password, and a scenario name when it
    has several); callers add their own options and call parse_args()."""
    parser = argparse.ArgumentParser()
    if scenarios:
        parser.add_argument('scenario', choices=sorted(scenarios))
    parser.add_argument('--url', required=True)
    parser.add_argument('--user', required=True)
    parser.add_argument('--password', required=True)
    return parser


def find(content, vimtype, name):
    """The first inventory object of `vimtype` named `name`, or None."""
    view = content.viewManager.CreateContainerView(content.rootFolder, [vimtype], True)
    try:
        return next((obj for obj in view.view if obj.name == name), None)
    finally:
        view.DestroyView()


def fault_name(error):
    """The vSphere fault type of an exception."""
    return getattr(error, '_wsdlName', type(error).__name__)


def fault_of(call):
    """The fault type `call()` raises, or None when it succeeds."""
    try:
        call()
    except vmodl.MethodFault as error:  # vim.fault.VimFault is one too
        return fault_name(error)
    return None


def task_fault(start):
    """The fault type the task `start()` returns ends in, or None when it succeeds."""
    try:
        WaitForTask(start())
    except (vim.fault.VimFault, vmodl.MethodFault) as error:
        return fault_name(error)
    return None
