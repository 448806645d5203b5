/**
 * The content library's trust (vSphere 7.0 U3+, `/api` only): `content/trusted-certificates`
 * (list, create from PEM text, get, delete) and `content/security-policies` (the policies a
 * library's `security_policy_id` may name).
 */
import { z } from 'zod';
import { SECURITY_POLICIES } from '../../../models/rest/trusted-certificates.js';
import { defineRoute, type RestRoute } from '../route.js';

const certificates = { api: '/content/trusted-certificates' };
const certificate = { api: '/content/trusted-certificates/:certificate' };

export const trustRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: certificates, handle: ({ vc }) => ({ certificates: vc.trustedCertificates.list() }) }),
  defineRoute({
    method: 'POST',
    path: certificates,
    body: z.object({ cert_text: z.string().min(1) }),
    created: true,
    handle: ({ vc, body }) => vc.trustedCertificates.create(body.cert_text),
  }),
  defineRoute({ method: 'GET', path: certificate, handle: ({ vc, params }) => vc.trustedCertificates.get(params.certificate!) }),
  defineRoute({ method: 'DELETE', path: certificate, handle: ({ vc, params }) => void vc.trustedCertificates.delete(params.certificate!) }),
  defineRoute({ method: 'GET', path: { api: '/content/security-policies' }, handle: () => SECURITY_POLICIES.map((p) => ({ ...p, item_type_policies: { ...p.item_type_policies } })) }),
];
