/**
 * The least-privilege world the access suites share: vcsim's default inventory with users, a
 * custom role and permissions, as a topology file gives them.
 *
 * - administrator@vsphere.local: Admin everywhere (the SSO Administrators group).
 * - reader: ReadOnly on the root folder, NoAccess on DC0_H0_VM1 (hidden from it).
 * - operator: through the group Operators, ReadOnly on the root folder and the role VmOperator
 *   (power on and off) on the cluster DC0_C0, which its VMs inherit through their resource pool.
 */
import { topologyFromFlags, type Topology } from '../../models/inventory/index.js';

export const accessUsers = {
  admin: { username: 'administrator@vsphere.local', password: 'Admin!23' },
  reader: { username: 'reader', password: 'reader-pass' },
  operator: { username: 'operator', password: 'operator-pass' },
} as const;

export function accessTopology(): Topology {
  return {
    ...topologyFromFlags({}),
    users: [accessUsers.admin, accessUsers.reader, { ...accessUsers.operator, groups: ['Operators'] }],
    roles: [{ name: 'VmOperator', privileges: ['VirtualMachine.Interact.PowerOn', 'VirtualMachine.Interact.PowerOff'] }],
    permissions: [
      { entity: '/', principal: 'reader', group: false, role: 'ReadOnly', propagate: true },
      { entity: 'DC0/vm/DC0_H0_VM1', principal: 'reader', group: false, role: 'NoAccess', propagate: true },
      { entity: '/', principal: 'Operators', group: true, role: 'ReadOnly', propagate: true },
      { entity: 'DC0/host/DC0_C0', principal: 'Operators', group: true, role: 'VmOperator', propagate: true },
    ],
  };
}
