import { faults, VimFault } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject } from '../core/moref.js';

export interface Account {
  id: string;
  /** The POSIX uid ESXi gives the account. */
  uid: number;
  description: string;
  password: string;
  groups: string[];
}

/** The local users and groups of an ESXi host. */
export class HostLocalAccountManager extends ManagedObject {
  /** The host's accounts (not vSphere properties: vSphere lists them through UserDirectory). */
  users: Account[] = [
    { id: 'root', uid: 0, description: 'Administrator', password: '', groups: [] },
    { id: 'dcui', uid: 100, description: 'DCUI User', password: '', groups: [] },
    { id: 'vpxuser', uid: 500, description: 'VMware VirtualCenter administration account', password: '', groups: [] },
  ];
  groups: string[] = [];

  CreateUser(ctx: CallContext, { user }: { user: DataObject }): void {
    const id = accountId(user);
    if (this.users.some((u) => u.id === id)) throw new VimFault('AlreadyExists', { name: id }, `The specified key, name, or identifier '${id}' already exists.`);
    const uid = Math.max(999, ...this.users.map((u) => u.uid)) + 1;
    this.users = [...this.users, { id, uid, description: String(user.description ?? ''), password: String(user.password ?? ''), groups: [] }];
    ctx.vc.registry.changed(this);
  }

  UpdateUser(ctx: CallContext, { user }: { user: DataObject }): void {
    const id = accountId(user);
    const current = this.user(id);
    const updated = { ...current, description: user.description === undefined ? current.description : String(user.description), password: user.password === undefined ? current.password : String(user.password) };
    this.users = this.users.map((u) => (u === current ? updated : u));
    ctx.vc.registry.changed(this);
  }

  RemoveUser(ctx: CallContext, { userName }: { userName: string }): void {
    const current = this.user(userName);
    this.users = this.users.filter((u) => u !== current);
    ctx.vc.registry.changed(this);
  }

  CreateGroup(ctx: CallContext, { group }: { group: DataObject }): void {
    const id = accountId(group);
    if (this.groups.includes(id)) throw new VimFault('AlreadyExists', { name: id }, `The specified key, name, or identifier '${id}' already exists.`);
    this.groups = [...this.groups, id];
    ctx.vc.registry.changed(this);
  }

  RemoveGroup(ctx: CallContext, { groupName }: { groupName: string }): void {
    this.group(groupName);
    this.groups = this.groups.filter((g) => g !== groupName);
    this.users = this.users.map((u) => (u.groups.includes(groupName) ? { ...u, groups: u.groups.filter((g) => g !== groupName) } : u));
    ctx.vc.registry.changed(this);
  }

  AssignUserToGroup(ctx: CallContext, { user, group }: { user: string; group: string }): void {
    const current = this.user(user);
    this.group(group);
    if (current.groups.includes(group)) throw new VimFault('AlreadyExists', { name: user }, `The user '${user}' is already in group '${group}'.`);
    this.users = this.users.map((u) => (u === current ? { ...u, groups: [...u.groups, group] } : u));
    ctx.vc.registry.changed(this);
  }

  UnassignUserFromGroup(ctx: CallContext, { user, group }: { user: string; group: string }): void {
    const current = this.user(user);
    if (!current.groups.includes(group)) throw notFound(group);
    this.users = this.users.map((u) => (u === current ? { ...u, groups: u.groups.filter((g) => g !== group) } : u));
    ctx.vc.registry.changed(this);
  }

  private user(id: string): Account {
    const found = this.users.find((u) => u.id === id);
    if (!found) throw notFound(id);
    return found;
  }

  private group(id: string): void {
    if (!this.groups.includes(id)) throw notFound(id);
  }
}

function accountId(spec: DataObject): string {
  const id = spec?.id;
  if (typeof id !== 'string' || id.trim() === '') throw faults.invalidArgument('id');
  return id;
}

function notFound(principal: string): VimFault {
  return new VimFault('UserNotFound', { principal, unresolved: true }, `The user or group named '${principal}' does not exist.`);
}
