#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) against vcenter-sim's chaos tools: task rules, world
actions, hangs, resets and seeded probabilities.

Run with /usr/bin/python3:  chaos.py SCENARIO --url https://127.0.0.1:PORT/sdk --user U --password P
Each scenario drives the control API itself (HTTP Basic with the simulator's credentials), as a test
in any language would, and prints one JSON document as its last stdout line. Unexpected exceptions
propagate (non-zero exit).
"""
import http.client
import socket
import ssl
import sys
import threading
import time

from pyVim.connect import Disconnect
from pyVim.task import WaitForTask
from pyVmomi import vim, vmodl

from sim import add_rule, arguments, connect, control, emit


def find(si, managed_type, name):
    view = si.content.viewManager.CreateContainerView(si.content.rootFolder, [managed_type], True)
    try:
        return next(obj for obj in view.view if obj.name == name)
    finally:
        view.Destroy()


# ------------------------------------------------------------------------------------ scenarios

def scenario_task_error(args):
    """A taskError rule at 50% (with a taskDelay so the progress shows): WaitForTask reports the
    progress up to 50, then raises the fault; the VM stays off. The next power-on works."""
    si = connect(args)
    try:
        vm = find(si, vim.VirtualMachine, args.vm)
        if vm.runtime.powerState != 'poweredOff':
            WaitForTask(vm.PowerOffVM_Task())
        add_rule(args, {'match': {'method': 'PowerOnVM_Task', 'entityName': args.vm},
                        'action': {'kind': 'taskDelay', 'ms': 2000}, 'times': 1})
        rule_id = add_rule(args, {'match': {'method': 'PowerOnVM_Task', 'entityName': args.vm},
                                  'action': {'kind': 'taskError', 'fault': 'InsufficientResourcesFault',
                                             'message': 'No room at 50%', 'atProgress': 50}, 'times': 1})
        updates = []
        out = {'ruleId': rule_id}
        try:
            WaitForTask(vm.PowerOnVM_Task(), onProgressUpdate=lambda task, state: updates.append(state))
            out['fault'] = None
        except vim.fault.InsufficientResourcesFault as error:
            out['fault'] = {'wsdlName': error._wsdlName, 'msg': error.msg}
        out['updates'] = [u if isinstance(u, int) else str(u).split(':')[0] for u in updates]
        out['powerStateAfterFault'] = vm.runtime.powerState
        WaitForTask(vm.PowerOnVM_Task())
        out['powerStateAfterRetry'] = vm.runtime.powerState
        emit(out)
    finally:
        Disconnect(si)


def scenario_host_disconnect(args):
    """A client blocked in WaitForUpdatesEx on the host's runtime.connectionState wakes up with
    `disconnected` when host-disconnect is posted; QueryEvents then shows HostDisconnectedEvent."""
    si = connect(args)
    try:
        host = find(si, vim.HostSystem, args.host)
        pc = si.content.propertyCollector
        spec = vmodl.query.PropertyCollector.FilterSpec(
            objectSet=[vmodl.query.PropertyCollector.ObjectSpec(obj=host)],
            propSet=[vmodl.query.PropertyCollector.PropertySpec(type=vim.HostSystem, pathSet=['runtime.connectionState'])])
        pc_filter = pc.CreateFilter(spec, partialUpdates=False)
        options = vmodl.query.PropertyCollector.WaitOptions(maxWaitSeconds=30)
        first = pc.WaitForUpdatesEx('', options)
        values = [change.val for fs in first.filterSet for obj in fs.objectSet for change in obj.changeSet]

        def disconnect_later():
            time.sleep(0.5)
            control(args, 'POST', '/actions/host-disconnect', {'name': args.host})
        worker = threading.Thread(target=disconnect_later)
        worker.start()
        started = time.time()
        update = pc.WaitForUpdatesEx(first.version, options)
        waited = time.time() - started
        worker.join()
        values += [change.val for fs in update.filterSet for obj in fs.objectSet for change in obj.changeSet]
        pc_filter.Destroy()

        events = si.content.eventManager.QueryEvents(vim.event.EventFilterSpec(
            entity=vim.event.EventFilterSpec.ByEntity(entity=host, recursion='self'),
            eventTypeId=['HostDisconnectedEvent']))
        control(args, 'POST', '/actions/host-reconnect', {'name': args.host})
        emit({
            'values': values,
            'waitedAtLeastHalfASecond': waited >= 0.4,
            'events': [{'type': type(e).__name__, 'host': e.host.name, 'hostMoid': e.host.host._moId,
                        'message': e.fullFormattedMessage} for e in events],
            'connectionStateAfterReconnect': host.runtime.connectionState,
        })
    finally:
        Disconnect(si)


def scenario_hang(args):
    """A hang rule on CurrentTime: the client times out (socket timeout); meanwhile and afterwards
    the server answers other calls and, once the rule is removed, CurrentTime again."""
    si = connect(args)
    try:
        rule_id = add_rule(args, {'match': {'method': 'CurrentTime'}, 'action': {'kind': 'hang'}})
        socket.setdefaulttimeout(3)  # connections opened from now on time out (pyVmomi has no per-call timeout)
        hung = connect(args)
        socket.setdefaulttimeout(None)
        out = {}
        started = time.time()
        try:
            hung.CurrentTime()
            out['error'] = None
        except (socket.timeout, TimeoutError) as error:
            out['error'] = {'type': type(error).__name__, 'isTimeout': isinstance(error, (socket.timeout, TimeoutError))}
        out['waitedAtLeastOneSecond'] = time.time() - started >= 1.0
        out['aboutWhileHung'] = si.content.about.name
        status, _ = control(args, 'DELETE', '/faults/' + rule_id)
        out['deleteStatus'] = status
        out['currentTimeAfter'] = si.CurrentTime() is not None
        emit(out)
    finally:
        Disconnect(si)


def scenario_reset(args):
    """A reset rule on CurrentTime: the connection is dropped with no answer, which the client sees
    as a connection reset; a new connection works."""
    si = connect(args)
    try:
        rule_id = add_rule(args, {'match': {'method': 'CurrentTime'}, 'action': {'kind': 'reset'}, 'times': 1})
        out = {}
        try:
            si.CurrentTime()
            out['error'] = None
        except (ConnectionError, http.client.HTTPException, ssl.SSLError) as error:
            out['error'] = {'type': type(error).__name__, 'isConnectionReset': isinstance(error, ConnectionResetError)}
        out['hits'] = control(args, 'GET', '/faults/' + rule_id)[1]['hits']
        again = connect(args)
        out['afterwards'] = again.CurrentTime() is not None
        Disconnect(again)
        emit(out)
    finally:
        try:
            Disconnect(si)
        except Exception:  # the session's connection was reset: nothing to log out of
            pass


def scenario_seeded(args):
    """A fault rule firing with probability 0.5 on CurrentTime, no seed of its own: the simulator's
    seed decides. Prints which of 24 calls failed ('F') and which passed ('.')."""
    si = connect(args)
    try:
        add_rule(args, {'match': {'method': 'CurrentTime'}, 'probability': 0.5,
                        'action': {'kind': 'fault', 'fault': 'InvalidState', 'message': 'coin says no'}})
        sequence = ''
        for _ in range(24):
            try:
                si.CurrentTime()
                sequence += '.'
            except vim.fault.InvalidState:
                sequence += 'F'
        control(args, 'DELETE', '/faults')
        emit({'sequence': sequence})
    finally:
        Disconnect(si)


SCENARIOS = {
    'task-error': scenario_task_error,
    'host-disconnect': scenario_host_disconnect,
    'hang': scenario_hang,
    'reset': scenario_reset,
    'seeded': scenario_seeded,
}


def main():
    parser = arguments(SCENARIOS)
    parser.add_argument('--vm', default='DC0_H0_VM1')
    parser.add_argument('--host', default='DC0_H0')
    args = parser.parse_args()
    SCENARIOS[args.scenario](args)


if __name__ == '__main__':
    sys.exit(main())
