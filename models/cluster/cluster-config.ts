/**
 * A cluster's configuration as ReconfigureComputeResource_Task (ClusterConfigSpecEx) and
 * ReconfigureCluster_Task (ClusterConfigSpec) change it: the settings objects (DRS, HA, DPM, vSAN,
 * orchestration, ...) merge with `modify` and replace without it; the lists (rules, groups, VM and
 * host overrides) take add/edit/remove updates by their keys. The new configuration is built apart
 * and installed only when every update is valid, so a refused reconfiguration changes nothing.
 */
import { faults } from '../core/fault.js';
import type { CallContext } from '../core/managed-object.js';
import { cloneData, MoRef, type DataObject } from '../core/moref.js';
import { ValueGenerator } from '../inventory/generator.js';

export interface ArrayUpdate {
  operation: 'add' | 'edit' | 'remove';
  removeKey?: unknown;
  info?: DataObject;
}

/** The settings objects of ClusterConfigSpecEx and where ClusterConfigInfoEx keeps each. */
const SETTINGS: [spec: string, info: string][] = [
  ['dasConfig', 'dasConfig'],
  ['drsConfig', 'drsConfig'],
  ['dpmConfig', 'dpmConfigInfo'],
  ['vsanConfig', 'vsanConfigInfo'],
  ['orchestration', 'orchestration'],
  ['infraUpdateHaConfig', 'infraUpdateHaConfig'],
  ['proactiveDrsConfig', 'proactiveDrsConfig'],
  ['cryptoConfig', 'cryptoConfig'],
];

/** Plain values of ClusterConfigSpecEx kept as they are. */
const VALUES = ['vmSwapPlacement', 'spbmEnabled', 'defaultHardwareVersionKey'];

type KeyOf = (info: DataObject) => string;
const byRef: KeyOf = (info) => (info.key as MoRef | undefined)?.value ?? (info.vm as MoRef | undefined)?.value ?? '';

/** The lists: spec field, info field, how an entry is keyed, and which references in it must exist. */
const LISTS: { spec: string; info: string; key: KeyOf; refs: (info: DataObject) => MoRef[] }[] = [
  { spec: 'rulesSpec', info: 'rule', key: (info) => String(info.key ?? ''), refs: (info) => (info.vm as MoRef[] | undefined) ?? [] },
  { spec: 'groupSpec', info: 'group', key: (info) => String(info.name ?? ''), refs: (info) => [...((info.vm as MoRef[] | undefined) ?? []), ...((info.host as MoRef[] | undefined) ?? [])] },
  { spec: 'drsVmConfigSpec', info: 'drsVmConfig', key: byRef, refs: (info) => [info.key as MoRef] },
  { spec: 'dasVmConfigSpec', info: 'dasVmConfig', key: byRef, refs: (info) => [info.key as MoRef] },
  { spec: 'vmOrchestrationSpec', info: 'vmOrchestration', key: byRef, refs: (info) => [info.vm as MoRef] },
  { spec: 'dpmHostConfigSpec', info: 'dpmHostConfig', key: byRef, refs: (info) => [info.key as MoRef] },
];

/** The key an update names: removeKey for a remove (a moref, a rule's number, a group's name), else the info's own. */
function updateKey(update: ArrayUpdate, key: KeyOf): string {
  if (update.operation === 'remove') {
    const k = update.removeKey;
    return k instanceof MoRef ? k.value : String((k as { value?: unknown } | undefined)?.value ?? k ?? '');
  }
  return update.info ? key(update.info) : '';
}

/**
 * The configuration `spec` makes of `current` (not changed): InvalidArgument for an update of a
 * missing entry, an added duplicate, or a rule naming a group that is not there; ManagedObjectNotFound
 * for a reference to nothing.
 */
export function reconfigured(ctx: CallContext, current: DataObject, spec: DataObject, modify: boolean, seedName: string): DataObject {
  const next = cloneData(current);
  for (const [specName, infoName] of SETTINGS) {
    const value = spec[specName] as DataObject | undefined;
    if (value) next[infoName] = modify ? merge(next[infoName] as DataObject | undefined, value) : { ...value };
  }
  for (const name of VALUES) if (spec[name] !== undefined) next[name] = spec[name];
  for (const list of LISTS) {
    const updates = (spec[list.spec] as ArrayUpdate[] | undefined) ?? [];
    next[list.info] = applyUpdates(ctx, (next[list.info] as DataObject[] | undefined) ?? [], updates, list, `spec.${list.spec}`, seedName);
  }
  checkRuleGroups(next);
  return next;
}

function applyUpdates(ctx: CallContext, entries: DataObject[], updates: ArrayUpdate[], list: (typeof LISTS)[number], where: string, seedName: string): DataObject[] {
  const result = [...entries];
  for (const update of updates) {
    const key = updateKey(update, list.key);
    const at = result.findIndex((entry) => list.key(entry) === key);
    if (update.operation === 'remove') {
      if (at < 0) throw faults.invalidArgument(`${where}.removeKey`);
      result.splice(at, 1);
      continue;
    }
    if (!update.info) throw faults.invalidArgument(`${where}.info`);
    for (const ref of list.refs(update.info)) if (ref) ctx.vc.registry.require(ref);
    if (update.operation === 'add') {
      if (list.info === 'rule') {
        result.push(newRule(result, update.info, seedName));
        continue;
      }
      if (at >= 0 || !key) throw faults.invalidArgument(`${where}.info`);
      result.push({ ...update.info, ...(list.info === 'group' ? { userCreated: true } : {}) });
    } else {
      if (at < 0) throw faults.invalidArgument(`${where}.info.key`);
      result[at] = { ...result[at], ...defined(update.info), _type: update.info._type ?? result[at]!._type };
    }
  }
  return result;
}

/** A new rule gets the next key and a UUID, as vCenter stamps them; it is user created and in compliance. */
function newRule(rules: DataObject[], info: DataObject, seedName: string): DataObject {
  const key = Math.max(0, ...rules.map((r) => Number(r.key ?? 0))) + 1;
  const ruleUuid = new ValueGenerator(undefined).uuid(`${seedName}/rule/${key}/${String(info.name ?? '')}`);
  return { status: 'green', enabled: false, mandatory: false, inCompliance: true, ...defined(info), key, ruleUuid, userCreated: true };
}

/** VM-host and dependency rules must name groups the cluster has. */
function checkRuleGroups(config: DataObject): void {
  const groups = new Set(((config.group as DataObject[] | undefined) ?? []).map((g) => g.name as string));
  for (const rule of (config.rule as DataObject[] | undefined) ?? []) {
    for (const field of ['vmGroupName', 'affineHostGroupName', 'antiAffineHostGroupName', 'vmGroup', 'dependsOnVmGroup']) {
      const name = rule[field] as string | undefined;
      if (name && !groups.has(name)) throw faults.invalidArgument(`spec.rulesSpec.info.${field}`);
    }
  }
}

/**
 * `base` with the properties `change` sets (unset ones keep their value), one level deep as vCenter
 * merges settings; advanced options (`option`) merge by key, and an option set to an empty value goes
 * (how Terraform removes one).
 */
function merge(base: DataObject | undefined, change: DataObject): DataObject {
  const merged: DataObject = { ...(base ?? {}), ...defined(change), _type: change._type ?? base?._type };
  if (Array.isArray(change.option)) merged.option = mergeOptions((base?.option as DataObject[] | undefined) ?? [], change.option as DataObject[]);
  return merged;
}

function mergeOptions(current: DataObject[], changes: DataObject[]): DataObject[] {
  const byKey = new Map(current.map((o) => [String(o.key), o]));
  for (const option of changes) {
    if (option.value === undefined || option.value === '') byKey.delete(String(option.key));
    else byKey.set(String(option.key), option);
  }
  return [...byKey.values()];
}

function defined(data: DataObject): DataObject {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
}

/** The pre-4.0 ClusterConfigInfo: the part of configurationEx it has. */
export function legacyConfiguration(config: DataObject): DataObject {
  return {
    dasConfig: config.dasConfig,
    dasVmConfig: config.dasVmConfig ?? [],
    drsConfig: config.drsConfig,
    drsVmConfig: config.drsVmConfig ?? [],
    rule: config.rule ?? [],
  };
}

/**
 * The configuration without a VM or host that left the cluster (destroyed, removed, moved out): its
 * overrides go and the groups and rules no longer list it, as vCenter cleans them. The same object
 * when nothing named it.
 */
export function withoutMember(config: DataObject, ref: MoRef): DataObject {
  const names = (list: unknown) => ((list as MoRef[] | undefined) ?? []).some((r) => r.value === ref.value);
  const overrides = ['drsVmConfig', 'dasVmConfig', 'vmOrchestration', 'dpmHostConfig'] as const;
  const named =
    overrides.some((field) => ((config[field] as DataObject[] | undefined) ?? []).some((o) => byRef(o) === ref.value)) ||
    [...((config.group as DataObject[] | undefined) ?? []), ...((config.rule as DataObject[] | undefined) ?? [])].some((g) => names(g.vm) || names(g.host));
  if (!named) return config;
  const next = cloneData(config);
  for (const field of overrides) next[field] = ((next[field] as DataObject[] | undefined) ?? []).filter((o) => byRef(o) !== ref.value);
  for (const entry of [...((next.group as DataObject[] | undefined) ?? []), ...((next.rule as DataObject[] | undefined) ?? [])]) {
    for (const field of ['vm', 'host']) if (Array.isArray(entry[field])) entry[field] = (entry[field] as MoRef[]).filter((r) => r.value !== ref.value);
  }
  return next;
}
