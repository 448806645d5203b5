import { VimFault } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import { MoRef, type DataObject } from '../core/moref.js';
import { decodeLicense, EVAL_KEY } from './licenses.js';

interface Assignment {
  entityId: string;
  licenseKey: string;
  entityDisplayName?: string;
}

/** Interface of LicenseManager this needs (license-manager.ts): its installed licenses. */
interface Licenses {
  find(licenseKey: string): DataObject | undefined;
}

/**
 * Which license each licensable entity uses: the vCenter (by its instance UUID) and every host
 * (by moref id). An entity with no assignment of its own uses the evaluation license.
 */
export class LicenseAssignmentManager extends ManagedObject {
  /** Assignments made (not a vSphere property). */
  assignments: Assignment[] = [];

  /** Every licensable entity's assignment, or the one of `entityId` (none for an unknown entity). */
  QueryAssignedLicenses(ctx: CallContext, { entityId }: { entityId?: string } = {}): DataObject[] {
    const entities = this.licensable(ctx).filter((e) => !entityId || e.id === entityId);
    return entities.map(({ id, name, scope }) => {
      const assigned = this.assignments.find((a) => a.entityId === id);
      const key = assigned?.licenseKey ?? EVAL_KEY;
      return { _type: 'LicenseAssignmentManagerLicenseAssignment', entityId: id, scope, entityDisplayName: assigned?.entityDisplayName ?? name, assignedLicense: this.licenses(ctx).find(key) ?? decodeLicense(key) };
    });
  }

  /** Assigns an installed license (InvalidArgument for another) to a licensable entity (LicenseEntityNotFound for another). */
  UpdateAssignedLicense(ctx: CallContext, { entity, licenseKey, entityDisplayName }: { entity: string; licenseKey: string; entityDisplayName?: string }): DataObject {
    this.checkEntity(ctx, entity);
    const license = this.licenses(ctx).find(licenseKey);
    if (!license) throw new VimFault('InvalidArgument', { invalidProperty: 'licenseKey' }, `The license ${licenseKey} is not installed.`);
    this.assignments = [...this.assignments.filter((a) => a.entityId !== entity), { entityId: entity, licenseKey, entityDisplayName }];
    ctx.vc.registry.changed(this);
    return license;
  }

  /** The entity goes back to the evaluation license. */
  RemoveAssignedLicense(ctx: CallContext, { entityId }: { entityId: string }): void {
    this.checkEntity(ctx, entityId);
    this.assignments = this.assignments.filter((a) => a.entityId !== entityId);
    ctx.vc.registry.changed(this);
  }

  private checkEntity(ctx: CallContext, entityId: string): void {
    if (!this.licensable(ctx).some((e) => e.id === entityId)) throw new VimFault('LicenseEntityNotFound', { entityId }, `The entity ${entityId} cannot be found.`);
  }

  private licensable(ctx: CallContext): { id: string; name: string; scope?: string }[] {
    const about = ctx.vc.content.about as DataObject;
    const hosts = ctx.vc.registry.ofType<ManagedObject & { name: string }>('HostSystem').map((h) => ({ id: h.self.value, name: h.name }));
    return [{ id: String(about.instanceUuid), name: String(about.name), scope: String(about.instanceUuid) }, ...hosts];
  }

  private licenses(ctx: CallContext): Licenses {
    return ctx.vc.registry.require(ctx.vc.content.licenseManager as MoRef) as unknown as Licenses;
  }
}
