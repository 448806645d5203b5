/**
 * Supervisor services (`vcenter/namespace-management/supervisor-services`, vSphere 7.0 U3): the
 * services vCenter can install on Supervisors, each with its versions, ACTIVATED or DEACTIVATED.
 * Defined by a custom spec (id, label, a first version); plain data, kept by world snapshots.
 */
import { refuse } from './service-error.js';

export interface ServiceVersion {
  version: string;
  display_name: string;
  description: string;
}

export interface SupervisorService {
  supervisor_service: string;
  display_name: string;
  description: string;
  state: 'ACTIVATED' | 'DEACTIVATED';
  versions: ServiceVersion[];
}

export interface CustomServiceSpec {
  supervisor_service: string;
  label: string;
  description?: string;
  version_spec: { version: string; display_name: string; description?: string };
}

/** A service id as vCenter checks it: lowercase letters, digits, dots and dashes, e.g. `velero.vsphere.vmware.com`. */
const SERVICE_ID = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/;

export class SupervisorServiceStore {
  private services = new Map<string, SupervisorService>();

  list(): { supervisor_service: string; display_name: string; state: string }[] {
    return [...this.services.values()].map(({ supervisor_service, display_name, state }) => ({ supervisor_service, display_name, state }));
  }

  get(id: string): SupervisorService {
    return this.services.get(id) ?? refuse('not_found', 'com.vmware.wcp.supervisor_service.not_found', `Supervisor service '${id}' does not exist.`, [id]);
  }

  /** A new service is ACTIVATED, as vCenter registers it. */
  create(spec: CustomServiceSpec): void {
    if (!SERVICE_ID.test(spec.supervisor_service)) {
      refuse('invalid_argument', 'com.vmware.wcp.supervisor_service.invalid_id', `'${spec.supervisor_service}' is no valid Supervisor service identifier.`, [spec.supervisor_service]);
    }
    if (this.services.has(spec.supervisor_service)) refuse('already_exists', 'com.vmware.wcp.supervisor_service.exists', `Supervisor service '${spec.supervisor_service}' already exists.`, [spec.supervisor_service]);
    const { version, display_name, description = '' } = spec.version_spec;
    this.services.set(spec.supervisor_service, {
      supervisor_service: spec.supervisor_service,
      display_name: spec.label,
      description: spec.description ?? '',
      state: 'ACTIVATED',
      versions: [{ version, display_name, description }],
    });
  }

  update(id: string, update: { display_name?: string; description?: string }): void {
    const service = this.get(id);
    if (update.display_name !== undefined) service.display_name = update.display_name;
    if (update.description !== undefined) service.description = update.description;
  }

  setState(id: string, state: SupervisorService['state']): void {
    this.get(id).state = state;
  }

  /** Only a deactivated service goes. */
  delete(id: string): void {
    const service = this.get(id);
    if (service.state !== 'DEACTIVATED') refuse('not_allowed_in_current_state', 'com.vmware.wcp.supervisor_service.activated', `Supervisor service '${id}' is activated: deactivate it first.`, [id]);
    this.services.delete(id);
  }
}
