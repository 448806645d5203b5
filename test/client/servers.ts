/**
 * The servers the client's contract suite runs against: our simulator, and govmomi 0.24.2's own
 * simulator (test/clients/govmomi/vcsim), a server we did not write. What a server lacks is named
 * in `gaps`, with the reason; a test of such a feature is skipped for that server only, by name.
 */
import { createSimulator, type Simulator, type SimulatorOptions } from '../../simulator/index.js';
import { buildGoProgram, clientAvailable, govmomiStatus, startProcess } from '../clients/support.js';
import { bearerToken } from '../support/sts.js';

const unsignedToken = '<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"><saml2:Subject><saml2:NameID>token-user@vsphere.local</saml2:NameID></saml2:Subject></saml2:Assertion>';

export type ServerName = 'vcenter-sim' | 'govmomi-vcsim';

export interface Target {
  name: ServerName;
  url: string;
  username: string;
  password: string;
  /** Ours only: the instance, for fault rules and the journal. */
  sim?: Simulator;
  /** A SAML token the server takes for LoginByToken, and the user it logs in as. */
  samlToken(): Promise<{ token: string; userName: string }>;
  close(): Promise<void>;
}

export type Feature = 'loginByToken' | 'folderDestroy' | 'paging' | 'invalidProperty' | 'restApi' | 'restVmHardware' | 'restCisTasks' | 'faultInjection';

/** Features a server does not have, and why. A test of one is skipped on that server only. */
export const gaps: Record<ServerName, Partial<Record<Feature, string>>> = {
  'vcenter-sim': {},
  'govmomi-vcsim': {
    paging: 'vcsim 0.24.2 answers RetrievePropertiesEx in one page (no maxObjects, no ContinueRetrievePropertiesEx token)',
    invalidProperty: 'vcsim 0.24.2 answers an unknown property path with an empty propSet instead of InvalidProperty',
    restApi: 'vcsim 0.24.2 serves only the 6.5 style /rest (com.vmware.cis/content/tagging), not /api',
    restVmHardware: 'vcsim 0.24.2 has no vcenter/vm REST resources',
    restCisTasks: 'vcsim 0.24.2 has no cis/tasks',
    faultInjection: 'vcsim has no fault rules or journal (our control API)',
  },
};

export const lacks = (target: ServerName, feature: Feature): boolean => gaps[target][feature] !== undefined;

/** The servers to run against: ours always, govmomi's when Go and govmomi are installed (CI=true: required). */
export function targetNames(): ServerName[] {
  return clientAvailable(govmomiStatus()) ? ['vcenter-sim', 'govmomi-vcsim'] : ['vcenter-sim'];
}

export async function startTarget(name: ServerName, options: SimulatorOptions = {}): Promise<Target> {
  if (name === 'vcenter-sim') {
    const sim = await createSimulator({ listen: '127.0.0.1:0', ...options });
    const samlToken = async () => ({ token: await bearerToken(sim), userName: sim.username });
    return { name, url: sim.url, username: sim.username, password: sim.password, sim, samlToken, close: () => sim.close() };
  }
  const binary = await buildGoProgram('vcsim');
  const server = startProcess(binary, [], { timeoutMs: 30 * 60_000 });
  const line = await server.waitForLine(/^URL /);
  return {
    name,
    url: line.slice(4).trim(),
    username: 'user',
    password: 'pass',
    // vcsim 0.24.2 has no STS of its own here and takes any assertion with a NameID.
    samlToken: async () => ({ token: unsignedToken, userName: 'token-user@vsphere.local' }),
    // SIGTERM lets vcsim remove its model (datastore directories under the temp dir); SIGKILL if it hangs.
    close: async () => {
      server.kill('SIGTERM');
      const stuck = setTimeout(() => server.kill(), 5000);
      await server.result;
      clearTimeout(stuck);
    },
  };
}
