import { faults } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject } from '../core/moref.js';
import { defaultFirewallPolicy, defaultRulesets } from './host-config-defaults.js';

/** A host's firewall: its rulesets (enabled or not, which hosts they allow) and default policy. */
export class HostFirewallSystem extends ManagedObject {
  /** The rulesets are shared and frozen until this host changes one (copy on write). */
  firewallInfo: DataObject = { _type: 'HostFirewallInfo', defaultPolicy: defaultFirewallPolicy, ruleset: defaultRulesets };

  EnableRuleset(ctx: CallContext, { id }: { id: string }): void {
    this.change(ctx, id, { enabled: true });
  }

  DisableRuleset(ctx: CallContext, { id }: { id: string }): void {
    this.change(ctx, id, { enabled: false });
  }

  UpdateRuleset(ctx: CallContext, { id, spec }: { id: string; spec: DataObject }): void {
    const allowed = spec?.allowedHosts as DataObject | undefined;
    if (!allowed) throw faults.invalidArgument('spec.allowedHosts');
    for (const address of (allowed.ipAddress as string[] | undefined) ?? []) {
      if (!isIp(address)) throw faults.invalidArgument('spec.allowedHosts.ipAddress', `A specified parameter was not correct: ${address} is not an IP address`);
    }
    for (const network of (allowed.ipNetwork as DataObject[] | undefined) ?? []) {
      if (!isIp(String(network.network)) || !(Number(network.prefixLength) >= 0 && Number(network.prefixLength) <= 128)) {
        throw faults.invalidArgument('spec.allowedHosts.ipNetwork');
      }
    }
    const allowedHosts = { _type: 'HostFirewallRulesetIpList', ipAddress: allowed.ipAddress ?? [], ipNetwork: allowed.ipNetwork ?? [], allIp: allowed.allIp === true };
    this.change(ctx, id, { allowedHosts });
  }

  UpdateDefaultPolicy(ctx: CallContext, { defaultPolicy }: { defaultPolicy: DataObject }): void {
    const current = this.firewallInfo.defaultPolicy as DataObject;
    const policy = { _type: 'HostFirewallDefaultPolicy', incomingBlocked: defaultPolicy?.incomingBlocked ?? current.incomingBlocked, outgoingBlocked: defaultPolicy?.outgoingBlocked ?? current.outgoingBlocked };
    this.firewallInfo = { ...this.firewallInfo, defaultPolicy: policy };
    ctx.vc.registry.changed(this);
  }

  RefreshFirewall(_ctx: CallContext): void {}

  private change(ctx: CallContext, id: string, fields: DataObject): void {
    const rulesets = this.firewallInfo.ruleset as DataObject[];
    const current = rulesets.find((r) => r.key === id);
    if (!current) throw faults.notFound(`The ruleset '${id}' was not found.`);
    this.firewallInfo = { ...this.firewallInfo, ruleset: rulesets.map((r) => (r === current ? { ...r, ...fields } : r)) };
    ctx.vc.registry.changed(this);
  }
}

function isIp(text: string): boolean {
  return /^(\d{1,3})(\.\d{1,3}){3}$/.test(text) ? text.split('.').every((n) => Number(n) <= 255) : /^[0-9a-fA-F:]+$/.test(text) && text.includes(':');
}
