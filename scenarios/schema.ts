/**
 * The scenario model: one zod schema validates YAML, JSON and builder output alike, and is
 * published as JSON Schema (scenarios/schema.json, `npm run gen-scenario-schema`) for editors.
 * Fault rules are the control API's own rule schema, topologies the inventory's.
 */
import { z } from 'zod';
import { FilterSyntaxError, parseFilter } from '../client/filter/index.js';
import { faultRuleSchema } from '../simulator/faults/rule-schema.js';
import { flagsSchema, topologySchema } from '../models/inventory/topology.js';

/** Milliseconds, or a number with a unit: `500ms`, `10s`, `2m`. */
export const durationSchema = z
  .union([z.int().min(0), z.string().regex(/^\d+(\.\d+)?(ms|s|m)$/, 'a duration: milliseconds, or a number with ms, s or m (10s)')])
  .describe('Milliseconds, or 500ms / 10s / 2m');

/** An exact count, or a range (either end open). */
export const countSchema = z
  .union([z.int().min(0), z.strictObject({ min: z.int().min(0).optional(), max: z.int().min(0).optional() })])
  .describe('An exact number, or {min, max}');

const hasVars = (text: string) => text.includes('${');

/** A filter expression over objects of `type`; checked at load time unless it interpolates variables. */
const objectQuery = {
  type: z.string().min(1).describe('Managed object type: VirtualMachine, HostSystem, Datastore, ...'),
  filter: z.string().optional().describe('Filter expression (README "Filter expressions"); every object of the type without one'),
};

function checkFilter(query: { type: string; filter?: string }, ctx: z.RefinementCtx): void {
  if (query.filter === undefined || hasVars(query.filter)) return;
  try {
    parseFilter(query.filter, { type: query.type });
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    ctx.addIssue({ code: 'custom', path: ['filter'], message: `filter syntax: ${error.message}` });
  }
}

export const objectsAssertionSchema = z
  .strictObject({ ...objectQuery, count: countSchema.optional().describe('Default: at least one') })
  .superRefine(checkFilter)
  .describe('How many objects of a type match a filter');

export const eventsAssertionSchema = z
  .strictObject({
    types: z.array(z.string().min(1)).min(1).optional().describe('Event types (VmRestartedOnAlternateHostEvent); any type without'),
    entity: z.string().optional().describe('Only events naming this entity (by name or moid)'),
    count: countSchema.optional().describe('Events matching; default: at least one'),
    ordered: z.boolean().optional().describe('The types were first posted in the order given'),
  })
  .describe('Events posted since the steps began');

const taskStates = ['queued', 'running', 'success', 'error'] as const;

export const tasksAssertionSchema = z
  .strictObject({
    task: z.string().optional().describe('A task bound to a variable (${vars.clone.task})'),
    method: z.string().optional().describe('Tasks whose descriptionId or name matches this glob (CreateVM_Task, VirtualMachine.clone, *clone*)'),
    entity: z.string().optional().describe('Tasks on the entity of this name'),
    state: z.enum(taskStates).optional(),
    fault: z.string().optional().describe('The fault type the task failed with'),
    count: countSchema.optional().describe('Default: at least one'),
  })
  .describe('Tasks started since the steps began');

export const execAssertionSchema = z
  .strictObject({
    of: z.string().min(1).describe('The exec step result, by its `save` name'),
    exitCode: z.int().optional(),
    stdout: z.string().optional().describe('A glob the whole of stdout matches (*ok*)'),
    stderr: z.string().optional().describe('A glob the whole of stderr matches'),
  })
  .describe('What an exec step gave');

const outcomes = ['ok', 'fault', 'http', 'reset', 'abandoned'] as const;

export const journalAssertionSchema = z
  .strictObject({
    api: z.enum(['soap', 'rest']).optional(),
    method: z.string().optional().describe('Method or REST operation; glob'),
    path: z.string().optional().describe('REST route; glob'),
    moid: z.string().optional(),
    entityName: z.string().optional(),
    user: z.string().optional(),
    outcome: z.enum(outcomes).optional(),
    fault: z.string().optional().describe('Fault type answered; glob'),
    status: z.int().optional().describe('HTTP status answered'),
    rule: z.string().optional().describe('Calls a named fault rule fired on'),
    during: z.string().optional().describe('Only calls made while the named step ran'),
    count: countSchema.optional().describe('Default: at least one'),
    retryGap: z
      .strictObject({ min: durationSchema.optional(), max: durationSchema.optional() })
      .optional()
      .describe('Between consecutive matching calls of one trace id (a call and its retries)'),
    trace: z
      .enum(['present', 'same', 'step'])
      .optional()
      .describe('present: every call carried a traceparent; same: all one trace id; step: the trace id of the step they ran in'),
  })
  .describe("Calls the simulator's journal recorded since the steps began (the runner's own calls left out)");

export const assertionSchema = z
  .strictObject({
    name: z.string().optional().describe('Shown in failure messages'),
    objects: objectsAssertionSchema.optional(),
    events: eventsAssertionSchema.optional(),
    tasks: tasksAssertionSchema.optional(),
    exec: execAssertionSchema.optional(),
    journal: journalAssertionSchema.optional(),
  })
  .superRefine((a, ctx) => exactlyOne(a, assertionKinds, ctx, 'assertion'));

export const assertionKinds = ['objects', 'events', 'tasks', 'exec', 'journal'] as const;

export const clientOps = [
  'vm.create', 'vm.clone', 'vm.power', 'vm.reconfigure', 'vm.snapshot', 'vm.destroy',
  'host.maintenance', 'host.disconnect', 'host.reconnect', 'task.cancel', 'find', 'call', 'rest',
] as const;

export const worldActions = ['host-fail', 'host-disconnect', 'host-reconnect', 'datastore-fill', 'vm-guest', 'clock-advance', 'sessions-expire'] as const;

export const waitSchema = z
  .strictObject({
    objects: z.strictObject({ ...objectQuery, count: countSchema.optional() }).superRefine(checkFilter).optional(),
    task: z.string().optional().describe('A task reference or variable; waits until it ends (or reaches `state`)'),
    state: z.enum(taskStates).optional(),
    event: z.string().optional().describe('An event type posted since the steps began'),
    timeout: durationSchema.optional().describe('Default 30s'),
  })
  .superRefine((w, ctx) => exactlyOne(w, ['objects', 'task', 'event'], ctx, 'wait'));

export const execSchema = z
  .strictObject({
    command: z.array(z.string()).min(1).describe('Program and arguments; relative paths resolve against the scenario file'),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
    timeout: durationSchema.optional().describe('Default 60s; then the command is killed'),
    exitCode: z.union([z.int(), z.literal('any')]).optional().describe('Exit code the step requires (default 0)'),
  })
  .describe('Runs a command with GOVC_URL, GOVC_USERNAME, GOVC_PASSWORD, GOVC_INSECURE=1, VC_URL, VC_USERNAME, VC_PASSWORD, SIM_CONTROL_URL set');

export const stepKinds = ['client', 'fault', 'clear', 'action', 'wait', 'exec', 'parallel', 'repeat', 'expect'] as const;

export interface StepInput {
  name: string;
  client?: (typeof clientOps)[number];
  action?: (typeof worldActions)[number];
  args?: Record<string, unknown>;
  save?: string;
  async?: boolean;
  expectError?: string;
  fault?: z.input<typeof faultRuleSchema>;
  clear?: string | string[];
  wait?: z.input<typeof waitSchema>;
  exec?: z.input<typeof execSchema>;
  parallel?: StepInput[];
  repeat?: { times: number; steps: StepInput[] };
  expect?: z.input<typeof assertionSchema>[];
  timeout?: number | string;
}

export const stepSchema: z.ZodType<StepInput> = z.lazy(() =>
  z
    .strictObject({
      name: z.string().min(1),
      client: z.enum(clientOps).optional().describe('A call of the bundled client'),
      action: z.enum(worldActions).optional().describe('A world action of the control API'),
      args: z.record(z.string(), z.unknown()).optional().describe('Arguments of client or action'),
      save: z.string().regex(/^[A-Za-z_]\w*$/).optional().describe('Bind the result to ${vars.<save>}'),
      async: z.boolean().optional().describe('client: do not wait for the task; the result is {task}'),
      expectError: z.string().optional().describe('client: the call must fail with this error code or fault type'),
      fault: faultRuleSchema.optional().describe('Add this fault rule; give it a name to clear it later'),
      clear: z.union([z.string(), z.array(z.string())]).optional().describe('Remove fault rules by name (`all`: every rule the scenario added)'),
      wait: waitSchema.optional(),
      exec: execSchema.optional(),
      parallel: z.array(stepSchema).min(1).optional().describe('Steps run at the same time'),
      repeat: z.strictObject({ times: z.int().min(1).max(10_000), steps: z.array(stepSchema).min(1) }).optional().describe('${vars.iteration} counts from 0'),
      expect: z.array(assertionSchema).min(1).optional(),
      timeout: durationSchema.optional().describe('The step fails after this long (default 120s)'),
    })
    .superRefine((s, ctx) => {
      exactlyOne(s, stepKinds, ctx, 'step');
      if (s.fault && !s.fault.name) ctx.addIssue({ code: 'custom', path: ['fault', 'name'], message: 'a fault rule needs a name (to clear it and to name it in the journal)' });
      if (s.args && !s.client && !s.action) ctx.addIssue({ code: 'custom', path: ['args'], message: 'args belongs to client or action steps' });
      if ((s.async || s.expectError) && !s.client) ctx.addIssue({ code: 'custom', path: [s.async ? 'async' : 'expectError'], message: 'only client steps take this' });
    }),
);

export const probeSchema = z
  .strictObject({
    name: z.string().min(1),
    objects: z.strictObject(objectQuery).superRefine(checkFilter),
    count: countSchema.optional().describe('Must hold before and after the steps'),
    tolerance: z.int().min(0).optional().describe('After the steps the count is within this much of the count before'),
  })
  .describe('A steady-state probe: a count of objects, checked before the steps and after them');

export const simulatorSchema = z
  .strictObject({
    topology: topologySchema.optional().describe('An inline topology (see models/inventory/topology.ts)'),
    topologyFile: z.string().optional().describe('A topology file, relative to the scenario file'),
    flags: flagsSchema.partial().optional().describe('vcsim model flags: {cluster: 1, host: 3, vm: 2, ...}'),
    url: z.string().url().optional().describe('A simulator already running: https://user:pass@host:port/sdk; the embedded one otherwise'),
  })
  .superRefine((s, ctx) => {
    const given = ['topology', 'topologyFile', 'flags', 'url'].filter((k) => s[k as keyof typeof s] !== undefined);
    if (given.length > 1) ctx.addIssue({ code: 'custom', path: [given[1]!], message: `give one of topology, topologyFile, flags or url, not ${given.join(' and ')}` });
  });

export const requirementSchema = z.strictObject({
  name: z.string().min(1),
  command: z.array(z.string()).min(1).describe('Exits 0 when the requirement is met'),
  hint: z.string().optional().describe('How to install what is missing'),
});

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    seed: z.int().default(1).describe("The simulator's seed: fault probabilities, generated names; the same seed gives the same run"),
    simulator: simulatorSchema.optional().describe("Default: vcsim's default model, embedded"),
    requires: z
      .array(requirementSchema)
      .optional()
      .describe('When one is missing the scenario is skipped with a warning, or fails under CI=true'),
    steadyState: z.array(probeSchema).optional(),
    steps: z.array(stepSchema).min(1),
    rollbacks: z.array(stepSchema).optional().describe('Run after the steps, even when one failed, before the steady state is checked again'),
    teardown: z.array(stepSchema).optional().describe('Run last, whatever happened'),
    timeout: durationSchema.optional().describe('The steps fail once the scenario has run this long (no limit by default); rollbacks and teardown still run'),
  })
  .describe('A vcenter-sim scenario');

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Step = StepInput;
export type Assertion = z.output<typeof assertionSchema>;
export type Probe = z.output<typeof probeSchema>;
export type Count = z.output<typeof countSchema>;

/** Exactly one of `kinds` is set on `value`. */
function exactlyOne(value: object, kinds: readonly string[], ctx: z.RefinementCtx, what: string): void {
  const set = kinds.filter((k) => (value as Record<string, unknown>)[k] !== undefined);
  if (set.length === 1) return;
  const message = set.length === 0 ? `a ${what} needs one of ${kinds.join(', ')}` : `a ${what} has one kind, not ${set.join(' and ')}`;
  ctx.addIssue({ code: 'custom', path: set.length ? [set[1]!] : [], message });
}

/** Milliseconds of a duration. */
export function durationMs(value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value)!;
  return Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm']);
}

/** The JSON Schema published as scenarios/schema.json (what `npm run gen-scenario-schema` writes). */
export function scenarioJsonSchema(): string {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, $id: 'https://vcenter-sim.dev/scenario.schema.json', title: 'vcenter-sim scenario' }, null, 2)}\n`;
}
