/**
 * The world as JSON (GET/PUT /_sim/state, --state and --save-on-exit files). Plain data stays
 * plain; what JSON cannot say is tagged: {"$ref": [type, id]} a moref, {"$date": iso} a date,
 * {"$typed": [type, value, array]} an anyType value, {"$map": [[k, v]...]}, {"$set": [...]},
 * {"$bytes": base64} stored bytes (content library files), {"$log": [capacity, items]} a bounded history, {"$obj": id} a managed object another
 * one points to, and "$class" the class of a managed object.
 * Functions and timers are not world data and are left out.
 */
import { BoundedLog } from '../core/bounded-log.js';
import { ManagedObject } from '../core/managed-object.js';
import { MoRef, Typed } from '../core/moref.js';
import { simulatedClasses } from './simulated-classes.js';
import type { World } from '../core/world.js';
import { isWorldObject, type WorldSnapshot } from '../core/world-state.js';

export const worldFormat = 'vcenter-sim-world/1';

/** Fields that are bookkeeping of this process, not state of the world. */
const processOnly = new Set(['changeSeq']);

export interface WorldJson {
  format: typeof worldFormat;
  idCounter: number;
  objects: unknown[];
  stores: Record<string, unknown>;
}

/** A world document is malformed or names a class this simulator does not have. */
export class WorldFormatError extends Error {
  constructor(
    message: string,
    /** The document's offending field, dotted (`format`, `objects.3`). */
    readonly field = '',
  ) {
    super(message);
  }
}

/** The live world as a JSON document (no copy of the world is made). */
export function worldToJson(vc: World): WorldJson {
  const objects = vc.registry.all().filter(isWorldObject);
  const encodeTop = (obj: object) => fields(obj, (value) => encode(value));
  return {
    format: worldFormat,
    idCounter: vc.registry.idCounter,
    objects: objects.map((obj) => ({ $class: obj.constructor.name, ...encodeTop(obj) })),
    stores: Object.fromEntries(Object.entries(vc.stores).map(([name, store]) => [name, encodeTop(store)])),
  };
}

function fields(obj: object, encodeValue: (value: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (processOnly.has(key)) continue;
    const encoded = encodeValue(value);
    if (encoded !== undefined) out[key] = encoded;
  }
  return out;
}

function encode(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (value instanceof MoRef) return { $ref: [value.type, value.value] };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (value instanceof Typed) return { $typed: [value.type, encode(value.value), value.array] };
  if (Array.isArray(value)) return value.map((item) => encode(item) ?? null);
  if (value instanceof Map) return { $map: [...value].map(([key, item]) => [key, encode(item) ?? null]) };
  if (value instanceof Set) return { $set: [...value].map((item) => encode(item) ?? null) };
  if (value instanceof BoundedLog) return { $log: [value.capacity, value.toArray().map((item) => encode(item) ?? null)] };
  if (value instanceof ManagedObject) return { $obj: value.self.value };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined; // timers, the registry: not data
  return fields(value, encode);
}

/** A snapshot made from a world document, ready for restoreWorld. */
export function worldFromJson(document: unknown): WorldSnapshot {
  const json = document as Partial<WorldJson> | null;
  if (json?.format !== worldFormat) throw new WorldFormatError(`Not a world document: "format" must be "${worldFormat}"`, 'format');
  const missing = !Number.isInteger(json.idCounter) ? 'idCounter' : !Array.isArray(json.objects) ? 'objects' : typeof json.stores !== 'object' || json.stores === null ? 'stores' : undefined;
  if (missing) throw new WorldFormatError('A world document needs "idCounter" (integer), "objects" (array) and "stores" (object)', missing);
  try {
    return decodeWorld(json as WorldJson);
  } catch (error) {
    // A tag with the wrong shape inside the document ({"$typed": null}, ...): a bad document, not a bug.
    if (error instanceof WorldFormatError) throw error;
    throw new WorldFormatError(`Malformed world document: ${(error as Error).message}`, 'objects');
  }
}

function decodeWorld(json: WorldJson): WorldSnapshot {
  const table = simulatedClasses();
  const byId = new Map<string, ManagedObject>();
  const pointers: { holder: Record<string, unknown> | unknown[]; key: string | number; id: string }[] = [];

  const decode = (value: unknown, holder: Record<string, unknown> | unknown[], key: string | number): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((item, i) => out.push(decode(item, out, i)));
      return out;
    }
    const tagged = value as Record<string, any>;
    if ('$ref' in tagged) return new MoRef(String(tagged.$ref[0]), String(tagged.$ref[1]));
    if ('$date' in tagged) return new Date(tagged.$date);
    if ('$typed' in tagged) return new Typed(tagged.$typed[0], decode(tagged.$typed[1], tagged.$typed, 1), tagged.$typed[2] === true);
    if ('$map' in tagged) return new Map((tagged.$map as [unknown, unknown][]).map(([k, v], i) => [k, decode(v, tagged.$map[i], 1)]));
    if ('$bytes' in tagged) return Buffer.from(String(tagged.$bytes), 'base64');
    if ('$log' in tagged) return BoundedLog.from(Number(tagged.$log[0]), decode(tagged.$log[1], tagged.$log, 1) as unknown[]);
    if ('$set' in tagged) return new Set((tagged.$set as unknown[]).map((v, i) => decode(v, tagged.$set, i)));
    if ('$obj' in tagged) {
      pointers.push({ holder, key, id: String(tagged.$obj) });
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(tagged)) out[name] = decode(item, out, name);
    return out;
  };

  const objects = json.objects.map((entry, index) => {
    const { $class, ...rest } = (entry ?? {}) as Record<string, unknown>;
    const Class = table.get(String($class));
    if (!Class) throw new WorldFormatError(`Unknown managed object class ${JSON.stringify($class)}`, `objects.${index}.$class`);
    const obj = Object.create(Class.prototype) as ManagedObject & Record<string, unknown>;
    for (const [name, item] of Object.entries(rest)) obj[name] = decode(item, obj, name);
    if (!(obj.self instanceof MoRef)) throw new WorldFormatError(`A ${String($class)} has no "self" moref`, `objects.${index}.self`);
    obj.changeSeq = 0;
    byId.set(obj.self.value, obj);
    return obj;
  });
  for (const { holder, key, id } of pointers) {
    const target = byId.get(id);
    if (!target) throw new WorldFormatError(`"$obj": "${id}" names no object of the document`);
    (holder as Record<string | number, unknown>)[key] = target;
  }
  const stores: Record<string, object> = {};
  for (const [name, store] of Object.entries(json.stores)) {
    const out: Record<string, unknown> = {};
    for (const [field, item] of Object.entries(store as Record<string, unknown>)) out[field] = decode(item, out, field);
    stores[name] = out;
  }
  return { objects, idCounter: json.idCounter!, stores };
}
