/**
 * The control API as data: each route's method, path, zod schemas and a handler that knows
 * nothing of fastify. The fastify plugin (routes.ts) and the OpenAPI document (openapi.ts) are
 * both made from this table, so the document lists exactly the routes served.
 */
import type { z } from 'zod';
import { InvalidRuleError, zodIssues } from '../faults/invalid-rule.js';
import { faultRuleSchema, faultRuleViewSchema } from '../faults/rule-schema.js';
import type { ControlPlane } from './plane.js';
import { stateRoutes } from './state-routes.js';
import { sessionsExpiredSchema, sessionsExpireSchema } from './sessions.js';
import {
  datastoreFillResultSchema,
  datastoreFillSchema,
  hostActionResultSchema,
  hostSelectSchema,
  WorldActionError,
} from './world.js';
import { clockAdvanceSchema, clockResultSchema } from './actions.js';
import { coverageSchema } from './coverage.js';
import { hostFailResultSchema } from './host-fail.js';
import { vmGuestResultSchema, vmGuestSchema } from './vm-guest.js';
import { errorSchema, healthSchema, idSchema, readinessSchema, journalEntrySchema, journalQuerySchema, journalStreamQuerySchema, ruleIdParams, type JournalEntry } from './schemas.js';

/** A schema shown in the OpenAPI document under a name (components/schemas), optionally as an array of it. */
export interface NamedSchema {
  name: string;
  schema: z.ZodType;
  array?: boolean;
}

export interface RouteInput {
  params: any;
  query: any;
  body: any;
}

export interface RouteOutput {
  status: number;
  body?: unknown;
}

export interface ControlRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OpenAPI style: /_sim/faults/{id}. */
  path: string;
  operationId: string;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: NamedSchema;
  /** The body may be left out (the handler then gets undefined). */
  bodyOptional?: boolean;
  responses: Record<number, { description: string; content?: NamedSchema; text?: string }>;
  /** Served without credentials (the OpenAPI document only). */
  public?: boolean;
  /** A plain route: one JSON answer. */
  handle?(input: RouteInput): RouteOutput;
  /**
   * A streaming route (Server-Sent Events) instead: called once the input is valid, with a sink for
   * events; returns the function that stops the events when the client leaves.
   */
  stream?(input: RouteInput, send: (event: StreamEvent) => void): () => void;
  /** A route answering text made asynchronously (the Prometheus metrics) instead. */
  text?(input: RouteInput): Promise<{ contentType: string; body: string }>;
}

/** One Server-Sent Event. */
export interface StreamEvent {
  id?: string;
  event: string;
  data: unknown;
}

/** A request the control API refuses: 400 or 404 with a JSON error. */
export class ControlError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly body: z.output<typeof errorSchema>,
  ) {
    super(body.message);
  }
}

const error = { name: 'Error', schema: errorSchema };
const badRequest = { 400: { description: 'Invalid input; `field` names the offending field', content: error } };
const notFound = { 404: { description: 'No rule with that id', content: error } };
const noSuchObject = { 404: { description: 'No such object; `field` names the field that named it', content: error } };

/** Runs a world action, its refusals as 400/404 naming the field. */
function worldAction(run: () => unknown): RouteOutput {
  try {
    return { status: 200, body: run() };
  } catch (e) {
    if (!(e instanceof WorldActionError)) throw e;
    const issues = e.issues ? zodIssues(e.issues) : undefined;
    throw new ControlError(e.status, { error: e.status === 404 ? 'not_found' : 'invalid_argument', message: e.message, field: e.field, issues });
  }
}

export function controlRouteTable(plane: ControlPlane, openApi: () => unknown): ControlRoute[] {
  const rules = plane.faults;
  const ruleOr404 = (id: string) => rules.get(id) ?? raiseNotFound(id);
  return [
    {
      method: 'GET',
      path: '/_sim/openapi.json',
      operationId: 'getOpenApi',
      summary: 'This document',
      public: true,
      responses: { 200: { description: 'The OpenAPI 3.1 document of the control API' } },
      handle: () => ({ status: 200, body: openApi() }),
    },
    {
      method: 'GET',
      path: '/_sim/health',
      operationId: 'getHealth',
      summary: 'Liveness, for container health checks and CI waits: answers as soon as the server listens',
      public: true,
      responses: { 200: { description: 'The server is up', content: { name: 'Health', schema: healthSchema } } },
      handle: () => ({ status: 200, body: { status: 'ok' } }),
    },
    {
      method: 'GET',
      path: '/_sim/ready',
      operationId: 'getReadiness',
      summary: 'Readiness: 200 once the inventory is built and the APIs answer, 503 before',
      public: true,
      responses: {
        200: { description: 'Ready, with the number of managed objects', content: { name: 'Readiness', schema: readinessSchema } },
        503: { description: 'Not ready yet', content: { name: 'Readiness', schema: readinessSchema } },
      },
      handle: () => {
        const objects = plane.inventorySize();
        return objects > 0 ? { status: 200, body: { status: 'ready', objects } } : { status: 503, body: { status: 'starting', objects } };
      },
    },
    {
      method: 'POST',
      path: '/_sim/faults',
      operationId: 'addFaultRule',
      summary: 'Add a fault rule',
      body: { name: 'FaultRule', schema: faultRuleSchema },
      responses: { 201: { description: 'The new rule\'s id', content: { name: 'Id', schema: idSchema } }, ...badRequest },
      handle: ({ body }) => ({ status: 201, body: addRule(plane, body) }),
    },
    {
      method: 'GET',
      path: '/_sim/faults',
      operationId: 'listFaultRules',
      summary: 'Every rule, with how often it matched and fired',
      responses: { 200: { description: 'The rules, in the order they are tried', content: { name: 'FaultRuleView', schema: faultRuleViewSchema, array: true } } },
      handle: () => ({ status: 200, body: rules.list() }),
    },
    {
      method: 'DELETE',
      path: '/_sim/faults',
      operationId: 'clearFaultRules',
      summary: 'Remove every rule (calls held by hang rules go on)',
      responses: { 204: { description: 'Removed' } },
      handle: () => {
        rules.clear();
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      path: '/_sim/faults/{id}',
      operationId: 'getFaultRule',
      summary: 'One rule',
      params: ruleIdParams,
      responses: { 200: { description: 'The rule', content: { name: 'FaultRuleView', schema: faultRuleViewSchema } }, ...notFound },
      handle: ({ params }) => ({ status: 200, body: ruleOr404(params.id) }),
    },
    {
      method: 'DELETE',
      path: '/_sim/faults/{id}',
      operationId: 'removeFaultRule',
      summary: 'Remove one rule (calls it holds go on)',
      params: ruleIdParams,
      responses: { 204: { description: 'Removed' }, ...notFound },
      handle: ({ params }) => {
        if (!rules.remove(params.id)) raiseNotFound(params.id);
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      path: '/_sim/journal',
      operationId: 'getJournal',
      summary: 'Recorded calls, oldest first',
      query: journalQuerySchema,
      responses: { 200: { description: 'The matching calls', content: { name: 'JournalEntry', schema: journalEntrySchema, array: true } }, ...badRequest },
      handle: ({ query }) => ({ status: 200, body: plane.journal.entries(query) }),
    },
    {
      method: 'GET',
      path: '/_sim/journal/stream',
      operationId: 'streamJournal',
      summary: 'Each call as it is recorded, as Server-Sent Events (`event: call`, `id:` its seq, `data:` the JournalEntry as JSON)',
      query: journalStreamQuerySchema,
      responses: { 200: { description: 'A text/event-stream that lasts until the client leaves', content: { name: 'JournalEntry', schema: journalEntrySchema } } },
      stream: ({ query: { after, ...filter } }, send) => {
        const event = (entry: JournalEntry) => send({ id: String(entry.seq), event: 'call', data: entry });
        if (after !== undefined) for (const entry of plane.journal.entries(filter)) if (entry.seq > after) event(entry);
        return plane.journal.follow(event, filter);
      },
    },
    {
      method: 'GET',
      path: '/_sim/coverage',
      operationId: 'getCoverage',
      summary: 'The SOAP methods and REST routes called since the journal was cleared, with counts, and those the simulator does not implement',
      responses: { 200: { description: 'Coverage', content: { name: 'Coverage', schema: coverageSchema } } },
      handle: () => ({ status: 200, body: plane.journal.coverage() }),
    },
    {
      method: 'DELETE',
      path: '/_sim/journal',
      operationId: 'clearJournal',
      summary: 'Forget every recorded call (and the coverage counts)',
      responses: { 204: { description: 'Cleared' } },
      handle: () => {
        plane.journal.clear();
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/_sim/actions/sessions-expire',
      operationId: 'expireSessions',
      summary: "End sessions (all, one user's, or one): their clients get NotAuthenticated on SOAP and 401 on REST",
      body: { name: 'SessionsExpire', schema: sessionsExpireSchema },
      bodyOptional: true,
      responses: { 200: { description: 'How many sessions ended', content: { name: 'SessionsExpired', schema: sessionsExpiredSchema } }, ...badRequest },
      handle: ({ body }) => {
        const parsed = sessionsExpireSchema.safeParse(body ?? {});
        if (!parsed.success) throw invalidInput(parsed.error, 'body');
        return { status: 200, body: plane.sessions.expire(parsed.data) };
      },
    },
    {
      method: 'POST',
      path: '/_sim/actions/host-disconnect',
      operationId: 'disconnectHost',
      summary: 'The host and its VMs become disconnected (runtime.connectionState); HostDisconnectedEvent is posted',
      body: { name: 'HostSelect', schema: hostSelectSchema },
      responses: { 200: { description: 'What changed', content: { name: 'HostActionResult', schema: hostActionResultSchema } }, ...badRequest, ...noSuchObject },
      handle: ({ body }) => worldAction(() => plane.actions.hostDisconnect(body)),
    },
    {
      method: 'POST',
      path: '/_sim/actions/host-reconnect',
      operationId: 'reconnectHost',
      summary: 'The host and its VMs become connected again; HostConnectedEvent is posted',
      body: { name: 'HostSelect', schema: hostSelectSchema },
      responses: { 200: { description: 'What changed', content: { name: 'HostActionResult', schema: hostActionResultSchema } }, ...badRequest, ...noSuchObject },
      handle: ({ body }) => worldAction(() => plane.actions.hostReconnect(body)),
    },
    {
      method: 'POST',
      path: '/_sim/actions/datastore-fill',
      operationId: 'fillDatastore',
      summary: "Set a datastore's free space (summary.freeSpace, info.freeSpace), in bytes or percent of its capacity",
      body: { name: 'DatastoreFill', schema: datastoreFillSchema },
      responses: { 200: { description: 'The datastore\'s capacity and free space now', content: { name: 'DatastoreFillResult', schema: datastoreFillResultSchema } }, ...badRequest, ...noSuchObject },
      handle: ({ body }) => worldAction(() => plane.actions.datastoreFill(body)),
    },
    {
      method: 'POST',
      path: '/_sim/actions/host-fail',
      operationId: 'failHost',
      summary:
        'The host stops responding (runtime.connectionState notResponding, HostConnectionLostEvent); in a cluster, vSphere HA restarts its powered-on VMs ' +
        'on another connected host (runtime.host, DasHostFailedEvent, VmRestartedOnAlternateHostEvent); the rest stay, disconnected. host-reconnect brings it back',
      body: { name: 'HostSelect', schema: hostSelectSchema },
      responses: { 200: { description: 'What happened', content: { name: 'HostFailResult', schema: hostFailResultSchema } }, ...badRequest, ...noSuchObject },
      handle: ({ body }) => worldAction(() => plane.actions.hostFail(body)),
    },
    {
      method: 'POST',
      path: '/_sim/actions/vm-guest',
      operationId: 'setVmGuest',
      summary: "Set what a VM's guest reports: guest.ipAddress, guest.hostName, guest.toolsRunningStatus, guest.net (and summary.guest)",
      body: { name: 'VmGuest', schema: vmGuestSchema },
      responses: { 200: { description: 'What the guest reports now', content: { name: 'VmGuestResult', schema: vmGuestResultSchema } }, ...badRequest, ...noSuchObject },
      handle: ({ body }) => worldAction(() => plane.actions.vmGuest(body)),
    },
    {
      method: 'POST',
      path: '/_sim/actions/clock-advance',
      operationId: 'advanceClock',
      summary: "Move the simulator's clock ahead: CurrentTime, task and event times and rule time windows follow",
      body: { name: 'ClockAdvance', schema: clockAdvanceSchema },
      responses: { 200: { description: 'The clock now', content: { name: 'ClockResult', schema: clockResultSchema } }, ...badRequest },
      handle: ({ body }) => worldAction(() => plane.actions.clockAdvance(body)),
    },
    {
      method: 'GET',
      path: '/metrics',
      operationId: 'getMetrics',
      summary:
        'Prometheus metrics: vcenter_sim_api_calls_total{api,method,outcome}, vcenter_sim_api_call_duration_seconds{api,method}, ' +
        'vcenter_sim_injected_faults_total{rule}, vcenter_sim_tasks{state}, vcenter_sim_sessions, vcenter_sim_inventory_objects{type}',
      responses: { 200: { description: 'The Prometheus text exposition format', text: 'text/plain; version=0.0.4' } },
      text: async () => ({ contentType: plane.metrics.contentType, body: await plane.metrics.text() }),
    },
    ...stateRoutes(plane),
  ];
}

function addRule(plane: ControlPlane, body: unknown): { id: string } {
  try {
    return plane.faults.add(body as never);
  } catch (e) {
    if (!(e instanceof InvalidRuleError)) throw e;
    throw new ControlError(400, { error: 'invalid_argument', message: e.message, field: e.field, issues: e.issues });
  }
}

/** 400 naming the first bad field of a query or path parameter. */
export function invalidInput(error: z.ZodError, where: string): ControlError {
  const issues = zodIssues(error);
  const message = issues.map((i) => `${i.field || where}: ${i.message}`).join('; ');
  return new ControlError(400, { error: 'invalid_argument', message, field: issues[0]?.field ?? '', issues });
}

function raiseNotFound(id: string): never {
  throw new ControlError(404, { error: 'not_found', message: `No fault rule '${id}'` });
}
