/**
 * The fault rules of one simulator instance: validation, matching and the firing decision (skip,
 * times, seeded probability, time window). Rules are tried in the order they were added; delays
 * add up, and the first other rule that fires decides the call.
 */
import type { VimFault } from '../../models/core/fault.js';
import type { TaskStart, TaskVerdict } from '../../models/core/task-manager.js';
import type { TypeTable } from '../../models/core/type-table.js';
import type { ApiCall } from './call.js';
import { buildFault } from './fault-value.js';
import { globMatcher, hasWildcard, type Matcher } from './glob.js';
import { InvalidRuleError } from './invalid-rule.js';
import { SeededRandom, mixSeed } from './random.js';
import { faultRuleSchema, taskActionKinds, type FaultRuleInput, type FaultRuleSpec, type FaultRuleView, type RuleAction, type RuleMatch } from './rule-schema.js';

/** What the rule engine needs from its simulator instance. */
export interface RuleEnvironment {
  types: TypeTable;
  /** The simulator's seed: each rule's random stream derives from it. */
  seed: number;
  /** The simulator clock, ms since the epoch (time windows follow it). */
  now(): number;
  /** The name of the entity a call acts on, if it is one. */
  entityName(call: MatchSubject): string | undefined;
}

/** The TypeScript face of the rules, the same operations as the control API's /_sim/faults routes. */
export interface FaultRulesApi {
  /** Validates and adds a rule; throws InvalidRuleError naming the bad field. */
  add(rule: FaultRuleInput): { id: string };
  list(): FaultRuleView[];
  get(id: string): FaultRuleView | undefined;
  /** False when there is no such rule. */
  remove(id: string): boolean;
  clear(): void;
}

/** The rules that fired on one call: delays to wait, then at most one deciding rule. */
export interface Firing {
  delayMs: number;
  rule?: Rule;
}

const none: readonly Rule[] = [];

/** What a rule matches on: an API call, or a task as it starts (with the api and path of the call that started it, if any). */
export type MatchSubject = Pick<ApiCall, 'method' | 'path' | 'type' | 'moid' | 'entityName' | 'user'> & { api?: ApiCall['api']; traceparent?: string };

export class FaultRules implements FaultRulesApi {
  private readonly rules = new Map<string, Rule>();
  /** Rules naming one exact method, by method: a call is tried only against its method's rules and `anyMethod`. */
  private readonly byMethod = new Map<string, Rule[]>();
  /** Rules with a method glob or none, in the order added. */
  private readonly anyMethod: Rule[] = [];
  /** Rules acting on tasks (taskError, taskDelay), in the order added: tried as tasks start, never on calls. */
  private readonly taskRules: Rule[] = [];
  private counter = 0;
  private readonly removalListeners = new Set<(id: string) => void>();

  constructor(private readonly env: RuleEnvironment) {}

  get size(): number {
    return this.rules.size;
  }

  add(input: FaultRuleInput): { id: string } {
    const parsed = faultRuleSchema.safeParse(input);
    if (!parsed.success) throw InvalidRuleError.fromZod(parsed.error);
    const number = ++this.counter;
    const rule = new Rule(`rule-${number}`, parsed.data, this.env, number);
    this.rules.set(rule.id, rule);
    (rule.onTask ? this.taskRules : this.candidatesFor(rule)).push(rule);
    return { id: rule.id };
  }

  list(): FaultRuleView[] {
    return [...this.rules.values()].map((rule) => rule.view());
  }

  get(id: string): FaultRuleView | undefined {
    return this.rules.get(id)?.view();
  }

  remove(id: string): boolean {
    const rule = this.rules.get(id);
    if (!rule) return false;
    this.rules.delete(id);
    if (rule.onTask) {
      this.taskRules.splice(this.taskRules.indexOf(rule), 1);
      for (const listener of this.removalListeners) listener(id);
      return true;
    }
    const list = this.candidatesFor(rule);
    list.splice(list.indexOf(rule), 1);
    if (list.length === 0 && rule.exactMethod !== undefined) this.byMethod.delete(rule.exactMethod);
    for (const listener of this.removalListeners) listener(id);
    return true;
  }

  clear(): void {
    for (const id of [...this.rules.keys()]) this.remove(id);
  }

  /** Calls `listener` with the id of every rule removed (held calls of a hang rule go on). */
  onRemove(listener: (id: string) => void): void {
    this.removalListeners.add(listener);
  }

  /** The rules that fire on `call`, recorded on the call; undefined (no allocation) when none does. */
  evaluate(call: ApiCall): Firing | undefined {
    const exact = this.byMethod.get(call.method) ?? none;
    const wild = this.anyMethod;
    let delayMs = 0;
    let fired = false;
    // The two lists merged in the order the rules were added, without building a new list.
    for (let i = 0, j = 0; i < exact.length || j < wild.length; ) {
      const rule = j >= wild.length || (i < exact.length && exact[i]!.number < wild[j]!.number) ? exact[i++]! : wild[j++]!;
      if (!rule.matches(call) || !rule.fire()) continue;
      fired = true;
      (call.rules ??= []).push(rule.id);
      if (rule.action.kind !== 'delay') return { delayMs, rule };
      delayMs += rule.delayMs();
    }
    return fired ? { delayMs } : undefined;
  }

  /**
   * The task rules that fire on a task as it starts: taskDelay rules add up, the first taskError
   * that fires decides the fault. Undefined when none fires.
   */
  evaluateTask(task: TaskStart): TaskVerdict | undefined {
    if (this.taskRules.length === 0) return undefined;
    // A task started in-process (no API call) has no api or path: rules naming either pass it by.
    const subject: MatchSubject = {
      api: task.call?.api,
      method: task.method,
      path: task.call?.path,
      type: task.entity.type,
      moid: task.entity.moid,
      entityName: task.entity.name,
      user: task.user,
    };
    let verdict: TaskVerdict | undefined;
    for (const rule of this.taskRules) {
      if (!rule.matches(subject) || !rule.fire()) continue;
      if (task.call) (task.call.rules ??= []).push(rule.id); // the journal names it on the call that started the task
      verdict ??= {};
      const action = rule.action;
      if (action.kind === 'taskDelay') verdict.delayMs = (verdict.delayMs ?? 0) + action.ms;
      else if (action.kind === 'taskError') {
        verdict.fault = rule.fault;
        verdict.atProgress = action.atProgress;
        break;
      }
    }
    return verdict;
  }

  private candidatesFor(rule: Rule): Rule[] {
    if (rule.exactMethod === undefined) return this.anyMethod;
    let list = this.byMethod.get(rule.exactMethod);
    if (!list) this.byMethod.set(rule.exactMethod, (list = []));
    return list;
  }
}

/** Compiled match fields: absent ones are undefined and skipped. */
interface CompiledMatch {
  api?: string;
  method?: Matcher;
  type?: Matcher;
  moid?: Matcher;
  entityName?: Matcher;
  path?: Matcher;
  user?: Matcher;
  trace?: Matcher;
}

export class Rule {
  readonly action: RuleAction;
  /** The method the rule names without wildcards, if it does: the rule index's key. */
  readonly exactMethod?: string;
  /** Built once when the rule is added: a bad fault type or property fails then. */
  readonly fault?: VimFault;
  /** A taskError or taskDelay rule: it acts on tasks as they start, not on calls. */
  readonly onTask: boolean;
  private readonly match: CompiledMatch;
  private readonly unless: CompiledMatch | undefined;
  private readonly from?: number;
  private readonly until?: number;
  private readonly random: SeededRandom;
  private matched = 0;
  private hits = 0;

  constructor(
    readonly id: string,
    private readonly spec: FaultRuleSpec,
    private readonly env: RuleEnvironment,
    /** Order of creation: rules are tried in it. */
    readonly number: number,
  ) {
    this.action = spec.action;
    const method = spec.match?.method;
    if (method !== undefined && !hasWildcard(method)) this.exactMethod = method;
    this.onTask = taskActionKinds.has(spec.action.kind);
    if (spec.action.kind === 'fault' || spec.action.kind === 'taskError') {
      this.fault = buildFault(env.types, spec.action.fault, spec.action.message, spec.action.properties);
    }
    this.match = compileMatch(spec.match, env.types);
    this.unless = spec.unless && compileMatch(spec.unless, env.types);
    this.from = spec.from === undefined ? undefined : Date.parse(spec.from);
    this.until = spec.until === undefined ? undefined : Date.parse(spec.until);
    this.random = new SeededRandom(spec.seed ?? mixSeed(env.seed, number));
  }

  /** Whether the call passes every match field and the time window, and is not exempted by `unless`. */
  matches(call: MatchSubject): boolean {
    return this.fieldsMatch(this.match, call) && this.inWindow() && !(this.unless && this.fieldsMatch(this.unless, call));
  }

  /** Whether every field `m` gives matches the call (cheapest tests first). */
  private fieldsMatch(m: CompiledMatch, call: MatchSubject): boolean {
    if (m.api !== undefined && m.api !== call.api) return false;
    if (m.method && !m.method(call.method)) return false;
    if (m.moid && !m.moid(call.moid)) return false;
    if (m.type && !m.type(call.type)) return false;
    if (m.path && !m.path(call.path)) return false;
    if (m.user && !m.user(call.user)) return false;
    if (m.trace && !m.trace(call.traceparent?.split('-')[1])) return false;
    if (m.entityName && !m.entityName((call.entityName ??= this.env.entityName(call)))) return false;
    return true;
  }

  /** Counts a matching call and decides whether the rule fires on it: skip, then times, then probability. */
  fire(): boolean {
    this.matched++;
    if (this.matched <= (this.spec.skip ?? 0)) return false;
    if (this.spec.times !== undefined && this.hits >= this.spec.times) return false;
    const p = this.spec.probability;
    if (p !== undefined && p < 1 && !(this.random.next() < p)) return false;
    this.hits++;
    return true;
  }

  /** This firing's delay: ms ± jitterMs, drawn from the rule's own stream. */
  delayMs(): number {
    if (this.action.kind !== 'delay') return 0;
    const { ms, jitterMs = 0 } = this.action;
    if (jitterMs === 0) return ms;
    return Math.max(0, Math.round(ms + (this.random.next() * 2 - 1) * jitterMs));
  }

  view(): FaultRuleView {
    const times = this.spec.times;
    return { id: this.id, ...structuredClone(this.spec), matched: this.matched, hits: this.hits, exhausted: times !== undefined && this.hits >= times };
  }

  private inWindow(): boolean {
    if (this.from === undefined && this.until === undefined) return true;
    const now = this.env.now();
    return (this.from === undefined || now >= this.from) && (this.until === undefined || now < this.until);
  }
}

function compileMatch(m: RuleMatch = {}, types: TypeTable): CompiledMatch {
  const glob = (pattern: string | undefined) => (pattern === undefined ? undefined : globMatcher(pattern));
  return {
    api: m.api,
    method: glob(m.method),
    type: m.type === undefined ? undefined : typeMatcher(m.type, types),
    moid: glob(m.moid),
    entityName: glob(m.entityName),
    path: glob(m.path),
    user: glob(m.user),
    trace: glob(m.trace),
  };
}

/** A plain type name matches its subtypes too, as vSphere's type hierarchy does. */
function typeMatcher(pattern: string, types: TypeTable): Matcher {
  if (hasWildcard(pattern)) return globMatcher(pattern);
  return (type) => type !== undefined && (type === pattern || types.isSubtypeOf(type, pattern));
}
