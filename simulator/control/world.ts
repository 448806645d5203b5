/**
 * World actions on hosts and datastores: `host-disconnect`, `host-reconnect` and `datastore-fill`.
 * Each changes the inventory as vCenter would show it (properties, events) and tells the registry,
 * so SOAP, REST and PropertyCollector clients all see it at once.
 */
import { z } from 'zod';
import type { Datastore } from '../../models/storage/datastore.js';
import type { HostSystem } from '../../models/host/host-system.js';
import type { VCenter } from '../../models/vcenter.js';

export const hostSelectSchema = z
  .strictObject({
    host: z.string().min(1).optional().describe('The host\'s managed object id (host-21)'),
    name: z.string().min(1).optional().describe('The host\'s name (DC0_H0)'),
  })
  .refine((b) => (b.host === undefined) !== (b.name === undefined), { message: 'give exactly one of host or name', path: ['host'] })
  .describe('Which host: by id or by name');

export const hostActionResultSchema = z.object({
  host: z.string().describe('The host\'s managed object id'),
  connectionState: z.enum(['connected', 'disconnected']),
  changed: z.boolean().describe('False when the host already was in that state'),
  vms: z.int().describe('VMs on the host whose connectionState changed'),
});

export const datastoreFillSchema = z
  .strictObject({
    datastore: z.string().min(1).describe('The datastore\'s managed object id or name'),
    freeSpace: z.int().min(0).optional().describe('Free space left, bytes'),
    freePercent: z.number().min(0).max(100).optional().describe('Free space left, percent of the capacity'),
  })
  .refine((b) => (b.freeSpace === undefined) !== (b.freePercent === undefined), {
    message: 'give exactly one of freeSpace or freePercent',
    path: ['freeSpace'],
  })
  .describe('Sets summary.freeSpace and info.freeSpace: later disk growth fails with InsufficientDiskSpace');

export const datastoreFillResultSchema = z.object({
  datastore: z.string(),
  capacity: z.int(),
  freeSpace: z.int(),
});

export type HostSelect = z.input<typeof hostSelectSchema>;
export type HostActionResult = z.output<typeof hostActionResultSchema>;
export type DatastoreFill = z.input<typeof datastoreFillSchema>;
export type DatastoreFillResult = z.output<typeof datastoreFillResultSchema>;

/** A world action refused: bad input (400) or no such object (404), naming the field. */
export class WorldActionError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly field: string,
    message: string,
    readonly issues?: z.ZodError,
  ) {
    super(message);
  }
}

/** The TypeScript face of /_sim/actions/host-* and datastore-fill. */
export interface WorldActionsApi {
  /** The host and its VMs become disconnected; HostDisconnectedEvent is posted. */
  hostDisconnect(select: HostSelect): HostActionResult;
  /** The host and its VMs become connected; HostConnectedEvent is posted. */
  hostReconnect(select: HostSelect): HostActionResult;
  /** Sets the datastore's free space (bytes or percent of capacity). */
  datastoreFill(fill: DatastoreFill): DatastoreFillResult;
}

export class WorldActions implements WorldActionsApi {
  constructor(private readonly vc: VCenter) {}

  hostDisconnect(select: HostSelect): HostActionResult {
    return this.setConnection(select, 'disconnected');
  }

  hostReconnect(select: HostSelect): HostActionResult {
    return this.setConnection(select, 'connected');
  }

  datastoreFill(fill: DatastoreFill): DatastoreFillResult {
    const { datastore: wanted, freeSpace, freePercent } = parse(datastoreFillSchema, fill);
    const ds = this.vc.registry
      .ofType<Datastore>('Datastore')
      .find((d) => d.self.value === wanted || d.name === wanted);
    if (!ds) throw new WorldActionError(404, 'datastore', `No datastore '${wanted}'`);
    const capacity = Number(ds.summary.capacity ?? 0);
    const free = freeSpace !== undefined ? freeSpace : Math.round((capacity * freePercent!) / 100);
    if (free > capacity) throw new WorldActionError(400, 'freeSpace', `freeSpace ${free} exceeds the capacity ${capacity}`);
    ds.summary.freeSpace = free;
    ds.info.freeSpace = free;
    this.vc.registry.changed(ds);
    return { datastore: ds.self.value, capacity, freeSpace: free };
  }

  private setConnection(select: HostSelect, state: 'connected' | 'disconnected'): HostActionResult {
    const { host: id, name } = parse(hostSelectSchema, select);
    const host = this.vc.registry.ofType<HostSystem>('HostSystem').find((h) => (id !== undefined ? h.self.value === id : h.name === name));
    if (!host) throw new WorldActionError(404, id !== undefined ? 'host' : 'name', `No host '${id ?? name}'`);
    const vms = host.setConnectionState({ vc: this.vc }, state);
    if (vms === undefined) return { host: host.self.value, connectionState: state, changed: false, vms: 0 };
    return { host: host.self.value, connectionState: state, changed: true, vms };
  }
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.code === 'unrecognized_keys' ? issue.keys[0]! : issue.path.map(String).join('.');
  throw new WorldActionError(400, field, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), parsed.error);
}
