import { ManagedObject, type CallContext } from './managed-object.js';
import type { DataObject } from './moref.js';

/** The root of the API: hands out the service content and the server's clock. */
export class ServiceInstance extends ManagedObject {
  capability: DataObject = {
    _type: 'Capability',
    provisioningSupported: true,
    multiHostSupported: true,
    userShellAccessSupported: false,
    supportedEVCMode: [],
    networkBackupAndRestoreSupported: true,
    ftDrsWithoutEvcSupported: true,
    hciWorkflowSupported: true,
  };

  override read(name: string, ctx: CallContext): unknown {
    if (name === 'content') return ctx.vc.content;
    if (name === 'serverClock') return ctx.vc.now();
    return super.read(name, ctx);
  }

  RetrieveServiceContent(ctx: CallContext): DataObject {
    return ctx.vc.content;
  }

  CurrentTime(ctx: CallContext): Date {
    return ctx.vc.now();
  }
}
