import { faults } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { Directory } from '../core/directory.js';
import { HostLocalAccountManager } from './host-local-account-manager.js';

interface Search {
  domain?: string;
  searchStr: string;
  belongsToGroup?: string;
  belongsToUser?: string;
  exactMatch: boolean;
  findUsers: boolean;
  findGroups: boolean;
}

/**
 * A host's user directory: its local accounts and groups (those its HostLocalAccountManager keeps);
 * vCenter's (ServiceContent.userDirectory) searches the SSO directory (VCenter.directory).
 */
export class UserDirectory extends ManagedObject {
  domainList?: string[];
  /** The host whose accounts these are (not a vSphere property). */
  owner?: MoRef;

  override read(name: string, ctx: CallContext): unknown {
    if (name === 'domainList' && !this.owner) return [ctx.vc.directory.domain];
    return super.read(name, ctx);
  }

  RetrieveUserGroups(ctx: CallContext, search: Search): DataObject[] {
    const accounts = this.accounts(ctx);
    if (!accounts) return searchSso(ctx.vc.directory, search);
    if (search.domain) throw faults.notFound(`The domain '${search.domain}' was not found.`);
    const matches = matcher(search);
    const results: DataObject[] = [];
    if (search.findUsers) {
      for (const user of accounts.users) {
        if (!matches(user.id) || (search.belongsToGroup && !user.groups.includes(search.belongsToGroup))) continue;
        results.push({ _type: 'PosixUserSearchResult', principal: user.id, fullName: user.description, group: false, id: user.uid, shellAccess: user.id === 'root' });
      }
    }
    if (search.findGroups) {
      const member = search.belongsToUser ? accounts.users.find((u) => u.id === search.belongsToUser) : undefined;
      for (const group of accounts.groups) {
        if (!matches(group) || (search.belongsToUser && !member?.groups.includes(group))) continue;
        results.push({ _type: 'UserSearchResult', principal: group, fullName: group, group: true });
      }
    }
    return results;
  }

  /** The account manager of the owner host (the ESX model's is also ServiceContent.accountManager). */
  private accounts(ctx: CallContext): Pick<HostLocalAccountManager, 'users' | 'groups'> | undefined {
    const host = this.owner && (ctx.vc.registry.get(this.owner) as (ManagedObject & { configManager?: { accountManager?: MoRef } }) | undefined);
    const ref = host?.configManager?.accountManager;
    const manager = ref && ctx.vc.registry.get(ref);
    return manager instanceof HostLocalAccountManager ? manager : undefined;
  }
}

/**
 * vCenter's search of its SSO domain (the default when no domain is named): principals come back
 * without their domain, "the user within the searched domain"; vcsim's -username user is found
 * when no domain is named.
 */
function searchSso(directory: Directory, search: Search): DataObject[] {
  const domain = search.domain?.toLowerCase();
  if (domain && domain !== directory.domain) throw faults.notFound(`The domain '${search.domain}' was not found.`);
  const matches = matcher(search);
  const inDomain = (d: string) => d === directory.domain || (d === '' && !domain);
  const results: DataObject[] = [];
  if (search.findUsers) {
    const group = search.belongsToGroup ? (directory.group(search.belongsToGroup)?.principal ?? '') : undefined;
    for (const user of directory.allUsers()) {
      if (!inDomain(user.domain) || !matches(user.name) || (group !== undefined && !user.groups.includes(group))) continue;
      results.push({ _type: 'UserSearchResult', principal: user.name, fullName: user.name, group: false });
    }
  }
  if (search.findGroups) {
    const memberOf = search.belongsToUser ? directory.groupsOf(search.belongsToUser) : undefined;
    for (const group of directory.allGroups()) {
      if (!inDomain(group.domain) || !matches(group.name) || (memberOf && !memberOf.includes(group.principal))) continue;
      results.push({ _type: 'UserSearchResult', principal: group.name, fullName: group.description || group.name, group: true });
    }
  }
  return results;
}

/** Case-insensitive: a substring of the name, or the whole name with exactMatch. */
function matcher(search: Search): (name: string) => boolean {
  const text = String(search.searchStr ?? '').toLowerCase();
  return (name) => (search.exactMatch ? name.toLowerCase() === text : name.toLowerCase().includes(text));
}
