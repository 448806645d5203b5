import { BoundedLog } from './bounded-log.js';
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

/** Events an instance keeps by default (`eventHistorySize`); the oldest go first, as vCenter's database retention drops them. */
export const defaultEventHistory = 100_000;

/** A posted event with what filters test, read once as it is posted: every record has the same shape, the events do not. */
interface Logged {
  event: DataObject;
  type: string;
  /** Ids of the entities its arguments name. */
  entities: string[];
}

/** Posts and serves the instance's events: what every mutation reports, in order. */
export class EventManager extends ManagedObject {
  private events = new BoundedLog<Logged>(defaultEventHistory);
  private lastKey = 0;
  maxCollector = 32;
  description: DataObject = { _type: 'EventDescription', category: ['info', 'warning', 'error', 'user'], eventInfo: [] };

  override read(name: string, ctx: CallContext): unknown {
    if (name === 'latestEvent') {
      if (!ctx.vc.access.enforced || !ctx.session) return this.events.last()?.event;
      return this.events.filter((logged) => ctx.vc.access.seesRecordOf(ctx, logged.entities), 1)[0]?.event;
    }
    return super.read(name, ctx);
  }

  /** Keeps the newest `size` events from now on (the instance's `eventHistorySize`). */
  retain(size: number): void {
    this.events = this.events.resized(size);
  }

  /** A chain id for events to come (a task's): drawn from the keys, so it never equals another chain's. */
  nextChainId(): number {
    return ++this.lastKey;
  }

  /** Fills in what every event carries (key, chain, time, user) and records it; `event` is the caller's fresh object, kept as it is. */
  post(ctx: CallContext, event: DataObject, chainId?: number): DataObject {
    const key = ++this.lastKey;
    // Filled in place: a copy made by spreading would be a dictionary-mode object, several times the size.
    event.key = key;
    event.chainId = chainId ?? event.chainId ?? key;
    event.createdTime = ctx.vc.now();
    event.userName = event.userName ?? ctx.session?.userName ?? '';
    this.events.push({ event, type: event._type as string, entities: this.shared(mentioned(event)) });
    ctx.vc.registry.changed(this);
    return event;
  }

  /** `ids`, or the equal list of the event before: a task's events name the same entities, and the start history holds tens of thousands. */
  private shared(ids: string[]): string[] {
    const previous = this.events.last()?.entities;
    return previous && previous.length === ids.length && previous.every((id, i) => id === ids[i]) ? previous : ids;
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
    return this.query(ctx, filter);
  }

  CreateCollectorForEvents(ctx: CallContext, { filter }: { filter: EventFilterSpec }): MoRef {
    const session = ctx.session!;
    this.matcher(ctx, filter); // an unknown entity faults now, not at the first read
    const collector = new EventHistoryCollector(filter as DataObject, (f, newest) => this.query(ctx, f as EventFilterSpec, newest));
    collector.self = new MoRef('EventHistoryCollector', session.newObjectId());
    collector.onDestroy = () => session.objects.delete(collector.self.value);
    session.objects.set(collector.self.value, collector);
    return collector.self;
  }

  /** The events `filter` selects, oldest first; only the newest `newest` (and at most its maxCount) when given. */
  private query(ctx: CallContext, filter: EventFilterSpec, newest = Infinity): DataObject[] {
    const max = Math.min(newest, filter.maxCount || Infinity);
    return this.events.filter(this.matcher(ctx, filter), max).map((logged) => logged.event);
  }

  private matcher(ctx: CallContext, filter: EventFilterSpec): (logged: Logged) => boolean {
    const entities = filter.entity ? entitiesUnder(ctx.vc.registry, filter.entity.entity, filter.entity.recursion) : undefined;
    const types = filter.eventTypeId ?? filter.type;
    const users = filter.userName?.userList;
    const { beginTime, endTime } = filter.time ?? {};
    const { access } = ctx.vc;
    const hides = access.enforced && ctx.session !== undefined;
    return ({ event, type, entities: named }) =>
      (!types?.length || types.includes(type)) &&
      (!entities || named.some((id) => entities.has(id))) &&
      (!users?.length || users.includes(event.userName as string)) &&
      (filter.eventChainId === undefined || event.chainId === filter.eventChainId) &&
      (!beginTime || (event.createdTime as Date) >= beginTime) &&
      (!endTime || (event.createdTime as Date) <= endTime) &&
      (!hides || access.seesRecordOf(ctx, named));
  }
}

/** Event argument fields, and the field of each that holds the entity's moref. */
const argumentRefs: [field: string, refField: string][] = [
  ['vm', 'vm'],
  ['host', 'host'],
  ['computeResource', 'computeResource'],
  ['datacenter', 'datacenter'],
  ['ds', 'datastore'],
  ['net', 'network'],
  ['dvs', 'dvs'],
];

/** Ids of the entities the event's arguments name. */
function mentioned(event: DataObject): string[] {
  const ids: string[] = [];
  for (const [field, refField] of argumentRefs) {
    const id = ((event[field] as DataObject | undefined)?.[refField] as MoRef | undefined)?.value;
    if (id) ids.push(id);
  }
  return ids.slice(); // exactly its length: a pushed-to array keeps spare room, 100,000 times over
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
    args.vm = argument(obj, 'VmEventArgument', 'vm');
    host = obj.runtime?.host ? (registry.get(obj.runtime.host) as Named | undefined) : undefined;
  } else if (ref.type === 'HostSystem') {
    host = obj;
  } else if (ref.type === 'ComputeResource' || ref.type === 'ClusterComputeResource') {
    args.computeResource = argument(obj, 'ComputeResourceEventArgument', 'computeResource');
  } else if (ref.type === 'Datastore') {
    args.ds = argument(obj, 'DatastoreEventArgument', 'datastore');
  } else if (ref.type === 'Network' || ref.type === 'DistributedVirtualPortgroup') {
    args.net = argument(obj, 'NetworkEventArgument', 'network');
  } else if (ref.type.endsWith('DistributedVirtualSwitch')) {
    args.dvs = argument(obj, 'DvsEventArgument', 'dvs');
  }
  if (host) {
    args.host = argument(host, 'HostEventArgument', 'host');
    const compute = host.parent ? (registry.get(host.parent) as Named | undefined) : undefined;
    if (compute) args.computeResource = argument(compute, 'ComputeResourceEventArgument', 'computeResource');
  }
  const datacenter = datacenterOf(registry, obj);
  const dc = datacenter && (registry.get(datacenter) as Named | undefined);
  if (dc) args.datacenter = argument(dc, 'DatacenterEventArgument', 'datacenter');
  return args;
}

/** Each entity's last event argument: events share it (they never change it) until the entity is renamed. */
const eventArguments = new WeakMap<ManagedObject, DataObject>();

function argument(obj: Named, type: string, refField: string): DataObject {
  const cached = eventArguments.get(obj);
  if (cached && cached._type === type && cached.name === obj.name) return cached;
  const arg = Object.freeze({ _type: type, [refField]: obj.self, name: obj.name });
  eventArguments.set(obj, arg);
  return arg;
}
