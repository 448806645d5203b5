// Command tags drives govmomi's vapi/tags client (Debian golang-github-vmware-govmomi-dev 0.24.2)
// against vcenter-sim:
//
//	tags -url https://127.0.0.1:PORT/sdk -user U -password P -vm VMID
//
// It creates a category and a tag, attaches the tag to the VM, lists it back, detaches it,
// deletes the tag and the category, and prints one JSON document as its last stdout line.
// Unexpected errors go to stderr with exit code 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"simtest"
	"time"

	"github.com/vmware/govmomi/vapi/tags"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	vmID = flag.String("vm", "", "moref id of the VM to tag")
)

func main() {
	simtest.Run("tags", 60*time.Second, run)
}

func run(ctx context.Context) (interface{}, error) {
	if *vmID == "" {
		return nil, errors.New("-vm is required")
	}
	c, err := simtest.RestClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	defer c.Logout(ctx)
	m := tags.NewManager(c)
	vm := types.ManagedObjectReference{Type: "VirtualMachine", Value: *vmID}

	categoryID, err := m.CreateCategory(ctx, &tags.Category{
		Name:            "env",
		Description:     "environment",
		Cardinality:     "SINGLE",
		AssociableTypes: []string{"VirtualMachine"},
	})
	if err != nil {
		return nil, fmt.Errorf("CreateCategory: %w", err)
	}
	category, err := m.GetCategory(ctx, categoryID)
	if err != nil {
		return nil, fmt.Errorf("GetCategory: %w", err)
	}
	_, duplicate := m.CreateCategory(ctx, &tags.Category{Name: "env", Cardinality: "SINGLE"})
	tagID, err := m.CreateTag(ctx, &tags.Tag{Name: "prod", Description: "production", CategoryID: categoryID})
	if err != nil {
		return nil, fmt.Errorf("CreateTag: %w", err)
	}
	// A second tag, created by category name (govmomi resolves the name first).
	otherID, err := m.CreateTag(ctx, &tags.Tag{Name: "dev", CategoryID: "env"})
	if err != nil {
		return nil, fmt.Errorf("CreateTag by category name: %w", err)
	}
	forCategory, err := m.ListTagsForCategory(ctx, categoryID)
	if err != nil {
		return nil, fmt.Errorf("ListTagsForCategory: %w", err)
	}
	if err := m.AttachTag(ctx, tagID, vm); err != nil {
		return nil, fmt.Errorf("AttachTag: %w", err)
	}
	single := m.AttachTag(ctx, otherID, vm)
	attachedIDs, err := m.ListAttachedTags(ctx, vm)
	if err != nil {
		return nil, fmt.Errorf("ListAttachedTags: %w", err)
	}
	attached, err := m.GetAttachedTags(ctx, vm)
	if err != nil {
		return nil, fmt.Errorf("GetAttachedTags: %w", err)
	}
	objects, err := m.ListAttachedObjects(ctx, tagID)
	if err != nil {
		return nil, fmt.Errorf("ListAttachedObjects: %w", err)
	}
	objectIDs := []string{}
	for _, o := range objects {
		objectIDs = append(objectIDs, o.Reference().Type+":"+o.Reference().Value)
	}
	missing := m.AttachTag(ctx, tagID, types.ManagedObjectReference{Type: "VirtualMachine", Value: "vm-404"})
	if err := m.DetachTag(ctx, tagID, vm); err != nil {
		return nil, fmt.Errorf("DetachTag: %w", err)
	}
	afterDetach, err := m.ListAttachedTags(ctx, vm)
	if err != nil {
		return nil, fmt.Errorf("ListAttachedTags after detach: %w", err)
	}
	if err := m.DeleteTag(ctx, &tags.Tag{ID: tagID}); err != nil {
		return nil, fmt.Errorf("DeleteTag: %w", err)
	}
	if err := m.DeleteCategory(ctx, category); err != nil {
		return nil, fmt.Errorf("DeleteCategory: %w", err)
	}
	categoriesLeft, err := m.ListCategories(ctx)
	if err != nil {
		return nil, fmt.Errorf("ListCategories: %w", err)
	}
	tagsLeft, err := m.ListTags(ctx)
	if err != nil {
		return nil, fmt.Errorf("ListTags: %w", err)
	}
	return map[string]interface{}{
		"categoryId":     categoryID,
		"category":       category,
		"duplicate":      simtest.ErrString(duplicate),
		"tagId":          tagID,
		"otherId":        otherID,
		"forCategory":    forCategory,
		"single":         simtest.ErrString(single),
		"attachedIds":    attachedIDs,
		"attached":       attached,
		"objects":        objectIDs,
		"missing":        simtest.ErrString(missing),
		"afterDetach":    afterDetach,
		"categoriesLeft": categoriesLeft,
		"tagsLeft":       tagsLeft,
	}, nil
}
