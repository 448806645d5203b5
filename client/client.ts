/**
 * The vSphere SOAP client: `connect(url, options)` negotiates the API version, logs in, and gives
 * typed calls on managed object references. Every call goes through one pipeline: circuit
 * breaker → request (traceparent, operationID, timeout, signal) → decode → on NotAuthenticated one
 * re-login and retry → on a retryable failure, backoff and retry unless the call may have executed.
 */
import { VimError, faultError, httpStatusCodes, type ErrorCode } from './errors.js';
import { emit, maskSecrets, spanId, traceparentFor, type ObserveOptions } from './observe.js';
import { CircuitBreaker, backoffDelay, isEndpointFailure, isReadOnly, parseRetryAfter, sleep, type BreakerOptions, type RetryOptions } from './retry.js';
import { credentialsOf, loginCall, type Credentials, type LoginOptions } from './session.js';
import { decodeResponse, encodeRequest } from './soap-codec.js';
import { Transport, TransportFailure, transportError, type HttpResponse, type TlsOptions } from './transport.js';
import { vimTypes, type VimTypes } from './type-info.js';
import { CollectorPool, filterSpec, find, retrieve, watch, type FindOptions, type PagedCallOptions, type Retrieved, type WatchOptions } from './property.js';
import { RestClient, type RestFlavour } from './rest.js';
import { waitForTask, type WaitForTaskOptions } from './tasks.js';
import type { ManagedTypes, MoRef, ObjectContent, ObjectUpdate, PropertyFilterSpec, RetrieveResult, ServiceContent, TaskInfo, UserSession } from './vim25.js';
import { child, escapeXml, parseXml } from './xml.js';

export type ManagedTypeName = keyof ManagedTypes & string;
export type MethodName<T extends ManagedTypeName> = keyof ManagedTypes[T]['methods'] & string;
type MethodOf<T extends ManagedTypeName, M extends MethodName<T>> = ManagedTypes[T]['methods'][M];
export type MethodParams<T extends ManagedTypeName, M extends MethodName<T>> = MethodOf<T, M> extends { params: infer P } ? P : never;
export type MethodResult<T extends ManagedTypeName, M extends MethodName<T>> = MethodOf<T, M> extends { returns: infer R } ? R : never;
/** What a `*_Task` method's task gives as `info.result` (`void` when nothing). */
export type TaskResult<T extends ManagedTypeName, M extends MethodName<T>> = MethodOf<T, M> extends { taskResult: infer R } ? R : void;

/** Typed methods of one managed object: `client.object(vm).PowerOnVM_Task({})`. */
export type ManagedObjectProxy<T extends ManagedTypeName> = { readonly ref: MoRef<T> } & {
  [M in MethodName<T>]: (args: MethodParams<T, M>, options?: CallOptions) => Promise<MethodResult<T, M>>;
};

export interface CallOptions {
  /** Gives up on one attempt after this long (TIMEOUT). Default: the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Aborts the call (ABORTED), retries and backoff included. */
  signal?: AbortSignal;
  /** Retry settings for this call; `false` for none. */
  retry?: RetryOptions | false;
  /** The caller's W3C traceparent; a new one otherwise. Sent on every attempt of the call. */
  traceparent?: string;
  /** The SOAP operationID header; default: the traceparent's span id. */
  operationId?: string;
}

export interface ConnectOptions extends LoginOptions, TlsOptions, ObserveOptions {
  /** The REST flavour, instead of detecting it (`api` for 7.0 U2+, `rest` for 6.5/6.7). */
  restFlavour?: RestFlavour;
  /** Force an API version (`6.7`) instead of negotiating it from /sdk/vimServiceVersions.xml. */
  version?: string;
  /** Per-attempt timeout of every call unless a call says otherwise. Default 60,000 ms (WaitForUpdatesEx adds its wait). */
  timeoutMs?: number;
  retry?: RetryOptions | false;
  breaker?: BreakerOptions;
  /**
   * Breakers by endpoint (origin), owned by the caller, to share among clients: clients given the
   * same map fail fast together once an endpoint is down. Default: the client's own breaker.
   */
  breakers?: Map<string, CircuitBreaker>;
  /** Calls CurrentTime after this long without any call, so an idle session does not expire. Off by default. */
  keepAliveMs?: number;
  /** Parallel connections to the endpoint. Default 8. */
  maxSockets?: number;
  /** A traceparent for every call that does not give its own. */
  traceparent?: string;
  userAgent?: string;
  /**
   * A session cookie from an earlier client (`client.sessionCookie`): reused when
   * SessionManager.currentSession says its session is alive (one call), a login otherwise.
   */
  sessionCookie?: string;
}

const serviceInstance: MoRef<'ServiceInstance'> = { type: 'ServiceInstance', value: 'ServiceInstance' };
const defaultTimeoutMs = 60_000;

/** Logs in to the vSphere endpoint at `url` (`https://host/sdk`; `/sdk` is added when missing). */
export async function connect(url: string | URL, options: ConnectOptions = {}): Promise<VimClient> {
  const client = new VimClient(url, options);
  await client.open();
  return client;
}

export class VimClient {
  readonly url: URL;
  readonly types: VimTypes;
  /** The negotiated API version (SOAPAction `urn:vim25/<version>`). */
  version: string;
  serviceContent!: ServiceContent;
  session?: UserSession;
  private cookie?: string;
  private readonly transport: Transport;
  readonly breaker: CircuitBreaker;
  private credentials?: Credentials;
  private relogin?: Promise<void>;
  private keepAliveTimer?: NodeJS.Timeout;
  private closed = false;
  private restClient?: RestClient;
  /** Idle property collectors for watch and waitForTask. */
  readonly collectors = new CollectorPool(this);
  /** Kept for the REST session, which logs in with user and password only. */
  private readonly restCredentials?: { username: string; password: string };

  constructor(url: string | URL, readonly options: ConnectOptions = {}) {
    const target = new URL(url);
    if (!target.pathname.endsWith('/sdk')) target.pathname = target.pathname.replace(/\/?$/, '/sdk');
    this.credentials = credentialsOf(options, target);
    if (this.credentials.kind === 'password') this.restCredentials = { username: this.credentials.username, password: this.credentials.password };
    target.username = '';
    target.password = '';
    this.url = target;
    this.types = vimTypes();
    this.version = options.version ?? this.types.versions[this.types.versions.length - 1]!;
    this.transport = new Transport(target, options, options.maxSockets);
    const shared = options.breakers?.get(target.origin);
    this.breaker = shared ?? new CircuitBreaker(target.origin, options.breaker, (state, endpoint) => emit(options, { event: 'breaker', state, endpoint }));
    if (!shared) options.breakers?.set(target.origin, this.breaker);
  }

  /** Version negotiation, service content and login; `connect` calls it. */
  async open(): Promise<void> {
    try {
      const offered = this.options.version ? this.options.version : await this.negotiateVersion();
      if (offered) this.version = offered;
      this.serviceContent = await this.call(serviceInstance, 'RetrieveServiceContent', {});
      // No versions file (an old server): its about.apiVersion, when the type table knows it.
      const about = this.serviceContent.about.apiVersion;
      if (!offered && this.types.versions.includes(about)) this.version = about;
      await this.login(false);
      this.scheduleKeepAlive();
    } catch (error) {
      this.transport.close();
      throw error;
    }
  }

  /** The newest version both the server (vimServiceVersions.xml) and our type table know; undefined without the file. */
  private async negotiateVersion(): Promise<string | undefined> {
    const known = this.types.versions;
    let res: HttpResponse;
    try {
      res = await this.transport.send({ method: 'GET', url: new URL('/sdk/vimServiceVersions.xml', this.url), headers: {}, timeoutMs: this.options.timeoutMs ?? defaultTimeoutMs });
    } catch (error) {
      if (error instanceof TransportFailure && error.kind === 'tls') throw transportError(error, 'vimServiceVersions.xml', false);
      return undefined; // an old server without the file: RetrieveServiceContent's about.apiVersion decides
    }
    if (res.status !== 200) return undefined;
    try {
      const offered = new Set<string>();
      for (const ns of parseXml(res.text()).children.filter((c) => c.name === 'namespace')) {
        if (child(ns, 'name')?.text.trim() !== 'urn:vim25') continue;
        const current = child(ns, 'version')?.text.trim();
        if (current) offered.add(current);
        for (const v of child(ns, 'priorVersions')?.children ?? []) offered.add(v.text.trim());
      }
      for (let i = known.length - 1; i >= 0; i--) if (offered.has(known[i]!)) return known[i]!;
    } catch {
      // unreadable: as if there were no file
    }
    return undefined;
  }

  private async login(again: boolean): Promise<void> {
    if (!again && this.options.sessionCookie && (await this.resume(this.options.sessionCookie))) return;
    if (!this.credentials) return;
    const { method, args, header } = loginCall(this.credentials, again);
    this.cookie = undefined;
    this.collectors.clear(); // they belonged to the old session
    const sessionManager = this.serviceContent.sessionManager;
    if (!sessionManager) throw new VimError({ code: 'NOT_SUPPORTED', message: 'the server has no SessionManager' });
    this.session = (await this.soap(sessionManager, method, args, { retry: again ? false : undefined }, header)) as UserSession;
  }

  /** Takes up the session of `cookie` if it is still alive; false when it is not. */
  private async resume(cookie: string): Promise<boolean> {
    this.cookie = cookie;
    try {
      const [manager] = await retrieve(this, this.serviceContent.sessionManager!, ['currentSession'], { retry: false });
      const current = manager?.currentSession as UserSession | undefined;
      if (current) {
        this.session = current;
        return true;
      }
    } catch (error) {
      if (!(error instanceof VimError && error.code === 'NOT_AUTHENTICATED')) throw error;
    }
    this.cookie = undefined;
    return false;
  }

  /** The session cookie, to resume this session in another process (`ConnectOptions.sessionCookie`). */
  get sessionCookie(): string | undefined {
    return this.cookie;
  }

  /**
   * Closes the connections without logging out, so the session can be resumed by its cookie;
   * the pooled property collectors are destroyed first, so they do not pile up in that session.
   */
  async detach(): Promise<void> {
    if (this.closed) return;
    await this.collectors.drain();
    this.closed = true;
    clearTimeout(this.keepAliveTimer);
    this.transport.close();
  }

  /** A one-use ticket another client can log in with (`connect(url, { cloneTicket })`). */
  async cloneTicket(): Promise<string> {
    return this.call(this.serviceContent.sessionManager!, 'AcquireCloneTicket', {});
  }

  /**
   * The REST API (`/api` or `/rest`, detected) on the same endpoint and connections; its session
   * is created at the first call with the same user and password, and deleted by `close()`.
   */
  get rest(): RestClient {
    this.restClient ??= new RestClient(this, this.restCredentials, this.options.restFlavour);
    return this.restClient;
  }

  /** Logs out (REST session too) and closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.keepAliveTimer);
    try {
      await this.restClient?.logout();
      if (this.session && this.serviceContent.sessionManager) await this.soap(this.serviceContent.sessionManager, 'Logout', {}, { retry: false, timeoutMs: 10_000 });
    } catch (error) {
      // Already logged out (an expired session) is what close wanted anyway.
      if (!(error instanceof VimError && error.code === 'NOT_AUTHENTICATED')) throw error;
    } finally {
      this.session = undefined;
      this.transport.close();
    }
  }

  /** A typed call: `client.call(vm, 'PowerOnVM_Task', {})` resolves to the Task's reference. */
  call<T extends ManagedTypeName, M extends MethodName<T>>(ref: MoRef<T>, method: M, args: MethodParams<T, M>, options?: CallOptions): Promise<MethodResult<T, M>> {
    return this.soap(ref, method, args as Record<string, unknown>, options) as Promise<MethodResult<T, M>>;
  }

  /** An untyped call, for methods newer than the type table or types known only at run time. */
  callRaw(ref: MoRef, method: string, args: Record<string, unknown> = {}, options?: CallOptions): Promise<unknown> {
    return this.soap(ref, method, args, options);
  }

  /** The managed object `ref` with its methods typed: `await client.object(vm).PowerOnVM_Task({})`. */
  object<T extends ManagedTypeName>(ref: MoRef<T>): ManagedObjectProxy<T> {
    return new Proxy({ ref } as ManagedObjectProxy<T>, {
      get: (target, name) => {
        if (name === 'ref') return target.ref;
        if (typeof name !== 'string' || name === 'then') return undefined; // not a thenable
        return (args: Record<string, unknown> = {}, options?: CallOptions) => this.soap(ref, name, args, options);
      },
    });
  }

  // ------------------------------------------------------------------------ helpers

  /** The `paths` of `objects` (RetrievePropertiesEx, every page): `[{ ref, name: 'vm1', 'runtime.powerState': 'poweredOn' }]`. */
  retrieve<T extends string, P extends string>(objects: MoRef<T> | readonly MoRef<T>[], paths: readonly P[], options?: PagedCallOptions): Promise<Retrieved<T, P>[]> {
    return retrieve(this, objects, paths, options);
  }

  /** Every object of `type` (a container view from `root`, default the root folder) with the properties in `paths`. */
  find<T extends ManagedTypeName, P extends string = never>(type: T, options?: FindOptions<P>): Promise<Retrieved<T, P>[]> {
    return find(this, type, options);
  }

  /** The changes of `paths` of `objects` (or of a whole filter spec) as an async iterator over WaitForUpdatesEx. */
  watch(objects: readonly MoRef[] | PropertyFilterSpec, paths: readonly string[] = [], options?: WatchOptions): AsyncGenerator<ObjectUpdate[], void, undefined> {
    return watch(this, Array.isArray(objects) ? filterSpec(objects, paths) : (objects as PropertyFilterSpec), options);
  }

  /** Waits for `task` by WaitForUpdatesEx; its result, or a VimError carrying its fault. */
  waitForTask<R = unknown>(task: MoRef<'Task'>, options?: WaitForTaskOptions): Promise<R> {
    return waitForTask<R>(this, task, options);
  }

  /**
   * Calls a `*_Task` method and waits for it: `await client.runTask(folder, 'CreateVM_Task', {...})`
   * is the new VM. When the call was sent and its answer lost (`mayHaveExecuted`), it finds out
   * from TaskManager.recentTask: one task of this method on this object, by this user, queued since
   * the call was sent, is the call's and is waited for; none means it never ran, and it is called
   * once more; several (another client of the same user) leave the error as it was.
   */
  async runTask<T extends ManagedTypeName, M extends MethodName<T>>(ref: MoRef<T>, method: M, args: MethodParams<T, M>, options: WaitForTaskOptions & CallOptions = {}): Promise<TaskResult<T, M>> {
    const sent = Date.now();
    let task: MoRef<'Task'>;
    try {
      task = (await this.call(ref, method, args, options)) as unknown as MoRef<'Task'>;
    } catch (error) {
      if (!(error instanceof VimError && error.mayHaveExecuted)) throw error;
      const found = await this.tasksSince(ref, method, sent, options).catch(() => undefined);
      emit(this.options, { event: 'lost-task', method, found: found?.length });
      if (found === undefined || found.length > 1) throw error;
      task = found[0] ?? ((await this.call(ref, method, args, options)) as unknown as MoRef<'Task'>);
    }
    return this.waitForTask(task, options);
  }

  /**
   * Tasks of `method` on `ref` by this session's user queued since `sent` (this client's clock), told
   * by the server's clock: its time now less all the time that has passed here since (never less).
   */
  private async tasksSince(ref: MoRef, method: string, sent: number, options: CallOptions): Promise<MoRef<'Task'>[]> {
    const now = Date.parse((await this.call(serviceInstance, 'CurrentTime', {}, options)) as unknown as string);
    const since = new Date(now - (Date.now() - sent) - 2); // 2 ms: both clocks round to the millisecond
    const user = this.session?.userName;
    const tasks = await this.recentTasks({ entity: ref, method, since }, options);
    return tasks.filter(({ info }) => !user || (info.reason as { userName?: string } | undefined)?.userName === user).map((t) => t.ref);
  }

  /**
   * The tasks in TaskManager.recentTask, optionally of one entity, one method (`PowerOnVM_Task`)
   * and queued since a time: how to find out whether a call that failed with `mayHaveExecuted`
   * started its task after all, before deciding to call again.
   */
  async recentTasks(filter: { entity?: MoRef; method?: string; since?: Date } = {}, options?: CallOptions): Promise<{ ref: MoRef<'Task'>; info: TaskInfo }[]> {
    const taskManager = this.serviceContent.taskManager;
    if (!taskManager) return [];
    const [manager] = await this.retrieve([taskManager], ['recentTask'], options);
    const tasks = manager?.recentTask ?? [];
    if (!tasks.length) return [];
    const infos = await this.retrieve(tasks, ['info'], options);
    return infos
      .map((t) => ({ ref: t.ref, info: t.info! }))
      .filter(({ info }) => info !== undefined)
      .filter(({ info }) => !filter.entity || (info.entity?.type === filter.entity.type && info.entity.value === filter.entity.value))
      // Servers spell the method in TaskInfo differently (`ReconfigVM_Task`; vcsim `ReconfigVm` and
      // `VirtualMachine.reconfigVm`): compared without the Task suffix, underscores, case and a final VM.
      .filter(({ info }) => !filter.method || [info.name, info.descriptionId?.split('.').pop()].some((n) => n !== undefined && methodKey(n) === methodKey(filter.method!)))
      .filter(({ info }) => !filter.since || Date.parse(info.queueTime) >= filter.since.getTime());
  }

  // ------------------------------------------------------------------------ the pipeline

  private async soap(ref: MoRef, method: string, args: Record<string, unknown>, options: CallOptions = {}, loginHeader?: string): Promise<any> {
    if (this.closed && method !== 'Logout') throw new VimError({ code: 'NOT_AUTHENTICATED', method, message: `${method}: the client is closed` });
    const traceparent = traceparentFor(options.traceparent ?? this.options.traceparent);
    const operationId = options.operationId ?? spanId(traceparent);
    const header = `<operationID>${escapeXml(operationId)}</operationID>${loginHeader ?? ''}`;
    const body = encodeRequest(this.types, { method, thisRef: ref, args, header });
    let reloggedIn = false;
    return this.withRetries('soap', method, options, async (attempt) => {
      try {
        return await this.soapOnce(method, body, traceparent, operationId, attempt, options);
      } catch (error) {
        // An expired session: log in again once (shared by concurrent calls) and repeat at once.
        // The server refused the call before doing anything, so repeating is safe for any method.
        if (error instanceof VimError && error.code === 'NOT_AUTHENTICATED' && !reloggedIn && this.session && !isLoginMethod(method) && this.credentials) {
          reloggedIn = true;
          emit(this.options, { event: 'relogin', method });
          this.relogin ??= this.login(true).finally(() => (this.relogin = undefined));
          await this.relogin;
          return this.soapOnce(method, body, traceparent, operationId, attempt, options);
        }
        throw error;
      }
    });
  }

  private async soapOnce(method: string, body: string, traceparent: string, operationId: string, attempt: number, options: CallOptions): Promise<unknown> {
    const headers: Record<string, string> = {
      'content-type': 'text/xml; charset=utf-8',
      soapaction: `urn:vim25/${this.version}`,
      traceparent,
      'user-agent': this.options.userAgent ?? 'vcenter-sim-client',
    };
    if (this.cookie) headers.cookie = this.cookie;
    emit(this.options, { event: 'request', api: 'soap', method, attempt, traceparent, operationId });
    this.options.wireLog?.('request', maskSecrets(`POST ${this.url.pathname}\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${body}`));
    const started = Date.now();
    const res = await this.send({ method: 'POST', url: this.url, headers, body, timeoutMs: this.timeoutFor(options), signal: options.signal }, method, !isReadOnly(method));
    const text = res.text();
    this.options.wireLog?.('response', maskSecrets(`${res.status}\n${Object.entries(res.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${text}`));
    const setCookie = res.headers['set-cookie']?.[0];
    if (setCookie) this.cookie = setCookie.split(';')[0];
    let result: unknown;
    try {
      if ((res.status !== 200 && res.status !== 500) || !/<(\w+:)?Envelope[\s>]/.test(text)) throw httpError(res, method);
      result = decodeResponse(this.types, method, text, res.status);
      throwIfLoggedOut(method, result);
    } catch (error) {
      if (error instanceof VimError) emit(this.options, { event: 'response', api: 'soap', method, attempt, status: res.status, durationMs: Date.now() - started, code: error.code });
      throw error;
    }
    emit(this.options, { event: 'response', api: 'soap', method, attempt, status: res.status, durationMs: Date.now() - started });
    return result;
  }

  /** One HTTP exchange, its transport failures as VimErrors. Shared with the REST client. */
  async send(req: Parameters<Transport['send']>[0], method: string, mutating: boolean): Promise<HttpResponse> {
    try {
      return await this.transport.send(req);
    } catch (error) {
      if (error instanceof TransportFailure) throw transportError(error, method, mutating);
      throw error;
    }
  }

  private timeoutFor(options: CallOptions): number {
    return options.timeoutMs ?? this.options.timeoutMs ?? defaultTimeoutMs;
  }

  /**
   * Runs `attempt` with the breaker, retrying retryable failures with backoff (Retry-After when
   * the server gives one). Never retries an error that says the call may have executed.
   */
  async withRetries<R>(api: 'soap' | 'rest', method: string, options: CallOptions, attempt: (n: number) => Promise<R>): Promise<R> {
    // The call's settings over the client's: a call may retry on a client that does not, and the reverse.
    const base: RetryOptions = this.options.retry === false ? { retries: 0 } : (this.options.retry ?? {});
    const retry: RetryOptions = options.retry === false ? { retries: 0 } : { ...base, ...options.retry };
    const retries = retry.retries ?? 3;
    for (let n = 0; ; n++) {
      if (options.signal?.aborted) throw new VimError({ code: 'ABORTED', method, message: `${method}: aborted by the caller`, cause: options.signal.reason });
      this.breaker.admit(method);
      try {
        const result = await attempt(n);
        this.breaker.success();
        return result;
      } catch (error) {
        if (!(error instanceof VimError)) throw error;
        if (isEndpointFailure(error)) this.breaker.failure();
        else if (error.code !== 'RATE_LIMITED' && error.code !== 'CIRCUIT_OPEN' && error.code !== 'ABORTED') this.breaker.success();
        if (n >= retries || !error.retryable || error.mayHaveExecuted) throw error;
        const maxRetryAfter = retry.maxRetryAfterMs ?? 60_000;
        if (error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfter) throw error;
        const delayMs = error.retryAfterMs ?? backoffDelay(n, retry);
        emit(this.options, { event: 'retry', api, method, attempt: n + 1, delayMs, code: error.code, retryAfterMs: error.retryAfterMs });
        await sleep(delayMs, options.signal);
      }
    }
  }

  private scheduleKeepAlive(): void {
    const every = this.options.keepAliveMs;
    if (!every || this.closed) return;
    clearTimeout(this.keepAliveTimer);
    this.keepAliveTimer = setTimeout(() => {
      this.call(serviceInstance, 'CurrentTime', {}, { retry: false })
        .catch((error: unknown) => emit(this.options, { event: 'response', api: 'soap', method: 'CurrentTime', attempt: 0, status: 0, durationMs: 0, code: (error as VimError).code }))
        .finally(() => this.scheduleKeepAlive());
    }, every);
    this.keepAliveTimer.unref();
  }
}

const methodKey = (name: string) => name.replace(/_?Task$/, '').replace(/_/g, '').toLowerCase().replace(/vm$/, '');

/**
 * Property retrieval answers a caller without a session with NotAuthenticated in each object's
 * missingSet rather than a fault (govmomi reads "not logged in" from it): made the fault it means,
 * so an expired session is logged in again as for any other call.
 */
function throwIfLoggedOut(method: string, result: unknown): void {
  if (!method.startsWith('RetrieveProperties') && method !== 'ContinueRetrievePropertiesEx') return;
  const objects = (Array.isArray(result) ? result : ((result as RetrieveResult | undefined)?.objects ?? [])) as ObjectContent[];
  const fault = objects[0]?.missingSet?.find((m) => m.fault?.fault?._type === 'NotAuthenticated')?.fault;
  if (fault) throw faultError('NotAuthenticated', fault.localizedMessage ?? 'The session is not authenticated.', fault.fault as unknown as Record<string, unknown>, { method });
}

const isLoginMethod = (method: string) => method.startsWith('Login') || method === 'CloneSession' || method === 'Logout';

/** A VimError for an HTTP answer that is not a SOAP envelope (or a vAPI error, for REST). */
export function httpError(res: HttpResponse, method: string, code?: ErrorCode): VimError {
  const status = res.status;
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(res.headers['retry-after']) : undefined;
  return new VimError({
    code: code ?? httpStatusCodes[status] ?? 'HTTP_ERROR',
    status,
    method,
    retryAfterMs,
    message: `${method}: HTTP ${status}${retryAfterMs !== undefined ? ` (Retry-After ${retryAfterMs} ms)` : ''}${res.body.length ? `: ${res.text().slice(0, 200)}` : ''}`,
  });
}

