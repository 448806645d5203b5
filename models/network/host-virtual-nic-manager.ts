/**
 * HostVirtualNicManager: which of a host's VMkernel NICs carry which service (management,
 * vMotion, vSphere Replication, ...). The NICs are the host's own (`config.network.vnic`); a NIC
 * removed from the host drops out of every selection.
 */
import { faults } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { HostSystem } from '../host/host-system.js';

/** The nic types of vSphere 6.7, in the order ESX lists them. */
export const NIC_TYPES = [
  'faultToleranceLogging', 'management', 'vSphereProvisioning', 'vSphereReplication',
  'vSphereReplicationNFC', 'vmotion', 'vsan', 'vsanWitness',
];

export class HostVirtualNicManager extends ManagedObject {
  /** The host it manages (set by the builder). */
  ownerHost?: MoRef;
  /** Selected NIC devices by nic type. */
  selected: Record<string, string[]> = { management: ['vmk0'], vmotion: ['vmk0'] };

  override read(name: string, ctx: CallContext): unknown {
    // A manager loaded from a saved inventory has no host to read: it answers what was saved.
    if (name === 'info' && this.ownerHost) return { netConfig: NIC_TYPES.map((type) => this.netConfig(ctx, type)) };
    return super.read(name, ctx);
  }

  QueryNetConfig(ctx: CallContext, { nicType }: { nicType: string }): DataObject {
    if (!NIC_TYPES.includes(nicType)) throw faults.invalidArgument('nicType');
    return this.netConfig(ctx, nicType);
  }

  SelectVnicForNicType(ctx: CallContext, { nicType, device }: { nicType: string; device: string }): void {
    this.check(ctx, nicType, device);
    const list = (this.selected[nicType] ??= []);
    if (!list.includes(device)) list.push(device);
    ctx.vc.registry.changed(this);
  }

  DeselectVnicForNicType(ctx: CallContext, { nicType, device }: { nicType: string; device: string }): void {
    this.check(ctx, nicType, device);
    this.selected[nicType] = (this.selected[nicType] ?? []).filter((d) => d !== device);
    ctx.vc.registry.changed(this);
  }

  private check(ctx: CallContext, nicType: string, device: string): void {
    if (!NIC_TYPES.includes(nicType)) throw faults.invalidArgument('nicType');
    if (!this.vnics(ctx).some((v) => v.device === device)) throw faults.invalidArgument('device');
  }

  private netConfig(ctx: CallContext, nicType: string): DataObject {
    const vnics = this.vnics(ctx);
    const selected = (this.selected[nicType] ?? []).filter((d) => vnics.some((v) => v.device === d));
    return {
      nicType,
      multiSelectAllowed: true,
      candidateVnic: vnics,
      selectedVnic: selected.map((d) => `${nicType}.key-vim.host.VirtualNic-${d}`),
    };
  }

  private vnics(ctx: CallContext): DataObject[] {
    const host = this.ownerHost && (ctx.vc.registry.get(this.ownerHost) as HostSystem | undefined);
    return ((((host?.config as DataObject | undefined)?.network as DataObject | undefined)?.vnic as DataObject[] | undefined) ?? []);
  }
}
