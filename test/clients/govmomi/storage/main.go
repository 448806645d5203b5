// Command storage uses datastores and host networking through the govmomi library (Debian
// golang-github-vmware-govmomi-dev 0.24.2) against vcenter-sim: Datastore.Upload/Download/Stat
// (HTTP /folder), HostDatastoreBrowser searches, object.DatastoreFileManager (copy, move,
// delete), FileManager.MakeDirectory and VirtualDiskManager (create, extend, uuid), and
// object.HostNetworkSystem. It prints one JSON document and exits 0; unexpected errors exit 1.
//
//	storage -url https://127.0.0.1:PORT/sdk -user U -password P datastore|network
package main

import (
	"context"
	"io/ioutil"
	"reflect"
	"simtest"
	"strings"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

func main() {
	simtest.RunScenarios("storage", 120*time.Second, map[string]simtest.Scenario{
		"datastore": datastore,
	})
}

// faultName is the vSphere fault type of err ("" for none).
func faultName(err error) string {
	if err == nil {
		return ""
	}
	var fault interface{}
	switch e := err.(type) {
	case task.Error:
		fault = e.Fault()
	default:
		if soap.IsSoapFault(err) {
			fault = soap.ToSoapFault(err).VimFault()
		} else if soap.IsVimFault(err) {
			fault = soap.ToVimFault(err)
		} else {
			return "error: " + err.Error()
		}
	}
	t := reflect.TypeOf(fault)
	if t.Kind() == reflect.Ptr {
		t = t.Elem()
	}
	return t.Name()
}

func datastore(ctx context.Context) (interface{}, error) {
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
	ds, err := finder.Datastore(ctx, "LocalDS_0")
	if err != nil {
		return nil, err
	}
	out := map[string]interface{}{}
	freeSpace := func() int64 {
		var m mo.Datastore
		_ = ds.Properties(ctx, ds.Reference(), []string{"summary"}, &m)
		return m.Summary.FreeSpace
	}
	free0 := freeSpace()

	// Upload a file and an ISO over HTTP, read them back.
	p := soap.DefaultUpload
	if err := ds.Upload(ctx, strings.NewReader("hello from govmomi"), "govmomi/hello.txt", &p); err != nil {
		return nil, err
	}
	iso := strings.Repeat("CD001", 1000)
	if err := ds.Upload(ctx, strings.NewReader(iso), "iso/tiny.iso", &p); err != nil {
		return nil, err
	}
	r, _, err := ds.Download(ctx, "govmomi/hello.txt", &soap.DefaultDownload)
	if err != nil {
		return nil, err
	}
	body, _ := ioutil.ReadAll(r)
	r.Close()
	out["downloaded"] = string(body)
	r, _, err = ds.Download(ctx, "DC0_H0_VM0/DC0_H0_VM0.vmx", &soap.DefaultDownload)
	if err != nil {
		return nil, err
	}
	vmx, _ := ioutil.ReadAll(r)
	r.Close()
	out["vmxHasName"] = strings.Contains(string(vmx), `displayName = "DC0_H0_VM0"`)
	out["spaceUsed"] = free0 - freeSpace()

	// Stat (SearchDatastore with details and a pattern).
	info, err := ds.Stat(ctx, "iso/tiny.iso")
	if err != nil {
		return nil, err
	}
	out["stat"] = map[string]interface{}{"type": reflect.TypeOf(info).Elem().Name(), "size": info.GetFileInfo().FileSize}
	_, err = ds.Stat(ctx, "nowhere/x.iso")
	out["statMissingDir"] = reflect.TypeOf(err).Name()

	// Browse every folder for ISO images and VM disks.
	browser, err := ds.Browser(ctx)
	if err != nil {
		return nil, err
	}
	spec := types.HostDatastoreBrowserSearchSpec{
		Query:   []types.BaseFileQuery{&types.IsoImageFileQuery{}, &types.VmDiskFileQuery{Details: &types.VmDiskFileQueryFlags{CapacityKb: true, DiskType: true}}},
		Details: &types.FileQueryFlags{FileType: true, FileSize: true},
	}
	t, err := browser.SearchDatastoreSubFolders(ctx, ds.Path(""), &spec)
	if err != nil {
		return nil, err
	}
	res, err := t.WaitForResult(ctx, nil)
	if err != nil {
		return nil, err
	}
	isos, disks := []string{}, 0
	for _, folder := range res.Result.(types.ArrayOfHostDatastoreBrowserSearchResults).HostDatastoreBrowserSearchResults {
		for _, f := range folder.File {
			switch v := f.(type) {
			case *types.IsoImageFileInfo:
				isos = append(isos, folder.FolderPath+"/"+v.Path)
			case *types.VmDiskFileInfo:
				if v.CapacityKb > 0 {
					disks++
				}
			}
		}
	}
	out["isos"] = isos
	out["vmDisks"] = disks

	// DatastoreFileManager: copy, move, delete; a VM's file cannot go.
	fm := ds.NewFileManager(dc, false)
	if err := fm.Copy(ctx, "govmomi/hello.txt", "govmomi/copy.txt"); err != nil {
		return nil, err
	}
	out["copyAgain"] = faultName(fm.CopyFile(ctx, "govmomi/hello.txt", "govmomi/copy.txt"))
	if err := fm.Move(ctx, "govmomi/copy.txt", "moved/copy.txt"); err != nil {
		return nil, err
	}
	_, err = ds.Stat(ctx, "moved/copy.txt")
	out["movedThere"] = err == nil
	_, err = ds.Stat(ctx, "govmomi/copy.txt")
	out["movedAway"] = err != nil
	out["deleteVmFile"] = faultName(fm.DeleteFile(ctx, "DC0_H0_VM0/DC0_H0_VM0.vmx"))
	out["deleteMissing"] = faultName(fm.DeleteFile(ctx, "no/such/file"))
	for _, name := range []string{"govmomi", "moved", "iso"} {
		if err := fm.DeleteFile(ctx, name); err != nil {
			return nil, err
		}
	}

	// Directories and virtual disks.
	files := object.NewFileManager(c.Client)
	out["mkdirNoParent"] = faultName(files.MakeDirectory(ctx, ds.Path("a/b"), dc, false))
	if err := files.MakeDirectory(ctx, ds.Path("disks/thin"), dc, true); err != nil {
		return nil, err
	}
	out["mkdirAgain"] = faultName(files.MakeDirectory(ctx, ds.Path("disks"), dc, false))
	vdm := object.NewVirtualDiskManager(c.Client)
	diskSpec := &types.FileBackedVirtualDiskSpec{VirtualDiskSpec: types.VirtualDiskSpec{DiskType: "thin", AdapterType: "lsiLogic"}, CapacityKb: 10240}
	name := ds.Path("disks/thin/d1.vmdk")
	t, err = vdm.CreateVirtualDisk(ctx, name, dc, diskSpec)
	if err != nil {
		return nil, err
	}
	if err := t.Wait(ctx); err != nil {
		return nil, err
	}
	t, _ = vdm.CreateVirtualDisk(ctx, name, dc, diskSpec)
	out["createAgain"] = faultName(t.Wait(ctx))
	dcRef := dc.Reference()
	ext, err := methods.ExtendVirtualDisk_Task(ctx, c.Client, &types.ExtendVirtualDisk_Task{This: *c.ServiceContent.VirtualDiskManager, Name: name, Datacenter: &dcRef, NewCapacityKb: 20480})
	if err != nil {
		return nil, err
	}
	if err := object.NewTask(c.Client, ext.Returnval).Wait(ctx); err != nil {
		return nil, err
	}
	uuid, err := vdm.QueryVirtualDiskUuid(ctx, name, dc)
	if err != nil {
		return nil, err
	}
	out["uuid"] = uuid
	disk, err := ds.Stat(ctx, "disks/thin/d1.vmdk")
	if err != nil {
		return nil, err
	}
	if d, ok := disk.(*types.VmDiskFileInfo); ok {
		out["disk"] = map[string]interface{}{"capacityKb": d.CapacityKb, "thin": d.Thin != nil && *d.Thin}
	}
	if err := fm.Delete(ctx, "disks/thin/d1.vmdk"); err != nil {
		return nil, err
	}
	_, err = ds.Stat(ctx, "disks/thin/d1-flat.vmdk")
	out["extentGone"] = err != nil
	if err := fm.DeleteFile(ctx, "disks"); err != nil {
		return nil, err
	}
	out["spaceBack"] = freeSpace() == free0
	return out, nil
}
