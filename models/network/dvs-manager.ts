/**
 * DistributedVirtualSwitchManager: finds switches and portgroups by UUID and key, and tells what
 * switches and portgroups a host (or a switch) offers VMs (QueryDvsConfigTarget).
 */
import { faults } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { DistributedVirtualPortgroup } from './distributed-virtual-portgroup.js';
import type { DistributedVirtualSwitch } from './distributed-virtual-switch.js';
import { portgroupsOf } from './dvs-operations.js';

export class DistributedVirtualSwitchManager extends ManagedObject {
  QueryDvsByUuid(ctx: CallContext, { uuid }: { uuid: string }): MoRef {
    return this.switchByUuid(ctx, uuid).self;
  }

  DVSManagerLookupDvPortGroup(ctx: CallContext, { switchUuid, portgroupKey }: { switchUuid: string; portgroupKey: string }): MoRef {
    const pg = portgroupsOf(ctx, this.switchByUuid(ctx, switchUuid)).find((p) => p.key === portgroupKey);
    if (!pg) throw faults.notFound(`No portgroup ${portgroupKey} on the switch ${switchUuid}.`);
    return pg.self;
  }

  /** The switches `host` is a member of (or `dvs` alone), and their portgroups. */
  QueryDvsConfigTarget(ctx: CallContext, { host, dvs }: { host?: MoRef; dvs?: MoRef }): DataObject {
    if (host) ctx.vc.registry.require(host);
    const switches = (dvs ? [ctx.vc.registry.require<DistributedVirtualSwitch>(dvs)] : this.switches(ctx)).filter(
      (d) => !host || (d.summary.hostMember as MoRef[]).some((r) => r.value === host.value),
    );
    return {
      distributedVirtualPortgroup: switches.flatMap((d) => portgroupsOf(ctx, d).map((pg) => portgroupInfo(d, pg))),
      distributedVirtualSwitch: switches.map((d) => ({ switchName: d.name, switchUuid: d.uuid, distributedVirtualSwitch: d.self, isDvsCompatible: true })),
    };
  }

  private switches(ctx: CallContext): DistributedVirtualSwitch[] {
    return ctx.vc.registry.ofType<DistributedVirtualSwitch>('VmwareDistributedVirtualSwitch').concat(ctx.vc.registry.ofType('DistributedVirtualSwitch'));
  }

  private switchByUuid(ctx: CallContext, uuid: string): DistributedVirtualSwitch {
    const dvs = this.switches(ctx).find((d) => d.uuid === uuid);
    if (!dvs) throw faults.notFound(`No distributed switch has the UUID ${uuid}.`);
    return dvs;
  }
}

function portgroupInfo(dvs: DistributedVirtualSwitch, pg: DistributedVirtualPortgroup): DataObject {
  return {
    switchName: dvs.name,
    switchUuid: dvs.uuid,
    portgroupName: pg.name,
    portgroupKey: pg.key,
    portgroupType: pg.config.type,
    uplinkPortgroup: pg.config.uplink === true,
    portgroup: pg.self,
    networkReservationSupported: false,
  };
}
