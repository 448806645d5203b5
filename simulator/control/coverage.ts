/**
 * Which SOAP methods and REST routes were called since the journal was last cleared, how often,
 * and which of them the simulator does not implement. Unlike the journal it is not bounded by the
 * ring: one counter per distinct method, counted as each call is recorded.
 */
import { z } from 'zod';
import type { ApiCall } from '../faults/call.js';

export const coverageEntrySchema = z.object({
  api: z.enum(['soap', 'rest']),
  method: z.string().describe('SOAP method, or REST operation (METHOD /prefix/route-template; the concrete path for unknown routes)'),
  calls: z.int(),
  faults: z.int().describe('Calls answered with a fault or an HTTP error status'),
  notImplemented: z.boolean().describe('Answered MethodNotFound / NotImplemented (SOAP) or 404 for an unknown route (REST)'),
});

export const coverageSchema = z.object({
  calls: z.int().describe('Calls counted'),
  methods: z.array(coverageEntrySchema).describe('Every method or route called, most called first'),
  notImplemented: z.array(coverageEntrySchema).describe('The methods and routes called that the simulator does not implement'),
});

export type CoverageEntry = z.output<typeof coverageEntrySchema>;
export type CoverageReport = z.output<typeof coverageSchema>;

interface Counter {
  calls: number;
  faults: number;
  notImplemented: boolean;
}

/** SOAP faults that mean "no such method here", as vCenter answers them. */
const missingMethodFaults = new Set(['MethodNotFound', 'NotImplemented']);

export class Coverage {
  /** One map per API, keyed by method: no string is built per call. */
  private readonly soap = new Map<string, Counter>();
  private readonly rest = new Map<string, Counter>();

  count(call: ApiCall): void {
    const table = call.api === 'soap' ? this.soap : this.rest;
    let counter = table.get(call.method);
    if (!counter) table.set(call.method, (counter = { calls: 0, faults: 0, notImplemented: false }));
    counter.calls++;
    if (call.outcome !== 'ok' || call.status >= 400) counter.faults++;
    if (notImplemented(call)) counter.notImplemented = true;
  }

  report(): CoverageReport {
    const methods: CoverageEntry[] = [];
    for (const [api, table] of [['soap', this.soap], ['rest', this.rest]] as const) {
      for (const [method, c] of table) methods.push({ api, method, calls: c.calls, faults: c.faults, notImplemented: c.notImplemented });
    }
    methods.sort((a, b) => b.calls - a.calls || a.api.localeCompare(b.api) || a.method.localeCompare(b.method));
    return { calls: methods.reduce((sum, m) => sum + m.calls, 0), methods, notImplemented: methods.filter((m) => m.notImplemented) };
  }

  clear(): void {
    this.soap.clear();
    this.rest.clear();
  }
}

/**
 * SOAP: a missing-method fault. REST: a 404 on a call no route matched, which the REST adapter
 * names by its concrete path (`GET /api/no/such/route`) instead of a route template. Injected
 * answers do not count: the simulator never got to say.
 */
function notImplemented(call: ApiCall): boolean {
  if (call.rules !== undefined && call.outcome !== 'fault' && call.outcome !== 'ok') return false;
  if (call.api === 'soap') return call.fault !== undefined && missingMethodFaults.has(call.fault);
  return call.status === 404 && call.path !== undefined && call.method.endsWith(` ${call.path}`);
}
