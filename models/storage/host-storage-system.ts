/**
 * HostStorageSystem: the host's storage devices and file system volumes, read from the host's own
 * configuration (so a datastore mounted or removed shows at once). The simulated devices never
 * change behind the host's back, so rescans and refreshes find nothing new.
 */
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { HostSystem } from '../host/host-system.js';

export class HostStorageSystem extends ManagedObject {
  /** The host this system describes (set by the builder). */
  ownerHost?: MoRef;

  override read(name: string, ctx: CallContext): unknown {
    // A system loaded from a saved inventory has no host to read: it answers what was saved.
    const config = this.ownerHost && ((ctx.vc.registry.get(this.ownerHost) as HostSystem | undefined)?.config as DataObject | undefined);
    if (config && name === 'storageDeviceInfo') return config.storageDevice;
    if (config && name === 'fileSystemVolumeInfo') return config.fileSystemVolume;
    return super.read(name, ctx);
  }

  RescanAllHba(_ctx: CallContext): void {}

  RescanHba(_ctx: CallContext, _args: { hbaDevice: string }): void {}

  RescanVmfs(_ctx: CallContext): void {}

  RefreshStorageSystem(_ctx: CallContext): void {}
}
