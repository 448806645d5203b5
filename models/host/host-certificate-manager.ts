import { X509Certificate } from 'node:crypto';
import { faults } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject } from '../core/moref.js';

/** A host's TLS certificate and the CA certificates and CRLs it trusts. */
export class HostCertificateManager extends ManagedObject {
  certificateInfo: DataObject = {};
  /** PEM text of the trusted CA certificates and revocation lists (not vSphere properties). */
  caCertificates: string[] = [];
  caCrls: string[] = [];

  /** The certificate a fresh host has: issued by the ESXi installer for the host's name. */
  static initialInfo(hostName: string, notBefore: Date): DataObject {
    const notAfter = new Date(notBefore.getTime() + 5 * 365 * 86_400_000);
    return { _type: 'HostCertificateManagerCertificateInfo', issuer: 'O=VMware Installer', notBefore, notAfter, subject: `CN=${hostName},O=VMware Installer`, status: 'good' };
  }

  /** Installs a PEM certificate: certificateInfo then describes it. InvalidArgument for what is not one. */
  InstallServerCertificate(ctx: CallContext, { cert }: { cert: string }): void {
    const parsed = parseCertificate(cert, 'cert');
    const now = ctx.vc.now();
    const notBefore = new Date(parsed.validFrom);
    const notAfter = new Date(parsed.validTo);
    const status = notAfter < now ? 'expired' : notAfter.getTime() - now.getTime() < 30 * 86_400_000 ? 'expirationImminent' : 'good';
    this.certificateInfo = { _type: 'HostCertificateManagerCertificateInfo', issuer: commaName(parsed.issuer), notBefore, notAfter, subject: commaName(parsed.subject), status };
    ctx.vc.registry.changed(this);
  }

  ListCACertificates(_ctx: CallContext): string[] {
    return this.caCertificates;
  }

  ListCACertificateRevocationLists(_ctx: CallContext): string[] {
    return this.caCrls;
  }

  /** Replaces the trusted CAs: every certificate is checked first; nothing changes if one is bad. */
  ReplaceCACertificatesAndCRLs(ctx: CallContext, { caCert, caCrl }: { caCert: string[]; caCrl?: string[] }): void {
    for (const pem of caCert ?? []) parseCertificate(pem, 'caCert');
    for (const pem of caCrl ?? []) if (!/-----BEGIN X509 CRL-----[\s\S]+-----END X509 CRL-----/.test(pem)) throw faults.invalidArgument('caCrl');
    this.caCertificates = [...(caCert ?? [])];
    this.caCrls = [...(caCrl ?? [])];
    ctx.vc.registry.changed(this);
  }

  NotifyAffectedServices(_ctx: CallContext): void {}
}

function parseCertificate(pem: string, argument: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw faults.invalidArgument(argument, `A specified parameter was not correct: ${argument} is not a PEM certificate`);
  }
}

/** node prints a distinguished name one attribute a line; vSphere writes it with commas. */
function commaName(name: string): string {
  return name.split('\n').filter(Boolean).join(',');
}
