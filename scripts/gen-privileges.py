#!/usr/bin/python3
"""Writes models/data/privileges.json: the privilege ids vCenter's Admin role holds. Source: the
Admin role of vcsim's captured ESX role list (Debian golang-github-vmware-govmomi-dev 0.24.2,
simulator/esx/authorization_manager.go), a list of ids only. The simulator adds the ids its type
table names (methods' and properties' privileges) at run time."""
import json
import re

SRC = '/usr/share/gocode/src/github.com/vmware/govmomi/simulator/esx/authorization_manager.go'
text = open(SRC).read()
admin = re.search(r'Name:\s+"Admin".*?Privilege:\s+\[\]string\{([^}]*)\}', text, re.S)
ids = sorted(set(re.findall(r'"([^"]+)"', admin.group(1))))
with open('models/data/privileges.json', 'w') as out:
    json.dump(ids, out, indent=0)
    out.write('\n')
print(len(ids), 'privileges')
