/**
 * The control API on a port of its own (--control-port): /_sim and /metrics only, on the same host
 * as the SDK listener, so a firewall or a container can expose the SDK without the control API.
 * Also: the warning printed when the control API is reachable beyond loopback with the default
 * credentials anyone can guess.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { sendFrameworkError, sendHttpError } from '../http-errors.js';
import { createLogger, type Logger } from '../logger.js';
import type { TlsMaterial } from '../tls.js';
import { controlRoutes, type ControlApiOptions } from './routes.js';

export async function buildControlApp(control: ControlApiOptions, tls?: TlsMaterial, logger?: Logger): Promise<FastifyInstance> {
  const app = Fastify({
    https: tls ? { key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2' } : null,
    loggerInstance: logger ?? createLogger({ level: 'silent' }),
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    frameworkErrors: sendFrameworkError,
  }) as unknown as FastifyInstance;
  // Bodies reach the control routes as text, as on the SDK listener (routes.ts parses the JSON).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.setErrorHandler(sendFrameworkError);
  app.setNotFoundHandler((request, reply) => sendHttpError(request, reply, 404, `No route for ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}`));
  await app.register(controlRoutes(control));
  return app;
}

/** Whether `host` (as given to listen) only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The startup warning, when one is due: the control API listens beyond loopback and its credentials are the defaults. */
export function exposureWarning(host: string, defaultCredentials: boolean, url: string): string | undefined {
  if (isLoopback(host) || !defaultCredentials) return undefined;
  return (
    `vcenter-sim: WARNING: the control API (${url}) listens on ${host}, beyond loopback, and takes the default credentials ` +
    'user / pass: anyone who can reach it can inject faults and change the world. Set -username/-password (Basic ' +
    'with them works even beside --control-token), or listen on 127.0.0.1.\n'
  );
}
