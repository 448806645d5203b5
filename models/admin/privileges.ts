/**
 * The privilege catalogue and the system roles. vCenter's privileges: those of its Admin role as
 * vcsim captured it (models/data/privileges.json, written by scripts/gen-privileges.py), those its
 * methods and properties require (the type table records each one's privilege id), and the three
 * every session has; `Group.Sub.Name` belongs to group `Group.Sub`.
 */
import { readFileSync } from 'node:fs';
import type { DataObject } from '../core/moref.js';
import type { TypeTable } from '../core/type-table.js';

const systemPrivileges = ['System.Anonymous', 'System.Read', 'System.View'];

/** vCenter's privileges of its REST services (tagging, content library, namespaces), which vcsim's capture lacks. */
const restServicePrivileges = [
  'ContentLibrary.AddLibraryItem', 'ContentLibrary.CreateLocalLibrary', 'ContentLibrary.CreateSubscribedLibrary', 'ContentLibrary.DeleteLibraryItem',
  'ContentLibrary.DeleteLocalLibrary', 'ContentLibrary.DeleteSubscribedLibrary', 'ContentLibrary.UpdateLibrary', 'ContentLibrary.UpdateLibraryItem',
  'InventoryService.Tagging.AttachTag', 'InventoryService.Tagging.CreateCategory', 'InventoryService.Tagging.CreateTag', 'InventoryService.Tagging.DeleteCategory',
  'InventoryService.Tagging.DeleteTag', 'InventoryService.Tagging.EditCategory', 'InventoryService.Tagging.EditTag', 'Namespaces.Manage',
];

/** Read once and never changed, as the type table is. */
let captured: readonly string[] | undefined;

function capturedAdmin(): readonly string[] {
  captured ??= Object.freeze(JSON.parse(readFileSync(new URL('../data/privileges.json', import.meta.url), 'utf8')) as string[]);
  return captured;
}

/** Every privilege id, sorted. */
export function privilegeIds(types: TypeTable): string[] {
  const ids = new Set([...systemPrivileges, ...capturedAdmin(), ...restServicePrivileges]);
  for (const info of Object.values(types.source.managed)) {
    for (const method of Object.values(info.methods)) if (method.privilege) ids.add(method.privilege);
    for (const prop of info.props) if (prop.privilege) ids.add(prop.privilege);
  }
  return [...ids].sort();
}

/** AuthorizationManager.privilegeList: one AuthorizationPrivilege per id. */
export function privilegeList(types: TypeTable): DataObject[] {
  return privilegeIds(types).map((privId) => {
    const dot = privId.lastIndexOf('.');
    return { _type: 'AuthorizationPrivilege', privId, onParent: false, name: privId.slice(dot + 1), privGroupName: privId.slice(0, dot) };
  });
}

function role(roleId: number, name: string, label: string, summary: string, privilege: string[]): DataObject {
  return { _type: 'AuthorizationRole', roleId, system: true, name, info: { _type: 'Description', label, summary }, privilege };
}

/** The system roles, as vcsim lists them (ids -6 .. -1); Admin holds every privilege. */
export function systemRoles(types: TypeTable): DataObject[] {
  const all = privilegeIds(types);
  return [
    role(-6, 'NoCryptoAdmin', 'No cryptography administrator', 'Full access without Cryptographic operations privileges', all.filter((id) => !id.startsWith('Cryptographer.'))),
    role(-5, 'NoAccess', 'No access', 'Used for restricting granted access', []),
    role(-4, 'Anonymous', 'Anonymous', 'Not logged-in user (cannot be granted)', ['System.Anonymous']),
    role(-3, 'View', 'View', 'Visibility access (cannot be granted)', ['System.Anonymous', 'System.View']),
    role(-2, 'ReadOnly', 'Read-only', 'See details of objects, but not make changes', [...systemPrivileges]),
    role(-1, 'Admin', 'Administrator', 'Full access rights', all),
  ];
}

/** The principals vcsim grants Admin on the root folder (its DefaultUserGroup). */
export const defaultAdmins: readonly { principal: string; group: boolean }[] = [
  { principal: 'root', group: true },
  { principal: 'root', group: false },
  { principal: 'admin', group: false },
];
