/**
 * Consumption-domain zones (`vcenter/consumption-domains/zones`, vSphere 8.0): named zones and the
 * clusters each is associated with (a cluster belongs to one zone at most). Zone ids are the names
 * clients give, checked as vCenter checks them.
 */
import type { Registry } from '../core/registry.js';
import { exists } from './inventory-lookup.js';
import { refuse } from './service-error.js';

export interface Zone {
  zone: string;
  description: string;
  clusters: string[];
}

/** 63 characters at most, lowercase alphanumerics and dashes, alphanumeric at both ends. */
const ZONE_ID = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export class ZoneStore {
  private zones = new Map<string, Zone>();

  constructor(private readonly registry: Registry) {}

  create(zone: string, description = ''): void {
    if (!ZONE_ID.test(zone)) {
      refuse('invalid_argument', 'com.vmware.vcenter.consumptiondomains.zones.invalid_id', `'${zone}' is no valid zone identifier: up to 63 lowercase letters, digits and dashes, beginning and ending with a letter or digit.`, [zone]);
    }
    if (this.zones.has(zone)) refuse('already_exists', 'com.vmware.vcenter.consumptiondomains.zones.exists', `Zone '${zone}' already exists.`, [zone]);
    this.zones.set(zone, { zone, description, clusters: [] });
  }

  list(filter?: string[]): { zone: string; info: { description: string } }[] {
    return [...this.zones.values()].filter((z) => !filter?.length || filter.includes(z.zone)).map((z) => ({ zone: z.zone, info: { description: z.description } }));
  }

  get(zone: string): { description: string } {
    return { description: this.zone(zone).description };
  }

  /** A zone still associated with clusters stays: its clusters are to be removed first. */
  delete(zone: string): void {
    const found = this.zone(zone);
    if (found.clusters.length > 0) {
      refuse('not_allowed_in_current_state', 'com.vmware.vcenter.consumptiondomains.zones.in_use', `Zone '${zone}' is associated with clusters ${found.clusters.join(', ')}.`, [zone]);
    }
    this.zones.delete(zone);
  }

  clusters(zone: string): string[] {
    return [...this.zone(zone).clusters];
  }

  /** Partial success, as vCenter: the clusters that could not join are answered with the reason. */
  addClusters(zone: string, clusters: string[]): { success: boolean; failed_clusters: Record<string, ClusterFailure> } {
    const found = this.zone(zone);
    const failed: Record<string, ClusterFailure> = {};
    for (const cluster of clusters) {
      const other = [...this.zones.values()].find((z) => z !== found && z.clusters.includes(cluster));
      if (!exists(this.registry, 'ClusterComputeResource', cluster)) failed[cluster] = failure('NOT_FOUND', 'cluster_not_found', `Cluster '${cluster}' does not exist.`, cluster);
      else if (other) failed[cluster] = failure('ALREADY_EXISTS', 'cluster_in_other_zone', `Cluster '${cluster}' is associated with zone '${other.zone}'.`, cluster);
      else if (!found.clusters.includes(cluster)) found.clusters = [...found.clusters, cluster];
    }
    return { success: Object.keys(failed).length === 0, failed_clusters: failed };
  }

  removeClusters(zone: string, clusters: string[]): void {
    const found = this.zone(zone);
    found.clusters = found.clusters.filter((cluster) => !clusters.includes(cluster));
  }

  forgetObject(type: string, id: string): void {
    if (type !== 'ClusterComputeResource') return;
    for (const zone of this.zones.values()) zone.clusters = zone.clusters.filter((cluster) => cluster !== id);
  }

  private zone(zone: string): Zone {
    return this.zones.get(zone) ?? refuse('not_found', 'com.vmware.vcenter.consumptiondomains.zones.not_found', `Zone '${zone}' does not exist.`, [zone]);
  }
}

/** Why one cluster could not join: a vAPI error value, as the map of failures carries it. */
export interface ClusterFailure {
  error_type: string;
  messages: { id: string; default_message: string; args: string[] }[];
}

function failure(type: string, kind: string, text: string, cluster: string): ClusterFailure {
  return { error_type: type, messages: [{ id: `com.vmware.vcenter.consumptiondomains.zones.${kind}`, default_message: text, args: [cluster] }] };
}
