/**
 * The simulator's control API (`/_sim` on the vSphere endpoint): JSON calls through the client's
 * transport (keep-alive, TLS verification, thumbprint pinning), and the journal's Server-Sent
 * Events stream, resumable from the last event seen.
 */
import { Agent, request } from 'node:https';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Duplex } from 'node:stream';
import { VimError, httpStatusCodes, type ErrorCode } from '../errors.js';
import { maskSecrets } from '../observe.js';
import { Transport, TransportFailure, transportError, type HttpResponse } from '../transport.js';
import type { Settings } from './settings.js';

export interface StreamEvent {
  id?: string;
  event: string;
  data: string;
}

export class ControlClient {
  private readonly transport: Transport;
  readonly base: URL;

  constructor(
    private readonly settings: Settings,
    private readonly wireLog: (direction: string, text: string) => void,
  ) {
    this.base = new URL('/_sim/', settings.url);
    this.transport = new Transport(this.base, { insecure: settings.insecure, thumbprint: settings.thumbprint });
  }

  private authorization(): string {
    if (this.settings.controlToken) return `Bearer ${this.settings.controlToken}`;
    return `Basic ${Buffer.from(`${this.settings.username ?? ''}:${this.settings.password ?? ''}`).toString('base64')}`;
  }

  private url(path: string): URL {
    return path.startsWith('/') ? new URL(path, this.base) : new URL(path, this.base);
  }

  /** One call; its JSON answer (or text for non-JSON answers), a VimError for a non-2xx status. */
  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const url = this.url(path);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { authorization: this.authorization(), accept: 'application/json' };
    if (text !== undefined) headers['content-type'] = 'application/json';
    const name = `${method} ${url.pathname}`;
    this.wireLog('request', maskSecrets(`${name}${url.search}\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${text ?? ''}`));
    let res: HttpResponse;
    try {
      res = await this.transport.send({ method, url, headers, body: text, timeoutMs: 60_000 });
    } catch (error) {
      if (error instanceof TransportFailure) throw transportError(error, name, method !== 'GET');
      throw error;
    }
    this.wireLog('response', `${res.status}\n\n${res.text()}`);
    if (res.status < 200 || res.status >= 300) throw controlError(res.status, res.text(), name);
    if (!res.body.length) return undefined as T;
    return (String(res.headers['content-type']).includes('json') ? JSON.parse(res.text()) : res.text()) as T;
  }

  /**
   * The events of an SSE route, reconnecting with Last-Event-ID when the connection drops, until
   * `signal` aborts. `path` carries the query; `after` the seq to resume after.
   */
  async *stream(path: string, signal: AbortSignal | undefined, after?: string): AsyncGenerator<StreamEvent> {
    let last = after;
    let failures = 0;
    while (!signal?.aborted) {
      try {
        for await (const event of this.streamOnce(path, signal, last)) {
          failures = 0;
          if (event.id) last = event.id;
          yield event;
        }
      } catch (error) {
        if (signal?.aborted) return;
        if (error instanceof VimError && !error.retryable) throw error;
        if (++failures > 5) throw error;
      }
      if (signal?.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** failures, 5_000)));
    }
  }

  private async *streamOnce(path: string, signal: AbortSignal | undefined, after: string | undefined): AsyncGenerator<StreamEvent> {
    const url = this.url(path);
    const headers: Record<string, string> = { authorization: this.authorization(), accept: 'text/event-stream' };
    if (after) headers['last-event-id'] = after;
    this.wireLog('request', maskSecrets(`GET ${url.pathname}${url.search}\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n')}`));
    const res = await this.open(url, headers, signal);
    if ((res.statusCode ?? 0) >= 300) {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      throw controlError(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), `GET ${url.pathname}`);
    }
    yield* parseSse(res);
  }

  private open(url: URL, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const options = { method: 'GET', headers, signal, agent: url.protocol === 'https:' ? pinnedAgent(this.settings) : undefined };
      const req = (url.protocol === 'https:' ? request : httpRequest)(url, options, resolve);
      req.on('error', (error: NodeJS.ErrnoException) => reject(new VimError({ code: /CERT|THUMBPRINT|TLS/.test(error.code ?? '') ? 'TLS' : 'TRANSPORT', message: `GET ${url.pathname}: ${error.message}`, cause: error })));
      req.end();
    });
  }

  close(): void {
    this.transport.close();
  }
}

/** An agent verifying the server as the client's transport does: CA, insecure, or a pinned thumbprint checked before any byte is sent. */
function pinnedAgent(settings: Settings): Agent {
  const pinned = settings.thumbprint?.replace(/:/g, '').toUpperCase();
  const agent = new Agent({ rejectUnauthorized: !settings.insecure && !pinned });
  if (pinned) {
    (agent as unknown as { createConnection: unknown }).createConnection = (options: ConnectionOptions, done: (err: Error | null, socket?: Duplex) => void) => {
      const socket = tlsConnect({ ...options, rejectUnauthorized: false });
      socket.once('secureConnect', () => {
        const seen = (socket.getPeerCertificate().fingerprint256 ?? '').replace(/:/g, '').toUpperCase();
        if (seen === pinned) return done(null, socket);
        socket.destroy();
        done(Object.assign(new Error(`server certificate thumbprint ${seen} is not the pinned ${pinned}`), { code: 'ERR_THUMBPRINT' }));
      });
      socket.once('error', (error) => done(error));
    };
  }
  return agent;
}

/** Server-Sent Events from a response body: `id:`, `event:`, `data:` lines, a blank line ends one. */
export async function* parseSse(body: AsyncIterable<Buffer | string>): AsyncGenerator<StreamEvent> {
  let buffer = '';
  let current: Partial<StreamEvent> & { data?: string } = {};
  for await (const chunk of body) {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (current.data !== undefined) yield { id: current.id, event: current.event ?? 'message', data: current.data };
        current = {};
        continue;
      }
      if (line.startsWith(':')) continue; // a comment (keep-alive)
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') current.data = current.data === undefined ? value : `${current.data}\n${value}`;
      else if (field === 'id') current.id = value;
      else if (field === 'event') current.event = value;
    }
  }
}

/** A control API error answer (`{"error":"invalid_argument","field":...,"message":...}`) as a VimError. */
export function controlError(status: number, text: string, name: string): VimError {
  let body: { error?: string; message?: string; field?: string } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const code: ErrorCode = status === 400 ? 'INVALID_ARGUMENT' : status === 401 ? 'INVALID_LOGIN' : (httpStatusCodes[status] ?? 'HTTP_ERROR');
  const detail = body?.message ?? body?.error ?? text.slice(0, 200);
  return new VimError({ code, status, method: name, message: `${name}: ${detail}${body?.field ? ` (field ${body.field})` : ''}` });
}
