/**
 * `cis/tasks`: the task engine SOAP's Task objects come from, seen as vAPI tasks. A task's
 * identifier is its Task moref id (what `?vmw-task=true` answers), so a task started over REST is
 * the SOAP task with the same progress, and every SOAP task can be looked up here too.
 */
import { z } from 'zod';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import { Task } from '../../models/core/task.js';
import type { VCenter } from '../../models/vcenter.js';
import { message, vapiErrors, VapiError } from './errors.js';
import { enumSet, stringSet } from './query.js';
import { defineRoute, VapiMap, type RestContext, type RestRoute } from './route.js';
import { callContext, taskFailure } from './vcenter/task-calls.js';

const STATUSES = ['PENDING', 'RUNNING', 'BLOCKED', 'SUCCEEDED', 'FAILED'] as const;
const statusOf: Record<string, (typeof STATUSES)[number]> = { queued: 'PENDING', running: 'RUNNING', success: 'SUCCEEDED', error: 'FAILED' };

/** The vAPI service and operation of the SOAP methods REST operations run; other tasks keep their SOAP names. */
const operations: Record<string, [service: string, operation: string]> = {
  CreateVM_Task: ['com.vmware.vcenter.VM', 'create'],
  Destroy_Task: ['com.vmware.vcenter.VM', 'delete'],
  PowerOnVM_Task: ['com.vmware.vcenter.vm.power', 'start'],
  PowerOffVM_Task: ['com.vmware.vcenter.vm.power', 'stop'],
  SuspendVM_Task: ['com.vmware.vcenter.vm.power', 'suspend'],
  ResetVM_Task: ['com.vmware.vcenter.vm.power', 'reset'],
  ReconfigVM_Task: ['com.vmware.vcenter.vm.hardware', 'update'],
  UpgradeVM_Task: ['com.vmware.vcenter.vm.hardware', 'upgrade'],
  DisconnectHost_Task: ['com.vmware.vcenter.host', 'disconnect'],
  ReconnectHost_Task: ['com.vmware.vcenter.host', 'connect'],
  EnableSupervisor: ['com.vmware.vcenter.namespace_management.clusters', 'enable'],
  DisableSupervisor: ['com.vmware.vcenter.namespace_management.clusters', 'disable'],
  ScanClusterSoftware: ['com.vmware.esx.settings.clusters.software', 'scan'],
  ApplyClusterSoftware: ['com.vmware.esx.settings.clusters.software', 'apply'],
  CommitSoftwareDraft: ['com.vmware.esx.settings.clusters.software.drafts', 'commit'],
};

function serviceAndOperation(info: DataObject): [string, string] {
  const known = operations[String(info.name)];
  if (known) return known;
  // `VirtualMachine.createSnapshot` → service `com.vmware.vim.VirtualMachine`, operation `createSnapshot`.
  const [type = 'Task', operation = String(info.name ?? 'task')] = String(info.descriptionId ?? '').split('.');
  return [`com.vmware.vim.${type}`, operation];
}

const iso = (date: unknown) => (date instanceof Date ? date.toISOString() : undefined);

/** A vAPI result: morefs as their identifiers. */
function resultOf(result: unknown): unknown {
  if (result && typeof result === 'object' && 'value' in result && 'type' in result) return (result as MoRef).value;
  return result ?? undefined;
}

function taskInfo(task: Task) {
  const info = task.info;
  const [service, operation] = serviceAndOperation(info);
  const status = statusOf[String(info.state)] ?? 'PENDING';
  const entity = info.entity as MoRef | undefined;
  const ended = status === 'SUCCEEDED' || status === 'FAILED';
  const progress = status === 'PENDING' ? undefined : ended ? 100 : Number(info.progress ?? 0);
  return {
    description: message(`com.vmware.vim.${String(info.descriptionId)}`, String(info.descriptionId ?? operation)),
    service,
    operation,
    target: entity ? { type: entity.type, id: entity.value } : undefined,
    status,
    cancelable: Boolean(info.cancelable) && !ended,
    error: status === 'FAILED' ? errorOf(taskFailure(info)) : undefined,
    start_time: iso(info.startTime),
    end_time: iso(info.completeTime),
    user: (info.reason as DataObject | undefined)?.userName as string | undefined,
    progress: progress === undefined ? undefined : { total: 100, completed: progress, message: message('com.vmware.cis.task.progress', `${progress}% done`, [String(progress)]) },
    result: status === 'SUCCEEDED' ? resultOf(info.result) : undefined,
  };
}

/** A vAPI error as a task's `error` field carries it. */
function errorOf(error: VapiError) {
  return { error_type: error.kind.toUpperCase(), messages: error.messages };
}

function findTask(vc: VCenter, id: string): Task {
  const task = vc.registry.byId(id);
  if (!(task instanceof Task)) {
    throw new VapiError('not_found', [message('com.vmware.cis.tasks.not_found', `Task with identifier '${id}' does not exist.`, [id])]);
  }
  return task;
}

const taskFilter = z.object({
  tasks: stringSet(),
  services: stringSet(),
  operations: stringSet(),
  status: enumSet(STATUSES),
  targets: stringSet(),
  users: stringSet(),
});

/** vCenter's limit on one list of tasks. */
const TASK_LIST_LIMIT = 1000;

function listTasks({ vc, query }: RestContext<z.output<typeof taskFilter>>) {
  const has = (values: string[] | undefined, value: string | undefined) => !values?.length || (value !== undefined && values.includes(value));
  const out = new VapiMap<unknown>();
  for (const task of vc.registry.ofType<Task>('Task')) {
    const info = taskInfo(task);
    const matches =
      has(query.tasks, task.self.value) &&
      has(query.services, info.service) &&
      has(query.operations, info.operation) &&
      has(query.status, info.status) &&
      has(query.targets, info.target?.id) &&
      has(query.users, info.user);
    if (!matches) continue;
    if (out.size === TASK_LIST_LIMIT) throw vapiErrors.tooManyMatches('task', 'tasks');
    out.set(task.self.value, info);
  }
  return out;
}

function cancelTask(ctx: RestContext) {
  const task = findTask(ctx.vc, ctx.params.task!);
  // As the API reference has it: a finished or canceled task is not_allowed_in_current_state, one that cannot be canceled unsupported.
  if (task.ended) {
    throw new VapiError('not_allowed_in_current_state', [message('com.vmware.cis.tasks.already_completed', `Task '${task.self.value}' has already completed.`, [task.self.value])]);
  }
  if (!task.info.cancelable) {
    throw new VapiError('unsupported', [message('com.vmware.cis.tasks.not_cancelable', `Task '${task.self.value}' cannot be canceled.`, [task.self.value])]);
  }
  task.CancelTask(callContext(ctx));
  return undefined;
}

const TASKS = { api: '/cis/tasks', rest: '/com/vmware/cis/tasks' };
const TASK = { api: '/cis/tasks/:task', rest: '/com/vmware/cis/tasks/:task' };

export const cisTaskRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: TASKS, query: taskFilter, filterQuery: true, handle: listTasks }),
  defineRoute({ method: 'GET', path: TASK, handle: ({ vc, params }) => taskInfo(findTask(vc, params.task!)) }),
  defineRoute({ method: 'POST', path: TASK, action: 'cancel', handle: cancelTask }),
];
