import { describe, expect, it } from 'vitest';
import { Directory } from '../../models/core/directory.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { MoRef } from '../../models/core/moref.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { UserDirectory } from '../../models/host/user-directory.js';
import { VCenter } from '../../models/vcenter.js';
import { expectFault } from '../support/faults.js';

const users = [
  { username: 'alice', password: 'a-pass', groups: ['Operators'] },
  { username: 'bob@corp.local', password: 'b-pass', groups: ['Auditors@corp.local'] },
  { username: 'administrator@vsphere.local', password: 'Admin!23' },
];

describe('Directory', () => {
  it('lets anyone in under the name they give when no users are configured, as vcsim', () => {
    const open = new Directory({ topology: {} });
    expect(open.open).toBe(true);
    expect(open.authenticate('whoever', 'x')).toBe('whoever');
    expect(open.authenticate('whoever', '')).toBeUndefined();
    expect(open.authenticate('', 'x')).toBeUndefined();
  });

  it('knows SSO users by their principal and takes every login form, the user part in any case', () => {
    const dir = new Directory({ topology: { users } });
    expect(dir.open).toBe(false);
    for (const name of ['alice', 'ALICE', 'alice@vsphere.local', 'alice@VSPHERE.LOCAL', 'VSPHERE.LOCAL\\alice', 'vsphere.local\\Alice']) {
      expect(dir.authenticate(name, 'a-pass'), name).toBe('VSPHERE.LOCAL\\alice');
    }
    expect(dir.authenticate('alice', 'A-pass')).toBeUndefined();
    expect(dir.authenticate('alice@corp.local', 'a-pass')).toBeUndefined();
    expect(dir.authenticate('bob@corp.local', 'b-pass')).toBe('CORP.LOCAL\\bob');
    expect(dir.authenticate('bob', 'b-pass')).toBeUndefined();
    expect(dir.authenticate('Administrator@vsphere.local', 'Admin!23')).toBe('VSPHERE.LOCAL\\Administrator');
    expect(dir.principal('alice@vsphere.local')).toBe('VSPHERE.LOCAL\\alice');
    expect(dir.principal('nobody')).toBeUndefined();
  });

  it('puts users in their groups, the administrator in the domain Administrators', () => {
    const dir = new Directory({ topology: { users, sso: { domain: 'vsphere.local' } } });
    expect(dir.groupsOf('VSPHERE.LOCAL\\alice')).toEqual(['VSPHERE.LOCAL\\Operators']);
    expect(dir.groupsOf('bob@corp.local')).toEqual(['CORP.LOCAL\\Auditors']);
    expect(dir.groupsOf('administrator')).toEqual(['VSPHERE.LOCAL\\Administrators']);
    expect(dir.group('operators@vsphere.local')?.principal).toBe('VSPHERE.LOCAL\\Operators');
    expect(dir.administrators()).toEqual([{ principal: 'VSPHERE.LOCAL\\Administrators', group: true }]);
  });

  it('has an administrator that cannot log in until the topology gives it a password', () => {
    const dir = new Directory({ topology: { users: [users[0]!] } });
    expect(dir.principal('administrator@vsphere.local')).toBe('VSPHERE.LOCAL\\Administrator');
    expect(dir.authenticate('administrator@vsphere.local', '')).toBeUndefined();
    expect(dir.allUsers().map((u) => u.principal)).toEqual(['VSPHERE.LOCAL\\alice']);
  });

  it('takes another SSO domain', () => {
    const dir = new Directory({ topology: { users: [{ username: 'ops', password: 'p' }], sso: { domain: 'Lab.Example' } } });
    expect(dir.domain).toBe('lab.example');
    expect(dir.authenticate('ops@lab.example', 'p')).toBe('LAB.EXAMPLE\\ops');
    expect(dir.authenticate('ops@vsphere.local', 'p')).toBeUndefined();
  });

  it("keeps vcsim's -username user under exactly the name it was given, an administrator", () => {
    const dir = new Directory({ topology: {}, username: 'admin@vsphere.local', password: 'S3cret!' });
    expect(dir.open).toBe(false);
    expect(dir.authenticate('admin@vsphere.local', 'S3cret!')).toBe('admin@vsphere.local');
    expect(dir.authenticate('ADMIN@vsphere.local', 'S3cret!')).toBeUndefined();
    expect(dir.administrators()).toContainEqual({ principal: 'admin@vsphere.local', group: false });
  });
});

describe("vCenter's UserDirectory", () => {
  function setup() {
    const vc = new VCenter({ topology: { ...topologyFromFlags({}), users } });
    const ctx: CallContext = { vc };
    return { ctx, directory: vc.registry.require<UserDirectory>(vc.content.userDirectory as MoRef) };
  }
  const search = (over: Record<string, unknown>) => ({ searchStr: '', exactMatch: false, findUsers: true, findGroups: true, ...over });

  it('searches the SSO domain, principals without their domain as vCenter answers', () => {
    const { ctx, directory } = setup();
    expect(directory.read('domainList', ctx)).toEqual(['vsphere.local']);
    const all = directory.RetrieveUserGroups(ctx, search({ domain: 'vsphere.local' }));
    expect(all.map((r) => [r.principal, r.group])).toEqual([['Administrator', false], ['alice', false], ['Administrators', true], ['Operators', true]]);
    expect(directory.RetrieveUserGroups(ctx, search({ searchStr: 'ALI', findGroups: false })).map((r) => r.principal)).toEqual(['alice']);
    expect(directory.RetrieveUserGroups(ctx, search({ belongsToGroup: 'Operators', findGroups: false })).map((r) => r.principal)).toEqual(['alice']);
    expect(directory.RetrieveUserGroups(ctx, search({ belongsToUser: 'alice', findUsers: false })).map((r) => r.principal)).toEqual(['Operators']);
    expectFault(() => directory.RetrieveUserGroups(ctx, search({ domain: 'elsewhere' })), 'NotFound');
  });

  it('logs the users in as their principals and grants the domain Administrators Admin on the root folder', () => {
    const { ctx } = setup();
    ctx.vc.sessionManager.Login(ctx, { userName: 'alice@vsphere.local', password: 'a-pass' });
    expect(ctx.session?.userName).toBe('VSPHERE.LOCAL\\alice');
    expectFault(() => ctx.vc.sessionManager.Login(ctx, { userName: 'alice', password: 'nope' }), 'InvalidLogin');
    const root = ctx.vc.registry.require<ManagedEntity>(ctx.vc.rootFolder);
    expect(root.permission).toContainEqual(expect.objectContaining({ principal: 'VSPHERE.LOCAL\\Administrators', group: true, roleId: -1 }));
  });
});
