/** The control API's OpenAPI 3.1 document, generated from the route table's zod schemas. */
import { z } from 'zod';
import type { ControlRoute, NamedSchema } from './route-table.js';

type Json = Record<string, unknown>;

/** The control API's own version: bumped when a route or schema changes incompatibly. */
export const controlApiVersion = '1.0.0';

export function openApiDocument(routes: readonly ControlRoute[]): Json {
  const schemas: Record<string, Json> = {};
  const paths: Record<string, Record<string, Json>> = {};
  const content = (named: NamedSchema, io: 'input' | 'output') => {
    schemas[named.name] ??= jsonSchema(named.schema, io);
    const ref = { $ref: `#/components/schemas/${named.name}` };
    return { 'application/json': { schema: named.array ? { type: 'array', items: ref } : ref } };
  };
  for (const route of routes) {
    const operation: Json = {
      operationId: route.operationId,
      summary: route.summary,
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      responses: responses(route, (named) => (route.stream ? eventStream(content(named, 'output')) : content(named, 'output'))),
    };
    if (route.body) operation.requestBody = { required: !route.bodyOptional, content: content(route.body, 'input') };
    if (route.public) operation.security = [];
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'vcenter-sim control API',
      version: controlApiVersion,
      description:
        'Fault rules, the call journal and world actions (sessions, hosts, datastores) of one simulator instance. Every call needs HTTP Basic with the ' +
        "simulator's credentials or a Bearer control token (when the simulator has one); only this document is public.",
    },
    paths,
    components: {
      schemas,
      securitySchemes: { basic: { type: 'http', scheme: 'basic' }, bearer: { type: 'http', scheme: 'bearer' } },
    },
    security: [{ basic: [] }, { bearer: [] }],
  };
}

/** A streaming route's answer: text/event-stream, each event's data one item of the JSON schema. */
function eventStream(json: Json): Json {
  const schema = (json['application/json'] as Json).schema;
  return { 'text/event-stream': { schema: { type: 'string', description: 'Server-Sent Events; the data of each is JSON of the schema in x-event-data' }, 'x-event-data': schema } };
}

function responses(route: ControlRoute, content: (named: NamedSchema) => Json): Json {
  const out: Json = {};
  for (const [status, response] of Object.entries(route.responses)) {
    if (response.text) out[status] = { description: response.description, content: { [response.text]: { schema: { type: 'string' } } } };
    else out[status] = response.content ? { description: response.description, content: content(response.content) } : { description: response.description };
  }
  if (!route.public) out['401'] = { description: 'No or wrong credentials' };
  return out;
}

function parameters(schema: z.ZodObject | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

/** A zod schema as a JSON Schema (2020-12, as OpenAPI 3.1 uses), without the top-level $schema. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}
