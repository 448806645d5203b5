/**
 * The one hook an API adapter calls around each call: `open` when a request arrives, `before`
 * once the call is described (method, object, user), `close` with how it ended. It applies the
 * fault rules and records the call in the journal. SOAP uses it in soap/dispatch.ts; a REST
 * handler plugs in the same way:
 *
 *   const call = interceptor.open('rest', request.raw.socket);
 *   call.method = 'GET /api/vcenter/vm/{vm}'; call.path = request.url; call.moid = ...; call.user = ...;
 *   try { await interceptor.before(call); ...serve... }
 *   catch (e) { if (e instanceof InjectedAnswer) → sendInjected(request, reply, e); VimFault → the vAPI error }
 *   finally { interceptor.close(call, { status, fault, injected }); }
 */
import { ManagedEntity } from '../../models/core/managed-entity.js';
import type { VCenter } from '../../models/vcenter.js';
import { InjectedAnswer } from '../faults/answer.js';
import { ApiCall, type Api, type CallConnection } from '../faults/call.js';
import type { FaultInjector } from '../faults/injector.js';
import type { Logger } from '../logger.js';
import { Interner } from './intern.js';
import type { Journal } from './journal.js';
import type { Metrics } from './metrics.js';

/** How a call ended, as the adapter saw it. */
export interface CallEnd {
  status: number;
  /** The vSphere fault type answered, if any. */
  fault?: string;
  /** A rule's wire answer, if one replaced the API's. */
  injected?: InjectedAnswer;
}

export class CallInterceptor {
  private readonly strings = new Interner();

  /** Whether each call gets a debug log line: decided once, so calls pay nothing when debug is off. */
  private readonly logCalls: boolean;

  constructor(
    private readonly vc: VCenter,
    private readonly injector: FaultInjector,
    private readonly journal: Journal,
    private readonly metrics?: Metrics,
    private readonly logger?: Logger,
  ) {
    this.logCalls = logger?.isLevelEnabled('debug') ?? false;
  }

  open(api: Api, connection?: CallConnection, traceparent?: string): ApiCall {
    return new ApiCall(this.journal.nextSeq(), api, Date.now(), connection, traceparent);
  }

  /**
   * Applies the rules to the described call: nothing (synchronously) when none fires; otherwise
   * waits, or throws the rule's VimFault or InjectedAnswer for the adapter to answer with.
   */
  before(call: ApiCall): void | Promise<void> {
    return this.injector.apply(call);
  }

  close(call: ApiCall, end: CallEnd): void {
    call.durationMs = performance.now() - call.startedAt;
    call.connection = undefined;
    call.status = end.status;
    if (end.injected) {
      const answer = end.injected.answer;
      call.outcome = answer.kind;
      call.status = answer.kind === 'http' ? answer.status : 0;
    } else if (end.fault !== undefined) {
      call.outcome = 'fault';
      call.fault = end.fault;
    } else {
      call.outcome = 'ok';
    }
    call.entityName ??= this.entityName(call);
    call.method = this.strings.own(call.method);
    call.type = this.strings.own(call.type);
    call.moid = this.strings.own(call.moid);
    call.path = this.strings.own(call.path);
    call.operationId = this.strings.own(call.operationId);
    this.journal.record(call);
    this.metrics?.observe(call);
    if (this.logCalls) this.logCall(call);
  }

  private logCall(call: ApiCall): void {
    const { api, method, moid, user, outcome, fault, status, traceparent } = call;
    this.logger!.debug({ api, method, moid, user, outcome, fault, status, durationMs: Math.round(call.durationMs * 1000) / 1000, traceparent }, 'call');
  }

  /** The name of the inventory entity the call names, if it is one (a map lookup: cheap enough for every call). */
  entityName(call: { moid?: string; type?: string }): string | undefined {
    if (call.moid === undefined) return undefined;
    const obj = this.vc.registry.byId(call.moid);
    return obj instanceof ManagedEntity && obj.self.type === call.type ? obj.name : undefined;
  }
}
