import { entityArguments } from '../core/event-manager.js';
import { faults } from '../core/fault.js';
import type { ManagedEntity } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import { defaultPortSetting, type DistributedVirtualSwitch } from './distributed-virtual-switch.js';
import { applyPortgroupConfig, bumpConfigVersion, checkConfigVersion, countPorts } from './dvs-operations.js';
import { Network } from './network.js';

/** A portgroup of a distributed switch; its key is its moref id, as vCenter's. */
export class DistributedVirtualPortgroup extends Network {
  key = '';
  config: DataObject = {};
  portKeys: string[] = [];

  /**
   * Sets key and config once the portgroup has its moref. An uplinks portgroup trunks every VLAN;
   * an NSX one is backed by the logical switch `logicalSwitchUuid`.
   */
  configure(dvs: MoRef, kind: { uplink?: boolean; logicalSwitchUuid?: string } = {}): void {
    this.key = this.self.value;
    const vlan = kind.uplink
      ? { _type: 'VmwareDistributedVirtualSwitchTrunkVlanSpec', inherited: false, vlanId: [{ start: 0, end: 4094 }] }
      : undefined;
    this.config = {
      key: this.key,
      name: this.name,
      numPorts: 0,
      distributedVirtualSwitch: dvs,
      defaultPortConfig: defaultPortSetting(vlan),
      type: 'earlyBinding',
      backingType: kind.logicalSwitchUuid ? 'nsx' : 'standard',
      policy: {
        _type: 'VMwareDVSPortgroupPolicy',
        blockOverrideAllowed: true,
        shapingOverrideAllowed: false,
        vendorConfigOverrideAllowed: false,
        livePortMovingAllowed: false,
        portConfigResetAtDisconnect: true,
        networkResourcePoolOverrideAllowed: false,
        trafficFilterOverrideAllowed: false,
        vlanOverrideAllowed: false,
        uplinkTeamingOverrideAllowed: false,
        securityPolicyOverrideAllowed: false,
        ipfixOverrideAllowed: false,
        macManagementOverrideAllowed: false,
      },
      scope: [],
      vendorSpecificConfig: [],
      configVersion: '0',
      autoExpand: true,
      uplink: kind.uplink ?? false,
      logicalSwitchUuid: kind.logicalSwitchUuid,
    };
    this.initSummary();
  }

  protected override rename(newName: string): void {
    super.rename(newName);
    this.config.name = newName;
  }

  /** Its switch lists it by the new name; DVPortgroupRenamedEvent. */
  protected override renamed(ctx: CallContext, oldName: string): void {
    const dvs = ctx.vc.registry.get(this.config.distributedVirtualSwitch as MoRef) as DistributedVirtualSwitch | undefined;
    const names = dvs?.summary.portgroupName as string[] | undefined;
    if (names?.includes(oldName)) {
      names[names.indexOf(oldName)] = this.name;
      ctx.vc.registry.changed(dvs!);
    }
    this.postRenamed(ctx, 'DVPortgroupRenamedEvent', oldName);
  }

  /** An uplink portgroup goes only with its switch: destroyed alone, its task fails InvalidArgument. */
  override Destroy_Task(ctx: CallContext): MoRef {
    if (!this.config.uplink) return super.Destroy_Task(ctx);
    return ctx.vc.tasks.start(ctx, {
      method: 'Destroy_Task',
      descriptionId: `${this.self.type}.destroy`,
      entity: this,
      run: () => {
        throw faults.invalidArgument('uplink', `The uplink portgroup ${this.name} goes only with its switch.`);
      },
    });
  }

  /** Leaves its switch and the inventory, with DVPortgroupDestroyedEvent; VMs on it make it ResourceInUse (checkDestroy). */
  override destroy(ctx: CallContext): void {
    const { registry } = ctx.vc;
    const dvs = registry.get(this.config.distributedVirtualSwitch as MoRef) as DistributedVirtualSwitch | undefined;
    ctx.vc.events.post(ctx, {
      _type: 'DVPortgroupDestroyedEvent',
      fullFormattedMessage: `Distributed virtual port group ${this.name} in ${dvs?.name ?? ''} was deleted.`,
      ...entityArguments(registry, this.self),
      ...(dvs ? entityArguments(registry, dvs.self) : {}),
    });
    if (dvs) {
      dvs.removePortgroup(ctx, this.self, this.name);
      countPorts(ctx, dvs);
    }
    this.detachNetwork(ctx);
    this.unlink(ctx);
  }

  /** Name, ports, binding type and default port settings; the spec must carry the current configVersion if any. */
  ReconfigureDVPortgroup_Task(ctx: CallContext, { spec }: { spec: DataObject }): MoRef {
    return ctx.vc.tasks.start(ctx, {
      method: 'ReconfigureDVPortgroup_Task',
      descriptionId: 'dvs.DistributedVirtualPortgroup.reconfigure',
      entity: this,
      run: () => {
        checkConfigVersion(this.config, spec);
        const dvs = this.switch(ctx);
        const name = spec.name === undefined ? this.name : String(spec.name);
        if (!name) throw faults.invalidName(name, this.self);
        const taken = name !== this.name && dvs.portgroup.map((r) => ctx.vc.registry.get(r) as ManagedEntity | undefined).find((p) => p?.name === name);
        if (taken) throw faults.duplicateName(name, taken.self);
        applyPortgroupConfig(ctx, dvs, this, spec);
        if (name !== this.name) {
          dvs.summary.portgroupName = (dvs.summary.portgroupName as string[]).map((n) => (n === this.name ? name : n));
          this.name = this.config.name = name;
          this.initSummary();
        }
        bumpConfigVersion(this.config);
        ctx.vc.registry.changed(this);
        ctx.vc.registry.changed(dvs);
        return undefined;
      },
    });
  }

  private switch(ctx: CallContext): DistributedVirtualSwitch {
    return ctx.vc.registry.require<DistributedVirtualSwitch>(this.config.distributedVirtualSwitch as MoRef);
  }
}
