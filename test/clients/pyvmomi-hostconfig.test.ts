/**
 * pyvmomi (Debian python3-pyvmomi 6.7.1) configuring the hosts of a cluster as Ansible's
 * community.vmware modules do (vmware_host_service_manager/_info, vmware_host_ntp,
 * vmware_host_firewall_manager/_info, vmware_host_config_manager/_info): test/clients/pyvmomi/hostconfig.py.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { clientAvailable, clientsDir, jsonResult, pythonEnv, pyvmomiStatus, runProcess, systemPython } from './support.js';

const available = clientAvailable(pyvmomiStatus());

describe.skipIf(!available)('pyvmomi: host configuration as Ansible\'s modules do it', () => {
  let sim: Simulator;
  let out: Record<string, any>;

  beforeAll(async () => {
    sim = await createSimulator({ topology: topologyFromFlags({ cluster: 2 }) });
    const script = join(clientsDir, 'pyvmomi', 'hostconfig.py');
    out = jsonResult(await runProcess(systemPython, [script, '--url', sim.url, '--user', sim.username, '--password', sim.password], { env: pythonEnv(), timeoutMs: 120_000 }));
  }, 180_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('vmware_host_service_manager starts ntpd with policy on, on every host of the cluster and only there', () => {
    expect(out.hosts).toEqual(['DC0_C0_H0', 'DC0_C0_H1', 'DC0_C0_H2']);
    expect(out.ntpdBefore).toEqual({ key: 'ntpd', label: 'NTP Daemon', policy: 'off', required: false, running: false, source_package_name: 'esx-base', uninstallable: false });
    expect(out.ntpdAfter).toMatchObject({ key: 'ntpd', policy: 'on', running: true });
    expect(out.services).toEqual(['changed', 'changed', 'changed']);
    expect(out.otherClusterUntouched).toEqual([false]);
    expect(out.missingService).toBe('Failed to find service nope');
  });

  it('vmware_host_ntp adds NTP servers; the host\'s config.dateTimeInfo shows them', () => {
    for (const host of out.ntp) expect(host).toEqual({ time_zone: 'UTC', ntp_servers: ['0.pool.ntp.org', '1.pool.ntp.org'], host_time: true, zones: ['UTC'] });
  });

  it('vmware_host_firewall_manager enables a ruleset and restricts allowed hosts; _info reads them back', () => {
    expect(out.firewall).toEqual(['changed', 'changed', 'changed']);
    expect(out.ntpClient).toEqual({ enabled: true, service: 'ntpd', rule: [{ port: 123, direction: 'outbound', protocol: 'udp' }], allowed_hosts: { all_ip: true, ip_address: [], ip_network: [] } });
    expect(out.sshServer.allowed_hosts).toEqual({ all_ip: false, ip_address: ['192.168.1.10'], ip_network: ['10.10.0.0/16'] });
    expect(out.missingRule).toBe("rule named nope wasn't found");
  });

  it('vmware_host_config_manager sets typed advanced options (long, int, bool, string); a second run changes nothing', () => {
    expect(out.options).toEqual(['changed', 'changed', 'changed']);
    expect(out.optionsAgain).toBe('unchanged');
    expect(out.settings).toEqual({
      'UserVars.SuppressShellWarning': 1, 'Syslog.global.logHost': 'udp://10.0.0.1:514', 'Config.HostAgent.vmacore.soap.sessionTimeout': 45, 'Config.HostAgent.plugins.solo.enableMob': false,
    });
    expect(out.settingTypes).toEqual({ 'UserVars.SuppressShellWarning': 'long', 'Config.HostAgent.vmacore.soap.sessionTimeout': 'int', 'Config.HostAgent.plugins.solo.enableMob': 'bool' });
    expect(out.unsupportedOption).toBe('Unsupported option No.Such.Option');
  });

  it('answers bad input with the faults ESXi gives', () => {
    expect(out.faults).toEqual({ StartService: 'NotFound', EnableRuleset: 'NotFound', QueryOptions: 'InvalidName', UpdateOptions: 'InvalidArgument', UpdateServicePolicy: 'InvalidArgument' });
  });
});

describe.skipIf(!available)('pyvmomi: an ESX host\'s local accounts as vmware_local_user_manager and _info manage them', () => {
  it('finds, creates, updates, groups, lists and removes a user; AlreadyExists and UserNotFound where ESXi gives them', async () => {
    const sim = await createSimulator({ topology: topologyFromFlags({ esx: true }) });
    try {
      const script = join(clientsDir, 'pyvmomi', 'localusers.py');
      const out = jsonResult(await runProcess(systemPython, [script, '--url', sim.url, '--user', sim.username, '--password', sim.password], { env: pythonEnv(), timeoutMs: 120_000 }));
      expect(out).toMatchObject({ first: 'created', second: 'updated', found: [['ops', 'Operations team']], members: ['ops'], duplicate: 'AlreadyExists' });
      expect(out.listed).toEqual([
        { user_name: 'admins', description: 'admins', group: true, user_id: null, shell_access: null },
        { user_name: 'dcui', description: 'DCUI User', group: false, user_id: 100, shell_access: false },
        { user_name: 'ops', description: 'Operations team', group: false, user_id: 1000, shell_access: false },
        { user_name: 'root', description: 'Administrator', group: false, user_id: 0, shell_access: true },
        { user_name: 'vpxuser', description: 'VMware VirtualCenter administration account', group: false, user_id: 500, shell_access: false },
      ]);
      expect(out).toMatchObject({ membersAfterUnassign: [], unassignAgain: 'UserNotFound', groupsAfterRemove: [] });
      expect(out).toMatchObject({ afterRemove: [], removeAgain: 'UserNotFound', updateMissing: 'UserNotFound', assignMissingGroup: 'UserNotFound', partial: ['dcui', 'vpxuser'] });
    } finally {
      await sim.close();
    }
  }, 180_000);
});
