// Command admin drives vCenter's administration managers through govmomi (Debian 0.24.2) as govc's
// role.*, permissions.*, fields.*, license.* and option.* commands do, and prints what it saw as
// JSON. Scenarios:
//
//	roles     role.ls/create/update/usage/remove, permissions.set/ls/remove
//	fields    fields.add/ls/set/rename/rm
//	licenses  license.ls/add/decode/assigned.ls/assign/remove
//	options   option.ls/set
package main

import (
	"context"
	"time"

	"github.com/vmware/govmomi/license"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"

	"simtest"
)

func main() {
	simtest.RunScenarios("admin", 2*time.Minute, map[string]simtest.Scenario{
		"roles":    roles,
		"fields":   fields,
		"licenses": licenses,
		"options":  options,
	})
}

func client(ctx context.Context) (*vim25.Client, *object.VirtualMachine, error) {
	c, finder, err := simtest.Finder(ctx)
	if err != nil {
		return nil, nil, err
	}
	vm, err := finder.VirtualMachine(ctx, "DC0_H0_VM0")
	return c, vm, err
}

func roles(ctx context.Context) (interface{}, error) {
	c, vm, err := client(ctx)
	if err != nil {
		return nil, err
	}
	m := object.NewAuthorizationManager(c)
	list, err := m.RoleList(ctx) // role.ls
	if err != nil {
		return nil, err
	}
	var names []string
	for _, r := range list {
		names = append(names, r.Name)
	}
	id, err := m.AddRole(ctx, "vm-user", []string{"VirtualMachine.Interact.PowerOn"}) // role.create
	if err != nil {
		return nil, err
	}
	_, dup := m.AddRole(ctx, "vm-user", nil)
	if err = m.UpdateRole(ctx, id, "vm-user", []string{"VirtualMachine.Interact.PowerOn", "VirtualMachine.Interact.PowerOff"}); err != nil { // role.update -a
		return nil, err
	}
	list, _ = m.RoleList(ctx)
	role := list.ById(id)
	perm := types.Permission{Principal: "ops", RoleId: id, Propagate: true}
	if err = m.SetEntityPermissions(ctx, vm.Reference(), []types.Permission{perm}); err != nil { // permissions.set
		return nil, err
	}
	perms, _ := m.RetrieveEntityPermissions(ctx, vm.Reference(), true) // permissions.ls
	var principals []string
	for _, p := range perms {
		principals = append(principals, p.Principal)
	}
	usage, _ := m.RetrieveRolePermissions(ctx, id) // role.usage
	privs, _ := m.FetchUserPrivilegeOnEntities(ctx, []types.ManagedObjectReference{vm.Reference()}, "ops")
	inUse := m.RemoveRole(ctx, id, true)
	if err = m.RemoveEntityPermission(ctx, vm.Reference(), "ops", false); err != nil { // permissions.remove
		return nil, err
	}
	removeErr := m.RemoveRole(ctx, id, true) // role.remove
	return map[string]interface{}{
		"roles": names, "id": id, "duplicate": simtest.FaultName(dup), "privileges": role.Privilege,
		"principals": principals, "usage": len(usage), "opsPrivileges": privs[0].Privileges,
		"inUse": simtest.FaultName(inUse), "removed": simtest.FaultName(removeErr),
	}, nil
}

func fields(ctx context.Context) (interface{}, error) {
	c, vm, err := client(ctx)
	if err != nil {
		return nil, err
	}
	m := object.NewCustomFieldsManager(c)
	def, err := m.Add(ctx, "owner", "VirtualMachine", nil, nil) // fields.add -type VirtualMachine
	if err != nil {
		return nil, err
	}
	_, dup := m.Add(ctx, "owner", "VirtualMachine", nil, nil)
	if err = m.Set(ctx, vm.Reference(), def.Key, "alice"); err != nil { // fields.set
		return nil, err
	}
	key, _ := m.FindKey(ctx, "owner")
	if err = m.Rename(ctx, key, "owned-by"); err != nil { // fields.rename
		return nil, err
	}
	list, _ := m.Field(ctx) // fields.ls
	var names []string
	for _, f := range list {
		names = append(names, f.Name)
	}
	_, missing := m.FindKey(ctx, "owner")
	if err = m.Remove(ctx, key); err != nil { // fields.rm
		return nil, err
	}
	after, _ := m.Field(ctx)
	return map[string]interface{}{"key": def.Key, "duplicate": simtest.FaultName(dup), "names": names, "missing": missing == object.ErrKeyNameNotFound, "after": len(after)}, nil
}

func licenses(ctx context.Context) (interface{}, error) {
	c, _, err := client(ctx)
	if err != nil {
		return nil, err
	}
	m := license.NewManager(c)
	const key = "ABCDE-12345-FGHIJ-67890-KLMNO"
	before, _ := m.List(ctx)                                        // license.ls
	added, err := m.Add(ctx, key, map[string]string{"team": "ops"}) // license.add
	if err != nil {
		return nil, err
	}
	decoded, _ := m.Decode(ctx, key) // license.decode
	am, err := m.AssignmentManager(ctx)
	if err != nil {
		return nil, err
	}
	assigned, _ := am.QueryAssigned(ctx, "") // license.assigned.ls
	host := assigned[1].EntityId
	if _, err = am.Update(ctx, host, key, "DC0_H0"); err != nil { // license.assign -host
		return nil, err
	}
	mine, _ := am.QueryAssigned(ctx, host)
	if err = m.Remove(ctx, key); err != nil { // license.remove
		return nil, err
	}
	after, _ := m.List(ctx)
	return map[string]interface{}{
		"before": len(before), "evalName": before[0].Name, "added": added.LicenseKey, "decoded": decoded.EditionKey, "assignments": len(assigned),
		"assignedKey": mine[0].AssignedLicense.LicenseKey, "hasDVS": license.HasFeature(before[0], "dvs"), "after": len(after),
	}, nil
}

func options(ctx context.Context) (interface{}, error) {
	c, _, err := client(ctx)
	if err != nil {
		return nil, err
	}
	m := object.NewOptionManager(c, *c.ServiceContent.Setting)
	all, err := m.Query(ctx, "") // option.ls
	if err != nil {
		return nil, err
	}
	events, _ := m.Query(ctx, "event.")
	if err = m.Update(ctx, []types.BaseOptionValue{&types.OptionValue{Key: "event.maxAge", Value: int32(60)}}); err != nil { // option.set
		return nil, err
	}
	maxAge, _ := m.Query(ctx, "event.maxAge")
	_, unknown := m.Query(ctx, "no.such.option")
	bad := m.Update(ctx, []types.BaseOptionValue{&types.OptionValue{Key: "brand.new", Value: "x"}})
	return map[string]interface{}{
		"count": len(all), "events": len(events), "maxAge": maxAge[0].GetOptionValue().Value, "unknown": simtest.FaultName(unknown), "bad": simtest.FaultName(bad),
	}, nil
}
