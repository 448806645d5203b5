import { entityArguments } from '../core/event-manager.js';
import { addRef, ManagedEntity, removeRef, resourceInUse } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { Network } from './network.js';

/** A distributed switch: its portgroups and member hosts. */
export class DistributedVirtualSwitch extends ManagedEntity {
  uuid = '';
  capability: DataObject = {
    dvsOperationSupported: true,
    dvPortGroupOperationSupported: true,
    dvPortOperationSupported: true,
    compatibleHostComponentProductInfo: [],
  };
  summary: DataObject = {};
  config: DataObject = {};
  networkResourcePool: DataObject[] = [];
  portgroup: MoRef[] = [];
  runtime: DataObject = { hostMemberRuntime: [] };

  /** Names the switch and sets its summary and config; `product` is the vCenter's about info. */
  configure(name: string, uuid: string, product: DataObject, createTime: Date): void {
    this.name = name;
    this.uuid = uuid;
    const productInfo = { name: 'DVS', vendor: product.vendor, version: product.version, build: product.build, forwardingClass: 'etherswitch' };
    this.summary = { name, uuid, numPorts: 0, productInfo, hostMember: [], vm: [], host: [], portgroupName: [], numHosts: 0 };
    this.config = {
      _type: 'VMwareDVSConfigInfo',
      uuid,
      name,
      numStandalonePorts: 0,
      numPorts: 0,
      maxPorts: 2147483647,
      uplinkPortPolicy: { _type: 'DVSNameArrayUplinkPortPolicy', uplinkPortName: ['uplink1', 'uplink2', 'uplink3', 'uplink4'] },
      uplinkPortgroup: [],
      defaultPortConfig: defaultPortSetting(),
      host: [],
      productInfo: { ...productInfo },
      policy: { autoPreInstallAllowed: false, autoUpgradeAllowed: false, partialUpgradeAllowed: false },
      configVersion: '1',
      contact: { name: '', contact: '' },
      createTime,
      networkResourceManagementEnabled: true,
      defaultProxySwitchMaxNumPorts: 512,
      healthCheckConfig: [],
      infrastructureTrafficResourceConfig: [],
      networkResourceControlVersion: 'version3',
      vmVnicNetworkResourcePool: [],
      maxMtu: 1500,
      linkDiscoveryProtocolConfig: { protocol: 'cdp', operation: 'listen' },
      lacpGroupConfig: [],
      lacpApiVersion: 'multipleLag',
      multicastFilteringMode: 'legacyFiltering',
    };
  }

  /** Adds a portgroup to the switch's lists. */
  addPortgroup(ref: MoRef, name: string, uplink: boolean): void {
    addRef(this.portgroup, ref);
    (this.summary.portgroupName as string[]).push(name);
    if (uplink) addRef(this.config.uplinkPortgroup as MoRef[], ref);
  }

  protected override rename(newName: string): void {
    super.rename(newName);
    this.summary.name = newName;
    this.config.name = newName;
  }

  protected override renamed(ctx: CallContext, oldName: string): void {
    this.postRenamed(ctx, 'DvsRenamedEvent', oldName);
  }

  /** Takes a portgroup off the switch's lists. */
  removePortgroup(ctx: CallContext, ref: MoRef, name: string): void {
    removeRef(this.portgroup, ref);
    const names = this.summary.portgroupName as string[];
    if (names.includes(name)) names.splice(names.indexOf(name), 1);
    removeRef(this.config.uplinkPortgroup as MoRef[], ref);
    ctx.vc.registry.changed(this);
  }

  /** Destroy_Task: VMs on any of its portgroups make the switch ResourceInUse. */
  override checkDestroy(ctx: CallContext): void {
    for (const ref of this.portgroup) (ctx.vc.registry.get(ref) as Network | undefined)?.checkDestroy();
    if (((this.summary.vm as MoRef[] | undefined) ?? []).length > 0) throw resourceInUse(this);
  }

  /** Destroys its portgroups, then leaves the inventory with DvsDestroyedEvent. */
  override destroy(ctx: CallContext): void {
    for (const ref of [...this.portgroup]) (ctx.vc.registry.get(ref) as Network | undefined)?.destroy(ctx);
    ctx.vc.events.post(ctx, { _type: 'DvsDestroyedEvent', fullFormattedMessage: `${this.name} in ${this.datacenterName(ctx)} was deleted`, ...entityArguments(ctx.vc.registry, this.self) });
    this.unlink(ctx);
  }

  private datacenterName(ctx: CallContext): string {
    const args = entityArguments(ctx.vc.registry, this.self).datacenter as DataObject | undefined;
    return (args?.name as string | undefined) ?? '';
  }

  /** `host` is no longer a member of the switch. */
  removeHost(host: MoRef): void {
    const summary = this.summary as { hostMember: MoRef[]; host: MoRef[]; numHosts: number };
    removeRef(summary.hostMember, host);
    removeRef(summary.host, host);
    summary.numHosts = summary.hostMember.length;
    const members = this.config.host as DataObject[];
    const index = members.findIndex((m) => ((m.config as DataObject).host as MoRef).value === host.value);
    if (index >= 0) members.splice(index, 1);
  }

  /** Makes `host` a member of the switch. */
  addHost(host: MoRef): void {
    const summary = this.summary as { hostMember: MoRef[]; host: MoRef[]; numHosts: number };
    addRef(summary.hostMember, host);
    addRef(summary.host, host);
    summary.numHosts = summary.hostMember.length;
    (this.config.host as DataObject[]).push({
      config: { host, maxProxySwitchPorts: 512, backing: { _type: 'DistributedVirtualSwitchHostMemberPnicBacking', pnicSpec: [] } },
      productInfo: { ...(this.config.productInfo as DataObject) },
      uplinkPortKey: [],
      status: 'up',
    });
  }
}

/** The distributed switch of vSphere: every switch vCenter creates is one. */
export class VmwareDistributedVirtualSwitch extends DistributedVirtualSwitch {}

/** The default port settings of a switch or portgroup: no VLAN, source-port load balancing. */
export function defaultPortSetting(vlan: DataObject = { _type: 'VmwareDistributedVirtualSwitchVlanIdSpec', inherited: false, vlanId: 0 }): DataObject {
  const bool = (value: boolean) => ({ inherited: false, value });
  return {
    _type: 'VMwareDVSPortSetting',
    blocked: bool(false),
    vmDirectPathGen2Allowed: bool(false),
    vlan,
    uplinkTeamingPolicy: {
      inherited: false,
      policy: { inherited: false, value: 'loadbalance_srcid' },
      reversePolicy: bool(true),
      notifySwitches: bool(true),
      rollingOrder: bool(false),
    },
    securityPolicy: { inherited: false, allowPromiscuous: bool(false), macChanges: bool(false), forgedTransmits: bool(false) },
    ipfixEnabled: bool(false),
    txUplink: bool(false),
  };
}
