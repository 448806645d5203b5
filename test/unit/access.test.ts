import { describe, expect, it } from 'vitest';
import { rolesOf } from '../../models/admin/permissions.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext, ManagedObject } from '../../models/core/managed-object.js';
import { MoRef, type DataObject } from '../../models/core/moref.js';
import type { PropertyCollector } from '../../models/core/property-collector.js';
import { worldFromJson, worldToJson } from '../../models/inventory/world-json.js';
import { restoreWorld } from '../../models/core/world-state.js';
import { parseTopology, topologyFromFlags, type Topology } from '../../models/inventory/index.js';
import { VCenter } from '../../models/vcenter.js';
import { accessTopology, accessUsers } from '../support/access.js';
import { expectFault } from '../support/faults.js';

type UserKey = keyof typeof accessUsers;

function world(topology: Topology = accessTopology()) {
  const vc = new VCenter({ topology });
  const auth = vc.authorizationManager!;
  const entity = (name: string) => vc.registry.all().find((o) => (o as ManagedEntity).name === name) as ManagedEntity;
  const as = (user: UserKey): CallContext => {
    const ctx: CallContext = { vc };
    vc.sessionManager.Login(ctx, { userName: accessUsers[user].username, password: accessUsers[user].password });
    return ctx;
  };
  /** Authorizes `method` on `target` as SOAP dispatch does: the fault's type, object and privilege, or 'ok'. */
  const call = (ctx: CallContext, target: ManagedObject, method: string, args: Record<string, unknown> = {}) => {
    try {
      vc.access.authorize(ctx, target, method, vc.types.method(target.self.type, method)!, args);
      return 'ok';
    } catch (error) {
      const fault = error as { type: string; props: DataObject };
      return `${fault.type} ${(fault.props.object as MoRef).value} ${fault.props.privilegeId}`;
    }
  };
  return { vc, auth, entity, as, call };
}

const perm = (principal: string, roleId: number, group = false, propagate = true): DataObject => ({ _type: 'Permission', principal, group, roleId, propagate });

describe('permission rules (vSphere Security guide, "Multiple permission settings")', () => {
  const principal = { user: 'VSPHERE.LOCAL\\alice', groups: ['VSPHERE.LOCAL\\g1', 'VSPHERE.LOCAL\\g2'] };

  it('combines the group permissions on one entity; the user\'s own permission there wins over them', () => {
    const { vc, entity } = world(topologyFromFlags({}));
    const vm = entity('DC0_H0_VM0');
    vm.permission = [perm('VSPHERE.LOCAL\\g1', 5, true), perm('VSPHERE.LOCAL\\g2', 6, true), perm('VSPHERE.LOCAL\\g3', 7, true)];
    expect(rolesOf(vc.registry, vm, principal)).toEqual([5, 6]);
    vm.permission.push(perm('vsphere.local\\ALICE', -2));
    expect(rolesOf(vc.registry, vm, principal)).toEqual([-2]);
  });

  it('takes the nearest level: a permission on the entity over an inherited one, a non-propagating one only on its entity', () => {
    const { vc, entity } = world(topologyFromFlags({}));
    const [dc, folder, vm] = [entity('DC0'), entity('vm'), entity('DC0_H0_VM0')];
    dc.permission = [perm('VSPHERE.LOCAL\\alice', -1)];
    folder.permission = [perm('VSPHERE.LOCAL\\g1', -2, true)];
    expect(rolesOf(vc.registry, vm, principal)).toEqual([-2]);
    folder.permission = [perm('VSPHERE.LOCAL\\g1', -2, true, false)];
    expect(rolesOf(vc.registry, folder, principal)).toEqual([-2]);
    expect(rolesOf(vc.registry, vm, principal)).toEqual([-1]);
    expect(rolesOf(vc.registry, entity('DC0_H0'), { user: 'bob', groups: [] })).toBeUndefined();
  });

  it('lets a VM inherit through its resource pool as well as its folder', () => {
    const { vc, entity } = world(topologyFromFlags({}));
    entity('DC0_C0').permission = [perm('VSPHERE.LOCAL\\alice', 9)];
    expect(rolesOf(vc.registry, entity('DC0_C0_RP0_VM0'), principal)).toEqual([9]);
    entity('vm').permission = [perm('VSPHERE.LOCAL\\alice', 8)];
    expect(rolesOf(vc.registry, entity('DC0_C0_RP0_VM0'), principal)).toEqual([8, 9]);
    expect(rolesOf(vc.registry, entity('DC0_H0_VM0'), principal)).toEqual([8]);
  });
});

describe('roles and permissions from the topology file', () => {
  it('creates the roles and sets the permissions, principals as the directory names them; users no longer get Admin by default', () => {
    const { auth, entity } = world();
    expect(auth.roleList.find((r) => r.name === 'VmOperator')?.privilege).toEqual(['System.Anonymous', 'System.Read', 'System.View', 'VirtualMachine.Interact.PowerOff', 'VirtualMachine.Interact.PowerOn']);
    expect(entity('DC0_C0').permission).toMatchObject([{ principal: 'VSPHERE.LOCAL\\Operators', group: true, roleId: 1, propagate: true }]);
    expect(entity('Datacenters').permission.map((p) => p.principal)).toEqual(['root', 'root', 'admin', 'VSPHERE.LOCAL\\Administrators', 'VSPHERE.LOCAL\\reader', 'VSPHERE.LOCAL\\Operators']);
  });

  it('refuses what does not resolve, naming the entry', () => {
    const bad = (change: Partial<Topology>) => () => new VCenter({ topology: { ...accessTopology(), ...change } });
    const permission = { entity: '/', principal: 'reader', group: false, role: 'ReadOnly', propagate: true };
    expect(bad({ roles: [{ name: 'x', privileges: ['VirtualMachine.Fly'] }] })).toThrow("roles[0].privileges: no privilege 'VirtualMachine.Fly'");
    expect(bad({ roles: [{ name: 'Admin', privileges: [] }] })).toThrow("roles[0].name: a role 'Admin' exists already");
    expect(bad({ permissions: [{ ...permission, role: 'Superuser' }] })).toThrow("permissions[0].role: no role 'Superuser'");
    expect(bad({ permissions: [{ ...permission, entity: 'DC0/vm/nope' }] })).toThrow("permissions[0].entity: no inventory object at 'DC0/vm/nope'");
    expect(bad({ permissions: [{ ...permission, principal: 'mallory' }] })).toThrow("permissions[0].principal: no user 'mallory'");
    expect(bad({ permissions: [{ ...permission, principal: 'Nobodies', group: true }] })).toThrow("permissions[0].principal: no group 'Nobodies'");
    expect(() => parseTopology({ permissions: [{ entity: '/', principal: 'a' }] })).toThrow('permissions[0].role');
  });
});

describe('enforcement once users are configured', () => {
  it('checks each method\'s privilege on the entity it acts on: NoPermission naming the object and the privilege', () => {
    const { as, call, entity } = world();
    const [reader, operator, admin] = [as('reader'), as('operator'), as('admin')];
    const [clusterVm, hostVm] = [entity('DC0_C0_RP0_VM0'), entity('DC0_H0_VM0')];
    expect(call(reader, clusterVm, 'PowerOnVM_Task')).toBe(`NoPermission ${clusterVm.self.value} VirtualMachine.Interact.PowerOn`);
    expect(call(operator, clusterVm, 'PowerOnVM_Task')).toBe('ok');
    expect(call(operator, hostVm, 'PowerOnVM_Task')).toBe(`NoPermission ${hostVm.self.value} VirtualMachine.Interact.PowerOn`);
    expect(call(operator, clusterVm, 'Destroy_Task')).toBe(`NoPermission ${clusterVm.self.value} VirtualMachine.Inventory.Delete`);
    expect(call(admin, clusterVm, 'Destroy_Task')).toBe('ok');
    expect(call(reader, clusterVm, 'Rename_Task')).toBe(`NoPermission ${clusterVm.self.value} VirtualMachine.Config.Rename`);
    expect(call(reader, entity('vm'), 'MoveIntoFolder_Task', { list: [hostVm.self] })).toBe(`NoPermission ${hostVm.self.value} VirtualMachine.Inventory.Move`);
    expect(call(admin, entity('vm'), 'MoveIntoFolder_Task', { list: [hostVm.self] })).toBe('ok');
  });

  it('checks non-entity objects on the entity an argument names, a host\'s managers on their host, others on the root folder', () => {
    const { vc, as, call, entity } = world();
    const reader = as('reader');
    const auth = vc.authorizationManager!;
    const vm = entity('DC0_H0_VM0');
    expect(call(reader, auth, 'SetEntityPermissions', { entity: vm.self, permission: [] })).toBe(`NoPermission ${vm.self.value} Authorization.ModifyPermissions`);
    expect(call(reader, auth, 'AddAuthorizationRole', { name: 'x' })).toBe(`NoPermission ${vc.rootFolder.value} Authorization.ModifyRoles`);
    const host = entity('DC0_H0') as ManagedEntity & { configManager: DataObject };
    const networkSystem = vc.registry.require((host.configManager as Record<string, MoRef>).networkSystem!);
    expect(call(reader, networkSystem, 'RefreshNetworkSystem')).toBe(`NoPermission ${host.self.value} Host.Config.Network`);
    expect(call(reader, vc.registry.require(vc.content.searchIndex as MoRef), 'FindByInventoryPath', { inventoryPath: 'DC0' })).toBe('ok');
  });

  it('lets every session use its own objects and housekeeping, and one without any permission nothing else', () => {
    const topology = { ...accessTopology(), users: [...accessTopology().users!, { username: 'nobody', password: 'pw' }] };
    const { vc, call } = world(topology);
    const ctx: CallContext = { vc };
    vc.sessionManager.Login(ctx, { userName: 'nobody', password: 'pw' });
    const collector = vc.resolve(vc.content.propertyCollector as MoRef, ctx.session);
    expect(call(ctx, collector, 'CreateFilter', { spec: {} })).toBe('ok');
    expect(call(ctx, vc.sessionManager, 'SessionIsActive')).toBe('ok');
    expect(call(ctx, vc.registry.require(vc.content.searchIndex as MoRef), 'FindByInventoryPath', { inventoryPath: 'DC0' })).toBe(`NoPermission ${vc.rootFolder.value} System.View`);
  });

  it('enforces nothing with open login, as vcsim', () => {
    const { vc, call, entity } = world(topologyFromFlags({}));
    const ctx: CallContext = { vc };
    vc.sessionManager.Login(ctx, { userName: 'anyone', password: 'x' });
    expect(vc.access.enforced).toBe(false);
    expect(call(ctx, entity('DC0_H0_VM0'), 'Destroy_Task')).toBe('ok');
  });

  it('sees ancestors of what a user holds a role on (System.View only), NoAccess hides', () => {
    const { vc, auth, as, entity } = world();
    const reader = as('reader');
    const user = reader.session!.userName;
    expect(vc.access.privilegesOn(user, entity('DC0_H0_VM1')).size).toBe(0);
    expect(entity('DC0_H0_VM1').read('effectiveRole', reader)).toEqual([-5]);
    auth.ResetEntityPermissions(reader, { entity: vc.rootFolder, permission: [] });
    auth.SetEntityPermissions(reader, { entity: entity('DC0_H0_VM0').self, permission: [perm(user, -2)] });
    expect([...vc.access.privilegesOn(user, entity('DC0'))].sort()).toEqual(['System.Anonymous', 'System.View']);
    expect(entity('DC0').read('effectiveRole', reader)).toEqual([-3]);
    expect(vc.access.privilegesOn(user, entity('DC0_H0_VM0')).has('System.Read')).toBe(true);
    expect(vc.access.privilegesOn(user, entity('DC0_C0')).size).toBe(0);
  });

  it('keeps what it computed until permissions, roles or the tree change', () => {
    const { vc, auth, as, entity } = world();
    const operator = as('operator');
    const user = operator.session!.userName;
    const vm = entity('DC0_C0_RP0_VM0');
    const can = () => vc.access.privilegesOn(user, vm).has('VirtualMachine.Interact.PowerOff');
    expect(can()).toBe(true);
    const admin = as('admin');
    auth.UpdateAuthorizationRole(admin, { roleId: 1, newName: 'VmOperator', privIds: ['VirtualMachine.Interact.PowerOn'] });
    expect(can()).toBe(false);
    auth.UpdateAuthorizationRole(admin, { roleId: 1, newName: 'VmOperator', privIds: ['VirtualMachine.Interact.PowerOff'] });
    expect(can()).toBe(true);
    auth.RemoveEntityPermission(admin, { entity: entity('DC0_C0').self, user: 'VSPHERE.LOCAL\\Operators', isGroup: true });
    expect(can()).toBe(false);
    auth.SetEntityPermissions(admin, { entity: entity('vm').self, permission: [perm('operator@vsphere.local', 1)] });
    expect(can()).toBe(true);
    // the tree changes shape: a new folder under vm, and the VM moved into it
    const folder = vc.registry.require<ManagedEntity & { CreateFolder: (c: CallContext, a: { name: string }) => MoRef }>(entity('vm').self);
    const sub = vc.registry.require<ManagedEntity>(folder.CreateFolder(admin, { name: 'locked' }));
    auth.SetEntityPermissions(admin, { entity: sub.self, permission: [perm('operator@vsphere.local', -5)] });
    expect(can()).toBe(true);
    (vm as ManagedEntity).parent = sub.self;
    vc.registry.structureChanged(sub);
    expect(can()).toBe(false);
  });

  it('follows a restored world', () => {
    const { vc, auth, as, entity } = world();
    const admin = as('admin');
    auth.SetEntityPermissions(admin, { entity: entity('DC0_H0_VM0').self, permission: [perm('reader', -1)] });
    const saved = worldFromJson(JSON.parse(JSON.stringify(worldToJson(vc))));
    const reader = as('reader');
    expect(vc.access.privilegesOn(reader.session!.userName, entity('DC0_H0_VM0')).has('VirtualMachine.Interact.PowerOn')).toBe(true);
    auth.ResetEntityPermissions(admin, { entity: entity('DC0_H0_VM0').self, permission: [] });
    expect(vc.access.privilegesOn(reader.session!.userName, entity('DC0_H0_VM0')).has('VirtualMachine.Interact.PowerOn')).toBe(false);
    restoreWorld(vc, saved);
    expect(vc.access.privilegesOn(reader.session!.userName, entity('DC0_H0_VM0')).has('VirtualMachine.Interact.PowerOn')).toBe(true);
  });
});

describe('the PropertyCollector and views under enforcement', () => {
  const vmsUnderRoot = (vc: VCenter) => ({
    objectSet: [{ obj: vc.rootFolder, skip: false, selectSet: [{ _type: 'TraversalSpec', name: 'all', type: 'ManagedEntity', path: 'childEntity', selectSet: [{ name: 'all' }, { name: 'dc' }] }, { _type: 'TraversalSpec', name: 'dc', type: 'Datacenter', path: 'vmFolder', selectSet: [{ name: 'all' }] }] }],
    propSet: [{ type: 'VirtualMachine', pathSet: ['name'] }],
  });

  it('reports only the objects the user sees, and a property it may not read as NoPermission in missingSet', () => {
    const { vc, as, entity } = world();
    const reader = as('reader');
    const collector = vc.resolve(vc.content.propertyCollector as MoRef, reader.session) as PropertyCollector;
    const names = collector.RetrieveProperties(reader, { specSet: [vmsUnderRoot(vc)] }).map((o) => ((o.propSet as { val: { value: string } }[])[0]!.val.value));
    expect(names).toContain('DC0_H0_VM0');
    expect(names).not.toContain('DC0_H0_VM1');
    const hidden = entity('DC0_H0_VM1');
    const named = collector.RetrieveProperties(reader, { specSet: [{ objectSet: [{ obj: hidden.self }], propSet: [{ type: 'VirtualMachine', pathSet: ['name', 'runtime.powerState'] }] }] });
    expect(named).toMatchObject([{ obj: hidden.self, propSet: [], missingSet: [
      { path: 'name', fault: { fault: { _type: 'NoPermission', object: hidden.self, privilegeId: 'System.View' } } },
      { path: 'runtime.powerState', fault: { fault: { _type: 'NoPermission', object: hidden.self, privilegeId: 'System.Read' } } },
    ] }]);
    const admin = as('admin');
    const all = (vc.resolve(vc.content.propertyCollector as MoRef, admin.session) as PropertyCollector).RetrieveProperties(admin, { specSet: [vmsUnderRoot(vc)] });
    expect(all.length).toBe(names.length + 1);
  });

  it('finds through the SearchIndex only what the user sees', () => {
    const { vc, as, entity } = world();
    const search = vc.registry.require<ManagedObject & Record<string, (c: CallContext, a: object) => unknown>>(vc.content.searchIndex as MoRef);
    const [reader, admin] = [as('reader'), as('admin')];
    const hidden = entity('DC0_H0_VM1') as ManagedEntity & { config: { uuid: string } };
    expect(search.FindByInventoryPath!(reader, { inventoryPath: 'DC0/vm/DC0_H0_VM1' })).toBeUndefined();
    expect(search.FindByInventoryPath!(admin, { inventoryPath: 'DC0/vm/DC0_H0_VM1' })).toEqual(hidden.self);
    expect(search.FindAllByUuid!(reader, { uuid: hidden.config.uuid, vmSearch: true })).toEqual([]);
    expect(search.FindByInventoryPath!(reader, { inventoryPath: 'DC0/vm/DC0_H0_VM0' })).toEqual(entity('DC0_H0_VM0').self);
  });

  it('lists in a container view only what the user sees', () => {
    const { vc, as } = world();
    const reader = as('reader');
    const viewManager = vc.registry.require<ManagedObject & { CreateContainerView: (c: CallContext, a: object) => MoRef }>(vc.content.viewManager as MoRef);
    const view = vc.resolve(viewManager.CreateContainerView(reader, { container: vc.rootFolder, type: ['VirtualMachine'], recursive: true }), reader.session);
    const listed = (view.read('view', reader) as MoRef[]).map((r) => (vc.registry.get(r) as ManagedEntity).name);
    expect(listed).toHaveLength(vc.registry.ofType('VirtualMachine').length - 1);
    expect(listed).not.toContain('DC0_H0_VM1');
  });

  it('shows only events and tasks of entities the user sees; one about no entity (or a gone one) to those who see the root folder', async () => {
    const { vc, as, entity } = world();
    const [reader, admin] = [as('reader'), as('admin')];
    const [hidden, shown] = [entity('DC0_H0_VM1') as ManagedEntity & Record<string, (c: CallContext, a: object) => MoRef>, entity('DC0_H0_VM0') as ManagedEntity & Record<string, (c: CallContext, a: object) => MoRef>];
    const tasks = [hidden.PowerOffVM_Task!(admin, {}), shown.PowerOffVM_Task!(admin, {})];
    for (const ref of tasks) await vc.registry.require<ManagedObject & { completion(): Promise<unknown> }>(ref).completion();
    const ofVm = (ctx: CallContext) => vc.events.QueryEvents(ctx, { filter: { eventTypeId: ['VmPoweredOffEvent'] } }).map((e) => ((e.vm as DataObject).name));
    expect(ofVm(admin)).toEqual(['DC0_H0_VM1', 'DC0_H0_VM0']);
    expect(ofVm(reader)).toEqual(['DC0_H0_VM0']);
    expect(vc.events.QueryEvents(reader, { filter: { eventTypeId: ['UserLoginSessionEvent'] } }).length).toBeGreaterThan(0);
    const recent = (ctx: CallContext) => (vc.tasks.read('recentTask', ctx) as MoRef[]).map((r) => r.value);
    expect(recent(admin)).toEqual(expect.arrayContaining(tasks.map((t) => t.value)));
    expect(recent(reader)).toContain(tasks[1]!.value);
    expect(recent(reader)).not.toContain(tasks[0]!.value);
    const latest = (ctx: CallContext) => ((vc.events.read('latestEvent', ctx) as DataObject).vm as DataObject | undefined)?.name;
    expect(latest(admin)).toBe('DC0_H0_VM0');
    await vc.registry.require<ManagedObject & { completion(): Promise<unknown> }>(hidden.PowerOnVM_Task!(admin, {})).completion();
    expect(latest(admin)).toBe('DC0_H0_VM1');
    expect(latest(reader)).not.toBe('DC0_H0_VM1');
  });
});
