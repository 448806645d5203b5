import { Agent, request } from 'node:https';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';

export interface SoapClientOptions {
  /** The SDK URL, `https://host:port/sdk`. */
  url: string;
  /** API version sent in SOAPAction. */
  version?: string;
  /** Connections to keep open (keep-alive). */
  maxSockets?: number;
}

export interface SoapReply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

const envelope = (body: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>' + body + '</soapenv:Body></soapenv:Envelope>';

/**
 * A minimal vim25 SOAP transport: keep-alive connections, the session cookie, raw XML in and out.
 * The simulator's self-signed certificate is accepted (this client is for local simulators).
 */
export class SoapClient {
  private cookie?: string;
  private readonly agent: Agent | HttpAgent;
  private readonly target: URL;

  constructor(private readonly options: SoapClientOptions) {
    this.target = new URL(options.url);
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 1 };
    this.agent = this.target.protocol === 'https:' ? new Agent({ ...agentOptions, rejectUnauthorized: false }) : new HttpAgent(agentOptions);
  }

  /** Calls `method` on `thisRef` (`{type, value}`) with `argsXml` as the parameters after `_this`. */
  call(method: string, thisRef: { type: string; value: string }, argsXml = ''): Promise<SoapReply> {
    const body = envelope(`<${method} xmlns="urn:vim25"><_this type="${thisRef.type}">${thisRef.value}</_this>${argsXml}</${method}>`);
    return this.post(body);
  }

  /** Posts a whole request body as it is. */
  post(body: string, extraHeaders: Record<string, string> = {}): Promise<SoapReply> {
    const headers: Record<string, string> = {
      'content-type': 'text/xml; charset=utf-8',
      soapaction: `urn:vim25/${this.options.version ?? '7.0'}`,
      ...extraHeaders,
    };
    if (this.cookie) headers.cookie = this.cookie;
    const send = this.target.protocol === 'https:' ? request : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(this.target, { method: 'POST', agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const setCookie = res.headers['set-cookie']?.[0];
          if (setCookie) this.cookie = setCookie.split(';')[0];
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async login(userName: string, password: string): Promise<void> {
    const reply = await this.call('Login', { type: 'SessionManager', value: 'SessionManager' }, `<userName>${userName}</userName><password>${password}</password>`);
    if (reply.status !== 200) throw new Error(`Login failed: ${reply.body}`);
  }

  async logout(): Promise<void> {
    await this.call('Logout', { type: 'SessionManager', value: 'SessionManager' });
    this.cookie = undefined;
  }

  close(): void {
    this.agent.destroy();
  }
}
