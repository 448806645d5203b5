/** Test helpers for the /_sim control API and for raw HTTP(S) calls to a simulator. */
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Simulator } from '../../simulator/index.js';

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: any;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Give up (destroy the socket) after this long: rejects with an error whose code is 'TIMEOUT'. */
  timeoutMs?: number;
}

/** One request on a fresh connection, the simulator's self-signed certificate accepted. */
export function http(url: string, options: HttpOptions = {}): Promise<HttpReply> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: options.method ?? 'GET', headers: options.headers, rejectUnauthorized: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parseJson(text) });
      });
    });
    req.on('error', reject);
    if (options.timeoutMs !== undefined) {
      req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error('client timeout'), { code: 'TIMEOUT' })));
    }
    req.end(options.body);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Calls the control API of `sim` with its credentials (or the given Authorization header). */
export function control(sim: Simulator, authorization: string | null = basic(sim.username, sim.password)) {
  const call = (method: string, path: string, body?: unknown) =>
    http(`${sim.controlUrl}${path}`, {
      method,
      headers: authorization === null ? {} : { authorization },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
    delete: (path: string) => call('DELETE', path),
    call,
  };
}

export const serviceInstance = { type: 'ServiceInstance', value: 'ServiceInstance' };
export const sessionManager = { type: 'SessionManager', value: 'SessionManager' };
export const propertyCollector = { type: 'PropertyCollector', value: 'propertyCollector' };

/** The faultcode, the fault type (xsi:type of the detail) and the faultstring of a SOAP fault answer. */
export function soapFault(body: string): { code?: string; type?: string; message?: string } {
  return {
    code: /<faultcode>([^<]*)<\/faultcode>/.exec(body)?.[1],
    type: /<detail><\w+ xmlns="urn:vim25" xsi:type="(\w+)">/.exec(body)?.[1],
    message: /<faultstring>([^<]*)<\/faultstring>/.exec(body)?.[1],
  };
}

/** A whole SOAP request for `method` on `thisRef`, as SoapClient sends it. */
export function soapEnvelope(method: string, thisRef: { type?: string; value: string }, argsXml = ''): string {
  const type = thisRef.type === undefined ? '' : ` type="${thisRef.type}"`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<soapenv:Body><${method} xmlns="urn:vim25"><_this${type}>${thisRef.value}</_this>${argsXml}</${method}></soapenv:Body></soapenv:Envelope>`
  );
}

/** A SOAP call on a connection of its own (no keep-alive), for rules that reset or hold connections. */
export function soapOnce(sim: Simulator, method: string, thisRef: { type?: string; value: string }, options: HttpOptions = {}): Promise<HttpReply> {
  return http(sim.url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: 'urn:vim25/7.0', ...options.headers },
    body: soapEnvelope(method, thisRef),
    timeoutMs: options.timeoutMs,
  });
}

/** Polls `check` until it returns true (or fails after `timeoutMs`). */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
