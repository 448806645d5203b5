/**
 * The vCenter Server Appliance's management settings: access (console CLI, DCUI, shell, SSH),
 * a pending shutdown, the health of its components and syslog forwarding. Plain data, kept by
 * world snapshots and state files. A scheduled poweroff or reboot is recorded and reported, never
 * carried out: the simulator keeps serving.
 */
import { refuse } from './service-error.js';

export type HealthLevel = 'green' | 'yellow' | 'orange' | 'red' | 'gray';
export const HEALTH_COMPONENTS = ['system', 'mem', 'load', 'storage', 'swap', 'database-storage', 'softwarepackages', 'applmgmt'] as const;
export type HealthComponent = (typeof HEALTH_COMPONENTS)[number];

export type AccessService = 'consolecli' | 'dcui' | 'ssh';

export interface ShutdownConfig {
  shutdown_time?: string;
  action: '' | 'poweroff' | 'reboot';
  reason: string;
}

export interface Forwarding {
  hostname: string;
  port: number;
  protocol: 'TLS' | 'UDP' | 'TCP' | 'RELP';
}

/** vCenter keeps at most three syslog destinations. */
const MAX_FORWARDING = 3;
/** Longest shell session vCenter allows to be enabled for: a day, in seconds. */
const MAX_SHELL_TIMEOUT = 86_400;

export class ApplianceStore {
  /** As a freshly deployed appliance: console, DCUI and SSH on, the bash shell off. */
  private access: Record<AccessService, boolean> = { consolecli: true, dcui: true, ssh: true };
  private shell = { enabled: false, timeout: 0 };
  private shutdown: ShutdownConfig = { action: '', reason: '' };
  private health: Record<HealthComponent, HealthLevel> = Object.fromEntries(HEALTH_COMPONENTS.map((c) => [c, 'green'])) as Record<HealthComponent, HealthLevel>;
  private forwarding: Forwarding[] = [];

  constructor(private readonly now: () => Date) {}

  getAccess(service: AccessService): boolean {
    return this.access[service];
  }

  setAccess(service: AccessService, enabled: boolean): void {
    this.access = { ...this.access, [service]: enabled };
  }

  getShell(): { enabled: boolean; timeout: number } {
    return { ...this.shell };
  }

  setShell(enabled: boolean, timeout: number): void {
    if (enabled && (timeout <= 0 || timeout > MAX_SHELL_TIMEOUT)) {
      refuse('invalid_argument', 'com.vmware.appliance.access.shell.invalid_timeout', `The shell timeout must be between 1 and ${MAX_SHELL_TIMEOUT} seconds.`, [String(timeout)]);
    }
    this.shell = { enabled, timeout: enabled ? timeout : 0 };
  }

  getShutdown(): ShutdownConfig {
    return { ...this.shutdown };
  }

  /** Schedules a poweroff or reboot `delayMinutes` from now (0: at once); one at a time. */
  scheduleShutdown(action: 'poweroff' | 'reboot', delayMinutes: number, reason: string): void {
    if (delayMinutes < 0) refuse('invalid_argument', 'com.vmware.appliance.shutdown.invalid_delay', 'The shutdown delay cannot be negative.', [String(delayMinutes)]);
    if (!reason) refuse('invalid_argument', 'com.vmware.appliance.shutdown.reason_required', 'A shutdown needs a reason.');
    const when = new Date(this.now().getTime() + delayMinutes * 60_000);
    this.shutdown = { shutdown_time: when.toISOString(), action, reason };
  }

  cancelShutdown(): void {
    if (!this.shutdown.action) refuse('not_allowed_in_current_state', 'com.vmware.appliance.shutdown.none_pending', 'No shutdown is pending.');
    this.shutdown = { action: '', reason: '' };
  }

  getHealth(component: HealthComponent): HealthLevel {
    return this.health[component];
  }

  /** For drills: a component turns yellow, red, ...; `system` is the worst of all. */
  setHealth(component: HealthComponent, level: HealthLevel): void {
    this.health = { ...this.health, [component]: level };
  }

  /** The overall health: the worst component's. */
  systemHealth(): HealthLevel {
    const order: HealthLevel[] = ['gray', 'green', 'yellow', 'orange', 'red'];
    return Object.values(this.health).reduce((worst, level) => (order.indexOf(level) > order.indexOf(worst) ? level : worst), 'green' as HealthLevel);
  }

  getForwarding(): Forwarding[] {
    return this.forwarding.map((f) => ({ ...f }));
  }

  setForwarding(list: Forwarding[]): void {
    if (list.length > MAX_FORWARDING) refuse('invalid_argument', 'com.vmware.appliance.logging.forwarding.too_many', `At most ${MAX_FORWARDING} forwarding destinations.`, [String(list.length)]);
    this.forwarding = list.map((f) => ({ ...f }));
  }
}
