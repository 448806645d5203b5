/**
 * `vcenter/storage/policies` and a VM's storage policy and compliance. The policies are the ones
 * a vCenter 7.0 ships with (the identifiers are vCenter's own, which clients hard-code). The
 * simulated datastores are local VMFS ones no policy applies to, so VMs have no policy association
 * and their compliance is NOT_APPLICABLE, as vCenter reports for such VMs.
 */
import { z } from 'zod';
import { Datastore } from '../../../models/storage/datastore.js';
import type { DataObject } from '../../../models/core/moref.js';
import type { VCenter } from '../../../models/vcenter.js';
import { VirtualMachine } from '../../../models/vm/virtual-machine.js';
import { message, vapiErrors, VapiError } from '../errors.js';
import { enumSet, stringSet } from '../query.js';
import { defineRoute, VapiMap, type RestRoute } from '../route.js';
import { filterSet, lookup } from './filters.js';

interface StoragePolicy {
  policy: string;
  name: string;
  description: string;
  /** The datastore types (summary.type) the policy can place storage on; undefined: any. */
  datastoreTypes?: string[];
}

const POLICIES: readonly StoragePolicy[] = [
  { policy: 'aa6d5a82-1c88-45da-85d3-3d74b91a5bad', name: 'vSAN Default Storage Policy', description: 'Storage policy used as default for vSAN datastores', datastoreTypes: ['vsan'] },
  { policy: 'f4e5bade-15a2-4805-bf8e-52318c4ce443', name: 'VVol No Requirements Policy', description: 'Allow the datastore to determine the best placement strategy for storage objects', datastoreTypes: ['VVOL'] },
  { policy: '4d5f673c-536f-11e6-beb8-9e71128cae77', name: 'VM Encryption Policy', description: "Sample storage policy for VMware's VM and virtual disk encryption" },
  { policy: 'c268da1b-b343-49f7-a468-b1deeb7078e0', name: 'Host-local PMem Default Storage Policy', description: 'Storage policy used as default for Host-local PMem datastores', datastoreTypes: ['PMEM'] },
];

/** vCenter answers at most this many policies (the 7.0 API reference). */
const POLICY_LIST_LIMIT = 1024;

/** Whether `id` names one of the storage policies vCenter has. */
export const isStoragePolicy = (id: string) => POLICIES.some((p) => p.policy === id);

function findPolicy(id: string): StoragePolicy {
  const policy = POLICIES.find((p) => p.policy === id);
  if (!policy) throw vapiErrors.notFound('storage.policies', 'Storage policy', id);
  return policy;
}

const summary = ({ policy, name, description }: StoragePolicy) => ({ policy, name, description });

function listPolicies(filter: { policies?: string[] }) {
  const wanted = filterSet(filter.policies);
  const out = POLICIES.filter((p) => !wanted || wanted.has(p.policy)).map(summary);
  if (out.length > POLICY_LIST_LIMIT) throw vapiErrors.tooManyMatches('storage.policies', 'storage policies');
  return out;
}

const compatibilitySpec = z.object({ datastores: z.array(z.string()).min(1) });

/** Which of the datastores the policy can place storage on. */
function checkCompatibility(vc: VCenter, policy: StoragePolicy, datastores: string[]) {
  const compatible: DataObject[] = [];
  const incompatible: DataObject[] = [];
  for (const id of datastores) {
    const ds = lookup(vc, id, Datastore, 'datastore', 'Datastore');
    const type = String(ds.summary.type ?? '');
    const fits = !policy.datastoreTypes || policy.datastoreTypes.some((t) => t.toLowerCase() === type.toLowerCase());
    (fits ? compatible : incompatible).push({ datastore: ds.self.value });
  }
  return { compatible_datastores: compatible, incompatible_datastores: incompatible };
}

// --- VMs ---------------------------------------------------------------------------------------

const findVm = (vc: VCenter, id: string) => lookup(vc, id, VirtualMachine, 'vm', 'Virtual machine');
const diskKeys = (vm: VirtualMachine) =>
  ((((vm.config ?? {}) as DataObject).hardware as DataObject | undefined)?.device as DataObject[] | undefined ?? [])
    .filter((d) => d._type === 'VirtualDisk')
    .map((d) => String(d.key));

/** `vm/{vm}/storage/policy`: no policy on the VM home (vm_home unset) or any disk. */
const vmPolicy = () => ({ disks: new VapiMap<string>() });

/** `vm/{vm}/storage/policy/compliance`: nothing to comply with, so NOT_APPLICABLE. */
const vmCompliance = () => ({ overall_compliance: 'NOT_APPLICABLE', disks: new VapiMap<unknown>() });

const checkSpec = z.object({ vm_home: z.boolean().optional(), disks: z.array(z.string()).optional() }).optional();

function checkVmCompliance(vm: VirtualMachine, spec: z.output<typeof checkSpec>) {
  const known = new Set(diskKeys(vm));
  const unknown = spec?.disks?.find((disk) => !known.has(disk));
  if (unknown !== undefined) {
    throw new VapiError('not_found', [message('com.vmware.api.vcenter.vm.hardware.disk.not_found', `Virtual disk '${unknown}' of virtual machine ${vm.self.value} does not exist.`, [unknown, vm.self.value])]);
  }
  return vmCompliance();
}

const COMPLIANCE_STATUSES = ['COMPLIANT', 'NON_COMPLIANT', 'UNKNOWN_COMPLIANCE', 'NOT_APPLICABLE', 'OUT_OF_DATE'] as const;
const complianceFilter = z.object({ status: enumSet(COMPLIANCE_STATUSES), vms: stringSet() });

export const storagePolicyRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: '/vcenter/storage/policies', query: z.object({ policies: stringSet() }), filterQuery: true, handle: ({ query }) => listPolicies(query) }),
  defineRoute({
    method: 'POST',
    path: '/vcenter/storage/policies/:policy',
    action: 'check-compatibility',
    body: compatibilitySpec,
    handle: ({ vc, params, body }) => checkCompatibility(vc, findPolicy(params.policy!), body.datastores),
  }),
  defineRoute({
    method: 'GET',
    path: '/vcenter/storage/policies/:policy/vm',
    handle({ params }) {
      findPolicy(params.policy!);
      return new VapiMap<unknown>(); // no VM is associated with a policy
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/vcenter/storage/policies/compliance',
    query: complianceFilter,
    filterQuery: true,
    handle({ query }) {
      if (!query.status?.length) throw vapiErrors.invalidField('status', 'at least one compliance status is required');
      return new VapiMap<unknown>(); // no VM has a policy to comply with
    },
  }),
  defineRoute({ method: 'GET', path: '/vcenter/vm/:vm/storage/policy', handle: ({ vc, params }) => (findVm(vc, params.vm!), vmPolicy()) }),
  defineRoute({ method: 'GET', path: '/vcenter/vm/:vm/storage/policy/compliance', handle: ({ vc, params }) => (findVm(vc, params.vm!), vmCompliance()) }),
  defineRoute({
    method: 'POST',
    path: '/vcenter/vm/:vm/storage/policy/compliance',
    action: 'check',
    body: checkSpec,
    handle: ({ vc, params, body }) => checkVmCompliance(findVm(vc, params.vm!), body),
  }),
];
