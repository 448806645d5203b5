/** The TLS client certificate a caller presents: how extensions authenticate to vCenter. */
import { X509Certificate } from 'node:crypto';
import { VimFault } from './fault.js';
import type { CallContext } from './managed-object.js';

/** The certificate the caller presented over TLS; NoClientCertificate when it presented none. */
export function presentedCertificate(ctx: CallContext): X509Certificate {
  const der = ctx.remote?.certificate?.();
  if (!der?.length) throw new VimFault('NoClientCertificate', {}, 'No client certificate was presented.');
  // TLS accepted it, so it parses: the handshake already read it as X.509.
  return new X509Certificate(der);
}

/** The certificate's subject as vSphere writes a distinguished name (`CN=...,O=...`). */
export function distinguishedName(certificate: X509Certificate): string {
  return certificate.subject.split('\n').filter(Boolean).join(',');
}
