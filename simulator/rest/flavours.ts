/**
 * What differs between the two REST faces of one operation: how the action and list filters are
 * spelled in the query, how the body is wrapped, and how results and errors are written.
 */
import type { VapiError } from './errors.js';
import { VapiMap, type Flavour, type RestRoute } from './route.js';

export type RawQuery = Record<string, string | string[] | undefined>;

export interface Reply {
  status: number;
  /** JSON text; absent for operations that return nothing. */
  body?: string;
}

export interface FlavourCodec {
  name: Flavour;
  /** The operation the query names, if any. */
  action(query: RawQuery): string | undefined;
  /** The query as the `/api` form spells it: what the route's schema validates. */
  query(raw: RawQuery, route: RestRoute): Record<string, string | string[]>;
  /** The body as the `/api` form sends it. */
  body(parsed: unknown, route: RestRoute): unknown;
  /** Path parameters as identifiers. */
  params(raw: Record<string, string>): Record<string, string>;
  /** A field named in an error message, as the client spelled it. */
  field(path: string, where: 'query' | 'body', route: RestRoute): string;
  success(result: unknown, route: RestRoute): Reply;
  error(error: VapiError): string;
}

/**
 * `/rest` writes maps as key/value lists. A VapiMap reaches the replacer already turned into an
 * object by its toJSON, so the replacer looks at the holder's original value (`this[key]`).
 */
function restReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof VapiMap ? Array.from(original, ([k, entry]) => ({ key: k, value: entry })) : value;
}

const errorType = (error: VapiError) => error.kind.toUpperCase();

const api: FlavourCodec = {
  name: 'api',
  action: (query) => first(query.action),
  query(raw) {
    const out: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(raw)) if (key !== 'action' && value !== undefined) out[key] = value;
    return out;
  },
  body: (parsed) => parsed,
  params: (raw) => raw,
  field: (path, where) => path || where,
  success(result, route) {
    if (result === undefined) return { status: 204 };
    return { status: route.created ? 201 : 200, body: JSON.stringify(result) };
  },
  error: (error) => JSON.stringify({ error_type: errorType(error), messages: error.messages }),
};

const rest: FlavourCodec = {
  name: 'rest',
  action: (query) => first(query['~action']),
  query(raw, route) {
    const out: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (key === '~action' || value === undefined) continue;
      const name = route.filterQuery ? filterField(key) : key;
      const previous = out[name];
      out[name] = previous === undefined ? value : [...asArray(previous), ...asArray(value)];
    }
    return out;
  },
  body(parsed, route) {
    if (!route.restBodyKey) return parsed;
    return isObject(parsed) ? parsed[route.restBodyKey] : undefined;
  },
  // The legacy endpoint writes identifiers in paths as `id:<id>` for cis and content resources.
  params: (raw) => Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, value.replace(/^id:/, '')])),
  field(path, where, route) {
    const prefix = where === 'query' ? (route.filterQuery ? 'filter' : '') : (route.restBodyKey ?? '');
    if (!prefix) return path || where;
    return path ? `${prefix}.${path}` : prefix;
  },
  success(result) {
    // The legacy endpoint answers every success with 200, and a void result with no body at all.
    if (result === undefined) return { status: 200 };
    return { status: 200, body: JSON.stringify({ value: result }, restReplacer) };
  },
  error: (error) =>
    JSON.stringify({
      type: `com.vmware.vapi.std.errors.${error.kind}`,
      value: { error_type: errorType(error), messages: error.messages },
    }),
};

export const flavours: Record<Flavour, FlavourCodec> = { api, rest };

/** `filter.names.2` and `filter.names` both name the filter field `names`. */
function filterField(key: string): string {
  return key.replace(/^filter\./, '').replace(/\.\d+$/, '');
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function asArray(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
