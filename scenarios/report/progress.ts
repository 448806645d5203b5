/**
 * Progress as the runner goes: on a terminal, coloured marks and timings per step; piped, plain
 * lines a log keeps (`PASS scenario > step (12 ms)`). Lines carry the scenario's name, since
 * scenarios run in parallel.
 */
import type { ScenarioEvents, ScenarioResult } from '../runner.js';
import type { StepRecord } from '../timeline.js';

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

const colours = { green: '\x1b[32m', red: '\x1b[31m', yellow: '\x1b[33m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

export function progressPrinter(out: Output, tty = Boolean(out.isTTY)): Required<ScenarioEvents> {
  const paint = (colour: keyof typeof colours, text: string) => (tty ? `${colours[colour]}${text}${colours.reset}` : text);
  const mark = (status: string) => (tty ? { passed: paint('green', '✓'), failed: paint('red', '✗'), skipped: paint('yellow', '-') }[status] : status.toUpperCase().slice(0, 4));
  return {
    onStart: (name) => out.write(tty ? `${paint('bold', '▶')} ${name}\n` : `START ${name}\n`),
    onStep: (scenario, record: StepRecord, depth) => {
      const indent = '  '.repeat(depth + 1);
      const timing = paint('dim', `(${record.durationMs} ms)`);
      out.write(tty ? `${indent}${mark(record.status)} ${scenario} › ${record.name} ${timing}\n` : `${mark(record.status)} ${scenario} > ${record.name} (${record.durationMs} ms)\n`);
      if (record.failure && !record.children?.length) out.write(`${indent}  ${paint('red', record.failure.message)}\n`);
    },
    onWarning: (_scenario, message) => out.write(`${paint('yellow', 'WARNING')} ${message}\n`),
    onEnd: (result: ScenarioResult) => {
      const where = result.failure ? ` — ${result.failure.phase}${result.failure.step ? ` '${result.failure.step}'` : ''}: ${result.failure.message}` : '';
      out.write(`${tty ? mark(result.status) : result.status.toUpperCase()} ${result.name} ${paint('dim', `(${result.durationMs} ms)`)}${where}\n`);
    },
  };
}
