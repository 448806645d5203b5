// Command tasks drives VM power operations through the govmomi library (Debian
// golang-github-vmware-govmomi-dev 0.24.2) against vcenter-sim: object.VirtualMachine methods,
// task.WaitForResult with a progress sink (WaitForUpdatesEx on Task.info), WaitForIP, and
// event.Manager. It prints one JSON document and exits 0; unexpected errors exit 1.
//
//	tasks -url https://127.0.0.1:PORT/sdk -user U -password P
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"sync"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/event"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25/progress"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	rawURL   = flag.String("url", "", "SDK URL of the simulator")
	user     = flag.String("user", "", "user name")
	password = flag.String("password", "", "password")
)

// progressLog collects the percentages a task reports while it runs.
type progressLog struct {
	mu      sync.Mutex
	percent []float32
}

func (p *progressLog) Sink() chan<- progress.Report {
	ch := make(chan progress.Report)
	go func() {
		for r := range ch {
			p.mu.Lock()
			p.percent = append(p.percent, r.Percentage())
			p.mu.Unlock()
		}
	}()
	return ch
}

func main() {
	flag.Parse()
	out, err := run(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		os.Exit(1)
	}
}

func run(ctx context.Context) (map[string]interface{}, error) {
	u, err := url.Parse(*rawURL)
	if err != nil {
		return nil, err
	}
	u.User = url.UserPassword(*user, *password)
	c, err := govmomi.NewClient(ctx, u, true)
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
	vm, err := finder.VirtualMachine(ctx, "DC0_H0_VM0")
	if err != nil {
		return nil, err
	}
	out := map[string]interface{}{}

	off, err := vm.PowerOff(ctx)
	if err != nil {
		return nil, err
	}
	log := &progressLog{}
	info, err := off.WaitForResult(ctx, log)
	if err != nil {
		return nil, err
	}
	state, err := vm.PowerState(ctx)
	if err != nil {
		return nil, err
	}
	log.mu.Lock()
	out["powerOff"] = map[string]interface{}{"state": string(info.State), "descriptionId": info.DescriptionId, "powerState": string(state), "progress": log.percent}
	log.mu.Unlock()

	again, err := vm.PowerOff(ctx)
	if err != nil {
		return nil, err
	}
	out["secondPowerOff"] = faultOf(again.Wait(ctx))

	if err := powerOn(ctx, vm); err != nil {
		return nil, err
	}
	ip, err := vm.WaitForIP(ctx)
	if err != nil {
		return nil, err
	}
	out["ip"] = ip

	events, err := event.NewManager(c.Client).QueryEvents(ctx, types.EventFilterSpec{
		Entity: &types.EventFilterSpecByEntity{Entity: vm.Reference(), Recursion: types.EventFilterSpecRecursionOptionSelf},
	})
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range events {
		names = append(names, reflect.TypeOf(e).Elem().Name())
	}
	out["events"] = names
	return out, nil
}

func powerOn(ctx context.Context, vm *object.VirtualMachine) error {
	on, err := vm.PowerOn(ctx)
	if err != nil {
		return err
	}
	return on.Wait(ctx)
}

// faultOf names the vSphere fault a task ended with.
func faultOf(err error) map[string]interface{} {
	if err == nil {
		return map[string]interface{}{"fault": nil}
	}
	if te, ok := err.(task.Error); ok {
		f := te.Fault()
		result := map[string]interface{}{"fault": reflect.TypeOf(f).Elem().Name(), "message": te.LocalizedMethodFault.LocalizedMessage}
		if ips, ok := f.(*types.InvalidPowerState); ok {
			result["existingState"] = string(ips.ExistingState)
		}
		return result
	}
	return map[string]interface{}{"fault": "not a task error", "error": err.Error()}
}
