import type { DataObject } from './moref.js';

/** One logged-in user session (a SOAP cookie; REST sessions will map onto these too). */
export class Session {
  lastActiveTime: Date;
  locale = 'en';
  messageLocale = 'en';
  callCount = 0;

  constructor(
    readonly key: string,
    readonly userName: string,
    readonly loginTime: Date,
    readonly ipAddress: string,
    readonly userAgent: string,
  ) {
    this.lastActiveTime = loginTime;
  }

  /** The UserSession data object vCenter reports for it. */
  toUserSession(): DataObject {
    return {
      _type: 'UserSession',
      key: this.key,
      userName: this.userName,
      fullName: this.userName,
      loginTime: this.loginTime,
      lastActiveTime: this.lastActiveTime,
      locale: this.locale,
      messageLocale: this.messageLocale,
      extensionSession: false,
      ipAddress: this.ipAddress,
      userAgent: this.userAgent,
      callCount: this.callCount,
    };
  }
}
