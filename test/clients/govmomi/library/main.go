// Command library drives govmomi's vapi/library and vapi/vcenter clients (Debian
// golang-github-vmware-govmomi-dev 0.24.2) against vcenter-sim's content library:
//
//	library -url https://127.0.0.1:PORT/sdk -user U -password P -datastore DSID -pool POOLID
//
// It creates a local library and an OVF item, uploads a descriptor through an update session (a
// PUT to the upload endpoint with the REST client's Upload, as govc library.import does), lists
// items and files, copies the item, downloads the file back, filters and deploys the item as a VM (DeployLibraryItem) and reads
// the VM and its events over SOAP, captures the VM back as an OVF item (CreateOVF), deletes the
// items and the library, and prints one JSON document as its last stdout line. Unexpected errors go
// to stderr with exit code 1.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"simtest"
	"time"

	"github.com/vmware/govmomi/event"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/vapi/library"
	"github.com/vmware/govmomi/vapi/rest"
	"github.com/vmware/govmomi/vapi/vcenter"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	datastore = flag.String("datastore", "", "moref id of the library's datastore")
	pool      = flag.String("pool", "", "moref id of the resource pool to deploy into")
)

const descriptor = `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vmw="http://www.vmware.com/schema/ovf">
  <VirtualSystem ovf:id="photon">
    <Info>A virtual machine</Info>
    <Name>photon</Name>
    <OperatingSystemSection ovf:id="36" vmw:osType="vmwarePhoton64Guest"><Info>Photon</Info></OperatingSystemSection>
    <VirtualHardwareSection>
      <Info>Virtual hardware</Info>
      <Item><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>2</rasd:VirtualQuantity></Item>
      <Item><rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>512</rasd:VirtualQuantity></Item>
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
`

func main() {
	simtest.Run("library", 60*time.Second, func(ctx context.Context) (interface{}, error) { return run(ctx) })
}

func run(ctx context.Context) (map[string]interface{}, error) {
	vc, err := simtest.VimClient(ctx)
	if err != nil {
		return nil, err
	}
	credentials := url.UserPassword(*simtest.User, *simtest.Password)
	if err := session.NewManager(vc).Login(ctx, credentials); err != nil {
		return nil, fmt.Errorf("SOAP login: %w", err)
	}
	c := rest.NewClient(vc)
	if err := c.Login(ctx, credentials); err != nil {
		return nil, fmt.Errorf("REST login: %w", err)
	}
	defer c.Logout(ctx)
	m := library.NewManager(c)
	out := map[string]interface{}{}

	libraryID, err := m.CreateLibrary(ctx, library.Library{
		Name:        "golib",
		Description: "govmomi's library",
		Type:        "LOCAL",
		Storage:     []library.StorageBackings{{DatastoreID: *datastore, Type: "DATASTORE"}},
	})
	if err != nil {
		return nil, fmt.Errorf("CreateLibrary: %w", err)
	}
	out["libraryId"] = libraryID
	_, duplicate := m.CreateLibrary(ctx, library.Library{Name: "GOLIB", Type: "LOCAL", Storage: []library.StorageBackings{{DatastoreID: *datastore, Type: "DATASTORE"}}})
	out["duplicate"] = simtest.ErrString(duplicate)
	lib, err := m.GetLibraryByName(ctx, "golib")
	if err != nil {
		return nil, fmt.Errorf("GetLibraryByName: %w", err)
	}
	out["library"] = map[string]interface{}{"id": lib.ID, "name": lib.Name, "description": lib.Description, "type": lib.Type, "storage": lib.Storage, "created": lib.CreationTime != nil}
	if out["found"], err = m.FindLibrary(ctx, library.Find{Name: "GoLib"}); err != nil {
		return nil, fmt.Errorf("FindLibrary: %w", err)
	}

	itemID, err := m.CreateLibraryItem(ctx, library.Item{Name: "photon", Description: "Photon OS", Type: library.ItemTypeOVF, LibraryID: libraryID})
	if err != nil {
		return nil, fmt.Errorf("CreateLibraryItem: %w", err)
	}
	out["itemId"] = itemID
	if err := simtest.Upload(ctx, m, itemID, "photon.ovf", []byte(descriptor)); err != nil {
		return nil, err
	}
	items, err := m.GetLibraryItems(ctx, libraryID)
	if err != nil {
		return nil, fmt.Errorf("GetLibraryItems: %w", err)
	}
	summaries := []map[string]interface{}{}
	for _, item := range items {
		summaries = append(summaries, map[string]interface{}{"id": item.ID, "name": item.Name, "type": item.Type, "size": item.Size, "library": item.LibraryID})
	}
	out["items"] = summaries
	if out["foundItems"], err = m.FindLibraryItems(ctx, library.FindItem{LibraryID: libraryID, Name: "photon"}); err != nil {
		return nil, fmt.Errorf("FindLibraryItems: %w", err)
	}
	if out["files"], err = m.ListLibraryItemFiles(ctx, itemID); err != nil {
		return nil, fmt.Errorf("ListLibraryItemFiles: %w", err)
	}
	if out["file"], err = m.GetLibraryItemFile(ctx, itemID, "photon.ovf"); err != nil {
		return nil, fmt.Errorf("GetLibraryItemFile: %w", err)
	}
	copyID, err := m.CopyLibraryItem(ctx, &library.Item{ID: itemID}, library.Item{Name: "photon-copy"})
	if err != nil {
		return nil, fmt.Errorf("CopyLibraryItem: %w", err)
	}
	copied, err := m.GetLibraryItem(ctx, copyID)
	if err != nil {
		return nil, fmt.Errorf("GetLibraryItem of the copy: %w", err)
	}
	out["copy"] = map[string]interface{}{"name": copied.Name, "library": copied.LibraryID, "size": copied.Size, "source": copied.SourceID}
	filtered, err := vcenter.NewManager(c).FilterLibraryItem(ctx, itemID, vcenter.FilterRequest{Target: vcenter.Target{ResourcePoolID: *pool}})
	if err != nil {
		return nil, fmt.Errorf("FilterLibraryItem: %w", err)
	}
	out["filterName"] = filtered.Name
	downloaded, err := simtest.Download(ctx, m, itemID, "photon.ovf")
	if err != nil {
		return nil, err
	}
	out["downloadedMatches"] = downloaded == descriptor

	ref, err := vcenter.NewManager(c).DeployLibraryItem(ctx, itemID, vcenter.Deploy{
		DeploymentSpec: vcenter.DeploymentSpec{Name: "photon-vm", AcceptAllEULA: true, DefaultDatastoreID: *datastore},
		Target:         vcenter.Target{ResourcePoolID: *pool},
	})
	if err != nil {
		return nil, fmt.Errorf("DeployLibraryItem: %w", err)
	}
	out["deployed"] = ref.Type + ":" + ref.Value
	if err := readOverSoap(ctx, vc, *ref, out); err != nil {
		return nil, err
	}
	captured, err := vcenter.NewManager(c).CreateOVF(ctx, vcenter.OVF{
		Spec:   vcenter.CreateSpec{Name: "photon-captured"},
		Source: vcenter.ResourceID{Value: ref.Value},
		Target: vcenter.LibraryTarget{LibraryID: libraryID},
	})
	if err != nil {
		return nil, fmt.Errorf("CreateOVF: %w", err)
	}
	capturedItem, err := m.GetLibraryItem(ctx, captured)
	if err != nil {
		return nil, fmt.Errorf("GetLibraryItem of the captured item: %w", err)
	}
	out["captured"] = map[string]interface{}{"name": capturedItem.Name, "type": capturedItem.Type}

	for _, id := range []string{itemID, captured, copyID} {
		if err := m.DeleteLibraryItem(ctx, &library.Item{ID: id}); err != nil {
			return nil, fmt.Errorf("DeleteLibraryItem: %w", err)
		}
	}
	_, missing := m.GetLibraryItem(ctx, itemID)
	out["missingItem"] = simtest.ErrString(missing)
	if err := m.DeleteLibrary(ctx, lib); err != nil {
		return nil, fmt.Errorf("DeleteLibrary: %w", err)
	}
	if out["librariesLeft"], err = m.ListLibraries(ctx); err != nil {
		return nil, fmt.Errorf("ListLibraries: %w", err)
	}
	return out, nil
}

// readOverSoap records what SOAP shows of the deployed VM: its name, hardware and events.
func readOverSoap(ctx context.Context, vc *vim25.Client, ref types.ManagedObjectReference, out map[string]interface{}) error {
	var vm mo.VirtualMachine
	if err := property.DefaultCollector(vc).RetrieveOne(ctx, ref, []string{"name", "config.hardware", "config.guestId", "resourcePool"}, &vm); err != nil {
		return fmt.Errorf("RetrieveOne: %w", err)
	}
	out["vm"] = map[string]interface{}{
		"name":     vm.Name,
		"numCPU":   vm.Config.Hardware.NumCPU,
		"memoryMB": vm.Config.Hardware.MemoryMB,
		"guestId":  vm.Config.GuestId,
		"pool":     vm.ResourcePool.Value,
	}
	events, err := event.NewManager(vc).QueryEvents(ctx, types.EventFilterSpec{Entity: &types.EventFilterSpecByEntity{Entity: ref, Recursion: types.EventFilterSpecRecursionOptionSelf}})
	if err != nil {
		return fmt.Errorf("QueryEvents: %w", err)
	}
	names := []string{}
	for _, e := range events {
		names = append(names, fmt.Sprintf("%T", e)[len("*types."):]+":"+e.GetEvent().UserName)
	}
	out["events"] = names
	return nil
}
