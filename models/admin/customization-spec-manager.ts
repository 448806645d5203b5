import { faults, VimFault } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject } from '../core/moref.js';
import { deepCopier } from '../core/world-state.js';
import { defaultCustomizationSpecs } from './customization-specs.js';

/**
 * Guest customization specs, by name; `info` lists them. `info` is stored, not computed from the
 * items, so a manager loaded from a govc object.save directory (which saves `info` only) reads back
 * as saved.
 */
export class CustomizationSpecManager extends ManagedObject {
  info: DataObject[] = [];
  /** The specs themselves (not a vSphere property: clients read them with GetCustomizationSpec). */
  items: DataObject[] = [];

  /** vcsim's specs on a fresh vCenter. */
  seed(now: Date): void {
    this.items = defaultCustomizationSpecs(now);
    this.info = this.items.map((i) => i.info as DataObject);
  }

  DoesCustomizationSpecExist(_ctx: CallContext, { name }: { name: string }): boolean {
    return this.items.some((i) => nameOf(i) === name);
  }

  GetCustomizationSpec(_ctx: CallContext, { name }: { name: string }): DataObject {
    return this.required(name);
  }

  CreateCustomizationSpec(ctx: CallContext, { item }: { item: DataObject }): void {
    const name = nameOf(item);
    if (!name) throw faults.invalidArgument('item.info.name');
    this.checkFree(name);
    this.store(ctx, [...this.items, this.stamped(ctx, item, String(Math.floor(ctx.vc.now().getTime() / 1000)))]);
  }

  /** Replaces the spec of that name; ConcurrentAccess when the item's changeVersion is not the stored one. */
  OverwriteCustomizationSpec(ctx: CallContext, { item }: { item: DataObject }): void {
    const old = this.required(nameOf(item));
    const oldVersion = (old.info as DataObject).changeVersion as string;
    const given = (item.info as DataObject).changeVersion;
    if (given !== undefined && given !== oldVersion) throw new VimFault('ConcurrentAccess', {}, 'The customization spec was changed by someone else.');
    this.store(ctx, this.items.map((i) => (i === old ? this.stamped(ctx, item, String(Number(oldVersion) + 1)) : i)));
  }

  DeleteCustomizationSpec(ctx: CallContext, { name }: { name: string }): void {
    const old = this.required(name);
    this.store(ctx, this.items.filter((i) => i !== old));
  }

  DuplicateCustomizationSpec(ctx: CallContext, { name, newName }: { name: string; newName: string }): void {
    const old = this.required(name);
    this.checkFree(newName);
    const copy = deepCopier()(old);
    this.store(ctx, [...this.items, this.stamped(ctx, { ...copy, info: { ...(copy.info as DataObject), name: newName } }, String(Math.floor(ctx.vc.now().getTime() / 1000)))]);
  }

  RenameCustomizationSpec(ctx: CallContext, { name, newName }: { name: string; newName: string }): void {
    const old = this.required(name);
    this.checkFree(newName);
    this.store(ctx, this.items.map((i) => (i === old ? { ...i, info: { ...(i.info as DataObject), name: newName } } : i)));
  }

  private stamped(ctx: CallContext, item: DataObject, changeVersion: string): DataObject {
    const info = item.info as DataObject;
    return { _type: 'CustomizationSpecItem', info: { _type: 'CustomizationSpecInfo', name: info.name, description: info.description ?? '', type: info.type, changeVersion, lastUpdateTime: ctx.vc.now() }, spec: item.spec };
  }

  private checkFree(name: string): void {
    if (this.items.some((i) => nameOf(i) === name)) throw new VimFault('AlreadyExists', { name }, `The specified key, name, or identifier '${name}' already exists.`);
  }

  private required(name: string): DataObject {
    const found = this.items.find((i) => nameOf(i) === name);
    if (!found) throw faults.notFound(`The customization spec ${name} was not found.`);
    return found;
  }

  private store(ctx: CallContext, items: DataObject[]): void {
    this.items = items;
    this.info = items.map((i) => i.info as DataObject);
    ctx.vc.registry.changed(this);
  }
}

function nameOf(item: DataObject): string {
  return String((item?.info as DataObject | undefined)?.name ?? '');
}
