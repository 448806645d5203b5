/**
 * Who may log in, and as whom: vCenter's SSO directory. Users come from the topology file (in its
 * SSO domain, `vsphere.local` unless it names another) or from vcsim's -username/-password; with
 * neither, anyone logs in under the name they give, as vcsim lets them.
 *
 * Names: vCenter knows an SSO user by its principal `VSPHERE.LOCAL\alice` (the session's userName,
 * a permission's principal) and accepts `alice`, `alice@vsphere.local` or `VSPHERE.LOCAL\alice` at
 * login, the user part in any case. A -username user keeps the name it was given, as in vcsim.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Topology } from '../inventory/topology.js';

export interface DirectoryUser {
  /** The principal: `DOMAIN\name`, or the -username as given. */
  principal: string;
  /** The login name within its domain. */
  name: string;
  domain: string;
  password: string | undefined;
  /** Principals of the groups the user belongs to. */
  groups: string[];
}

export interface DirectoryGroup {
  principal: string;
  name: string;
  domain: string;
  description: string;
}

export interface DirectorySource {
  topology: Pick<Topology, 'users' | 'sso'>;
  username?: string;
  password?: string;
}

const defaultDomain = 'vsphere.local';

export class Directory {
  readonly domain: string;
  /** No users configured: any non-empty name and password log in, as that name, as in vcsim. */
  readonly open: boolean;
  /** SSO users by lower-case `name@domain`. */
  private readonly users = new Map<string, DirectoryUser>();
  private readonly groups = new Map<string, DirectoryGroup>();
  /** vcsim's -username user: known by exactly the name it was given. */
  private readonly vcsimUser?: DirectoryUser;

  constructor(source: DirectorySource) {
    const { topology, username, password } = source;
    this.domain = (topology.sso?.domain ?? defaultDomain).toLowerCase();
    this.addGroup('Administrators', this.domain, 'Administrators of the SSO domain');
    const administrator = this.addUser('Administrator', this.domain, undefined, ['Administrators']);
    for (const user of topology.users ?? []) {
      const { name, domain } = this.split(user.username);
      const groups = user.groups ?? [];
      if (this.key(name, domain) === this.key(administrator.name, administrator.domain)) {
        administrator.password = user.password;
        administrator.groups.push(...groups.map((g) => this.addGroup(g).principal).filter((g) => !administrator.groups.includes(g)));
      } else {
        this.addUser(name, domain, user.password, groups);
      }
    }
    if (username !== undefined && password !== undefined) this.vcsimUser = { principal: username, name: username, domain: '', password, groups: [] };
    this.open = !this.vcsimUser && !topology.users?.length;
  }

  /** The principal these credentials log in as, or undefined when they do not. */
  authenticate(name: string, password: string): string | undefined {
    if (this.open) return name !== '' && password !== '' ? name : undefined;
    const user = this.find(name);
    if (!user || user.password === undefined || !samePassword(password, user.password)) return undefined;
    return user.principal;
  }

  /** The principal of a known user named in any accepted form; with open login, the name itself. */
  principal(name: string): string | undefined {
    if (this.open) return name || undefined;
    return this.find(name)?.principal;
  }

  /** The principals of the groups `principal` belongs to. */
  groupsOf(principal: string): string[] {
    return this.find(principal)?.groups ?? [];
  }

  /** The group named in any accepted form (`Operators`, `Operators@vsphere.local`, `VSPHERE.LOCAL\\Operators`). */
  group(name: string): DirectoryGroup | undefined {
    const { name: group, domain } = this.split(name);
    return this.groups.get(this.key(group, domain));
  }

  /** The users that can log in (those with a password), the Administrator first. */
  allUsers(): DirectoryUser[] {
    return [...(this.vcsimUser ? [this.vcsimUser] : []), ...this.users.values()].filter((u) => u.password !== undefined);
  }

  allGroups(): DirectoryGroup[] {
    return [...this.groups.values()];
  }

  /** The principals given Admin on the root folder: the domain's Administrators and the -username user; none with open login, where everyone is one. */
  administrators(): { principal: string; group: boolean }[] {
    if (this.open) return [];
    const admins = [{ principal: this.principalOf('Administrators', this.domain), group: true }];
    if (this.vcsimUser) admins.push({ principal: this.vcsimUser.principal, group: false });
    return admins;
  }

  private find(name: string): DirectoryUser | undefined {
    if (this.vcsimUser && name === this.vcsimUser.name) return this.vcsimUser;
    const { name: user, domain } = this.split(name);
    return this.users.get(this.key(user, domain));
  }

  private addUser(name: string, domain: string, password: string | undefined, groups: string[]): DirectoryUser {
    const user = { principal: this.principalOf(name, domain), name, domain, password, groups: groups.map((g) => this.addGroup(g).principal) };
    this.users.set(this.key(name, domain), user);
    return user;
  }

  /** The group, added on first mention; `name` may carry its domain. */
  private addGroup(qualified: string, domainGiven?: string, description = ''): DirectoryGroup {
    const { name, domain } = domainGiven ? { name: qualified, domain: domainGiven } : this.split(qualified);
    const key = this.key(name, domain);
    let group = this.groups.get(key);
    if (!group) {
      group = { principal: this.principalOf(name, domain), name, domain, description };
      this.groups.set(key, group);
    }
    return group;
  }

  /** `alice`, `alice@corp.local` or `CORP.LOCAL\alice` as name and lower-case domain. */
  private split(qualified: string): { name: string; domain: string } {
    const slash = qualified.indexOf('\\');
    if (slash >= 0) return { name: qualified.slice(slash + 1), domain: qualified.slice(0, slash).toLowerCase() };
    const at = qualified.lastIndexOf('@');
    if (at > 0) return { name: qualified.slice(0, at), domain: qualified.slice(at + 1).toLowerCase() };
    return { name: qualified, domain: this.domain };
  }

  private key(name: string, domain: string): string {
    return `${name.toLowerCase()}@${domain}`;
  }

  private principalOf(name: string, domain: string): string {
    return `${domain.toUpperCase()}\\${name}`;
  }
}

/** Constant-time, so a wrong password's length or prefix does not show in the answer's timing. */
function samePassword(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
