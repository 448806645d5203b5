import { entityArguments } from './event-manager.js';
import { faults, VimFault } from './fault.js';
import { ManagedObject, type CallContext } from './managed-object.js';
import { MoRef, type DataObject } from './moref.js';
import type { Registry } from './registry.js';

/** The CustomFieldsManager (which imports this module), when the instance has one: vCenter's does, a host's not. */
interface FieldSource {
  fieldsFor(ctx: CallContext, type: string): DataObject[];
  definitionFor(ctx: CallContext, name: string, type: string): DataObject;
}

function customFields(ctx: CallContext): FieldSource | undefined {
  const ref = ctx.vc.content.customFieldsManager as MoRef | undefined;
  const manager = ref && (ctx.vc.registry.get(ref) as Partial<FieldSource> | undefined);
  return manager?.fieldsFor ? (manager as FieldSource) : undefined;
}

/**
 * Base of the inventory's objects (folders, datacenters, hosts, VMs, ...): the properties of
 * ExtensibleManagedObject and ManagedEntity, with the values vCenter gives a healthy object.
 */
export class ManagedEntity extends ManagedObject {
  override get inInventoryTree(): boolean {
    return true;
  }

  value: DataObject[] = [];
  availableField: DataObject[] = [];
  /** Unset only for the root folder. */
  parent?: MoRef;
  customValue: DataObject[] = [];
  overallStatus = 'green';
  configStatus = 'green';
  configIssue: DataObject[] = [];
  /** Read per caller from the roles its permissions give (models/admin/access.ts). */
  effectiveRole: number[] = [-1];
  permission: DataObject[] = [];
  name = '';
  disabledMethod: string[] = [];
  recentTask: MoRef[] = [];
  declaredAlarmState: DataObject[] = [];
  triggeredAlarmState: DataObject[] = [];
  alarmActionsEnabled?: boolean = true;
  tag: DataObject[] = [];

  override read(name: string, ctx: CallContext): unknown {
    if (name === 'availableField') {
      const fields = customFields(ctx);
      if (fields) return fields.fieldsFor(ctx, this.self.type);
    }
    if (name === 'effectiveRole') return ctx.vc.access.rolesOn(ctx.session?.userName, this);
    return super.read(name, ctx);
  }

  /** Re-reads the entity's state from its host: the simulated state is always current, so nothing to do. */
  Reload(_ctx: CallContext): void {}

  /** Renames the entity; a sibling of the same name is a DuplicateName, as in vCenter. */
  Rename_Task(ctx: CallContext, { newName }: { newName: string }): MoRef {
    return ctx.vc.tasks.start(ctx, {
      method: 'Rename_Task',
      descriptionId: `${this.self.type}.rename`,
      entity: this,
      run: () => {
        this.checkNewName(ctx, newName);
        const oldName = this.name;
        this.rename(newName);
        ctx.vc.registry.changed(this);
        this.renamed(ctx, oldName);
        return undefined;
      },
    });
  }

  /**
   * ExtensibleManagedObject.setCustomValue: sets the custom field named `key` to `value`, defining
   * it for this entity's type on first use, as vCenter does. A host (no CustomFieldsManager) keeps
   * its definitions on the entity.
   */
  SetCustomValue(ctx: CallContext, { key, value }: { key: string; value: string }): void {
    const fields = customFields(ctx);
    let def = fields ? fields.definitionFor(ctx, key, this.self.type) : this.availableField.find((f) => f.name === key);
    if (!def) {
      def = { _type: 'CustomFieldDef', key: Math.max(100, ...this.availableField.map((f) => Number(f.key))) + 1, name: key, type: 'string', managedObjectType: this.self.type };
      this.availableField.push(def);
    }
    this.storeFieldValue(ctx, def.key as number, value);
  }

  /** Sets the value of field `key` (not an API method: lower-case). */
  storeFieldValue(ctx: CallContext, key: number, value: string): void {
    const values = [...this.customValue.filter((v) => v.key !== key), { _type: 'CustomFieldStringValue', key, value }];
    this.setFieldValues(ctx, values.sort((a, b) => (a.key as number) - (b.key as number)));
  }

  /** Custom field values go in customValue, value and, for VMs and hosts, summary.customValue (as vCenter reports them). */
  setFieldValues(ctx: CallContext, values: DataObject[]): void {
    this.customValue = values;
    this.value = values.map((v) => ({ ...v }));
    const summary = (this as { summary?: DataObject }).summary;
    if (summary && 'customValue' in summary) summary.customValue = values.map((v) => ({ ...v }));
    ctx.vc.registry.changed(this);
  }

  /**
   * Destroys the entity and whatever it holds. Every precondition (of the entity and of its
   * contents) is checked before anything goes, so a refused destroy changes nothing.
   */
  Destroy_Task(ctx: CallContext): MoRef {
    return ctx.vc.tasks.start(ctx, {
      method: 'Destroy_Task',
      descriptionId: `${this.self.type}.destroy`,
      entity: this,
      run: () => {
        this.checkDestroy(ctx);
        this.destroy(ctx);
        return undefined;
      },
    });
  }

  /** Throws the fault vCenter refuses to destroy this entity (or something in it) with; NotSupported for types it never destroys. */
  checkDestroy(_ctx: CallContext): void {
    throw faults.notSupported();
  }

  /** Removes the entity and what it holds from the inventory, once checkDestroy passed. */
  destroy(ctx: CallContext): void {
    this.unlink(ctx);
  }

  /** Takes the entity out of its parent's children, the tagging associations and the registry. */
  protected unlink(ctx: CallContext): void {
    const { registry } = ctx.vc;
    const parent = this.parent && (registry.get(this.parent) as (ManagedObject & { childEntity?: MoRef[] }) | undefined);
    if (parent?.childEntity) {
      removeRef(parent.childEntity, this.self);
      registry.structureChanged(parent);
    }
    ctx.vc.forgetObject(this.self.type, this.self.value);
    registry.remove(this.self);
  }

  /** Sets the name everywhere the type keeps it; types with copies of the name override it. */
  protected rename(newName: string): void {
    this.name = newName;
  }

  /** Posts what a rename of this type posts; nothing by default. */
  protected renamed(_ctx: CallContext, _oldName: string): void {}

  /** Posts `type` (DatastoreRenamedEvent, ...), the rename event of most entity types. */
  protected postRenamed(ctx: CallContext, type: string, oldName: string): void {
    ctx.vc.events.post(ctx, { _type: type, oldName, newName: this.name, fullFormattedMessage: `Renamed ${oldName} to ${this.name}`, ...entityArguments(ctx.vc.registry, this.self) });
  }

  private checkNewName(ctx: CallContext, newName: string): void {
    const parent = this.parent && (ctx.vc.registry.get(this.parent) as (ManagedObject & { childEntity?: MoRef[] }) | undefined);
    checkChildName(ctx.vc.registry, parent?.childEntity ?? [], newName, this.self, this);
  }
}

/** Adds `ref` to a list of references unless it is there already. */
export function addRef(list: MoRef[], ref: MoRef): void {
  if (!list.some((r) => r.value === ref.value && r.type === ref.type)) list.push(ref);
}

/** Removes `ref` from a list of references. */
export function removeRef(list: MoRef[], ref: MoRef): void {
  const i = list.findIndex((r) => r.value === ref.value && r.type === ref.type);
  if (i >= 0) list.splice(i, 1);
}

/** The datacenter an entity lives in, found through its parents. */
export function datacenterOf(registry: Registry, obj: ManagedObject): MoRef | undefined {
  let current: ManagedObject | undefined = obj;
  while (current) {
    if (current.self.type === 'Datacenter') return current.self;
    const parent = (current as ManagedEntity).parent as MoRef | undefined;
    current = parent ? registry.get(parent) : undefined;
  }
  return undefined;
}

/**
 * A name an entity may take among `siblings`: InvalidName (about `subject`) when empty or over 80
 * characters, DuplicateName naming the sibling (other than `except`) that has it already.
 */
export function checkChildName(registry: Registry, siblings: MoRef[], name: string, subject: MoRef, except?: ManagedEntity): void {
  if (!name || name.length > 80) throw faults.invalidName(name, subject);
  for (const ref of siblings) {
    const other = registry.get(ref) as ManagedEntity | undefined;
    if (other && other !== except && other.name === name) throw faults.duplicateName(name, other.self);
  }
}

/** Removes `ref` from the `field` list of each holder, marking the holders that listed it as changed. */
export function removeFromAll(registry: Registry, holders: Iterable<MoRef>, field: string, ref: MoRef): void {
  for (const holderRef of holders) {
    const holder = registry.get(holderRef) as (ManagedObject & Record<string, unknown>) | undefined;
    const list = holder?.[field] as MoRef[] | undefined;
    if (!holder || !list?.some((r) => r.value === ref.value)) continue;
    removeRef(list, ref);
    registry.changed(holder);
  }
}

/** What vCenter refuses to destroy an entity still in use with (a datastore with VMs, a network VMs are on). */
export function resourceInUse(entity: ManagedEntity): VimFault {
  return new VimFault('ResourceInUse', { type: entity.self.type, name: entity.name }, `The resource '${entity.name}' is in use.`);
}
