/**
 * The content library's trust store (`content/trusted-certificates`, vSphere 7.0 U3): PEM
 * certificates, each named by the SHA-256 of its DER bytes as vCenter names them. Plain data, kept
 * by world snapshots and state files.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { refuse } from './service-error.js';

export class TrustedCertificateStore {
  /** certificate id → PEM text. */
  private certificates = new Map<string, string>();

  list(): { certificate: string; cert_text: string }[] {
    return [...this.certificates].map(([certificate, cert_text]) => ({ certificate, cert_text }));
  }

  /** One PEM block per call, as vCenter takes them; a certificate is added once. */
  create(certText: string): string {
    let der: Buffer;
    try {
      der = new X509Certificate(certText).raw;
    } catch {
      refuse('invalid_argument', 'com.vmware.content.trustedcertificates.invalid', 'cert_text is no PEM certificate.', ['cert_text']);
    }
    const id = createHash('sha256').update(der).digest('hex');
    if (this.certificates.has(id)) refuse('already_exists', 'com.vmware.content.trustedcertificates.exists', `Certificate '${id}' is trusted already.`, [id]);
    this.certificates.set(id, certText.trim());
    return id;
  }

  get(id: string): { cert_text: string } {
    const text = this.certificates.get(id) ?? refuse('not_found', 'com.vmware.content.trustedcertificates.not_found', `Trusted certificate '${id}' does not exist.`, [id]);
    return { cert_text: text };
  }

  delete(id: string): void {
    this.get(id);
    this.certificates.delete(id);
  }
}

/** The security policies a vCenter offers content libraries: one, checking OVF signatures strictly. */
export const SECURITY_POLICIES = [
  { policy: 'd4ab7155-f1d2-4a4e-8c5f-39a5b0d4e4b1', name: 'OVF default policy', item_type_policies: { ovf: 'OVF_STRICT_VERIFICATION' } },
] as const;

export const isSecurityPolicy = (id: string) => SECURITY_POLICIES.some((p) => p.policy === id);
