/**
 * The SOAP seeds the fuzzer mutates: valid requests of the main methods, against the objects of
 * the default VPX inventory. WaitForUpdates(Ex) is left out: a long poll is not a hang.
 */
export interface Ids {
  vm: string;
  vm2: string;
  host: string;
  folder: string;
  vmFolder: string;
  pool: string;
  datastore: string;
  datacenter: string;
}

const envelope = (body: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soapenv:Body>' +
  body + '</soapenv:Body></soapenv:Envelope>';
const call = (method: string, type: string, value: string, args = '') =>
  envelope(`<${method} xmlns="urn:vim25"><_this type="${type}">${value}</_this>${args}</${method}>`);

export const loginRequest = call('Login', 'SessionManager', 'SessionManager', '<userName>user</userName><password>pass</password>');

export function soapSeeds(ids: Ids): string[] {
  const vm = (method: string, args = '') => call(method, 'VirtualMachine', ids.vm, args);
  const diskAdd =
    '<deviceChange><operation>add</operation><fileOperation>create</fileOperation><device xsi:type="VirtualDisk"><key>-1</key>' +
    '<backing xsi:type="VirtualDiskFlatVer2BackingInfo"><fileName></fileName><diskMode>persistent</diskMode><thinProvisioned>true</thinProvisioned></backing>' +
    '<controllerKey>1000</controllerKey><unitNumber>3</unitNumber><capacityInKB>1048576</capacityInKB></device></deviceChange>';
  const nameSpec =
    `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet><pathSet>runtime.powerState</pathSet><pathSet>config.hardware.device</pathSet></propSet>` +
    `<objectSet><obj type="VirtualMachine">${ids.vm}</obj></objectSet></specSet><options><maxObjects>10</maxObjects></options>`;
  const traversal =
    `<specSet><propSet><type>ManagedEntity</type><pathSet>name</pathSet><pathSet>parent</pathSet></propSet><objectSet><obj type="Folder">group-d1</obj><skip>false</skip>` +
    '<selectSet xsi:type="TraversalSpec"><name>visitFolders</name><type>Folder</type><path>childEntity</path><skip>false</skip>' +
    '<selectSet><name>visitFolders</name></selectSet><selectSet><name>dcToVm</name></selectSet></selectSet>' +
    '<selectSet xsi:type="TraversalSpec"><name>dcToVm</name><type>Datacenter</type><path>vmFolder</path><skip>false</skip><selectSet><name>visitFolders</name></selectSet></selectSet>' +
    '</objectSet></specSet><options/>';
  return [
    call('RetrieveServiceContent', 'ServiceInstance', 'ServiceInstance'),
    call('CurrentTime', 'ServiceInstance', 'ServiceInstance'),
    call('RetrievePropertiesEx', 'PropertyCollector', 'propertyCollector', nameSpec),
    call('RetrievePropertiesEx', 'PropertyCollector', 'propertyCollector', traversal),
    call('RetrieveProperties', 'PropertyCollector', 'propertyCollector', nameSpec.replace('<options><maxObjects>10</maxObjects></options>', '')),
    call('CreateContainerView', 'ViewManager', 'ViewManager', '<container type="Folder">group-d1</container><type>VirtualMachine</type><recursive>true</recursive>'),
    call('FindByInventoryPath', 'SearchIndex', 'SearchIndex', '<inventoryPath>DC0/vm/DC0_H0_VM0</inventoryPath>'),
    call('FindByUuid', 'SearchIndex', 'SearchIndex', `<datacenter type="Datacenter">${ids.datacenter}</datacenter><uuid>x</uuid><vmSearch>true</vmSearch>`),
    vm('PowerOnVM_Task'),
    vm('PowerOffVM_Task'),
    vm('SuspendVM_Task'),
    vm('ResetVM_Task'),
    vm('ReconfigVM_Task', '<spec><numCPUs>2</numCPUs><memoryMB>2048</memoryMB><annotation>fuzz</annotation></spec>'),
    vm('ReconfigVM_Task', `<spec>${diskAdd}</spec>`),
    vm('Rename_Task', '<newName>renamed-vm</newName>'),
    vm('CreateSnapshot_Task', '<name>snap</name><memory>false</memory><quiesce>false</quiesce>'),
    vm('CloneVM_Task', `<folder type="Folder">${ids.vmFolder}</folder><name>fuzz-clone</name><spec><location/><powerOn>false</powerOn><template>false</template></spec>`),
    vm('RelocateVM_Task', `<spec><host type="HostSystem">${ids.host}</host><pool type="ResourcePool">${ids.pool}</pool></spec>`),
    vm('MigrateVM_Task', `<host type="HostSystem">${ids.host}</host><priority>defaultPriority</priority>`),
    vm('MarkAsTemplate'),
    vm('UnregisterVM'),
    call('Destroy_Task', 'VirtualMachine', ids.vm2),
    call('CreateFolder', 'Folder', ids.vmFolder, '<name>fuzz-folder</name>'),
    call(
      'CreateVM_Task', 'Folder', ids.vmFolder,
      `<config><name>fuzz-vm</name><guestId>otherGuest</guestId><files><vmPathName>[${'LocalDS_0'}]</vmPathName></files><numCPUs>1</numCPUs><memoryMB>64</memoryMB></config>` +
        `<pool type="ResourcePool">${ids.pool}</pool>`,
    ),
    call('CreateResourcePool', 'ResourcePool', ids.pool, '<name>fuzz-pool</name><spec><cpuAllocation><reservation>0</reservation><expandableReservation>true</expandableReservation><limit>-1</limit><shares><shares>4000</shares><level>normal</level></shares></cpuAllocation><memoryAllocation><reservation>0</reservation><expandableReservation>true</expandableReservation><limit>-1</limit><shares><shares>163840</shares><level>normal</level></shares></memoryAllocation></spec>'),
    call('QueryEvents', 'EventManager', 'EventManager', `<filter><entity><entity type="VirtualMachine">${ids.vm}</entity><recursion>self</recursion></entity></filter>`),
    call('CreateCollectorForTasks', 'TaskManager', 'TaskManager', '<filter/>'),
    call('DisconnectHost_Task', 'HostSystem', ids.host),
    call('ReconnectHost_Task', 'HostSystem', ids.host),
    call('SetCustomValue', 'VirtualMachine', ids.vm, '<key>k</key><value>v</value>'),
    call('MoveIntoFolder_Task', 'Folder', ids.vmFolder, `<list type="VirtualMachine">${ids.vm}</list>`),
    call('CancelTask', 'Task', 'task-1'),
    call('Logout', 'SessionManager', 'SessionManager'),
  ];
}
