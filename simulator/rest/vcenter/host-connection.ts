/**
 * `vcenter/host/{host}` connect and disconnect, through HostSystem.ReconnectHost_Task and
 * DisconnectHost_Task: runtime.connectionState, the host's VMs and the HostConnectedEvent or
 * HostDisconnectedEvent are what a SOAP client's reconnect or disconnect gives.
 */
import { HostSystem } from '../../../models/host/host-system.js';
import { message, VapiError } from '../errors.js';
import { defineRoute, type RestContext, type RestRoute } from '../route.js';
import { lookup } from './filters.js';
import { answerTask, callContext, taskQuery } from './task-calls.js';

type Action = 'connect' | 'disconnect';

async function setConnection(ctx: RestContext<{ 'vmw-task'?: boolean }>, action: Action) {
  const host = lookup(ctx.vc, ctx.params.host!, HostSystem, 'host', 'Host');
  const wanted = action === 'connect' ? 'connected' : 'disconnected';
  if (host.runtime.connectionState === wanted) {
    throw new VapiError('already_in_desired_state', [
      message(`com.vmware.api.vcenter.host.already_${wanted}`, `Host ${host.self.value} is already ${wanted}.`, [host.self.value]),
    ]);
  }
  const call = callContext(ctx);
  const ref = action === 'connect' ? host.ReconnectHost_Task(call, {}) : host.DisconnectHost_Task(call);
  return answerTask(ctx, ref, { async: ctx.query['vmw-task'] });
}

/** `/api`: `POST /vcenter/host/{host}?action=connect`; `/rest`: `POST /vcenter/host/{host}/connect`. */
function routes(action: Action): RestRoute[] {
  const handle = (ctx: RestContext<{ 'vmw-task'?: boolean }>) => setConnection(ctx, action);
  return [
    defineRoute({ method: 'POST', path: { api: '/vcenter/host/:host' }, action, query: taskQuery, handle }),
    defineRoute({ method: 'POST', path: { rest: `/vcenter/host/:host/${action}` }, query: taskQuery, handle }),
  ];
}

export const hostConnectionRoutes: RestRoute[] = [...routes('connect'), ...routes('disconnect')];
