import { defaultPortSetting, type DistributedVirtualSwitch } from './distributed-virtual-switch.js';
import { entityArguments } from '../core/event-manager.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
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
    if (dvs) dvs.removePortgroup(ctx, this.self, this.name);
    this.detachNetwork(ctx);
    this.unlink(ctx);
  }
}
