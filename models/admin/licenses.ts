/** License data: vcsim's evaluation license, and what a key decodes to. */
import { faults } from '../core/fault.js';
import type { DataObject } from '../core/moref.js';

export const EVAL_KEY = '00000-00000-00000-00000-00000';

/** The features vcsim's evaluation license lists. */
const evalFeatures: readonly [string, string][] = [
  ['serialuri:2', 'Remote virtual Serial Port Concentrator'],
  ['dvs', 'vSphere Distributed Switch'],
];

/**
 * The LicenseManagerLicenseInfo of `licenseKey`: as vcsim, every well-formed key decodes to the
 * evaluation edition and its features. A key not of vSphere's form (five groups of five letters
 * or digits) is an InvalidArgument.
 */
export function decodeLicense(licenseKey: string, labels?: DataObject[]): DataObject {
  if (!/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/.test(String(licenseKey ?? ''))) throw faults.invalidArgument('licenseKey', `A specified parameter was not correct: licenseKey`);
  return {
    _type: 'LicenseManagerLicenseInfo',
    licenseKey,
    editionKey: 'eval',
    name: 'Evaluation Mode',
    total: 0,
    used: 0,
    costUnit: '',
    properties: evalFeatures.map(([key, value]) => ({ _type: 'KeyAnyValue', key: 'feature', value: { _type: 'KeyValue', key, value } })),
    labels: labels?.length ? labels.map((l) => ({ _type: 'KeyValue', key: l.key, value: l.value })) : undefined,
  };
}
