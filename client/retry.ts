/**
 * Resilience: which calls may be repeated, exponential backoff with full jitter, Retry-After, and a
 * per-endpoint circuit breaker.
 */
import { VimError } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt (0: none). Default 3. */
  retries?: number;
  /** First backoff ceiling; doubles each retry. Default 100 ms. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 5,000 ms. */
  maxDelayMs?: number;
  /** The longest Retry-After honoured; a longer one fails the call at once. Default 60,000 ms. */
  maxRetryAfterMs?: number;
  /** Random numbers in [0, 1), for the jitter (tests pass a fixed one). */
  random?: () => number;
}

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. Default 5; 0 turns the breaker off. */
  failureThreshold?: number;
  /** How long it stays open before one probe call is let through. Default 10,000 ms. */
  openMs?: number;
}

/**
 * Methods that only read: repeating them is harmless, so they are retried even when the request
 * was sent and no answer came. Everything else is treated as possibly changing state.
 */
const READ_ONLY = /^(Retrieve|ContinueRetrieve|CancelRetrieve|CheckForUpdates|WaitForUpdates|WaitForUpdatesEx|CurrentTime|Find|Query(?!.*(?:Unmount|Unregister))|Browse|Search|Fetch|Read|Has|Validate|Login|Logout|SessionIsActive|ReadNextTasks|ReadPreviousTasks|ReadNextEvents|ReadPreviousEvents)/;

export function isReadOnly(method: string): boolean {
  return READ_ONLY.test(method);
}

/** The delay before retry number `attempt` (0-based): full jitter over an exponential ceiling. */
export function backoffDelay(attempt: number, options: RetryOptions): number {
  const ceiling = Math.min(options.maxDelayMs ?? 5_000, (options.baseDelayMs ?? 100) * 2 ** attempt);
  return Math.floor((options.random ?? Math.random)() * ceiling);
}

/** Retry-After as ms: delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Closed → open after N consecutive failures → half-open (one probe) after `openMs` → closed or open. */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private current: BreakerState = 'closed';

  constructor(
    readonly endpoint: string,
    private readonly options: BreakerOptions = {},
    private readonly onChange?: (state: BreakerState, endpoint: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= (this.options.openMs ?? 10_000)) this.set('half-open');
    return this.current;
  }

  /** Throws CIRCUIT_OPEN unless a call may go now. */
  admit(method: string): void {
    const state = this.state;
    if (state === 'closed') return;
    if (state === 'half-open' && !this.probing) {
      this.probing = true;
      return;
    }
    const wait = Math.max(0, (this.options.openMs ?? 10_000) - (this.now() - this.openedAt));
    throw new VimError({
      code: 'CIRCUIT_OPEN',
      method,
      message: `${method}: ${this.endpoint} failed ${this.options.failureThreshold ?? 5} times in a row; calls fail fast for ${wait} ms more`,
      retryAfterMs: wait,
    });
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    if (this.current !== 'closed') this.set('closed');
  }

  failure(): void {
    const threshold = this.options.failureThreshold ?? 5;
    if (threshold <= 0) return;
    this.failures++;
    if (this.current === 'half-open' || this.failures >= threshold) {
      this.probing = false;
      this.openedAt = this.now();
      this.set('open');
    }
  }

  private set(state: BreakerState): void {
    if (state === this.current) return;
    this.current = state;
    this.onChange?.(state, this.endpoint);
  }
}

/** Whether an error means the endpoint is unhealthy (counts against the breaker). */
export function isEndpointFailure(error: VimError): boolean {
  if (error.faultType) return false; // the server answered with a fault: it is up
  return error.code === 'TRANSPORT' || error.code === 'TIMEOUT' || error.code === 'UNAVAILABLE' || (error.status !== undefined && error.status >= 500);
}

/** Sleeps `ms`, or rejects with ABORTED when `signal` fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new VimError({ code: 'ABORTED', message: 'aborted by the caller', cause: signal.reason }));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new VimError({ code: 'ABORTED', message: 'aborted by the caller', cause: signal?.reason }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
