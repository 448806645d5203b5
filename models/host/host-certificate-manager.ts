import { X509Certificate } from 'node:crypto';
import { faults, VimFault } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import { certificateSigningRequest } from './certificate-request.js';

/** A host's TLS certificate and the CA certificates and CRLs it trusts. */
export class HostCertificateManager extends ManagedObject {
  certificateInfo: DataObject = {};
  /** PEM text of the trusted CA certificates and revocation lists (not vSphere properties). */
  caCertificates: string[] = [];
  caCrls: string[] = [];
  /** The host whose certificate this is (not a vSphere property). */
  owner?: MoRef;

  /** The certificate a fresh host has: issued by the ESXi installer for the host's name. */
  static initialInfo(hostName: string, notBefore: Date): DataObject {
    const notAfter = new Date(notBefore.getTime() + 5 * 365 * 86_400_000);
    return { _type: 'HostCertificateManagerCertificateInfo', issuer: 'O=VMware Installer', notBefore, notAfter, subject: `CN=${hostName},O=VMware Installer`, status: 'good' };
  }

  /** A request for the host's certificate: for its IP address, or its DNS name (the common name either way). */
  GenerateCertificateSigningRequest(ctx: CallContext, { useIpAddressAsCommonName }: { useIpAddressAsCommonName: boolean }): string {
    const host = this.owner && (ctx.vc.registry.get(this.owner) as (ManagedObject & { name: string; config?: { network?: { vnic?: DataObject[] } } }) | undefined);
    const name = host?.name ?? 'localhost.localdomain';
    // The address of its management interface, vmk0.
    const vmk0 = (host?.config?.network?.vnic?.[0]?.spec as { ip?: { ipAddress?: string } } | undefined)?.ip?.ipAddress;
    const ip = vmk0 && /^\d+\.\d+\.\d+\.\d+$/.test(vmk0) ? vmk0 : '127.0.0.1';
    if (useIpAddressAsCommonName) return certificateSigningRequest({ commonName: ip, organization: 'VMware' }, { ip });
    return certificateSigningRequest({ commonName: name, organization: 'VMware' }, { dns: name });
  }

  /** A request for the subject `CN=...,O=...` (a distinguished name whose common name is a DNS name). */
  GenerateCertificateSigningRequestByDn(_ctx: CallContext, { distinguishedName }: { distinguishedName: string }): string {
    const parts = Object.fromEntries(String(distinguishedName ?? '').split(',').map((p) => p.trim().split('=').map((s) => s.trim())).filter((p) => p.length === 2 && p[1]));
    if (!parts.CN) throw new VimFault('HostConfigFault', {}, `A specified parameter was not correct: distinguishedName (no CN=) '${distinguishedName}'`);
    return certificateSigningRequest({ commonName: parts.CN, organization: parts.O }, { dns: parts.CN });
  }

  /** Installs a PEM certificate: certificateInfo then describes it. HostConfigFault for what is not one, as vcsim. */
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

}

function parseCertificate(pem: string, argument: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new VimFault('HostConfigFault', {}, `${argument}: not a PEM certificate (${(error as Error).message})`);
  }
}

/** node prints a distinguished name one attribute a line; vSphere writes it with commas. */
function commaName(name: string): string {
  return name.split('\n').filter(Boolean).join(',');
}
