import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { VCenter } from '../models/vcenter.js';
import { folderRoutes } from './files/folder-routes.js';
import { nfcRoutes } from './files/nfc-routes.js';
import { oauthRoutes } from './oauth/routes.js';
import { restRoutes } from './rest/index.js';
import { controlRoutes, type ControlApiOptions } from './control/routes.js';
import { soapRoutes } from './soap/routes.js';
import { lookupRoutes } from './lookup/routes.js';
import { stsRoutes } from './sts/routes.js';
import { Sts } from './sts/sts.js';
import type { TlsMaterial } from './tls.js';
import { sendFrameworkError, sendHttpError } from './http-errors.js';
import { createLogger, type Logger } from './logger.js';
import { readTextBody } from './body.js';

/** The longest path parameter (an object id) a route accepts. */
export const maxPathParameter = 1024;

export interface AppOptions {
  /** Absent: plain HTTP (vcsim's `-tls=false`). */
  tls?: TlsMaterial;
  /** Largest request body accepted; larger ones get 413. */
  bodyLimit?: number;
  /** Deepest XML nesting accepted in a SOAP request. */
  maxXmlDepth?: number;
  /** Most XML elements accepted in a SOAP request. */
  maxXmlElements?: number;
  /** Where vcsim's `-trace` writes every SOAP request and response body ("Request: ...", "Response: ..."). */
  soapTrace?: { write(text: string): unknown };
  /** The instance's logger (a pino instance); none: silent. */
  logger?: Logger;
  /** Fault rules, journal and the /_sim control API; absent: none of them. */
  control?: ControlApiOptions;
  /** The SOAP session cookie is Secure over plain HTTP too (vcsim's VCSIM_SECURE_COOKIES=true). */
  secureCookies?: boolean;
}

/**
 * What fastify itself may log: its warnings and errors, never its "Server listening" line at info
 * (the CLI prints its own banner, and the export line stays the first thing on stdout).
 */
function frameworkLogger(logger: Logger | undefined): Logger {
  if (!logger) return createLogger({ level: 'silent' });
  return logger.levelVal < logger.levels.values.warn! ? logger.child({}, { level: 'warn' }) : logger;
}

/** The HTTP face of one VCenter: SOAP now, REST and the control API beside it later. */
export async function buildApp(vc: VCenter, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // A client certificate is asked for, never required: extensions log in with one (LoginExtensionByCertificate).
    https: options.tls ? { key: options.tls.key, cert: options.tls.cert, minVersion: 'TLSv1.2', requestCert: true, rejectUnauthorized: false } : null,
    bodyLimit: options.bodyLimit ?? 32 * 1024 * 1024,
    loggerInstance: frameworkLogger(options.logger),
    // vcsim's -trace writes SOAP bodies (soapTrace); fastify's own request lines stay off.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    return503OnClosing: false,
    keepAliveTimeout: 60_000,
    // Identifiers longer than any vCenter makes (tag URNs are ~80 characters) get 414 in the API's form.
    routerOptions: { maxParamLength: maxPathParameter },
    frameworkErrors: sendFrameworkError,
  }) as unknown as FastifyInstance;

  // Every body reaches the handlers as text: SOAP clients send text/xml, application/soap+xml,
  // or nothing at all, and the SOAP layer answers malformed input with a fault of its own.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', readTextBody);

  app.setErrorHandler(sendFrameworkError);
  app.setNotFoundHandler((request, reply) => sendHttpError(request, reply, 404, `No route for ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}`));

  const limits = { maxDepth: options.maxXmlDepth, maxElements: options.maxXmlElements };
  const sts = new Sts(vc, limits);
  await app.register(soapRoutes(vc, { limits, interceptor: options.control?.plane.interceptor, trace: options.soapTrace, sts, secureCookies: options.secureCookies }));
  await app.register(restRoutes(vc, options.control?.plane.interceptor, sts));
  await app.register(oauthRoutes(vc, options.control?.plane.interceptor, vc.isVpx ? sts : undefined));
  if (vc.isVpx) {
    // vCenter's SSO: the token service and the lookup service clients find it by (not on an ESX host).
    await app.register(stsRoutes(vc, sts));
    await app.register(lookupRoutes(vc, options.tls?.cert));
  }
  await app.register(folderRoutes(vc, options.control?.plane.interceptor));
  await app.register(nfcRoutes(vc, options.control?.plane.interceptor));
  if (options.control) await app.register(controlRoutes(options.control));
  return app;
}
