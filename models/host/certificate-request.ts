import { generateKeyPairSync, sign } from 'node:crypto';
import { oid, pem, seq, set, tlv } from '../core/der.js';

/**
 * A PKCS #10 certificate signing request, as a host makes one for its own certificate: the
 * subject's common name and organization, a subject alternative name (the host's IP address or
 * its DNS name), signed with a new ECDSA P-256 key the request's certificate is for. Node signs
 * but cannot write requests, so the DER is written out here.
 */
export function certificateSigningRequest(subject: { commonName: string; organization?: string }, altName: { ip: string } | { dns: string }): string {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const attribute = (type: string, value: string) => set(seq(oid(type), tlv(0x0c, Buffer.from(value))));
  const name = seq(...(subject.organization ? [attribute('2.5.4.10', subject.organization)] : []), attribute('2.5.4.3', subject.commonName));
  const general = 'ip' in altName ? tlv(0x87, Buffer.from(altName.ip.split('.').map(Number))) : tlv(0x82, Buffer.from(altName.dns));
  const extensions = seq(seq(oid('2.5.29.17'), tlv(0x04, seq(general))));
  const extensionRequest = tlv(0xa0, seq(oid('1.2.840.113549.1.9.14'), set(extensions)));
  const info = seq(tlv(0x02, Buffer.from([0])), name, publicKey.export({ type: 'spki', format: 'der' }), extensionRequest);
  const signature = sign('sha256', info, privateKey);
  return pem('CERTIFICATE REQUEST', seq(info, seq(oid('1.2.840.10045.4.3.2')), tlv(0x03, Buffer.concat([Buffer.from([0]), signature]))));
}
