import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenarioText, scenario, scenarioJsonSchema, ScenarioFileError } from '../../scenarios/index.js';

const examples = new URL('../../scenarios/examples/', import.meta.url);
const exampleFiles = readdirSync(examples).filter((f) => f.endsWith('.yaml'));

function problems(text: string): string[] {
  try {
    parseScenarioText(text, 'bad.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioFileError);
    return (error as ScenarioFileError).problems;
  }
  throw new Error('the text validated');
}

describe('scenario schema', () => {
  it('scenarios/schema.json is what the zod schema generates (npm run gen-scenario-schema)', () => {
    expect(readFileSync(new URL('../../scenarios/schema.json', import.meta.url), 'utf8')).toBe(scenarioJsonSchema());
  });

  it('loads every bundled example', () => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(6);
    for (const file of exampleFiles) expect(loadScenarioFile(new URL(file, examples).pathname).scenario.steps.length).toBeGreaterThan(0);
  });

  it('reads JSON as well, with defaults applied', () => {
    const s = parseScenarioText('{"name": "j", "steps": [{"name": "s", "action": "clock-advance", "args": {"seconds": 5}}]}', 'j.json');
    expect(s).toMatchObject({ name: 'j', seed: 1, steps: [{ name: 's', action: 'clock-advance', args: { seconds: 5 } }] });
  });

  it('names file, line, column and path of each problem', () => {
    const text = [
      'name: bad', //                                   1
      'seed: 1.5', //                                   2
      'steps:', //                                      3
      '  - name: wait', //                              4
      '    wait:', //                                   5
      '      event: HostConnectionLostEvent', //        6
      '      timeout: 10 parsecs', //                   7
      '  - name: rule', //                              8
      '    fault:', //                                  9
      '      name: r', //                               10
      '      action: { kind: fault }', //               11
      '  - name: check', //                             12
      '    expect:', //                                 13
      '      - objects: { type: VirtualMachine, filter: "numCPU >= " }', // 14
      '    bogus: 1', //                                15
    ].join('\n');
    expect(problems(text)).toEqual([
      'bad.yaml:2:7: seed: expected int, received number',
      'bad.yaml:7:16: steps[0].wait.timeout: a duration: milliseconds, or a number with ms, s or m (10s)',
      'bad.yaml:11:15: steps[1].fault.action.fault: expected string, received undefined',
      'bad.yaml:14:50: steps[2].expect[0].objects.filter: filter syntax: expected a value after >=, found the end of the filter at column 11',
      "bad.yaml:15:5: steps[2].bogus: unknown field 'bogus'",
    ]);
  });

  it('a step has exactly one kind; fault rules need a name; args only for client and action', () => {
    const text = ['name: x', 'steps:', '  - name: none', '  - name: two', '    clear: a', '    action: host-fail', '  - name: anon', '    fault: { action: { kind: reset } }', '  - name: args', '    clear: a', '    args: {}'].join('\n');
    expect(problems(text)).toEqual([
      'bad.yaml:3:5: steps[0]: a step needs one of client, fault, clear, action, wait, exec, parallel, repeat, expect',
      'bad.yaml:6:13: steps[1].action: a step has one kind, not clear and action',
      'bad.yaml:8:12: steps[2].fault.name: a fault rule needs a name (to clear it and to name it in the journal)',
      'bad.yaml:11:11: steps[3].args: args belongs to client or action steps',
    ]);
  });

  it('YAML syntax errors and missing files name the place too', () => {
    expect(problems('name: x\nname: y\nsteps: []\n')).toEqual(['bad.yaml:2:1: Map keys must be unique']);
    expect(() => loadScenarioFile('/nonexistent/s.yaml')).toThrow('/nonexistent/s.yaml: cannot read: ENOENT');
  });

  it('the builder makes the model the YAML gives', () => {
    const built = scenario('ha-host-failure', {
      description: 'A host of an HA cluster fails; its running VMs restart on the other hosts, and the events say so.',
      seed: 7,
      simulator: { flags: { cluster: 1, host: 3, vm: 4, standaloneHost: 0 } },
    })
      .probe({ name: 'every VM runs', objects: { type: 'VirtualMachine', filter: 'powerState == poweredOn' }, count: 4, tolerance: 0 })
      .step('fail DC0_C0_H1', { action: 'host-fail', args: { name: 'DC0_C0_H1' }, save: 'failure' })
      .step('the host stops responding', { wait: { objects: { type: 'HostSystem', filter: 'name == DC0_C0_H1 && connectionState == notResponding', count: 1 }, timeout: '10s' } })
      .expect('no running VM is left on it', [
        { objects: { type: 'VirtualMachine', filter: 'host == ${vars.failure.host} && powerState == poweredOn', count: 0 } },
        { objects: { type: 'VirtualMachine', filter: 'powerState == poweredOn', count: 4 } },
      ])
      .expect('the events tell the story', [
        { events: { types: ['HostConnectionLostEvent', 'DasHostFailedEvent'], ordered: true, count: 2 } },
        { events: { types: ['VmRestartedOnAlternateHostEvent'], count: { min: 1 } } },
        { events: { types: ['DasHostFailedEvent'], entity: 'DC0_C0_H1', count: 1 } },
      ])
      .rollback('reconnect the host', { action: 'host-reconnect', args: { name: 'DC0_C0_H1' } })
      .build();
    expect(built).toEqual(loadScenarioFile(new URL('ha-host-failure.yaml', examples).pathname).scenario);
  });

  it('the builder rejects what the schema rejects', () => {
    expect(() => scenario('x').build()).toThrow(/steps/);
    expect(() => scenario('x').fault('f', 'r', { action: { kind: 'http', status: 99 } }).build()).toThrow(/status/);
  });
});
