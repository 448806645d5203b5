import { entityArguments } from '../core/event-manager.js';
import { faults, VimFault } from '../core/fault.js';
import { addRef, datacenterOf, ManagedEntity, removeRef, resourceInUse } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { Folder } from '../core/folder.js';
import type { Datacenter } from '../core/datacenter.js';
import type { Network } from './network.js';
import * as dvsOps from './dvs-operations.js';

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
  /** The key the switch gives its next port (keys are unique on the switch). */
  nextPortKey = 0;

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

  /** Destroy_Task: VMs whose NICs are on the switch now make it ResourceInUse (summary.vm may still name VMs since gone). */
  override checkDestroy(ctx: CallContext): void {
    for (const ref of this.portgroup) (ctx.vc.registry.get(ref) as Network | undefined)?.checkDestroy();
    if (dvsOps.switchPorts(ctx, this).some((p) => p.nic)) throw resourceInUse(this);
  }

  /** Destroys its portgroups, lets its hosts go, then leaves the inventory with DvsDestroyedEvent. */
  override destroy(ctx: CallContext): void {
    for (const ref of [...this.portgroup]) (ctx.vc.registry.get(ref) as Network | undefined)?.destroy(ctx);
    for (const ref of [...(this.summary.hostMember as MoRef[])]) {
      const host = ctx.vc.registry.get(ref);
      if (host) dvsOps.leaveSwitch(ctx, this, host as never);
    }
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

  AddDVPortgroup_Task(ctx: CallContext, { spec }: { spec: DataObject[] }): MoRef {
    return this.task(ctx, 'AddDVPortgroup_Task', 'DistributedVirtualSwitch.addPortgroups', () => {
      const names = spec.map((s) => String(s.name ?? ''));
      if (new Set(names).size !== names.length) throw faults.invalidArgument('spec.name');
      for (const one of spec) dvsOps.addPortgroup(ctx, this, one);
      return undefined;
    });
  }

  CreateDVPortgroup_Task(ctx: CallContext, { spec }: { spec: DataObject }): MoRef {
    return this.task(ctx, 'CreateDVPortgroup_Task', 'DistributedVirtualSwitch.createPortgroup', () => dvsOps.addPortgroup(ctx, this, spec).self);
  }

  /** Name, settings and host members (add, edit, remove), all checked before any is applied. */
  ReconfigureDvs_Task(ctx: CallContext, { spec }: { spec: DataObject }): MoRef {
    return this.task(ctx, 'ReconfigureDvs_Task', 'DistributedVirtualSwitch.reconfigure', () => {
      dvsOps.checkConfigVersion(this.config, spec);
      const changes = dvsOps.hostChanges(ctx, spec);
      const members = (this.summary.hostMember as MoRef[]).map((r) => r.value);
      for (const { operation, host } of changes) {
        if (operation === 'add' && members.includes(host.self.value)) throw new VimFault('AlreadyExists', { name: host.name }, `The host ${host.name} is already a member of ${this.name}.`);
        if (operation !== 'add' && !members.includes(host.self.value)) throw faults.notFound(`The host ${host.name} is no member of ${this.name}.`);
      }
      if (spec.name !== undefined && spec.name !== this.name) this.checkRename(ctx, String(spec.name));
      dvsOps.applySwitchConfig(this, spec);
      for (const { operation, host, backing } of changes) {
        if (operation === 'add') dvsOps.joinSwitch(ctx, this, host, backing);
        else if (operation === 'remove') dvsOps.leaveSwitch(ctx, this, host);
        else if (backing) {
          const member = (this.config.host as DataObject[]).find((m) => ((m.config as DataObject).host as MoRef).value === host.self.value)!;
          (member.config as DataObject).backing = backing;
        }
      }
      if (spec.name !== undefined && spec.name !== this.name) this.rename(String(spec.name));
      dvsOps.bumpConfigVersion(this.config);
      ctx.vc.registry.changed(this);
      ctx.vc.events.post(ctx, { _type: 'DvsReconfiguredEvent', fullFormattedMessage: `The vSphere Distributed Switch ${this.name} was reconfigured.`, dvs: { dvs: this.self, name: this.name }, configSpec: spec });
      return undefined;
    });
  }

  /** The switch's ports matching `criteria` (portgroup, keys, connected, inside a portgroup, uplink). */
  FetchDVPorts(ctx: CallContext, { criteria }: { criteria?: DataObject }): DataObject[] {
    const c = criteria ?? {};
    return dvsOps
      .switchPorts(ctx, this)
      .filter((p) => !(c.portgroupKey as string[] | undefined)?.length || (c.portgroupKey as string[]).includes(p.portgroup.key))
      .filter((p) => !(c.portKey as string[] | undefined)?.length || (c.portKey as string[]).includes(p.key))
      .filter((p) => c.connected === undefined || c.connected === !!p.nic)
      .filter((p) => c.uplinkPort === undefined || c.uplinkPort === (p.portgroup.config.uplink === true))
      .filter((p) => c.inside !== false)
      .map((p) => ({
        key: p.key,
        config: { name: '', setting: p.portgroup.config.defaultPortConfig, configVersion: '0' },
        dvsUuid: this.uuid,
        portgroupKey: p.portgroup.key,
        proxyHost: p.vm?.runtime.host,
        connectee: p.nic ? { connectedEntity: p.vm!.self, nicKey: String(p.nic.key), type: 'vmVnic' } : undefined,
        conflict: false,
        state: { runtimeInfo: { linkUp: !!p.nic && p.vm!.runtime.powerState === 'poweredOn', blocked: false, trunkingMode: false, vmDirectPathGen2Active: false, blockedByAdmin: false, vmDirectPathGen2InactiveReasonNetwork: [], vmDirectPathGen2InactiveReasonOther: [] }, stats: {} },
        connectionCookie: p.nic ? 1 : undefined,
        lastStatusChange: this.config.createTime,
        hostLocalPort: false,
      }));
  }

  /** The port states are computed on every fetch: nothing to refresh. */
  RefreshDVPortState(ctx: CallContext, { portKeys }: { portKeys?: string[] }): void {
    const known = new Set(dvsOps.switchPorts(ctx, this).map((p) => p.key));
    const unknown = (portKeys ?? []).find((k) => !known.has(k));
    if (unknown !== undefined) throw faults.notFound(`The port ${unknown} is not on ${this.name}.`);
  }

  private checkRename(ctx: CallContext, name: string): void {
    const parent = this.parent && (ctx.vc.registry.get(this.parent) as Folder | undefined);
    const dcRef = parent && datacenterOf(ctx.vc.registry, parent);
    const dc = dcRef && ctx.vc.registry.get(dcRef) as Datacenter | undefined;
    const taken = [...(dc?.network ?? []), ...(parent?.childEntity ?? [])].map((r) => ctx.vc.registry.get(r) as ManagedEntity | undefined).find((n) => n?.name === name && n !== this);
    if (taken) throw faults.duplicateName(name, taken.self);
  }

  private task(ctx: CallContext, method: string, descriptionId: string, run: () => unknown): MoRef {
    return ctx.vc.tasks.start(ctx, { method, descriptionId, entity: this, run });
  }
}

/** Unlinks a switch or portgroup from its folder, datacenter and hosts, then from the registry. */
export function removeNetwork(ctx: CallContext, entity: ManagedEntity & { host?: MoRef[] }): void {
  const { registry } = ctx.vc;
  const folder = entity.parent && (registry.get(entity.parent) as Folder | undefined);
  if (folder) {
    removeRef(folder.childEntity, entity.self);
    registry.structureChanged(folder);
  }
  for (const dc of registry.ofType<Datacenter>('Datacenter')) {
    if (!dc.network.some((r) => r.value === entity.self.value)) continue;
    removeRef(dc.network, entity.self);
    registry.changed(dc);
  }
  for (const ref of entity.host ?? []) {
    const host = registry.get(ref) as (ManagedEntity & { network: MoRef[]; parent?: MoRef }) | undefined;
    if (!host) continue;
    removeRef(host.network, entity.self);
    const cr = host.parent && (registry.get(host.parent) as (ManagedEntity & { network?: MoRef[] }) | undefined);
    if (cr?.network) removeRef(cr.network, entity.self);
    registry.changed(host);
  }
  registry.remove(entity.self);
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
