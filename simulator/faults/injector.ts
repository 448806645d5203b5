/**
 * Applies the fault rules to calls, whichever API carried them: waits out delays, throws the
 * vSphere fault or the injected wire answer, and holds hung calls until their client leaves, their
 * rule is removed, or the simulator closes. Nothing here knows HTTP.
 */
import type { TaskPolicy } from '../../models/core/task-manager.js';
import { InjectedAnswer } from './answer.js';
import type { ApiCall } from './call.js';
import { FaultRules, type Rule, type RuleEnvironment } from './rules.js';

/** setTimeout's largest delay; longer summed delays wait this long. */
const maxTimer = 2 ** 31 - 1;

/** A call held by a delay or a hang. */
interface Hold {
  /** The hang rule holding it; delays are not released by removing their rule. */
  ruleId?: string;
  /** Let the call go on. */
  release(): void;
  /** End it with no answer. */
  abandon(): void;
}

export class FaultInjector {
  readonly rules: FaultRules;
  private readonly holds = new Set<Hold>();

  constructor(env: RuleEnvironment) {
    this.rules = new FaultRules(env);
    this.rules.onRemove((id) => {
      for (const hold of [...this.holds]) if (hold.ruleId === id) hold.release();
    });
  }

  /**
   * Before a call is served. Returns nothing when no rule fires (the hot path: no promise, no
   * allocation); a promise when the call must wait; throws a VimFault or an InjectedAnswer when a
   * rule answers for the method.
   */
  apply(call: ApiCall): void | Promise<void> {
    if (this.rules.size === 0) return;
    const firing = this.rules.evaluate(call);
    if (!firing) return;
    if (firing.delayMs > 0) return this.delayThen(call, firing.delayMs, firing.rule);
    if (firing.rule) return this.perform(call, firing.rule);
  }

  /** The task rules' verdict on a task as it starts (the TaskManager's task policy). */
  readonly taskPolicy: TaskPolicy = (task) => this.rules.evaluateTask(task);

  /** Calls held right now (by delays and hangs). */
  get heldCalls(): number {
    return this.holds.size;
  }

  /** Ends every held call with no answer: the simulator is closing. */
  close(): void {
    for (const hold of [...this.holds]) hold.abandon();
  }

  private async delayThen(call: ApiCall, ms: number, rule: Rule | undefined): Promise<void> {
    await this.hold(call, ms);
    if (rule) await this.perform(call, rule);
  }

  private perform(call: ApiCall, rule: Rule): void | Promise<void> {
    const action = rule.action;
    switch (action.kind) {
      case 'fault':
        throw rule.fault!;
      case 'http': {
        const headers = { ...action.headers };
        if (action.retryAfter !== undefined) headers['retry-after'] = String(action.retryAfter);
        const body = action.body ?? `${action.status} injected by vcenter-sim rule ${rule.id}\n`;
        throw new InjectedAnswer({ kind: 'http', status: action.status, headers, body, contentType: action.contentType ?? 'text/plain; charset=utf-8' }, rule.id);
      }
      case 'reset':
        throw new InjectedAnswer({ kind: 'reset' }, rule.id);
      case 'hang':
        return this.hold(call, Infinity, rule.id);
      case 'delay':
        return; // delays are summed by evaluate, never the deciding rule
      case 'taskError':
      case 'taskDelay':
        return; // act on tasks as they start (FaultRules.evaluateTask), never on calls
    }
  }

  /** Holds the call for `ms` (Infinity: until released); rejects with `abandoned` when its connection closes. */
  private hold(call: ApiCall, ms: number, ruleId?: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const connection = call.connection;
      const abandoned = () => new InjectedAnswer({ kind: 'abandoned' });
      if (connection?.destroyed) return reject(abandoned());
      let timer: NodeJS.Timeout | undefined;
      const end = (then: () => void) => {
        if (!this.holds.delete(hold)) return;
        clearTimeout(timer);
        connection?.removeListener('close', onClose);
        then();
      };
      const onClose = () => end(() => reject(abandoned()));
      const hold: Hold = { ruleId, release: () => end(resolve), abandon: onClose };
      this.holds.add(hold);
      connection?.once('close', onClose);
      if (Number.isFinite(ms)) timer = setTimeout(hold.release, Math.min(ms, maxTimer));
    });
  }
}
