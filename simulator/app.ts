import Fastify, { type FastifyInstance } from 'fastify';
import type { VCenter } from '../models/vcenter.js';
import { folderRoutes } from './files/folder-routes.js';
import { nfcRoutes } from './files/nfc-routes.js';
import { restRoutes } from './rest/index.js';
import { controlRoutes, type ControlApiOptions } from './control/routes.js';
import { soapRoutes } from './soap/routes.js';
import type { TlsMaterial } from './tls.js';

export interface AppOptions {
  /** Absent: plain HTTP (vcsim's `-tls=false`). */
  tls?: TlsMaterial;
  /** Largest request body accepted; larger ones get 413. */
  bodyLimit?: number;
  /** Deepest XML nesting accepted in a SOAP request. */
  maxXmlDepth?: number;
  /** Log every request (vcsim's `-trace`). */
  trace?: boolean;
  /** Fault rules, journal and the /_sim control API; absent: none of them. */
  control?: ControlApiOptions;
}

/** The HTTP face of one VCenter: SOAP now, REST and the control API beside it later. */
export async function buildApp(vc: VCenter, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    https: options.tls ? { key: options.tls.key, cert: options.tls.cert, minVersion: 'TLSv1.2' } : null,
    bodyLimit: options.bodyLimit ?? 32 * 1024 * 1024,
    logger: options.trace ? { level: 'info' } : false,
    forceCloseConnections: true,
    return503OnClosing: false,
    keepAliveTimeout: 60_000,
  }) as unknown as FastifyInstance;

  // Every body reaches the handlers as text: SOAP clients send text/xml, application/soap+xml,
  // or nothing at all, and the SOAP layer answers malformed input with a fault of its own.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error, _request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) console.error('vcenter-sim: internal error:', error);
    reply.code(status).type('application/json').send({ error: status >= 500 ? 'Internal error' : (error as Error).message });
  });

  await app.register(soapRoutes(vc, { maxDepth: options.maxXmlDepth, interceptor: options.control?.plane.interceptor }));
  await app.register(restRoutes(vc, options.control?.plane.interceptor));
  await app.register(folderRoutes(vc, options.control?.plane.interceptor));
  await app.register(nfcRoutes(vc, options.control?.plane.interceptor));
  if (options.control) await app.register(controlRoutes(options.control));
  return app;
}
