import { faults } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';

const utc = Object.freeze({ _type: 'HostDateTimeSystemTimeZone', key: 'UTC', name: 'UTC', description: 'UTC', gmtOffset: 0 });

/** A host's clock and NTP settings; the host's `config.dateTimeInfo` is the same object. */
export class HostDateTimeSystem extends ManagedObject {
  dateTimeInfo: DataObject = { _type: 'HostDateTimeInfo', timeZone: utc, systemClockProtocol: 'ntp', ntpConfig: { _type: 'HostNtpConfig', server: [], configFile: [] } };
  /** The host this manager configures (not a vSphere property). */
  owner?: MoRef;
  /** How far this host's clock is from the simulator's, ms (UpdateDateTime sets it). */
  clockOffsetMs = 0;

  UpdateDateTimeConfig(ctx: CallContext, { config }: { config: DataObject }): void {
    const ntp = config?.ntpConfig as DataObject | undefined;
    const servers = (ntp?.server as string[] | undefined) ?? undefined;
    if (servers?.some((s) => typeof s !== 'string' || s.trim() === '' || /\s/.test(s.trim()))) throw faults.invalidArgument('config.ntpConfig.server');
    const zone = config?.timeZone as string | undefined;
    if (zone !== undefined && zone !== 'UTC') throw faults.invalidArgument('config.timeZone', `A specified parameter was not correct: config.timeZone (ESXi keeps UTC)`);
    const protocol = config?.protocol as string | undefined;
    if (protocol !== undefined && protocol !== 'ntp' && protocol !== 'ptp') throw faults.invalidArgument('config.protocol');
    const current = this.dateTimeInfo.ntpConfig as DataObject;
    const ntpConfig = ntp ? { _type: 'HostNtpConfig', server: servers ?? current.server, configFile: (ntp.configFile as string[] | undefined) ?? current.configFile } : current;
    this.set(ctx, { ...this.dateTimeInfo, ntpConfig, systemClockProtocol: protocol ?? this.dateTimeInfo.systemClockProtocol });
  }

  UpdateDateTime(ctx: CallContext, { dateTime }: { dateTime: Date }): void {
    if (!(dateTime instanceof Date) || Number.isNaN(dateTime.getTime())) throw faults.invalidArgument('dateTime');
    this.clockOffsetMs = dateTime.getTime() - ctx.vc.now().getTime();
    ctx.vc.registry.changed(this);
  }

  QueryDateTime(ctx: CallContext): Date {
    return new Date(ctx.vc.now().getTime() + this.clockOffsetMs);
  }

  QueryAvailableTimeZones(_ctx: CallContext): DataObject[] {
    return [utc];
  }

  RefreshDateTimeSystem(_ctx: CallContext): void {}

  private set(ctx: CallContext, info: DataObject): void {
    this.dateTimeInfo = info;
    ctx.vc.registry.changed(this);
    const host = this.owner && (ctx.vc.registry.get(this.owner) as (ManagedObject & { config?: DataObject }) | undefined);
    if (host?.config) {
      host.config.dateTimeInfo = info;
      ctx.vc.registry.changed(host);
    }
  }
}
