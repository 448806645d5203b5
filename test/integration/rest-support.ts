/**
 * A plain HTTPS client for the REST suites: real requests to a simulator (self-signed certificate
 * accepted), the reply's status, headers and body as text and JSON.
 */
import { Agent, request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { SoapClient } from '../../client/soap.js';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../simulator/index.js';

export interface RestReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON; undefined when empty. */
  json: any;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: string;
  /** Sends the session token in the `vmware-api-session-id` header. */
  token?: string;
}

export class RestTestClient {
  private readonly agent = new Agent({ keepAlive: true, rejectUnauthorized: false });
  readonly base: string;

  constructor(sim: Simulator) {
    this.base = sim.url.replace(/\/sdk$/, '');
  }

  send(method: string, path: string, options: RequestOptions = {}): Promise<RestReply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['vmware-api-session-id'] = options.token;
    return new Promise((resolve, reject) => {
      const req = request(`${this.base}${path}`, { method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: text ? JSON.parse(text) : undefined });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(options.body);
    });
  }

  get(path: string, token?: string): Promise<RestReply> {
    return this.send('GET', path, { token });
  }

  /** A new session's token, made through `/api` or `/rest`. */
  async login(user = 'user', password = 'pass', flavour: 'api' | 'rest' = 'api'): Promise<string> {
    const path = flavour === 'api' ? '/api/session' : '/rest/com/vmware/cis/session';
    const reply = await this.send('POST', path, { headers: { authorization: basic(user, password) } });
    if (reply.status >= 300) throw new Error(`login failed: ${reply.status} ${reply.text}`);
    return flavour === 'api' ? reply.json : reply.json.value;
  }

  close(): void {
    this.agent.destroy();
  }
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** The `/rest` form of a map (`[{key, value}]`) as an object, to compare with the `/api` form. */
export function fromKeyValues(entries: { key: string; value: unknown }[]): Record<string, unknown> {
  return Object.fromEntries(entries.map(({ key, value }) => [key, value]));
}

/** What the cross-API suites share: a simulator, a REST client with a token of each flavour, a SOAP client. */
export interface CrossApi {
  sim: Simulator;
  rest: RestTestClient;
  soap: SoapClient;
  /** An /api session token. */
  token: string;
  /** A /rest session token. */
  restToken: string;
}

export async function openCrossApi(options: SimulatorOptions = {}): Promise<CrossApi> {
  const sim = await createSimulator(options);
  const rest = new RestTestClient(sim);
  const soap = new SoapClient({ url: sim.url });
  await soap.login('user', 'pass');
  return { sim, rest, soap, token: await rest.login('user', 'pass', 'api'), restToken: await rest.login('user', 'pass', 'rest') };
}

export async function closeCrossApi({ sim, rest, soap }: Partial<CrossApi>): Promise<void> {
  rest?.close();
  soap?.close();
  await sim?.close();
}
