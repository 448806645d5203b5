/**
 * What the simulator's own registry says, for the client suites to compare with what the clients
 * decoded: the registry is the truth the wire must carry.
 */
import type { ManagedObject } from '../../models/core/managed-object.js';
import { MoRef } from '../../models/core/moref.js';
import type { Simulator } from '../../simulator/index.js';

/** The inventory of vcsim's default VPX model, by name. */
export const vpx = {
  datacenters: ['DC0'],
  clusters: ['DC0_C0'],
  hosts: ['DC0_C0_H0', 'DC0_C0_H1', 'DC0_C0_H2', 'DC0_H0'],
  hostPaths: ['/DC0/host/DC0_C0/DC0_C0_H0', '/DC0/host/DC0_C0/DC0_C0_H1', '/DC0/host/DC0_C0/DC0_C0_H2', '/DC0/host/DC0_H0/DC0_H0'],
  vms: ['DC0_C0_RP0_VM0', 'DC0_C0_RP0_VM1', 'DC0_H0_VM0', 'DC0_H0_VM1'],
  vmPaths: ['/DC0/vm/DC0_C0_RP0_VM0', '/DC0/vm/DC0_C0_RP0_VM1', '/DC0/vm/DC0_H0_VM0', '/DC0/vm/DC0_H0_VM1'],
  datastores: ['LocalDS_0'],
};

/** A (possibly nested) property of a registry object, read as plain data. */
export function at(obj: unknown, path: string): any {
  let value: any = obj;
  for (const name of path.split('.')) {
    if (value === undefined || value === null) return undefined;
    value = value[name];
  }
  return value;
}

export function objectsOfType(sim: Simulator, type: string): ManagedObject[] {
  return sim.vc.registry.ofType(type);
}

/** Every object of a managed type or its subtypes (ComputeResource includes ClusterComputeResource). */
export function objectsOfKind(sim: Simulator, base: string): ManagedObject[] {
  const types = Object.keys(sim.vc.types.source.managed).filter((t) => sim.vc.types.isSubtypeOf(t, base));
  return types.flatMap((t) => sim.vc.registry.ofType(t));
}

export function named(sim: Simulator, type: string, name: string): ManagedObject {
  const found = objectsOfType(sim, type).filter((o) => at(o, 'name') === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name} in the registry, found ${found.length}`);
  return found[0]!;
}

export function refValue(value: unknown): string | undefined {
  return value instanceof MoRef ? value.value : undefined;
}

export const byName = <T extends { name?: unknown }>(a: T, b: T) => String(a.name).localeCompare(String(b.name));
export const byId = <T extends { id?: unknown }>(a: T, b: T) => String(a.id).localeCompare(String(b.id));
