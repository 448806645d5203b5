// Command clustermodules drives govmomi's vapi/cluster client (Debian
// golang-github-vmware-govmomi-dev 0.24.2) against vcenter-sim's cluster modules:
//
//	clustermodules -url URL -user U -password P -cluster CLUSTERID -vms VM1,VM2 -outside VMID
//
// It creates a module on the cluster, adds two of its VMs (AddModuleMembers), adds them again and
// a VM of another host (both answered false), lists modules and members, removes one VM, deletes
// the module and reads it again. Prints one JSON document as its last stdout line.
package main

import (
	"context"
	"flag"
	"fmt"
	"simtest"
	"strings"
	"time"

	"github.com/vmware/govmomi/vapi/cluster"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	clusterID = flag.String("cluster", "", "moref id of the cluster")
	vmIDs     = flag.String("vms", "", "comma-separated moref ids of VMs in the cluster")
	outside   = flag.String("outside", "", "moref id of a VM outside the cluster")
)

func main() {
	simtest.Run("clustermodules", 60*time.Second, run)
}

func vm(id string) mo.Reference {
	return types.ManagedObjectReference{Type: "VirtualMachine", Value: id}
}

func run(ctx context.Context) (interface{}, error) {
	c, err := simtest.RestClient(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Logout(ctx)
	m := cluster.NewManager(c)
	out := map[string]interface{}{}
	ids := strings.Split(*vmIDs, ",")

	module, err := m.CreateModule(ctx, types.ManagedObjectReference{Type: "ClusterComputeResource", Value: *clusterID})
	if err != nil {
		return nil, fmt.Errorf("CreateModule: %w", err)
	}
	out["module"] = module
	if out["added"], err = m.AddModuleMembers(ctx, module, vm(ids[0]), vm(ids[1])); err != nil {
		return nil, fmt.Errorf("AddModuleMembers: %w", err)
	}
	if out["addedAgain"], err = m.AddModuleMembers(ctx, module, vm(ids[0])); err != nil {
		return nil, fmt.Errorf("AddModuleMembers again: %w", err)
	}
	if out["addedOutside"], err = m.AddModuleMembers(ctx, module, vm(*outside)); err != nil {
		return nil, fmt.Errorf("AddModuleMembers outside: %w", err)
	}
	if out["modules"], err = m.ListModules(ctx); err != nil {
		return nil, fmt.Errorf("ListModules: %w", err)
	}
	members, err := m.ListModuleMembers(ctx, module)
	if err != nil {
		return nil, fmt.Errorf("ListModuleMembers: %w", err)
	}
	out["members"] = refs(members)
	if out["removed"], err = m.RemoveModuleMembers(ctx, module, vm(ids[0])); err != nil {
		return nil, fmt.Errorf("RemoveModuleMembers: %w", err)
	}
	if members, err = m.ListModuleMembers(ctx, module); err != nil {
		return nil, fmt.Errorf("ListModuleMembers after remove: %w", err)
	}
	out["membersAfterRemove"] = refs(members)
	_, badCluster := m.CreateModule(ctx, types.ManagedObjectReference{Type: "ClusterComputeResource", Value: *outside})
	out["badCluster"] = simtest.ErrString(badCluster)
	if err := m.DeleteModule(ctx, module); err != nil {
		return nil, fmt.Errorf("DeleteModule: %w", err)
	}
	_, gone := m.ListModuleMembers(ctx, module)
	out["gone"] = simtest.ErrString(gone)
	return out, nil
}

func refs(list []types.ManagedObjectReference) []string {
	out := []string{}
	for _, ref := range list {
		out = append(out, ref.Type+":"+ref.Value)
	}
	return out
}
