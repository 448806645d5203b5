/** The control API's state routes: reset, snapshots and the world as JSON. */
import { z } from 'zod';
import { worldFormat } from '../../models/inventory/world-json.js';
import { ControlError, invalidInput, type ControlRoute, type NamedSchema } from './route-table.js';
import type { ControlPlane } from './plane.js';
import { errorSchema } from './schemas.js';
import { resetSchema, restoreSchema, snapshotIdParams, snapshotInfoSchema, snapshotSpecSchema, WorldFormatError } from './state.js';

const error: NamedSchema = { name: 'Error', schema: errorSchema };
const badRequest = { 400: { description: 'Invalid input; `field` names the offending field', content: error } };
const noSnapshot = { 404: { description: 'No snapshot with that id', content: error } };

const worldDocumentSchema = z.looseObject({ format: z.literal(worldFormat) }).describe('As GET /_sim/state answers');

export function stateRoutes(plane: ControlPlane): ControlRoute[] {
  const state = plane.state;
  return [
    {
      method: 'POST',
      path: '/_sim/reset',
      operationId: 'reset',
      summary: 'Back to the start inventory; fault rules and journal cleared unless kept; sessions survive unless ended',
      body: { name: 'Reset', schema: resetSchema },
      bodyOptional: true,
      responses: { 204: { description: 'Reset' }, ...badRequest },
      handle: ({ body }) => {
        state.reset(parse(resetSchema, body ?? {}));
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/_sim/snapshots',
      operationId: 'takeSnapshot',
      summary: 'Take a snapshot of the world (objects, ids, tags, libraries; not sessions)',
      body: { name: 'SnapshotSpec', schema: snapshotSpecSchema },
      responses: { 201: { description: 'The snapshot', content: { name: 'Snapshot', schema: snapshotInfoSchema } }, ...badRequest },
      handle: ({ body }) => ({ status: 201, body: state.snapshot(parse(snapshotSpecSchema, body).name) }),
    },
    {
      method: 'GET',
      path: '/_sim/snapshots',
      operationId: 'listSnapshots',
      summary: 'The snapshots taken, oldest first',
      responses: { 200: { description: 'The snapshots', content: { name: 'Snapshot', schema: snapshotInfoSchema, array: true } } },
      handle: () => ({ status: 200, body: state.snapshots() }),
    },
    {
      method: 'POST',
      path: '/_sim/snapshots/{id}/restore',
      operationId: 'restoreSnapshot',
      summary: 'Make the world what it was when the snapshot was taken; sessions survive unless ended',
      params: snapshotIdParams,
      body: { name: 'Restore', schema: restoreSchema },
      bodyOptional: true,
      responses: { 204: { description: 'Restored' }, ...badRequest, ...noSnapshot },
      handle: ({ params, body }) => {
        if (!state.restore(params.id, parse(restoreSchema, body ?? {}))) raiseNoSnapshot(params.id);
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      path: '/_sim/snapshots/{id}',
      operationId: 'deleteSnapshot',
      summary: 'Forget a snapshot',
      params: snapshotIdParams,
      responses: { 204: { description: 'Forgotten' }, ...noSnapshot },
      handle: ({ params }) => {
        if (!state.remove(params.id)) raiseNoSnapshot(params.id);
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      path: '/_sim/state',
      operationId: 'getState',
      summary: 'The whole world as a JSON document (what --state loads and --save-on-exit writes)',
      responses: { 200: { description: 'A world document, format "vcenter-sim-world/1"' } },
      handle: () => ({ status: 200, body: state.save() }),
    },
    {
      method: 'PUT',
      path: '/_sim/state',
      operationId: 'putState',
      summary: 'Make the world the one a JSON document (from GET /_sim/state) describes; sessions survive',
      body: { name: 'WorldDocument', schema: worldDocumentSchema },
      responses: { 204: { description: 'Loaded' }, ...badRequest },
      handle: ({ body }) => {
        try {
          state.load(body);
        } catch (e) {
          if (!(e instanceof WorldFormatError)) throw e;
          throw new ControlError(400, { error: 'invalid_argument', message: e.message, field: e.field });
        }
        return { status: 204 };
      },
    },
  ];
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(parsed.error, 'body');
  return parsed.data;
}

function raiseNoSnapshot(id: string): never {
  throw new ControlError(404, { error: 'not_found', message: `No snapshot '${id}'` });
}
