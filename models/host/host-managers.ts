/**
 * The configuration managers of a host beyond the five vcsim registers with counter ids: one of
 * each per host, so that every reference in a host's `configManager` answers. Their ids derive
 * from the host's (`serviceSystem-21` for host-21; the ESX model's host keeps ESXi's fixed ids,
 * `serviceSystem`, `ha-autostart-mgr`), so they take no ids from the counter and the inventory's
 * other ids stay vcsim's. Their data are shared frozen defaults until a host changes them.
 */
import { ManagedObject } from '../core/managed-object.js';
import { MoRef, type DataObject } from '../core/moref.js';
import type { Registry } from '../core/registry.js';
import { defaultOptionDefs, defaultSettings } from './host-config-defaults.js';
import { HostAutoStartManager } from './host-auto-start-manager.js';
import { HostCertificateManager } from './host-certificate-manager.js';
import { HostDateTimeSystem } from './host-date-time-system.js';
import { HostFirewallSystem } from './host-firewall-system.js';
import { HostLocalAccountManager } from './host-local-account-manager.js';
import { HostPowerSystem } from './host-power-system.js';
import { HostServiceSystem } from './host-service-system.js';
import { HostVirtualNicManager } from '../network/host-virtual-nic-manager.js';
import { OptionManager } from './option-manager.js';
import { UserDirectory } from './user-directory.js';

/** configManager property → [type, ESXi's fixed id], in the order ESXi lists them. */
const managers: [string, string, string][] = [
  ['cpuScheduler', 'HostCpuSchedulerSystem', 'cpuSchedulerSystem'],
  ['memoryManager', 'HostMemorySystem', 'memoryManagerSystem'],
  ['vmotionSystem', 'HostVMotionSystem', 'ha-vmotion-system'],
  ['virtualNicManager', 'HostVirtualNicManager', 'ha-vnic-mgr'],
  ['serviceSystem', 'HostServiceSystem', 'serviceSystem'],
  ['diagnosticSystem', 'HostDiagnosticSystem', 'diagnosticsystem'],
  ['autoStartManager', 'HostAutoStartManager', 'ha-autostart-mgr'],
  ['snmpSystem', 'HostSnmpSystem', 'ha-snmp-agent'],
  ['dateTimeSystem', 'HostDateTimeSystem', 'dateTimeSystem'],
  ['patchManager', 'HostPatchManager', 'ha-host-patch-manager'],
  ['imageConfigManager', 'HostImageConfigManager', 'ha-image-config-manager'],
  ['firmwareSystem', 'HostFirmwareSystem', 'ha-firmwareSystem'],
  ['healthStatusSystem', 'HostHealthStatusSystem', 'healthStatusSystem'],
  ['pciPassthruSystem', 'HostPciPassthruSystem', 'ha-pcipassthrusystem'],
  ['licenseManager', 'LicenseManager', 'ha-license-manager'],
  ['kernelModuleSystem', 'HostKernelModuleSystem', 'kernelModuleSystem'],
  ['authenticationManager', 'HostAuthenticationManager', 'ha-auth-manager'],
  ['powerSystem', 'HostPowerSystem', 'ha-power-system'],
  ['cacheConfigurationManager', 'HostCacheConfigurationManager', 'ha-cache-configuration-manager'],
  ['iscsiManager', 'IscsiManager', 'iscsiManager'],
  ['vFlashManager', 'HostVFlashManager', 'ha-vflash-manager'],
  ['vsanSystem', 'HostVsanSystem', 'vsanSystem'],
  ['messageBusProxy', 'MessageBusProxy', 'messageBusProxy'],
  ['userDirectory', 'UserDirectory', 'ha-user-directory'],
  ['accountManager', 'HostLocalAccountManager', 'ha-localacctmgr'],
  ['hostAccessManager', 'HostAccessManager', 'ha-host-access-manager'],
  ['graphicsManager', 'HostGraphicsManager', 'ha-graphics-manager'],
  ['vsanInternalSystem', 'HostVsanInternalSystem', 'ha-vsan-internal-system'],
  ['certificateManager', 'HostCertificateManager', 'ha-certificate-manager'],
];

/** The classes with behaviour; the other managers are plain objects that answer property reads (plainProperties). */
const classes: Record<string, new () => ManagedObject> = {
  HostServiceSystem,
  HostAutoStartManager,
  HostDateTimeSystem,
  HostPowerSystem,
  HostLocalAccountManager,
  HostCertificateManager,
  HostVirtualNicManager,
  UserDirectory,
};

export interface HostIdentity {
  self: MoRef;
  name: string;
  bootTime: Date;
  /** The host's `config.dateTimeInfo`: the date-time manager shows (and changes) this very object. */
  config: DataObject;
}

/**
 * Registers the managers of `host` and returns its configManager references to them. `esx`: the
 * ESX model's one host, whose managers have ESXi's fixed ids; an object already there under such
 * an id (a service of ServiceContent) is the host's, replaced by the class with behaviour if any.
 */
export function addHostManagers(registry: Registry, host: HostIdentity, esx: boolean): DataObject {
  const suffix = host.self.value.replace(/^host-/, '');
  const refs: DataObject = {};
  for (const [property, type, fixedId] of managers) {
    const id = esx ? fixedId : `${fixedId}-${suffix}`;
    const existing = registry.byId(id);
    const Class = classes[type];
    if (existing && !Class) {
      refs[property] = existing.self; // a service of the ESX model's ServiceContent (its LicenseManager, UserDirectory)
      continue;
    }
    if (existing) registry.remove(existing.self);
    const manager = Class ? initialized(new Class(), host) : Object.assign(new ManagedObject(), plainProperties(type, host.config));
    refs[property] = registry.add(manager, type, id).self;
  }
  return refs;
}

/**
 * What the managers without behaviour report: views of the host's own configuration (the same
 * objects) or ESXi's defaults for a host with none of that configured.
 */
function plainProperties(type: string, config: DataObject): DataObject | undefined {
  const network = config.network as { vnic?: DataObject[] } | undefined;
  const vnics = network?.vnic ?? [];
  switch (type) {
    case 'HostVirtualNicManager': {
      const netConfig = (nicType: string, multiSelectAllowed: boolean, selected: boolean) => ({
        _type: 'VirtualNicManagerNetConfig',
        nicType,
        multiSelectAllowed,
        candidateVnic: vnics,
        selectedVnic: selected ? vnics.map((v) => `${nicType}.${v.key}`) : [],
      });
      const netConfigs = [netConfig('management', true, true), netConfig('vmotion', true, false), netConfig('faultToleranceLogging', true, false), netConfig('vSphereReplication', true, false)];
      return { info: { _type: 'HostVirtualNicManagerInfo', netConfig: netConfigs } };
    }
    case 'HostVMotionSystem': {
      const vmotion = config.vmotion as DataObject | undefined;
      return { netConfig: vmotion?.netConfig, ipConfig: vmotion?.ipConfig };
    }
    case 'HostCpuSchedulerSystem':
      return { hyperthreadInfo: config.hyperThread };
    case 'HostSnmpSystem':
      return snmp;
    case 'HostPciPassthruSystem':
      return { pciPassthruInfo: [], sriovDevicePoolInfo: [] };
    case 'HostCacheConfigurationManager':
      return { cacheConfigurationInfo: [] };
    case 'HostGraphicsManager':
      return { graphicsInfo: [], sharedPassthruGpuTypes: [] };
    case 'HostAuthenticationManager':
      return { info: { _type: 'HostAuthenticationManagerInfo', authConfig: [] }, supportedStore: [] };
    case 'HostVsanSystem':
      return { config: { _type: 'VsanHostConfigInfo', enabled: false } };
    default:
      return undefined;
  }
}

const snmp = Object.freeze({
  configuration: Object.freeze({ _type: 'HostSnmpConfigSpec', enabled: false, port: 161, readOnlyCommunities: [], trapTargets: [], option: [] }),
  limits: Object.freeze({ _type: 'HostSnmpSystemAgentLimits', maxReadOnlyCommunities: 10, maxTrapDestinations: 10, maxCommunityLength: 64, maxBufferSize: 8192, capability: 'COMPLETE' }),
});

function initialized(manager: ManagedObject, host: HostIdentity): ManagedObject {
  if (manager instanceof HostDateTimeSystem) {
    manager.owner = host.self;
    host.config.dateTimeInfo = manager.dateTimeInfo;
  }
  if (manager instanceof HostAutoStartManager || manager instanceof UserDirectory) manager.owner = host.self;
  if (manager instanceof HostVirtualNicManager) manager.ownerHost = host.self;
  if (manager instanceof HostCertificateManager) {
    manager.owner = host.self;
    manager.certificateInfo = HostCertificateManager.initialInfo(host.name, host.bootTime);
  }
  return manager;
}

/** A host's advanced settings manager, with ESXi's usual options. */
export function hostOptionManager(): OptionManager {
  const manager = new OptionManager();
  manager.setting = defaultSettings as DataObject[];
  manager.supportedOption = defaultOptionDefs as DataObject[];
  return manager;
}

export { HostFirewallSystem };
