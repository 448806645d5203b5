/**
 * Reads scenario files (YAML or JSON; YAML reads both) and validates them, turning each zod issue
 * into `file:line:column: path: message` by looking the issue's path up in the YAML node tree.
 */
import { readFileSync } from 'node:fs';
import { isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { scenarioSchema, type Scenario } from './schema.js';

/** A scenario file that cannot be read or does not validate; `message` lists every problem. */
export class ScenarioFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.join('\n'));
    this.name = 'ScenarioFileError';
  }
}

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
}

export function loadScenarioFile(file: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioFileError(file, [`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
  }
  return { file, scenario: parseScenarioText(text, file) };
}

/** Parses and validates scenario text; `file` is only used to name it in errors. */
export function parseScenarioText(text: string, file: string): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    throw new ScenarioFileError(file, doc.errors.map((e) => {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      return `${file}:${line}:${col}: ${e.message.split('\n')[0]}`;
    }));
  }
  const result = scenarioSchema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;
  throw new ScenarioFileError(file, result.error.issues.map((issue) => describeIssue(file, doc, lineCounter, issue)));
}

function describeIssue(file: string, doc: Document, lines: LineCounter, issue: z.core.$ZodIssue): string {
  // An unknown key is best shown at the key itself.
  const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0]! : undefined;
  const path = unknown === undefined ? issue.path : [...issue.path, unknown];
  const { line, col } = lines.linePos((unknown !== undefined ? keyOffset(doc, issue.path, unknown) : undefined) ?? offsetOf(doc, path));
  const message = issue.code === 'unrecognized_keys' ? `unknown field '${issue.keys.join("', '")}'` : issue.message.replace(/^Invalid input: /, '');
  return `${file}:${line}:${col}: ${formatPath(path) || '(document)'}: ${message}`;
}

/** Where the key `key` of the mapping at `path` starts. */
function keyOffset(doc: Document, path: readonly PropertyKey[], key: string): number | undefined {
  const map = doc.getIn(path as unknown[], true) as { items?: { key: unknown }[] } | undefined;
  const pair = map?.items?.find((item) => isScalar(item.key) && item.key.value === key);
  return pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
}

/** Where the node at `path` starts; its nearest existing ancestor when the node is missing. */
function offsetOf(doc: Document, path: readonly PropertyKey[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return node.range[0];
    // A key whose value is null has no value node: point at the key of the pair.
    const parent = doc.getIn(path.slice(0, n - 1) as unknown[], true) as { items?: { key: unknown }[] } | undefined;
    const pair = parent?.items?.find((item) => isNode(item.key) && (item.key as { value?: unknown }).value === path[n - 1]);
    if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
  }
  return 0;
}

/** `steps[2].wait.timeout` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}
