/**
 * A world from saved managed objects: what `govc object.save` writes (one ObjectContent per object)
 * and vcsim's `-load` reads, already decoded into values (simulator/load-dir.ts reads the files).
 *
 * As vcsim: each object becomes an instance of the class that simulates its type (the nearest one
 * by the type's ancestry, else a plain ManagedObject), made with its constructor so its internal
 * fields start as they should, then every saved property is set on it; the saved ServiceInstance's
 * content becomes the service content. The session-bound services (SessionManager,
 * PropertyCollector, ViewManager) stay the simulator's own. Saved method answers become the
 * object's answers to those methods. Without a ServiceInstance the saved
 * objects are added to the current world (replacing objects of the same id) and the service
 * content stays as it is.
 */
import { Datacenter } from '../core/datacenter.js';
import { Folder } from '../core/folder.js';
import { ManagedEntity } from '../core/managed-entity.js';
import { ManagedObject } from '../core/managed-object.js';
import { cloneData, MoRef, type DataObject } from '../core/moref.js';
import { classFor } from './simulated-classes.js';
import { ComputeResource } from '../cluster/compute-resource.js';
import { EnvironmentBrowser } from '../cluster/environment-browser.js';
import { OptionManager } from '../host/option-manager.js';
import type { World } from '../core/world.js';
import { isWorldObject, type WorldSnapshot } from '../core/world-state.js';

/** One saved managed object: its moref and its properties, decoded, and the method answers saved with it. */
export interface SavedObject {
  obj: MoRef;
  propSet: { name: string; val: unknown }[];
  /** What these methods return, as saved (govc saves FetchDVPorts, QueryConfigOption, ...): they answer so on the loaded object. */
  responses?: { method: string; value: unknown }[];
}

/** The saved objects do not make a world (two objects with one id, a ServiceInstance without content). */
export class SavedInventoryError extends Error {}

export interface SavedWorld {
  snapshot: WorldSnapshot;
  /** The saved ServiceInstance's content, if there was one. */
  content?: DataObject;
}

/** Builds the world the saved objects describe: restore its snapshot, then applySavedContent (restoring joins the shared summary parts again). */
export function worldFromSaved(vc: World, saved: readonly SavedObject[]): SavedWorld {
  const byId = new Map<string, ManagedObject>();
  let content: DataObject | undefined;
  let maxId = 0;
  for (const { obj, propSet, responses = [] } of saved) {
    if (byId.has(obj.value)) throw new SavedInventoryError(`two saved objects have the id ${obj.value}`);
    if (obj.type === 'ServiceInstance') {
      const value = propSet.find((p) => p.name === 'content')?.val;
      if (!value || typeof value !== 'object') throw new SavedInventoryError('the saved ServiceInstance has no content');
      content = value as DataObject;
    }
    const number = /-(\d+)$/.exec(obj.value);
    if (number) maxId = Math.max(maxId, Number(number[1]));
    const object = instantiate(vc, obj);
    if (!isWorldObject(object)) continue; // the session-bound services stay the simulator's own
    for (const { name, val } of propSet) {
      if (obj.type === 'ServiceInstance' && (name === 'content' || name === 'serverClock')) continue; // answered live
      if (val !== undefined && settable(object, name)) (object as unknown as Record<string, unknown>)[name] = val;
    }
    if (object instanceof OptionManager) object.urisAtServer = false;
    for (const { method, value } of responses) {
      // As vcsim: the saved answer is the answer, whether or not the class implements the method.
      (object as unknown as Record<string, unknown>)[method] = () => cloneData(value);
    }
    byId.set(obj.value, object);
  }

  linkHostManagers(byId);
  const objects = [...byId.values()];
  const live = vc.registry.all().filter(isWorldObject);
  if (content) {
    // The services the content names and the directory lacks: the simulator's own, as they are.
    for (const ref of Object.values(content)) {
      if (!(ref instanceof MoRef) || byId.has(ref.value)) continue;
      const own = vc.registry.get(ref);
      if (own && isWorldObject(own)) objects.push(own);
    }
  } else {
    for (const obj of live) if (!byId.has(obj.self.value)) objects.push(obj);
  }
  return { snapshot: { objects, idCounter: Math.max(maxId, vc.registry.idCounter), stores: {} }, content };
}

/**
 * The host managers that show their host's configuration know their host by a field no saved
 * property carries: the host's configManager names them.
 */
function linkHostManagers(byId: Map<string, ManagedObject>): void {
  for (const object of byId.values()) {
    if (object.self.type !== 'HostSystem') continue;
    const managers = (object as unknown as { configManager?: Record<string, unknown> }).configManager ?? {};
    for (const ref of Object.values(managers)) {
      const manager = ref instanceof MoRef ? byId.get(ref.value) : undefined;
      if (manager && 'ownerHost' in manager) (manager as unknown as { ownerHost: MoRef }).ownerHost = object.self;
    }
  }
}

/** Makes `content` the service content, the session-bound services still the simulator's own. */
export function applySavedContent(vc: World, content: DataObject): void {
  const live = vc.content;
  const kept: DataObject = {};
  for (const [key, value] of Object.entries(live)) {
    if (value instanceof MoRef && !isWorldObject({ self: value } as ManagedObject)) kept[key] = value;
  }
  for (const key of Object.keys(live)) delete live[key];
  Object.assign(live, content, kept);
  if (vc.options.apiVersion && live.about && typeof live.about === 'object') {
    live.about = { ...(live.about as DataObject), apiVersion: vc.options.apiVersion };
  }
}

function instantiate(vc: World, ref: MoRef): ManagedObject {
  const Class = classFor(vc.types, ref.type);
  const object = Class.length === 0 ? new Class() : (Object.create(Class.prototype) as ManagedObject);
  object.self = ref;
  object.changeSeq = 0;
  return object;
}

/** Whether `name` can be assigned on `object` (not a getter without a setter). */
function settable(object: object, name: string): boolean {
  for (let proto: object | null = object; proto; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor) return 'value' in descriptor ? descriptor.writable !== false : descriptor.set !== undefined;
  }
  return true;
}

/**
 * As vcsim: a loaded entity whose parent folder was not loaded is adopted by the first
 * datacenter's folder for its kind (a VM by the VM folder, a network by the network folder, ...)
 * and listed among that folder's children. Run on the live objects, after the world is restored.
 * Returns what was adopted, as `Type:id`.
 */
export function fosterOrphans(vc: World, loaded: readonly MoRef[]): string[] {
  const adopted: string[] = [];
  for (const ref of loaded) {
    const entity = vc.registry.get(ref);
    if (!(entity instanceof ManagedEntity) || ref.type === 'Folder') continue;
    const parent = entity.parent;
    if (!parent || vc.registry.get(parent)) continue;
    const orphan = `${ref.type}:${ref.value}`;
    if (parent.type !== 'Folder') throw new SavedInventoryError(`${orphan}'s parent ${parent.type}:${parent.value} is not loaded`);
    const datacenter = vc.registry.ofType<Datacenter>('Datacenter')[0];
    const key = folderOf(vc, ref.type);
    const folderRef = key === 'rootFolder' ? vc.rootFolder : datacenter?.[key];
    const folder = folderRef && vc.registry.get(folderRef);
    if (!(folder instanceof Folder)) throw new SavedInventoryError(`${orphan}'s parent folder ${parent.value} is not loaded, and no datacenter folder can adopt it`);
    entity.parent = undefined;
    folder.addChild(entity);
    vc.registry.structureChanged(entity);
    vc.registry.changed(folder);
    adopted.push(orphan);
  }
  return adopted;
}

function folderOf(vc: World, type: string): 'vmFolder' | 'hostFolder' | 'datastoreFolder' | 'networkFolder' | 'rootFolder' {
  const is = (base: string) => vc.types.isSubtypeOf(type, base);
  if (is('Datacenter')) return 'rootFolder';
  if (is('VirtualMachine') || is('VirtualApp')) return 'vmFolder';
  if (is('ComputeResource')) return 'hostFolder';
  if (is('Datastore') || is('StoragePod')) return 'datastoreFolder';
  return 'networkFolder'; // networks, switches, portgroups
}

/**
 * Every loaded compute resource and cluster gets an environment browser if the saved inventory had
 * none for it (vCenter always has one): the VM creation paths of Terraform and govc query it.
 * Returns the compute resources equipped.
 */
export function equipComputeResources(vc: World, loaded: readonly MoRef[]): string[] {
  const equipped: string[] = [];
  for (const ref of loaded) {
    const cr = vc.registry.get(ref);
    if (!(cr instanceof ComputeResource)) continue;
    if (cr.environmentBrowser && vc.registry.get(cr.environmentBrowser)) continue;
    cr.environmentBrowser = vc.registry.addNew(new EnvironmentBrowser(), 'EnvironmentBrowser', 'envbrowser').self;
    vc.registry.changed(cr);
    equipped.push(`${ref.type}:${ref.value}`);
  }
  return equipped;
}
