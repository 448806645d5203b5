import { connect, type TLSSocket } from 'node:tls';

/**
 * A bare keep-alive HTTPS client for the benchmark: one connection, one request in flight,
 * requests and responses as raw bytes. Node's http client costs more per call than the server
 * under test does, which would make the benchmark measure the client.
 */
export class RawClient {
  private socket!: TLSSocket;
  private buffer: Buffer = Buffer.alloc(0);
  // The response being read: its chunks, and where its body starts and ends once the head is in.
  private chunks: Buffer[] = [];
  private received = 0;
  private bodyStart = 0;
  private expected = -1;
  private pending?: { resolve: (body: Buffer) => void; reject: (error: Error) => void };
  private cookie = '';

  private constructor(private readonly url: URL) {}

  static async open(url: string): Promise<RawClient> {
    const client = new RawClient(new URL(url));
    await new Promise<void>((resolve, reject) => {
      client.socket = connect({ host: client.url.hostname, port: Number(client.url.port), rejectUnauthorized: false }, resolve);
      client.socket.once('error', reject);
    });
    client.socket.setNoDelay(true);
    // A server may answer and close before a large body is all written (EPIPE): the answer counts.
    client.socket.on('error', (error) => client.pending?.reject(error));
    client.socket.on('data', (chunk: Buffer) => client.onData(chunk));
    return client;
  }

  /** Posts `body`; resolves to the response body's bytes (left undecoded: decoding big ones costs the client). */
  post(body: string): Promise<Buffer> {
    const payload = Buffer.from(body);
    const head =
      `POST ${this.url.pathname} HTTP/1.1\r\nHost: ${this.url.host}\r\nContent-Type: text/xml; charset=utf-8\r\n` +
      `SOAPAction: urn:vim25/7.0\r\nContent-Length: ${payload.length}\r\n${this.cookie}\r\n`;
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(Buffer.concat([Buffer.from(head), payload]));
    });
  }

  /** Any other request (REST): `headers` are extra `Name: value\r\n` lines; resolves to the response body's bytes. */
  request(method: string, path: string, headers = '', body = ''): Promise<Buffer> {
    const payload = Buffer.from(body);
    const length = payload.length > 0 || method !== 'GET' ? `Content-Length: ${payload.length}\r\n` : '';
    const head = `${method} ${path} HTTP/1.1\r\nHost: ${this.url.host}\r\n${headers}${length}\r\n`;
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(Buffer.concat([Buffer.from(head), payload]));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.received += chunk.length;
    if (this.expected < 0) {
      this.buffer = Buffer.concat(this.chunks);
      this.chunks = [this.buffer];
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const head = this.buffer.subarray(0, headerEnd).toString('latin1');
      const cookie = /set-cookie:\s*(vmware_soap_session="[^"]*")/i.exec(head);
      if (cookie) this.cookie = `Cookie: ${cookie[1]}\r\n`;
      this.bodyStart = headerEnd + 4;
      this.expected = this.bodyStart + Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    }
    if (this.received < this.expected) return;
    const all = Buffer.concat(this.chunks);
    const body = all.subarray(this.bodyStart, this.expected);
    const rest = all.subarray(this.expected);
    this.chunks = [];
    this.received = 0;
    this.expected = -1;
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(body);
    if (rest.length) this.onData(rest);
  }
}
