/**
 * Making a HostSystem: its configuration managers, its properties (the model host of host-data.ts),
 * and its datastore mounts. The inventory builder and AddHost/AddStandaloneHost both use these, so
 * a host added at run time looks exactly like the ones the topology built.
 */
import { createHash } from 'node:crypto';
import type { ComputeResource } from '../cluster/compute-resource.js';
import { addRef } from '../core/managed-entity.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import { MoRef, type DataObject } from '../core/moref.js';
import type { Registry } from '../core/registry.js';
import { ValueGenerator } from '../inventory/generator.js';
import * as data from '../inventory/host-data.js';
import { HostNetworkSystem } from '../network/host-network-system.js';
import type { Datastore } from '../storage/datastore.js';
import { HostDatastoreBrowser } from '../storage/host-datastore-browser.js';
import { HostDatastoreSystem } from '../storage/host-datastore-system.js';
import { HostStorageSystem } from '../storage/host-storage-system.js';
import { addHostManagers, HostFirewallSystem, hostOptionManager } from './host-managers.js';
import { HostSystem } from './host-system.js';

/** Management address of every host: the simulator's own, where clients that talk to hosts directly reach it. */
export const HOST_IP = '127.0.0.1';

function add(registry: Registry, type: string, prefix: string, properties: DataObject, Class: new () => ManagedObject = ManagedObject): ManagedObject {
  return registry.addNew(Object.assign(new Class(), properties), type, prefix);
}

/** The five configuration managers vcsim registers for every host, in its order (their ids come before the host's). */
export function registerHostManagers(registry: Registry): data.HostManagers {
  const ref = (type: string, properties: DataObject = {}, Class?: new () => ManagedObject) => add(registry, type, type.toLowerCase(), properties, Class).self;
  return {
    datastoreSystem: ref('HostDatastoreSystem', {
      capabilities: { nfsMountCreationRequired: true, nfsMountCreationSupported: true, localDatastoreSupported: false, vmfsExtentExpansionSupported: true },
    }, HostDatastoreSystem),
    networkSystem: ref('HostNetworkSystem', {}, HostNetworkSystem),
    advancedOption: registry.addNew(hostOptionManager(), 'OptionManager', 'optionmanager').self,
    firewallSystem: registry.addNew(new HostFirewallSystem(), 'HostFirewallSystem', 'hostfirewallsystem').self,
    storageSystem: ref('HostStorageSystem', {}, HostStorageSystem),
  };
}

export interface NewHost {
  name: string;
  uuid: string;
  /** MACs of vmnic0 and vmnic1. */
  macs: [string, string];
  bootTime: Date;
  /** The ESX model's one host, whose managers keep ESXi's fixed ids. */
  esx?: boolean;
}

/** Fills a registered host's properties and links its managers to its configuration. */
export function initHost(registry: Registry, hostSystem: HostSystem, { name, uuid, macs, bootTime, esx = false }: NewHost, managers: data.HostManagers): void {
  const id: data.HostIdentity = { self: hostSystem.self, name, uuid, macs, ip: HOST_IP, bootTime };
  hostSystem.name = name;
  hostSystem.runtime = data.hostRuntime(id.bootTime);
  hostSystem.summary = data.hostSummary(id, hostSystem.runtime);
  hostSystem.hardware = data.hostHardware(uuid);
  hostSystem.capability = data.hostCapability();
  hostSystem.licensableResource = data.licensableResource();
  hostSystem.config = data.hostConfig(id, []);
  const others = addHostManagers(registry, { self: hostSystem.self, name, bootTime, config: hostSystem.config }, esx);
  hostSystem.configManager = { ...others, ...managers };
  hostSystem.datastoreBrowser = new MoRef('HostDatastoreBrowser', 'ha-host-datastorebrowser');
  // The managers show the host's own configuration (read from the host, never copied).
  for (const manager of [managers.datastoreSystem, managers.storageSystem, managers.networkSystem]) registry.require<HostStorageSystem>(manager).ownerHost = hostSystem.self;
}

/** Mounts `ds` on the host (one datastore browser per mount, as vcsim); the host's compute resource lists it too. */
export function mountDatastore(registry: Registry, ds: Datastore, hostSystem: HostSystem): void {
  const browser = add(registry, 'HostDatastoreBrowser', 'hostdatastorebrowser', {}, HostDatastoreBrowser) as HostDatastoreBrowser;
  ds.browser = browser.self;
  ds.mountOn(hostSystem.self);
  addRef(hostSystem.datastore, ds.self);
  browser.datastore = hostSystem.datastore;
  browser.ownerHost = hostSystem.self;
  if (hostSystem.datastoreBrowser.value === 'ha-host-datastorebrowser') hostSystem.datastoreBrowser = browser.self;
  const cr = registry.require<ComputeResource>(hostSystem.parent!);
  addRef(cr.datastore, ds.self);
  const volumes = (hostSystem.config.fileSystemVolume as { mountInfo: DataObject[] }).mountInfo;
  const info = ds.info as { path: string; url: string };
  volumes.push({
    mountInfo: { path: info.path, accessMode: 'readWrite', mounted: true, accessible: true },
    volume: { _type: 'HostFileSystemVolume', type: 'OTHER', name: ds.name, capacity: ds.summary.capacity },
    vStorageSupport: 'vStorageUnsupported',
  });
}

/** A new host named `name` in the compute resource `cr`, as the topology's hosts are made; it booted now. */
export function newHost(ctx: CallContext, name: string, cr: ComputeResource): HostSystem {
  const { registry } = ctx.vc;
  const managers = registerHostManagers(registry);
  const hostSystem = registry.addNew(new HostSystem(), 'HostSystem', 'host');
  const gen = new ValueGenerator(ctx.vc.options.seed);
  const uuid = gen.uuid(name);
  initHost(registry, hostSystem, { name, uuid, macs: [gen.mac(uuid, 0), gen.mac(uuid, 1)], bootTime: ctx.vc.now() }, managers);
  hostSystem.parent = cr.self;
  addRef(cr.host, hostSystem.self);
  return hostSystem;
}

/** The SHA-1 thumbprint of the certificate of the host named `name`: the same for the same name and seed. */
export function hostThumbprint(ctx: CallContext, name: string): string {
  const digest = createHash('sha1').update(`${ctx.vc.options.seed ?? 0}/${name}`).digest('hex').toUpperCase();
  return digest.match(/../g)!.join(':');
}
