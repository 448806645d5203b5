import { faults } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject } from '../core/moref.js';
import { powerPolicies } from './host-config-defaults.js';

/** A host's CPU power management policy. */
export class HostPowerSystem extends ManagedObject {
  capability: DataObject = { _type: 'PowerSystemCapability', availablePolicy: powerPolicies };
  info: DataObject = { _type: 'PowerSystemInfo', currentPolicy: powerPolicies[1] };

  ConfigurePowerPolicy(ctx: CallContext, { key }: { key: number }): void {
    const policy = powerPolicies.find((p) => p.key === key);
    if (!policy) throw faults.invalidArgument('key', `A specified parameter was not correct: key (${key} is none of ${powerPolicies.map((p) => p.key).join(', ')})`);
    this.info = { _type: 'PowerSystemInfo', currentPolicy: policy };
    ctx.vc.registry.changed(this);
  }
}
