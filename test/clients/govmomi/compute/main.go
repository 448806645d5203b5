// Command compute does with the govmomi library (Debian golang-github-vmware-govmomi-dev 0.24.2)
// what govc's compute commands do against vcenter-sim, call for call: cluster.create,
// cluster.change, cluster.group.create, cluster.rule.create, cluster.add (retrying with the
// thumbprint an SSLVerifyFault names, as govc's -noverify does), host.add, host.maintenance.enter
// and exit, vm.create into a cluster (QueryConfigOption, PlaceVm, CreateVM_Task) and object.destroy.
// It prints one JSON document and exits 0; unexpected errors exit 1.
//
//	compute -url https://127.0.0.1:PORT/sdk -user U -password P
package main

import (
	"context"
	"fmt"
	"reflect"
	"simtest"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

func main() {
	simtest.Run("compute", 120*time.Second, run)
}

type out map[string]interface{}

func run(ctx context.Context) (interface{}, error) {
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Logout(ctx)
	finder := find.NewFinder(c.Client, true)
	dc, err := finder.Datacenter(ctx, "DC0")
	if err != nil {
		return nil, err
	}
	finder.SetDatacenter(dc)
	folders, err := dc.Folders(ctx)
	if err != nil {
		return nil, err
	}
	result := out{}
	steps := []struct {
		name string
		fn   func() (interface{}, error)
	}{
		{"cluster", func() (interface{}, error) { return cluster(ctx, c.Client, folders) }},
		{"hostAdd", func() (interface{}, error) { return hostAdd(ctx, c.Client, folders) }},
		{"maintenance", func() (interface{}, error) { return maintenance(ctx, c.Client, finder) }},
		{"vmCreate", func() (interface{}, error) { return vmCreate(ctx, c.Client, finder, folders) }},
		{"destroy", func() (interface{}, error) { return destroy(ctx, c.Client, finder, folders) }},
	}
	for _, step := range steps {
		value, err := step.fn()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", step.name, err)
		}
		result[step.name] = value
	}
	return result, nil
}

// cluster: govc cluster.create, cluster.change -drs-enabled -drs-mode -ha-enabled, cluster.group.create
// -vm and -host, cluster.rule.create -enable -anti-affinity and -vm-host, read back with Configuration.
func cluster(ctx context.Context, c *vim25.Client, folders *object.DatacenterFolders) (interface{}, error) {
	cl, err := folders.HostFolder.CreateCluster(ctx, "gcluster", types.ClusterConfigSpecEx{})
	if err != nil {
		return nil, err
	}
	enabled := true
	change := &types.ClusterConfigSpecEx{
		DrsConfig:  &types.ClusterDrsConfigInfo{Enabled: &enabled, DefaultVmBehavior: types.DrsBehaviorPartiallyAutomated},
		DasConfig:  &types.ClusterDasConfigInfo{Enabled: &enabled, HostMonitoring: string(types.ClusterDasConfigInfoServiceStateEnabled)},
		VsanConfig: &types.VsanClusterConfigInfo{Enabled: &enabled},
	}
	if err := done(ctx)(cl.Reconfigure(ctx, change, true)); err != nil {
		return nil, err
	}
	// Move a standalone host in so the groups have members (govc cluster.mv).
	finder := find.NewFinder(c, true)
	host, err := finder.HostSystem(ctx, "/DC0/host/DC0_H0/DC0_H0")
	if err != nil {
		return nil, err
	}
	if err := done(ctx)(cl.MoveInto(ctx, host)); err != nil {
		return nil, err
	}
	vm, err := finder.VirtualMachine(ctx, "/DC0/vm/DC0_H0_VM0")
	if err != nil {
		return nil, err
	}
	groups := &types.ClusterConfigSpecEx{GroupSpec: []types.ClusterGroupSpec{
		{ArrayUpdateSpec: types.ArrayUpdateSpec{Operation: types.ArrayUpdateOperationAdd}, Info: &types.ClusterVmGroup{ClusterGroupInfo: types.ClusterGroupInfo{Name: "vms"}, Vm: []types.ManagedObjectReference{vm.Reference()}}},
		{ArrayUpdateSpec: types.ArrayUpdateSpec{Operation: types.ArrayUpdateOperationAdd}, Info: &types.ClusterHostGroup{ClusterGroupInfo: types.ClusterGroupInfo{Name: "hosts"}, Host: []types.ManagedObjectReference{host.Reference()}}},
	}}
	if err := done(ctx)(cl.Reconfigure(ctx, groups, true)); err != nil {
		return nil, err
	}
	rules := &types.ClusterConfigSpecEx{RulesSpec: []types.ClusterRuleSpec{
		{ArrayUpdateSpec: types.ArrayUpdateSpec{Operation: types.ArrayUpdateOperationAdd}, Info: &types.ClusterAntiAffinityRuleSpec{ClusterRuleInfo: types.ClusterRuleInfo{Name: "apart", Enabled: &enabled}, Vm: []types.ManagedObjectReference{vm.Reference()}}},
		{ArrayUpdateSpec: types.ArrayUpdateSpec{Operation: types.ArrayUpdateOperationAdd}, Info: &types.ClusterVmHostRuleInfo{ClusterRuleInfo: types.ClusterRuleInfo{Name: "pin", Enabled: &enabled, Mandatory: &enabled}, VmGroupName: "vms", AffineHostGroupName: "hosts"}},
	}}
	if err := done(ctx)(cl.Reconfigure(ctx, rules, true)); err != nil {
		return nil, err
	}
	badRule := &types.ClusterConfigSpecEx{RulesSpec: []types.ClusterRuleSpec{
		{ArrayUpdateSpec: types.ArrayUpdateSpec{Operation: types.ArrayUpdateOperationRemove, RemoveKey: int32(99)}},
	}}
	badFault := simtest.FaultName(done(ctx)(cl.Reconfigure(ctx, badRule, true)))
	config, err := cl.Configuration(ctx)
	if err != nil {
		return nil, err
	}
	var ruleNames, groupNames []string
	for _, r := range config.Rule {
		info := r.GetClusterRuleInfo()
		ruleNames = append(ruleNames, fmt.Sprintf("%s:%s:%d", reflect.TypeOf(r).Elem().Name(), info.Name, info.Key))
	}
	for _, g := range config.Group {
		groupNames = append(groupNames, fmt.Sprintf("%s:%s", reflect.TypeOf(g).Elem().Name(), g.GetClusterGroupInfo().Name))
	}
	var summary mo.ClusterComputeResource
	if err := property.DefaultCollector(c).RetrieveOne(ctx, cl.Reference(), []string{"summary", "host"}, &summary); err != nil {
		return nil, err
	}
	s := summary.Summary.GetComputeResourceSummary()
	return out{
		"drs":            out{"enabled": *config.DrsConfig.Enabled, "behavior": string(config.DrsConfig.DefaultVmBehavior)},
		"ha":             *config.DasConfig.Enabled,
		"vsan":           *config.VsanConfigInfo.Enabled,
		"rules":          ruleNames,
		"groups":         groupNames,
		"badRule":        badFault,
		"numHosts":       s.NumHosts,
		"totalCpu":       s.TotalCpu,
		"hostsInCluster": len(summary.Host),
	}, nil
}

// hostAdd: govc cluster.add and host.add -noverify: a wrong thumbprint fails with SSLVerifyFault,
// whose thumbprint govc takes to try again.
func hostAdd(ctx context.Context, c *vim25.Client, folders *object.DatacenterFolders) (interface{}, error) {
	finder := find.NewFinder(c, true)
	cl, err := finder.ClusterComputeResource(ctx, "/DC0/host/DC0_C0")
	if err != nil {
		return nil, err
	}
	spec := types.HostConnectSpec{HostName: "esx-added", UserName: "root", Password: "secret", SslThumbprint: "00:11", Force: true}
	add := func() error {
		t, err := cl.AddHost(ctx, spec, true, nil, nil)
		if err != nil {
			return err
		}
		return t.Wait(ctx)
	}
	first := add()
	verify := simtest.FaultName(first)
	if te, ok := first.(task.Error); ok {
		if f, ok := te.Fault().(*types.SSLVerifyFault); ok {
			spec.SslThumbprint = f.Thumbprint
		}
	}
	if err := add(); err != nil {
		return nil, err
	}
	again := simtest.FaultName(add())
	standalone := types.HostConnectSpec{HostName: "esx-solo", UserName: "root", Password: "secret", Force: true}
	t, err := folders.HostFolder.AddStandaloneHost(ctx, standalone, true, nil, nil)
	if err != nil {
		return nil, err
	}
	info, err := t.WaitForResult(ctx, nil)
	if err != nil {
		return nil, err
	}
	crRef := info.Result.(types.ManagedObjectReference)
	var cr mo.ComputeResource
	if err := property.DefaultCollector(c).RetrieveOne(ctx, crRef, []string{"name", "host", "summary"}, &cr); err != nil {
		return nil, err
	}
	added, err := finder.HostSystem(ctx, "/DC0/host/DC0_C0/esx-added")
	if err != nil {
		return nil, err
	}
	var h mo.HostSystem
	if err := property.DefaultCollector(c).RetrieveOne(ctx, added.Reference(), []string{"hardware", "summary", "datastore", "runtime"}, &h); err != nil {
		return nil, err
	}
	return out{
		"verifyFault":     verify,
		"alreadyFault":    again,
		"addedCpuPkgs":    len(h.Hardware.CpuPkg),
		"addedNuma":       h.Hardware.NumaInfo.NumNodes,
		"addedDatastores": len(h.Datastore),
		"addedState":      string(h.Runtime.ConnectionState),
		"standaloneType":  crRef.Type,
		"standaloneName":  cr.Name,
		"standaloneHosts": len(cr.Host),
	}, nil
}

// maintenance: govc host.maintenance.enter and exit on a host of the fully automated DRS cluster:
// its running VMs move to the other hosts.
func maintenance(ctx context.Context, c *vim25.Client, finder *find.Finder) (interface{}, error) {
	host, err := finder.HostSystem(ctx, "/DC0/host/DC0_C0/DC0_C0_H1")
	if err != nil {
		return nil, err
	}
	if err := done(ctx)(host.EnterMaintenanceMode(ctx, 0, false, nil)); err != nil {
		return nil, err
	}
	var h mo.HostSystem
	if err := property.DefaultCollector(c).RetrieveOne(ctx, host.Reference(), []string{"runtime", "vm"}, &h); err != nil {
		return nil, err
	}
	running := 0
	for _, ref := range h.Vm {
		var vm mo.VirtualMachine
		if err := property.DefaultCollector(c).RetrieveOne(ctx, ref, []string{"runtime.powerState"}, &vm); err != nil {
			return nil, err
		}
		if vm.Runtime.PowerState == types.VirtualMachinePowerStatePoweredOn {
			running++
		}
	}
	inMaintenance := h.Runtime.InMaintenanceMode
	again := simtest.FaultName(done(ctx)(host.EnterMaintenanceMode(ctx, 0, false, nil)))
	if err := done(ctx)(host.ExitMaintenanceMode(ctx, 0)); err != nil {
		return nil, err
	}
	if err := property.DefaultCollector(c).RetrieveOne(ctx, host.Reference(), []string{"runtime"}, &h); err != nil {
		return nil, err
	}
	return out{"entered": inMaintenance, "runningLeft": running, "enterAgain": again, "exited": !h.Runtime.InMaintenanceMode}, nil
}

// vmCreate: govc vm.create -cluster: the environment browser's default config option, PlaceVm for
// the host and datastore, CreateVM_Task in the VM folder with the cluster's pool.
func vmCreate(ctx context.Context, c *vim25.Client, finder *find.Finder, folders *object.DatacenterFolders) (interface{}, error) {
	cl, err := finder.ClusterComputeResource(ctx, "/DC0/host/DC0_C0")
	if err != nil {
		return nil, err
	}
	var cr mo.ClusterComputeResource
	if err := property.DefaultCollector(c).RetrieveOne(ctx, cl.Reference(), []string{"environmentBrowser", "resourcePool"}, &cr); err != nil {
		return nil, err
	}
	option, err := methods.QueryConfigOption(ctx, c, &types.QueryConfigOption{This: *cr.EnvironmentBrowser})
	if err != nil {
		return nil, err
	}
	spec := types.VirtualMachineConfigSpec{Name: "gvm", GuestId: "otherGuest64", NumCPUs: 1, MemoryMB: 64, Version: option.Returnval.Version}
	placement, err := cl.PlaceVm(ctx, types.PlacementSpec{PlacementType: string(types.PlacementSpecPlacementTypeCreate), ConfigSpec: &spec})
	if err != nil {
		return nil, err
	}
	action := placement.Recommendations[0].Action[0].(*types.PlacementAction)
	ds := object.NewDatastore(c, *action.RelocateSpec.Datastore)
	name, err := ds.ObjectName(ctx)
	if err != nil {
		return nil, err
	}
	spec.Files = &types.VirtualMachineFileInfo{VmPathName: fmt.Sprintf("[%s]", name)}
	pool := object.NewResourcePool(c, *cr.ResourcePool)
	host := object.NewHostSystem(c, *action.TargetHost)
	t, err := folders.VmFolder.CreateVM(ctx, spec, pool, host)
	if err != nil {
		return nil, err
	}
	info, err := t.WaitForResult(ctx, nil)
	if err != nil {
		return nil, err
	}
	vm := object.NewVirtualMachine(c, info.Result.(types.ManagedObjectReference))
	var props mo.VirtualMachine
	if err := property.DefaultCollector(c).RetrieveOne(ctx, vm.Reference(), []string{"config.version", "runtime.host"}, &props); err != nil {
		return nil, err
	}
	return out{
		"optionVersion":  option.Returnval.Version,
		"defaultDevices": len(option.Returnval.DefaultDevice),
		"version":        props.Config.Version,
		"placedHost":     props.Runtime.Host.Value == action.TargetHost.Value,
	}, nil
}

// destroy: govc object.destroy on a datastore in use, a cluster with hosts not in maintenance
// mode, then the emptied cluster and a folder with a VM in it.
func destroy(ctx context.Context, c *vim25.Client, finder *find.Finder, folders *object.DatacenterFolders) (interface{}, error) {
	ds, err := finder.Datastore(ctx, "LocalDS_0")
	if err != nil {
		return nil, err
	}
	dsFault := simtest.FaultName(done(ctx)(ds.Destroy(ctx)))
	cl, err := finder.ClusterComputeResource(ctx, "/DC0/host/gcluster")
	if err != nil {
		return nil, err
	}
	clusterFault := simtest.FaultName(done(ctx)(cl.Destroy(ctx)))
	hosts, err := cl.Hosts(ctx)
	if err != nil {
		return nil, err
	}
	for _, h := range hosts {
		var vms mo.HostSystem
		if err := property.DefaultCollector(c).RetrieveOne(ctx, h.Reference(), []string{"vm"}, &vms); err != nil {
			return nil, err
		}
		for _, ref := range vms.Vm {
			vm := object.NewVirtualMachine(c, ref)
			if state, _ := vm.PowerState(ctx); state == types.VirtualMachinePowerStatePoweredOn {
				if err := done(ctx)(vm.PowerOff(ctx)); err != nil {
					return nil, err
				}
			}
		}
		if err := done(ctx)(h.EnterMaintenanceMode(ctx, 0, false, nil)); err != nil {
			return nil, err
		}
	}
	if err := done(ctx)(cl.Destroy(ctx)); err != nil {
		return nil, err
	}
	_, lookup := finder.ClusterComputeResource(ctx, "/DC0/host/gcluster")
	folder, err := folders.VmFolder.CreateFolder(ctx, "gone")
	if err != nil {
		return nil, err
	}
	vm, err := finder.VirtualMachine(ctx, "/DC0/vm/gvm")
	if err != nil {
		return nil, err
	}
	if err := done(ctx)(folder.MoveInto(ctx, []types.ManagedObjectReference{vm.Reference()})); err != nil {
		return nil, err
	}
	if err := done(ctx)(folder.Destroy(ctx)); err != nil {
		return nil, err
	}
	_, vmLookup := finder.VirtualMachine(ctx, "/DC0/vm/gone/gvm")
	return out{
		"datastoreInUse":  dsFault,
		"clusterNotReady": clusterFault,
		"clusterGone":     lookup != nil,
		"folderVmGone":    vmLookup != nil,
	}, nil
}

// done waits for the task a call started: done(ctx)(host.ExitMaintenanceMode(ctx, 0)).
func done(ctx context.Context) func(*object.Task, error) error {
	return func(t *object.Task, err error) error {
		if err != nil {
			return err
		}
		return t.Wait(ctx)
	}
}
