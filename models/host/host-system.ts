import { entityArguments } from '../core/event-manager.js';
import { ManagedEntity } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';

export type HostConnectionState = 'connected' | 'disconnected';

/**
 * An ESXi host. `summary.runtime` is the very object `runtime` is (vCenter reports the same
 * values in both), so a state change made through either shows in both.
 */
export class HostSystem extends ManagedEntity {
  runtime: DataObject = {};
  summary: DataObject = {};

  override linkShared(): void {
    this.summary.runtime = this.runtime;
  }
  hardware: DataObject = {};
  capability: DataObject = {};
  licensableResource: DataObject = { resource: [] };
  configManager: DataObject = {};
  config: DataObject = {};
  vm: MoRef[] = [];
  datastore: MoRef[] = [];
  network: MoRef[] = [];
  datastoreBrowser!: MoRef;
  systemResources?: DataObject;

  DisconnectHost_Task(ctx: CallContext): MoRef {
    return this.connectionTask(ctx, 'DisconnectHost_Task', 'disconnect', 'disconnected');
  }

  ReconnectHost_Task(ctx: CallContext, _args: { cnxSpec?: DataObject; reconnectSpec?: DataObject } = {}): MoRef {
    return this.connectionTask(ctx, 'ReconnectHost_Task', 'reconnect', 'connected');
  }

  private connectionTask(ctx: CallContext, method: string, operation: string, state: HostConnectionState): MoRef {
    return ctx.vc.tasks.start(ctx, {
      method,
      descriptionId: `HostSystem.${operation}`,
      entity: this,
      run: () => {
        this.setConnectionState(ctx, state);
        return undefined;
      },
    });
  }

  /**
   * The host and its VMs become connected or disconnected, as vCenter shows it (runtime.connectionState
   * of each), with HostConnectedEvent or HostDisconnectedEvent. Returns how many VMs changed, or
   * undefined when the host already was in that state (nothing happens then).
   */
  setConnectionState(ctx: CallContext, state: HostConnectionState): number | undefined {
    const { registry } = ctx.vc;
    if (this.runtime.connectionState === state) return undefined;
    this.runtime.connectionState = state; // summary.runtime is the same object
    registry.changed(this);
    let vms = 0;
    for (const ref of this.vm) {
      const vm = registry.get(ref) as ({ runtime?: DataObject } & Parameters<typeof registry.changed>[0]) | undefined;
      if (!vm?.runtime || vm.runtime.connectionState === state) continue;
      vm.runtime.connectionState = state;
      registry.changed(vm);
      vms++;
    }
    const event: DataObject =
      state === 'disconnected'
        ? { _type: 'HostDisconnectedEvent', reason: 'unknown', fullFormattedMessage: `Host ${this.name} disconnected` }
        : { _type: 'HostConnectedEvent', fullFormattedMessage: `Connected to ${this.name}` };
    ctx.vc.events.post(ctx, { ...event, template: false, ...entityArguments(registry, this.self) });
    return vms;
  }
}
