/**
 * The content library calls in either REST flavour, for the rest-content suites: `/api/content/*`
 * (`?action=`, bare JSON, specs sent whole) or `/rest/com/vmware/content/*` (`?~action=`,
 * `{"value": ...}`, `create_spec`/`update_spec`/`file_spec` wrappers, `id:` path ids). Plus raw
 * byte transfers to the endpoints the server hands out.
 */
import { Agent, request } from 'node:https';
import { expect } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from '../clients/inventory.js';
import { RestTestClient, type RestReply } from './rest-support.js';

export type Flavour = 'api' | 'rest';

export interface VapiFailure {
  status: number;
  type: string;
  message: string;
}

export class Content {
  constructor(
    readonly http: RestTestClient,
    readonly flavour: Flavour,
    readonly token: string,
  ) {}

  /** `/api/<api>` or `/rest/<rest>`, with the id (`id:` on /rest) and action appended. */
  path(api: string, rest: string, id?: string, action?: string): string {
    const base = this.flavour === 'api' ? `/api/${api}` : `/rest/com/vmware/${rest}`;
    const withId = id === undefined ? base : `${base}/${this.flavour === 'rest' ? 'id:' : ''}${encodeURIComponent(id)}`;
    if (action === undefined) return withId;
    return `${withId}${withId.includes('?') ? '&' : '?'}${this.flavour === 'api' ? 'action' : '~action'}=${action}`;
  }

  /** The same resource under both prefixes (`content/library` is `/api/content/library` and `/rest/com/vmware/content/library`). */
  at(resource: string, id?: string, action?: string): string {
    return this.path(resource, resource, id, action);
  }

  raw(method: string, path: string, body?: unknown): Promise<RestReply> {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    return this.http.send(method, path, { token: this.token, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  /** The call's unwrapped result; fails the test on an error status. */
  async ok(method: string, path: string, body?: unknown): Promise<any> {
    const reply = await this.raw(method, path, body);
    if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${reply.text}`);
    if (reply.text === '') return undefined;
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    return this.flavour === 'rest' ? reply.json.value : reply.json;
  }

  /** A failed call's status, vAPI error type and first message, in either flavour's form. */
  async error(method: string, path: string, body?: unknown): Promise<VapiFailure> {
    return vapiFailure(this.flavour, await this.raw(method, path, body));
  }

  /** A body `/rest` wraps in `key` and `/api` sends whole. */
  wrap(key: string, spec: unknown): unknown {
    return this.flavour === 'rest' ? { [key]: spec } : spec;
  }

  createLibrary(spec: Record<string, unknown>): Promise<string> {
    return this.ok('POST', this.at('content/local-library'), this.wrap('create_spec', spec));
  }

  createItem(spec: Record<string, unknown>): Promise<string> {
    return this.ok('POST', this.at('content/library/item'), this.wrap('create_spec', spec));
  }

  createUpdateSession(itemId: string): Promise<string> {
    return this.ok('POST', this.at('content/library/item/update-session'), this.wrap('create_spec', { library_item_id: itemId }));
  }

  createDownloadSession(itemId: string): Promise<string> {
    return this.ok('POST', this.at('content/library/item/download-session'), this.wrap('create_spec', { library_item_id: itemId }));
  }

  /** `updatesession/file`: `/api` names the session in the path, `/rest` as `id:` after `file`. */
  updateFiles(session: string, action?: string): string {
    return this.flavour === 'api'
      ? this.path(`content/library/item/updatesession/${session}/file`, '', undefined, action)
      : this.path('', 'content/library/item/updatesession/file', session, action);
  }

  downloadFiles(session: string, action?: string): string {
    return this.flavour === 'api'
      ? this.path(`content/library/item/downloadsession/${session}/file`, '', undefined, action)
      : this.path('', 'content/library/item/downloadsession/file', session, action);
  }

  addFile(session: string, spec: Record<string, unknown>): Promise<any> {
    return this.ok('POST', this.updateFiles(session, 'add'), this.wrap('file_spec', spec));
  }

  /** The files of an item: `/api` `item/{id}/file`, `/rest` `item/file?library_item_id=`. */
  itemFiles(itemId: string): Promise<any[]> {
    return this.ok(
      'GET',
      this.flavour === 'api' ? `/api/content/library/item/${itemId}/file` : `/rest/com/vmware/content/library/item/file?library_item_id=${itemId}`,
    );
  }

  /** Adds `name`, PUTs `bytes` to its upload endpoint and completes the session. */
  async upload(itemId: string, name: string, bytes: Buffer): Promise<void> {
    const session = await this.createUpdateSession(itemId);
    const file = await this.addFile(session, { name, source_type: 'PUSH', size: bytes.length });
    const put = await transfer('PUT', file.upload_endpoint.uri, this.token, bytes);
    expect(put.status, put.body.toString()).toBe(200);
    await this.ok('POST', this.at('content/library/item/update-session', session, 'complete'));
  }
}

export function vapiFailure(flavour: Flavour, reply: RestReply): VapiFailure {
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  if (flavour === 'api') return { status: reply.status, type: reply.json.error_type, message: reply.json.messages[0].default_message };
  expect(reply.json.type).toBe(`com.vmware.vapi.std.errors.${reply.json.value.error_type.toLowerCase()}`);
  return { status: reply.status, type: reply.json.value.error_type, message: reply.json.value.messages[0].default_message };
}

const agent = new Agent({ keepAlive: false, rejectUnauthorized: false });

/** A raw byte transfer (PUT of an upload, GET of a download) to a full URI, with a session token. */
export function transfer(
  method: 'PUT' | 'GET',
  uri: string,
  token: string | undefined,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const all: Record<string, string> = { ...headers };
  if (token) all['vmware-api-session-id'] = token;
  if (body && !('content-type' in all)) all['content-type'] = 'application/octet-stream';
  // An empty content type means none at all.
  if (all['content-type'] === '') delete all['content-type'];
  return new Promise((resolve, reject) => {
    const req = request(uri, { method, agent, headers: all }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The content library's state, as a world document holds it: equal strings, equal state. */
/** What the content library suites share: a simulator, its REST client, a logged-in Content per flavour, LocalDS_0's id. */
export async function openContent(): Promise<{ sim: Simulator; http: RestTestClient; clients: Record<Flavour, Content>; datastore: string }> {
  const sim = await createSimulator();
  const http = new RestTestClient(sim);
  const clients = {} as Record<Flavour, Content>;
  for (const flavour of ['api', 'rest'] as const) clients[flavour] = new Content(http, flavour, await http.login('user', 'pass', flavour));
  return { sim, http, clients, datastore: named(sim, 'Datastore', 'LocalDS_0').self.value };
}

export function snapshotOf(sim: Simulator): string {
  return JSON.stringify(sim.state.save().stores.contentLibrary);
}
