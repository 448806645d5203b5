import type { ManagedObject } from './managed-object.js';
import type { DataObject } from './moref.js';

/** One logged-in user session (a SOAP cookie; REST sessions will map onto these too). */
export class Session {
  lastActiveTime: Date;
  locale = 'en';
  messageLocale = 'en';
  /** API calls made in the session, the one that logged it in included (vCenter's UserSession.callCount). */
  callCount = 1;
  /** Logged in by an extension's certificate: such a session may impersonate users. */
  extensionSession = false;
  /** Objects that live and die with the session: its property collectors, filters and views. */
  readonly objects = new Map<string, ManagedObject>();
  private objectCounter = 0;

  constructor(
    readonly key: string,
    /** Who the session acts as: changes when it impersonates another user. */
    public userName: string,
    readonly loginTime: Date,
    readonly ipAddress: string,
    readonly userAgent: string,
  ) {
    this.lastActiveTime = loginTime;
  }

  /** A moref id for a session-scoped object, shaped as vCenter's: `session[<key>]<n>`. */
  newObjectId(): string {
    return `session[${this.key}]${(++this.objectCounter).toString(16).padStart(8, '0')}`;
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
      extensionSession: this.extensionSession,
      ipAddress: this.ipAddress,
      userAgent: this.userAgent,
      callCount: this.callCount,
    };
  }
}
