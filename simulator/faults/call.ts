/**
 * What the fault rules and the journal know of one API call, whichever API carried it. The SOAP
 * dispatcher fills one in per call (REST will too); the same object becomes the journal entry, so
 * a call costs one small allocation.
 */

export type Api = 'soap' | 'rest';

/** The connection a call came on: an injected hang or delay ends early when it closes. */
export interface CallConnection {
  readonly destroyed: boolean;
  once(event: 'close', listener: () => void): unknown;
  removeListener(event: 'close', listener: () => void): unknown;
}

/** How a call ended. `abandoned`: the client left (or the server closed) while a rule held the call. */
export type Outcome = 'pending' | 'ok' | 'fault' | 'http' | 'reset' | 'abandoned';

export class ApiCall {
  /** The SOAP method (`RetrievePropertiesEx`) or the REST operation. */
  method = '';
  /** The request path (REST rules match it; SOAP calls leave it empty). */
  path: string | undefined = undefined;
  /** The managed object the call acts on (`_this` for SOAP). */
  type: string | undefined = undefined;
  moid: string | undefined = undefined;
  /** Looked up only when a rule asks for it or the call is recorded. */
  entityName: string | undefined = undefined;
  /** The session's user (none before login). */
  user: string | undefined = undefined;
  session: string | undefined = undefined;
  outcome: Outcome = 'pending';
  /** The vSphere fault type answered, when outcome is `fault`. */
  fault: string | undefined = undefined;
  /** The HTTP status answered; 0 when no answer was sent (reset, abandoned). */
  status = 0;
  durationMs = 0;
  /** The client's W3C trace context (`traceparent` header), if it sent one. */
  traceparent: string | undefined = undefined;
  /** The client's operation id (SOAP header operationID), if it sent one. */
  operationId: string | undefined = undefined;
  /** Ids of the rules that fired on this call (task rules too), in the order they fired. */
  rules: string[] | undefined = undefined;
  /** Set while the call runs; dropped when it ends so the journal holds no sockets. */
  connection: CallConnection | undefined;
  /** performance.now() at the start, for the duration. */
  readonly startedAt: number;

  constructor(
    readonly seq: number,
    readonly api: Api,
    /** Wall-clock start, ms since the epoch. */
    readonly time: number,
    connection?: CallConnection,
    traceparent?: string,
  ) {
    this.connection = connection;
    this.traceparent = traceparent;
    this.startedAt = performance.now();
  }
}
