/**
 * The classes that simulate managed object types, by class name (which is the type's name): what
 * world documents and saved inventories are rebuilt from. Built on first use, after every model
 * module has loaded (the model modules import one another).
 */
import { AuthorizationManager } from '../admin/authorization-manager.js';
import { CustomFieldsManager } from '../admin/custom-fields-manager.js';
import { ExtensionManager } from '../admin/extension-manager.js';
import { CustomizationSpecManager } from '../admin/customization-spec-manager.js';
import { LicenseAssignmentManager } from '../admin/license-assignment-manager.js';
import { LicenseManager } from '../admin/license-manager.js';
import { ClusterComputeResource } from '../cluster/cluster-compute-resource.js';
import { ClusterEVCManager } from '../cluster/cluster-evc-manager.js';
import { ComputeResource } from '../cluster/compute-resource.js';
import { Datacenter } from '../core/datacenter.js';
import { EnvironmentBrowser } from '../cluster/environment-browser.js';
import { Datastore } from '../storage/datastore.js';
import { DistributedVirtualPortgroup } from '../network/distributed-virtual-portgroup.js';
import { DistributedVirtualSwitch, VmwareDistributedVirtualSwitch } from '../network/distributed-virtual-switch.js';
import { DistributedVirtualSwitchManager } from '../network/dvs-manager.js';
import { EventManager } from '../core/event-manager.js';
import { FileManager } from '../storage/file-manager.js';
import { Folder, StoragePod } from '../core/folder.js';
import { HostDatastoreBrowser } from '../storage/host-datastore-browser.js';
import { HostDatastoreSystem } from '../storage/host-datastore-system.js';
import { HostStorageSystem } from '../storage/host-storage-system.js';
import { HostSystem } from '../host/host-system.js';
import { HostAutoStartManager } from '../host/host-auto-start-manager.js';
import { HostCertificateManager } from '../host/host-certificate-manager.js';
import { HostDateTimeSystem } from '../host/host-date-time-system.js';
import { HostFirewallSystem } from '../host/host-firewall-system.js';
import { HostLocalAccountManager } from '../host/host-local-account-manager.js';
import { HostPowerSystem } from '../host/host-power-system.js';
import { HostServiceSystem } from '../host/host-service-system.js';
import { OptionManager } from '../host/option-manager.js';
import { UserDirectory } from '../host/user-directory.js';
import { ManagedEntity } from '../core/managed-entity.js';
import { ManagedObject } from '../core/managed-object.js';
import { HostNetworkSystem } from '../network/host-network-system.js';
import { HostVirtualNicManager } from '../network/host-virtual-nic-manager.js';
import { Network } from '../network/network.js';
import { ResourcePool, VirtualApp } from '../cluster/resource-pool.js';
import { SearchIndex } from '../core/search-index.js';
import { ServiceInstance } from '../core/service-instance.js';
import { StorageResourceManager } from '../storage/storage-resource-manager.js';
import { HttpNfcLease } from '../vm/http-nfc-lease.js';
import { OvfManager } from '../vm/ovf-manager.js';
import { Task } from '../core/task.js';
import { TaskManager } from '../core/task-manager.js';
import type { TypeTable } from '../core/type-table.js';
import { VirtualDiskManager } from '../storage/virtual-disk-manager.js';
import { VirtualMachine } from '../vm/virtual-machine.js';
import { VirtualMachineSnapshot } from '../vm/virtual-machine-snapshot.js';

export type SimulatedClass = new () => ManagedObject;

let table: Map<string, SimulatedClass> | undefined;

export function simulatedClasses(): Map<string, SimulatedClass> {
  table ??= new Map(
    [
      ManagedObject, ManagedEntity, ServiceInstance, TaskManager, EventManager, SearchIndex, Task,
      Folder, StoragePod, Datacenter, ComputeResource, ClusterComputeResource, HostSystem,
      ResourcePool, VirtualApp, VirtualMachine, VirtualMachineSnapshot, Datastore, Network,
      DistributedVirtualPortgroup, DistributedVirtualSwitch, VmwareDistributedVirtualSwitch, EnvironmentBrowser,
      FileManager, VirtualDiskManager, HostDatastoreBrowser, HostDatastoreSystem, HostStorageSystem, HostNetworkSystem, HostVirtualNicManager,
      HostServiceSystem, HostFirewallSystem, HostDateTimeSystem, HostAutoStartManager, HostPowerSystem,
      HostLocalAccountManager, HostCertificateManager, OptionManager, UserDirectory,
      ClusterEVCManager, AuthorizationManager, CustomFieldsManager, LicenseManager, LicenseAssignmentManager, ExtensionManager, CustomizationSpecManager,
      DistributedVirtualSwitchManager, StorageResourceManager, OvfManager, HttpNfcLease,
    ].map((Class) => [Class.name, Class as unknown as SimulatedClass]),
  );
  return table;
}

/** The class simulating `type`: its own, else its nearest ancestor's, else ManagedObject. */
export function classFor(types: TypeTable, type: string): SimulatedClass {
  const classes = simulatedClasses();
  for (const name of types.ancestry(type)) {
    const Class = classes.get(name);
    if (Class) return Class;
  }
  return ManagedObject as unknown as SimulatedClass;
}
