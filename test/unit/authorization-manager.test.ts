import { describe, expect, it, vi } from 'vitest';
import { AuthorizationManager } from '../../models/admin/authorization-manager.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext } from '../../models/core/managed-object.js';
import { MoRef, type DataObject } from '../../models/core/moref.js';
import { worldFromJson, worldToJson } from '../../models/inventory/world-json.js';
import { restoreWorld } from '../../models/core/world-state.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { VCenter } from '../../models/vcenter.js';
import { expectFault } from '../support/faults.js';

function setup(options: Partial<ConstructorParameters<typeof VCenter>[0]> = {}) {
  const vc = new VCenter({ topology: topologyFromFlags({}), ...options });
  const ctx: CallContext = { vc };
  vc.sessionManager.Login(ctx, { userName: options.username ?? 'alice', password: options.password ?? 'pw' });
  const auth = vc.registry.require<AuthorizationManager>(vc.content.authorizationManager as MoRef);
  const vm = vc.registry.ofType<ManagedEntity>('VirtualMachine').find((v) => v.name === 'DC0_H0_VM0')!;
  const dc = vc.registry.ofType<ManagedEntity>('Datacenter')[0]!;
  return { vc, ctx, auth, vm, dc };
}

const perm = (principal: string, roleId: number, propagate = true): DataObject => ({ _type: 'Permission', principal, group: false, roleId, propagate });

describe('AuthorizationManager roles', () => {
  it('lists vcsim\'s system roles, Admin with the whole privilege catalogue of the type table', () => {
    const { ctx, auth } = setup();
    expect(auth.roleList.map((r) => [r.roleId, r.name])).toEqual([[-6, 'NoCryptoAdmin'], [-5, 'NoAccess'], [-4, 'Anonymous'], [-3, 'View'], [-2, 'ReadOnly'], [-1, 'Admin']]);
    const privileges = auth.read('privilegeList', ctx) as DataObject[];
    const ids = privileges.map((p) => p.privId);
    expect(ids).toEqual(expect.arrayContaining(['System.View', 'VirtualMachine.Interact.PowerOn', 'Authorization.ModifyRoles', 'Datastore.Browse']));
    expect(privileges.find((p) => p.privId === 'VirtualMachine.Interact.PowerOn')).toMatchObject({ name: 'PowerOn', privGroupName: 'VirtualMachine.Interact', onParent: false });
    expect(auth.roleList.find((r) => r.name === 'Admin')!.privilege).toEqual(ids);
  });

  it('adds, updates and removes roles with vCenter\'s faults, all or nothing', async () => {
    const { ctx, auth, vm } = setup();
    const posted = vi.spyOn(ctx.vc.events, 'post');
    const id = auth.AddAuthorizationRole(ctx, { name: 'ops', privIds: ['VirtualMachine.Interact.PowerOn'] });
    expect(id).toBe(1);
    expect(auth.roleList.find((r) => r.roleId === id)).toMatchObject({ name: 'ops', system: false, privilege: ['System.Anonymous', 'System.Read', 'System.View', 'VirtualMachine.Interact.PowerOn'] });
    await expectFault(() => auth.AddAuthorizationRole(ctx, { name: 'ops' }), 'AlreadyExists');
    await expectFault(() => auth.AddAuthorizationRole(ctx, { name: '' }), 'InvalidName');
    await expectFault(() => auth.AddAuthorizationRole(ctx, { name: 'bad', privIds: ['No.Such'] }), 'InvalidArgument');
    await expectFault(() => auth.UpdateAuthorizationRole(ctx, { roleId: id, newName: 'Admin' }), 'AlreadyExists');
    await expectFault(() => auth.UpdateAuthorizationRole(ctx, { roleId: -1, newName: 'x' }), 'InvalidArgument');
    await expectFault(() => auth.UpdateAuthorizationRole(ctx, { roleId: 99, newName: 'x' }), 'NotFound');
    auth.UpdateAuthorizationRole(ctx, { roleId: id, newName: 'operators' });
    expect(auth.roleList.find((r) => r.roleId === id)).toMatchObject({ name: 'operators', privilege: expect.arrayContaining(['VirtualMachine.Interact.PowerOn']) });
    expect(auth.roleList).toHaveLength(7);
    auth.SetEntityPermissions(ctx, { entity: vm.self, permission: [perm('bob', id)] });
    await expectFault(() => auth.RemoveAuthorizationRole(ctx, { roleId: id, failIfUsed: true }), 'RemoveFailed');
    auth.RemoveAuthorizationRole(ctx, { roleId: id, failIfUsed: false });
    expect(auth.roleList).toHaveLength(6);
    expect(vm.permission).toEqual([]);
    expect(auth.AddAuthorizationRole(ctx, { name: 'next' })).toBe(2);
    expect(posted.mock.calls.map(([, event]) => event._type)).toEqual(['RoleAddedEvent', 'RoleUpdatedEvent', 'PermissionAddedEvent', 'PermissionRemovedEvent', 'RoleRemovedEvent', 'RoleAddedEvent']);
  });
});

describe('AuthorizationManager permissions', () => {
  it('grants Admin on the root folder to vcsim\'s default principals, the SSO Administrators and the configured user', () => {
    const { vc, auth, ctx } = setup({ username: 'u', password: 'p' });
    expect(auth.RetrieveAllPermissions(ctx).map((p) => [p.principal, p.group, p.roleId, (p.entity as MoRef).value])).toEqual([
      ['root', true, -1, 'group-d1'], ['root', false, -1, 'group-d1'], ['admin', false, -1, 'group-d1'],
      ['VSPHERE.LOCAL\\Administrators', true, -1, 'group-d1'], ['u', false, -1, 'group-d1'],
    ]);
    expect(vc.registry.require<ManagedEntity>(vc.rootFolder).permission).toHaveLength(5);
  });

  it('sets, resets, merges and removes permissions; inherited ones come from propagating ancestors', async () => {
    const { ctx, auth, vm, dc } = setup();
    auth.SetEntityPermissions(ctx, { entity: dc.self, permission: [perm('bob', -2), perm('carol', -2, false)] });
    auth.SetEntityPermissions(ctx, { entity: vm.self, permission: [perm('dave', -5)] });
    expect(auth.RetrieveEntityPermissions(ctx, { entity: vm.self, inherited: false }).map((p) => p.principal)).toEqual(['dave']);
    expect(auth.RetrieveEntityPermissions(ctx, { entity: vm.self, inherited: true }).map((p) => p.principal)).toEqual(['dave', 'bob', 'root', 'root', 'admin']);
    auth.SetEntityPermissions(ctx, { entity: dc.self, permission: [perm('bob', -1)] });
    expect(dc.permission.map((p) => [p.principal, p.roleId])).toEqual([['carol', -2], ['bob', -1]]);
    await expectFault(() => auth.SetEntityPermissions(ctx, { entity: dc.self, permission: [perm('erin', -2), perm('frank', 42)] }), 'NotFound');
    expect(dc.permission).toHaveLength(2);
    await expectFault(() => auth.SetEntityPermissions(ctx, { entity: new MoRef('VirtualMachine', 'vm-999'), permission: [perm('x', -1)] }), 'ManagedObjectNotFound');
    auth.MergePermissions(ctx, { srcRoleId: -2, dstRoleId: -3 });
    expect(auth.RetrieveRolePermissions(ctx, { roleId: -3 }).map((p) => p.principal)).toEqual(['carol']);
    await expectFault(() => auth.MergePermissions(ctx, { srcRoleId: 77, dstRoleId: -3 }), 'NotFound');
    auth.RemoveEntityPermission(ctx, { entity: dc.self, user: 'carol', isGroup: false });
    await expectFault(() => auth.RemoveEntityPermission(ctx, { entity: dc.self, user: 'carol', isGroup: false }), 'NotFound');
    auth.ResetEntityPermissions(ctx, { entity: dc.self, permission: [] });
    expect(dc.permission).toEqual([]);
  });

  it('computes privileges from the most specific permission; with open login everyone else is Admin', () => {
    const { vc, ctx, auth, vm, dc } = setup();
    const reader = auth.AddAuthorizationRole(ctx, { name: 'reader' });
    auth.SetEntityPermissions(ctx, { entity: dc.self, permission: [perm('bob', -5), perm('alice', reader)] });
    auth.SetEntityPermissions(ctx, { entity: vm.self, permission: [perm('bob', -1)] });
    const has = (user: string, entity: ManagedEntity, privId: string) => (auth.HasUserPrivilegeOnEntities(ctx, { entities: [entity.self], userName: user, privId: [privId] })[0]!.privAvailability as DataObject[])[0]!.isGranted;
    expect(has('bob', vm, 'VirtualMachine.Interact.PowerOn')).toBe(true);
    expect(has('bob', dc, 'System.View')).toBe(false);
    expect(has('zed', dc, 'Datacenter.Move')).toBe(true);
    expect(has('alice', vm, 'VirtualMachine.Interact.PowerOn')).toBe(false);
    expect(has('alice', vm, 'System.Read')).toBe(true);
    const sessionId = ctx.session!.key;
    expect(auth.HasPrivilegeOnEntity(ctx, { entity: vm.self, sessionId, privId: ['System.Read', 'VirtualMachine.Interact.PowerOn'] })).toEqual([true, false]);
    expect(auth.HasPrivilegeOnEntity(ctx, { entity: vm.self, sessionId: 'nope', privId: ['System.Read'] })).toEqual([false]);
    expect(auth.FetchUserPrivilegeOnEntities(ctx, { entities: [vm.self], userName: 'alice' })[0]!.privileges).toEqual(['System.Anonymous', 'System.Read', 'System.View']);
    expect(vm.read('effectiveRole', ctx)).toEqual([reader]);
    // a permission set on the datacenter changes what its VMs report: they count as changed for the PropertyCollector
    const seq = vm.changeSeq;
    auth.SetEntityPermissions(ctx, { entity: dc.self, permission: [perm('alice', -2)] });
    expect(vm.changeSeq).toBeGreaterThan(seq);
    expect(vm.read('effectiveRole', ctx)).toEqual([-2]);
    expect(vc.registry.require<ManagedEntity>(vc.rootFolder).read('effectiveRole', ctx)).toEqual([-1]);
  });

  it('with users configured, one without a permission holds nothing', () => {
    const { ctx, auth, vm } = setup({ username: 'u', password: 'p' });
    const granted = (user: string) => auth.FetchUserPrivilegeOnEntities(ctx, { entities: [vm.self], userName: user })[0]!.privileges as string[];
    expect(granted('u')).toContain('VirtualMachine.Interact.PowerOn');
    expect(granted('stranger')).toEqual([]);
  });

  it('roles and permissions survive a world state file', () => {
    const { vc, ctx, auth, vm } = setup();
    const id = auth.AddAuthorizationRole(ctx, { name: 'kept' });
    auth.SetEntityPermissions(ctx, { entity: vm.self, permission: [perm('bob', id)] });
    const fresh = new VCenter({ topology: topologyFromFlags({}) });
    restoreWorld(fresh, worldFromJson(JSON.parse(JSON.stringify(worldToJson(vc)))));
    const restored = fresh.registry.require<AuthorizationManager>(auth.self);
    expect(restored).toBeInstanceOf(AuthorizationManager);
    expect(restored.roleList.find((r) => r.roleId === id)?.name).toBe('kept');
    expect(restored.RetrieveEntityPermissions({ vc: fresh }, { entity: vm.self, inherited: false })).toMatchObject([{ principal: 'bob', roleId: id }]);
    expect(restored.AddAuthorizationRole({ vc: fresh }, { name: 'after' })).toBe(id + 1);
  });
});

describe('AuthorizationManager events', () => {
  const posted = (vc: VCenter, types: string[]) => vc.events.QueryEvents({ vc }, { filter: { eventTypeId: types } });
  const permissionEvents = ['PermissionAddedEvent', 'PermissionUpdatedEvent', 'PermissionRemovedEvent'];

  it('posts one event per principal changed: added, updated (previous role and propagation) or removed, with vCenter\'s messages', () => {
    const { vc, ctx, auth, vm } = setup();
    auth.SetEntityPermissions(ctx, { entity: vm.self, permission: [perm('bob', -2), perm('carol', -3, false)] });
    auth.SetEntityPermissions(ctx, { entity: vm.self, permission: [perm('bob', -1, false)] });
    auth.ResetEntityPermissions(ctx, { entity: vm.self, permission: [perm('bob', -1, false), perm('dave', -2)] });
    auth.MergePermissions(ctx, { srcRoleId: -2, dstRoleId: -3 });
    auth.RemoveEntityPermission(ctx, { entity: vm.self, user: 'dave', isGroup: false });
    expect(posted(vc, permissionEvents).map((e) => e.fullFormattedMessage)).toEqual([
      'Permission created for bob on DC0_H0_VM0, role is ReadOnly, propagation is Enabled',
      'Permission created for carol on DC0_H0_VM0, role is View, propagation is Disabled',
      'Permission changed for bob on DC0_H0_VM0, role is Admin, propagation is Disabled',
      'Permission created for dave on DC0_H0_VM0, role is ReadOnly, propagation is Enabled',
      'Permission rule removed for carol on DC0_H0_VM0',
      'Permission changed for dave on DC0_H0_VM0, role is View, propagation is Enabled',
      'Permission rule removed for dave on DC0_H0_VM0',
    ]);
    expect(posted(vc, ['PermissionUpdatedEvent'])[0]).toMatchObject({
      userName: 'alice', principal: 'bob', group: false, entity: { entity: vm.self, name: 'DC0_H0_VM0' },
      role: { roleId: -1, name: 'Admin' }, propagate: false, prevRole: { roleId: -2, name: 'ReadOnly' }, prevPropagate: true,
    });
  });

  it('a role update names the privileges it added and removed', () => {
    const { vc, ctx, auth } = setup();
    const id = auth.AddAuthorizationRole(ctx, { name: 'ops', privIds: ['VirtualMachine.Interact.PowerOn'] });
    auth.UpdateAuthorizationRole(ctx, { roleId: id, newName: 'operators', privIds: ['VirtualMachine.Interact.PowerOff'] });
    auth.RemoveAuthorizationRole(ctx, { roleId: id, failIfUsed: true });
    expect(posted(vc, ['RoleAddedEvent', 'RoleUpdatedEvent', 'RoleRemovedEvent']).map((e) => e.fullFormattedMessage)).toEqual([
      'New role ops created',
      'Role modified. Previous name: ops, new name: operators. Added privileges: VirtualMachine.Interact.PowerOff. Removed privileges: VirtualMachine.Interact.PowerOn.',
      'Role operators removed',
    ]);
    expect(posted(vc, ['RoleUpdatedEvent'])[0]).toMatchObject({ prevRoleName: 'ops', privilegesAdded: ['VirtualMachine.Interact.PowerOff'], privilegesRemoved: ['VirtualMachine.Interact.PowerOn'] });
  });
});
