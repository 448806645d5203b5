#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) using datastores and networks.

  datastore: uploads a file and an ISO over HTTP /folder with the session cookie, browses
             (SearchDatastore_Task, SearchDatastoreSubFolders_Task), moves and deletes files,
             creates and extends a virtual disk, creates a NAS datastore.
  network:   builds a distributed switch with a portgroup and connects a VM to it; adds a
             standard switch, a portgroup and a VMkernel NIC to a host.

Run with /usr/bin/python3:  storage.py SCENARIO --url https://127.0.0.1:PORT/sdk --user U --password P
Prints one JSON document as its last stdout line.
"""
import urllib.error
import urllib.request
from urllib.parse import quote, urlparse

from pyVim.task import WaitForTask
from pyVmomi import vim

from sim import CONTEXT, arguments, connect, emit, fault_of


def task_fault(start):
    try:
        WaitForTask(start())
    except Exception as error:
        return getattr(error, '_wsdlName', type(error).__name__)
    return None



def http(args, si, method, path, body=None):
    """A /folder request with the SOAP session cookie; returns (status, body bytes)."""
    parsed = urlparse(args.url)
    url = '{0}://{1}/folder/{2}?dcPath=DC0&dsName=LocalDS_0'.format(parsed.scheme, parsed.netloc, quote(path))
    cookie = si._stub.cookie.split(';')[0]
    request = urllib.request.Request(url, data=body, method=method, headers={'Cookie': cookie, 'Content-Type': 'application/octet-stream'})
    try:
        with urllib.request.urlopen(request, context=CONTEXT if parsed.scheme == 'https' else None, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def datastore(args, si):
    content = si.RetrieveContent()
    dc = content.searchIndex.FindByInventoryPath('DC0')
    ds = next(d for d in dc.datastore if d.name == 'LocalDS_0')
    free0 = ds.summary.freeSpace
    out = {}
    out['put'] = http(args, si, 'PUT', 'pyvmomi/notes.txt', b'written by pyvmomi')[0]
    out['putIso'] = http(args, si, 'PUT', 'iso/boot.iso', b'\x00' * 2048)[0]
    out['get'] = http(args, si, 'GET', 'pyvmomi/notes.txt')[1].decode()
    out['used'] = free0 - ds.summary.freeSpace

    spec = vim.host.DatastoreBrowser.SearchSpec(matchPattern=['*.iso'], details=vim.host.DatastoreBrowser.FileInfo.Details(fileType=True, fileSize=True))
    task = ds.browser.SearchDatastoreSubFolders_Task('[LocalDS_0]', spec)
    WaitForTask(task)
    out['isos'] = [[r.folderPath, f.path, f._wsdlName, f.fileSize] for r in task.info.result for f in (r.file or [])]
    task = ds.browser.SearchDatastore_Task('[LocalDS_0] pyvmomi', vim.host.DatastoreBrowser.SearchSpec())
    WaitForTask(task)
    out['listed'] = [f.path for f in task.info.result.file]
    out['searchMissing'] = task_fault(lambda: ds.browser.SearchDatastore_Task('[LocalDS_0] nowhere', None))

    fm = content.fileManager
    WaitForTask(fm.MoveDatastoreFile_Task('[LocalDS_0] pyvmomi/notes.txt', dc, '[LocalDS_0] pyvmomi/moved.txt', dc, False))
    out['afterMove'] = [http(args, si, 'GET', 'pyvmomi/notes.txt')[0], http(args, si, 'GET', 'pyvmomi/moved.txt')[0]]
    WaitForTask(fm.DeleteDatastoreFile_Task('[LocalDS_0] pyvmomi', dc))
    out['afterDelete'] = http(args, si, 'GET', 'pyvmomi/moved.txt')[0]
    out['deleteAgain'] = task_fault(lambda: fm.DeleteDatastoreFile_Task('[LocalDS_0] pyvmomi', dc))

    fm.MakeDirectory('[LocalDS_0] vdisks', dc, False)
    vdm = content.virtualDiskManager
    disk_spec = vim.VirtualDiskManager.FileBackedVirtualDiskSpec(diskType='preallocated', adapterType='lsiLogic', capacityKb=4096)
    WaitForTask(vdm.CreateVirtualDisk_Task('[LocalDS_0] vdisks/data.vmdk', dc, disk_spec))
    WaitForTask(vdm.ExtendVirtualDisk_Task('[LocalDS_0] vdisks/data.vmdk', dc, 8192, False))
    task = ds.browser.SearchDatastore_Task('[LocalDS_0] vdisks', vim.host.DatastoreBrowser.SearchSpec(query=[vim.host.DatastoreBrowser.VmDiskQuery()], details=vim.host.DatastoreBrowser.FileInfo.Details(fileType=True)))
    WaitForTask(task)
    out['disks'] = [[f.path, f.capacityKb] for f in task.info.result.file]
    out['diskSpace'] = free0 - ds.summary.freeSpace
    out['shrink'] = task_fault(lambda: vdm.ExtendVirtualDisk_Task('[LocalDS_0] vdisks/data.vmdk', dc, 1024, False))
    WaitForTask(vdm.DeleteVirtualDisk_Task('[LocalDS_0] vdisks/data.vmdk', dc))
    WaitForTask(fm.DeleteDatastoreFile_Task('[LocalDS_0] vdisks', dc))
    WaitForTask(fm.DeleteDatastoreFile_Task('[LocalDS_0] iso', dc))
    out['spaceBack'] = ds.summary.freeSpace == free0

    host = content.searchIndex.FindByInventoryPath('DC0/host/DC0_H0/DC0_H0')
    nas_spec = vim.host.NasVolume.Specification(remoteHost='nas.example.com', remotePath='/share', localPath='nas-1', accessMode='readWrite', type='NFS')
    nas = host.configManager.datastoreSystem.CreateNasDatastore(nas_spec)
    out['nas'] = [nas.name, nas.summary.type, nas.info.nas.remoteHost, nas in dc.datastore, nas in host.datastore]
    out['nasAgain'] = fault_of(lambda: host.configManager.datastoreSystem.CreateNasDatastore(vim.host.NasVolume.Specification(remoteHost='other', remotePath='/x', localPath='nas-1', accessMode='readWrite')))
    return out


def network(args, si):
    content = si.RetrieveContent()
    dc = content.searchIndex.FindByInventoryPath('DC0')
    host = content.searchIndex.FindByInventoryPath('DC0/host/DC0_H0/DC0_H0')
    vm = content.searchIndex.FindByInventoryPath('DC0/vm/DC0_H0_VM0')
    out = {}

    config = vim.DistributedVirtualSwitch.ConfigSpec(name='py-dvs', host=[vim.dvs.HostMember.ConfigSpec(operation='add', host=host)])
    task = dc.networkFolder.CreateDVS_Task(vim.DistributedVirtualSwitch.CreateSpec(configSpec=config))
    WaitForTask(task)
    dvs = task.info.result
    pg_spec = vim.dvs.DistributedVirtualPortgroup.ConfigSpec(name='py-pg', type='earlyBinding', numPorts=4)
    WaitForTask(dvs.AddDVPortgroup_Task([pg_spec]))
    pg = next(p for p in dvs.portgroup if p.name == 'py-pg')
    out['dvs'] = [dvs.name, sorted(p.name for p in dvs.portgroup if not p.config.uplink), [h.name for h in pg.host]]

    nic = next(d for d in vm.config.hardware.device if isinstance(d, vim.vm.device.VirtualEthernetCard))
    nic.backing = vim.vm.device.VirtualEthernetCard.DistributedVirtualPortBackingInfo(port=vim.dvs.PortConnection(switchUuid=dvs.uuid, portgroupKey=pg.key))
    change = vim.vm.device.VirtualDeviceSpec(operation='edit', device=nic)
    WaitForTask(vm.ReconfigVM_Task(vim.vm.ConfigSpec(deviceChange=[change])))
    out['vmNetworks'] = [n.name for n in vm.network]
    out['pgVms'] = [v.name for v in pg.vm]
    ports = dvs.FetchDVPorts(vim.dvs.PortCriteria(connected=True))
    out['connectedPorts'] = [[p.portgroupKey == pg.key, p.connectee.connectedEntity.name] for p in ports]
    out['destroyInUse'] = task_fault(lambda: pg.Destroy_Task())
    found = content.dvSwitchManager.DVSManagerLookupDvPortGroup(dvs.uuid, pg.key)
    out['lookup'] = found.name

    ns = host.configManager.networkSystem
    ns.AddVirtualSwitch('vSwitch7', vim.host.VirtualSwitch.Specification(numPorts=64))
    ns.AddPortGroup(vim.host.PortGroup.Specification(name='py-std', vlanId=7, vswitchName='vSwitch7', policy=vim.host.NetworkPolicy()))
    vmk = ns.AddVirtualNic('py-std', vim.host.VirtualNic.Specification(ip=vim.host.IpConfig(dhcp=False, ipAddress='10.7.0.2', subnetMask='255.255.255.0')))
    info = ns.networkInfo
    out['vmk'] = vmk
    out['hostSwitches'] = [s.name for s in info.vswitch]
    out['hostPortgroups'] = [p.spec.name for p in info.portgroup]
    out['stdNetwork'] = [n.name for n in host.network if n.name == 'py-std']
    out['duplicatePortgroup'] = fault_of(lambda: ns.AddPortGroup(vim.host.PortGroup.Specification(name='py-std', vlanId=7, vswitchName='vSwitch7', policy=vim.host.NetworkPolicy())))
    return out


def main():
    parser = arguments(['datastore', 'network'])
    args = parser.parse_args()
    si = connect(args)
    emit({'datastore': datastore, 'network': network}[args.scenario](args, si))


if __name__ == '__main__':
    main()
