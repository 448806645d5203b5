"""The client under test of pyvmomi-contract.yaml: a pyvmomi script that finds a VM and powers it
off, retrying a task that fails once. It reads the simulator's URL and credentials from the
environment the scenario runner sets (VC_URL, VC_USERNAME, VC_PASSWORD) and prints one JSON line.
"""
import json
import os
import ssl
from urllib.parse import urlparse

from pyVim.connect import Disconnect, SmartConnect
from pyVim.task import WaitForTask
from pyVmomi import vim

url = urlparse(os.environ['VC_URL'])
si = SmartConnect(protocol=url.scheme, host=url.hostname, port=url.port or 443, path=url.path or '/sdk',
                  user=os.environ['VC_USERNAME'], pwd=os.environ['VC_PASSWORD'],
                  sslContext=ssl._create_unverified_context())
content = si.RetrieveContent()
view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
vm = next(v for v in view.view if v.name == 'DC0_H0_VM0')
view.Destroy()

attempts, faults = 0, []
while True:
    attempts += 1
    try:
        WaitForTask(vm.PowerOffVM_Task())
        break
    except vim.fault.VimFault as fault:  # the injected task failure: try again, as a careful client does
        faults.append(type(fault).__name__.split('.')[-1])
        if attempts >= 3:
            raise

print(json.dumps({'vm': vm.name, 'powerState': vm.runtime.powerState, 'attempts': attempts, 'faults': faults}, sort_keys=True))
Disconnect(si)
