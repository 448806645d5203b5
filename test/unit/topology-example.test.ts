/** examples/topology.yaml, the file README.md documents field by field, loads and builds what it says. */
import { describe, expect, it } from 'vitest';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import { VCenter } from '../../models/vcenter.js';
import { loadTopologyFile } from '../../simulator/index.js';

const file = new URL('../../examples/topology.yaml', import.meta.url).pathname;

describe('examples/topology.yaml', () => {
  const topology = loadTopologyFile(file);
  const vc = new VCenter({ topology, seed: 7 });
  const names = (type: string) => vc.registry.ofType<ManagedEntity>(type).map((e) => e.name).sort();
  const path = (entity: ManagedEntity) => {
    const parts: string[] = [];
    for (let e: ManagedEntity | undefined = entity; e?.parent; e = vc.registry.get(e.parent) as ManagedEntity | undefined) parts.unshift(e.name);
    return parts.join('/');
  };

  it('uses every field of the format', () => {
    const dc = topology.datacenters[0]!;
    expect(Object.keys(topology).sort()).toEqual(['autostart', 'datacenters', 'model', 'oauth', 'overrides', 'permissions', 'roles', 'users']);
    expect(Object.keys(topology.oauth!).sort()).toEqual(['accessTokenLifetime', 'clients', 'refreshTokenLifetime', 'tenant']);
    expect(Object.keys(topology.oauth!.clients[0]!).sort()).toEqual(['id', 'scopes', 'secret', 'user']);
    expect(Object.keys(dc).sort()).toEqual(['clusters', 'datastores', 'folder', 'hosts', 'name', 'nsxPortgroups', 'opaqueNetworks', 'pods', 'portgroups']);
    expect(Object.keys(dc.clusters[0]!).sort()).toEqual(['apps', 'hostNames', 'hosts', 'name', 'pools', 'vms']);
    expect(Object.keys(dc.hosts[0]!).sort()).toEqual(['name', 'vms']);
  });

  it('builds the inventory it describes', () => {
    expect(names('Datacenter')).toEqual(['Lab']);
    expect(names('HostSystem')).toEqual(['esx-01', 'esx-02', 'esx-03', 'esx-standalone']);
    expect(names('ClusterComputeResource')).toEqual(['Prod']);
    expect(names('VirtualApp')).toEqual(['Prod_APP0']);
    expect(names('Datastore')).toEqual(expect.arrayContaining(['LocalDS_0', 'LocalDS_1']));
    expect(names('StoragePod')).toEqual(['Lab_POD0']);
    expect(names('DistributedVirtualPortgroup')).toEqual(expect.arrayContaining(['Lab_DVPG0', 'Lab_DVPG1', 'Lab_NSXPG0']));
    expect(names('ResourcePool')).toEqual(expect.arrayContaining(['Prod_RP1']));
    const vm = vc.registry.ofType<ManagedEntity & { config: { hardware: { numCPU: number }; annotation: string } }>('VirtualMachine').find((v) => v.name === 'Prod_RP1_VM0')!;
    expect(path(vm)).toBe('Site-A/Lab/vm/Site-A/Prod_RP1_VM0');
    expect(vm.config.hardware.numCPU).toBe(8);
    expect(vm.config.annotation).toBe('database server');
    expect(vc.directory.open).toBe(false);
    expect(vc.oauth.authenticateClient('automation', 'automation-secret').user).toBe('admin');
  });

  it('sets the roles and permissions it gives: the auditors read everything and power the cluster\'s VMs, nothing more', () => {
    const vm = vc.registry.ofType<ManagedEntity>('VirtualMachine').find((v) => v.name === 'Prod_RP1_VM0')!;
    const standalone = vc.registry.ofType<ManagedEntity>('VirtualMachine').find((v) => v.name === 'esx-standalone_VM0')!;
    const auditor = vc.directory.principal('auditor')!;
    expect(vc.access.privilegesOn(auditor, vm)).toEqual(new Set(['System.Anonymous', 'System.Read', 'System.View', 'VirtualMachine.Interact.PowerOff', 'VirtualMachine.Interact.PowerOn']));
    expect(vc.access.privilegesOn(auditor, standalone)).toEqual(new Set(['System.Anonymous', 'System.Read', 'System.View']));
    expect(vc.access.privilegesOn(vc.directory.principal('admin')!, standalone).has('VirtualMachine.Inventory.Delete')).toBe(true);
  });
});
