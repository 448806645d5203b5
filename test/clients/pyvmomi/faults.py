#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) against vcenter-sim's injected faults.

Run with /usr/bin/python3:  faults.py SCENARIO --url https://127.0.0.1:PORT/sdk --user U --password P
The scenario adds its own fault rule through the control API (POST /_sim/faults, HTTP Basic with
the simulator's credentials), as a test in any language would, then makes pyVmomi calls and prints
one JSON document as its last stdout line. Unexpected exceptions propagate (non-zero exit).
"""
import http.client
import sys

from pyVim.connect import Disconnect
from pyVmomi import vim, vmodl

from sim import add_rule, arguments, connect, control, emit


def hits(args, rule_id):
    return control(args, 'GET', '/faults/' + rule_id)[1]['hits']


# ------------------------------------------------------------------------------------ scenarios

def scenario_fault_once(args):
    """A rule on RetrievePropertiesEx (what pyVmomi's property access calls) firing once: a typed
    vim.fault exception with its properties, then the same read succeeds."""
    si = connect(args)
    try:
        root = si.content.rootFolder
        rule_id = add_rule(args, {
            'name': 'cpu-once',
            'match': {'api': 'soap', 'method': 'RetrievePropertiesEx'},
            'action': {'kind': 'fault', 'fault': 'InsufficientCpuResourcesFault', 'message': 'Not enough CPU',
                       'properties': {'unreserved': 100, 'requested': 2000}},
            'times': 1,
        })
        out = {}
        try:
            out['firstName'] = root.name
        except vim.fault.InsufficientResourcesFault as error:
            out['first'] = {
                'wsdlName': error._wsdlName,
                'class': type(error).__name__,
                'isInsufficientCpu': isinstance(error, vim.fault.InsufficientCpuResourcesFault),
                'isVimFault': isinstance(error, vim.fault.VimFault),
                'isMethodFault': isinstance(error, vmodl.MethodFault),
                'msg': error.msg,
                'unreserved': error.unreserved,
                'requested': error.requested,
            }
        out['secondName'] = root.name
        out['hits'] = hits(args, rule_id)
        emit(out)
    finally:
        Disconnect(si)


def scenario_http_503(args):
    """A 503 with Retry-After on CurrentTime: pyVmomi raises http.client.HTTPException; once the
    rule is gone the same session works again."""
    si = connect(args)
    try:
        rule_id = add_rule(args, {'match': {'method': 'CurrentTime'},
                                  'action': {'kind': 'http', 'status': 503, 'retryAfter': 5}})
        out = {}
        try:
            si.CurrentTime()
            out['error'] = None
        except vmodl.MethodFault as error:
            out['error'] = {'type': 'MethodFault', 'name': error._wsdlName}
        except http.client.HTTPException as error:
            out['error'] = {'type': type(error).__name__, 'message': str(error),
                            'isHTTPException': isinstance(error, http.client.HTTPException)}
        out['hits'] = hits(args, rule_id)
        status, _ = control(args, 'DELETE', '/faults/' + rule_id)
        out['deleteStatus'] = status
        out['afterwards'] = si.CurrentTime() is not None
        emit(out)
    finally:
        Disconnect(si)


SCENARIOS = {
    'fault-once': scenario_fault_once,
    'http-503': scenario_http_503,
}


def main():
    parser = arguments(SCENARIOS)
    args = parser.parse_args()
    SCENARIOS[args.scenario](args)


if __name__ == '__main__':
    sys.exit(main())
