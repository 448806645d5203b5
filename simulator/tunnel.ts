/**
 * vcsim's -tunnel: an HTTP proxy that only CONNECTs, always to the SDK listener, on the SDK's
 * host. Clients reach it through GOVMOMI_TUNNEL_PROXY_PORT in the URL, as vCenter's port 80
 * proxy carries the SDK requests that authenticate by TLS client certificate.
 */
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

export interface Tunnel {
  port: number;
  close(): void;
}

export async function startTunnel(sdkUrl: string, port: number): Promise<Tunnel> {
  const sdk = new URL(sdkUrl);
  const host = sdk.hostname.replace(/^\[|\]$/g, '');
  const server = createServer((_request, response) => response.writeHead(405).end());
  server.on('connect', (_request, client, head) => {
    const upstream = connect(Number(sdk.port), host, () => {
      client.write('HTTP/1.1 200 OK\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    const end = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', () => (client.writable ? client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n') : end()));
    client.on('error', end);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

/** The SDK URL with the tunnel's port in its query, as vcsim gives it. */
export function withTunnelPort(url: string, port: number): string {
  const u = new URL(url);
  u.searchParams.set('GOVMOMI_TUNNEL_PROXY_PORT', String(port));
  return u.toString();
}
