#!/usr/bin/python3
"""Generate models/data/vim-types.json, the vSphere (vim25) type table.

Usage: /usr/bin/python3 scripts/gen-types.py [--out PATH] [--ts-out PATH]
                                             [--pyvmomi DIR] [--govmomi DIR]

Also writes client/vim25.ts (--ts-out) from the JSON, by scripts/gen_client_types.py.

Sources (read as text, never imported):
  * Debian python3-pyvmomi 6.7.1: CoreTypes.py, QueryTypes.py, ServerObjects.py
    (module-level CreateDataType / CreateManagedType / CreateEnumType calls
    with literal arguments, AddVersion / AddVersionParent for versions) and
    VmomiSupport.py (the built-in MethodFault, RuntimeFault and
    LocalizedMethodFault).  Parsed with `ast`.
  * govmomi 0.24.2 vim25 sources (types/types.go, types/enum.go, mo/mo.go,
    methods/methods.go): what they declare and pyvmomi lacks is vSphere 7.0.
  Only vim.* and vmodl.* (the vim25 namespace) are read; pbm/eam/sms skipped.

Mapping decisions and known gaps:
  * Versions: vim.version.versionN -> wire version from AddVersion.  vmodl.*
    versions have no wire version; each maps to the oldest vim.version.N
    that lists it as a parent (AddVersionParent).
  * "vim.version.legacy" items (internal types, props, methods, enum values
    that are not in the public WSDL and not in govmomi) are skipped.
  * pyvmomi has no per-value version for enum values: they all get the
    enum's version; values only govmomi has get "7.0".
  * Properties typed vmodl.MethodFault are LocalizedMethodFault on the wire
    (pyvmomi's SoapAdapter wraps them; govmomi declares them so), except
    LocalizedMethodFault.fault itself.
  * F_LINK properties carry the linked object's key: wire type string,
    with "link" naming the linked type.  F_SECRET -> "secret": true.
  * MethodFault: no base, no "msg"; LocalizedMethodFault extends
    DynamicData; DynamicArray dropped (see wsdl_fixes).
  * vmodl.DataObject / vmodl.ManagedObject bases become null (DynamicData
    and root managed types have no base on the wire).
  * govmomi: a ManagedObjectReference field's target type is not in the Go
    source; "mo" is guessed from the field name only when it names a managed
    type (e.g. host -> HostSystem, vm -> VirtualMachine, datastore ->
    Datastore), otherwise "ManagedObject".
  * govmomi: a field is optional if its tag has omitempty or its type is a
    pointer; mo.go has no omitempty, so slices count as optional there.
    govmomi also uses pointers for some required fields added after 2.0
    (about 120 such props in 6.7.1 types), so a required 7.0 field may be
    marked optional: the lenient reading.
  * govmomi: methods.go / types.go do not say which managed type declares a
    method, so the ~40 methods 7.0 added are skipped (--verbose lists them).
    New 7.0 parameters of methods pyvmomi has are added (XRequestType
    fields, less This).  Neither faults nor privileges exist in the Go source.
  * govmomi: []byte is either byte[] or base64Binary; such 7.0 fields are
    skipped (--verbose lists them).
  * A task's declared result type that pyvmomi never declares (e.g.
    AnswerFileValidationResultMap[]) yields no "taskResult".
  * govmomi: Go structs that are not wire data types (XRequestType, method
    XResponse, ArrayOfX) and the XFault aliases are ignored.  A Go field
    already declared by the type or a base (e.g. Network.name, inherited
    from ManagedEntity) is not added again.
"""

import argparse
import ast
import json
import os
import re
import sys

PYVMOMI_DIR = '/usr/lib/python3/dist-packages/pyVmomi'
GOVMOMI_DIR = '/usr/share/gocode/src/github.com/vmware/govmomi'
PY_FILES = ['CoreTypes.py', 'QueryTypes.py', 'ServerObjects.py']
NEW_VERSION = '7.0'
LEGACY = 'vim.version.legacy'
F_LINK, F_LINKABLE, F_OPTIONAL, F_SECRET = 1, 2, 4, 8
FLAG_NAMES = {'F_LINK': F_LINK, 'F_LINKABLE': F_LINKABLE,
              'F_OPTIONAL': F_OPTIONAL, 'F_SECRET': F_SECRET}

PRIMITIVES = {
    'string': 'string', 'boolean': 'boolean', 'bool': 'boolean',
    'byte': 'byte', 'short': 'short', 'int': 'int', 'long': 'long',
    'float': 'float', 'double': 'double', 'anyType': 'anyType',
    'vmodl.DateTime': 'dateTime', 'vmodl.Binary': 'base64Binary',
    'vmodl.TypeName': 'string', 'vmodl.MethodName': 'string',
    'vmodl.PropertyPath': 'string', 'vmodl.URI': 'string',
}
ROOT_BASES = {'vmodl.DataObject', 'vmodl.ManagedObject', None}


# ---------------------------------------------------------------- pyvmomi AST

def literal(node, consts=None):
    """Evaluate a literal AST node, resolving F_* flags and given constants."""
    consts = consts or {}
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.Tuple, ast.List)):
        return [literal(e, consts) for e in node.elts]
    if isinstance(node, ast.Name):
        if node.id in FLAG_NAMES:
            return FLAG_NAMES[node.id]
        if node.id in consts:
            return consts[node.id]
        raise ValueError('unknown name %s' % node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return literal(node.left, consts) | literal(node.right, consts)
    raise ValueError('not a literal: %s' % ast.dump(node))


def module_calls(path):
    """Yield (function name, evaluated args) for module-level calls."""
    with open(path, encoding='utf-8') as f:
        tree = ast.parse(f.read(), path)
    for stmt in tree.body:
        if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
            continue
        call = stmt.value
        if isinstance(call.func, ast.Name) and call.func.id.startswith(('Create', 'AddVersion')):
            yield call.func.id, [literal(a) for a in call.args]


def builtin_fault_calls(path):
    """The MethodFault family VmomiSupport.py creates in code, as Create calls."""
    with open(path, encoding='utf-8') as f:
        tree = ast.parse(f.read(), path)
    consts = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ast.Name) \
                and isinstance(stmt.value, ast.Constant):
            consts[stmt.targets[0].id] = stmt.value.value
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == 'CreateAndLoadMethodFaultType':
            calls.append(method_fault_call(node, consts))
        if isinstance(node, ast.Call) and getattr(node.func, 'id', '') == 'CreateAndLoadDataType':
            try:
                calls.append(('CreateDataType', [literal(a, consts) for a in node.args]))
            except ValueError:
                pass  # a generic call with variable arguments
    return calls


def method_fault_call(func, consts):
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', '') == 'props':
            props = literal(node.value, consts)
            return ('CreateDataType', ['vmodl.MethodFault', 'MethodFault', 'vmodl.DynamicData',
                                       consts['BASE_VERSION'], props])
    raise ValueError('MethodFault props not found')


class PyModel:
    """Raw pyvmomi declarations, keyed by vmodl name."""

    def __init__(self, directory):
        self.wire_versions = {}   # version id -> wire version ('' for vmodl)
        self.parents = {}         # version id -> set of parent version ids
        self.data, self.managed, self.enums = {}, {}, {}
        calls = builtin_fault_calls(os.path.join(directory, 'VmomiSupport.py'))
        for name in PY_FILES:
            calls.extend(module_calls(os.path.join(directory, name)))
        for func, args in calls:
            self.add(func, args)

    def add(self, func, args):
        if func == 'AddVersion':
            self.wire_versions[args[0]] = args[2]
        elif func == 'AddVersionParent':
            self.parents.setdefault(args[0], set()).add(args[1])
        elif func == 'CreateDataType':
            self.data[args[0]] = args
        elif func == 'CreateManagedType':
            self.managed[args[0]] = args
        elif func == 'CreateEnumType':
            self.enums[args[0]] = args


def vim_version_number(version_id):
    m = re.fullmatch(r'vim\.version\.version(\d+)', version_id)
    return int(m.group(1)) if m else None


class VersionMap:
    """Maps pyvmomi version ids to wire versions, oldest first."""

    def __init__(self, py):
        vim_ids = sorted((v for v in py.wire_versions if vim_version_number(v)),
                         key=vim_version_number)
        self.ordered = [py.wire_versions[v] for v in vim_ids] + [NEW_VERSION]
        self.wire = {v: py.wire_versions[v] for v in vim_ids}
        for vid in py.wire_versions:
            if vid.startswith('vmodl.'):
                self.wire[vid] = self.oldest_child(vid, vim_ids, py.parents)

    def oldest_child(self, vid, vim_ids, parents):
        for child in vim_ids:
            if vid in parents.get(child, ()):
                return self.wire[child]
        raise ValueError('no vim version includes %s' % vid)

    def __call__(self, version_id):
        return self.wire[version_id]


# ----------------------------------------------------------- table from pyvmomi

class PyConverter:
    """Turns raw pyvmomi declarations into the wire-named table."""

    def __init__(self, py, versions):
        self.py, self.version = py, versions
        self.wire_name = {}
        for kind in (py.data, py.managed, py.enums):
            for vmodl_name, args in kind.items():
                self.wire_name[vmodl_name] = args[1]
        self.unknown = set()

    def convert(self):
        table = {'data': {}, 'enums': {}, 'managed': {}}
        for args in self.py.data.values():
            if args[3] != LEGACY:
                table['data'][args[1]] = self.data_type(args)
        for args in self.py.enums.values():
            if args[2] != LEGACY:
                table['enums'][args[1]] = self.enum_type(args)
        for args in self.py.managed.values():
            if args[3] != LEGACY:
                table['managed'][args[1]] = self.managed_type(args)
        if self.unknown:
            raise ValueError('unknown pyvmomi types: %s' % sorted(self.unknown))
        return wsdl_fixes(table)

    def base(self, parent):
        return None if parent in ROOT_BASES else self.wire_name[parent]

    def data_type(self, args):
        _, wire, parent, version, props = args
        return {'base': self.base(parent), 'since': self.version(version),
                'props': [self.prop(p, wire) for p in props or [] if p[2] != LEGACY]}

    def enum_type(self, args):
        since = self.version(args[2])
        return {'since': since, 'values': [[v, since] for v in args[3]]}

    def managed_type(self, args):
        _, wire, parent, version, props, methods = args
        return {'base': self.base(parent), 'since': self.version(version),
                'props': [self.prop(p, wire) for p in props or [] if p[2] != LEGACY],
                'methods': {m[1]: self.method(m) for m in methods or [] if m[2] != LEGACY}}

    def prop(self, p, owner):
        name, typ, version, flags = p[:4]
        out = {'name': name}
        if flags & F_LINK:
            out.update(self.link_type(typ))
        else:
            out.update(self.type_ref(typ, owner != 'LocalizedMethodFault'))
        if flags & F_OPTIONAL:
            out['optional'] = True
        if flags & F_SECRET:
            out['secret'] = True
        out['since'] = self.version(version)
        if len(p) > 4 and p[4]:
            out['privilege'] = p[4]
        return out

    def link_type(self, typ):
        elem = typ[:-2] if typ.endswith('[]') else typ
        out = {'type': 'string', 'link': self.type_ref(elem)['type']}
        if typ.endswith('[]'):
            out['array'] = True
        return out

    def type_ref(self, typ, wrap_faults=True):
        """Wire type of a pyvmomi type name: {type, array?, mo?}."""
        out = {}
        if typ.endswith('[]'):
            typ, out['array'] = typ[:-2], True
        if typ in PRIMITIVES:
            return {'type': PRIMITIVES[typ], **out}
        if typ == 'vmodl.ManagedObject':
            return {'type': 'ManagedObjectReference', **out, 'mo': 'ManagedObject'}
        if typ in self.py.managed:
            return {'type': 'ManagedObjectReference', **out, 'mo': self.wire_name[typ]}
        if typ == 'vmodl.MethodFault' and wrap_faults:
            return {'type': 'LocalizedMethodFault', **out}
        if typ not in self.wire_name:
            self.unknown.add(typ)
            return {'type': typ, **out}
        return {'type': self.wire_name[typ], **out}

    def method(self, m):
        _, wire, version, params, result, privilege, faults = m
        return {'since': self.version(version),
                'params': [self.prop(p, wire) for p in params or [] if p[2] != LEGACY],
                'returns': self.result(result),
                'faults': [self.wire_name.get(f) or self.type_ref(f)['type'] for f in faults or []],
                'privilege': privilege}

    def result(self, result):
        flags, typ, actual = result
        if typ == 'void':
            return None
        out = self.type_ref(typ)
        if flags & F_OPTIONAL:
            out['optional'] = True
        if out.get('mo') == 'Task' and actual not in ('void', typ):
            out.update(self.task_result(actual))
        return out

    def task_result(self, actual):
        elem = actual[:-2] if actual.endswith('[]') else actual
        if elem not in PRIMITIVES and elem not in self.wire_name:
            return {}  # pyvmomi names a result type it never declares
        ref = self.type_ref(actual)
        out = {'taskResult': ref['type']}
        if ref.get('array'):
            out['taskResultArray'] = True
        if ref.get('mo'):
            out['taskResultMo'] = ref['mo']
        return out


def wsdl_fixes(table):
    """Where pyvmomi's built-ins differ from the wire (and govmomi agrees
    with the wire): MethodFault has no base and no msg element (pyvmomi
    blanks msg before serializing), LocalizedMethodFault extends
    DynamicData, and vmodl's internal DynamicArray is not a wire type."""
    data = table['data']
    fault = data['MethodFault']
    fault['base'] = None
    fault['props'] = [p for p in fault['props'] if p['name'] != 'msg']
    data['LocalizedMethodFault']['base'] = 'DynamicData'
    del data['DynamicArray']
    return table


# ------------------------------------------------------------------ govmomi Go

GO_PRIMITIVES = {
    'string': 'string', 'int32': 'int', 'int64': 'long', 'int16': 'short',
    'int8': 'byte', 'byte': 'byte', 'bool': 'boolean', 'float32': 'float',
    'float64': 'double', 'time.Time': 'dateTime', 'AnyType': 'anyType',
}
STRUCT_RE = re.compile(r'^type (\w+) struct \{\n(.*?)^\}', re.M | re.S)
ALIAS_RE = re.compile(r'^type (\w+) (\w+)$', re.M)
FIELD_RE = re.compile(r'^\t(\w+)\s+(\S+)\s+`(?:xml|mo):"([^"]*)"`\s*$')
EMBED_RE = re.compile(r'^\t(\w+)\s*$')
ENUM_TYPE_RE = re.compile(r'^type (\w+) string$', re.M)
ENUM_VALUE_RE = re.compile(r'^\t\w+\s*=\s*(\w+)\("([^"]*)"\)', re.M)
METHOD_BODY_RE = re.compile(r'Req\s+\*types\.(\w+)\s+`xml:"urn:vim25 (\w+),omitempty"`')


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def go_structs(text):
    """name -> (embedded base or None, [(field, go type, tag)])."""
    out = {}
    for name, body in STRUCT_RE.findall(text):
        base, fields = None, []
        for line in body.splitlines():
            embed, field = EMBED_RE.match(line), FIELD_RE.match(line)
            if embed and not fields and base is None:
                base = embed.group(1)
            elif field:
                fields.append(field.groups())
        out[name] = (base, fields)
    return out


def go_enums(text):
    names = set(ENUM_TYPE_RE.findall(text))
    out = {n: [] for n in names}
    for typ, value in ENUM_VALUE_RE.findall(text):
        if typ in out:
            out[typ].append(value)
    return out


class GoModel:
    """The vim25 declarations of govmomi, by wire name."""

    def __init__(self, directory):
        vim25 = os.path.join(directory, 'vim25')
        types_go = read(os.path.join(vim25, 'types', 'types.go'))
        self.structs = go_structs(types_go)
        self.aliases = dict(ALIAS_RE.findall(types_go))
        self.enums = go_enums(read(os.path.join(vim25, 'types', 'enum.go')))
        self.managed = go_structs(read(os.path.join(vim25, 'mo', 'mo.go')))
        self.methods = self.method_requests(read(os.path.join(vim25, 'methods', 'methods.go')))
        self.data = self.data_structs()

    def method_requests(self, text):
        """wire method name -> (Go name, request struct name)."""
        out = {}
        for go_name, wire in METHOD_BODY_RE.findall(text):
            request = self.aliases.get(go_name)
            if request in self.structs:
                out[wire] = (go_name, request)
        return out

    def data_structs(self):
        skip = {req for _, req in self.methods.values()}
        skip |= {go_name + 'Response' for go_name, _ in self.methods.values()}
        skip |= {'ManagedObjectReference'}
        return {n: s for n, s in self.structs.items()
                if n not in skip and not n.startswith('ArrayOf')}


class Ambiguous(Exception):
    """A Go construct that does not determine the wire type."""


class GoConverter:
    """Converts Go declarations to table entries (since 7.0)."""

    def __init__(self, table, go):
        self.table, self.go = table, go

    def known(self, name):
        t = self.table
        return name in t['data'] or name in t['enums'] or name in self.go.data \
            or name in self.go.enums

    def type_ref(self, go_type, field):
        out = {}
        if go_type.startswith('*'):
            go_type, out['optional'] = go_type[1:], True
        if go_type.startswith('[]'):
            go_type, out['array'] = go_type[2:], True
        if go_type.startswith('types.'):
            go_type = go_type[len('types.'):]
        if go_type == 'byte' and out.get('array'):
            raise Ambiguous('[]byte is byte[] or base64Binary')
        if go_type in GO_PRIMITIVES:
            return {'type': GO_PRIMITIVES[go_type], **out}
        if go_type == 'ManagedObjectReference':
            return {'type': 'ManagedObjectReference', **out, 'mo': self.guess_mo(field)}
        if go_type.startswith('Base') and self.known(go_type[4:]):
            go_type = go_type[4:]
        if not self.known(go_type):
            raise ValueError('unmapped Go type %s (%s)' % (go_type, field))
        return {'type': go_type, **out}

    def guess_mo(self, field):
        """The managed type a field name makes obvious, else ManagedObject."""
        if field in MO_FIELD_HINTS:
            return MO_FIELD_HINTS[field]
        names = set(self.table['managed']) | set(self.go.managed)
        cap = field[:1].upper() + field[1:]
        if cap in names:
            return cap
        suffixed = [n for n in names if n.endswith(cap)] if cap.endswith('Manager') else []
        return suffixed[0] if len(suffixed) == 1 else 'ManagedObject'

    def prop(self, field, go_type, tag, from_mo=False):
        """A P entry: optional if omitempty or a pointer (and, in mo.go, which
        has no omitempty, a slice)."""
        parts = tag.split(',')
        out = {'name': parts[0]}
        ref = self.type_ref(go_type, parts[0])
        pointer = ref.pop('optional', False)
        optional = 'omitempty' in parts or pointer or (from_mo and ref.get('array'))
        out.update(ref)
        if optional:
            out['optional'] = True
        out['since'] = NEW_VERSION
        return order_keys(out)


MO_FIELD_HINTS = {
    'vm': 'VirtualMachine', 'vms': 'VirtualMachine', 'host': 'HostSystem',
    'hosts': 'HostSystem', 'pool': 'ResourcePool', 'resourcePool': 'ResourcePool',
    'cluster': 'ClusterComputeResource', 'task': 'Task', 'dvs': 'DistributedVirtualSwitch',
    'datastores': 'Datastore', 'folder': 'Folder', 'datacenter': 'Datacenter',
    'network': 'Network', 'datastore': 'Datastore', 'parent': 'ManagedEntity',
}

KEY_ORDER = ['name', 'type', 'array', 'optional', 'mo', 'link', 'secret', 'since', 'privilege']


def order_keys(p):
    return {k: p[k] for k in KEY_ORDER if k in p}


# -------------------------------------------------- merging 7.0 into the table

def merge_props(existing, go_names, additions):
    """Insert Go-only props after their Go predecessor, keeping existing order."""
    merged = list(existing)
    prev = None
    for name in go_names:
        index = {p['name']: i for i, p in enumerate(merged)}
        if name not in index and name in additions:
            merged.insert(0 if prev is None else index[prev] + 1, additions[name])
            index = None
        if index is None or name in index:
            prev = name
    return merged


def go_props(conv, fields, have, skipped, owner, from_mo=False):
    """Convert the Go fields not already in `have`; ambiguous ones are skipped."""
    out = {}
    for field, go_type, tag in fields:
        name = tag.split(',')[0]
        if not name or name in have:
            continue
        try:
            out[name] = conv.prop(field, go_type, tag, from_mo)
        except Ambiguous as e:
            skipped.append('%s.%s (%s)' % (owner, name, e))
    return out


def prop_names(section, name):
    """Names of a type's own and inherited props."""
    names = set()
    while name in section:
        names |= {p['name'] for p in section[name]['props']}
        name = section[name]['base']
    return names


def add_go_type(section, name, base, fields, conv, skipped, **kw):
    """Add a Go struct's missing props to an entry, or a new 7.0 entry."""
    entry = section.get(name)
    have = prop_names(section, name)
    additions = go_props(conv, fields, have, skipped, name, **kw)
    if entry:
        go_names = [tag.split(',')[0] for _, _, tag in fields]
        entry['props'] = merge_props(entry['props'], go_names, additions)
        return None
    return {'base': base, 'since': NEW_VERSION, 'props': list(additions.values())}


def add_go_data(table, go, conv, skipped):
    for name in sorted(go.data):
        if name in table['enums'] or name in table['managed']:
            continue
        base, fields = go.data[name]
        entry = add_go_type(table['data'], name, base, fields, conv, skipped)
        if entry:
            table['data'][name] = entry


def add_go_enums(table, go):
    for name in sorted(go.enums):
        values = go.enums[name]
        entry = table['enums'].setdefault(name, {'since': NEW_VERSION, 'values': []})
        have = {v[0] for v in entry['values']}
        entry['values'] += [[v, NEW_VERSION] for v in values if v not in have]


def add_go_managed(table, go, conv, skipped):
    for name in sorted(go.managed):
        base, fields = go.managed[name]
        entry = add_go_type(table['managed'], name, base, fields, conv, skipped,
                            from_mo=True)
        if entry:
            entry['methods'] = {}
            table['managed'][name] = entry


def declared_methods(table):
    return {m for t in table['managed'].values() for m in t['methods']}


def add_go_params(table, go, conv, skipped):
    """7.0 parameters of methods pyvmomi already has."""
    for owner in sorted(table['managed']):
        for wire, method in sorted(table['managed'][owner]['methods'].items()):
            if wire not in go.methods:
                continue
            _, fields = go.structs[go.methods[wire][1]]
            fields = [f for f in fields if f[0] != 'This']
            have = {p['name'] for p in method['params']}
            additions = go_props(conv, fields, have, skipped, owner + '.' + wire)
            names = [tag.split(',')[0] for _, _, tag in fields]
            method['params'] = merge_props(method['params'], names, additions)


def note_unowned_methods(table, go, skipped):
    """7.0 methods: Go does not say which managed type declares them."""
    known = declared_methods(table)
    skipped += ['%s (declaring managed type unknown)' % wire
                for wire in sorted(go.methods) if wire not in known]


# ------------------------------------------------------------------- output

def sort_table(table):
    for kind in ('data', 'managed'):
        for entry in table[kind].values():
            entry['props'] = [order_keys(p) for p in entry['props']]
    for entry in table['managed'].values():
        entry['methods'] = {name: entry['methods'][name] for name in sorted(entry['methods'])}
        for m in entry['methods'].values():
            m['params'] = [order_keys(p) for p in m['params']]
    return table


WIRE_PRIMITIVES = set(PRIMITIVES.values()) | {'ManagedObjectReference'}


def dangling_refs(table):
    """Every type a table entry names must be in the table."""
    known = set(table['data']) | set(table['enums']) | WIRE_PRIMITIVES
    managed = set(table['managed']) | {'ManagedObject'}
    bad = []

    def check(where, ref):
        for key, names in (('type', known), ('link', known), ('mo', managed),
                           ('taskResult', known), ('taskResultMo', managed)):
            if key in ref and ref[key] not in names:
                bad.append('%s: %s %s' % (where, key, ref[key]))

    for kind in ('data', 'managed'):
        for name, entry in table[kind].items():
            if entry['base'] is not None and entry['base'] not in table[kind]:
                bad.append('%s: base %s' % (name, entry['base']))
            for p in entry['props']:
                check(name, p)
    for name, entry in table['managed'].items():
        for wire, m in entry['methods'].items():
            for ref in m['params'] + ([m['returns']] if m['returns'] else []):
                check(name + '.' + wire, ref)
            bad += ['%s: fault %s' % (wire, f) for f in m['faults'] if f not in table['data']]
    return bad


def dump(table):
    """JSON with one type per line, keys sorted at the top two levels."""
    lines = ['{', ' "versions": %s,' % json.dumps(table['versions'])]
    sections = ['data', 'enums', 'managed']
    for i, section in enumerate(sections):
        entries = table[section]
        lines.append(' %s: {' % json.dumps(section))
        names = sorted(entries)
        for j, name in enumerate(names):
            comma = ',' if j < len(names) - 1 else ''
            body = json.dumps(entries[name], separators=(',', ':'))
            lines.append('  %s: %s%s' % (json.dumps(name), body, comma))
        lines.append(' }' + (',' if i < len(sections) - 1 else ''))
    lines.append('}')
    return '\n'.join(lines) + '\n'


def build(pyvmomi_dir, govmomi_dir, verbose=False):
    py = PyModel(pyvmomi_dir)
    versions = VersionMap(py)
    table = PyConverter(py, versions).convert()
    go = GoModel(govmomi_dir)
    conv = GoConverter(table, go)
    skipped = []
    add_go_enums(table, go)
    add_go_data(table, go, conv, skipped)
    add_go_managed(table, go, conv, skipped)
    add_go_params(table, go, conv, skipped)
    note_unowned_methods(table, go, skipped)
    if verbose:
        print('skipped govmomi items:\n  ' + '\n  '.join(skipped), file=sys.stderr)
    table['versions'] = versions.ordered
    bad = dangling_refs(table)
    if bad:
        raise ValueError('dangling type references:\n  ' + '\n  '.join(bad))
    return sort_table(table)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    default_out = os.path.join(root, 'models', 'data', 'vim-types.json')
    parser.add_argument('--out', default=default_out)
    parser.add_argument('--pyvmomi', default=PYVMOMI_DIR)
    parser.add_argument('--govmomi', default=GOVMOMI_DIR)
    parser.add_argument('--verbose', action='store_true')
    parser.add_argument('--ts-out', default=None,
                        help="the client's TypeScript declarations, from the JSON just written; by default "
                             "client/vim25.ts when --out is the default, else none ('' for none)")
    args = parser.parse_args()
    text = dump(build(args.pyvmomi, args.govmomi, args.verbose))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w', encoding='utf-8') as f:
        f.write(text)
    ts_out = args.ts_out
    if ts_out is None:
        ts_out = os.path.join(root, 'client', 'vim25.ts') if os.path.abspath(args.out) == default_out else ''
    if ts_out:
        # One table, two outputs: the TypeScript declarations are generated from the JSON itself.
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import gen_client_types
        gen_client_types.write(args.out, ts_out)


if __name__ == '__main__':
    main()
