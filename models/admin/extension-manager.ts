import { X509Certificate } from 'node:crypto';
import { faults, VimFault } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import { distinguishedName, presentedCertificate } from '../core/client-certificate.js';
import type { ExtensionCertificates } from '../core/session-manager.js';

/** The extensions (plug-ins, solutions) registered with vCenter, by key. */
export class ExtensionManager extends ManagedObject implements ExtensionCertificates {
  extensionList: DataObject[] = [];
  /** Extension key → SHA-1 thumbprint of the certificate it logs in with (not a vSphere property: vCenter keeps it to itself). */
  certificateThumbprints: Record<string, string> = {};

  /** A new key only (InvalidArgument for one registered already, or none); its heartbeat is now. */
  RegisterExtension(ctx: CallContext, { extension }: { extension: DataObject }): void {
    const checked = this.checked(ctx, extension);
    if (this.find(checked.key as string)) throw faults.invalidArgument('extension.key', `The extension ${checked.key} is already registered.`);
    this.extensionList = [...this.extensionList, checked];
    ctx.vc.registry.changed(this);
  }

  /** Replaces a registered extension (NotFound otherwise), keeping its certificate's subject unless the update names one. */
  UpdateExtension(ctx: CallContext, { extension }: { extension: DataObject }): void {
    const checked = this.checked(ctx, extension);
    const old = this.required(checked.key as string);
    const updated = { ...checked, subjectName: checked.subjectName ?? old.subjectName };
    this.extensionList = this.extensionList.map((e) => (e === old ? updated : e));
    ctx.vc.registry.changed(this);
  }

  UnregisterExtension(ctx: CallContext, { extensionKey }: { extensionKey: string }): void {
    const old = this.required(extensionKey);
    this.extensionList = this.extensionList.filter((e) => e !== old);
    delete this.certificateThumbprints[extensionKey];
    ctx.vc.registry.changed(this);
  }

  /** The extension, or nothing (no fault) when none has the key. */
  FindExtension(_ctx: CallContext, { extensionKey }: { extensionKey: string }): DataObject | undefined {
    return this.find(extensionKey);
  }

  /**
   * The extension logs in with this certificate from now on (LoginExtensionByCertificate): the one
   * in `certificatePem`, or without it the TLS client certificate the caller presents
   * (NoClientCertificate when none). Its subject becomes the extension's subjectName.
   */
  SetExtensionCertificate(ctx: CallContext, { extensionKey, certificatePem }: { extensionKey: string; certificatePem?: string }): void {
    const old = this.required(extensionKey);
    const certificate = certificatePem ? parsed(certificatePem) : presentedCertificate(ctx);
    this.certificateThumbprints = { ...this.certificateThumbprints, [extensionKey]: certificate.fingerprint };
    this.extensionList = this.extensionList.map((e) => (e === old ? { ...e, subjectName: distinguishedName(certificate) } : e));
    ctx.vc.registry.changed(this);
  }

  certificateMatches(extensionKey: string, thumbprint: string): boolean {
    return this.find(extensionKey) !== undefined && this.certificateThumbprints[extensionKey] === thumbprint;
  }

  registration(extensionKey: string): { subjectName?: string } | undefined {
    const extension = this.find(extensionKey);
    return extension && { subjectName: extension.subjectName as string | undefined };
  }

  /** The virtual machines the extension manages (their config.managedBy names it). */
  QueryManagedBy(ctx: CallContext, { extensionKey }: { extensionKey: string }): MoRef[] {
    return ctx.vc.registry
      .ofType<ManagedObject & { config?: DataObject }>('VirtualMachine')
      .filter((vm) => (vm.config?.managedBy as DataObject | undefined)?.extensionKey === extensionKey)
      .map((vm) => vm.self);
  }

  private checked(ctx: CallContext, extension: DataObject): DataObject {
    if (!extension?.key) throw faults.invalidArgument('extension.key');
    return { ...extension, _type: 'Extension', lastHeartbeatTime: ctx.vc.now() };
  }

  private find(key: string): DataObject | undefined {
    return this.extensionList.find((e) => e.key === key);
  }

  private required(key: string): DataObject {
    const found = this.find(key);
    if (!found) throw faults.notFound(`The extension ${key} is not registered.`);
    return found;
  }
}

/** The PEM's certificate; InvalidArgument for what is no PEM certificate. */
function parsed(pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw faults.invalidArgument('certificatePem');
  }
}
