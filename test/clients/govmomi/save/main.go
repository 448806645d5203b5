// Command save writes a simulator's inventory to a directory the way `govc object.save` does, and
// reads an inventory back for comparison, through the govmomi library (Debian
// golang-github-vmware-govmomi-dev 0.24.2). Scenarios:
//
//	save -url URL -user U -password P -dir DIR save      one NNNN-<Type>-<moid>.xml per object
//	save -url URL -user U -password P list               VMs, hosts, datastores, ... with properties
//	save -url URL -user U -password P -vm NAME poweron   powers the VM off if it is on, then on
//	save -url URL -user U -password P -ref T:V configtarget   EnvironmentBrowser.QueryConfigTarget
//
// The save scenario follows govc object.save: the ServiceInstance's content first, then every
// object of the service content and of a recursive container view of the root folder (with the
// environment browsers, datastore browsers and host managers they point at), all properties, each
// types.ObjectContent encoded with govmomi's vim25/xml encoder, indented, in its own file; and, as
// govc, the responses of FetchDVPorts, QueryConfigOption, QueryConfigTarget, QueryTargetCapabilities
// and QueryNetworkHint in a sub-directory named by the object's moref (a method the server answers
// with MethodNotFound is listed in the result as "unanswered", where govc would stop).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
	"github.com/vmware/govmomi/vim25/xml"

	"simtest"
)

var (
	dir     = flag.String("dir", "", "directory to save to (save)")
	vmName  = flag.String("vm", "", "VM to power on (poweron)")
	refFlag = flag.String("ref", "", "EnvironmentBrowser moref as Type:value (configtarget)")
)

func main() {
	simtest.RunScenarios("save", 2*time.Minute, map[string]simtest.Scenario{
		"save":         save,
		"list":         list,
		"poweron":      powerOn,
		"configtarget": configTarget,
	})
}

// write encodes data into dir/name.xml as govc does: vim25/xml, two-space indent.
func write(name string, data interface{}) error {
	f, err := os.Create(filepath.Join(*dir, name) + ".xml")
	if err != nil {
		return err
	}
	e := xml.NewEncoder(f)
	e.Indent("", "  ")
	if err = e.Encode(data); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

func save(ctx context.Context) (interface{}, error) {
	if *dir == "" {
		return nil, fmt.Errorf("save needs -dir")
	}
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Logout(ctx)
	if err := os.MkdirAll(*dir, 0755); err != nil {
		return nil, err
	}
	n := 0
	summary := map[string]int{}
	var unanswered []string
	saveAll := func(content []types.ObjectContent) error {
		for _, x := range content {
			x.MissingSet = nil
			summary[x.Obj.Type]++
			if err := write(fmt.Sprintf("%04d-%s", n, x.Obj.Encode()), x); err != nil {
				return err
			}
			n++
			missing, err := saveMethods(ctx, c.Client, x.Obj)
			if err != nil {
				return err
			}
			unanswered = append(unanswered, missing...)
		}
		return nil
	}

	pc := property.DefaultCollector(c.Client)
	var content []types.ObjectContent
	if err := pc.RetrieveOne(ctx, vim25.ServiceInstance, []string{"content"}, &content); err != nil {
		return nil, err
	}
	if err := saveAll(content); err != nil {
		return nil, err
	}

	req := types.RetrievePropertiesEx{This: pc.Reference(), Options: types.RetrieveOptions{MaxObjects: 10}}
	for _, p := range content[0].PropSet {
		sc, ok := p.Val.(types.ServiceContent)
		if !ok {
			continue
		}
		for _, ref := range mo.References(sc) {
			all := types.NewBool(true)
			switch ref.Type {
			case "LicenseManager", "ServiceManager":
				all = nil
			}
			req.SpecSet = append(req.SpecSet, types.PropertyFilterSpec{
				ObjectSet: []types.ObjectSpec{{Obj: ref}},
				PropSet:   []types.PropertySpec{{Type: ref.Type, All: all}},
			})
		}
	}

	v, err := view.NewManager(c.Client).CreateContainerView(ctx, c.ServiceContent.RootFolder, nil, true)
	if err != nil {
		return nil, err
	}
	defer func() { _ = v.Destroy(ctx) }()

	all := types.NewBool(true)
	traverse := func(name, kind, path string) types.BaseSelectionSpec {
		return &types.TraversalSpec{SelectionSpec: types.SelectionSpec{Name: name}, Type: kind, Path: path}
	}
	names := []string{"computeTraversalSpec", "datastoreTraversalSpec", "hostDatastoreSystemTraversalSpec",
		"hostNetworkSystemTraversalSpec", "hostVirtualNicManagerTraversalSpec", "hostCertificateManagerTraversalSpec", "entityTraversalSpec"}
	var selectNames []types.BaseSelectionSpec
	for _, name := range names {
		selectNames = append(selectNames, &types.SelectionSpec{Name: name})
	}
	req.SpecSet = append(req.SpecSet, types.PropertyFilterSpec{
		ObjectSet: []types.ObjectSpec{{
			Obj:  v.Reference(),
			Skip: types.NewBool(false),
			SelectSet: []types.BaseSelectionSpec{
				&types.TraversalSpec{Type: v.Reference().Type, Path: "view", SelectSet: selectNames},
				traverse("computeTraversalSpec", "ComputeResource", "environmentBrowser"),
				traverse("datastoreTraversalSpec", "Datastore", "browser"),
				traverse("hostNetworkSystemTraversalSpec", "HostSystem", "configManager.networkSystem"),
				traverse("hostVirtualNicManagerTraversalSpec", "HostSystem", "configManager.virtualNicManager"),
				traverse("hostCertificateManagerTraversalSpec", "HostSystem", "configManager.certificateManager"),
				traverse("hostDatastoreSystemTraversalSpec", "HostSystem", "configManager.datastoreSystem"),
				traverse("entityTraversalSpec", "ManagedEntity", "recentTask"),
			},
		}},
		PropSet: []types.PropertySpec{
			{Type: "EnvironmentBrowser", All: all},
			{Type: "HostDatastoreBrowser", All: all},
			{Type: "HostDatastoreSystem", All: all},
			{Type: "HostNetworkSystem", All: all},
			{Type: "HostVirtualNicManager", All: all},
			{Type: "HostCertificateManager", All: all},
			{Type: "ManagedEntity", All: all},
			{Type: "Task", All: all},
		},
	})

	res, err := methods.RetrievePropertiesEx(ctx, c.Client, &req)
	if err != nil {
		return nil, err
	}
	if res.Returnval == nil {
		return nil, fmt.Errorf("RetrievePropertiesEx returned nothing")
	}
	if err := saveAll(res.Returnval.Objects); err != nil {
		return nil, err
	}
	for token := res.Returnval.Token; token != ""; {
		cres, err := methods.ContinueRetrievePropertiesEx(ctx, c.Client, &types.ContinueRetrievePropertiesEx{This: req.This, Token: token})
		if err != nil {
			return nil, err
		}
		token = cres.Returnval.Token
		if err := saveAll(cres.Returnval.Objects); err != nil {
			return nil, err
		}
	}
	return map[string]interface{}{"objects": n, "types": summary, "unanswered": unanswered}, nil
}

// savedMethods are the methods govc object.save calls to save what the PropertyCollector does not
// give, by object type; their responses go into a sub-directory named by the object's moref.
var savedMethods = map[string][]string{
	"VmwareDistributedVirtualSwitch": {"FetchDVPorts"},
	"EnvironmentBrowser":             {"QueryConfigOption", "QueryConfigTarget", "QueryTargetCapabilities"},
	"HostNetworkSystem":              {"QueryNetworkHint"},
}

func call(ctx context.Context, c *vim25.Client, method string, ref types.ManagedObjectReference) (interface{}, error) {
	switch method {
	case "FetchDVPorts":
		return methods.FetchDVPorts(ctx, c, &types.FetchDVPorts{This: ref})
	case "QueryConfigOption":
		return methods.QueryConfigOption(ctx, c, &types.QueryConfigOption{This: ref})
	case "QueryConfigTarget":
		return methods.QueryConfigTarget(ctx, c, &types.QueryConfigTarget{This: ref})
	case "QueryTargetCapabilities":
		return methods.QueryTargetCapabilities(ctx, c, &types.QueryTargetCapabilities{This: ref})
	default:
		return methods.QueryNetworkHint(ctx, c, &types.QueryNetworkHint{This: ref})
	}
}

// saveMethods saves ref's method responses as govc does. A method the server does not implement
// (MethodNotFound) is left out and named in the result, where govc would stop with its error.
func saveMethods(ctx context.Context, c *vim25.Client, ref types.ManagedObjectReference) ([]string, error) {
	var missing []string
	for _, method := range savedMethods[ref.Type] {
		res, err := call(ctx, c, method, ref)
		if err != nil {
			if soap.IsSoapFault(err) {
				switch soap.ToSoapFault(err).VimFault().(type) {
				case types.MethodNotFound:
					missing = append(missing, ref.Type+"."+method)
					continue
				case types.HostNotConnected:
					continue
				}
			}
			return nil, err
		}
		if err := os.MkdirAll(filepath.Join(*dir, ref.Encode()), 0755); err != nil {
			return nil, err
		}
		if err := write(filepath.Join(ref.Encode(), method), res); err != nil {
			return nil, err
		}
	}
	return missing, nil
}

// configTarget is EnvironmentBrowser.QueryConfigTarget on -ref (Type:value).
func configTarget(ctx context.Context) (interface{}, error) {
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Logout(ctx)
	var ref types.ManagedObjectReference
	if !ref.FromString(*refFlag) {
		return nil, fmt.Errorf("-ref %q is not Type:value", *refFlag)
	}
	res, err := methods.QueryConfigTarget(ctx, c.Client, &types.QueryConfigTarget{This: ref})
	if err != nil {
		return nil, err
	}
	return res.Returnval, nil
}

// item is one object of the listing: its moref, inventory path and a few properties.
type item struct {
	Ref   string                 `json:"ref"`
	Name  string                 `json:"name"`
	Path  string                 `json:"path,omitempty"`
	Props map[string]interface{} `json:"props"`
}

var listed = map[string][]string{
	"VirtualMachine":         {"name", "parent", "resourcePool", "runtime.powerState", "runtime.host", "config.uuid", "config.hardware.numCPU", "config.hardware.memoryMB", "summary.config.name", "datastore", "network"},
	"HostSystem":             {"name", "parent", "runtime.connectionState", "summary.hardware.numCpuCores", "datastore", "vm"},
	"Datastore":              {"name", "parent", "summary.capacity", "summary.freeSpace", "summary.type", "host"},
	"Network":                {"name", "parent"},
	"ClusterComputeResource": {"name", "parent", "host", "resourcePool"},
	"ComputeResource":        {"name", "parent", "host"},
	"Datacenter":             {"name", "parent", "vmFolder", "hostFolder", "datastoreFolder", "networkFolder"},
	"Folder":                 {"name", "parent", "childEntity", "childType"},
	"ResourcePool":           {"name", "parent", "vm", "resourcePool"},
}

func list(ctx context.Context) (interface{}, error) {
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Logout(ctx)
	v, err := view.NewManager(c.Client).CreateContainerView(ctx, c.ServiceContent.RootFolder, nil, true)
	if err != nil {
		return nil, err
	}
	defer func() { _ = v.Destroy(ctx) }()

	out := map[string][]item{}
	for kind, props := range listed {
		var content []types.ObjectContent
		err := v.Retrieve(ctx, []string{kind}, props, &content)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", kind, err)
		}
		for _, oc := range content {
			if oc.Obj.Type != kind { // Retrieve by a base type (ComputeResource) brings derived ones too
				continue
			}
			it := item{Ref: oc.Obj.Encode(), Props: map[string]interface{}{}}
			for _, p := range oc.PropSet {
				it.Props[p.Name] = p.Val
				if p.Name == "name" {
					it.Name = p.Val.(string)
				}
			}
			if path, err := find.InventoryPath(ctx, c.Client, oc.Obj); err == nil {
				it.Path = path
			}
			out[kind] = append(out[kind], it)
		}
		sort.Slice(out[kind], func(i, j int) bool { return out[kind][i].Ref < out[kind][j].Ref })
	}

	// The finder walks the tree by inventory path, as govc does.
	finder := find.NewFinder(c.Client, true)
	var paths []string
	dcs, err := finder.DatacenterList(ctx, "*")
	if err != nil {
		return nil, err
	}
	for _, dc := range dcs {
		finder.SetDatacenter(dc)
		vms, err := finder.VirtualMachineList(ctx, "*")
		if err != nil {
			return nil, err
		}
		for _, vm := range vms {
			paths = append(paths, vm.InventoryPath)
		}
		hosts, err := finder.HostSystemList(ctx, "*/*")
		if err != nil {
			return nil, err
		}
		for _, h := range hosts {
			paths = append(paths, h.InventoryPath)
		}
	}
	sort.Strings(paths)
	return map[string]interface{}{"objects": out, "finderPaths": paths, "about": c.ServiceContent.About}, nil
}

func powerOn(ctx context.Context) (interface{}, error) {
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Logout(ctx)
	finder := find.NewFinder(c.Client, true)
	dc, err := finder.DefaultDatacenter(ctx)
	if err != nil {
		return nil, err
	}
	finder.SetDatacenter(dc)
	vm, err := finder.VirtualMachine(ctx, *vmName)
	if err != nil {
		return nil, err
	}
	before, err := vm.PowerState(ctx)
	if err != nil {
		return nil, err
	}
	if before == types.VirtualMachinePowerStatePoweredOn {
		task, err := vm.PowerOff(ctx)
		if err != nil {
			return nil, err
		}
		if err := task.Wait(ctx); err != nil {
			return nil, err
		}
	}
	off, err := vm.PowerState(ctx)
	if err != nil {
		return nil, err
	}
	task, err := vm.PowerOn(ctx)
	if err != nil {
		return nil, err
	}
	info, err := task.WaitForResult(ctx, nil)
	if err != nil {
		return nil, err
	}
	after, err := vm.PowerState(ctx)
	if err != nil {
		return nil, err
	}
	var props mo.VirtualMachine
	if err := vm.Properties(ctx, vm.Reference(), []string{"summary.runtime.powerState"}, &props); err != nil {
		return nil, err
	}
	return map[string]interface{}{
		"before": before, "off": off, "after": after, "task": info.State, "summaryPowerState": props.Summary.Runtime.PowerState,
	}, nil
}
