/**
 * The shape of a fault rule, as the control API and the TypeScript API accept it. The same zod
 * schemas validate requests and generate the control API's OpenAPI document.
 */
import { z } from 'zod';

const pattern = z.string().min(1).max(1000).describe('Exact value, or a glob: * any run of characters, ? one character');

export const ruleMatchSchema = z
  .strictObject({
    api: z.enum(['soap', 'rest']).optional().describe('Which API the call came on'),
    method: pattern.optional().describe('SOAP method (RetrievePropertiesEx) or REST operation'),
    type: pattern
      .optional()
      .describe('Managed object type; a name without wildcards also matches its subtypes (ComputeResource matches clusters)'),
    moid: pattern.optional().describe('Managed object id (vm-42)'),
    entityName: pattern.optional().describe('Name of the managed entity the call acts on (DC0_H0_*)'),
    path: pattern.optional().describe('Request path (REST), e.g. /api/vcenter/vm/*'),
    user: pattern.optional().describe("The session's user name (calls before login have none)"),
    trace: pattern.optional().describe("The trace id of the call's W3C traceparent header (32 hex digits)"),
  })
  .describe('Every field optional; a call matches when every given field matches');

const exemptionSchema = ruleMatchSchema
  .refine((m) => Object.values(m).some((v) => v !== undefined), 'names at least one field (an empty one would exempt every call)')
  .describe('Calls that match this too are left alone, e.g. {trace: <id>} for one client (the scenario runner exempts its own reads)');

/** RFC 9110 token characters: what Node accepts as a header name. */
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible characters, spaces and tabs: no CR or LF (which Node refuses, and which would split the answer). */
const headerValue = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers that frame the answer: the server sets them, a rule giving them would corrupt the connection. */
const framingHeaders: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer']);
const maxBodyChars = 1024 * 1024;
const maxMessageChars = 64 * 1024;

const headerValueSchema = z.string().max(8192).regex(headerValue, 'contains a character not allowed in an HTTP header (CR, LF or another control character)');
const headersSchema = z
  .record(
    z
      .string()
      .max(256)
      .regex(headerName, 'is not a valid HTTP header name')
      .refine((name) => !framingHeaders.has(name.toLowerCase()), 'frames the answer; the server sets it'),
    headerValueSchema,
  )
  .refine((headers) => Object.keys(headers).length <= 50, 'at most 50 headers');

const faultAction = z
  .strictObject({
    kind: z.literal('fault'),
    fault: z.string().min(1).describe('Any vSphere fault type of the type table (InsufficientResourcesFault, InvalidState, ...)'),
    message: z.string().max(maxMessageChars).optional().describe('The faultstring; defaults to the fault type'),
    properties: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Properties of the fault, by name; morefs as {"type": "VirtualMachine", "value": "vm-42"}'),
  })
  .describe('Answer with this vSphere fault instead of calling the method');

const delayAction = z
  .strictObject({
    kind: z.literal('delay'),
    ms: z.int().min(0).max(3_600_000),
    jitterMs: z.int().min(0).max(3_600_000).optional().describe('The delay is ms ± jitterMs, uniformly, never below 0'),
  })
  .describe('Wait, then carry on (later rules still apply)');

const httpAction = z
  .strictObject({
    kind: z.literal('http'),
    status: z.int().min(200).max(599),
    retryAfter: z.int().min(0).max(31_536_000).optional().describe('Seconds, sent as Retry-After'),
    headers: headersSchema.optional().describe('Extra headers: valid names and values, none that frames the answer (content-length, transfer-encoding, connection, ...)'),
    body: z.string().max(maxBodyChars).optional().describe('Defaults to the status line text'),
    contentType: headerValueSchema.optional().describe('Defaults to text/plain'),
  })
  .describe('Answer with a plain HTTP status instead of the API');

const resetAction = z.strictObject({ kind: z.literal('reset') }).describe('Destroy the connection without an answer');

const hangAction = z
  .strictObject({ kind: z.literal('hang') })
  .describe('Answer nothing until the client disconnects (or the rule is removed: then the call goes on)');

const taskErrorAction = z
  .strictObject({
    kind: z.literal('taskError'),
    fault: z.string().min(1).describe('Any vSphere fault type of the type table'),
    message: z.string().max(maxMessageChars).optional().describe("The fault's localizedMessage; defaults to the fault type"),
    properties: z.record(z.string(), z.unknown()).optional().describe('Properties of the fault, by name'),
    atProgress: z.int().min(0).max(100).optional().describe('Progress (percent) the task reports before it fails'),
  })
  .describe('The call returns its Task as usual; the task then ends in this fault and its effect does not happen (matches *_Task methods)');

const taskDelayAction = z
  .strictObject({
    kind: z.literal('taskDelay'),
    ms: z.int().min(0).max(3_600_000).describe('Extra running time of the task, progress visible'),
  })
  .describe('The task stays running this much longer before it does its work (matches *_Task methods)');

export const ruleActionSchema = z.discriminatedUnion('kind', [faultAction, delayAction, httpAction, resetAction, hangAction, taskErrorAction, taskDelayAction]);

/** Action kinds that act on the task a call starts, not on the call. */
export const taskActionKinds: ReadonlySet<string> = new Set(['taskError', 'taskDelay']);

const isoTime = z.iso.datetime({ offset: true });

export const faultRuleSchema = z
  .strictObject({
    name: z.string().max(200).optional(),
    match: ruleMatchSchema.optional(),
    unless: exemptionSchema.optional(),
    action: ruleActionSchema,
    times: z.int().min(1).optional().describe('Fire at most this many times (default: always)'),
    skip: z.int().min(0).optional().describe('Let this many matching calls through first'),
    probability: z.number().min(0).max(1).optional().describe("Chance to fire on a matching call, drawn from the simulator's seed"),
    from: isoTime.optional().describe('Active from this time (simulator clock)'),
    until: isoTime.optional().describe('Active until this time (exclusive)'),
    seed: z.int().optional().describe("Seed of this rule's random draws (default: from the simulator's seed and the rule's number)"),
  })
  .refine((rule) => !rule.from || !rule.until || Date.parse(rule.from) < Date.parse(rule.until), {
    message: 'until must be later than from',
    path: ['until'],
  })
  .refine((rule) => !taskActionKinds.has(rule.action.kind) || startsTasks(rule.match?.method), {
    message: 'names a SOAP method that starts no task: a task rule on it would never fire (use a *_Task method)',
    path: ['match', 'method'],
  });

/** Whether calls of `method` (as a rule matches it) may start a task: *_Task methods, globs, REST operations. */
function startsTasks(method: string | undefined): boolean {
  return method === undefined || method.endsWith('_Task') || method.includes('*') || method.includes('?') || method.includes(' ');
}
export type FaultRuleInput = z.input<typeof faultRuleSchema>;
export type FaultRuleSpec = z.output<typeof faultRuleSchema>;
export type RuleAction = z.output<typeof ruleActionSchema>;
export type RuleMatch = z.output<typeof ruleMatchSchema>;

/** A rule as listed: what was given, its id, and how often it matched and fired. */
export const faultRuleViewSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  match: ruleMatchSchema.optional(),
  unless: ruleMatchSchema.optional(),
  action: ruleActionSchema,
  times: z.int().optional(),
  skip: z.int().optional(),
  probability: z.number().optional(),
  from: z.string().optional(),
  until: z.string().optional(),
  seed: z.int().optional(),
  matched: z.int().describe('Calls that matched the rule (filters and time window)'),
  hits: z.int().describe('Times the rule fired'),
  exhausted: z.boolean().describe('Fired `times` times: it will not fire again'),
});

export type FaultRuleView = z.output<typeof faultRuleViewSchema>;
