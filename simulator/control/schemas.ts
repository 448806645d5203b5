/** zod schemas of the control API's bodies and queries besides the fault rules (see faults/rule-schema.ts). */
import { z } from 'zod';

export const healthSchema = z.object({ status: z.literal('ok') });
export const readinessSchema = z.object({ status: z.enum(['ready', 'starting']), objects: z.number().int().describe('Managed objects in the inventory') });

export const errorSchema = z.object({
  error: z.enum(['unauthenticated', 'invalid_argument', 'not_found']),
  message: z.string(),
  field: z.string().optional().describe('The offending field, dotted (action.fault)'),
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

export const idSchema = z.object({ id: z.string() });

export const ruleIdParams = z.strictObject({ id: z.string().describe('A rule id, as POST /_sim/faults returned it') });

export const journalQuerySchema = z.strictObject({
  api: z.enum(['soap', 'rest']).optional(),
  method: z.string().min(1).optional().describe('Method or operation; globs allowed'),
  moid: z.string().min(1).optional().describe('Managed object id; globs allowed'),
  user: z.string().min(1).optional().describe('User name; globs allowed'),
  outcome: z.enum(['ok', 'fault', 'http', 'reset', 'abandoned']).optional(),
  since: z.iso.datetime({ offset: true }).optional().describe('Calls that started at or after this time'),
  limit: z.coerce.number().int().min(1).max(1_000_000).optional().describe('The newest this many matching calls'),
});

export const journalStreamQuerySchema = journalQuerySchema.omit({ since: true, limit: true }).extend({
  after: z.coerce.number().int().min(0).optional().describe('First send the recorded calls with a greater seq (a reconnecting EventSource sends Last-Event-ID, which counts the same)'),
});

export type JournalFilter = Omit<z.input<typeof journalQuerySchema>, 'since' | 'limit'> & {
  since?: string | Date;
  limit?: number;
};

export const journalEntrySchema = z.object({
  seq: z.int().describe('Order of arrival, from 1 per simulator'),
  time: z.string().describe('When the call arrived (ISO 8601)'),
  api: z.enum(['soap', 'rest']),
  method: z.string(),
  path: z.string().optional(),
  type: z.string().optional().describe('Type of the managed object the call acts on'),
  moid: z.string().optional(),
  entityName: z.string().optional(),
  user: z.string().optional(),
  session: z.string().optional(),
  outcome: z.enum(['ok', 'fault', 'http', 'reset', 'abandoned']),
  fault: z.string().optional().describe('The vSphere fault type, when outcome is fault'),
  status: z.int().describe('HTTP status answered; 0 when nothing was (reset, abandoned)'),
  durationMs: z.number(),
  rules: z.array(z.string()).optional().describe('Ids of the fault rules that fired on the call, task rules on the call that started the task included'),
  traceparent: z.string().optional().describe("The client's W3C traceparent header, if sent"),
  operationId: z.string().optional().describe("The client's operation id (the SOAP header operationID), if sent"),
});

export type JournalEntry = z.output<typeof journalEntrySchema>;
