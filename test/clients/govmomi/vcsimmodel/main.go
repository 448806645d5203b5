// Command vcsimmodel builds vcsim's own inventory (govmomi's simulator package, Debian 0.24.2)
// for vcsim's model flags, or reads a running simulator's with -url, and prints every managed
// entity as type, moref, name and parent, sorted by moref: what the suite compares object by
// object between vcsim and vcenter-sim.
//
//	vcsimmodel -dc 2 -folder 1 ...       vcsim's model for these flags
//	vcsimmodel -url URL -user U -password P   the inventory of a running simulator
//	vcsimmodel -url URL -user U -password P -about   its ServiceContent.about
//	vcsimmodel [-url ...] -tasks                     the tasks in TaskManager.recentTask
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"sort"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"

	"simtest"
)

type entity struct {
	Type   string `json:"type"`
	Ref    string `json:"ref"`
	Name   string `json:"name"`
	Parent string `json:"parent"`
	Pool   string `json:"pool,omitempty"`
	Power  string `json:"power,omitempty"`
}

func main() {
	model := simulator.VPX()
	flag.IntVar(&model.Datacenter, "dc", model.Datacenter, "")
	flag.IntVar(&model.Cluster, "cluster", model.Cluster, "")
	flag.IntVar(&model.ClusterHost, "host", model.ClusterHost, "")
	flag.IntVar(&model.Host, "standalone-host", model.Host, "")
	flag.IntVar(&model.Datastore, "ds", model.Datastore, "")
	flag.IntVar(&model.Machine, "vm", model.Machine, "")
	flag.IntVar(&model.Pool, "pool", model.Pool, "")
	flag.IntVar(&model.App, "app", model.App, "")
	flag.IntVar(&model.Pod, "pod", model.Pod, "")
	flag.IntVar(&model.Portgroup, "pg", model.Portgroup, "")
	flag.IntVar(&model.PortgroupNSX, "pg-nsx", model.PortgroupNSX, "")
	flag.IntVar(&model.OpaqueNetwork, "nsx", model.OpaqueNetwork, "")
	flag.IntVar(&model.Folder, "folder", model.Folder, "")
	flag.BoolVar(&model.Autostart, "autostart", model.Autostart, "")
	about := flag.Bool("about", false, "print ServiceContent.about instead of the entities")
	tasks := flag.Bool("tasks", false, "print TaskManager.recentTask's tasks instead of the entities")
	flag.Parse()

	list := func(ctx context.Context, c *vim25.Client) error {
		if *tasks {
			out, err := recentTasks(ctx, c)
			if err != nil {
				return err
			}
			b, _ := json.Marshal(out)
			fmt.Println(string(b))
			return nil
		}
		if *about {
			b, _ := json.Marshal(c.ServiceContent.About)
			fmt.Println(string(b))
			return nil
		}
		out, err := entities(ctx, c)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(out)
		fmt.Println(string(b))
		return nil
	}
	var err error
	if *simtest.URL != "" {
		err = func() error {
			u, err := simtest.SDKURL()
			if err != nil {
				return err
			}
			ctx := context.Background()
			c, err := govmomi.NewClient(ctx, u, true)
			if err != nil {
				return err
			}
			return list(ctx, c.Client)
		}()
	} else {
		err = model.Run(list)
	}
	if err != nil {
		simtest.Fail("vcsimmodel", err)
	}
}

func entities(ctx context.Context, c *vim25.Client) ([]entity, error) {
	m := view.NewManager(c)
	v, err := m.CreateContainerView(ctx, c.ServiceContent.RootFolder, []string{"ManagedEntity"}, true)
	if err != nil {
		return nil, err
	}
	defer v.Destroy(ctx)
	var all []mo.ManagedEntity
	if err := v.Retrieve(ctx, []string{"ManagedEntity"}, []string{"name", "parent"}, &all); err != nil {
		return nil, err
	}
	var vms []mo.VirtualMachine
	if err := v.Retrieve(ctx, []string{"VirtualMachine"}, []string{"resourcePool", "runtime.powerState"}, &vms); err != nil {
		return nil, err
	}
	extra := map[string]mo.VirtualMachine{}
	for _, vm := range vms {
		extra[vm.Self.Value] = vm
	}
	out := make([]entity, 0, len(all))
	for _, e := range all {
		item := entity{Type: e.Self.Type, Ref: e.Self.Value, Name: e.Name}
		if e.Parent != nil {
			item.Parent = e.Parent.Value
		}
		if vm, ok := extra[e.Self.Value]; ok {
			if vm.ResourcePool != nil {
				item.Pool = vm.ResourcePool.Value
			}
			item.Power = string(vm.Runtime.PowerState)
		}
		out = append(out, item)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ref < out[j].Ref })
	return out, nil
}

type task struct {
	Key        string `json:"key"`
	Name       string `json:"name"`
	EntityType string `json:"entityType"`
	State      string `json:"state"`
}

func recentTasks(ctx context.Context, c *vim25.Client) ([]task, error) {
	var tm mo.TaskManager
	pc := property.DefaultCollector(c)
	if err := pc.RetrieveOne(ctx, *c.ServiceContent.TaskManager, []string{"recentTask"}, &tm); err != nil {
		return nil, err
	}
	var infos []mo.Task
	if len(tm.RecentTask) > 0 {
		if err := pc.Retrieve(ctx, tm.RecentTask, []string{"info"}, &infos); err != nil {
			return nil, err
		}
	}
	out := []task{}
	for _, t := range infos {
		item := task{Key: t.Info.Key, Name: t.Info.Name, State: string(t.Info.State)}
		if t.Info.Entity != nil {
			item.EntityType = t.Info.Entity.Type
		}
		out = append(out, item)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}
