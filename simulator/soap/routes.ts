import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VCenter } from '../../models/vcenter.js';
import type { CallInterceptor } from '../control/interceptor.js';
import { sendInjected } from '../faults/transport.js';
import type { Sts } from '../sts/sts.js';
import { SoapDispatcher } from './dispatch.js';
import { wsdlFiles, type WsdlFiles } from './wsdl.js';
import type { XmlLimits } from './xml.js';

const gzipAsync = promisify(gzip);
const cookiePattern = /vmware_soap_session="?([^";,\s]+)/;
const xmlType = 'text/xml; charset=utf-8';
/** Bodies smaller than this go out as they are: compressing them costs more than it saves. */
const gzipThreshold = 2048;

/** The SOAP endpoint `/sdk` and the documents beside it. */
export interface SoapRouteOptions {
  limits?: XmlLimits;
  interceptor?: CallInterceptor;
  trace?: { write(text: string): unknown };
  sts?: Sts;
  /** Mark the session cookie Secure even over plain HTTP (vcsim's VCSIM_SECURE_COOKIES=true); over TLS it always is. */
  secureCookies?: boolean;
}

export function soapRoutes(vc: VCenter, options: SoapRouteOptions = {}) {
  const { trace } = options;
  const dispatcher = new SoapDispatcher(vc, options.limits, options.interceptor, options.sts);
  // Built on first request: most instances (one per test) never serve them.
  let files: WsdlFiles | undefined;
  const documents = () => (files ??= wsdlFiles(vc.types, (vc.content.about as { apiVersion: string }).apiVersion));

  return async function plugin(app: FastifyInstance): Promise<void> {
    const serve = async (request: FastifyRequest, reply: FastifyReply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      trace?.write(`Request: ${body}\n`);
      const response = await dispatcher.handle({
        body,
        soapAction: header(request, 'soapaction'),
        sessionKey: sessionKey(request),
        remoteAddress: request.ip,
        userAgent: header(request, 'user-agent') ?? '',
        connection: request.raw.socket,
        traceparent: header(request, 'traceparent'),
        clientCertificate: () => clientCertificate(request),
      });
      if (response.injected) return sendInjected(request, reply, response.injected);
      if (response.newSessionKey) {
        // A Secure cookie over plain HTTP is one Go's cookie jar never sends back (govc against `-tls=false`).
        const secure = options.secureCookies || request.protocol === 'https' ? ' Secure;' : '';
        reply.header('set-cookie', `vmware_soap_session="${response.newSessionKey}"; Path=/; HttpOnly;${secure}`);
      }
      trace?.write(`Response: ${response.body.toString()}\n`);
      return send(request, reply.code(response.status), response.body);
    };
    // Cheap checks first: a large body from a caller with no session is refused before it is read.
    const refuseEarly = async (request: FastifyRequest, reply: FastifyReply) => {
      const refused = dispatcher.refuseEarly(sessionKey(request), Number(request.headers['content-length'] ?? 0), header(request, 'soapaction'));
      if (refused) return reply.code(refused.status).header('connection', 'close').type(xmlType).send(refused.body);
    };
    for (const url of ['/sdk', '/sdk/', '/sdk/vimService.wsdl']) app.post(url, { onRequest: refuseEarly }, serve);
    app.get('/sdk/vimServiceVersions.xml', (request, reply) => send(request, reply, documents().versions));
    app.get<{ Params: { file: string } }>('/sdk/:file', (request, reply) => {
      const text = documents().documents[request.params.file];
      return text === undefined ? reply.code(404).type('text/plain').send('Not found') : send(request, reply, text);
    });
  };
}

function sessionKey(request: FastifyRequest): string | undefined {
  return cookiePattern.exec(header(request, 'cookie') ?? '')?.[1];
}

/** The DER of the certificate the client presented in the TLS handshake, if it is a TLS connection and presented one. */
function clientCertificate(request: FastifyRequest): Uint8Array | undefined {
  const socket = request.raw.socket as Partial<TLSSocket>;
  return socket.getPeerCertificate?.()?.raw;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join('; ') : value;
}

async function send(request: FastifyRequest, reply: FastifyReply, body: Buffer | string): Promise<Buffer | string> {
  reply.header('content-type', xmlType);
  if (body.length >= gzipThreshold && /\bgzip\b/.test(header(request, 'accept-encoding') ?? '')) {
    reply.header('content-encoding', 'gzip');
    return gzipAsync(body);
  }
  return body;
}
