import { X509Certificate } from 'node:crypto';
import { faults, VimFault } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';

/** The extensions (plug-ins, solutions) registered with vCenter, by key. */
export class ExtensionManager extends ManagedObject {
  extensionList: DataObject[] = [];

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
    ctx.vc.registry.changed(this);
  }

  /** The extension, or nothing (no fault) when none has the key. */
  FindExtension(_ctx: CallContext, { extensionKey }: { extensionKey: string }): DataObject | undefined {
    return this.find(extensionKey);
  }

  /** The extension authenticates with this certificate from now on: its subject becomes subjectName. */
  SetExtensionCertificate(ctx: CallContext, { extensionKey, certificatePem }: { extensionKey: string; certificatePem?: string }): void {
    const old = this.required(extensionKey);
    // Without a PEM vCenter takes the certificate the client logged in with; this simulator's clients present none.
    if (!certificatePem) throw new VimFault('NoClientCertificate', {}, 'No client certificate was presented.');
    const subjectName = subjectOf(certificatePem);
    this.extensionList = this.extensionList.map((e) => (e === old ? { ...e, subjectName } : e));
    ctx.vc.registry.changed(this);
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

/** The certificate's subject as vSphere writes a distinguished name; InvalidArgument for what is no PEM certificate. */
function subjectOf(pem: string): string {
  try {
    return new X509Certificate(pem).subject.split('\n').filter(Boolean).join(',');
  } catch {
    throw faults.invalidArgument('certificatePem');
  }
}
