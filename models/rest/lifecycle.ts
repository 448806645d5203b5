/**
 * vSphere Lifecycle Manager for clusters (`esx/settings/clusters/{cluster}/software`): each
 * cluster's committed software spec (a base image and components), drafts that edit it and are
 * committed, and what each host runs, which scans compare and apply brings up to the spec.
 * Scans, applies and commits run as tasks (the REST layer starts them). Plain data, kept by world
 * snapshots and state files.
 */
import { MoRef } from '../core/moref.js';
import type { Registry } from '../core/registry.js';
import { requireObject } from './inventory-lookup.js';
import { baseImage, componentVersion, DEFAULT_BASE_IMAGE } from './lifecycle-depot.js';
import { refuse } from './service-error.js';

export interface SoftwareSpec {
  base_image: string;
  /** component name → version */
  components: Record<string, string>;
}

export interface Draft {
  draft: string;
  cluster: string;
  owner: string;
  creation_time: string;
  software: SoftwareSpec;
}

export interface Compliance {
  status: 'COMPLIANT' | 'NON_COMPLIANT';
  scan_time: string;
  commit: string;
  compliant_hosts: string[];
  non_compliant_hosts: string[];
}

interface ClusterSoftware {
  spec: SoftwareSpec;
  commit: number;
  compliance?: Compliance;
}

const sameSpec = (a: SoftwareSpec, b: SoftwareSpec | undefined) => JSON.stringify(a) === JSON.stringify(b);

export class LifecycleStore {
  private clusters = new Map<string, ClusterSoftware>();
  /** host id → the software it runs, once an apply set it (before: the cluster's first spec). */
  private hosts = new Map<string, SoftwareSpec>();
  private drafts = new Map<string, Draft>();
  private draftCounter = 0;

  constructor(
    private readonly registry: Registry,
    private readonly now: () => Date,
  ) {}

  /** A cluster's committed software; every cluster starts on the default image and no components. */
  software(cluster: string): SoftwareSpec & { commit: string } {
    const sw = this.cluster(cluster);
    return { ...copy(sw.spec), commit: String(sw.commit) };
  }

  createDraft(cluster: string, owner: string): string {
    const sw = this.cluster(cluster);
    const draft = String(++this.draftCounter);
    this.drafts.set(draft, { draft, cluster, owner, creation_time: this.now().toISOString(), software: copy(sw.spec) });
    return draft;
  }

  listDrafts(cluster: string): Draft[] {
    this.cluster(cluster);
    return [...this.drafts.values()].filter((d) => d.cluster === cluster);
  }

  draft(cluster: string, draft: string): Draft {
    this.cluster(cluster);
    const found = this.drafts.get(draft);
    if (!found || found.cluster !== cluster) refuse('not_found', 'com.vmware.esx.settings.draft.not_found', `Draft '${draft}' of cluster '${cluster}' does not exist.`, [draft, cluster]);
    return found;
  }

  deleteDraft(cluster: string, draft: string): void {
    this.draft(cluster, draft);
    this.drafts.delete(draft);
  }

  setBaseImage(cluster: string, draft: string, version: string): void {
    const found = this.draft(cluster, draft);
    if (!baseImage(version)) refuse('invalid_argument', 'com.vmware.esx.settings.base_image.not_in_depot', `Base image '${version}' is not in the depot.`, [version]);
    found.software = { ...found.software, base_image: version };
  }

  /** Sets and removes components; every version set must be in the depot, checked before any change. */
  updateComponents(cluster: string, draft: string, set: Record<string, string | null>, remove: string[]): void {
    const found = this.draft(cluster, draft);
    for (const [name, version] of Object.entries(set)) {
      if (version !== null && !componentVersion(name, version)) {
        refuse('invalid_argument', 'com.vmware.esx.settings.component.not_in_depot', `Component '${name}' version '${version}' is not in the depot.`, [name, version]);
      }
    }
    const components = { ...found.software.components };
    for (const [name, version] of Object.entries(set)) {
      if (version === null) delete components[name];
      else components[name] = version;
    }
    for (const name of remove) delete components[name];
    found.software = { ...found.software, components };
  }

  /** The draft becomes the cluster's spec, with a new commit id; the draft is gone. */
  commit(cluster: string, draft: string): string {
    const found = this.draft(cluster, draft);
    const sw = this.cluster(cluster);
    sw.spec = copy(found.software);
    sw.commit += 1;
    this.drafts.delete(draft);
    return String(sw.commit);
  }

  /** Compares each host of the cluster with the committed spec; the result is kept as the cluster's compliance. */
  scan(cluster: string): Compliance {
    const sw = this.cluster(cluster);
    const hosts = this.hostsOf(cluster);
    const compliant = hosts.filter((host) => sameSpec(sw.spec, this.hosts.get(host) ?? initialSoftware()));
    sw.compliance = {
      status: compliant.length === hosts.length ? 'COMPLIANT' : 'NON_COMPLIANT',
      scan_time: this.now().toISOString(),
      commit: String(sw.commit),
      compliant_hosts: compliant,
      non_compliant_hosts: hosts.filter((host) => !compliant.includes(host)),
    };
    return sw.compliance;
  }

  /** The last scan's result; a cluster never scanned has none. */
  compliance(cluster: string): Compliance {
    return this.cluster(cluster).compliance ?? refuse('not_found', 'com.vmware.esx.settings.compliance.not_scanned', `Cluster '${cluster}' has not been scanned.`, [cluster]);
  }

  /** Refuses an apply to hosts outside the cluster or of a commit that is not the latest, before its task starts. */
  checkApply(cluster: string, hosts?: string[], commit?: string): void {
    const sw = this.cluster(cluster);
    const members = this.hostsOf(cluster);
    const unknown = (hosts ?? []).find((host) => !members.includes(host));
    if (unknown) refuse('invalid_argument', 'com.vmware.esx.settings.apply.host_not_in_cluster', `Host '${unknown}' is not in cluster '${cluster}'.`, [unknown]);
    if (commit !== undefined && commit !== String(sw.commit)) {
      refuse('invalid_argument', 'com.vmware.esx.settings.apply.stale_commit', `Commit '${commit}' is not the cluster's latest (${sw.commit}).`, [commit]);
    }
  }

  /** Every host (or those named) runs the committed spec now; a scan follows, as vCenter's apply does. */
  apply(cluster: string, hosts?: string[]): Compliance {
    this.checkApply(cluster, hosts);
    const spec = this.cluster(cluster).spec;
    for (const host of hosts ?? this.hostsOf(cluster)) this.hosts.set(host, copy(spec));
    return this.scan(cluster);
  }

  forgetObject(type: string, id: string): void {
    if (type === 'HostSystem') this.hosts.delete(id);
    if (type !== 'ClusterComputeResource') return;
    this.clusters.delete(id);
    for (const draft of [...this.drafts.values()]) if (draft.cluster === id) this.drafts.delete(draft.draft);
  }

  private cluster(cluster: string): ClusterSoftware {
    requireObject(this.registry, 'ClusterComputeResource', cluster, 'Cluster');
    let sw = this.clusters.get(cluster);
    if (!sw) this.clusters.set(cluster, (sw = { spec: { base_image: DEFAULT_BASE_IMAGE, components: {} }, commit: 1 }));
    return sw;
  }

  private hostsOf(cluster: string): string[] {
    const found = this.registry.get(new MoRef('ClusterComputeResource', cluster)) as { host?: MoRef[] } | undefined;
    return (found?.host ?? []).map((host) => host.value);
  }
}

/** What hosts run before any apply: the image every cluster starts on. */
function initialSoftware(): SoftwareSpec {
  return { base_image: DEFAULT_BASE_IMAGE, components: {} };
}

function copy(spec: SoftwareSpec): SoftwareSpec {
  return { base_image: spec.base_image, components: { ...spec.components } };
}
