import { faults } from './fault.js';
import { ManagedObject, type CallContext } from './managed-object.js';
import { MoRef } from './moref.js';
import type { Session } from './session.js';
import { ContainerView, InventoryView, ListView, View } from './views.js';

/** Creates the session's views of the inventory. */
export class ViewManager extends ManagedObject {
  override read(name: string, ctx: CallContext): unknown {
    if (name === 'viewList') return [...(ctx.session?.objects.values() ?? [])].filter(isView).map((v) => v.self);
    return super.read(name, ctx);
  }

  CreateContainerView(
    ctx: CallContext,
    { container, type, recursive }: { container: MoRef; type?: string[]; recursive: boolean },
  ): MoRef {
    ctx.vc.registry.require(container);
    for (const t of type ?? []) if (!ctx.vc.types.isManaged(t)) throw faults.invalidArgument('type');
    return this.register(ctx, new ContainerView(container, type ?? [], recursive), 'ContainerView');
  }

  CreateListView(ctx: CallContext, { obj }: { obj?: MoRef[] }): MoRef {
    const view = new ListView();
    view.reset(ctx, obj ?? []);
    return this.register(ctx, view, 'ListView');
  }

  CreateListViewFromView(ctx: CallContext, { view }: { view: MoRef }): MoRef {
    const source = ctx.vc.resolve(view, ctx.session);
    const list = new ListView();
    list.reset(ctx, (source.read('view', ctx) as MoRef[] | undefined) ?? []);
    return this.register(ctx, list, 'ListView');
  }

  CreateInventoryView(ctx: CallContext): MoRef {
    return this.register(ctx, new InventoryView(ctx.vc.rootFolder), 'InventoryView');
  }

  private register(ctx: CallContext, view: View, type: string): MoRef {
    const session = ctx.session as Session;
    view.self = new MoRef(type, session.newObjectId());
    view.onDestroy = () => session.objects.delete(view.self.value);
    session.objects.set(view.self.value, view);
    ctx.vc.registry.structureChanged(view);
    return view.self;
  }
}

function isView(obj: ManagedObject): obj is View {
  return obj instanceof View;
}
