import { ManagedObject, type CallContext } from './managed-object.js';
import type { MoRef } from './moref.js';
import type { Registry } from './registry.js';
import { datacenterOf } from './managed-entity.js';
import { childrenOf } from './views.js';

type Fields = Record<string, unknown>;
interface ScopedSearch {
  datacenter?: MoRef;
  vmSearch?: boolean;
}

/** Finds inventory objects by path, name, UUID, IP address, DNS name or datastore path. */
export class SearchIndex extends ManagedObject {
  FindByInventoryPath(ctx: CallContext, { inventoryPath }: { inventoryPath: string }): MoRef | undefined {
    let current = ctx.vc.registry.get(ctx.vc.rootFolder);
    for (const segment of inventoryPath.split('/').filter(Boolean)) {
      if (!current) return undefined;
      current = this.childNamed(ctx.vc.registry, current, decodeURIComponent(segment));
    }
    return seen(ctx, current);
  }

  FindChild(ctx: CallContext, { entity, name }: { entity: MoRef; name: string }): MoRef | undefined {
    return seen(ctx, this.childNamed(ctx.vc.registry, ctx.vc.registry.require(entity), name));
  }

  FindByUuid(ctx: CallContext, args: ScopedSearch & { uuid: string; instanceUuid?: boolean }): MoRef | undefined {
    return this.FindAllByUuid(ctx, args)[0];
  }

  FindAllByUuid(ctx: CallContext, { datacenter, uuid, vmSearch, instanceUuid }: ScopedSearch & { uuid: string; instanceUuid?: boolean }): MoRef[] {
    const wanted = uuid.toLowerCase();
    const path = vmSearch ? (instanceUuid ? 'config.instanceUuid' : 'config.uuid') : 'hardware.systemInfo.uuid';
    return refs(this.candidates(ctx, datacenter, vmSearch).filter((o) => String(at(o, path) ?? '').toLowerCase() === wanted));
  }

  FindByIp(ctx: CallContext, args: ScopedSearch & { ip: string }): MoRef | undefined {
    return this.FindAllByIp(ctx, args)[0];
  }

  FindAllByIp(ctx: CallContext, { datacenter, ip, vmSearch }: ScopedSearch & { ip: string }): MoRef[] {
    return refs(this.candidates(ctx, datacenter, vmSearch).filter((o) => (vmSearch ? vmIps(o) : hostIps(o)).includes(ip)));
  }

  FindByDnsName(ctx: CallContext, args: ScopedSearch & { dnsName: string }): MoRef | undefined {
    return this.FindAllByDnsName(ctx, args)[0];
  }

  FindAllByDnsName(ctx: CallContext, { datacenter, dnsName, vmSearch }: ScopedSearch & { dnsName: string }): MoRef[] {
    const wanted = dnsName.toLowerCase();
    const names = (o: ManagedObject) =>
      vmSearch ? [at(o, 'guest.hostName')] : [at(o, 'name'), at(o, 'config.network.dnsConfig.hostName')];
    return refs(this.candidates(ctx, datacenter, vmSearch).filter((o) => names(o).some((n) => String(n ?? '').toLowerCase() === wanted)));
  }

  FindByDatastorePath(ctx: CallContext, { datacenter, path }: { datacenter: MoRef; path: string }): MoRef | undefined {
    ctx.vc.registry.require(datacenter);
    const vms = ctx.vc.registry.ofType('VirtualMachine').filter((vm) => datacenterOf(ctx.vc.registry, vm)?.value === datacenter.value);
    return seen(ctx, vms.find((vm) => at(vm, 'config.files.vmPathName') === path));
  }

  private childNamed(registry: Registry, parent: ManagedObject, name: string): ManagedObject | undefined {
    for (const ref of childrenOf(parent)) {
      const child = registry.get(ref);
      if (child && (child as unknown as Fields).name === name) return child;
    }
    return undefined;
  }

  /** The objects a search looks at: VMs or hosts, within one datacenter when given. */
  private candidates(ctx: CallContext, datacenter: MoRef | undefined, vmSearch: boolean | undefined): ManagedObject[] {
    const { registry } = ctx.vc;
    if (datacenter) registry.require(datacenter);
    const all = registry.ofType(vmSearch ? 'VirtualMachine' : 'HostSystem');
    const inScope = datacenter ? all.filter((o) => datacenterOf(registry, o)?.value === datacenter.value) : all;
    return ctx.vc.access.enforced ? inScope.filter((o) => ctx.vc.access.sees(ctx, o)) : inScope;
  }
}

/** What a search found, unless the caller may not see it: vCenter finds nothing then. */
function seen(ctx: CallContext, found: ManagedObject | undefined): MoRef | undefined {
  return found && ctx.vc.access.sees(ctx, found) ? found.self : undefined;
}

const refs = (objects: ManagedObject[]): MoRef[] => objects.map((o) => o.self);

function at(obj: unknown, path: string): unknown {
  let value = obj;
  for (const name of path.split('.')) {
    if (value === undefined || value === null) return undefined;
    value = (value as Fields)[name];
  }
  return value;
}

function vmIps(vm: unknown): string[] {
  const nets = (at(vm, 'guest.net') as Fields[] | undefined) ?? [];
  return [at(vm, 'guest.ipAddress') as string, ...nets.flatMap((n) => (n.ipAddress as string[] | undefined) ?? [])].filter(Boolean);
}

function hostIps(host: unknown): string[] {
  const vnics = (at(host, 'config.network.vnic') as Fields[] | undefined) ?? [];
  return [at(host, 'summary.managementServerIp') as string, ...vnics.map((v) => at(v, 'spec.ip.ipAddress') as string)].filter(Boolean);
}
