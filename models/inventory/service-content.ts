/**
 * ServiceContent of the two models: the managed object ids of vcsim's vpx/ and esx/ service
 * content, with `about` raised to vSphere 7.0.
 */
import { MoRef, type DataObject } from '../core/moref.js';

/**
 * [ServiceContent property, managed object type, VPX id, ESX id, ESX type when it differs];
 * `null` where the model has no such object.
 */
const serviceObjects: readonly (readonly [string, string, string | null, string | null, string?])[] = [
  ['rootFolder', 'Folder', 'group-d1', 'ha-folder-root'],
  ['propertyCollector', 'PropertyCollector', 'propertyCollector', 'ha-property-collector'],
  ['viewManager', 'ViewManager', 'ViewManager', 'ViewManager'],
  ['setting', 'OptionManager', 'VpxSettings', 'HostAgentSettings'],
  ['userDirectory', 'UserDirectory', 'UserDirectory', 'ha-user-directory'],
  ['sessionManager', 'SessionManager', 'SessionManager', 'ha-sessionmgr'],
  ['authorizationManager', 'AuthorizationManager', 'AuthorizationManager', 'ha-authmgr'],
  ['serviceManager', 'ServiceManager', 'ServiceMgr', 'ha-servicemanager'],
  ['perfManager', 'PerformanceManager', 'PerfMgr', 'ha-perfmgr'],
  ['scheduledTaskManager', 'ScheduledTaskManager', 'ScheduledTaskManager', null],
  ['alarmManager', 'AlarmManager', 'AlarmManager', null],
  ['eventManager', 'EventManager', 'EventManager', 'ha-eventmgr'],
  ['taskManager', 'TaskManager', 'TaskManager', 'ha-taskmgr'],
  ['extensionManager', 'ExtensionManager', 'ExtensionManager', null],
  ['customizationSpecManager', 'CustomizationSpecManager', 'CustomizationSpecManager', null],
  ['customFieldsManager', 'CustomFieldsManager', 'CustomFieldsManager', null],
  ['accountManager', 'HostLocalAccountManager', null, 'ha-localacctmgr'],
  ['diagnosticManager', 'DiagnosticManager', 'DiagMgr', 'ha-diagnosticmgr'],
  ['licenseManager', 'LicenseManager', 'LicenseManager', 'ha-license-manager'],
  ['searchIndex', 'SearchIndex', 'SearchIndex', 'ha-searchindex'],
  ['fileManager', 'FileManager', 'FileManager', 'ha-nfc-file-manager'],
  ['datastoreNamespaceManager', 'DatastoreNamespaceManager', 'DatastoreNamespaceManager', 'ha-datastore-namespace-manager'],
  ['virtualDiskManager', 'VirtualDiskManager', 'virtualDiskManager', 'ha-vdiskmanager'],
  ['snmpSystem', 'HostSnmpSystem', 'SnmpSystem', null],
  ['vmProvisioningChecker', 'VirtualMachineProvisioningChecker', 'ProvChecker', null],
  ['vmCompatibilityChecker', 'VirtualMachineCompatibilityChecker', 'CompatChecker', null],
  ['ovfManager', 'OvfManager', 'OvfManager', 'ha-ovf-manager'],
  ['ipPoolManager', 'IpPoolManager', 'IpPoolManager', null],
  ['dvSwitchManager', 'DistributedVirtualSwitchManager', 'DVSManager', 'ha-dvsmanager'],
  ['hostProfileManager', 'HostProfileManager', 'HostProfileManager', null],
  ['clusterProfileManager', 'ClusterProfileManager', 'ClusterProfileManager', null],
  ['complianceManager', 'ProfileComplianceManager', 'MoComplianceManager', null],
  ['localizationManager', 'LocalizationManager', 'LocalizationManager', 'ha-l10n-manager'],
  ['storageResourceManager', 'StorageResourceManager', 'StorageResourceManager', 'ha-storage-resource-manager'],
  ['guestOperationsManager', 'GuestOperationsManager', 'guestOperationsManager', 'ha-guest-operations-manager'],
  ['overheadMemoryManager', 'OverheadMemoryManager', 'OverheadMemoryManager', null],
  ['certificateManager', 'CertificateManager', 'certificateManager', null],
  ['ioFilterManager', 'IoFilterManager', 'IoFilterManager', null],
  ['vStorageObjectManager', 'VcenterVStorageObjectManager', 'VStorageObjectManager', 'ha-vstorage-object-manager', 'HostVStorageObjectManager'],
  ['hostSpecManager', 'HostSpecificationManager', 'HostSpecificationManager', null],
  ['cryptoManager', 'CryptoManagerKmip', 'CryptoManager', 'ha-crypto-manager', 'CryptoManager'],
  ['healthUpdateManager', 'HealthUpdateManager', 'HealthUpdateManager', null],
  ['failoverClusterConfigurator', 'FailoverClusterConfigurator', 'FailoverClusterConfigurator', null],
  ['failoverClusterManager', 'FailoverClusterManager', 'FailoverClusterManager', null],
];

export const VCENTER_ABOUT: Readonly<DataObject> = Object.freeze({
  name: 'VMware vCenter Server',
  fullName: 'VMware vCenter Server 7.0.0 build-15952498',
  vendor: 'VMware, Inc.',
  version: '7.0.0',
  build: '15952498',
  localeVersion: 'INTL',
  localeBuild: '000',
  osType: 'linux-x64',
  productLineId: 'vpx',
  apiType: 'VirtualCenter',
  apiVersion: '7.0',
  instanceUuid: 'dbed6e0c-bd88-4ef6-b594-21283e1c677f',
  licenseProductName: 'VMware VirtualCenter Server',
  licenseProductVersion: '7.0',
});

/** What an ESXi 7.0 host reports, as `about` of the ESX model and as every host's `config.product`. */
export const ESX_ABOUT: Readonly<DataObject> = Object.freeze({
  name: 'VMware ESXi',
  fullName: 'VMware ESXi 7.0.0 build-15843807',
  vendor: 'VMware, Inc.',
  version: '7.0.0',
  build: '15843807',
  localeVersion: 'INTL',
  localeBuild: '000',
  osType: 'vmnix-x86',
  productLineId: 'embeddedEsx',
  apiType: 'HostAgent',
  apiVersion: '7.0',
  licenseProductName: 'VMware ESX Server',
  licenseProductVersion: '7.0',
});

/** The ServiceContent of a vCenter (`VPX`) or of a standalone host (`ESX`). */
export function serviceContent(model: 'VPX' | 'ESX'): DataObject {
  const content: DataObject = { _type: 'ServiceContent' };
  for (const [property, type, vpxId, esxId, esxType] of serviceObjects) {
    const id = model === 'VPX' ? vpxId : esxId;
    if (id === null) continue;
    content[property] = new MoRef(model === 'ESX' ? (esxType ?? type) : type, id);
    if (property === 'viewManager') content.about = { ...(model === 'VPX' ? VCENTER_ABOUT : ESX_ABOUT) };
  }
  return content;
}
