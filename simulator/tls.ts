import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { oid, pem, seq, set, tlv, utcTime } from '../models/core/der.js';

export interface TlsMaterial {
  key: string;
  cert: string;
}

/** The given certificate and key files, or a self-signed pair made now. */
export function tlsMaterial(certFile?: string, keyFile?: string): TlsMaterial {
  if (certFile && keyFile) return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  return selfSigned();
}

/**
 * A self-signed certificate for `localhost` and 127.0.0.1, built with node:crypto alone: ECDSA
 * P-256 by default (a millisecond to make), RSA 2048 where a peer takes nothing else (the STS signs
 * SAML tokens with RSA-SHA256, as vCenter's does). X.509 is written out by hand in DER because
 * Node can sign but not issue certificates.
 */
export function selfSigned(commonName = 'vcenter-sim', keyType: 'ec' | 'rsa' = 'ec'): TlsMaterial {
  const { publicKey, privateKey } =
    keyType === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // sha256WithRSAEncryption takes an explicit NULL parameter; ecdsa-with-SHA256 none.
  const signatureAlgorithm = keyType === 'rsa' ? seq(oid('1.2.840.113549.1.1.11'), tlv(0x05, Buffer.alloc(0))) : seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName)))));
  const now = Date.now();
  const validity = seq(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 10 * 365 * 86_400_000)));
  const serial = createHash('sha256').update(spki).digest().subarray(0, 16);
  serial[0] = (serial[0]! & 0x3f) | 0x40; // positive, and no leading zero byte (DER wants the shortest form)
  const altNames = seq(tlv(0x82, Buffer.from('localhost')), tlv(0x87, Buffer.from([127, 0, 0, 1])));
  const extensions = tlv(0xa3, seq(seq(oid('2.5.29.17'), tlv(0x04, altNames))));
  const tbs = seq(tlv(0xa0, tlv(0x02, Buffer.from([2]))), tlv(0x02, serial), signatureAlgorithm, name, validity, name, spki, extensions);
  const signature = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, signatureAlgorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return {
    cert: pem('CERTIFICATE', cert),
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
