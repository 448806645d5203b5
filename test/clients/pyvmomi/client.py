#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) against vcenter-sim.

Run with /usr/bin/python3:  client.py SCENARIO --url https://127.0.0.1:PORT/sdk --user U --password P
Each scenario prints one JSON document as its last stdout line and exits 0; anything unexpected
(an exception the scenario does not expect) propagates, so the process exits non-zero with a
traceback on stderr. Faults a scenario expects are reported in the JSON ({"fault": "InvalidLogin"}),
never swallowed silently.
"""
import ssl
import sys
from urllib.parse import urlparse

from pyVim.connect import Disconnect
from pyVmomi import SoapStubAdapter, VmomiSupport, vim, vmodl

from sim import arguments, connect, emit

PC = vmodl.query.PropertyCollector


def endpoint(url):
    parsed = urlparse(url)
    return parsed.hostname, parsed.port or 443, parsed.path or '/sdk'


def moid(obj):
    return obj._moId if obj is not None else None


def fault_info(error):
    info = {'fault': error._wsdlName, 'msg': getattr(error, 'msg', None)}
    if isinstance(error, vmodl.fault.ManagedObjectNotFound) and error.obj is not None:
        info['obj'] = {'type': error.obj._wsdlName, 'value': error.obj._moId}
    if isinstance(error, vim.fault.NotAuthenticated) and error.object is not None:
        info['object'] = {'type': error.object._wsdlName, 'value': error.object._moId}
    return info


def container_spec(view, managed_type, paths):
    """A filter spec over a ContainerView's objects of one type, as pyvmomi users write it."""
    traverse = PC.TraversalSpec(name='traverseEntities', path='view', skip=False, type=vim.view.ContainerView)
    return PC.FilterSpec(
        objectSet=[PC.ObjectSpec(obj=view, skip=True, selectSet=[traverse])],
        propSet=[PC.PropertySpec(type=managed_type, pathSet=paths, all=False)],
    )


def props(object_content):
    return {p.name: p.val for p in object_content.propSet}


# ------------------------------------------------------------------------------------ scenarios

def scenario_about(args):
    si = connect(args)
    try:
        content = si.RetrieveContent()
        about = content.about
        session = content.sessionManager.currentSession
        emit({
            'fullName': about.fullName,
            'apiType': about.apiType,
            'apiVersion': about.apiVersion,
            'name': about.name,
            'instanceUuid': about.instanceUuid,
            'userName': session.userName,
            'sessionKey': session.key,
            'rootFolder': moid(content.rootFolder),
            'rootFolderName': content.rootFolder.name,
            'stubVersion': si._stub.version,
            'newestKnownVersion': VmomiSupport.newestVersions.Get('vim'),
        })
    finally:
        Disconnect(si)


def scenario_vms(args):
    si = connect(args)
    try:
        content = si.RetrieveContent()
        view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
        try:
            paths = ['name', 'runtime.powerState', 'config.hardware.numCPU']
            result = content.propertyCollector.RetrievePropertiesEx([container_spec(view, vim.VirtualMachine, paths)],
                                                                    PC.RetrieveOptions())
            vms = []
            token = None
            if result is not None:
                token = result.token
                for oc in result.objects:
                    p = props(oc)
                    vms.append({'id': moid(oc.obj), 'type': oc.obj._wsdlName, 'name': p.get('name'),
                                'powerState': p.get('runtime.powerState'), 'numCPU': p.get('config.hardware.numCPU')})
            emit({'vms': vms, 'token': token, 'viewSize': len(view.view)})
        finally:
            view.DestroyView()
    finally:
        Disconnect(si)


def scenario_data_objects(args):
    si = connect(args)
    try:
        content = si.RetrieveContent()

        def all_of(managed_type):
            view = content.viewManager.CreateContainerView(content.rootFolder, [managed_type], True)
            try:
                return list(view.view)
            finally:
                view.DestroyView()

        vms = []
        for vm in all_of(vim.VirtualMachine):
            summary = vm.summary
            config = vm.config
            vms.append({
                'id': moid(vm),
                'summaryName': summary.config.name,
                'summaryPowerState': summary.runtime.powerState,
                'summaryNumCpu': summary.config.numCpu,
                'summaryMemorySizeMB': summary.config.memorySizeMB,
                'summaryVm': moid(summary.vm),
                'summaryHost': moid(summary.runtime.host),
                'configName': config.name,
                'memoryMB': config.hardware.memoryMB,
                'numCPU': config.hardware.numCPU,
                'guestId': config.guestId,
                'uuid': config.uuid,
                'deviceCount': len(config.hardware.device),
                'deviceTypes': sorted({type(d).__name__ for d in config.hardware.device}),
            })
        hosts = []
        for host in all_of(vim.HostSystem):
            summary = host.summary
            hosts.append({
                'id': moid(host),
                'name': summary.config.name,
                'numCpuCores': summary.hardware.numCpuCores,
                'memorySize': summary.hardware.memorySize,
                'connectionState': summary.runtime.connectionState,
                'summaryHost': moid(summary.host),
            })
        datastores = []
        for ds in all_of(vim.Datastore):
            summary = ds.summary
            datastores.append({
                'id': moid(ds),
                'name': summary.name,
                'capacity': summary.capacity,
                'freeSpace': summary.freeSpace,
                'type': summary.type,
                'accessible': summary.accessible,
                'summaryDatastore': moid(summary.datastore),
            })
        emit({'vms': vms, 'hosts': hosts, 'datastores': datastores})
    finally:
        Disconnect(si)


def scenario_paging(args):
    si = connect(args)
    try:
        content = si.RetrieveContent()
        pc = content.propertyCollector
        view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
        try:
            spec = container_spec(view, vim.VirtualMachine, ['name'])
            page_sizes = []
            ids = []
            names = []
            tokens = []
            result = pc.RetrievePropertiesEx([spec], PC.RetrieveOptions(maxObjects=args.page_size))
            while result is not None:
                page_sizes.append(len(result.objects))
                for oc in result.objects:
                    ids.append(moid(oc.obj))
                    names.append(props(oc).get('name'))
                if not result.token:
                    break
                tokens.append(result.token)
                if len(page_sizes) > 10000:
                    raise RuntimeError('paging does not end')
                result = pc.ContinueRetrievePropertiesEx(result.token)
            emit({'pages': len(page_sizes), 'pageSizes': page_sizes, 'total': len(ids),
                  'uniqueIds': len(set(ids)), 'uniqueNames': len(set(names)), 'tokens': len(tokens),
                  'distinctTokens': len(set(tokens)), 'namesMissing': sum(1 for n in names if not n)})
        finally:
            view.DestroyView()
    finally:
        Disconnect(si)


def scenario_find_path(args):
    si = connect(args)
    try:
        index = si.RetrieveContent().searchIndex
        found = index.FindByInventoryPath(args.path)
        missing = index.FindByInventoryPath('DC0/vm/no-such-vm')
        emit({
            'found': None if found is None else {'type': found._wsdlName, 'id': moid(found), 'name': found.name,
                                                 'isVirtualMachine': isinstance(found, vim.VirtualMachine)},
            'missing': None if missing is None else moid(missing),
        })
    finally:
        Disconnect(si)


def object_updates(update_set):
    out = []
    if update_set is None:
        return out
    for filter_update in update_set.filterSet:
        for object_update in filter_update.objectSet:
            out.append({
                'kind': object_update.kind,
                'obj': moid(object_update.obj),
                'changes': sorted(
                    ({'name': c.name, 'op': c.op, 'val': c.val} for c in object_update.changeSet),
                    key=lambda c: c['name']),
            })
    return out


def scenario_wait_updates(args):
    si = connect(args)
    try:
        content = si.RetrieveContent()
        pc = content.propertyCollector
        vm = vim.VirtualMachine(args.vm, si._stub)
        spec = PC.FilterSpec(
            objectSet=[PC.ObjectSpec(obj=vm, skip=False)],
            propSet=[PC.PropertySpec(type=vim.VirtualMachine, pathSet=['name', 'runtime.powerState'])],
        )
        filter_ = pc.CreateFilter(spec, True)
        options = PC.WaitOptions(maxWaitSeconds=args.max_wait)
        first = pc.WaitForUpdatesEx('', options)
        if first is None:
            raise RuntimeError('no initial update')
        print('READY', flush=True)
        second = pc.WaitForUpdatesEx(first.version, options)
        filter_.DestroyPropertyFilter()
        emit({
            'initialVersion': first.version,
            'initial': object_updates(first),
            'update': None if second is None else object_updates(second),
            'updateVersion': None if second is None else second.version,
            'filterMatches': second is not None and all(moid(f.filter) == moid(filter_) for f in second.filterSet),
        })
    finally:
        Disconnect(si)


def scenario_bad_login(args):
    try:
        si = connect(args)
    except vmodl.MethodFault as error:
        emit(fault_info(error))
        return
    Disconnect(si)
    emit({'fault': None, 'loggedIn': True})


def scenario_not_authenticated(args):
    host, port, path = endpoint(args.url)
    stub = SoapStubAdapter(host=host, port=port, path=path, version=VmomiSupport.newestVersions.Get('vim'),
                           sslContext=ssl._create_unverified_context())
    si = vim.ServiceInstance('ServiceInstance', stub)
    content = si.RetrieveContent()  # served before login
    out = {'apiTypeBeforeLogin': content.about.apiType}
    try:
        out['rootFolderName'] = content.rootFolder.name
        out['fault'] = None
    except vmodl.MethodFault as error:
        out.update(fault_info(error))
    try:
        si.CurrentTime()
        out['currentTimeFault'] = None
    except vmodl.MethodFault as error:
        out['currentTimeFault'] = error._wsdlName
    emit(out)


def scenario_not_found(args):
    si = connect(args)
    try:
        vm = vim.VirtualMachine('vm-999999', si._stub)
        try:
            out = {'name': vm.name, 'fault': None}
        except vmodl.MethodFault as error:
            out = fault_info(error)
        # The session is still fine afterwards.
        out['rootFolderName'] = si.RetrieveContent().rootFolder.name
        emit(out)
    finally:
        Disconnect(si)


def full_traversal():
    """The classic whole-inventory traversal: mutually recursive specs referring to each other by name."""
    def sel(name):
        return PC.SelectionSpec(name=name)

    rp_to_rp = PC.TraversalSpec(name='rp_to_rp', type=vim.ResourcePool, path='resourcePool', skip=False,
                                selectSet=[sel('rp_to_rp'), sel('rp_to_vm')])
    rp_to_vm = PC.TraversalSpec(name='rp_to_vm', type=vim.ResourcePool, path='vm', skip=False, selectSet=[])
    cr_to_rp = PC.TraversalSpec(name='cr_to_rp', type=vim.ComputeResource, path='resourcePool', skip=False,
                                selectSet=[sel('rp_to_rp'), sel('rp_to_vm')])
    cr_to_h = PC.TraversalSpec(name='cr_to_h', type=vim.ComputeResource, path='host', skip=False, selectSet=[])
    dc_to_vmf = PC.TraversalSpec(name='dc_to_vmf', type=vim.Datacenter, path='vmFolder', skip=False,
                                 selectSet=[sel('visitFolders')])
    dc_to_hf = PC.TraversalSpec(name='dc_to_hf', type=vim.Datacenter, path='hostFolder', skip=False,
                                selectSet=[sel('visitFolders')])
    dc_to_dsf = PC.TraversalSpec(name='dc_to_dsf', type=vim.Datacenter, path='datastoreFolder', skip=False,
                                 selectSet=[sel('visitFolders')])
    dc_to_nf = PC.TraversalSpec(name='dc_to_nf', type=vim.Datacenter, path='networkFolder', skip=False,
                                selectSet=[sel('visitFolders')])
    visit_folders = PC.TraversalSpec(name='visitFolders', type=vim.Folder, path='childEntity', skip=False,
                                     selectSet=[sel('visitFolders'), sel('dc_to_vmf'), sel('dc_to_hf'),
                                                sel('dc_to_dsf'), sel('dc_to_nf'), sel('cr_to_h'),
                                                sel('cr_to_rp'), sel('rp_to_rp'), sel('rp_to_vm')])
    return [visit_folders, dc_to_vmf, dc_to_hf, dc_to_dsf, dc_to_nf, cr_to_h, cr_to_rp, rp_to_rp, rp_to_vm]


def scenario_traversal(args):
    si = connect(args)
    try:
        content = si.RetrieveContent()
        pc = content.propertyCollector

        def collect(obj, select_set, managed_type):
            spec = PC.FilterSpec(
                objectSet=[PC.ObjectSpec(obj=obj, skip=False, selectSet=select_set)],
                propSet=[PC.PropertySpec(type=managed_type, pathSet=['name'])],
            )
            return [(oc.obj, props(oc).get('name')) for oc in pc.RetrieveContents([spec])]

        def describe(found):
            return [{'type': obj._wsdlName, 'id': moid(obj), 'name': name} for obj, name in found]

        everything = collect(content.rootFolder, full_traversal(), vim.ManagedEntity)

        # Only the resource pool tree under each compute resource's root pool, through rp_to_rp alone
        # (a spec whose selectSet names itself).
        pools = {}
        rp_only = PC.TraversalSpec(name='rp_to_rp', type=vim.ResourcePool, path='resourcePool', skip=False,
                                   selectSet=[PC.SelectionSpec(name='rp_to_rp')])
        for obj, _ in everything:
            if isinstance(obj, vim.ComputeResource):
                root = obj.resourcePool
                pools[moid(obj)] = {'root': moid(root), 'pools': describe(collect(root, [rp_only], vim.ResourcePool))}
        emit({'everything': describe(everything), 'pools': pools})
    finally:
        Disconnect(si)


SCENARIOS = {
    'about': scenario_about,
    'vms': scenario_vms,
    'data-objects': scenario_data_objects,
    'paging': scenario_paging,
    'find-path': scenario_find_path,
    'wait-updates': scenario_wait_updates,
    'bad-login': scenario_bad_login,
    'not-authenticated': scenario_not_authenticated,
    'not-found': scenario_not_found,
    'traversal': scenario_traversal,
}


def main():
    parser = arguments(SCENARIOS)
    parser.add_argument('--vm')
    parser.add_argument('--path', default='DC0/vm/DC0_H0_VM0')
    parser.add_argument('--page-size', type=int, default=100)
    parser.add_argument('--max-wait', type=int, default=20)
    args = parser.parse_args()
    SCENARIOS[args.scenario](args)


if __name__ == '__main__':
    sys.exit(main())
