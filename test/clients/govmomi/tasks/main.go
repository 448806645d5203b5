// Command tasks drives a VM's lifecycle through the govmomi library (Debian
// golang-github-vmware-govmomi-dev 0.24.2) against vcenter-sim: object.VirtualMachine PowerOn,
// PowerOff, Reconfigure, AddDevice, Clone and Destroy, task.Wait and task.WaitForResult with a
// progress sink (WaitForUpdatesEx on Task.info), WaitForIP, and event.Manager (QueryEvents, and
// Events both for one page and tailing the stream). It prints one JSON document and exits 0;
// unexpected errors exit 1.
//
//	tasks -url https://127.0.0.1:PORT/sdk -user U -password P
package main

import (
	"context"
	"fmt"
	"reflect"
	"simtest"
	"sync"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/event"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/progress"
	"github.com/vmware/govmomi/vim25/types"
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
	simtest.Run("tasks", 120*time.Second, func(ctx context.Context) (interface{}, error) { return run(ctx) })
}

func run(ctx context.Context) (map[string]interface{}, error) {
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

	// One page of the VM's newest events through event.Manager.Events (a collector's latestPage).
	var page []string
	err = event.NewManager(c.Client).Events(ctx, []types.ManagedObjectReference{vm.Reference()}, 4, false, false,
		func(_ types.ManagedObjectReference, events []types.BaseEvent) error {
			for _, e := range events {
				page = append(page, reflect.TypeOf(e).Elem().Name())
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	out["eventsPage"] = page

	tailed, err := tail(ctx, c, vm)
	if err != nil {
		return nil, err
	}
	out["tail"] = tailed

	cycle, err := lifecycle(ctx, finder, vm)
	if err != nil {
		return nil, err
	}
	out["lifecycle"] = cycle

	containers, err := pools(ctx, finder)
	if err != nil {
		return nil, err
	}
	out["pools"] = containers
	return out, nil
}

// pools uses a resource pool and vApps as VM containers: ResourcePool Create, UpdateConfig,
// CreateVApp, CreateChildVM, vApp PowerOn/PowerOff and Clone, DestroyChildren, Destroy.
func pools(ctx context.Context, finder *find.Finder) (map[string]interface{}, error) {
	root, err := finder.ResourcePool(ctx, "DC0_C0/Resources")
	if err != nil {
		return nil, err
	}
	pool, err := root.Create(ctx, "gpool", types.DefaultResourceConfigSpec())
	if err != nil {
		return nil, err
	}
	if err := pool.UpdateConfig(ctx, "gpool-renamed", nil); err != nil {
		return nil, err
	}
	app, err := pool.CreateVApp(ctx, "gapp", types.DefaultResourceConfigSpec(), types.VAppConfigSpec{}, nil)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"ga-web", "ga-db"} {
		spec := types.VirtualMachineConfigSpec{Name: name, NumCPUs: 1, MemoryMB: 32, Files: &types.VirtualMachineFileInfo{VmPathName: "[LocalDS_0]"}}
		t, err := app.CreateChildVM(ctx, spec, nil)
		if err != nil {
			return nil, err
		}
		if err := t.Wait(ctx); err != nil {
			return nil, err
		}
	}
	vAppState := func(a *object.VirtualApp) (string, []string, error) {
		var m mo.VirtualApp
		if err := a.Properties(ctx, a.Reference(), []string{"summary", "vm"}, &m); err != nil {
			return "", nil, err
		}
		var names []string
		for _, ref := range m.Vm {
			name, err := object.NewVirtualMachine(a.Client(), ref).ObjectName(ctx)
			if err != nil {
				return "", nil, err
			}
			names = append(names, name)
		}
		return string(m.Summary.(*types.VirtualAppSummary).VAppState), names, nil
	}
	on, err := app.PowerOn(ctx)
	if err != nil {
		return nil, err
	}
	if err := on.Wait(ctx); err != nil {
		return nil, err
	}
	started, _, err := vAppState(app)
	if err != nil {
		return nil, err
	}
	off, err := app.PowerOff(ctx, false)
	if err != nil {
		return nil, err
	}
	if err := off.Wait(ctx); err != nil {
		return nil, err
	}
	ds, err := finder.Datastore(ctx, "LocalDS_0")
	if err != nil {
		return nil, err
	}
	cloneTask, err := app.Clone(ctx, "gapp-copy", pool.Reference(), types.VAppCloneSpec{Location: ds.Reference()})
	if err != nil {
		return nil, err
	}
	info, err := cloneTask.WaitForResult(ctx, nil)
	if err != nil {
		return nil, err
	}
	copyApp := object.NewVirtualApp(app.Client(), info.Result.(types.ManagedObjectReference))
	copyState, copyVms, err := vAppState(copyApp)
	if err != nil {
		return nil, err
	}
	copyName, err := copyApp.ObjectName(ctx)
	if err != nil {
		return nil, err
	}
	if err := pool.DestroyChildren(ctx); err != nil {
		return nil, err
	}
	var afterChildren mo.ResourcePool
	if err := pool.Properties(ctx, pool.Reference(), []string{"name", "resourcePool", "vm"}, &afterChildren); err != nil {
		return nil, err
	}
	destroy, err := pool.Destroy(ctx)
	if err != nil {
		return nil, err
	}
	if err := destroy.Wait(ctx); err != nil {
		return nil, err
	}
	_, findErr := finder.ResourcePool(ctx, "DC0_C0/Resources/gpool-renamed")
	_, gone := findErr.(*find.NotFoundError)
	return map[string]interface{}{
		"started": started, "cloneName": copyName, "cloneState": copyState, "cloneVms": copyVms,
		"poolName": afterChildren.Name, "poolChildrenAfterDestroyChildren": len(afterChildren.ResourcePool),
		"poolVmsAfterDestroyChildren": len(afterChildren.Vm), "poolGone": gone,
	}, nil
}

// tail follows the VM's event stream with event.Manager.Events (tail=true) while the VM is
// powered off and on: the events it hands over must be exactly the new ones, each once.
func tail(ctx context.Context, c *govmomi.Client, vm *object.VirtualMachine) (map[string]interface{}, error) {
	tailCtx, stop := context.WithTimeout(ctx, 30*time.Second)
	defer stop()
	var mu sync.Mutex
	var keys []int32
	var names []string
	pages := 0
	firstPage := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- event.NewManager(c.Client).Events(tailCtx, []types.ManagedObjectReference{vm.Reference()}, 3, true, false,
			func(_ types.ManagedObjectReference, events []types.BaseEvent) error {
				mu.Lock()
				defer mu.Unlock()
				pages++
				if pages == 1 {
					close(firstPage)
					return nil
				}
				// Newest first, as vCenter pages them; record oldest first.
				for i := len(events) - 1; i >= 0; i-- {
					keys = append(keys, events[i].GetEvent().Key)
					names = append(names, reflect.TypeOf(events[i]).Elem().Name())
					if _, on := events[i].(*types.VmPoweredOnEvent); on {
						stop()
					}
				}
				return nil
			})
	}()
	select {
	case <-firstPage:
	case err := <-done:
		return nil, fmt.Errorf("event stream ended before its first page: %v", err)
	}
	for _, power := range []func(context.Context) (*object.Task, error){vm.PowerOff, vm.PowerOn} {
		t, err := power(ctx)
		if err != nil {
			return nil, err
		}
		if err := t.Wait(ctx); err != nil {
			return nil, err
		}
	}
	<-done
	if tailCtx.Err() == context.DeadlineExceeded {
		return nil, fmt.Errorf("the tailed stream never showed VmPoweredOnEvent; it showed %v", names)
	}
	mu.Lock()
	defer mu.Unlock()
	return map[string]interface{}{"names": names, "keys": keys}, nil
}

// lifecycle powers the VM off, reconfigures it (CPU, memory, a new disk), clones it powered on,
// then powers the clone off and destroys it, each task waited for with task.Wait.
func lifecycle(ctx context.Context, finder *find.Finder, vm *object.VirtualMachine) (map[string]interface{}, error) {
	wait := func(t *object.Task, err error) error {
		if err != nil {
			return err
		}
		return t.Wait(ctx)
	}
	if err := wait(vm.PowerOff(ctx)); err != nil {
		return nil, err
	}
	if err := wait(vm.Reconfigure(ctx, types.VirtualMachineConfigSpec{NumCPUs: 2, MemoryMB: 96, Annotation: "reconfigured by govmomi"})); err != nil {
		return nil, err
	}
	devices, err := vm.Device(ctx)
	if err != nil {
		return nil, err
	}
	controller, err := devices.FindDiskController("scsi")
	if err != nil {
		return nil, err
	}
	ds, err := finder.Datastore(ctx, "LocalDS_0")
	if err != nil {
		return nil, err
	}
	disk := devices.CreateDisk(controller, ds.Reference(), "")
	disk.CapacityInKB = 1024 * 1024
	if err := vm.AddDevice(ctx, disk); err != nil {
		return nil, err
	}
	after, err := vm.Device(ctx)
	if err != nil {
		return nil, err
	}
	var disks []string
	for _, d := range after.SelectByType((*types.VirtualDisk)(nil)) {
		disks = append(disks, after.Name(d))
	}
	var reconfigured mo.VirtualMachine
	if err := vm.Properties(ctx, vm.Reference(), []string{"config.hardware", "config.annotation"}, &reconfigured); err != nil {
		return nil, err
	}
	folder, err := finder.Folder(ctx, "vm")
	if err != nil {
		return nil, err
	}
	cloneTask, err := vm.Clone(ctx, folder, "govm-clone", types.VirtualMachineCloneSpec{PowerOn: true})
	if err != nil {
		return nil, err
	}
	info, err := cloneTask.WaitForResult(ctx, nil)
	if err != nil {
		return nil, err
	}
	clone := object.NewVirtualMachine(vm.Client(), info.Result.(types.ManagedObjectReference))
	cloneState, err := clone.PowerState(ctx)
	if err != nil {
		return nil, err
	}
	cloneName, err := clone.ObjectName(ctx)
	if err != nil {
		return nil, err
	}
	cloneDevices, err := clone.Device(ctx)
	if err != nil {
		return nil, err
	}
	if err := wait(clone.PowerOff(ctx)); err != nil {
		return nil, err
	}
	if err := wait(clone.Destroy(ctx)); err != nil {
		return nil, err
	}
	_, findErr := finder.VirtualMachine(ctx, "govm-clone")
	_, notFound := findErr.(*find.NotFoundError)
	return map[string]interface{}{
		"numCPU": reconfigured.Config.Hardware.NumCPU, "memoryMB": reconfigured.Config.Hardware.MemoryMB,
		"annotation": reconfigured.Config.Annotation, "disks": disks, "cloneTaskEntity": info.EntityName,
		"cloneName": cloneName, "clonePowerState": string(cloneState),
		"cloneDisks": len(cloneDevices.SelectByType((*types.VirtualDisk)(nil))), "cloneGone": notFound,
	}, nil
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
