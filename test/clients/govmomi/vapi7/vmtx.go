package main

import (
	"context"
	"fmt"
	"simtest"

	"github.com/vmware/govmomi/vapi/library"
	"github.com/vmware/govmomi/vapi/vcenter"
)

// vmtx makes a VM template item of -vm in a new library on -datastore (CreateTemplate), reads the
// item, deploys it into -pool (DeployTemplateLibraryItem), checks a VM out and back in.
func vmtx(ctx context.Context) (interface{}, error) {
	c, err := simtest.RestClient(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Logout(ctx)
	libraries := library.NewManager(c)
	m := vcenter.NewManager(c)
	out := map[string]interface{}{}
	libraryID, err := libraries.CreateLibrary(ctx, library.Library{Name: "templates", Type: "LOCAL", Storage: []library.StorageBackings{{DatastoreID: *datastore, Type: "DATASTORE"}}})
	if err != nil {
		return nil, fmt.Errorf("CreateLibrary: %w", err)
	}
	itemID, err := m.CreateTemplate(ctx, vcenter.Template{
		Name:          "golden",
		Library:       libraryID,
		SourceVM:      *vmID,
		VMHomeStorage: &vcenter.DiskStorage{Datastore: *datastore},
		Placement:     &vcenter.Placement{ResourcePool: *pool},
	})
	if err != nil {
		return nil, fmt.Errorf("CreateTemplate: %w", err)
	}
	item, err := libraries.GetLibraryItem(ctx, itemID)
	if err != nil {
		return nil, fmt.Errorf("GetLibraryItem: %w", err)
	}
	out["item"] = map[string]interface{}{"name": item.Name, "type": item.Type, "library": item.LibraryID}
	deployed, err := m.DeployTemplateLibraryItem(ctx, itemID, vcenter.DeployTemplate{Name: "from-golden", Placement: &vcenter.Placement{ResourcePool: *pool}})
	if err != nil {
		return nil, fmt.Errorf("DeployTemplateLibraryItem: %w", err)
	}
	out["deployed"] = deployed.Value
	checkedOut, err := m.CheckOut(ctx, itemID, &vcenter.CheckOut{Name: "golden-edit", Placement: &vcenter.Placement{ResourcePool: *pool}})
	if err != nil {
		return nil, fmt.Errorf("CheckOut: %w", err)
	}
	out["checkedOut"] = checkedOut.Value
	version, err := m.CheckIn(ctx, itemID, checkedOut, &vcenter.CheckIn{Message: "edited"})
	if err != nil {
		return nil, fmt.Errorf("CheckIn: %w", err)
	}
	out["version"] = version
	_, missing := m.DeployTemplateLibraryItem(ctx, "no-such-item", vcenter.DeployTemplate{Name: "x"})
	out["missing"] = simtest.ErrString(missing)
	return out, nil
}
