// Command access drives govmomi (Debian 0.24.2) as least-privilege users do, once the simulator
// enforces privileges, and prints what it saw as JSON. Each scenario runs as the -user given.
// Scenarios:
//
//	reader    govc ls / find as a read-only user: what it sees; PowerOn refused; a hidden VM by moref
//	operator  power off and on where its group's role allows it, and where it does not
//	grant     permissions.set -group Operators -role VmOperator on DC0/vm (propagating), as an administrator
//	revoke    permissions.remove of that permission
//	rest      govmomi's vapi/rest client: GET /api/vcenter/vm and a power operation
package main

import (
	"context"
	"flag"
	"sort"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"simtest"
)

// The VM the reader may not see (NoAccess on it), by moref.
var hiddenVM = flag.String("hidden", "", "moref id of the VM hidden from the reader")

func main() {
	simtest.RunScenarios("access", 2*time.Minute, map[string]simtest.Scenario{
		"reader":   reader,
		"operator": operator,
		"grant":    grant,
		"revoke":   revoke,
		"rest":     restCalls,
	})
}

// denial is what a NoPermission fault names: [fault, object, privilegeId], or the fault alone.
func denial(err error) []string {
	if soap.IsSoapFault(err) {
		if f, ok := soap.ToSoapFault(err).VimFault().(types.NoPermission); ok {
			return []string{"NoPermission", f.Object.Value, f.PrivilegeId}
		}
	}
	if soap.IsVimFault(err) {
		if f, ok := soap.ToVimFault(err).(*types.NoPermission); ok {
			return []string{"NoPermission", f.Object.Value, f.PrivilegeId}
		}
	}
	return []string{simtest.FaultName(err)}
}

func names(vms []*object.VirtualMachine) []string {
	var out []string
	for _, vm := range vms {
		out = append(out, vm.Name())
	}
	sort.Strings(out)
	return out
}

func reader(ctx context.Context) (interface{}, error) {
	c, f, err := simtest.Finder(ctx)
	if err != nil {
		return nil, err
	}
	listed, err := f.VirtualMachineList(ctx, "*") // govc ls DC0/vm
	if err != nil {
		return nil, err
	}
	m := view.NewManager(c) // govc find / -type m
	v, err := m.CreateContainerView(ctx, c.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
	if err != nil {
		return nil, err
	}
	var found []mo.VirtualMachine
	if err = v.Retrieve(ctx, []string{"VirtualMachine"}, []string{"name", "runtime.powerState"}, &found); err != nil {
		return nil, err
	}
	var viewed []string
	for _, vm := range found {
		viewed = append(viewed, vm.Name)
	}
	sort.Strings(viewed)
	vm, err := f.VirtualMachine(ctx, "DC0_C0_RP0_VM0")
	if err != nil {
		return nil, err
	}
	_, powerErr := vm.PowerOn(ctx)
	// govc object.collect vm-N: a VM the reader may not see, named by its moref.
	var hidden mo.VirtualMachine
	hiddenErr := property.DefaultCollector(c).RetrieveOne(ctx, types.ManagedObjectReference{Type: "VirtualMachine", Value: *hiddenVM}, []string{"name"}, &hidden)
	return map[string]interface{}{"listed": names(listed), "viewed": viewed, "powerOn": denial(powerErr), "hidden": denial(hiddenErr)}, nil
}

func operator(ctx context.Context) (interface{}, error) {
	_, f, err := simtest.Finder(ctx)
	if err != nil {
		return nil, err
	}
	powerCycle := func(name string) []string {
		vm, err := f.VirtualMachine(ctx, name)
		if err != nil {
			return []string{"error: " + err.Error()}
		}
		task, err := vm.PowerOff(ctx)
		if err != nil {
			return denial(err)
		}
		if err = task.Wait(ctx); err != nil {
			return []string{simtest.FaultName(err)}
		}
		task, err = vm.PowerOn(ctx)
		if err == nil {
			err = task.Wait(ctx)
		}
		return []string{simtest.FaultName(err)}
	}
	return map[string]interface{}{"cluster": powerCycle("DC0_C0_RP0_VM0"), "standalone": powerCycle("DC0_H0_VM0")}, nil
}

func vmFolder(ctx context.Context) (*vim25.Client, *object.Folder, error) {
	c, f, err := simtest.Finder(ctx)
	if err != nil {
		return nil, nil, err
	}
	folder, err := f.Folder(ctx, "vm")
	return c, folder, err
}

func grant(ctx context.Context) (interface{}, error) {
	c, folder, err := vmFolder(ctx)
	if err != nil {
		return nil, err
	}
	m := object.NewAuthorizationManager(c)
	roles, err := m.RoleList(ctx) // permissions.set -role VmOperator looks the role up by name
	if err != nil {
		return nil, err
	}
	role := roles.ByName("VmOperator")
	perm := types.Permission{Principal: "Operators@vsphere.local", Group: true, RoleId: role.RoleId, Propagate: true}
	if err = m.SetEntityPermissions(ctx, folder.Reference(), []types.Permission{perm}); err != nil {
		return nil, err
	}
	perms, err := m.RetrieveEntityPermissions(ctx, folder.Reference(), false) // permissions.ls DC0/vm
	if err != nil {
		return nil, err
	}
	var listed [][]interface{}
	for _, p := range perms {
		listed = append(listed, []interface{}{p.Principal, p.Group, p.RoleId, p.Propagate})
	}
	return map[string]interface{}{"permissions": listed}, nil
}

func revoke(ctx context.Context) (interface{}, error) {
	c, folder, err := vmFolder(ctx)
	if err != nil {
		return nil, err
	}
	m := object.NewAuthorizationManager(c)
	err = m.RemoveEntityPermission(ctx, folder.Reference(), "VSPHERE.LOCAL\\Operators", true) // permissions.remove -group
	return map[string]interface{}{"removed": simtest.FaultName(err)}, nil
}

func restCalls(ctx context.Context) (interface{}, error) {
	c, err := simtest.RestClient(ctx)
	if err != nil {
		return nil, err
	}
	var vms []struct {
		Name string `json:"name"`
	}
	if err = c.Do(ctx, c.Resource("/api/vcenter/vm").Request("GET"), &vms); err != nil {
		return nil, err
	}
	var listed []string
	for _, vm := range vms {
		listed = append(listed, vm.Name)
	}
	sort.Strings(listed)
	power := c.Resource("/api/vcenter/vm/"+*hiddenVM+"/power").WithParam("action", "stop").Request("POST")
	powerErr := c.Do(ctx, power, nil)
	status := ""
	if powerErr != nil {
		status = powerErr.Error()
	}
	return map[string]interface{}{"listed": listed, "power": status}, nil
}
