// Command vmrest drives govmomi's vapi/rest client (Debian golang-github-vmware-govmomi-dev 0.24.2)
// against vcenter-sim's VM lifecycle, hardware, host, storage policy and cis/tasks routes. govmomi
// 0.24 has no typed client for these, so the requests go through rest.Client.Do, as govc's own
// raw vapi calls do. One scenario per run:
//
//	vmrest -url https://127.0.0.1:PORT/sdk -user U -password P SCENARIO
//
// Each scenario prints one JSON document as its last stdout line and exits 0. Unexpected errors
// go to stderr with exit code 1; errors a scenario expects are reported in the JSON.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"simtest"
	"time"

	"github.com/vmware/govmomi/event"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vapi/rest"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	host    = flag.String("host", "", "host id the VMs go on")
	network = flag.String("network", "", "standard portgroup id for the new NIC")
)

type summary struct {
	VM   string `json:"vm"`
	Name string `json:"name"`
}

type cpuInfo struct {
	Count          int  `json:"count"`
	CoresPerSocket int  `json:"cores_per_socket"`
	HotAddEnabled  bool `json:"hot_add_enabled"`
}

type memoryInfo struct {
	SizeMiB int `json:"size_MiB"`
}

type taskInfo struct {
	Status    string `json:"status"`
	Operation string `json:"operation"`
	Service   string `json:"service"`
	Result    string `json:"result"`
}

type policy struct {
	Policy string `json:"policy"`
	Name   string `json:"name"`
}

func main() {
	simtest.RunScenarios("vmrest", 60*time.Second, map[string]simtest.Scenario{
		"lifecycle": withRest(lifecycle),
		"async":     withRest(async),
		"host":      withRest(hostConnection),
	})
}

// withRest runs a scenario with a logged-in REST client, and logs out after it.
func withRest(scenario func(context.Context, *rest.Client) (interface{}, error)) simtest.Scenario {
	return func(ctx context.Context) (interface{}, error) {
		c, err := simtest.RestClient(ctx)
		if err != nil {
			return nil, fmt.Errorf("login: %w", err)
		}
		out, err := scenario(ctx, c)
		if err != nil {
			return nil, err
		}
		if err := c.Logout(ctx); err != nil {
			return nil, fmt.Errorf("logout: %w", err)
		}
		return out, nil
	}
}

func call(ctx context.Context, c *rest.Client, method string, r *rest.Resource, body interface{}, out interface{}) error {
	var req *http.Request
	if body == nil {
		req = r.Request(method)
	} else {
		req = r.Request(method, body)
	}
	return c.Do(ctx, req, out)
}

func vmSpec(name string) map[string]interface{} {
	return map[string]interface{}{
		"name":      name,
		"guest_OS":  "OTHER_LINUX_64",
		"placement": map[string]string{"host": *host},
		"cpu":       map[string]int{"count": 2},
		"memory":    map[string]int{"size_MiB": 1024},
	}
}

// lifecycle: creates a VM through /api and another through the /rest {"spec": ...} form, reads
// and changes its CPU and memory, adds a disk and a NIC, lists the storage policies, deletes both
// VMs, and reports a bad spec's error.
func lifecycle(ctx context.Context, c *rest.Client) (interface{}, error) {
	var id, legacyID string
	if err := call(ctx, c, http.MethodPost, c.Resource("/api/vcenter/vm"), vmSpec("govmomi-vm"), &id); err != nil {
		return nil, fmt.Errorf("create: %w", err)
	}
	if err := call(ctx, c, http.MethodPost, c.Resource("/vcenter/vm"), map[string]interface{}{"spec": vmSpec("govmomi-legacy")}, &legacyID); err != nil {
		return nil, fmt.Errorf("create /rest: %w", err)
	}
	var listed []summary
	if err := call(ctx, c, http.MethodGet, c.Resource("/api/vcenter/vm").WithParam("names", "govmomi-vm"), nil, &listed); err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	var cpu cpuInfo
	if err := call(ctx, c, http.MethodGet, c.Resource("/api/vcenter/vm/"+id+"/hardware/cpu"), nil, &cpu); err != nil {
		return nil, fmt.Errorf("get cpu: %w", err)
	}
	if err := call(ctx, c, http.MethodPatch, c.Resource("/api/vcenter/vm/"+id+"/hardware/memory"), map[string]int{"size_MiB": 2048}, nil); err != nil {
		return nil, fmt.Errorf("update memory: %w", err)
	}
	var memory memoryInfo
	if err := call(ctx, c, http.MethodGet, c.Resource("/vcenter/vm/"+id+"/hardware/memory"), nil, &memory); err != nil {
		return nil, fmt.Errorf("get memory: %w", err)
	}
	soapView, err := overSoap(ctx, id)
	if err != nil {
		return nil, err
	}
	var disk, nic string
	if err := call(ctx, c, http.MethodPost, c.Resource("/api/vcenter/vm/"+id+"/hardware/disk"), map[string]interface{}{"new_vmdk": map[string]int64{"capacity": 1 << 30}}, &disk); err != nil {
		return nil, fmt.Errorf("create disk: %w", err)
	}
	nicSpec := map[string]interface{}{"type": "VMXNET3", "backing": map[string]string{"type": "STANDARD_PORTGROUP", "network": *network}}
	if err := call(ctx, c, http.MethodPost, c.Resource("/api/vcenter/vm/"+id+"/hardware/ethernet"), nicSpec, &nic); err != nil {
		return nil, fmt.Errorf("create nic: %w", err)
	}
	var disks []map[string]string
	if err := call(ctx, c, http.MethodGet, c.Resource("/api/vcenter/vm/"+id+"/hardware/disk"), nil, &disks); err != nil {
		return nil, fmt.Errorf("list disks: %w", err)
	}
	var policies []policy
	if err := call(ctx, c, http.MethodGet, c.Resource("/api/vcenter/storage/policies"), nil, &policies); err != nil {
		return nil, fmt.Errorf("policies: %w", err)
	}
	badSpec := call(ctx, c, http.MethodPost, c.Resource("/api/vcenter/vm"), map[string]interface{}{"name": "no-guest"}, nil)
	for _, vm := range []string{id, legacyID} {
		if err := call(ctx, c, http.MethodDelete, c.Resource("/api/vcenter/vm/"+vm), nil, nil); err != nil {
			return nil, fmt.Errorf("delete %s: %w", vm, err)
		}
	}
	gone := call(ctx, c, http.MethodGet, c.Resource("/api/vcenter/vm/"+id), nil, nil)
	return map[string]interface{}{
		"vm": id, "legacyVm": legacyID, "listed": listed, "cpu": cpu, "memory": memory.SizeMiB,
		"disk": disk, "nic": nic, "disks": disks, "policies": policies, "soap": soapView,
		"badSpec": simtest.ErrString(badSpec), "afterDelete": simtest.ErrString(gone),
	}, nil
}

// async: creates a VM with ?vmw-task=true and follows the task through /api/cis/tasks/{task}
// until it ends; then powers it on the same way.
func async(ctx context.Context, c *rest.Client) (interface{}, error) {
	var taskID string
	if err := call(ctx, c, http.MethodPost, c.Resource("/api/vcenter/vm").WithParam("vmw-task", "true"), vmSpec("govmomi-async"), &taskID); err != nil {
		return nil, fmt.Errorf("create: %w", err)
	}
	created, err := wait(ctx, c, taskID)
	if err != nil {
		return nil, err
	}
	var powerTask string
	power := c.Resource("/api/vcenter/vm/"+created.Result+"/power").WithParam("action", "start").WithParam("vmw-task", "true")
	if err := call(ctx, c, http.MethodPost, power, nil, &powerTask); err != nil {
		return nil, fmt.Errorf("power on: %w", err)
	}
	powered, err := wait(ctx, c, powerTask)
	if err != nil {
		return nil, err
	}
	return map[string]interface{}{"createTask": taskID, "created": created, "powerTask": powerTask, "powered": powered}, nil
}

func wait(ctx context.Context, c *rest.Client, id string) (taskInfo, error) {
	for {
		var info taskInfo
		if err := call(ctx, c, http.MethodGet, c.Resource("/api/cis/tasks/"+id), nil, &info); err != nil {
			return info, fmt.Errorf("task %s: %w", id, err)
		}
		if info.Status == "SUCCEEDED" || info.Status == "FAILED" {
			return info, nil
		}
		select {
		case <-ctx.Done():
			return info, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// hostConnection: disconnects the host through /api and connects it through the /rest form,
// reading its connection state from the host list after each step.
func hostConnection(ctx context.Context, c *rest.Client) (interface{}, error) {
	state := func() (string, error) {
		var hosts []struct {
			ConnectionState string `json:"connection_state"`
		}
		err := call(ctx, c, http.MethodGet, c.Resource("/api/vcenter/host").WithParam("hosts", *host), nil, &hosts)
		if err != nil || len(hosts) != 1 {
			return "", fmt.Errorf("host list: %v %v", hosts, err)
		}
		return hosts[0].ConnectionState, nil
	}
	if err := call(ctx, c, http.MethodPost, c.Resource("/api/vcenter/host/"+*host).WithParam("action", "disconnect"), nil, nil); err != nil {
		return nil, fmt.Errorf("disconnect: %w", err)
	}
	disconnected, err := state()
	if err != nil {
		return nil, err
	}
	again := call(ctx, c, http.MethodPost, c.Resource("/api/vcenter/host/"+*host).WithParam("action", "disconnect"), nil, nil)
	if err := call(ctx, c, http.MethodPost, c.Resource("/vcenter/host/"+*host+"/connect"), nil, nil); err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	connected, err := state()
	if err != nil {
		return nil, err
	}
	return map[string]interface{}{"disconnected": disconnected, "again": simtest.ErrString(again), "connected": connected}, nil
}

// overSoap reads the VM a REST call made through govmomi's SOAP client: its name, memory (after
// the REST memory update) and the events vCenter posted for it.
func overSoap(ctx context.Context, id string) (map[string]interface{}, error) {
	gc, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, fmt.Errorf("SOAP login: %w", err)
	}
	defer gc.Logout(ctx)
	ref := types.ManagedObjectReference{Type: "VirtualMachine", Value: id}
	var vm mo.VirtualMachine
	if err := object.NewVirtualMachine(gc.Client, ref).Properties(ctx, ref, []string{"name", "config.hardware.memoryMB", "runtime.powerState"}, &vm); err != nil {
		return nil, fmt.Errorf("SOAP properties: %w", err)
	}
	events, err := event.NewManager(gc.Client).QueryEvents(ctx, types.EventFilterSpec{Entity: &types.EventFilterSpecByEntity{Entity: ref, Recursion: types.EventFilterSpecRecursionOptionSelf}})
	if err != nil {
		return nil, fmt.Errorf("SOAP events: %w", err)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, fmt.Sprintf("%T", e)[len("*types."):])
	}
	return map[string]interface{}{"name": vm.Name, "memoryMB": vm.Config.Hardware.MemoryMB, "powerState": vm.Runtime.PowerState, "events": kinds}, nil
}
