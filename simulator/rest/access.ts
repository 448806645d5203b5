/**
 * Privileges on /api and /rest, once users are configured (models/admin/access.ts decides who
 * holds what). Each operation needs a privilege on the object its path names (the last path
 * parameter naming an inventory entity, else the root folder): reads System.Read, changes the
 * privilege vCenter requires for them (the table below, by area where it names no operation).
 * Lists leave out what the caller cannot read. Refusals are 403 `unauthorized`.
 */
import { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { World } from '../../models/core/world.js';
import { message, VapiError } from './errors.js';
import type { Flavour, RestRoute } from './route.js';

/** `METHOD path-template/action`, the same for both flavours (`/rest` puts the action in the path). */
type Operation = string;

/** The privilege of each change, first match wins; matched against the operation's path as `/api` and `/rest` spell it. */
const changes: [RegExp, string][] = [
  [/^POST .*\/vm\/:vm\/power\/start$/, 'VirtualMachine.Interact.PowerOn'],
  [/^POST .*\/vm\/:vm\/power\/stop$/, 'VirtualMachine.Interact.PowerOff'],
  [/^POST .*\/vm\/:vm\/power\/suspend$/, 'VirtualMachine.Interact.Suspend'],
  [/^POST .*\/vm\/:vm\/power\/reset$/, 'VirtualMachine.Interact.Reset'],
  [/^POST .*\/vm\/:vm\/guest\/power\/shutdown$/, 'VirtualMachine.Interact.PowerOff'],
  [/^POST .*\/vm\/:vm\/guest\/power\/reboot$/, 'VirtualMachine.Interact.Reset'],
  [/^POST .*\/vm\/:vm\/guest\/power\/standby$/, 'VirtualMachine.Interact.Suspend'],
  [/^DELETE .*\/vcenter\/vm\/:vm$/, 'VirtualMachine.Inventory.Delete'],
  [/^POST .*\/vcenter\/vm(\/clone|\/register)?$/, 'VirtualMachine.Inventory.Create'],
  [/^\w+ .*\/vm\/:vm\/hardware\/cpu$/, 'VirtualMachine.Config.CPUCount'],
  [/^\w+ .*\/vm\/:vm\/hardware\/memory$/, 'VirtualMachine.Config.Memory'],
  [/^POST .*\/vm\/:vm\/hardware\/(action\/)?upgrade$/, 'VirtualMachine.Config.UpgradeVirtualHardware'],
  [/^POST .*\/vm\/:vm\/hardware\/\w+\/:\w+\/(connect|disconnect)$/, 'VirtualMachine.Interact.DeviceConnection'],
  [/^POST .*\/vm\/:vm\/hardware\/disk$/, 'VirtualMachine.Config.AddNewDisk'],
  [/^DELETE .*\/vm\/:vm\/hardware\/disk\/:\w+$/, 'VirtualMachine.Config.RemoveDisk'],
  [/^(POST|DELETE) .*\/vm\/:vm\/hardware\/\w+(\/:\w+)?$/, 'VirtualMachine.Config.AddRemoveDevice'],
  [/^PATCH .*\/vm\/:vm\/hardware(\/\w+\/:\w+)?$/, 'VirtualMachine.Config.EditDevice'],
  [/^POST .*\/vcenter\/host$/, 'Host.Inventory.AddStandaloneHost'],
  [/^DELETE .*\/vcenter\/host\/:host$/, 'Host.Inventory.RemoveHostFromCluster'],
  [/^POST .*\/vcenter\/host\/:host\/(connect|disconnect)$/, 'Host.Config.Connection'],
  [/tagging\/tag-association/, 'InventoryService.Tagging.AttachTag'],
  [/^POST .*tagging\/category$/, 'InventoryService.Tagging.CreateCategory'],
  [/^DELETE .*tagging\/category\//, 'InventoryService.Tagging.DeleteCategory'],
  [/tagging\/category/, 'InventoryService.Tagging.EditCategory'],
  [/^POST .*tagging\/tag$/, 'InventoryService.Tagging.CreateTag'],
  [/^DELETE .*tagging\/tag\//, 'InventoryService.Tagging.DeleteTag'],
  [/tagging\//, 'InventoryService.Tagging.EditTag'],
  [/^POST .*\/content\/(local-)?library$/, 'ContentLibrary.CreateLocalLibrary'],
  [/^POST .*\/content\/subscribed-library$/, 'ContentLibrary.CreateSubscribedLibrary'],
  [/^DELETE .*\/content\/(local-)?library\/:\w+$/, 'ContentLibrary.DeleteLocalLibrary'],
  [/^DELETE .*\/content\/subscribed-library\/:\w+$/, 'ContentLibrary.DeleteSubscribedLibrary'],
  [/^POST .*\/content\/library\/item$/, 'ContentLibrary.AddLibraryItem'],
  [/^DELETE .*\/content\/library\/item\/:\w+$/, 'ContentLibrary.DeleteLibraryItem'],
  [/\/content\/library\/item/, 'ContentLibrary.UpdateLibraryItem'],
  [/\/content\//, 'ContentLibrary.UpdateLibrary'],
  [/\/vcenter\/vm\//, 'VirtualMachine.Config.Settings'],
  [/namespace/, 'Namespaces.Manage'],
];
/** What any other change needs: vCenter's settings privilege. */
const otherChanges = 'Global.Settings';
const READ = 'System.Read';

/**
 * 403 `unauthorized` unless the session's user holds what the operation needs on its object.
 * Session operations (log in, out, whoami) stay open to everyone.
 */
export function authorizeRest(ctx: CallContext, route: RestRoute, flavour: Flavour, params: Record<string, string>): void {
  const { access } = ctx.vc;
  if (!access.enforced || !ctx.session || route.auth === 'none' || isSessionRoute(route, flavour)) return;
  const entity = entityNamed(ctx.vc, params);
  const privilege = route.method === 'GET' ? READ : privilegeOf(operation(route, flavour));
  if (!access.allows(ctx, entity, privilege)) throw unauthorized();
}

/** A list answer without the items naming an inventory object the caller cannot read. */
export function visibleItems(ctx: CallContext, route: RestRoute, result: unknown): unknown {
  const { access, registry } = ctx.vc;
  if (!access.enforced || !ctx.session || route.method !== 'GET' || !Array.isArray(result)) return result;
  return result.filter((item) => {
    if (!item || typeof item !== 'object') return true;
    return Object.values(item as Record<string, unknown>).every((value) => {
      const obj = typeof value === 'string' ? registry.byId(value) : undefined;
      return !(obj instanceof ManagedEntity) || access.allows(ctx, obj, READ);
    });
  });
}

/** What vCenter answers an operation the user holds no privilege for. */
export function unauthorized(): VapiError {
  return new VapiError('unauthorized', [message('vapi.security.authorization.invalid', 'Unable to authorize user')]);
}

function privilegeOf(op: Operation): string {
  return changes.find(([pattern]) => pattern.test(op))?.[1] ?? otherChanges;
}

function operation(route: RestRoute, flavour: Flavour): Operation {
  const path = typeof route.path === 'string' ? route.path : (route.path[flavour] ?? '');
  return `${route.method} ${path}${route.action ? `/${route.action}` : ''}`;
}

function isSessionRoute(route: RestRoute, flavour: Flavour): boolean {
  const path = typeof route.path === 'string' ? route.path : (route.path[flavour] ?? '');
  return /(^|\/)session$/.test(path);
}

/** The object an operation acts on: the last path parameter naming an inventory entity, else the root folder. */
function entityNamed(vc: World, params: Record<string, string>): ManagedEntity {
  const named = Object.values(params)
    .map((id) => vc.registry.byId(id))
    .filter((obj): obj is ManagedEntity => obj instanceof ManagedEntity)
    .at(-1);
  return named ?? (vc.registry.require(vc.rootFolder) as ManagedEntity);
}
