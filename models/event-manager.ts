import { ManagedObject, type CallContext } from './managed-object.js';
import type { DataObject } from './moref.js';
import type { Registry } from './registry.js';
import { datacenterOf } from './managed-entity.js';
import type { Task } from './task.js';
import { EventHistoryCollector } from './history-collector.js';
import { MoRef } from './moref.js';
import { entitiesUnder } from './views.js';

/** The decoded EventFilterSpec fields QueryEvents honours. */
interface EventFilterSpec {
  entity?: { entity: MoRef; recursion: 'self' | 'children' | 'all' | 'ignore' };
  time?: { beginTime?: Date; endTime?: Date };
  userName?: { userList?: string[]; systemUser?: boolean };
  eventChainId?: number;
  eventTypeId?: string[];
  type?: string[];
  maxCount?: number;
}

/** Events kept per instance; the oldest go first, as vCenter's database retention. */
const retained = 10_000;

/** Posts and serves the instance's events: what every mutation reports, in order. */
export class EventManager extends ManagedObject {
  private events: DataObject[] = [];
  private lastKey = 0;
  maxCollector = 32;
  description: DataObject = { _type: 'EventDescription', category: ['info', 'warning', 'error', 'user'], eventInfo: [] };

  override read(name: string, ctx: CallContext): unknown {
    if (name === 'latestEvent') return this.events[this.events.length - 1];
    return super.read(name, ctx);
  }

  /** A chain id for events to come (a task's): drawn from the keys, so it never equals another chain's. */
  nextChainId(): number {
    return ++this.lastKey;
  }

  /** Fills in what every event carries (key, chain, time, user) and records it. */
  post(ctx: CallContext, event: DataObject, chainId?: number): DataObject {
    const key = ++this.lastKey;
    const posted: DataObject = {
      ...event,
      key,
      chainId: chainId ?? event.chainId ?? key,
      createdTime: ctx.vc.now(),
      userName: event.userName ?? ctx.session?.userName ?? '',
    };
    this.events.push(posted);
    if (this.events.length > retained) this.events.splice(0, this.events.length - retained);
    ctx.vc.registry.changed(this);
    return posted;
  }

  /** The TaskEvent vCenter posts when a task is created. */
  postTaskEvent(ctx: CallContext, task: Task): void {
    const info = task.info;
    this.post(
      ctx,
      { _type: 'TaskEvent', info, fullFormattedMessage: `Task: ${info.descriptionId}`, ...entityArguments(ctx.vc.registry, info.entity as MoRef) },
      info.eventChainId as number,
    );
  }

  PostEvent(ctx: CallContext, { eventToPost }: { eventToPost: DataObject; taskInfo?: DataObject }): void {
    this.post(ctx, eventToPost);
  }

  QueryEvents(ctx: CallContext, { filter }: { filter: EventFilterSpec }): DataObject[] {
    const found = this.events.filter(this.matcher(ctx, filter));
    return filter.maxCount ? found.slice(-filter.maxCount) : found;
  }

  CreateCollectorForEvents(ctx: CallContext, { filter }: { filter: EventFilterSpec }): MoRef {
    const session = ctx.session!;
    this.matcher(ctx, filter); // an unknown entity faults now, not at the first read
    const collector = new EventHistoryCollector(filter as DataObject, (f) => this.QueryEvents(ctx, { filter: f as EventFilterSpec }));
    collector.self = new MoRef('EventHistoryCollector', session.newObjectId());
    collector.onDestroy = () => session.objects.delete(collector.self.value);
    session.objects.set(collector.self.value, collector);
    return collector.self;
  }

  private matcher(ctx: CallContext, filter: EventFilterSpec): (event: DataObject) => boolean {
    const entities = filter.entity ? entitiesUnder(ctx.vc.registry, filter.entity.entity, filter.entity.recursion) : undefined;
    const types = filter.eventTypeId ?? filter.type;
    const users = filter.userName?.userList;
    const { beginTime, endTime } = filter.time ?? {};
    return (event) =>
      (!entities || mentions(event, entities)) &&
      (!types?.length || types.includes(event._type as string)) &&
      (!users?.length || users.includes(event.userName as string)) &&
      (filter.eventChainId === undefined || event.chainId === filter.eventChainId) &&
      (!beginTime || (event.createdTime as Date) >= beginTime) &&
      (!endTime || (event.createdTime as Date) <= endTime);
  }

}

/** Event argument fields, and the field of each that holds the entity's moref. */
const argumentRefs: Record<string, string> = {
  vm: 'vm',
  host: 'host',
  computeResource: 'computeResource',
  datacenter: 'datacenter',
  ds: 'datastore',
  net: 'network',
  dvs: 'dvs',
};

/** Whether any of the event's entity arguments names one of `ids`. */
function mentions(event: DataObject, ids: Set<string>): boolean {
  for (const [field, refField] of Object.entries(argumentRefs)) {
    const ref = (event[field] as DataObject | undefined)?.[refField] as MoRef | undefined;
    if (ref && ids.has(ref.value)) return true;
  }
  return false;
}

type Named = ManagedObject & { name?: string; parent?: MoRef; runtime?: { host?: MoRef } };

/**
 * The entity arguments of an event about `ref` (a VM, host, ...): the VM itself, its host, the
 * host's compute resource and the datacenter, each with its name, as vCenter fills them.
 */
export function entityArguments(registry: Registry, ref: MoRef | undefined): DataObject {
  if (!ref) return {};
  const obj = registry.get(ref) as Named | undefined;
  if (!obj) return {};
  const args: DataObject = {};
  let host: Named | undefined;
  if (ref.type === 'VirtualMachine') {
    args.vm = { _type: 'VmEventArgument', vm: ref, name: obj.name };
    host = obj.runtime?.host ? (registry.get(obj.runtime.host) as Named | undefined) : undefined;
  } else if (ref.type === 'HostSystem') {
    host = obj;
  }
  if (host) {
    args.host = { _type: 'HostEventArgument', host: host.self, name: host.name };
    const compute = host.parent ? (registry.get(host.parent) as Named | undefined) : undefined;
    if (compute) args.computeResource = { _type: 'ComputeResourceEventArgument', computeResource: compute.self, name: compute.name };
  }
  const datacenter = datacenterOf(registry, obj);
  const datacenterName = datacenter && (registry.get(datacenter) as Named | undefined)?.name;
  if (datacenter) args.datacenter = { _type: 'DatacenterEventArgument', datacenter, name: datacenterName };
  return args;
}
