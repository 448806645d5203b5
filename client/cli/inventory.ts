/**
 * Finding objects as govc users name them: inventory paths (`/DC0/vm/DC0_H0_VM0`, one
 * SearchIndex.FindByInventoryPath) or plain names (one RetrievePropertiesEx of `name` over a
 * container view), and the paths of objects (one retrieval of every entity's name and parent).
 */
import type { ManagedTypeName, VimClient } from '../client.js';
import { VimError, notFoundCodes } from '../errors.js';
import type { MoRef } from '../vim25.js';

/** What users call each type in messages and `--type`. */
export const NOUNS: Record<string, ManagedTypeName> = {
  vm: 'VirtualMachine',
  host: 'HostSystem',
  ds: 'Datastore',
  net: 'Network',
  cluster: 'ClusterComputeResource',
  pool: 'ResourcePool',
  folder: 'Folder',
  dc: 'Datacenter',
};

const nounOf = (type: string) => Object.entries(NOUNS).find(([, t]) => t === type)?.[0] ?? (type === 'ManagedEntity' ? 'object' : type);

export function notFound(type: string, name: string): VimError {
  return new VimError({ code: notFoundCodes[type] ?? 'NOT_FOUND', message: `${nounOf(type)} "${name}" not found` });
}

/** The object at an inventory path (`/DC0/vm/x`, `DC0/host`), or undefined. `/` is the root folder. */
export async function atPath(client: VimClient, path: string): Promise<MoRef | undefined> {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  if (!trimmed) return client.serviceContent.rootFolder;
  const found = await client.call(client.serviceContent.searchIndex!, 'FindByInventoryPath', { inventoryPath: trimmed });
  return found ?? undefined;
}

/** Subtypes a listing of `type` also accepts (a portgroup is a Network, a vApp a ResourcePool). */
const kinds: Record<string, string[]> = {
  Network: ['Network', 'DistributedVirtualPortgroup', 'OpaqueNetwork'],
  ResourcePool: ['ResourcePool', 'VirtualApp'],
  ComputeResource: ['ComputeResource', 'ClusterComputeResource'],
};
const isKind = (ref: MoRef, type: string) => type === 'ManagedEntity' || (kinds[type] ?? [type]).includes(ref.type);

/**
 * One object of `type` by path (contains `/`) or by exact name. A name two objects share is an
 * error listing their ids, so a script never acts on the wrong one.
 */
export async function resolve<T extends ManagedTypeName>(client: VimClient, type: T, nameOrPath: string): Promise<MoRef<T>> {
  if (nameOrPath.includes('/')) {
    const ref = await atPath(client, nameOrPath);
    if (!ref || !isKind(ref, type)) throw notFound(type, nameOrPath);
    return ref as MoRef<T>;
  }
  const matches = (await client.find(type, { paths: ['name'] })).filter((o) => o.name === nameOrPath);
  if (!matches.length) throw notFound(type, nameOrPath);
  if (matches.length > 1) {
    throw new VimError({ code: 'INVALID_ARGUMENT', message: `${nounOf(type)} "${nameOrPath}" is ambiguous (${matches.map((m) => m.ref.value).join(', ')}): give its inventory path` });
  }
  return matches[0]!.ref as MoRef<T>;
}

/** Every entity's inventory path by moref value, from one retrieval of names and parents. */
export async function inventoryPaths(client: VimClient): Promise<Map<string, string>> {
  const entities = await client.find('ManagedEntity', { paths: ['name', 'parent'] });
  const byId = new Map(entities.map((e) => [e.ref.value, e as { name?: string; parent?: MoRef }]));
  const paths = new Map<string, string>();
  const pathOf = (id: string, depth = 0): string => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const entity = byId.get(id);
    // The root folder is not in the view (a container view holds what is under its container).
    if (!entity || depth > 64) return '';
    const parent = entity.parent ? pathOf(entity.parent.value, depth + 1) : '';
    const path = `${parent}/${escapeName(entity.name ?? id)}`;
    paths.set(id, path);
    return path;
  };
  for (const id of byId.keys()) pathOf(id);
  return paths;
}

/** The names of `refs`, by moref value (one retrieval). */
export async function namesOf(client: VimClient, refs: readonly MoRef[]): Promise<Map<string, string>> {
  const unique = [...new Map(refs.map((r) => [`${r.type}:${r.value}`, r])).values()];
  if (!unique.length) return new Map();
  const found = await client.retrieve(unique, ['name']);
  return new Map(found.map((o) => [o.ref.value, String(o.name)]));
}

/** The children `ls` shows of an object, by its type. */
export function childProperties(type: string): string[] {
  if (type === 'Folder') return ['childEntity'];
  if (type === 'Datacenter') return ['vmFolder', 'hostFolder', 'datastoreFolder', 'networkFolder'];
  if (type === 'ComputeResource' || type === 'ClusterComputeResource') return ['host', 'resourcePool'];
  if (type === 'ResourcePool' || type === 'VirtualApp') return ['resourcePool', 'vm'];
  return [];
}

/** A name as a path segment: `/` and `%` escaped, as vCenter escapes them in names. */
export const escapeName = (name: string) => name.replace(/%/g, '%25').replace(/\//g, '%2F');
