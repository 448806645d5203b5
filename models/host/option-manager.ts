import { faults, VimFault } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import { MoRef, Typed, type DataObject } from '../core/moref.js';
import { optionXsdType } from './host-config-defaults.js';
import { settingsServedAt } from '../admin/vcenter-settings.js';

const VCSIM_SERVER_URL = 'vcsim.server.url';

/**
 * Advanced settings (a host's `advancedOption`, vCenter's `setting`): `setting` holds the values,
 * `supportedOption` their definitions. Both lists may be shared frozen defaults; an update
 * replaces `setting` with this manager's own copy.
 */
export class OptionManager extends ManagedObject {
  // No initial values: a loaded or plain manager without them (vCenter's VpxSettings) reports none.
  setting?: DataObject[];
  supportedOption?: DataObject[];
  /** With no definitions (vCenter's settings): the prefix new keys need; unset, any key may be added (not a vSphere property). */
  newOptionPrefix?: string;

  override read(name: string, ctx: CallContext): unknown {
    return name === 'setting' && this.setting ? this.visibleSettings(ctx) : super.read(name, ctx);
  }

  /** Whether service URIs follow the address the simulator serves (not a vSphere property): a saved inventory's (-load) stay as saved. */
  urisAtServer = true;

  /** The settings as clients see them: service URIs (vCenter's STS) at the address the simulator serves, as vcsim points them. */
  visibleSettings(ctx: CallContext): DataObject[] {
    const { serverUrl } = ctx.vc.options;
    const settings = serverUrl && this.urisAtServer ? settingsServedAt(this.setting ?? [], serverUrl) : (this.setting ?? []);
    // vcsim tells where it serves in its own setting, which scripts written for it read (govc option.ls vcsim.server.url);
    // a loaded inventory's saved one stays as saved, as its service URIs do.
    const isServiceSettings = ctx.vc.content.setting instanceof MoRef && ctx.vc.content.setting.value === this.self.value;
    if (!serverUrl || !isServiceSettings || settings.some((o) => o.key === VCSIM_SERVER_URL)) return settings;
    return [...settings, { _type: 'OptionValue', key: VCSIM_SERVER_URL, value: `${serverUrl}/sdk` }];
  }

  /** `name` exactly, or every option under it when it ends with a dot; no name: all of them. */
  QueryOptions(ctx: CallContext, { name }: { name?: string } = {}): DataObject[] {
    const settings = this.visibleSettings(ctx);
    if (!name) return settings;
    const found = name.endsWith('.') ? settings.filter((o) => String(o.key).startsWith(name)) : settings.filter((o) => o.key === name);
    if (found.length === 0) throw new VimFault('InvalidName', { name }, `A specified parameter was not correct: ${name}`);
    return found;
  }

  /** Every value is checked against its definition before any is set: all or nothing. */
  UpdateOptions(ctx: CallContext, { changedValue }: { changedValue: DataObject[] }): void {
    const updates = (changedValue ?? []).map((option) => this.checked(option));
    const setting = [...(this.setting ?? [])];
    for (const update of updates) {
      const at = setting.findIndex((o) => o.key === update.key);
      if (at >= 0) setting[at] = update;
      else setting.push(update);
    }
    this.setting = setting;
    ctx.vc.registry.changed(this);
  }

  /** A setting without a definition: a known key keeps its value's type; a new one needs newOptionPrefix (vCenter: config.). */
  private undefinedOption(key: string, value: unknown): DataObject {
    const current = (this.setting ?? []).find((o) => o.key === key)?.value;
    if (current === undefined) {
      if (this.newOptionPrefix !== undefined && !key.startsWith(this.newOptionPrefix)) throw new VimFault('InvalidName', { name: key }, `A specified parameter was not correct: ${key}`);
      return { _type: 'OptionValue', key, value };
    }
    const old = current instanceof Typed ? current.value : current;
    if (typeof old !== typeof value) throw faults.invalidArgument(key, `A specified parameter was not correct: ${key} cannot be ${JSON.stringify(value)}`);
    return { _type: 'OptionValue', key, value: current instanceof Typed ? new Typed(current.type, value) : value };
  }

  /** The value typed as its option is, or the fault ESXi gives: InvalidName for no such option, InvalidArgument for a bad value. */
  private checked(option: DataObject): DataObject {
    const key = String(option?.key ?? '');
    const supported = this.supportedOption ?? [];
    const def = supported.find((d) => d.key === key);
    const value = option.value instanceof Typed ? option.value.value : option.value;
    if (!def) {
      // As ESXi: an unknown option can be added only as a string, under Config.*.
      if (supported.length && !(key.startsWith('Config.') && typeof value === 'string')) throw new VimFault('InvalidName', { name: key }, `A specified parameter was not correct: ${key}`);
      return this.undefinedOption(key, value);
    }
    const type = def.optionType as DataObject;
    if (type.valueIsReadonly) throw faults.invalidArgument(key, `Option ${key} is read-only`);
    const kind = type._type as string;
    const bad = () => faults.invalidArgument(key, `A specified parameter was not correct: ${key} (${kind}) cannot be ${JSON.stringify(value)}`);
    if (kind === 'StringOption') {
      if (typeof value !== 'string') throw bad();
      return { _type: 'OptionValue', key, value };
    }
    if (kind === 'BoolOption') {
      if (typeof value !== 'boolean') throw bad();
      return { _type: 'OptionValue', key, value: new Typed('boolean', value) };
    }
    const n = value;
    if (typeof n !== 'number' || !Number.isInteger(n) || (type.min !== undefined && n < (type.min as number)) || (type.max !== undefined && n > (type.max as number))) throw bad();
    return { _type: 'OptionValue', key, value: new Typed(optionXsdType[kind] ?? 'long', n) };
  }
}
