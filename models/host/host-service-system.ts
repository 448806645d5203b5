import { faults } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject } from '../core/moref.js';
import { defaultServices } from './host-config-defaults.js';

const policies = ['on', 'off', 'automatic'];

/** A host's services (ssh, ntpd, ...): start, stop, restart, and whether they start with the host. */
export class HostServiceSystem extends ManagedObject {
  /** The services list is shared and frozen until this host changes one (copy on write). */
  serviceInfo: DataObject = { _type: 'HostServiceInfo', service: defaultServices };

  StartService(ctx: CallContext, { id }: { id: string }): void {
    this.change(ctx, id, { running: true });
  }

  StopService(ctx: CallContext, { id }: { id: string }): void {
    this.change(ctx, id, { running: false });
  }

  RestartService(ctx: CallContext, { id }: { id: string }): void {
    this.change(ctx, id, { running: true });
  }

  UpdateServicePolicy(ctx: CallContext, { id, policy }: { id: string; policy: string }): void {
    if (!policies.includes(policy)) throw faults.invalidArgument('policy', `A specified parameter was not correct: policy (one of ${policies.join(', ')})`);
    this.change(ctx, id, { policy });
  }

  RefreshServices(_ctx: CallContext): void {}

  private find(id: string): DataObject {
    const service = (this.serviceInfo.service as DataObject[]).find((s) => s.key === id);
    if (!service) throw faults.notFound(`The service '${id}' was not found.`);
    return service;
  }

  private change(ctx: CallContext, id: string, fields: DataObject): void {
    const current = this.find(id);
    const service = (this.serviceInfo.service as DataObject[]).map((s) => (s === current ? { ...s, ...fields } : s));
    this.serviceInfo = { _type: 'HostServiceInfo', service };
    ctx.vc.registry.changed(this);
  }
}
