/**
 * The event history a start inventory carries: what vcsim's model builder leaves behind, since it
 * builds its inventory through the API (CreateDatacenter, CreateDVS_Task, AddDVPortgroup_Task,
 * ReconfigureDvs_Task, CreateVM_Task, PowerOnVM_Task), so `govc events` on a fresh simulator lists
 * the same kinds of event. Their times are the model's fixed past, so inventories stay reproducible.
 */
import { entityArguments, type EventManager } from '../core/event-manager.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { World } from '../core/world.js';

interface Named {
  self: MoRef;
  name: string;
}

export class StartEvents {
  private readonly ctx: CallContext;
  private readonly events: EventManager;

  constructor(private readonly vc: World) {
    this.ctx = { vc };
    this.events = vc.events;
  }

  private post(event: DataObject, at: Date, chainId?: number): number {
    const posted = this.events.post(this.ctx, event, chainId);
    posted.createdTime = at;
    return posted.chainId as number;
  }

  datacenterCreated(dc: Named, parent: Named, at: Date): void {
    this.post(
      {
        _type: 'DatacenterCreatedEvent',
        parent: { _type: 'FolderEventArgument', folder: parent.self, name: parent.name },
        fullFormattedMessage: `Created datacenter ${dc.name} in folder ${parent.name}`,
        ...entityArguments(this.vc.registry, dc.self),
      },
      at,
    );
  }

  dvsCreated(dvs: Named, folder: Named, at: Date): void {
    const parent = { _type: 'FolderEventArgument', folder: folder.self, name: folder.name };
    this.post({ _type: 'DvsCreatedEvent', ...this.dvsArguments(dvs), parent, fullFormattedMessage: `A vSphere Distributed Switch ${dvs.name} was created` }, at);
  }

  portgroupCreated(dvs: Named, pg: Named, at: Date): void {
    this.post(
      {
        _type: 'DVPortgroupCreatedEvent',
        net: { _type: 'NetworkEventArgument', network: pg.self, name: pg.name },
        ...entityArguments(this.vc.registry, dvs.self),
        fullFormattedMessage: `dvPort group ${pg.name} was added to switch ${dvs.name}`,
      },
      at,
    );
  }

  /** ReconfigureDvs_Task adding a host: the host joins, the switch is reconfigured. */
  hostJoined(dvs: Named, host: Named, at: Date): void {
    const hostJoined = { _type: 'HostEventArgument', host: host.self, name: host.name };
    this.post({ _type: 'DvsHostJoinedEvent', ...this.dvsArguments(dvs), hostJoined, fullFormattedMessage: `The host ${host.name} joined the vSphere Distributed Switch ${dvs.name}` }, at);
    this.post({ _type: 'DvsReconfiguredEvent', ...this.dvsArguments(dvs), configSpec: { _type: 'VMwareDVSConfigSpec' }, fullFormattedMessage: `The vSphere Distributed Switch ${dvs.name} was reconfigured` }, at);
  }

  /** CreateVM_Task's events, then PowerOnVM_Task's when the model starts its VMs (`powerOnChain`), each in its task's chain. */
  vmCreated(vm: Named & { config?: DataObject }, host: Named, dc: Named, tasks: { created: Date; createChain: number; booted: Date; powerOnChain?: number }): void {
    const { created, booted } = tasks;
    const args = entityArguments(this.vc.registry, vm.self);
    const event = (type: string, message: string, fields: DataObject = {}) => ({ _type: type, template: false, ...args, fullFormattedMessage: message, ...fields });
    const chain = this.post(event('VmBeingCreatedEvent', `Creating ${vm.name} on host ${host.name} in ${dc.name}`), created, tasks.createChain);
    const uuid = vm.config?.uuid as string;
    const instanceUuid = vm.config?.instanceUuid as string;
    this.post(event('VmInstanceUuidAssignedEvent', `Assign a new instance UUID (${instanceUuid}) to ${vm.name}`, { instanceUuid }), created, chain);
    this.post(event('VmUuidAssignedEvent', `Assigned new BIOS UUID (${uuid}) to ${vm.name} on ${host.name} in ${dc.name}`, { uuid }), created, chain);
    this.post(event('VmCreatedEvent', `Created virtual machine ${vm.name} on ${host.name} in ${dc.name}`), created, chain);
    if (tasks.powerOnChain === undefined) return;
    const start = this.post(event('VmStartingEvent', `${vm.name} on ${host.name} in ${dc.name} is starting`), booted, tasks.powerOnChain);
    this.post(event('VmPoweredOnEvent', `${vm.name} on ${host.name} in ${dc.name} is powered on`), booted, start);
  }

  private dvsArguments(dvs: Named): DataObject {
    return { dvs: { _type: 'DvsEventArgument', dvs: dvs.self, name: dvs.name }, ...entityArguments(this.vc.registry, dvs.self) };
  }
}
