/**
 * The route table's types: one entry per vAPI operation, served under both `/api` and `/rest`.
 * A handler takes validated, typed input and returns plain data (or nothing); the flavour of the
 * request decides how that data and any error are put on the wire.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { CallOrigin } from '../../models/core/managed-object.js';
import type { Session } from '../../models/core/session.js';
import type { VCenter } from '../../models/vcenter.js';
import type { SignedHttpRequest, Sts } from '../sts/sts.js';

/** `/api` (vSphere 7.0 U2+: bare JSON, `?action=`) or `/rest` (6.5+: `{"value": ...}`, `?~action=`). */
export type Flavour = 'api' | 'rest';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RestContext<Query = unknown, Body = unknown> {
  vc: VCenter;
  flavour: Flavour;
  /** The caller's session; absent only in routes with `auth: 'none'`, which authenticate by themselves. */
  session?: Session;
  /** Path parameters, with the `/rest` form's `id:` prefix removed. */
  params: Record<string, string>;
  query: Query;
  body: Body;
  headers: IncomingHttpHeaders;
  remote: { address: string; userAgent: string };
  /** `https://host:port` as the client reached the server: the base of URIs it is to call (transfer endpoints). */
  origin: string;
  /** The journaled API call, when there is one: the tasks a route starts take it (task rules match its path). */
  call?: CallOrigin;
  /** The request as sent: a holder-of-key token login's signature covers its method, path, host and body. */
  http: SignedHttpRequest;
  /** The token service, which checks a login by SAML token. */
  sts?: Sts;
  /** Adds a response header (a cookie on session creation). */
  setHeader(name: string, value: string): void;
}

export interface RouteSpec<Q extends z.ZodType, B extends z.ZodType> {
  method: HttpMethod;
  /** The path under both prefixes (`/vcenter/vm/:vm`), or a different one under each (sessions). */
  path: string | { api?: string; rest?: string };
  /** The operation named by `?action=` (`/api`) or `?~action=` (`/rest`); none for plain CRUD verbs. */
  action?: string;
  /** `session` (the default): a live session is required. `none`: the handler authenticates the caller. */
  auth?: 'session' | 'none';
  query?: Q;
  body?: B;
  /** On `/rest` too the action is spelled `?action=`, as the 7.0 `/rest` services (cluster modules, vm-template) take it. */
  plainRestAction?: boolean;
  /** `/rest` wraps the body the `/api` form sends whole in one named field (`{"spec": {...}}`). */
  restBodyKey?: string;
  /** The query is a list filter: `/rest` spells its fields `filter.<field>` (or `filter.<field>.<n>`). */
  filterQuery?: boolean;
  /** `/api` answers 201 Created rather than 200. */
  created?: boolean;
  handle(ctx: RestContext<z.output<Q>, z.output<B>>): unknown;
}

export type RestRoute = RouteSpec<z.ZodType, z.ZodType>;

/** Declares one operation; the type parameters carry the schemas' output types into the handler. */
export function defineRoute<Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  spec: RouteSpec<Q, B>,
): RestRoute {
  return spec as unknown as RestRoute;
}

/**
 * A vAPI map (`map<string, T>`): `/api` writes it as a JSON object (its `toJSON`, so that `/api`
 * serialises without a replacer), `/rest` as `[{key, value}]`.
 */
export class VapiMap<T> extends Map<string, T> {
  toJSON(): Record<string, T> {
    return Object.fromEntries(this);
  }
}
