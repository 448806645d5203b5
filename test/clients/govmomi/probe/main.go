// Command probe drives the govmomi library (Debian golang-github-vmware-govmomi-dev 0.24.2)
// against vcenter-sim, one scenario per run:
//
//	probe -url https://127.0.0.1:PORT/sdk -user U -password P SCENARIO
//
// Each scenario prints one JSON document as its last stdout line and exits 0. Unexpected errors
// go to stderr with exit code 1; faults a scenario expects are reported in the JSON.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path"
	"reflect"
	"simtest"
	"sort"
	"sync/atomic"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/session/keepalive"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	interval = flag.Duration("interval", 250*time.Millisecond, "keep-alive interval")
	wait     = flag.Duration("wait", 2*time.Second, "how long the keep-alive scenario stays idle")
)

func main() {
	simtest.RunScenarios("probe", 90*time.Second, map[string]simtest.Scenario{
		"finder":    finder,
		"retrieve":  retrieve,
		"view":      containerView,
		"keepalive": keepAlive,
		"logout":    logout,
		"badlogin":  badLogin,
	})
}

func typeName(v interface{}) string {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Ptr {
		t = t.Elem()
	}
	return t.Name()
}

func sorted(names []string) []string {
	sort.Strings(names)
	return names
}

// ------------------------------------------------------------------------------------ scenarios

func finder(ctx context.Context) (interface{}, error) {
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Logout(ctx)
	f := find.NewFinder(c.Client, true)
	out := map[string]interface{}{}

	dcs, err := f.DatacenterList(ctx, "*")
	if err != nil {
		return nil, fmt.Errorf("DatacenterList: %w", err)
	}
	var names, paths []string
	for _, dc := range dcs {
		names = append(names, dc.Name())
		paths = append(paths, dc.InventoryPath)
	}
	out["datacenters"] = sorted(names)
	out["datacenterPaths"] = sorted(paths)

	dc, err := f.DefaultDatacenter(ctx)
	if err != nil {
		return nil, fmt.Errorf("DefaultDatacenter: %w", err)
	}
	f.SetDatacenter(dc)

	clusters, err := f.ClusterComputeResourceList(ctx, "*")
	if err != nil {
		return nil, fmt.Errorf("ClusterComputeResourceList: %w", err)
	}
	names, paths = nil, nil
	for _, c := range clusters {
		names = append(names, c.Name())
		paths = append(paths, c.InventoryPath)
	}
	out["clusters"] = sorted(names)
	out["clusterPaths"] = sorted(paths)

	hosts, err := f.HostSystemList(ctx, "*/*")
	if err != nil {
		return nil, fmt.Errorf("HostSystemList: %w", err)
	}
	names, paths = nil, nil
	for _, h := range hosts {
		names = append(names, h.Name())
		paths = append(paths, h.InventoryPath)
	}
	out["hosts"] = sorted(names)
	out["hostPaths"] = sorted(paths)

	vms, err := f.VirtualMachineList(ctx, "*")
	if err != nil {
		return nil, fmt.Errorf("VirtualMachineList: %w", err)
	}
	names, paths = nil, nil
	for _, vm := range vms {
		names = append(names, vm.Name())
		paths = append(paths, vm.InventoryPath)
	}
	out["vms"] = sorted(names)
	out["vmPaths"] = sorted(paths)

	dss, err := f.DatastoreList(ctx, "*")
	if err != nil {
		return nil, fmt.Errorf("DatastoreList: %w", err)
	}
	names = nil
	for _, ds := range dss {
		names = append(names, ds.Name())
	}
	out["datastores"] = sorted(names)

	nets, err := f.NetworkList(ctx, "*")
	if err != nil {
		return nil, fmt.Errorf("NetworkList: %w", err)
	}
	names = nil
	types := map[string]string{}
	for _, n := range nets {
		name := path.Base(n.GetInventoryPath())
		names = append(names, name)
		types[name] = n.Reference().Type
	}
	out["networks"] = sorted(names)
	out["networkTypes"] = types
	return out, nil
}

type vmSummary struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	PowerState   string `json:"powerState"`
	NumCpu       int32  `json:"numCpu"`
	MemorySizeMB int32  `json:"memorySizeMB"`
	UUID         string `json:"uuid"`
	GuestID      string `json:"guestId"`
	Host         string `json:"host"`
	SummaryVM    string `json:"summaryVm"`
}

func retrieve(ctx context.Context) (interface{}, error) {
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Logout(ctx)
	vms, err := find.NewFinder(c.Client, true).VirtualMachineList(ctx, "/*/vm/*")
	if err != nil {
		return nil, fmt.Errorf("VirtualMachineList: %w", err)
	}
	refs := make([]types.ManagedObjectReference, 0, len(vms))
	for _, vm := range vms {
		refs = append(refs, vm.Reference())
	}
	var got []mo.VirtualMachine
	if err := property.DefaultCollector(c.Client).Retrieve(ctx, refs, []string{"summary"}, &got); err != nil {
		return nil, fmt.Errorf("Retrieve summary: %w", err)
	}
	out := []vmSummary{}
	for _, vm := range got {
		s := vm.Summary
		item := vmSummary{
			ID:           vm.Self.Value,
			Name:         s.Config.Name,
			PowerState:   string(s.Runtime.PowerState),
			NumCpu:       s.Config.NumCpu,
			MemorySizeMB: s.Config.MemorySizeMB,
			UUID:         s.Config.Uuid,
			GuestID:      s.Config.GuestId,
		}
		if s.Runtime.Host != nil {
			item.Host = s.Runtime.Host.Value
		}
		if s.Vm != nil {
			item.SummaryVM = s.Vm.Value
		}
		out = append(out, item)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return map[string]interface{}{"vms": out}, nil
}

func containerView(ctx context.Context) (interface{}, error) {
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Logout(ctx)
	m := view.NewManager(c.Client)
	v, err := m.CreateContainerView(ctx, c.ServiceContent.RootFolder, []string{"VirtualMachine", "HostSystem"}, true)
	if err != nil {
		return nil, fmt.Errorf("CreateContainerView: %w", err)
	}
	var vms []mo.VirtualMachine
	if err := v.Retrieve(ctx, []string{"VirtualMachine"}, []string{"name", "runtime.powerState", "config.hardware.numCPU"}, &vms); err != nil {
		return nil, fmt.Errorf("Retrieve VirtualMachine: %w", err)
	}
	var hosts []mo.HostSystem
	if err := v.Retrieve(ctx, []string{"HostSystem"}, []string{"name", "runtime.connectionState"}, &hosts); err != nil {
		return nil, fmt.Errorf("Retrieve HostSystem: %w", err)
	}
	if err := v.Destroy(ctx); err != nil {
		return nil, fmt.Errorf("DestroyView: %w", err)
	}
	type vmItem struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		PowerState string `json:"powerState"`
		NumCPU     int32  `json:"numCPU"`
	}
	type hostItem struct {
		ID              string `json:"id"`
		Name            string `json:"name"`
		ConnectionState string `json:"connectionState"`
	}
	vmOut := []vmItem{}
	for _, vm := range vms {
		item := vmItem{ID: vm.Self.Value, Name: vm.Name, PowerState: string(vm.Runtime.PowerState)}
		if vm.Config != nil {
			item.NumCPU = vm.Config.Hardware.NumCPU
		}
		vmOut = append(vmOut, item)
	}
	hostOut := []hostItem{}
	for _, h := range hosts {
		hostOut = append(hostOut, hostItem{ID: h.Self.Value, Name: h.Name, ConnectionState: string(h.Runtime.ConnectionState)})
	}
	sort.Slice(vmOut, func(i, j int) bool { return vmOut[i].Name < vmOut[j].Name })
	sort.Slice(hostOut, func(i, j int) bool { return hostOut[i].Name < hostOut[j].Name })
	// After DestroyView the view is gone: reading it again must fail.
	var again []mo.VirtualMachine
	destroyedErr := v.Retrieve(ctx, []string{"VirtualMachine"}, []string{"name"}, &again)
	return map[string]interface{}{"vms": vmOut, "hosts": hostOut, "afterDestroyFault": simtest.FaultName(destroyedErr)}, nil
}

// keepAlive logs in twice against a simulator with a short session idle timeout: once without a
// keep-alive handler (that session must expire) and once with keepalive.NewHandlerSOAP (that one
// must survive several idle timeouts), then logs out.
func keepAlive(ctx context.Context) (interface{}, error) {
	u, err := simtest.SDKURL()
	if err != nil {
		return nil, err
	}
	newClient := func(withKeepAlive bool, sends *int32) (*vim25.Client, *session.Manager, error) {
		vc, err := vim25.NewClient(ctx, soap.NewClient(u, true))
		if err != nil {
			return nil, nil, err
		}
		if withKeepAlive {
			rt := vc.RoundTripper
			vc.RoundTripper = keepalive.NewHandlerSOAP(rt, *interval, func() error {
				atomic.AddInt32(sends, 1)
				_, err := methods.GetCurrentTime(context.Background(), rt)
				return err
			})
		}
		m := session.NewManager(vc)
		if err := m.Login(ctx, u.User); err != nil {
			return nil, nil, fmt.Errorf("Login: %w", err)
		}
		return vc, m, nil
	}

	var sends int32
	_, plain, err := newClient(false, nil)
	if err != nil {
		return nil, err
	}
	_, kept, err := newClient(true, &sends)
	if err != nil {
		return nil, err
	}
	before, err := kept.UserSession(ctx)
	if err != nil {
		return nil, fmt.Errorf("UserSession: %w", err)
	}

	time.Sleep(*wait)

	plainSession, err := plain.UserSession(ctx)
	if err != nil {
		return nil, fmt.Errorf("UserSession without keep-alive: %w", err)
	}
	keptSession, err := kept.UserSession(ctx)
	if err != nil {
		return nil, fmt.Errorf("UserSession with keep-alive: %w", err)
	}
	out := map[string]interface{}{
		"plainSessionAlive": plainSession != nil,
		"keptSessionAlive":  keptSession != nil,
		"sameSession":       before != nil && keptSession != nil && before.Key == keptSession.Key,
		"keepAliveSends":    atomic.LoadInt32(&sends),
	}
	if keptSession != nil {
		out["userName"] = keptSession.UserName
	}
	if err := kept.Logout(ctx); err != nil {
		return nil, fmt.Errorf("Logout: %w", err)
	}
	afterLogout := atomic.LoadInt32(&sends)
	time.Sleep(4 * *interval)
	// Logout stops the handler: no keep-alive goes out afterwards.
	out["sendsAfterLogout"] = atomic.LoadInt32(&sends) - afterLogout
	return out, nil
}

func logout(ctx context.Context) (interface{}, error) {
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	s, err := c.SessionManager.UserSession(ctx)
	if err != nil {
		return nil, fmt.Errorf("UserSession: %w", err)
	}
	if s == nil {
		return nil, errors.New("no current session right after login")
	}
	now, err := methods.GetCurrentTime(ctx, c.Client)
	if err != nil {
		return nil, fmt.Errorf("CurrentTime before logout: %w", err)
	}
	if err := c.Logout(ctx); err != nil {
		return nil, fmt.Errorf("Logout: %w", err)
	}
	_, afterErr := methods.GetCurrentTime(ctx, c.Client)
	var folder mo.Folder
	readErr := property.DefaultCollector(c.Client).RetrieveOne(ctx, c.ServiceContent.RootFolder, []string{"name"}, &folder)
	after, err := c.SessionManager.UserSession(ctx)
	if err != nil {
		return nil, fmt.Errorf("UserSession after logout: %w", err)
	}
	return map[string]interface{}{
		"userName":           s.UserName,
		"serverTimeYear":     now.Year(),
		"currentTimeFault":   simtest.FaultName(afterErr),
		"retrieveFault":      simtest.FaultName(readErr),
		"sessionAfterLogout": after != nil,
	}, nil
}

func badLogin(ctx context.Context) (interface{}, error) {
	c, err := simtest.Govmomi(ctx)
	if err == nil {
		_ = c.Logout(ctx)
		return map[string]interface{}{"loggedIn": true, "fault": ""}, nil
	}
	out := map[string]interface{}{"loggedIn": false, "isSoapFault": soap.IsSoapFault(err), "fault": simtest.FaultName(err)}
	if soap.IsSoapFault(err) {
		f := soap.ToSoapFault(err)
		_, isInvalidLogin := f.VimFault().(types.InvalidLogin)
		out["isInvalidLogin"] = isInvalidLogin
		out["faultCode"] = f.Code
		out["faultString"] = f.String
	}
	return out, nil
}
