/**
 * Supervisor services (`/api` only): `/api/vcenter/namespace-management/supervisor-services`
 * (create from a `custom_spec`, list), `.../{service}` (get, PATCH, delete, `?action=activate`,
 * `?action=deactivate`) and `.../{service}/versions` (list). Services defined by a YAML package
 * (`vsphere_spec`, `carvel_spec`) are refused: the simulator does not read the packages.
 */
import { z } from 'zod';
import { defineRoute, type RestRoute } from '../route.js';
import { VapiError, message } from '../errors.js';

const customSpec = z.object({
  supervisor_service: z.string().min(1),
  label: z.string().min(1),
  description: z.string().optional(),
  version_spec: z.object({ version: z.string().min(1), display_name: z.string().min(1), description: z.string().optional(), content: z.string().optional(), accept_EULA: z.boolean().optional() }),
});

const createSpec = z.object({ custom_spec: customSpec.optional(), vsphere_spec: z.unknown().optional(), carvel_spec: z.unknown().optional() });
const updateSpec = z.object({ custom_spec: z.object({ display_name: z.string().min(1).optional(), description: z.string().optional() }).optional() });

const services = { api: '/vcenter/namespace-management/supervisor-services' };
const service = { api: '/vcenter/namespace-management/supervisor-services/:service' };

export const supervisorServiceRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: services, handle: ({ vc }) => vc.supervisorServices.list() }),
  defineRoute({
    method: 'POST',
    path: services,
    body: createSpec,
    handle: ({ vc, body }) => {
      if (!body.custom_spec) {
        throw new VapiError('unsupported', [message('com.vmware.wcp.supervisor_service.package_unsupported', 'The simulator defines Supervisor services by custom_spec only; it does not read service packages.')]);
      }
      vc.supervisorServices.create(body.custom_spec);
    },
  }),
  defineRoute({
    method: 'GET',
    path: service,
    handle: ({ vc, params }) => {
      const { display_name, description, state } = vc.supervisorServices.get(params.service!);
      return { display_name, description, state, must_be_installed: false, has_default_versions_registered: false };
    },
  }),
  defineRoute({ method: 'PATCH', path: service, body: updateSpec, handle: ({ vc, params, body }) => void vc.supervisorServices.update(params.service!, body.custom_spec ?? {}) }),
  defineRoute({ method: 'DELETE', path: service, handle: ({ vc, params }) => void vc.supervisorServices.delete(params.service!) }),
  defineRoute({ method: 'POST', path: service, action: 'activate', handle: ({ vc, params }) => void vc.supervisorServices.setState(params.service!, 'ACTIVATED') }),
  defineRoute({ method: 'POST', path: service, action: 'deactivate', handle: ({ vc, params }) => void vc.supervisorServices.setState(params.service!, 'DEACTIVATED') }),
  defineRoute({
    method: 'GET',
    path: { api: '/vcenter/namespace-management/supervisor-services/:service/versions' },
    handle: ({ vc, params }) => {
      const found = vc.supervisorServices.get(params.service!);
      return found.versions.map((v) => ({ version: v.version, display_name: v.display_name, state: found.state }));
    },
  }),
];
