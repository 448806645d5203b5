/**
 * vSphere Lifecycle Manager over `/api/esx/settings` (`/api` only): a cluster's software (GET),
 * scan and apply (tasks; `?vmw-task=true` answers the task id, otherwise the call waits for the
 * result), compliance, drafts (create, list, get, delete, commit as a task) with their base image
 * and components, and the depot's content. State in models/rest/lifecycle.ts.
 */
import { z } from 'zod';
import type { ManagedObject } from '../../../models/core/managed-object.js';
import { BASE_IMAGES, baseImage, COMPONENTS, componentVersion } from '../../../models/rest/lifecycle-depot.js';
import type { SoftwareSpec } from '../../../models/rest/lifecycle.js';
import { stringSet } from '../query.js';
import { defineRoute, VapiMap, type RestContext, type RestRoute } from '../route.js';
import { answerTask, callContext, taskQuery } from '../vcenter/task-calls.js';

const software = { api: '/esx/settings/clusters/:cluster/software' };
const drafts = { api: '/esx/settings/clusters/:cluster/software/drafts' };
const draft = { api: '/esx/settings/clusters/:cluster/software/drafts/:draft' };
const draftBaseImage = { api: '/esx/settings/clusters/:cluster/software/drafts/:draft/software/base-image' };
const draftComponents = { api: '/esx/settings/clusters/:cluster/software/drafts/:draft/software/components' };
const draftComponent = { api: '/esx/settings/clusters/:cluster/software/drafts/:draft/software/components/:component' };

/** A software spec as vCenter describes it: versions with their depot details. */
function softwareInfo(spec: SoftwareSpec) {
  const image = baseImage(spec.base_image);
  const components = new VapiMap<unknown>();
  for (const [name, version] of Object.entries(spec.components)) components.set(name, componentInfo(name, version));
  return {
    base_image: { version: spec.base_image, details: image && { display_name: image.display_name, display_version: image.display_version, release_date: image.release_date } },
    components,
    solutions: new VapiMap<unknown>(),
  };
}

function componentInfo(name: string, version: string) {
  const found = componentVersion(name, version);
  const display = COMPONENTS.find((c) => c.name === name)?.display_name ?? name;
  return { version, details: { display_name: display, display_version: found?.display_version ?? version, vendor: found?.vendor ?? '' } };
}

/**
 * Runs `run` as a task on the cluster; answers its id (`?vmw-task=true`) or waits and answers
 * `result()`. The task's own result is a string or nothing, which SOAP clients reading the Task
 * can decode too.
 */
function clusterTask(ctx: RestContext<z.output<typeof taskQuery>, unknown>, method: string, operation: string, run: () => string | void, result: () => unknown) {
  const entity = ctx.vc.registry.byId(ctx.params.cluster!) as ManagedObject;
  const ref = ctx.vc.tasks.start(callContext(ctx), { method, descriptionId: `ClusterComputeResource.${operation}`, entity, run: () => run() ?? undefined });
  return answerTask(ctx, ref, { async: ctx.query['vmw-task'], result });
}

const draftInfo = (d: { owner: string; creation_time: string }) => ({ owner: d.owner, status: 'VALID', creation_time: d.creation_time });

export const lifecycleRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: software, handle: ({ vc, params }) => softwareInfo(vc.lifecycle.software(params.cluster!)) }),
  defineRoute({
    method: 'POST',
    path: software,
    action: 'scan',
    query: taskQuery,
    handle: (ctx) => {
      ctx.vc.lifecycle.software(ctx.params.cluster!);
      return clusterTask(ctx, 'ScanClusterSoftware', 'scanSoftware', () => void ctx.vc.lifecycle.scan(ctx.params.cluster!), () => ctx.vc.lifecycle.compliance(ctx.params.cluster!));
    },
  }),
  defineRoute({
    method: 'POST',
    path: software,
    action: 'apply',
    query: taskQuery,
    body: z.object({ commit: z.string().optional(), hosts: z.array(z.string().min(1)).optional(), accept_eula: z.boolean().optional() }).optional(),
    handle: (ctx) => {
      ctx.vc.lifecycle.checkApply(ctx.params.cluster!, ctx.body?.hosts, ctx.body?.commit);
      return clusterTask(ctx, 'ApplyClusterSoftware', 'applySoftware', () => void ctx.vc.lifecycle.apply(ctx.params.cluster!, ctx.body?.hosts), () => ctx.vc.lifecycle.compliance(ctx.params.cluster!));
    },
  }),
  defineRoute({ method: 'GET', path: { api: '/esx/settings/clusters/:cluster/software/compliance' }, handle: ({ vc, params }) => vc.lifecycle.compliance(params.cluster!) }),
  // Drafts.
  defineRoute({ method: 'GET', path: drafts, handle: ({ vc, params }) => new VapiMap(vc.lifecycle.listDrafts(params.cluster!).map((d) => [d.draft, draftInfo(d)])) }),
  defineRoute({ method: 'POST', path: drafts, created: true, handle: ({ vc, params, session }) => vc.lifecycle.createDraft(params.cluster!, session?.userName ?? '') }),
  defineRoute({
    method: 'GET',
    path: draft,
    handle: ({ vc, params }) => {
      const found = vc.lifecycle.draft(params.cluster!, params.draft!);
      return { metadata: draftInfo(found), software: softwareInfo(found.software) };
    },
  }),
  defineRoute({ method: 'DELETE', path: draft, handle: ({ vc, params }) => void vc.lifecycle.deleteDraft(params.cluster!, params.draft!) }),
  defineRoute({
    method: 'POST',
    path: draft,
    action: 'commit',
    query: taskQuery,
    body: z.object({ message: z.string().optional() }).optional(),
    handle: (ctx) => {
      ctx.vc.lifecycle.draft(ctx.params.cluster!, ctx.params.draft!);
      let commit = '';
      return clusterTask(ctx, 'CommitSoftwareDraft', 'commitSoftwareDraft', () => (commit = ctx.vc.lifecycle.commit(ctx.params.cluster!, ctx.params.draft!)), () => commit);
    },
  }),
  defineRoute({ method: 'GET', path: draftBaseImage, handle: ({ vc, params }) => softwareInfo(vc.lifecycle.draft(params.cluster!, params.draft!).software).base_image }),
  defineRoute({
    method: 'PUT',
    path: draftBaseImage,
    body: z.object({ version: z.string().min(1) }),
    handle: ({ vc, params, body }) => void vc.lifecycle.setBaseImage(params.cluster!, params.draft!, body.version),
  }),
  defineRoute({ method: 'GET', path: draftComponents, handle: ({ vc, params }) => softwareInfo(vc.lifecycle.draft(params.cluster!, params.draft!).software).components }),
  defineRoute({
    method: 'PATCH',
    path: draftComponents,
    body: z.object({ components_to_set: z.record(z.string(), z.string().nullable()).optional(), components_to_delete: stringSet() }),
    handle: ({ vc, params, body }) => void vc.lifecycle.updateComponents(params.cluster!, params.draft!, body.components_to_set ?? {}, body.components_to_delete ?? []),
  }),
  defineRoute({
    method: 'PUT',
    path: draftComponent,
    body: z.object({ version: z.string().min(1) }),
    handle: ({ vc, params, body }) => void vc.lifecycle.updateComponents(params.cluster!, params.draft!, { [params.component!]: body.version }, []),
  }),
  defineRoute({ method: 'DELETE', path: draftComponent, handle: ({ vc, params }) => void vc.lifecycle.updateComponents(params.cluster!, params.draft!, {}, [params.component!]) }),
  // The depot.
  defineRoute({ method: 'GET', path: { api: '/esx/settings/depot-content/base-images' }, handle: () => BASE_IMAGES.map((image) => ({ ...image })) }),
  defineRoute({ method: 'GET', path: { api: '/esx/settings/depot-content/components' }, handle: () => COMPONENTS.map((c) => ({ ...c, versions: c.versions.map((v) => ({ ...v })) })) }),
];
