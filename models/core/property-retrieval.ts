import { faults, VimFault } from './fault.js';
import type { CallContext, ManagedObject } from './managed-object.js';
import { MoRef, Typed, type DataObject } from './moref.js';
import { propertyPrivilege, type WorldAccess } from './world.js';

/** The decoded shapes of the PropertyCollector's specs (vim.PropertyCollector.*). */
export interface SelectionSpec {
  _type?: string;
  name?: string;
}
export interface TraversalSpec extends SelectionSpec {
  type: string;
  path: string;
  skip?: boolean;
  selectSet?: SelectionSpec[];
}
export interface ObjectSpec {
  obj: MoRef;
  skip?: boolean;
  selectSet?: SelectionSpec[];
}
export interface PropertySpec {
  type: string;
  all?: boolean;
  pathSet?: string[];
}
export interface PropertyFilterSpec {
  propSet: PropertySpec[];
  objectSet: ObjectSpec[];
  reportMissingObjectsInResults?: boolean;
}

/** One requested property value, ready for the wire: `val` is typed for its anyType slot. */
export interface DynamicProperty {
  name: string;
  val: Typed;
}

interface PlannedPath {
  path: string;
  names: string[];
  decl: { type: string; array?: boolean };
  /** What reading it takes: its top-level property's privilege (System.Read unless the type table says otherwise). */
  privilege: string;
}

const isTraversal = (spec: SelectionSpec): spec is TraversalSpec => (spec as TraversalSpec).path !== undefined;

/**
 * Evaluates one PropertyFilterSpec: which objects it reaches (following traversal specs, each
 * (spec, object) pair visited once so mutually recursive specs terminate) and their requested
 * property values.
 */
export class Retrieval {
  private readonly named = new Map<string, TraversalSpec>();
  private readonly plans = new Map<string, PlannedPath[] | undefined>();
  /** Set when privileges are enforced: the caller sees and reads only what its permissions allow. */
  private readonly access?: WorldAccess;

  constructor(
    private readonly ctx: CallContext,
    readonly spec: PropertyFilterSpec,
  ) {
    if (ctx.vc.access.enforced && ctx.session) this.access = ctx.vc.access;
    for (const objectSpec of spec.objectSet ?? []) this.indexNames(objectSpec.selectSet);
    this.validatePaths();
  }

  /** The objects the spec reaches, in traversal order, and the morefs it names that do not exist. */
  objects(): { found: Map<string, ManagedObject>; missing: MoRef[] } {
    const found = new Map<string, ManagedObject>();
    const missing: MoRef[] = [];
    const visited = new Map<TraversalSpec, Set<string>>();
    for (const objectSpec of this.spec.objectSet ?? []) {
      const root = this.lookup(objectSpec.obj);
      if (!root) {
        if (!this.spec.reportMissingObjectsInResults) throw faults.managedObjectNotFound(objectSpec.obj);
        missing.push(objectSpec.obj);
        continue;
      }
      if (!objectSpec.skip) found.set(root.self.value, root);
      this.traverse(root, objectSpec.selectSet, found, visited);
    }
    return { found, missing };
  }

  /**
   * The requested properties of `obj`, or undefined when no PropertySpec applies to its type. A
   * property the caller may not read (its privilege not held, or its read throws a vSphere fault,
   * NoPermission) is left out and goes to `missing` as a MissingProperty, as vCenter reports it.
   */
  properties(obj: ManagedObject, missing: DataObject[]): DynamicProperty[] | undefined {
    const plan = this.planFor(obj.self.type);
    if (!plan) return undefined;
    const props: DynamicProperty[] = [];
    for (const step of plan) {
      if (this.access && !this.access.mayRead(this.ctx, obj, step.privilege)) {
        missing.push(missingProperty(step.path, { _type: 'NoPermission', object: obj.self, privilegeId: step.privilege }));
        continue;
      }
      try {
        const val = this.readPlanned(obj, step);
        if (val !== undefined) props.push({ name: step.path, val });
      } catch (error) {
        if (!(error instanceof VimFault)) throw error;
        missing.push(missingProperty(step.path, { _type: error.type, ...error.props }));
      }
    }
    return props;
  }

  /** The value at `path` of `obj`, typed by the property's declaration; undefined when unset. */
  read(obj: ManagedObject, path: string): Typed | undefined {
    const decl = this.ctx.vc.types.propType(obj.self.type, path);
    if (!decl) throw faults.invalidProperty(path);
    return this.readPlanned(obj, { path, names: path.split('.'), decl, privilege: '' });
  }

  private readPlanned(obj: ManagedObject, { names, decl }: PlannedPath): Typed | undefined {
    let value = obj.read(names[0]!, this.ctx);
    for (let i = 1; i < names.length && value !== undefined && value !== null; i++) value = (value as DataObject)[names[i]!];
    if (value === undefined || value === null) return undefined;
    return new Typed(decl.type, value, decl.array === true);
  }

  /** The paths to read for objects of `type`, resolved once per type; undefined when no spec applies. */
  private planFor(type: string): PlannedPath[] | undefined {
    if (this.plans.has(type)) return this.plans.get(type);
    const types = this.ctx.vc.types;
    const specs = (this.spec.propSet ?? []).filter((s) => types.isSubtypeOf(type, s.type));
    let plan: PlannedPath[] | undefined;
    if (specs.length > 0) {
      const paths = new Set(specs.flatMap((s) => (s.all ? types.allProps(type).map((p) => p.name) : (s.pathSet ?? []))));
      plan = [...paths].map((path) => {
        const decl = types.propType(type, path);
        if (!decl) throw faults.invalidProperty(path);
        const names = path.split('.');
        return { path, names, decl, privilege: propertyPrivilege(types.propType(type, names[0]!)) };
      });
    }
    this.plans.set(type, plan);
    return plan;
  }

  private traverse(
    obj: ManagedObject,
    selectSet: SelectionSpec[] | undefined,
    found: Map<string, ManagedObject>,
    visited: Map<TraversalSpec, Set<string>>,
  ): void {
    for (const selection of selectSet ?? []) {
      const spec = isTraversal(selection) ? selection : this.named.get(selection.name ?? '');
      if (!spec || !this.ctx.vc.types.isSubtypeOf(obj.self.type, spec.type)) continue;
      let seen = visited.get(spec);
      if (!seen) visited.set(spec, (seen = new Set()));
      if (seen.has(obj.self.value)) continue;
      seen.add(obj.self.value);
      for (const ref of refsAt(obj, spec.path, this.ctx)) {
        const child = this.lookup(ref);
        if (!child) continue;
        // What the caller cannot see is not reported, but the way through it is walked: it may see what lies below.
        if (!spec.skip && (!this.access || this.access.sees(this.ctx, child))) found.set(child.self.value, child);
        this.traverse(child, spec.selectSet, found, visited);
      }
    }
  }

  private lookup(ref: MoRef): ManagedObject | undefined {
    try {
      return this.ctx.vc.resolve(ref, this.ctx.session);
    } catch {
      return undefined;
    }
  }

  private indexNames(selectSet: SelectionSpec[] | undefined): void {
    for (const selection of selectSet ?? []) {
      if (!isTraversal(selection)) continue;
      if (selection.name) {
        if (this.named.has(selection.name)) continue;
        this.named.set(selection.name, selection);
      }
      this.indexNames(selection.selectSet);
    }
  }

  private validatePaths(): void {
    const types = this.ctx.vc.types;
    for (const spec of this.spec.propSet ?? []) {
      if (!types.isManaged(spec.type)) throw faults.invalidType(spec.type);
      for (const path of spec.pathSet ?? []) if (!types.propType(spec.type, path)) throw faults.invalidProperty(path);
    }
  }

}

/** A MissingProperty of an ObjectContent or ObjectUpdate: the path and the fault that kept it out. */
export function missingProperty(path: string, fault: DataObject): DataObject {
  return { _type: 'MissingProperty', path, fault: { _type: 'LocalizedMethodFault', fault, localizedMessage: '' } };
}

/** Reads a dotted property path: the first name through the object's `read`, the rest through data objects. */
function readPath(obj: ManagedObject, path: string, ctx: CallContext): unknown {
  const dot = path.indexOf('.');
  if (dot < 0) return obj.read(path, ctx);
  let value: unknown = obj.read(path.slice(0, dot), ctx);
  for (const name of path.slice(dot + 1).split('.')) {
    if (value === undefined || value === null) return undefined;
    value = (value as DataObject)[name];
  }
  return value;
}

function refsAt(obj: ManagedObject, path: string, ctx: CallContext): MoRef[] {
  const value = readPath(obj, path, ctx);
  if (value instanceof MoRef) return [value];
  return Array.isArray(value) ? value.filter((v): v is MoRef => v instanceof MoRef) : [];
}
