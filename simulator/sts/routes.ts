import type { FastifyInstance, FastifyReply } from 'fastify';
import type { VCenter } from '../../models/vcenter.js';
import { StsFault, stsFaults } from './faults.js';
import type { Sts } from './sts.js';
import { ns } from './xml.js';

const xmlType = 'text/xml; charset=utf-8';
/** A token request is a few KB (a signed Renew carrying its token, about 12 KB): far larger is no request, and is not parsed. */
export const stsBodyLimit = 512 * 1024;

/** `POST /sts/STSService` (and `/sts/STSService/<domain>`, the URL the lookup service and vCenter's settings give). */
export function stsRoutes(vc: VCenter, sts: Sts) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const serve = async (body: unknown, reply: FastifyReply) => {
      try {
        const answer = sts.handle(typeof body === 'string' ? body : '');
        return reply.type(xmlType).send(`<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:S="${ns.soap}"><S:Body>${answer}</S:Body></S:Envelope>`);
      } catch (error) {
        if (!(error instanceof StsFault)) (vc.options.onInternalError ?? console.error)('serving an STS request', error);
        const fault = error instanceof StsFault ? error : stsFaults.requestFailed('Internal error');
        return reply.code(500).type(xmlType).send(fault.envelope);
      }
    };
    for (const url of ['/sts/STSService', '/sts/STSService/:domain']) app.post(url, { bodyLimit: stsBodyLimit }, (request, reply) => serve(request.body, reply));
  };
}
