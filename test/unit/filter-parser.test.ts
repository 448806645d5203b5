import { describe, expect, it } from 'vitest';
import {
  FILTER_ALIASES,
  FILTER_OBJECT_TYPES,
  FilterSyntaxError,
  MAX_NESTING,
  parseFilter,
  parseFilterAst,
  printFilter,
  resolveAlias,
  type FilterNode,
  type Literal,
} from '../../client/filter/index.js';

const literalOf = (text: string): Literal => {
  const node = parseFilterAst(`p == ${text}`);
  if (node.kind !== 'compare') throw new Error('not a comparison');
  return node.value;
};
const cmp = (path: string, operator: string, value: Literal): FilterNode => ({ kind: 'compare', path, operator, value }) as FilterNode;
const num = (value: number): Literal => ({ kind: 'number', value });
const a = cmp('a', '==', num(1));
const b = cmp('b', '==', num(2));
const c = cmp('c', '==', num(3));

function syntaxError(text: string, type?: string): FilterSyntaxError {
  try {
    parseFilterAst(text, { type });
  } catch (error) {
    expect(error).toBeInstanceOf(FilterSyntaxError);
    return error as FilterSyntaxError;
  }
  throw new Error(`parsed: ${text}`);
}

describe('filter literals', () => {
  it('reads numbers, negative and decimal, with exponents', () => {
    expect(literalOf('4')).toEqual(num(4));
    expect(literalOf('-12')).toEqual(num(-12));
    expect(literalOf('2.5')).toEqual(num(2.5));
    expect(literalOf('-0.25')).toEqual(num(-0.25));
    expect(literalOf('1e3')).toEqual(num(1000));
  });

  it('reads true, false and null as keywords, and quoted ones as strings', () => {
    expect(literalOf('true')).toEqual({ kind: 'boolean', value: true });
    expect(literalOf('false')).toEqual({ kind: 'boolean', value: false });
    expect(literalOf('null')).toEqual({ kind: 'null' });
    expect(literalOf('"true"')).toEqual({ kind: 'string', value: 'true' });
    expect(literalOf("'4'")).toEqual({ kind: 'string', value: '4' });
  });

  it('reads bare words as strings: enum values, morefs, IP addresses, names with dashes and dots', () => {
    for (const word of ['poweredOn', 'host-21', '10.0.0.1', 'DC0_H0_VM0', 'a.b.c', 'x:y/z']) expect(literalOf(word)).toEqual({ kind: 'string', value: word });
  });

  it('decodes escapes in single and double quotes, and keeps unknown ones (for glob)', () => {
    expect(literalOf(String.raw`"a\"b\\c\n\t"`)).toEqual({ kind: 'string', value: 'a"b\\c\n\t' });
    expect(literalOf(String.raw`'it\'s'`)).toEqual({ kind: 'string', value: "it's" });
    expect(literalOf(String.raw`"\u00e9"`)).toEqual({ kind: 'string', value: 'é' });
    expect(literalOf(String.raw`"a\*"`)).toEqual({ kind: 'string', value: 'a\\*' });
    expect(literalOf(`"it's"`)).toEqual({ kind: 'string', value: "it's" });
    expect(literalOf(`"a b && c"`)).toEqual({ kind: 'string', value: 'a b && c' });
  });

  it('reads ISO dates and date-times as UTC instants, with offsets and fractions', () => {
    expect(literalOf('2024-01-01')).toEqual({ kind: 'date', value: Date.UTC(2024, 0, 1) });
    expect(literalOf('2024-01-01T00:00:00Z')).toEqual({ kind: 'date', value: Date.UTC(2024, 0, 1) });
    expect(literalOf('2024-02-29T10:30')).toEqual({ kind: 'date', value: Date.UTC(2024, 1, 29, 10, 30) });
    expect(literalOf('2024-06-01T12:00:00.5+02:00')).toEqual({ kind: 'date', value: Date.UTC(2024, 5, 1, 10, 0, 0, 500) });
    expect(literalOf('0099-01-01')).toEqual({ kind: 'date', value: Date.parse('0099-01-01T00:00:00Z') });
  });

  it('reads sizes with KB, MB, GB, TB in any case', () => {
    expect(literalOf('4GB')).toEqual({ kind: 'size', amount: 4, unit: 'GB' });
    expect(literalOf('1.5tb')).toEqual({ kind: 'size', amount: 1.5, unit: 'TB' });
    expect(literalOf('512Mb')).toEqual({ kind: 'size', amount: 512, unit: 'MB' });
  });
});

describe('filter grammar', () => {
  it('parses every comparison operator, with or without spaces', () => {
    for (const operator of ['==', '!=', '<', '<=', '>', '>=']) {
      expect(parseFilterAst(`a ${operator} 1`)).toEqual(cmp('a', operator, num(1)));
      expect(parseFilterAst(`a${operator}1`)).toEqual(cmp('a', operator, num(1)));
    }
  });

  it('parses =~ and !~ with the pattern as written, even when it looks like a number', () => {
    expect(parseFilterAst('name =~ web-*')).toEqual({ kind: 'glob', path: 'name', pattern: 'web-*', negated: false });
    expect(parseFilterAst("name!~'*db?'")).toEqual({ kind: 'glob', path: 'name', pattern: '*db?', negated: true });
    expect(parseFilterAst('name =~ 10')).toEqual({ kind: 'glob', path: 'name', pattern: '10', negated: false });
  });

  it('parses in lists of mixed literals', () => {
    expect(parseFilterAst('a in (x, "y z", 3, null, true)')).toEqual({
      kind: 'in',
      path: 'a',
      values: [{ kind: 'string', value: 'x' }, { kind: 'string', value: 'y z' }, num(3), { kind: 'null' }, { kind: 'boolean', value: true }],
    });
    expect(parseFilterAst('a in(x)')).toEqual({ kind: 'in', path: 'a', values: [{ kind: 'string', value: 'x' }] });
  });

  it('reads a bare path as a truth test', () => {
    expect(parseFilterAst('template')).toEqual({ kind: 'truthy', path: 'config.template' });
    expect(parseFilterAst('!runtime.inMaintenanceMode')).toEqual({ kind: 'not', operand: { kind: 'truthy', path: 'runtime.inMaintenanceMode' } });
  });

  it('binds ! tighter than &&, and && tighter than ||', () => {
    expect(parseFilterAst('a == 1 || b == 2 && c == 3')).toEqual({ kind: 'or', operands: [a, { kind: 'and', operands: [b, c] }] });
    expect(parseFilterAst('a == 1 && b == 2 || c == 3')).toEqual({ kind: 'or', operands: [{ kind: 'and', operands: [a, b] }, c] });
    expect(parseFilterAst('!a == 1 && b == 2')).toEqual({ kind: 'and', operands: [{ kind: 'not', operand: a }, b] });
    expect(parseFilterAst('!(a == 1 && b == 2)')).toEqual({ kind: 'not', operand: { kind: 'and', operands: [a, b] } });
  });

  it('keeps parentheses as grouping and chains as one n-ary node', () => {
    expect(parseFilterAst('(a == 1 || b == 2) && c == 3')).toEqual({ kind: 'and', operands: [{ kind: 'or', operands: [a, b] }, c] });
    expect(parseFilterAst('a == 1 && b == 2 && c == 3')).toEqual({ kind: 'and', operands: [a, b, c] });
    expect(parseFilterAst('(a == 1 && b == 2) && c == 3')).toEqual({ kind: 'and', operands: [{ kind: 'and', operands: [a, b] }, c] });
    expect(parseFilterAst('((a == 1))')).toEqual(a);
    expect(parseFilterAst('!!a == 1')).toEqual({ kind: 'not', operand: { kind: 'not', operand: a } });
  });

  it('takes white space of any kind between tokens', () => {
    expect(parseFilterAst('\ta == 1\n&&\r\nb==2 ')).toEqual({ kind: 'and', operands: [a, b] });
  });

  it('parses a long chain without deep recursion', () => {
    const node = parseFilterAst(Array.from({ length: 5000 }, (_, i) => `a == ${i}`).join(' && '));
    expect(node.kind === 'and' && node.operands.length).toBe(5000);
  });
});

describe('filter syntax errors', () => {
  it.each([
    ['', 1, 'empty filter: expected a condition'],
    ['   ', 4, 'empty filter: expected a condition'],
    ['powerState = on', 12, 'expected == or =~ (a single = is not an operator)'],
    ['a == 1 & b == 2', 8, 'expected && (a single & is not an operator)'],
    ['a == 1 | b == 2', 8, 'expected || (a single | is not an operator)'],
    ['a ==', 5, 'expected a value after ==, found the end of the filter'],
    ['a == )', 6, "expected a value after ==, found ')'"],
    ['(a == 1', 8, 'expected ) to close the ( at column 1, found the end of the filter'],
    ['a == 1)', 7, "expected && or || or the end, found ')'"],
    ['a == 1 b', 8, "expected && or || or the end, found 'b'"],
    ['powerState poweredOn', 12, "expected an operator (== != < <= > >= =~ !~ in) after runtime.powerState, found 'poweredOn'"],
    ['== 1', 1, "expected a property path, found '=='"],
    ['"name" == x', 1, 'expected a property path, found "name"'],
    ['a && || b', 6, "expected a property path, found '||'"],
    ['runtime..powerState == x', 1, "'runtime..powerState' is not a property path (names of letters, digits and _ joined by dots)"],
    ['3cpus == 1', 1, "'3cpus' is not a property path (names of letters, digits and _ joined by dots)"],
    ['a == "open', 6, 'unterminated string (no closing ")'],
    ["a == 'open\\'", 6, "unterminated string (no closing ')"],
    ['a == "\\u12"', 7, 'invalid \\u escape (expected four hex digits)'],
    ['t > 2024-13-01', 5, "invalid date '2024-13-01' (quote it to mean a string)"],
    ['t > 2023-02-29', 5, "invalid date '2023-02-29' (quote it to mean a string)"],
    ['t > 2024-01-01T25:00', 5, "invalid date '2024-01-01T25:00' (quote it to mean a string)"],
    ['a < 1e999', 5, "number out of range '1e999'"],
    ['a < -2e308KB', 5, "number out of range '-2e308KB'"],
    ['t > 0000-01-01T00:00+00:01', 5, "invalid date '0000-01-01T00:00+00:01' (quote it to mean a string)"],
    ['t > 9999-12-31T23:59:59.999-00:01', 5, "invalid date '9999-12-31T23:59:59.999-00:01' (quote it to mean a string)"],
    ['a < true', 5, '< needs a number, size, date or string, not true'],
    ['a >= null', 6, '>= needs a number, size, date or string, not null'],
    ['a in x', 6, "expected ( after in, found 'x'"],
    ['a in ()', 7, "expected a value after (, found ')'"],
    ['a in (1, )', 10, "expected a value after ,, found ')'"],
    ['a in (1 2)', 9, "expected ) or , in the in list, found '2'"],
    ['a =~ (', 6, "expected a pattern after =~, found '('"],
    ['!', 2, 'expected a property path, found the end of the filter'],
  ])('%j fails at column %i: %s', (text, column, reason) => {
    const error = syntaxError(text);
    expect({ column: error.column, reason: error.reason }).toEqual({ column, reason });
    expect(error.message).toBe(`${reason} at column ${column}`);
    expect(error.expression).toBe(text);
  });

  it('formats the expression with a caret under the column', () => {
    expect(syntaxError('powerState == on && numCPU >= ').format()).toBe(
      'powerState == on && numCPU >= \n' + ' '.repeat(30) + '^ expected a value after >=, found the end of the filter',
    );
    expect(syntaxError('a == 1 &&\n\tb = 2').format()).toBe('a == 1 &&  b = 2\n' + ' '.repeat(13) + '^ expected == or =~ (a single = is not an operator)');
  });

  it(`refuses nesting deeper than ${MAX_NESTING}, whether by parentheses or !`, () => {
    expect(() => parseFilterAst('('.repeat(MAX_NESTING) + 'a' + ')'.repeat(MAX_NESTING))).not.toThrow();
    expect(syntaxError('('.repeat(MAX_NESTING + 1) + 'a' + ')'.repeat(MAX_NESTING + 1)).column).toBe(MAX_NESTING + 1);
    expect(syntaxError('!'.repeat(MAX_NESTING + 1) + 'a').reason).toBe(`nested more than ${MAX_NESTING} deep`);
    expect(syntaxError('('.repeat(100_000)).column).toBe(MAX_NESTING + 1);
  });
});

describe('filter aliases', () => {
  it('resolves the short names of each object type', () => {
    const vm = { type: 'VirtualMachine' };
    expect(parseFilter('powerState == poweredOn && numCPU > 2 && memoryMB >= 4096 && name =~ web*', vm).paths).toEqual([
      'runtime.powerState',
      'config.hardware.numCPU',
      'config.hardware.memoryMB',
      'name',
    ]);
    expect(parseFilter('guestId == x && ip == 10.0.0.1 && host == host-21 && template', vm).paths).toEqual([
      'config.guestId',
      'guest.ipAddress',
      'runtime.host',
      'config.template',
    ]);
    expect(parseFilter('connectionState == connected && inMaintenanceMode', { type: 'HostSystem' }).paths).toEqual(['runtime.connectionState', 'runtime.inMaintenanceMode']);
    expect(parseFilter('freeSpace < 10GB && capacity > 1TB', { type: 'Datastore' }).paths).toEqual(['summary.freeSpace', 'summary.capacity']);
    expect(parseFilter('drsEnabled && numHosts >= 2', { type: 'ClusterComputeResource' }).paths).toEqual(['configurationEx.drsConfig.enabled', 'summary.numHosts']);
  });

  it('leaves full paths, unknown names and dotted paths alone', () => {
    expect(parseFilter('runtime.powerState == x && whatever == 1 && powerState.x == 2', { type: 'VirtualMachine' }).paths).toEqual([
      'runtime.powerState',
      'whatever',
      'powerState.x',
    ]);
    expect(parseFilter('powerState == x', { type: 'Folder' }).paths).toEqual(['powerState']);
  });

  it('gives a type outside the table the common aliases only', () => {
    expect(parseFilter('status == green && numCPU == 1', { type: 'Datacenter' }).paths).toEqual(['overallStatus', 'numCPU']);
  });

  it('without a type, resolves aliases all types agree on and refuses ambiguous ones', () => {
    expect(parseFilter('powerState == poweredOn && name == x && freeSpace > 0').paths).toEqual(['runtime.powerState', 'name', 'summary.freeSpace']);
    const error = syntaxError('name == x && host == host-21');
    expect(error.column).toBe(14);
    expect(error.reason).toMatch(/^'host' means runtime\.host for VirtualMachine, host\.key for Datastore, host for ClusterComputeResource, host for Network: give the object type or the full path$/);
  });

  it('has tables whose targets are valid paths that resolve to themselves', () => {
    for (const type of FILTER_OBJECT_TYPES) {
      for (const [alias, path] of Object.entries(FILTER_ALIASES[type])) {
        expect(alias).toMatch(/^[A-Za-z_]\w*$/);
        expect(path).toMatch(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/);
        expect(resolveAlias(path, type)).toEqual({ path });
      }
    }
  });

  it('ignores Object.prototype names', () => {
    expect(resolveAlias('constructor', 'VirtualMachine')).toEqual({ path: 'constructor' });
    expect(resolveAlias('toString')).toEqual({ path: 'toString' });
  });
});

describe('filter paths and printing', () => {
  it('lists each path once in order of first appearance', () => {
    const filter = parseFilter('!(b == 1 || a == 2) && b in (1, 2) && c =~ x && a', { type: 'VirtualMachine' });
    expect(filter.paths).toEqual(['b', 'a', 'c']);
    expect(Object.isFrozen(filter.paths)).toBe(true);
    expect(filter.source).toBe('!(b == 1 || a == 2) && b in (1, 2) && c =~ x && a');
  });

  it('prints canonical text that parses back to the same tree', () => {
    const text = "!(a == 1 || b != 'x\"y') && (c =~ \"w*\" && d in (1, true, null, 4GB, 2024-01-01T00:00:00Z)) || e";
    const ast = parseFilterAst(text);
    const printed = printFilter(ast);
    expect(printed).toBe('!(a == 1 || b != "x\\"y") && (c =~ "w*" && d in (1, true, null, 4GB, 2024-01-01T00:00:00.000Z)) || e');
    expect(parseFilterAst(printed)).toEqual(ast);
  });

  it('prints negative zero as -0, in numbers and sizes', () => {
    const ast = parseFilterAst('a == -0 && b == -0GB');
    expect(printFilter(ast)).toBe('a == -0 && b == -0GB');
    expect(parseFilterAst(printFilter(ast))).toEqual(ast);
  });

  it('reads the first and last four-digit-year instants', () => {
    expect(literalOf('0000-01-01T00:00:00Z')).toEqual({ kind: 'date', value: Date.parse('0000-01-01T00:00:00Z') });
    expect(literalOf('9999-12-31T23:59:59.999Z')).toEqual({ kind: 'date', value: Date.parse('9999-12-31T23:59:59.999Z') });
  });
});
