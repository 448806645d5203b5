/**
 * pyvmomi (Debian python3-pyvmomi 6.7.1) against the administration managers, as Ansible's
 * community.vmware modules and govc's role.* / permissions.* use them: test/clients/pyvmomi/roles.py.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { createSimulator } from '../../simulator/index.js';
import { selfSigned } from '../../simulator/tls.js';
import { clientAvailable, clientsDir, jsonResult, pythonEnv, pyvmomiStatus, runProcess, systemPython } from './support.js';

const available = clientAvailable(pyvmomiStatus());

async function run(script: string, extra: string[] = []): Promise<Record<string, any>> {
  const sim = await createSimulator({ topology: topologyFromFlags({}) });
  try {
    return jsonResult(await runProcess(systemPython, [join(clientsDir, 'pyvmomi', script), '--url', sim.url, '--user', sim.username, '--password', sim.password, ...extra], { env: pythonEnv(), timeoutMs: 120_000 }));
  } finally {
    await sim.close();
  }
}

describe.skipIf(!available)('pyvmomi: roles and permissions as vmware_local_role_manager and vmware_object_role_permission manage them', () => {
  it('creates, updates and removes a role; sets, reads, computes and removes a permission; vCenter\'s faults for bad input', async () => {
    const out = await run('roles.py');
    expect(out.systemRoles).toEqual([[-6, 'NoCryptoAdmin', true], [-5, 'NoAccess', true], [-4, 'Anonymous', true], [-3, 'View', true], [-2, 'ReadOnly', true], [-1, 'Admin', true]]);
    expect(out.privilegeCount).toBeGreaterThan(270);
    expect(out.powerOnGroup).toBe('VirtualMachine.Interact');
    expect(out.roleId).toBe(1);
    expect(out.created).toEqual(['System.Anonymous', 'System.Read', 'System.View', 'VirtualMachine.Interact.PowerOff', 'VirtualMachine.Interact.PowerOn']);
    expect(out).toMatchObject({ duplicate: 'AlreadyExists', badPrivilege: 'InvalidArgument', inUse: 'RemoveFailed', badRole: 'NotFound', removeAgain: 'NotFound' });
    expect(out.updated).toEqual(['System.Anonymous', 'System.Read', 'System.View', 'VirtualMachine.Interact.PowerOn']);
    expect(out.folderPermissions).toEqual([['ops', 1, true, 'folder-3']]);
    expect(out.own).toEqual([]);
    expect(out.inherited).toEqual([['ops', 'folder-3'], ['root', 'group-d1'], ['root', 'group-d1'], ['admin', 'group-d1']]);
    expect(out.rolePermissions).toEqual(['ops']);
    expect(out.allPrincipals).toEqual(['admin', 'ops', 'root']);
    expect(out.granted).toEqual([['VirtualMachine.Interact.PowerOn', true], ['VirtualMachine.Interact.PowerOff', false]]);
    expect(out.mine).toEqual([true, true]);
    expect(out.fetched).toEqual(['System.Anonymous', 'System.Read', 'System.View', 'VirtualMachine.Interact.PowerOn']);
    expect(out.effective).toEqual([-1]);
    expect(out.afterRemove).toEqual([]);
    expect(out.rolesAfter).toEqual(['NoCryptoAdmin', 'NoAccess', 'Anonymous', 'View', 'ReadOnly', 'Admin']);
  }, 180_000);
});

describe.skipIf(!available)('pyvmomi: custom attributes as vmware_custom_attribute(_manager) and govc fields.* manage them', () => {
  it('adds, lists, sets, renames and removes field definitions; entities list the ones of their type', async () => {
    const out = await run('fields.py');
    expect(out.listed).toEqual([[101, 'owner', 'str', 'VirtualMachine'], [102, 'cost-center', 'str', null]]);
    expect(out).toMatchObject({ duplicate: 'DuplicateName', wrongEntity: 'InvalidArgument', removeAgain: 'NotFound' });
    expect(out.vmFields).toEqual(['owner', 'cost-center']);
    expect(out.hostFields).toEqual(['cost-center']);
    expect(out.values).toEqual({ owner: 'alice', 'cost-center': null, team: 'blue' });
    expect(out.renamed).toEqual(['owned-by', 'cost-center', 'team']);
    expect(out.after).toEqual(['owned-by', 'team']);
    expect(out.vmValues).toEqual([[101, 'alice'], [103, 'blue']]);
  }, 180_000);
});

describe.skipIf(!available)('pyvmomi: licenses as vcenter_license and govc license.* manage them', () => {
  it('lists the evaluation license, adds, labels, decodes, assigns and removes a license; faults for bad keys and entities', async () => {
    const out = await run('licenses.py');
    const evalKey = '00000-00000-00000-00000-00000';
    const key = 'ABCDE-12345-FGHIJ-67890-KLMNO';
    expect(out.before).toEqual([[evalKey, 'eval', 'Evaluation Mode']]);
    expect(out.features).toEqual(['serialuri:2', 'dvs']);
    expect(out.evaluation).toEqual({ expirationHours: 1440 });
    expect(out).toMatchObject({ added: [key, 'eval'], decoded: key, bad: 'InvalidArgument', usageSource: 'EvaluationLicenseSource', assigned: key, missing: 'LicenseEntityNotFound', reverted: evalKey });
    expect(out.labels).toEqual([['VpxClientLicenseLabel', 'vcenter-sim'], ['env', 'test']]);
    expect(out.relabeled).toEqual([['VpxClientLicenseLabel', 'renamed'], ['env', 'test']]);
    expect(out.unlabeled).toEqual([['VpxClientLicenseLabel', 'renamed']]);
    expect(out.listed).toEqual([[true, evalKey], [true, key], [true, evalKey], [true, evalKey], [true, evalKey]]);
    expect(out.mine).toEqual([['DC0_H0', key]]);
    expect(out.after).toEqual([evalKey]);
  }, 180_000);
});

describe.skipIf(!available)('pyvmomi: vCenter settings as govc option.ls/option.set and vmware_vcenter_settings use them', () => {
  it('lists vCenter\'s keys, queries by key and prefix, updates typed values and adds config. keys; InvalidName for unknown ones', async () => {
    const out = await run('options.py');
    expect(out.hasKeys).toEqual(['VirtualCenter.FQDN', 'VirtualCenter.InstanceName', 'config.vpxd.sso.enabled', 'event.maxAge', 'task.maxAge']);
    expect(out.events).toEqual({ 'event.batchsize': 2000, 'event.maxAge': 30, 'event.maxAgeEnabled': true });
    expect(out.fqdn).toBe('127.0.0.1');
    expect(out.changed).toBe(3);
    expect(out.after).toEqual({ 'event.maxAge': 60, 'task.maxAgeEnabled': false, 'mail.smtp.server': 'smtp.example.com', 'config.vpxd.sim.note': 'hello' });
    expect(out.types).toEqual(['int', 'bool']);
    expect(out).toMatchObject({ unknown: 'InvalidName', badNew: 'InvalidName' });
  }, 180_000);
});

describe.skipIf(!available)('pyvmomi: extensions as govc extension.* manage them', () => {
  it('registers, lists, updates, sets a certificate on and unregisters an extension; InvalidArgument and NotFound where vCenter gives them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ext-'));
    try {
      const pem = join(dir, 'solution.pem');
      writeFileSync(pem, selfSigned('acme-solution').cert);
      const out = await run('extensions.py', ['--pem', pem]);
      expect(out.listed).toEqual([['com.acme.plugin', '1.0', 'ACME', 'https://acme.example.com/plugin.zip']]);
      expect(out).toMatchObject({ duplicate: 'InvalidArgument', version: '1.1', heartbeat: true, missing: true, after: 0, unregisterAgain: 'NotFound' });
      expect(out.subject).toContain('CN=acme-solution');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe.skipIf(!available)('pyvmomi: guest customization specs as govc customization.* and vmware_guest_customization_info use them', () => {
  it('lists vcsim\'s specs, creates, reads, overwrites, duplicates, renames and deletes one; AlreadyExists, ConcurrentAccess, NotFound', async () => {
    const out = await run('customization.py');
    expect(out.listed).toEqual([['vcsim-linux', 'Linux'], ['vcsim-linux-static', 'Linux'], ['vcsim-windows-static', 'Windows'], ['vcsim-windows-domain', 'Windows']]);
    expect(out.staticHost).toEqual(['CustomizationPrefixName', 'vcsim']);
    expect(out).toMatchObject({ duplicate: 'AlreadyExists', ip: '10.0.0.5', stale: 'ConcurrentAccess', exists: [false, true], missing: 'NotFound' });
    expect(out.names).toEqual(['vcsim-linux', 'vcsim-linux-static', 'vcsim-windows-static', 'vcsim-windows-domain', 'app']);
  }, 180_000);
});
