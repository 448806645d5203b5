/**
 * The vCenter REST client, one typed surface over both flavours: `/api` (7.0 U2+: bare JSON,
 * `?action=`) and `/rest` (6.5/6.7: `{"value": ...}`, `?~action=`, `com/vmware/` paths, `id:`
 * ids, wrapped bodies, `filter.` queries). The flavour is detected at the first session create:
 * a server without `/api/session` (404) speaks `/rest`. Calls share the SOAP client's connections,
 * retries, breaker and trace context; vAPI errors become VimErrors. An expired session (401) is
 * created again once and the call repeated.
 */
import type { CallOptions, VimClient } from './client.js';
import { httpError } from './client.js';
import { VimError, codeOfVapiError, httpStatusCodes } from './errors.js';
import { emit, maskSecrets, traceparentFor } from './observe.js';
import type { HttpResponse } from './transport.js';

export type RestFlavour = 'api' | 'rest';

/** One operation: its `/api` path (`/vcenter/vm/{vm}`) and how `/rest` spells it differently. */
export interface RestOperation {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  path: string;
  action?: string;
  /** The `/rest` path when it is not the `/api` one with `cis/` and `content/` under `com/vmware/`. */
  restPath?: string;
  /** `/rest` wraps the body in this field (`spec`, `create_spec`, ...). */
  restBodyKey?: string;
  /** The query is a list filter (`filter.<field>` on /rest). */
  filter?: boolean;
}

// ---------------------------------------------------------------------------- types of the answers

export type VmPowerState = 'POWERED_ON' | 'POWERED_OFF' | 'SUSPENDED';
export interface VmSummary { vm: string; name: string; power_state: VmPowerState; cpu_count?: number; memory_size_MiB?: number }
export interface VmInfo {
  name: string;
  power_state: VmPowerState;
  guest_OS: string;
  cpu: { count: number; cores_per_socket: number; hot_add_enabled: boolean; hot_remove_enabled: boolean };
  memory: { size_MiB: number; hot_add_enabled: boolean };
  disks: Record<string, unknown>;
  nics: Record<string, unknown>;
  [more: string]: unknown;
}
export interface VmHardwareInfo { version: string; upgrade_policy: string; upgrade_status: string; [more: string]: unknown }
export interface HostSummary { host: string; name: string; connection_state: 'CONNECTED' | 'DISCONNECTED' | 'NOT_RESPONDING'; power_state?: string }
export interface ClusterSummary { cluster: string; name: string; ha_enabled: boolean; drs_enabled: boolean }
export interface DatacenterSummary { datacenter: string; name: string }
export interface DatastoreSummary { datastore: string; name: string; type: string; free_space?: number; capacity?: number }
export interface NetworkSummary { network: string; name: string; type: 'STANDARD_PORTGROUP' | 'DISTRIBUTED_PORTGROUP' | 'OPAQUE_NETWORK' }
export interface FolderSummary { folder: string; name: string; type: 'DATACENTER' | 'DATASTORE' | 'HOST' | 'NETWORK' | 'VIRTUAL_MACHINE' }
export interface ResourcePoolSummary { resource_pool: string; name: string }
export interface VmFilter { names?: string[]; vms?: string[]; hosts?: string[]; clusters?: string[]; datacenters?: string[]; folders?: string[]; resource_pools?: string[]; power_states?: VmPowerState[] }
export interface TagCategory { id: string; name: string; description: string; cardinality: 'SINGLE' | 'MULTIPLE'; associable_types: string[]; used_by: string[] }
export interface TagCategoryCreate { name: string; description: string; cardinality: 'SINGLE' | 'MULTIPLE'; associable_types: string[] }
export interface Tag { id: string; category_id: string; name: string; description: string; used_by: string[] }
export interface TagCreate { name: string; description: string; category_id: string }
export interface DynamicId { type: string; id: string }
export interface Library { id: string; name: string; type: 'LOCAL' | 'SUBSCRIBED'; description?: string; storage_backings: { type: 'DATASTORE' | 'OTHER'; datastore_id?: string }[]; [more: string]: unknown }
export interface LibraryCreate { name: string; description?: string; type?: 'LOCAL'; storage_backings: { type: 'DATASTORE'; datastore_id: string }[] }
export interface LibraryItem { id: string; library_id: string; name: string; type: string; size?: number; [more: string]: unknown }
export interface CisTaskInfo { status: 'PENDING' | 'RUNNING' | 'BLOCKED' | 'SUCCEEDED' | 'FAILED'; operation?: string; progress?: { completed: number; total: number }; error?: unknown; result?: unknown; [more: string]: unknown }

const cisPath = (path: string) => path.replace(/^\/(cis|content)\//, '/com/vmware/$1/');

export class RestClient {
  private token?: string;
  private flavourFound?: RestFlavour;
  private creating?: Promise<void>;

  constructor(
    private readonly client: VimClient,
    private readonly credentials: { username: string; password: string } | undefined,
    /** Force a flavour instead of detecting it. */
    private readonly forced?: RestFlavour,
  ) {}

  get flavour(): RestFlavour | undefined {
    return this.flavourFound;
  }

  /** The session token, to resume the session in another process (`resume`). */
  get sessionToken(): string | undefined {
    return this.token;
  }

  /**
   * Takes up a session created earlier (`sessionToken`, `flavour`) without a call; if it has
   * expired, the first call's 401 creates a new one, as for any expired session.
   */
  resume(token: string, flavour: RestFlavour): void {
    this.token = token;
    this.flavourFound = flavour;
  }

  // ------------------------------------------------------------------------ session

  /** Creates the REST session (the first call does it by itself). */
  async login(options?: CallOptions): Promise<void> {
    this.creating ??= this.createSession(options).finally(() => (this.creating = undefined));
    await this.creating;
  }

  private async createSession(options: CallOptions = {}): Promise<void> {
    if (!this.credentials) throw new VimError({ code: 'NOT_SUPPORTED', message: 'a REST session needs a username and password (connect with them)' });
    const basic = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    for (const flavour of this.forced ? [this.forced] : (['api', 'rest'] as const)) {
      const path = flavour === 'api' ? '/api/session' : '/rest/com/vmware/cis/session';
      const res = await this.exchange('POST', path, undefined, { authorization: basic }, options);
      if (res.status === 404 && !this.forced && flavour === 'api') continue; // a 6.5/6.7 server (or vcsim): /rest
      if (res.status < 200 || res.status >= 300) throw this.errorOf(res, `POST ${path}`);
      const body = JSON.parse(res.text()) as string | { value: string };
      this.token = typeof body === 'string' ? body : body.value;
      this.flavourFound = flavour;
      return;
    }
  }

  /** Deletes the REST session. */
  async logout(): Promise<void> {
    if (!this.token) return;
    const path = this.flavourFound === 'api' ? '/api/session' : '/rest/com/vmware/cis/session';
    await this.exchange('DELETE', path, undefined, { 'vmware-api-session-id': this.token }, { retry: false }).catch(() => undefined);
    this.token = undefined;
  }

  // ------------------------------------------------------------------------ the one call

  /**
   * Calls an operation in either flavour: `/api` path and body, translated for `/rest`.
   * Resolves with the answer's JSON (unwrapped from `value` on /rest), undefined when none.
   */
  async request<R = unknown>(op: RestOperation, params: Record<string, string> = {}, body?: unknown, query: object = {}, options: CallOptions = {}): Promise<R> {
    if (!this.token) await this.login(options);
    const name = `${op.method} ${op.path}${op.action ? `?action=${op.action}` : ''}`;
    const traceparent = traceparentFor(options.traceparent ?? this.client.options.traceparent);
    let renewed = false;
    return this.client.withRetries('rest', name, { ...options, traceparent }, async () => {
      const send = () => {
        const { path, payload } = this.translate(op, params, body, query);
        return this.exchange(op.method, path, payload, { 'vmware-api-session-id': this.token! }, { ...options, traceparent }, op.method !== 'GET');
      };
      let res = await send();
      if (res.status === 401 && !renewed && this.credentials) {
        // The session expired: create it again once and repeat (the server refused the call, so it did nothing).
        renewed = true;
        emit(this.client.options, { event: 'relogin', method: name });
        this.token = undefined;
        await this.login(options);
        res = await send();
      }
      if (res.status < 200 || res.status >= 300) throw this.errorOf(res, name);
      if (!res.body.length) return undefined as R;
      const json = JSON.parse(res.text()) as unknown;
      return (this.flavourFound === 'rest' && json && typeof json === 'object' && 'value' in json ? (json as { value: unknown }).value : json) as R;
    });
  }

  private translate(op: RestOperation, params: Record<string, string>, body: unknown, query: object) {
    const rest = this.flavourFound === 'rest';
    let template = rest ? (op.restPath ?? cisPath(op.path)) : op.path;
    template = template.replace(/\{(\w+)\}/g, (_m, key: string) => {
      const value = params[key];
      if (value === undefined) throw new VimError({ code: 'INVALID_ARGUMENT', message: `${op.path}: missing path parameter ${key}` });
      // /rest writes cis and content identifiers as id:<id>.
      return encodeURIComponent(rest && /^\/com\/vmware\//.test(template) ? `id:${value}` : value);
    });
    const search = new URLSearchParams();
    // /api names an action in the query; /rest too (`~action`), unless its path spells it (power/start).
    if (op.action && !(rest && op.restPath)) search.set(rest ? '~action' : 'action', op.action);
    for (const [key, value] of Object.entries(query) as [string, string | string[] | undefined][]) {
      if (value === undefined) continue;
      const name = rest && op.filter ? `filter.${key}` : key;
      for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
    }
    const qs = search.toString();
    const payload = body === undefined ? undefined : rest && op.restBodyKey ? { [op.restBodyKey]: body } : body;
    return { path: `/${rest ? 'rest' : 'api'}${template}${qs ? `?${qs}` : ''}`, payload };
  }

  private async exchange(method: string, path: string, body: unknown, headers: Record<string, string>, options: CallOptions, mutating = method !== 'GET'): Promise<HttpResponse> {
    const traceparent = traceparentFor(options.traceparent ?? this.client.options.traceparent);
    const all: Record<string, string> = { accept: 'application/json', traceparent, ...headers };
    const text = body === undefined ? undefined : JSON.stringify(body);
    if (text !== undefined) all['content-type'] = 'application/json';
    const url = new URL(path, this.client.url);
    emit(this.client.options, { event: 'request', api: 'rest', method: `${method} ${path}`, attempt: 0, traceparent });
    this.client.options.wireLog?.('request', maskSecrets(`${method} ${path}\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${text ?? ''}`));
    const started = Date.now();
    const res = await this.client.send({ method, url, headers: all, body: text, timeoutMs: options.timeoutMs ?? this.client.options.timeoutMs ?? 60_000, signal: options.signal }, `${method} ${path}`, mutating);
    this.client.options.wireLog?.('response', maskSecrets(`${res.status}\n${Object.entries(res.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${res.text()}`));
    emit(this.client.options, { event: 'response', api: 'rest', method: `${method} ${path}`, attempt: 0, status: res.status, durationMs: Date.now() - started });
    return res;
  }

  /** A vAPI error (either flavour's form) as a VimError; a bare status by its code. */
  private errorOf(res: HttpResponse, name: string): VimError {
    let parsed: { type?: string; error_type?: string; value?: { error_type?: string; messages?: { default_message?: string }[] }; messages?: { default_message?: string }[] } | undefined;
    try {
      parsed = JSON.parse(res.text());
    } catch {
      parsed = undefined;
    }
    const error = parsed?.value && typeof parsed.value === 'object' ? { ...parsed.value, type: parsed.type } : parsed;
    const type = error?.type ?? (error?.error_type ? `com.vmware.vapi.std.errors.${error.error_type.toLowerCase()}` : undefined);
    if (!type) return httpError(res, name);
    const code = codeOfVapiError(type);
    const message = error?.messages?.[0]?.default_message ?? type;
    const retryAfter = httpError(res, name).retryAfterMs;
    return new VimError({
      code: code === 'FAULT' ? (httpStatusCodes[res.status] ?? code) : code,
      faultType: type,
      fault: error as Record<string, unknown>,
      status: res.status,
      method: name,
      message: `${name}: ${message}`,
      retryAfterMs: retryAfter,
    });
  }

  // ------------------------------------------------------------------------ vcenter inventory

  readonly vcenter = {
    vm: {
      list: (filter: VmFilter = {}, options?: CallOptions) => this.request<VmSummary[]>({ method: 'GET', path: '/vcenter/vm', filter: true }, {}, undefined, filter, options),
      get: (vm: string, options?: CallOptions) => this.request<VmInfo>({ method: 'GET', path: '/vcenter/vm/{vm}' }, { vm }, undefined, {}, options),
      delete: (vm: string, options?: CallOptions) => this.request<void>({ method: 'DELETE', path: '/vcenter/vm/{vm}' }, { vm }, undefined, {}, options),
      hardware: (vm: string, options?: CallOptions) => this.request<VmHardwareInfo>({ method: 'GET', path: '/vcenter/vm/{vm}/hardware' }, { vm }, undefined, {}, options),
      cpu: (vm: string, options?: CallOptions) => this.request<VmInfo['cpu']>({ method: 'GET', path: '/vcenter/vm/{vm}/hardware/cpu' }, { vm }, undefined, {}, options),
      setCpu: (vm: string, spec: { count?: number; cores_per_socket?: number }, options?: CallOptions) =>
        this.request<void>({ method: 'PATCH', path: '/vcenter/vm/{vm}/hardware/cpu', restBodyKey: 'spec' }, { vm }, spec, {}, options),
      memory: (vm: string, options?: CallOptions) => this.request<VmInfo['memory']>({ method: 'GET', path: '/vcenter/vm/{vm}/hardware/memory' }, { vm }, undefined, {}, options),
      setMemory: (vm: string, spec: { size_MiB?: number }, options?: CallOptions) =>
        this.request<void>({ method: 'PATCH', path: '/vcenter/vm/{vm}/hardware/memory', restBodyKey: 'spec' }, { vm }, spec, {}, options),
      power: {
        get: (vm: string, options?: CallOptions) => this.request<{ state: VmPowerState }>({ method: 'GET', path: '/vcenter/vm/{vm}/power' }, { vm }, undefined, {}, options),
        start: (vm: string, options?: CallOptions) => this.power(vm, 'start', options),
        stop: (vm: string, options?: CallOptions) => this.power(vm, 'stop', options),
        reset: (vm: string, options?: CallOptions) => this.power(vm, 'reset', options),
        suspend: (vm: string, options?: CallOptions) => this.power(vm, 'suspend', options),
      },
    },
    host: { list: (filter: { names?: string[]; connection_states?: string[] } = {}, options?: CallOptions) => this.request<HostSummary[]>({ method: 'GET', path: '/vcenter/host', filter: true }, {}, undefined, filter, options) },
    cluster: { list: (filter: { names?: string[] } = {}, options?: CallOptions) => this.request<ClusterSummary[]>({ method: 'GET', path: '/vcenter/cluster', filter: true }, {}, undefined, filter, options) },
    datacenter: { list: (filter: { names?: string[] } = {}, options?: CallOptions) => this.request<DatacenterSummary[]>({ method: 'GET', path: '/vcenter/datacenter', filter: true }, {}, undefined, filter, options) },
    datastore: { list: (filter: { names?: string[] } = {}, options?: CallOptions) => this.request<DatastoreSummary[]>({ method: 'GET', path: '/vcenter/datastore', filter: true }, {}, undefined, filter, options) },
    network: { list: (filter: { names?: string[] } = {}, options?: CallOptions) => this.request<NetworkSummary[]>({ method: 'GET', path: '/vcenter/network', filter: true }, {}, undefined, filter, options) },
    folder: { list: (filter: { names?: string[]; type?: FolderSummary['type'] } = {}, options?: CallOptions) => this.request<FolderSummary[]>({ method: 'GET', path: '/vcenter/folder', filter: true }, {}, undefined, filter, options) },
    resourcePool: { list: (filter: { names?: string[] } = {}, options?: CallOptions) => this.request<ResourcePoolSummary[]>({ method: 'GET', path: '/vcenter/resource-pool', filter: true }, {}, undefined, filter, options) },
  };

  private power(vm: string, action: 'start' | 'stop' | 'reset' | 'suspend', options?: CallOptions): Promise<void> {
    return this.request<void>({ method: 'POST', path: '/vcenter/vm/{vm}/power', action, restPath: `/vcenter/vm/{vm}/power/${action}` }, { vm }, undefined, {}, options);
  }

  // ------------------------------------------------------------------------ tagging

  readonly tagging = {
    category: {
      list: (options?: CallOptions) => this.request<string[]>({ method: 'GET', path: '/cis/tagging/category' }, {}, undefined, {}, options),
      get: (id: string, options?: CallOptions) => this.request<TagCategory>({ method: 'GET', path: '/cis/tagging/category/{id}' }, { id }, undefined, {}, options),
      create: (spec: TagCategoryCreate, options?: CallOptions) => this.request<string>({ method: 'POST', path: '/cis/tagging/category', restBodyKey: 'create_spec' }, {}, spec, {}, options),
      delete: (id: string, options?: CallOptions) => this.request<void>({ method: 'DELETE', path: '/cis/tagging/category/{id}' }, { id }, undefined, {}, options),
    },
    tag: {
      list: (options?: CallOptions) => this.request<string[]>({ method: 'GET', path: '/cis/tagging/tag' }, {}, undefined, {}, options),
      get: (id: string, options?: CallOptions) => this.request<Tag>({ method: 'GET', path: '/cis/tagging/tag/{id}' }, { id }, undefined, {}, options),
      create: (spec: TagCreate, options?: CallOptions) => this.request<string>({ method: 'POST', path: '/cis/tagging/tag', restBodyKey: 'create_spec' }, {}, spec, {}, options),
      delete: (id: string, options?: CallOptions) => this.request<void>({ method: 'DELETE', path: '/cis/tagging/tag/{id}' }, { id }, undefined, {}, options),
    },
    association: {
      attach: (tag: string, object: DynamicId, options?: CallOptions) =>
        this.request<void>({ method: 'POST', path: '/cis/tagging/tag-association/{tag}', action: 'attach' }, { tag }, { object_id: object }, {}, options),
      detach: (tag: string, object: DynamicId, options?: CallOptions) =>
        this.request<void>({ method: 'POST', path: '/cis/tagging/tag-association/{tag}', action: 'detach' }, { tag }, { object_id: object }, {}, options),
      listAttachedObjects: (tag: string, options?: CallOptions) =>
        // An empty object, not no body: vcsim 0.24.2 answers 400 to a bodiless POST here.
        this.request<DynamicId[]>({ method: 'POST', path: '/cis/tagging/tag-association/{tag}', action: 'list-attached-objects' }, { tag }, {}, {}, options),
      listAttachedTags: (object: DynamicId, options?: CallOptions) =>
        this.request<string[]>({ method: 'POST', path: '/cis/tagging/tag-association', action: 'list-attached-tags' }, {}, { object_id: object }, {}, options),
    },
  };

  // ------------------------------------------------------------------------ content library

  readonly content = {
    library: {
      list: (options?: CallOptions) => this.request<string[]>({ method: 'GET', path: '/content/library' }, {}, undefined, {}, options),
      get: (id: string, options?: CallOptions) => this.request<Library>({ method: 'GET', path: '/content/library/{id}' }, { id }, undefined, {}, options),
    },
    localLibrary: {
      create: (spec: LibraryCreate, options?: CallOptions) =>
        this.request<string>({ method: 'POST', path: '/content/local-library', restBodyKey: 'create_spec' }, {}, { type: 'LOCAL', ...spec }, {}, options),
      delete: (id: string, options?: CallOptions) => this.request<void>({ method: 'DELETE', path: '/content/local-library/{id}' }, { id }, undefined, {}, options),
    },
    item: {
      list: (libraryId: string, options?: CallOptions) => this.request<string[]>({ method: 'GET', path: '/content/library/item' }, {}, undefined, { library_id: libraryId }, options),
      get: (id: string, options?: CallOptions) => this.request<LibraryItem>({ method: 'GET', path: '/content/library/item/{id}' }, { id }, undefined, {}, options),
      create: (spec: { library_id: string; name: string; type?: string; description?: string }, options?: CallOptions) =>
        this.request<string>({ method: 'POST', path: '/content/library/item', restBodyKey: 'create_spec' }, {}, spec, {}, options),
      delete: (id: string, options?: CallOptions) => this.request<void>({ method: 'DELETE', path: '/content/library/item/{id}' }, { id }, undefined, {}, options),
    },
  };

  // ------------------------------------------------------------------------ cis tasks

  readonly tasks = {
    get: (task: string, options?: CallOptions) => this.request<CisTaskInfo>({ method: 'GET', path: '/cis/tasks/{task}' }, { task }, undefined, {}, options),
  };
}
