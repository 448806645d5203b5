import { beforeAll, describe, expect, it } from 'vitest';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { CallContext, ManagedObject } from '../../models/core/managed-object.js';
import { MoRef } from '../../models/core/moref.js';
import type { SearchIndex } from '../../models/core/search-index.js';
import { VCenter } from '../../models/vcenter.js';
import { expectFault } from '../support/faults.js';

type Fields = Record<string, any>;
let vc: VCenter;
let ctx: CallContext;
let index: SearchIndex;
let vm: ManagedObject & Fields;
let host: ManagedObject & Fields;
let datacenter: MoRef;

beforeAll(() => {
  vc = new VCenter({ topology: topologyFromFlags({ dc: 2 }), seed: 3 });
  ctx = { vc };
  vc.sessionManager.Login(ctx, { userName: 'u', password: 'p' });
  index = vc.registry.require(vc.content.searchIndex as MoRef);
  vm = vc.registry.ofType('VirtualMachine').find((v) => (v as Fields).name === 'DC0_H0_VM0') as ManagedObject & Fields;
  host = vc.registry.ofType('HostSystem').find((h) => (h as Fields).name === 'DC0_H0') as ManagedObject & Fields;
  datacenter = vc.registry.ofType('Datacenter').find((d) => (d as Fields).name === 'DC0')!.self;
});

describe('SearchIndex', () => {
  it('finds by inventory path, with or without a leading slash, and misses cleanly', () => {
    expect(index.FindByInventoryPath(ctx, { inventoryPath: 'DC0/vm/DC0_H0_VM0' })).toEqual(vm.self);
    expect(index.FindByInventoryPath(ctx, { inventoryPath: '/DC0/host/DC0_C0' })?.type).toBe('ClusterComputeResource');
    expect(index.FindByInventoryPath(ctx, { inventoryPath: 'DC0/host/DC0_C0/Resources' })?.type).toBe('ResourcePool');
    expect(index.FindByInventoryPath(ctx, { inventoryPath: 'DC0/vm/nope' })).toBeUndefined();
  });

  it('finds a child by name', () => {
    expect(index.FindChild(ctx, { entity: vc.rootFolder, name: 'DC1' })?.type).toBe('Datacenter');
    expect(index.FindChild(ctx, { entity: vc.rootFolder, name: 'DC9' })).toBeUndefined();
  });

  it('finds VMs by BIOS and instance UUID, and hosts by their UUID', () => {
    expect(index.FindByUuid(ctx, { uuid: vm.config.uuid.toUpperCase(), vmSearch: true })).toEqual(vm.self);
    expect(index.FindByUuid(ctx, { uuid: vm.config.instanceUuid, vmSearch: true, instanceUuid: true })).toEqual(vm.self);
    expect(index.FindByUuid(ctx, { uuid: vm.config.instanceUuid, vmSearch: true })).toBeUndefined();
    expect(index.FindAllByUuid(ctx, { uuid: host.hardware.systemInfo.uuid, vmSearch: false })).toEqual([host.self]);
  });

  it('finds VMs by IP address and DNS name, within a datacenter when given', () => {
    expect(index.FindByIp(ctx, { ip: vm.guest.ipAddress, vmSearch: true })).toEqual(vm.self);
    expect(index.FindAllByIp(ctx, { ip: vm.guest.ipAddress, vmSearch: true, datacenter })).toEqual([vm.self]);
    const other = vc.registry.ofType('Datacenter').find((d) => (d as Fields).name === 'DC1')!.self;
    expect(index.FindAllByIp(ctx, { ip: vm.guest.ipAddress, vmSearch: true, datacenter: other })).toEqual([]);
    expect(index.FindByDnsName(ctx, { dnsName: vm.guest.hostName, vmSearch: true })).toEqual(vm.self);
    expect(index.FindByDnsName(ctx, { dnsName: 'DC0_H0', vmSearch: false })).toEqual(host.self);
  });

  it('finds a VM by the datastore path of its .vmx', () => {
    expect(index.FindByDatastorePath(ctx, { datacenter, path: vm.config.files.vmPathName })).toEqual(vm.self);
    expect(index.FindByDatastorePath(ctx, { datacenter, path: '[LocalDS_0] nope/nope.vmx' })).toBeUndefined();
  });

  it('answers ManagedObjectNotFound for a datacenter that does not exist', async () => {
    await expectFault(() => index.FindByIp(ctx, { ip: '10.0.0.1', vmSearch: true, datacenter: new MoRef('Datacenter', 'datacenter-404') }), 'ManagedObjectNotFound');
  });
});
