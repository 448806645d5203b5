/**
 * A host's configuration managers as govc's host.* commands use them: test/clients/govmomi/hostconfig
 * runs govc's call sequences (host.service, host.date.info/change, host.option.ls/set,
 * host.autostart.*, host.cert.*, firewall rulesets, power policy) through govmomi, and walks every reference
 * of every host's configManager reading all its properties (no dangling reference).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

/** Every manager type an ESXi 7 host lists in configManager. */
const managerTypes = [
  'HostAccessManager', 'HostAuthenticationManager', 'HostAutoStartManager', 'HostCacheConfigurationManager', 'HostCertificateManager',
  'HostCpuSchedulerSystem', 'HostDatastoreSystem', 'HostDateTimeSystem', 'HostDiagnosticSystem', 'HostFirewallSystem', 'HostFirmwareSystem',
  'HostGraphicsManager', 'HostHealthStatusSystem', 'HostImageConfigManager', 'HostKernelModuleSystem', 'HostLocalAccountManager',
  'HostMemorySystem', 'HostNetworkSystem', 'HostPatchManager', 'HostPciPassthruSystem', 'HostPowerSystem', 'HostServiceSystem',
  'HostSnmpSystem', 'HostStorageSystem', 'HostVFlashManager', 'HostVMotionSystem', 'HostVirtualNicManager', 'HostVsanInternalSystem',
  'HostVsanSystem', 'IscsiManager', 'LicenseManager', 'MessageBusProxy', 'OptionManager', 'UserDirectory',
];

describe.skipIf(!available)('govmomi: host configuration managers, as govc uses them', () => {
  let program: string;
  let vpx: Simulator;
  let esx: Simulator;

  const run = async (sim: Simulator, scenario: string, host?: string) =>
    jsonResult(await runProcess(program, ['-url', sim.url, '-user', sim.username, '-password', sim.password, ...(host ? ['-host', host] : []), scenario], { timeoutMs: 120_000 }));

  beforeAll(async () => {
    [program, vpx, esx] = await Promise.all([
      buildGoProgram('hostconfig'),
      createSimulator({ topology: topologyFromFlags({ cluster: 2 }) }),
      createSimulator({ topology: topologyFromFlags({ esx: true }) }),
    ]);
  }, 300_000);
  afterAll(async () => {
    await Promise.all([vpx?.close(), esx?.close()]);
  });

  it('every reference in every host\'s configManager names an object that answers, in vCenter and ESX', async () => {
    const all = await run(vpx, 'walk');
    expect(all.hosts).toBe(7);
    expect(Object.keys(all.managers).sort()).toEqual(managerTypes);
    for (const type of managerTypes) expect(all.managers[type], type).toBe(7); // one of each per host, none shared
    expect(all.properties).toMatchObject({
      HostServiceSystem: ['serviceInfo'], HostDateTimeSystem: ['dateTimeInfo'], HostFirewallSystem: ['firewallInfo'],
      HostAutoStartManager: ['config'], HostPowerSystem: ['capability', 'info'], HostCertificateManager: ['certificateInfo'],
      OptionManager: ['setting', 'supportedOption'],
      // managers without methods yet still report what the host's configuration says
      HostVirtualNicManager: ['info'], HostVMotionSystem: ['ipConfig', 'netConfig'], HostCpuSchedulerSystem: ['hyperthreadInfo'],
      HostSnmpSystem: ['configuration', 'limits'], HostAuthenticationManager: ['info', 'supportedStore'], HostVsanSystem: ['config'],
    });
    const single = await run(esx, 'walk');
    expect(single.hosts).toBe(1);
    expect(Object.keys(single.managers).sort()).toEqual(managerTypes);
  });

  it('host.service: lists ESXi\'s services, starts, enables, restarts, stops, disables; NotFound for an unknown id', async () => {
    const out = await run(vpx, 'service', '/DC0/host/DC0_C0/DC0_C0_H0');
    expect(out.keys).toEqual(expect.arrayContaining(['DCUI', 'TSM', 'TSM-SSH', 'ntpd', 'vpxa', 'vmsyslogd', 'sfcbd-watchdog']));
    expect(out.before).toBe('TSM-SSH running=false policy=off');
    expect(out.started).toBe('TSM-SSH running=true policy=on');
    expect(out.watched).toBe(true); // a WaitForUpdatesEx watcher of serviceInfo saw the start
    expect(out.stopped).toBe('TSM-SSH running=false policy=off');
    expect(out.unknown).toBe('NotFound');
    expect(out.badPolicy).toBe('InvalidArgument');
    // Only that host changed: the others keep the shared defaults.
    const other = await run(vpx, 'service', '/DC0/host/DC0_C0/DC0_C0_H1');
    expect(other.before).toBe('TSM-SSH running=false policy=off');
  });

  it('host.date.info and host.date.change: NTP servers (also in the host\'s config.dateTimeInfo), the host clock', async () => {
    const out = await run(vpx, 'date', '/DC0/host/DC0_C0/DC0_C0_H1');
    expect(out).toMatchObject({ zone: 'UTC', servers: null, skewSeconds: 0 });
    expect(out.serversAfter).toEqual(['0.pool.ntp.org', '1.pool.ntp.org']);
    expect(out.hostConfigServers).toEqual(['0.pool.ntp.org', '1.pool.ntp.org']);
    expect(out.hostTime).toBe('2006-01-02T15:04:05Z');
    expect(out.badServer).toBe('InvalidArgument');
    expect(out.badZone).toBe('InvalidArgument');
    expect(out.serversAfterBad).toEqual(['0.pool.ntp.org', '1.pool.ntp.org']); // nothing half-changed
  });

  it('host.option.ls/set: typed values (bool, int, long, string), InvalidName for an unknown one, InvalidArgument for a bad value, nothing half-set', async () => {
    const out = await run(vpx, 'option', '/DC0/host/DC0_C0/DC0_C0_H2');
    expect(out.types).toEqual({
      'Config.HostAgent.plugins.solo.enableMob': 'bool false',
      'UserVars.SuppressShellWarning': 'int64 0',
      'Config.HostAgent.vmacore.soap.sessionTimeout': 'int32 30',
      'Syslog.global.logHost': 'string ',
    });
    expect(out.after).toEqual({
      'Config.HostAgent.plugins.solo.enableMob': 'bool true',
      'UserVars.SuppressShellWarning': 'int64 1',
      'Config.HostAgent.vmacore.soap.sessionTimeout': 'int32 60',
      'Syslog.global.logHost': 'string udp://10.0.0.1:514',
    });
    expect(out.userVars).toBeGreaterThanOrEqual(6);
    expect(out).toMatchObject({ unknownQuery: 'InvalidName', outOfRange: 'InvalidArgument', wrongType: 'InvalidArgument', newConfig: '', newConfigValue: 'string hello', unchanged: 'int64 1' });
    expect(out).toMatchObject({ mixed: 'InvalidArgument', mixedUnchanged: 'string udp://10.0.0.1:514' });
  });

  it('host.autostart: configure, add in order, AutoStartPowerOff/On, remove; InvalidArgument for a VM that is not there', async () => {
    const out = await run(vpx, 'autostart', '/DC0/host/DC0_H0/DC0_H0');
    expect(out).toMatchObject({ enabled: true, startDelay: 10, vms: 2, off: ['poweredOff', 'poweredOff'], on: ['poweredOn', 'poweredOn'], afterRemove: 1, badVm: 'InvalidArgument' });
    expect(out.order.map((o: string) => o.split(':')[1])).toEqual(['1', '2']); // listed by start order
  });

  it('firewall rulesets: find by rule, enable, disable, allowed hosts, default policy; NotFound for an unknown ruleset', async () => {
    const out = await run(vpx, 'firewall', '/DC0/host/DC0_C0/DC0_C0_H0');
    expect(out.rulesets).toBeGreaterThanOrEqual(20);
    expect(out.sshClient).toContain('sshClient');
    expect(out).toMatchObject({ incomingBlocked: true, incomingBlockedAfter: false, outgoingBlockedAfter: true, unknown: 'NotFound', badIp: 'InvalidArgument' });
    expect(out.after).toEqual({ sshClient: true, webAccess: false, sshServer: 'allIp=false ip=[10.0.0.5] net=192.168.0.0/24' });
  });

  it('power policy: Balanced on a fresh host, High performance after ConfigurePowerPolicy(1), InvalidArgument for an unknown key', async () => {
    expect(await run(vpx, 'power', '/DC0/host/DC0_C0/DC0_C0_H1')).toEqual({ policies: 4, before: 'dynamic', after: 'static', bad: 'InvalidArgument' });
  });

  it('host.cert.info, host.cert.csr (with -ip and without), host.cert.import of the signed request, CA certificates; HostConfigFault for junk', async () => {
    const out = await run(esx, 'cert');
    expect(out.before).toEqual({ subject: 'CN=localhost.localdomain,O=VMware Installer', issuer: 'O=VMware Installer', status: 'good' });
    expect(out.csr).toEqual({
      true: { cn: '127.0.0.1', ip: ['127.0.0.1'], dns: null, signature: '' },
      false: { cn: 'localhost.localdomain', ip: null, dns: ['localhost.localdomain'], signature: '' },
      byDn: { cn: 'esx-7.example.com', o: ['Example'], dns: ['esx-7.example.com'], signature: '' },
      noCN: 'HostConfigFault',
    });
    expect(out.after).toEqual({ subject: 'O=VMware,CN=127.0.0.1', issuer: 'CN=Sim Test CA', status: 'good' });
    expect(out).toMatchObject({ notAfterChanged: true, daysLeft: 89, notify: 'MethodNotFound', cas: 0, casAfter: 1, casSame: true, crls: 0, bad: 'HostConfigFault', badCa: 'HostConfigFault', casKept: 1 });
  });

  it('the ESX model\'s host answers at ESXi\'s fixed ids, and a state file keeps what the managers changed', async () => {
    await run(esx, 'service', '/ha-datacenter/host/localhost.localdomain/localhost.localdomain');
    const service = esx.vc.registry.byId('serviceSystem') as unknown as { serviceInfo: { service: { key: string; policy: string }[] } };
    expect(service.constructor.name).toBe('HostServiceSystem');
    const saved = esx.state.save();
    esx.state.reset();
    expect((esx.vc.registry.byId('serviceSystem') as unknown as typeof service).serviceInfo.service.find((s) => s.key === 'TSM-SSH')!.policy).toBe('off');
    await run(esx, 'option');
    esx.state.load(JSON.parse(JSON.stringify(saved)));
    const reloaded = esx.vc.registry.byId('serviceSystem')!;
    expect(reloaded.constructor.name).toBe('HostServiceSystem');
    const options = esx.vc.registry.byId((esx.vc.registry.byId('ha-host') as unknown as { configManager: { advancedOption: { value: string } } }).configManager.advancedOption.value)!;
    expect(options.constructor.name).toBe('OptionManager');
  });
});

describe.skipIf(!available)('govmomi: what `govc events` lists on a fresh simulator', () => {
  it('the events vcsim\'s model builder leaves: datacenter, switch, portgroups, host joins, VMs created and powered on', async () => {
    const [program, sim] = await Promise.all([buildGoProgram('hostconfig'), createSimulator()]);
    try {
      const out = jsonResult(await runProcess(program, ['-url', sim.url, '-user', sim.username, '-password', sim.password, 'events'], { timeoutMs: 120_000 }));
      expect(out.counts).toMatchObject({
        DatacenterCreatedEvent: 1, DvsCreatedEvent: 1, DVPortgroupCreatedEvent: 2, DvsHostJoinedEvent: 4, DvsReconfiguredEvent: 4,
        VmBeingCreatedEvent: 4, VmInstanceUuidAssignedEvent: 4, VmUuidAssignedEvent: 4, VmCreatedEvent: 4, VmStartingEvent: 4, VmPoweredOnEvent: 4,
      });
      expect(out.messages).toContainEqual(expect.stringMatching(/^Created virtual machine DC0_C0_RP0_VM0 on DC0_C0_H\d in DC0$/));
      expect(out.messages).toContain('DC0_H0_VM1 on DC0_H0 in DC0 is powered on');
    } finally {
      await sim.close();
    }
  }, 300_000);
});
