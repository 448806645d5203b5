import { faults } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import { Typed, type DataObject, type MoRef } from '../core/moref.js';
import { decodeLicense, EVAL_KEY } from './licenses.js';

/** The licenses installed in the inventory; vcsim's evaluation license to begin with. */
export class LicenseManager extends ManagedObject {
  licenses: DataObject[] = [decodeLicense(EVAL_KEY)];
  /** Set on vCenter only: a host has no assignment manager. */
  licenseAssignmentManager?: MoRef;
  /** Evaluation mode's remaining time, as vCenter reports it fresh from install (60 days). */
  evaluation: DataObject = { _type: 'LicenseManagerEvaluationInfo', properties: [{ _type: 'KeyAnyValue', key: 'expirationHours', value: new Typed('int', 1440) }] };

  /** Adds a license; one already there is answered as it is. */
  AddLicense(ctx: CallContext, { licenseKey, labels }: { licenseKey: string; labels?: DataObject[] }): DataObject {
    const known = this.find(licenseKey);
    if (known) return known;
    const info = decodeLicense(licenseKey, labels);
    this.licenses = [...this.licenses, info];
    ctx.vc.registry.changed(this);
    return info;
  }

  /** Adds the license or replaces its labels. */
  UpdateLicense(ctx: CallContext, { licenseKey, labels }: { licenseKey: string; labels?: DataObject[] }): DataObject {
    const info = decodeLicense(licenseKey, labels);
    this.licenses = this.find(licenseKey) ? this.licenses.map((l) => (l.licenseKey === licenseKey ? info : l)) : [...this.licenses, info];
    ctx.vc.registry.changed(this);
    return info;
  }

  /** Removes the license; a key not installed is no fault, as in vCenter. */
  RemoveLicense(ctx: CallContext, { licenseKey }: { licenseKey: string }): void {
    if (!this.find(licenseKey)) return;
    this.licenses = this.licenses.filter((l) => l.licenseKey !== licenseKey);
    ctx.vc.registry.changed(this);
  }

  DecodeLicense(_ctx: CallContext, { licenseKey }: { licenseKey: string }): DataObject {
    return decodeLicense(licenseKey);
  }

  UpdateLicenseLabel(ctx: CallContext, { licenseKey, labelKey, labelValue }: { licenseKey: string; labelKey: string; labelValue: string }): void {
    // As vcsim (govc license.label.set KEY LABEL ""): an empty value takes the label off.
    if (!labelValue) return this.RemoveLicenseLabel(ctx, { licenseKey, labelKey });
    const label = { _type: 'KeyValue', key: labelKey, value: labelValue };
    this.relabel(ctx, licenseKey, (labels) => (labels.some((l) => l.key === labelKey) ? labels.map((l) => (l.key === labelKey ? label : l)) : [...labels, label]));
  }

  RemoveLicenseLabel(ctx: CallContext, { licenseKey, labelKey }: { licenseKey: string; labelKey: string }): void {
    this.relabel(ctx, licenseKey, (labels) => labels.filter((l) => l.key !== labelKey));
  }

  /** What the licenses are used for: the simulator runs in evaluation mode, with no reservations. */
  QueryLicenseUsage(_ctx: CallContext, _args: { host?: MoRef } = {}): DataObject {
    return { _type: 'LicenseUsageInfo', source: { _type: 'EvaluationLicenseSource', remainingHours: 1440 }, sourceAvailable: true, reservationInfo: [], featureInfo: [] };
  }

  find(licenseKey: string): DataObject | undefined {
    return this.licenses.find((l) => l.licenseKey === licenseKey);
  }

  private relabel(ctx: CallContext, licenseKey: string, change: (labels: DataObject[]) => DataObject[]): void {
    const license = this.find(licenseKey);
    if (!license) throw faults.invalidArgument('licenseKey');
    const labels = change((license.labels as DataObject[] | undefined) ?? []);
    this.licenses = this.licenses.map((l) => (l === license ? { ...l, labels: labels.length ? labels : undefined } : l));
    ctx.vc.registry.changed(this);
  }
}
