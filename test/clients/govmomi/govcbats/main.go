// Command govcbats does through govmomi (Debian 0.24.2) what govc's own bats suite
// (govc/test/*.bats) does against vcsim where vcenter-sim once answered differently, and prints
// what it saw as JSON. Scenarios:
//
//	version  the API version the server publishes in vimServiceVersions.xml (govc -vim-version "")
//	login    a login and a call after it, over whatever scheme -url names: over plain HTTP the
//	         session cookie must come back from Go's cookie jar, which drops Secure cookies there
//	nics     vm.network.add: NICs added to DC0_H0_VM0 on a standard and a distributed portgroup, as
//	         govc device.ls names them (by PCI unit number) and device.info summarizes them
//	change   vm.change -latency high -nested-hv-enabled -vpmc-enabled -sync-time-with-host
//	         -cpu.shares high on DC0_H0_VM0, and the settings read back
//	option   option.ls vcsim.server.url: where vcsim says it serves, in vCenter's settings
//	esxdc    datacenter.create and object.destroy /ha-datacenter against an ESX host: the faults
package main

import (
	"context"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"simtest"
)

func main() {
	simtest.RunScenarios("govcbats", 2*time.Minute, map[string]simtest.Scenario{
		"version": version,
		"login":   login,
		"nics":    nics,
		"change":  change,
		"option":  option,
		"esxdc":   esxDatacenter,
	})
}

func version(ctx context.Context) (interface{}, error) {
	c, err := simtest.VimClient(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.UseServiceVersion(); err != nil {
		return nil, err
	}
	return map[string]string{"version": c.Version}, nil
}

// login reports the fault of the first call after the login ("" if none).
func login(ctx context.Context) (interface{}, error) {
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	var root mo.Folder
	err = c.RetrieveOne(ctx, c.ServiceContent.RootFolder, []string{"name"}, &root)
	return map[string]string{"fault": simtest.FaultName(err), "root": root.Name}, nil
}

func nics(ctx context.Context) (interface{}, error) {
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	finder := find.NewFinder(c.Client, true)
	vm, err := finder.VirtualMachine(ctx, "/DC0/vm/DC0_H0_VM0")
	if err != nil {
		return nil, err
	}
	for _, add := range []struct{ network, adapter string }{{"/DC0/network/VM Network", "vmxnet3"}, {"/DC0/network/DC0_DVPG0", "e1000e"}} {
		if err := addNic(ctx, finder, vm, add.network, add.adapter); err != nil {
			return nil, err
		}
	}
	devices, err := vm.Device(ctx)
	if err != nil {
		return nil, err
	}
	var listed [][]interface{}
	for _, d := range devices.SelectByType((*types.VirtualEthernetCard)(nil)) {
		v := d.GetVirtualDevice()
		listed = append(listed, []interface{}{devices.Name(d), devices.TypeName(d), v.DeviceInfo.GetDescription().Summary, v.ControllerKey})
	}
	var dvs mo.DistributedVirtualSwitch
	dvsRef, err := finder.Network(ctx, "/DC0/network/DVS0")
	if err != nil {
		return nil, err
	}
	if err := c.RetrieveOne(ctx, dvsRef.Reference(), []string{"uuid"}, &dvs); err != nil {
		return nil, err
	}
	return map[string]interface{}{"nics": listed, "dvsUuid": dvs.Uuid}, nil
}

// addNic is govc vm.network.add -net network -net.adapter adapter.
func addNic(ctx context.Context, finder *find.Finder, vm *object.VirtualMachine, network, adapter string) error {
	net, err := finder.Network(ctx, network)
	if err != nil {
		return err
	}
	backing, err := net.EthernetCardBackingInfo(ctx)
	if err != nil {
		return err
	}
	card, err := object.EthernetCardTypes().CreateEthernetCard(adapter, backing)
	if err != nil {
		return err
	}
	return vm.AddDevice(ctx, card)
}

func change(ctx context.Context) (interface{}, error) {
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	vm, err := find.NewFinder(c.Client, true).VirtualMachine(ctx, "/DC0/vm/DC0_H0_VM0")
	if err != nil {
		return nil, err
	}
	yes := types.NewBool(true)
	spec := types.VirtualMachineConfigSpec{
		LatencySensitivity: &types.LatencySensitivity{Level: types.LatencySensitivitySensitivityLevelHigh},
		NestedHVEnabled:    yes,
		VPMCEnabled:        yes,
		Tools:              &types.ToolsConfigInfo{SyncTimeWithHost: yes},
		CpuAllocation:      &types.ResourceAllocationInfo{Shares: &types.SharesInfo{Level: types.SharesLevelHigh}},
	}
	task, err := vm.Reconfigure(ctx, spec)
	if err != nil {
		return nil, err
	}
	if err := task.Wait(ctx); err != nil {
		return nil, err
	}
	var got mo.VirtualMachine
	if err := c.RetrieveOne(ctx, vm.Reference(), []string{"config"}, &got); err != nil {
		return nil, err
	}
	cfg := got.Config
	return map[string]interface{}{
		"latency": cfg.LatencySensitivity.Level, "nestedHV": *cfg.NestedHVEnabled, "vPMC": *cfg.VPMCEnabled,
		"syncTime": *cfg.Tools.SyncTimeWithHost, "toolsVersion": cfg.Tools.ToolsVersion,
		"cpuShares": cfg.CpuAllocation.Shares.Level, "cpuLimit": *cfg.CpuAllocation.Limit,
	}, nil
}

func option(ctx context.Context) (interface{}, error) {
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	settings, err := object.NewOptionManager(c.Client, *c.ServiceContent.Setting).Query(ctx, "vcsim.server.url")
	if err != nil {
		return nil, err
	}
	var values []interface{}
	for _, s := range settings {
		values = append(values, s.GetOptionValue().Value)
	}
	return map[string]interface{}{"url": values}, nil
}

func esxDatacenter(ctx context.Context) (interface{}, error) {
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	_, createErr := object.NewRootFolder(c.Client).CreateDatacenter(ctx, "something")
	dc, err := find.NewFinder(c.Client, false).Datacenter(ctx, "/ha-datacenter")
	if err != nil {
		return nil, err
	}
	task, destroyErr := dc.Destroy(ctx)
	if destroyErr == nil {
		destroyErr = task.Wait(ctx)
	}
	return map[string]string{"create": simtest.FaultName(createErr), "destroy": simtest.FaultName(destroyErr)}, nil
}
