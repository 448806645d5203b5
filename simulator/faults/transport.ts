/** Sends an injected wire answer over fastify, for the SOAP routes now and the REST routes later. */
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { InjectedAnswer } from './answer.js';

export function sendInjected(request: FastifyRequest, reply: FastifyReply, injected: InjectedAnswer): FastifyReply {
  const answer = injected.answer;
  if (answer.kind === 'http') {
    return reply.code(answer.status).type(answer.contentType).headers(answer.headers).send(answer.body);
  }
  // reset or abandoned: nothing goes out, and fastify must not try to answer later.
  reply.hijack();
  resetConnection(request.raw.socket);
  return reply;
}

/**
 * Closes the connection abruptly. Plain TCP gets a real reset (RST). A TLS socket is destroyed
 * without close_notify instead: resetting the TCP socket under it leaves node's HTTP server with a
 * half-removed connection that crashes its close(), and clients see a dropped connection either way.
 */
export function resetConnection(socket: Socket): void {
  if (socket.destroyed) return;
  if ('encrypted' in socket) socket.destroy();
  else socket.resetAndDestroy();
}
