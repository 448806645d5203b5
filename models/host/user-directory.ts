import { faults } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
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
 * vCenter's (ServiceContent.userDirectory) lists the users configured to log in.
 */
export class UserDirectory extends ManagedObject {
  domainList?: string[];
  /** The host whose accounts these are (not a vSphere property). */
  owner?: MoRef;

  RetrieveUserGroups(ctx: CallContext, search: Search): DataObject[] {
    if (search.domain) throw faults.notFound(`The domain '${search.domain}' was not found.`);
    const accounts = this.accounts(ctx) ?? vcenterUsers(ctx);
    const text = String(search.searchStr ?? '').toLowerCase();
    const matches = (name: string) => (search.exactMatch ? name.toLowerCase() === text : name.toLowerCase().includes(text));
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

/** The users who can log in to the simulated vCenter: -username, or the topology's users; none when anyone can. */
function vcenterUsers(ctx: CallContext): Pick<HostLocalAccountManager, 'users' | 'groups'> {
  const { username, topology } = ctx.vc.options;
  const names = username !== undefined && !ctx.vc.loginIsOpen ? [username] : (topology.users ?? []).map((u) => u.username);
  return { users: names.map((id, i) => ({ id, uid: 1000 + i, description: id, password: '', groups: [] })), groups: [] };
}
