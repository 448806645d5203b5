import { faults, VimFault } from '../core/fault.js';
import { ManagedEntity } from '../core/managed-entity.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import { entityOf } from './permissions.js';

/**
 * Custom attribute definitions (`field`). The definitions are kept here only: an entity's
 * `availableField` is read from them (ManagedEntity.read), so entities added later see them too;
 * its values (`customValue`, `value`) stay on the entity.
 */
export class CustomFieldsManager extends ManagedObject {
  field: DataObject[] = [];

  /** The definitions that apply to an entity of this type: global ones and those of its type or a base type. */
  fieldsFor(ctx: CallContext, type: string): DataObject[] {
    return this.field.filter((f) => !f.managedObjectType || ctx.vc.types.isSubtypeOf(type, f.managedObjectType as string));
  }

  AddCustomFieldDef(ctx: CallContext, { name, moType, fieldDefPolicy, fieldPolicy }: { name: string; moType?: string; fieldDefPolicy?: DataObject; fieldPolicy?: DataObject }): DataObject {
    if (moType && !ctx.vc.types.isSubtypeOf(moType, 'ManagedEntity')) throw faults.invalidArgument('moType');
    this.checkName(name, moType);
    return this.define(ctx, name, moType, fieldDefPolicy, fieldPolicy);
  }

  /** The definition goes, and with it every entity's value of the field. */
  RemoveCustomFieldDef(ctx: CallContext, { key }: { key: number }): void {
    const def = this.byKey(key);
    this.field = this.field.filter((f) => f !== def);
    ctx.vc.registry.changed(this);
    // availableField is read from the definitions: every entity it applied to has changed.
    for (const entity of this.entities(ctx, def)) entity.setFieldValues(ctx, entity.customValue.filter((v) => v.key !== key));
  }

  RenameCustomFieldDef(ctx: CallContext, { key, name }: { key: number; name: string }): void {
    const def = this.byKey(key);
    this.checkName(name, def.managedObjectType as string | undefined, key);
    this.field = this.field.map((f) => (f === def ? { ...f, name } : f));
    ctx.vc.registry.changed(this);
    for (const entity of this.entities(ctx, def)) ctx.vc.registry.changed(entity);
  }

  /** Sets the field's value on the entity; InvalidArgument for a key that is not one of the entity's fields. */
  SetField(ctx: CallContext, { entity, key, value }: { entity: MoRef; key: number; value: string }): void {
    const target = entityOf(ctx.vc.registry, entity);
    if (!this.fieldsFor(ctx, target.self.type).some((f) => f.key === key)) throw faults.invalidArgument('key');
    target.storeFieldValue(ctx, key, value ?? '');
  }

  /** The definition named `name` for the entity type `type`, made if there is none (setCustomValue's first use). */
  definitionFor(ctx: CallContext, name: string, type: string): DataObject {
    return this.fieldsFor(ctx, type).find((f) => f.name === name) ?? this.define(ctx, name, type);
  }

  private define(ctx: CallContext, name: string, moType?: string, fieldDefPrivileges?: DataObject, fieldInstancePrivileges?: DataObject): DataObject {
    const key = Math.max(100, ...this.field.map((f) => Number(f.key))) + 1;
    const def: DataObject = { _type: 'CustomFieldDef', key, name, type: 'string', managedObjectType: moType || undefined, fieldDefPrivileges, fieldInstancePrivileges };
    this.field = [...this.field, def];
    ctx.vc.registry.changed(this);
    for (const entity of this.entities(ctx, def)) ctx.vc.registry.changed(entity);
    return def;
  }

  /** DuplicateName when a definition of this name applies where this one would (global, or the same type). */
  private checkName(name: string, moType: string | undefined, key?: number): void {
    if (!name) throw new VimFault('InvalidArgument', { invalidProperty: 'name' }, 'A specified parameter was not correct: name');
    const clash = this.field.find((f) => f.key !== key && f.name === name && (!f.managedObjectType || !moType || f.managedObjectType === moType));
    if (clash) throw faults.duplicateName(name, this.self);
  }

  private byKey(key: number): DataObject {
    const def = this.field.find((f) => f.key === key);
    if (!def) throw faults.notFound(`Custom field ${key} not found.`);
    return def;
  }

  private entities(ctx: CallContext, def: DataObject): ManagedEntity[] {
    const type = def.managedObjectType as string | undefined;
    return ctx.vc.registry.all().filter((o): o is ManagedEntity => o instanceof ManagedEntity && (!type || ctx.vc.types.isSubtypeOf(o.self.type, type)));
  }
}
