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
	"errors"
	"io/ioutil"
	"reflect"
	"simtest"
	"strings"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/ovf"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

func main() {
	simtest.RunScenarios("storage", 120*time.Second, map[string]simtest.Scenario{
		"datastore": datastore,
		"network":   network,
		"host":      hostStorage,
		"pod":       pod,
		"ovf":       importOvf,
	})
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
	out["copyAgain"] = simtest.FaultName(fm.CopyFile(ctx, "govmomi/hello.txt", "govmomi/copy.txt"))
	if err := fm.Move(ctx, "govmomi/copy.txt", "moved/copy.txt"); err != nil {
		return nil, err
	}
	_, err = ds.Stat(ctx, "moved/copy.txt")
	out["movedThere"] = err == nil
	_, err = ds.Stat(ctx, "govmomi/copy.txt")
	out["movedAway"] = err != nil
	out["deleteVmFile"] = simtest.FaultName(fm.DeleteFile(ctx, "DC0_H0_VM0/DC0_H0_VM0.vmx"))
	out["deleteMissing"] = simtest.FaultName(fm.DeleteFile(ctx, "no/such/file"))
	for _, name := range []string{"govmomi", "moved", "iso"} {
		if err := fm.DeleteFile(ctx, name); err != nil {
			return nil, err
		}
	}

	// Directories and virtual disks.
	files := object.NewFileManager(c.Client)
	out["mkdirNoParent"] = simtest.FaultName(files.MakeDirectory(ctx, ds.Path("a/b"), dc, false))
	if err := files.MakeDirectory(ctx, ds.Path("disks/thin"), dc, true); err != nil {
		return nil, err
	}
	out["mkdirAgain"] = simtest.FaultName(files.MakeDirectory(ctx, ds.Path("disks"), dc, false))
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
	out["createAgain"] = simtest.FaultName(t.Wait(ctx))
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

func network(ctx context.Context) (interface{}, error) {
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
	host, err := finder.HostSystem(ctx, "DC0_C0/DC0_C0_H0")
	if err != nil {
		return nil, err
	}
	ns, err := host.ConfigManager().NetworkSystem(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]interface{}{}
	spec := &types.HostVirtualSwitchSpec{NumPorts: 64, Mtu: 9000, Bridge: &types.HostVirtualSwitchBondBridge{NicDevice: []string{"vmnic1"}}}
	if err := ns.AddVirtualSwitch(ctx, "vSwitch1", spec); err != nil {
		return nil, err
	}
	out["addSwitchAgain"] = simtest.FaultName(ns.AddVirtualSwitch(ctx, "vSwitch1", spec))
	pg := types.HostPortGroupSpec{Name: "Storage", VlanId: 20, VswitchName: "vSwitch1", Policy: types.HostNetworkPolicy{}}
	if err := ns.AddPortGroup(ctx, pg); err != nil {
		return nil, err
	}
	out["addPortgroupAgain"] = simtest.FaultName(ns.AddPortGroup(ctx, pg))
	out["portgroupOnMissingSwitch"] = simtest.FaultName(ns.AddPortGroup(ctx, types.HostPortGroupSpec{Name: "x", VswitchName: "nope"}))
	device, err := ns.AddVirtualNic(ctx, "Storage", types.HostVirtualNicSpec{Ip: &types.HostIpConfig{IpAddress: "10.0.20.5", SubnetMask: "255.255.255.0"}, Mtu: 9000})
	if err != nil {
		return nil, err
	}
	out["vnic"] = device
	var m mo.HostNetworkSystem
	if err := ns.Properties(ctx, ns.Reference(), []string{"networkInfo"}, &m); err != nil {
		return nil, err
	}
	switches, groups := []string{}, []string{}
	for _, v := range m.NetworkInfo.Vswitch {
		switches = append(switches, v.Name)
	}
	for _, g := range m.NetworkInfo.Portgroup {
		groups = append(groups, g.Spec.Name)
	}
	out["switches"] = switches
	out["portgroups"] = groups
	for _, v := range m.NetworkInfo.Vnic {
		if v.Device == device {
			out["vnicIp"] = v.Spec.Ip.IpAddress
		}
	}
	// The new portgroup is a Network of the datacenter.
	net, err := finder.Network(ctx, "Storage")
	if err != nil {
		return nil, err
	}
	out["networkType"] = net.Reference().Type

	nics, err := host.ConfigManager().VirtualNicManager(ctx)
	if err != nil {
		return nil, err
	}
	if err := nics.SelectVnic(ctx, "vmotion", device); err != nil {
		return nil, err
	}
	info, err := nics.Info(ctx)
	if err != nil {
		return nil, err
	}
	for _, nc := range info.NetConfig {
		if nc.NicType == "vmotion" {
			out["vmotionSelected"] = nc.SelectedVnic
		}
	}
	if err := nics.DeselectVnic(ctx, "vmotion", device); err != nil {
		return nil, err
	}

	out["removePortgroupInUse"] = simtest.FaultName(ns.RemovePortGroup(ctx, "Storage"))
	if err := ns.RemoveVirtualNic(ctx, device); err != nil {
		return nil, err
	}
	if err := ns.RemovePortGroup(ctx, "Storage"); err != nil {
		return nil, err
	}
	if err := ns.RemoveVirtualSwitch(ctx, "vSwitch1"); err != nil {
		return nil, err
	}
	_, err = finder.Network(ctx, "Storage")
	out["networkGone"] = err != nil
	out["removeSwitchAgain"] = simtest.FaultName(ns.RemoveVirtualSwitch(ctx, "vSwitch1"))
	return out, nil
}

func hostStorage(ctx context.Context) (interface{}, error) {
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
	out := map[string]interface{}{}
	hosts, err := finder.HostSystemList(ctx, "DC0_C0/*")
	if err != nil {
		return nil, err
	}
	spec := types.HostNasVolumeSpec{RemoteHost: "nfs.example.com", RemotePath: "/exports/vms", LocalPath: "nfs-vms", AccessMode: "readWrite", Type: "NFS"}
	for _, host := range hosts[:2] {
		dss, err := host.ConfigManager().DatastoreSystem(ctx)
		if err != nil {
			return nil, err
		}
		if _, err := dss.CreateNasDatastore(ctx, spec); err != nil {
			return nil, err
		}
	}
	ds, err := finder.Datastore(ctx, "nfs-vms")
	if err != nil {
		return nil, err
	}
	var m mo.Datastore
	if err := ds.Properties(ctx, ds.Reference(), []string{"summary", "host", "info"}, &m); err != nil {
		return nil, err
	}
	out["nas"] = map[string]interface{}{"type": m.Summary.Type, "hosts": len(m.Host), "multipleHostAccess": m.Summary.MultipleHostAccess != nil && *m.Summary.MultipleHostAccess, "remoteHost": m.Info.(*types.NasDatastoreInfo).Nas.RemoteHost}
	// A file on the new datastore, then a VMFS datastore on the host's free disk (govc datastore.create's sequence).
	p := soap.DefaultUpload
	if err := ds.Upload(ctx, strings.NewReader("on nfs"), "x/file.txt", &p); err != nil {
		return nil, err
	}
	dss, _ := hosts[0].ConfigManager().DatastoreSystem(ctx)
	disks, err := dss.QueryAvailableDisksForVmfs(ctx)
	if err != nil {
		return nil, err
	}
	out["freeDisks"] = len(disks)
	options, err := dss.QueryVmfsDatastoreCreateOptions(ctx, disks[0].DevicePath)
	if err != nil {
		return nil, err
	}
	create := options[0].Spec.(*types.VmfsDatastoreCreateSpec)
	create.Vmfs.VolumeName = "vmfs-new"
	vmfs, err := dss.CreateVmfsDatastore(ctx, *create)
	if err != nil {
		return nil, err
	}
	var v mo.Datastore
	if err := vmfs.Properties(ctx, vmfs.Reference(), []string{"summary"}, &v); err != nil {
		return nil, err
	}
	out["vmfs"] = map[string]interface{}{"name": v.Summary.Name, "type": v.Summary.Type, "capacity": v.Summary.Capacity}
	disks, _ = dss.QueryAvailableDisksForVmfs(ctx)
	out["freeDisksAfter"] = len(disks)
	if err := dss.Remove(ctx, vmfs); err != nil {
		return nil, err
	}
	storage, err := hosts[0].ConfigManager().StorageSystem(ctx)
	if err != nil {
		return nil, err
	}
	out["rescan"] = storage.RescanAllHba(ctx) == nil && storage.RescanVmfs(ctx) == nil && storage.Refresh(ctx) == nil
	_, err = finder.Datastore(ctx, "vmfs-new")
	out["vmfsGone"] = err != nil
	return out, nil
}

// pod places a new VM in a datastore cluster as govc vm.create -datastore-cluster does.
func pod(ctx context.Context) (interface{}, error) {
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
	folders, err := dc.Folders(ctx)
	if err != nil {
		return nil, err
	}
	sp, err := folders.DatastoreFolder.CreateStoragePod(ctx, "pod-go")
	if err != nil {
		return nil, err
	}
	ds, err := finder.Datastore(ctx, "LocalDS_0")
	if err != nil {
		return nil, err
	}
	t, err := sp.MoveInto(ctx, []types.ManagedObjectReference{ds.Reference()})
	if err != nil {
		return nil, err
	}
	if err := t.Wait(ctx); err != nil {
		return nil, err
	}
	pool, err := finder.ResourcePool(ctx, "DC0_C0/Resources")
	if err != nil {
		return nil, err
	}
	podRef := sp.Reference()
	folderRef := folders.VmFolder.Reference()
	poolRef := pool.Reference()
	spec := types.StoragePlacementSpec{
		Type:             "create",
		PodSelectionSpec: types.StorageDrsPodSelectionSpec{StoragePod: &podRef},
		ConfigSpec:       &types.VirtualMachineConfigSpec{Name: "pod-vm", GuestId: "otherGuest", Files: &types.VirtualMachineFileInfo{VmPathName: ""}},
		Folder:           &folderRef,
		ResourcePool:     &poolRef,
	}
	srm := object.NewStorageResourceManager(c.Client)
	result, err := srm.RecommendDatastores(ctx, spec)
	if err != nil {
		return nil, err
	}
	out := map[string]interface{}{"recommendations": len(result.Recommendations)}
	action := result.Recommendations[0].Action[0].(*types.StoragePlacementAction)
	out["destination"] = action.Destination.Value == ds.Reference().Value
	t, err = srm.ApplyStorageDrsRecommendation(ctx, []string{result.Recommendations[0].Key})
	if err != nil {
		return nil, err
	}
	info, err := t.WaitForResult(ctx, nil)
	if err != nil {
		return nil, err
	}
	vmRef := info.Result.(types.ApplyStorageRecommendationResult).Vm
	var vm mo.VirtualMachine
	if err := c.RetrieveOne(ctx, *vmRef, []string{"name", "datastore"}, &vm); err != nil {
		return nil, err
	}
	out["vm"] = vm.Name
	out["onPodDatastore"] = len(vm.Datastore) == 1 && vm.Datastore[0].Value == ds.Reference().Value
	var p mo.StoragePod
	if err := sp.Properties(ctx, podRef, []string{"summary"}, &p); err != nil {
		return nil, err
	}
	out["podCapacity"] = p.Summary.Capacity
	return out, nil
}

const descriptor = `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vmw="http://www.vmware.com/schema/ovf">
  <References><File ovf:href="tiny-disk1.vmdk" ovf:id="file1" ovf:size="4096"/></References>
  <DiskSection><Info>Virtual disks</Info><Disk ovf:capacity="2" ovf:capacityAllocationUnits="byte * 2^20" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/></DiskSection>
  <NetworkSection><Info>Networks</Info><Network ovf:name="VM Network"><Description>The VM Network network</Description></Network></NetworkSection>
  <VirtualSystem ovf:id="tiny">
    <Info>A virtual machine</Info>
    <Name>tiny</Name>
    <OperatingSystemSection ovf:id="101" vmw:osType="otherLinux64Guest"><Info>OS</Info></OperatingSystemSection>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements</Info>
      <Item><rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits><rasd:ElementName>2 virtual CPU(s)</rasd:ElementName><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>2</rasd:VirtualQuantity></Item>
      <Item><rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:ElementName>256MB of memory</rasd:ElementName><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>256</rasd:VirtualQuantity></Item>
      <Item><rasd:Address>0</rasd:Address><rasd:ElementName>SCSI Controller 0</rasd:ElementName><rasd:InstanceID>3</rasd:InstanceID><rasd:ResourceSubType>lsilogic</rasd:ResourceSubType><rasd:ResourceType>6</rasd:ResourceType></Item>
      <Item><rasd:AddressOnParent>0</rasd:AddressOnParent><rasd:ElementName>Hard Disk 1</rasd:ElementName><rasd:HostResource>ovf:/disk/vmdisk1</rasd:HostResource><rasd:InstanceID>4</rasd:InstanceID><rasd:Parent>3</rasd:Parent><rasd:ResourceType>17</rasd:ResourceType></Item>
      <Item><rasd:AddressOnParent>7</rasd:AddressOnParent><rasd:AutomaticAllocation>true</rasd:AutomaticAllocation><rasd:Connection>VM Network</rasd:Connection><rasd:ElementName>Network adapter 1</rasd:ElementName><rasd:InstanceID>5</rasd:InstanceID><rasd:ResourceSubType>VmxNet3</rasd:ResourceSubType><rasd:ResourceType>10</rasd:ResourceType></Item>
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>`

// importOvf deploys an OVF as govc import.ovf does: CreateImportSpec, ImportVApp, the lease's
// upload of each disk, progress and complete; then exports the VM (ExportVm) and reads its disk.
func importOvf(ctx context.Context) (interface{}, error) {
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
	pool, err := finder.ResourcePool(ctx, "DC0_C0/Resources")
	if err != nil {
		return nil, err
	}
	ds, err := finder.Datastore(ctx, "LocalDS_0")
	if err != nil {
		return nil, err
	}
	folders, err := dc.Folders(ctx)
	if err != nil {
		return nil, err
	}
	m := ovf.NewManager(c.Client)
	out := map[string]interface{}{}
	parsed, err := m.ParseDescriptor(ctx, descriptor, types.OvfParseDescriptorParams{})
	if err != nil {
		return nil, err
	}
	out["defaultName"] = parsed.DefaultEntityName
	spec, err := m.CreateImportSpec(ctx, descriptor, pool, ds, types.OvfCreateImportSpecParams{EntityName: "tiny-imported", DiskProvisioning: "thin"})
	if err != nil {
		return nil, err
	}
	if spec.Error != nil {
		return nil, errors.New(spec.Error[0].LocalizedMessage)
	}
	out["fileItems"] = len(spec.FileItem)
	lease, err := pool.ImportVApp(ctx, spec.ImportSpec, folders.VmFolder, nil)
	if err != nil {
		return nil, err
	}
	info, err := lease.Wait(ctx, spec.FileItem)
	if err != nil {
		return nil, err
	}
	// As govc: the updater reads each item's progress and reports it with HttpNfcLeaseProgress.
	updater := lease.StartUpdater(ctx, info)
	for _, item := range info.Items {
		if err := lease.Upload(ctx, item, strings.NewReader(strings.Repeat("x", int(item.Size))), soap.Upload{ContentLength: item.Size}); err != nil {
			return nil, err
		}
	}
	updater.Done()
	if err := lease.Complete(ctx); err != nil {
		return nil, err
	}
	var vm mo.VirtualMachine
	if err := c.RetrieveOne(ctx, info.Entity, []string{"name", "config", "network"}, &vm); err != nil {
		return nil, err
	}
	disks, nics := []int64{}, []string{}
	for _, d := range vm.Config.Hardware.Device {
		switch v := d.(type) {
		case *types.VirtualDisk:
			disks = append(disks, v.CapacityInKB)
		case *types.VirtualVmxnet3:
			nics = append(nics, "vmxnet3")
		}
	}
	out["vm"] = map[string]interface{}{"name": vm.Name, "cpus": vm.Config.Hardware.NumCPU, "memoryMB": vm.Config.Hardware.MemoryMB, "guestId": vm.Config.GuestId, "disks": disks, "nics": nics, "networks": len(vm.Network)}

	// A second import, aborted: its VM goes.
	spec2, err := m.CreateImportSpec(ctx, descriptor, pool, ds, types.OvfCreateImportSpecParams{EntityName: "tiny-aborted"})
	if err != nil {
		return nil, err
	}
	lease2, err := pool.ImportVApp(ctx, spec2.ImportSpec, folders.VmFolder, nil)
	if err != nil {
		return nil, err
	}
	if _, err := lease2.Wait(ctx, spec2.FileItem); err != nil {
		return nil, err
	}
	if err := lease2.Abort(ctx, nil); err != nil {
		return nil, err
	}
	_, err = finder.VirtualMachine(ctx, "tiny-aborted")
	out["abortedGone"] = err != nil

	// Export: a download lease on the imported VM's disks.
	obj := object.NewVirtualMachine(c.Client, info.Entity)
	exp, err := obj.Export(ctx)
	if err != nil {
		return nil, err
	}
	einfo, err := exp.Wait(ctx, nil)
	if err != nil {
		return nil, err
	}
	sizes := []int64{}
	for _, item := range einfo.Items {
		r, n, err := c.Download(ctx, item.URL, &soap.DefaultDownload)
		if err != nil {
			return nil, err
		}
		body, _ := ioutil.ReadAll(r)
		r.Close()
		if int64(len(body)) != n {
			return nil, errors.New("short download")
		}
		sizes = append(sizes, n)
	}
	out["exported"] = sizes
	if err := exp.Complete(ctx); err != nil {
		return nil, err
	}
	return out, nil
}
