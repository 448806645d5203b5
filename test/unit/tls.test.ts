import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { selfSigned } from '../../simulator/tls.js';

describe('self-signed certificate', () => {
  it('parses, matches its key and names localhost and 127.0.0.1', () => {
    const { cert, key } = selfSigned();
    const x509 = new X509Certificate(cert);
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(x509.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(new Date(x509.validTo).getTime()).toBeGreaterThan(Date.now() + 365 * 86_400_000);
  });

  it('is valid DER whatever the random key (serial numbers included)', () => {
    // The serial comes from the key: many keys cover serials whose first byte would need padding.
    for (let i = 0; i < 300; i++) expect(() => new X509Certificate(selfSigned().cert)).not.toThrow();
  });
});
