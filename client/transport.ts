/**
 * HTTP(S) for both APIs: keep-alive connections, TLS verification (on by default; `insecure`, a
 * custom CA, or SHA-256 thumbprint pinning), gzip, per-request timeout and AbortSignal.
 *
 * A failure says whether the request had been fully sent (`sent`): a call whose request never
 * left can always be retried, one that was sent may already have had its effect.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { VimError } from './errors.js';

export interface TlsOptions {
  /** Accept any certificate (a simulator's self-signed one). */
  insecure?: boolean;
  /** Accept exactly the certificate with this SHA-256 thumbprint (`AB:CD:...`, colons and case optional). */
  thumbprint?: string;
  /** Trusted CA certificates (PEM) instead of Node's bundle. */
  ca?: string | string[];
}

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text(): string;
}

/** Why a request failed below HTTP, and whether the server may have seen it all. */
export class TransportFailure extends Error {
  constructor(
    readonly kind: 'timeout' | 'aborted' | 'network' | 'tls',
    message: string,
    readonly sent: boolean,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

const normalize = (thumbprint: string) => thumbprint.replace(/:/g, '').toUpperCase();

/** One keep-alive connection pool for one endpoint (scheme, host, port). */
export class Transport {
  private readonly agent: HttpAgent | HttpsAgent;
  readonly secure: boolean;

  constructor(base: URL, tls: TlsOptions = {}, maxSockets = 8) {
    this.secure = base.protocol === 'https:';
    const common = { keepAlive: true, maxSockets, scheduling: 'lifo' as const };
    if (!this.secure) {
      this.agent = new HttpAgent(common);
      return;
    }
    const pinned = tls.thumbprint ? normalize(tls.thumbprint) : undefined;
    const agent = new HttpsAgent({ ...common, rejectUnauthorized: !tls.insecure && !pinned, ca: tls.ca });
    if (pinned) {
      // The chain of a pinned certificate is not checked (it is usually self-signed); the
      // certificate itself is, before the socket is handed to HTTP, so not a byte of a request
      // (credentials) goes to another server.
      (agent as unknown as { createConnection: unknown }).createConnection = (options: ConnectionOptions, done: (err: Error | null, socket?: Duplex) => void) => {
        const socket: TLSSocket = tlsConnect({ ...options, rejectUnauthorized: false });
        socket.once('secureConnect', () => {
          const seen = normalize(socket.getPeerCertificate().fingerprint256 ?? '');
          if (seen === pinned) return done(null, socket);
          socket.destroy();
          done(Object.assign(new Error(`server certificate thumbprint ${seen} is not the pinned ${pinned}`), { code: 'ERR_THUMBPRINT' }));
        });
        socket.once('error', (error) => done(error));
      };
    }
    this.agent = agent;
  }

  send(req: HttpRequest): Promise<HttpResponse> {
    const send = this.secure ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      if (req.signal?.aborted) return reject(new TransportFailure('aborted', 'aborted before sending', false, req.signal.reason));
      let sent = false;
      let settled = false;
      const fail = (failure: TransportFailure) => {
        if (settled) return;
        settled = true;
        cleanup();
        reject(failure);
      };
      const r = send(req.url, { method: req.method, agent: this.agent, headers: { 'accept-encoding': 'gzip', ...req.headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => fail(new TransportFailure('network', e.message, true, e)));
        res.on('aborted', () => fail(new TransportFailure('network', 'the connection closed in the middle of the answer', true)));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          cleanup();
          let body = Buffer.concat(chunks);
          try {
            if (res.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
          } catch (e) {
            return reject(new TransportFailure('network', `bad gzip body: ${(e as Error).message}`, true, e));
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: () => body.toString('utf8') });
        });
      });
      const onAbort = () => {
        fail(new TransportFailure('aborted', 'aborted by the caller', sent, req.signal?.reason));
        r.destroy();
      };
      const timer =
        req.timeoutMs !== undefined && req.timeoutMs > 0
          ? setTimeout(() => {
              fail(new TransportFailure('timeout', `no answer within ${req.timeoutMs} ms`, sent));
              r.destroy();
            }, req.timeoutMs)
          : undefined;
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      r.on('finish', () => (sent = true));
      r.on('error', (e: NodeJS.ErrnoException) => {
        const tls = e.code === 'ERR_THUMBPRINT' || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(e.code ?? '');
        fail(new TransportFailure(tls ? 'tls' : 'network', `${e.code ? e.code + ': ' : ''}${e.message}`, sent, e));
      });
      r.end(req.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A TransportFailure as the VimError a caller sees. `mutating`: the method may change state. */
export function transportError(failure: TransportFailure, method: string, mutating: boolean): VimError {
  const mayHaveExecuted = failure.sent && mutating;
  const code = failure.kind === 'timeout' ? 'TIMEOUT' : failure.kind === 'aborted' ? 'ABORTED' : failure.kind === 'tls' ? 'TLS' : 'TRANSPORT';
  const suffix = mayHaveExecuted ? ' (the request was sent: its effect may have happened, so it was not retried)' : '';
  return new VimError({
    code,
    method,
    message: `${method}: ${failure.message}${suffix}`,
    mayHaveExecuted,
    retryable: mayHaveExecuted ? false : undefined,
    cause: failure.cause ?? failure,
  });
}
