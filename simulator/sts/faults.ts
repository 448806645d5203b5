/**
 * WS-Trust and WS-Security faults as vCenter's STS answers them: a SOAP 1.1 Fault, HTTP 500, whose
 * faultcode is the qualified fault name (`wst:FailedAuthentication`), with no detail.
 */
import { escapeXml } from '../soap/encode.js';
import { ns } from './xml.js';

export class StsFault extends Error {
  constructor(
    /** `wst:InvalidRequest`, `wsse:FailedCheck`, ... */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  get envelope(): string {
    return (
      `<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:S="${ns.soap}"><S:Body><S:Fault>` +
      `<faultcode xmlns:wst="${ns.wst}" xmlns:wsse="${ns.wsse}">${this.code}</faultcode><faultstring>${escapeXml(this.message)}</faultstring>` +
      `</S:Fault></S:Body></S:Envelope>`
    );
  }
}

export const stsFaults = {
  /** The request is malformed or asks for what the STS does not do. */
  invalidRequest: (message: string) => new StsFault('wst:InvalidRequest', message),
  /** Wrong credentials, or a token that proves nothing. */
  failedAuthentication: (message: string) => new StsFault('wst:FailedAuthentication', message),
  /** Well-formed, but refused (a token that may not be renewed). */
  requestFailed: (message: string) => new StsFault('wst:RequestFailed', message),
  invalidTimeRange: (message: string) => new StsFault('wst:InvalidTimeRange', message),
  /** A request signature that does not verify. */
  failedCheck: (message: string) => new StsFault('wsse:FailedCheck', message),
  /** A Security header that cannot be read. */
  invalidSecurity: (message: string) => new StsFault('wsse:InvalidSecurity', message),
  messageExpired: (message: string) => new StsFault('wsse:MessageExpired', message),
};
