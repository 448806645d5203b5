/**
 * What inventory to build: the zod schema of a topology (the declarative file format, YAML or
 * JSON) and the translation of vcsim's model flags into one.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const count = (fallback: number) => z.number().int().nonnegative().default(fallback);
const name = () => z.string().min(1);

/** A standalone host: its own ComputeResource and root pool, and its VMs. */
export const hostSchema = z
  .object({
    name: name().optional().describe('Default `<datacenter>_H<i>`'),
    vms: count(2).describe('VMs on the host, named `<host>_VM<i>`'),
  })
  .strict();

export const clusterSchema = z
  .object({
    name: name().optional().describe('Default `<datacenter>_C<i>`'),
    hosts: count(3).describe('Number of hosts, named `<cluster>_H<i>`'),
    hostNames: z.array(name()).optional().describe('Explicit host names; when given, their number wins over `hosts`'),
    vms: count(2).describe("VMs in the cluster's root pool (`<cluster>_RP0_VM<i>`) or, with pools, in each child pool; and in each vApp"),
    pools: count(0).describe('Child pools of the root pool, `<cluster>_RP1`..; with any, the VMs go into each of them instead of the root pool (as vcsim 0.38)'),
    apps: count(0).describe('vApps in the root pool, `<cluster>_APP<i>`, each holding `vms` VMs'),
  })
  .strict();

export const datacenterSchema = z
  .object({
    name: name().optional().describe('Default `DC<i>`'),
    folder: name()
      .optional()
      .describe('Put the datacenter in a root folder of this name, and its hosts, VMs, datastores and switches in sub-folders of the same name (vcsim -folder)'),
    hosts: z.array(hostSchema).default([]).describe('Standalone hosts'),
    clusters: z.array(clusterSchema).default([]),
    datastores: count(1).describe('Local datastores `LocalDS_<i>`, mounted on every host of the datacenter'),
    portgroups: count(1).describe('Distributed portgroups `<datacenter>_DVPG<i>`; any portgroup brings the switch DVS0 and its uplinks portgroup'),
    nsxPortgroups: count(0).describe('NSX-backed distributed portgroups `<datacenter>_NSXPG<i>`'),
    opaqueNetworks: count(0).describe('NSX-backed opaque networks `<datacenter>_NSX<i>` (vcsim -nsx)'),
    pods: count(0).describe('Storage pods (datastore clusters) `<datacenter>_POD<i>`'),
  })
  .strict();

export const overrideSchema = z
  .object({
    path: name().describe("Inventory path as govc prints it ('DC0/vm/DC0_H0_VM0'; a '*' segment matches any child) or a moref id ('vm-57')"),
    set: z.record(z.string(), z.unknown()).describe("Property path to value, e.g. { 'config.hardware.numCPU': 4 }; set as given, derived properties are not recomputed"),
  })
  .strict();

export const userSchema = z
  .object({
    username: name().describe("'alice' (in the SSO domain), 'alice@corp.local' or 'CORP.LOCAL\\alice'"),
    password: z.string(),
    groups: z.array(name()).optional().describe("Groups the user belongs to ('Operators', or with a domain as usernames take one)"),
  })
  .strict();

export const ssoSchema = z
  .object({ domain: name().default('vsphere.local').describe('The SSO domain: its users log in as alice@<domain> and are known as <DOMAIN>\\alice') })
  .strict();

export const roleSchema = z
  .object({
    name: name().describe('A new role, besides the system ones (Admin, ReadOnly, NoAccess, ...)'),
    privileges: z.array(name()).default([]).describe("Privilege ids ('VirtualMachine.Interact.PowerOn'); System.Anonymous, System.View and System.Read come with every role"),
  })
  .strict();

export const permissionSchema = z
  .object({
    entity: name().describe("Inventory path as overrides take it ('DC0/vm', a moref id), or '/' for the root folder"),
    principal: name().describe("A user ('alice', 'alice@vsphere.local') or, with group: true, a group ('Operators')"),
    group: z.boolean().default(false),
    role: name().describe("A system role's name (Admin, ReadOnly, NoAccess, ...) or one of `roles`"),
    propagate: z.boolean().default(true).describe('Whether it applies to what lies below the entity too'),
  })
  .strict();

export const oauthClientSchema = z
  .object({
    id: name().describe('client_id'),
    secret: z.string().min(1).describe('client_secret (HTTP Basic or form fields)'),
    user: name().optional().describe('The user the client acts as with client_credentials; none: the password grant only'),
    scopes: z.array(name()).default(['openid']).describe('Scopes the client may be granted'),
  })
  .strict();

export const oauthSchema = z
  .object({
    tenant: name().default('CUSTOMER').describe('Identity Broker tenant: the endpoints are under /acs/t/<tenant>/'),
    clients: z.array(oauthClientSchema).default([]),
    accessTokenLifetime: z.number().int().positive().default(1800).describe('Seconds'),
    refreshTokenLifetime: z.number().int().positive().default(28800).describe('Seconds'),
  })
  .strict()
  .superRefine((oauth, ctx) => {
    const seen = new Set<string>();
    oauth.clients.forEach((client, i) => {
      if (seen.has(client.id)) ctx.addIssue({ code: 'custom', path: ['clients', i, 'id'], message: `duplicate client id '${client.id}'` });
      seen.add(client.id);
    });
  });

export type OAuthSettings = z.output<typeof oauthSchema>;

/** The normalized topology every builder reads. */
export const topologySchema = z
  .object({
    model: z.enum(['VPX', 'ESX']).default('VPX').describe('VPX: a vCenter; ESX: one standalone host (ha-datacenter, ha-host, ...)'),
    datacenters: z
      .array(datacenterSchema)
      .default([])
      .describe('VPX: the datacenters. ESX: the first entry gives the datastore count and the VM count of its first host; names are fixed'),
    autostart: z.boolean().default(true).describe('Power on the VMs the model creates (vcsim -autostart)'),
    overrides: z.array(overrideSchema).default([]).describe('Applied in order after the inventory is built'),
    users: z.array(userSchema).optional().describe('When given, only these users log in'),
    roles: z.array(roleSchema).optional().describe('Roles to create at start'),
    permissions: z
      .array(permissionSchema)
      .optional()
      .describe('Permissions to set at start; with any, users no longer get Admin on the root folder by default'),
    sso: ssoSchema.optional().describe('The SSO domain of the users (vsphere.local when not given)'),
    oauth: oauthSchema.optional().describe('OAuth 2.0 clients of the token endpoint (vCenter identity federation)'),
  })
  .strict();

export type Topology = z.infer<typeof topologySchema>;
export type DatacenterSpec = Topology['datacenters'][number];
export type ClusterSpec = DatacenterSpec['clusters'][number];
export type HostSpec = DatacenterSpec['hosts'][number];
export type Override = Topology['overrides'][number];

/** vcsim's model flags (`-dc -cluster -host -standalone-host -vm -pool -folder -ds -pg -pg-nsx -nsx -app -pod -esx -autostart`). */
export const flagsSchema = z
  .object({
    dc: count(1),
    cluster: count(1),
    host: count(3).describe('Hosts per cluster'),
    standaloneHost: count(1),
    vm: count(2).describe('VMs per standalone host, cluster root pool and vApp'),
    pool: count(0).describe('Child pools per cluster (every cluster also has its root pool `Resources`)'),
    folder: count(0),
    ds: count(1),
    pg: count(1),
    pgNSX: count(0),
    nsx: count(0),
    app: count(0),
    pod: count(0),
    esx: z.boolean().default(false),
    autostart: z.boolean().default(true),
  })
  .strict();

export type VcsimFlags = z.infer<typeof flagsSchema>;

/** A topology file: a topology, or vcsim flags under `flags` instead of `datacenters`. */
const topologyFileSchema = topologySchema
  .extend({ flags: flagsSchema.partial().optional() })
  .superRefine((file, ctx) => {
    if (file.flags && file.datacenters.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['flags'], message: 'give either flags or datacenters, not both' });
    }
  });

/** The topology vcsim builds for the same flags; absent (or undefined) flags take vcsim's defaults. */
export function topologyFromFlags(input: Partial<VcsimFlags>): Topology {
  const flags = flagsSchema.parse(withoutUndefined(input));
  if (flags.esx) return esxTopology(flags);
  return topologySchema.parse({ model: 'VPX', autostart: flags.autostart, datacenters: vpxDatacenters(flags) });
}

function vpxDatacenters(flags: VcsimFlags): DatacenterSpec[] {
  const datacenters: DatacenterSpec[] = [];
  let folders = 0;
  for (let i = 0; i < flags.dc; i++) {
    // As vcsim: with fewer folders than datacenters, the last datacenters get the folders.
    const inFolder = folders < flags.folder && i >= flags.dc - flags.folder;
    datacenters.push({
      name: `DC${i}`,
      folder: inFolder ? `F${folders++}` : undefined,
      hosts: Array.from({ length: flags.standaloneHost }, () => ({ vms: flags.vm })),
      clusters: Array.from({ length: flags.cluster }, () => ({ hosts: flags.host, vms: flags.vm, pools: flags.pool, apps: flags.app })),
      datastores: flags.ds,
      portgroups: flags.pg,
      nsxPortgroups: flags.pgNSX,
      opaqueNetworks: flags.nsx,
      pods: flags.pod,
    });
  }
  return datacenters;
}

/** vcsim's ESX model keeps only the datastore and VM counts of the flags. */
function esxTopology(flags: VcsimFlags): Topology {
  return topologySchema.parse({
    model: 'ESX',
    autostart: flags.autostart,
    datacenters: [{ name: 'ha-datacenter', hosts: [{ vms: flags.vm }], datastores: flags.ds, portgroups: 0 }],
  });
}

/** Reads and validates a topology file (YAML, or JSON, which YAML reads too). */
export function loadTopologyFile(path: string): Topology {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
  return parseTopology(doc ?? {}, path);
}

/** Validates a topology document; errors name the offending path, e.g. `datacenters[0].clusters[1].hosts: expected number`. */
export function parseTopology(doc: unknown, source = 'topology'): Topology {
  const result = topologyFileSchema.safeParse(doc);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${formatPath(issue.path)}: ${issue.message.replace(/^Invalid input: /, '')}`);
    throw new Error(`${source}: invalid topology\n${lines.join('\n')}`);
  }
  const { flags, ...topology } = result.data;
  // A file without datacenters or flags describes vcsim's default model, with its overrides and users.
  const givesDatacenters = typeof doc === 'object' && doc !== null && 'datacenters' in doc;
  if (!flags && givesDatacenters) return topology;
  const fromFlags = topologyFromFlags({ ...flags, esx: flags?.esx ?? topology.model === 'ESX' });
  const autostart = flags?.autostart ?? topology.autostart;
  return { ...topology, model: fromFlags.model, autostart, datacenters: fromFlags.datacenters };
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join('');
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
