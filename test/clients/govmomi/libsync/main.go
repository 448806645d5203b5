// Command libsync drives govmomi's vapi/library client (Debian golang-github-vmware-govmomi-dev
// 0.24.2) through content library publishing and subscriptions against vcenter-sim:
//
//	libsync -url https://127.0.0.1:PORT/sdk -user U -password P -datastore DSID
//
// It creates a published local library with one uploaded item, subscribes to its publish URL on
// demand (CreateLibrary of type SUBSCRIBED, as govc library.create -sub does), reads the mirrored
// item (not cached), syncs it (SyncLibraryItem with force) and downloads it, adds a publisher item
// and syncs the library (SyncLibrary), publishes (PublishLibrary), and deletes the subscribed
// library. Prints one JSON document as its last stdout line.
package main

import (
	"context"
	"flag"
	"fmt"
	"simtest"
	"time"

	"github.com/vmware/govmomi/vapi/library"
)

var datastore = flag.String("datastore", "", "moref id of the libraries' datastore")

const content = "photon iso bytes"

func main() {
	simtest.Run("libsync", 60*time.Second, run)
}

func run(ctx context.Context) (interface{}, error) {
	c, err := simtest.RestClient(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Logout(ctx)
	m := library.NewManager(c)
	storage := []library.StorageBackings{{DatastoreID: *datastore, Type: "DATASTORE"}}
	published := true
	out := map[string]interface{}{}

	pubID, err := m.CreateLibrary(ctx, library.Library{
		Name: "publisher", Type: "LOCAL", Storage: storage,
		Publication: &library.Publication{Published: &published, AuthenticationMethod: "NONE"},
	})
	if err != nil {
		return nil, fmt.Errorf("CreateLibrary publisher: %w", err)
	}
	itemID, err := m.CreateLibraryItem(ctx, library.Item{Name: "photon", Type: "iso", LibraryID: pubID})
	if err != nil {
		return nil, fmt.Errorf("CreateLibraryItem: %w", err)
	}
	if err := simtest.Upload(ctx, m, itemID, "photon.iso", []byte(content)); err != nil {
		return nil, err
	}
	pub, err := m.GetLibraryByID(ctx, pubID)
	if err != nil {
		return nil, fmt.Errorf("GetLibraryByID publisher: %w", err)
	}
	out["publishURL"] = pub.Publication.PublishURL
	out["published"] = *pub.Publication.Published

	onDemand, automatic := true, false
	subID, err := m.CreateLibrary(ctx, library.Library{
		Name: "subscriber", Type: "SUBSCRIBED", Storage: storage,
		Subscription: &library.Subscription{SubscriptionURL: pub.Publication.PublishURL, AuthenticationMethod: "NONE", OnDemand: &onDemand, AutomaticSyncEnabled: &automatic},
	})
	if err != nil {
		return nil, fmt.Errorf("CreateLibrary subscriber: %w", err)
	}
	sub, err := m.GetLibraryByID(ctx, subID)
	if err != nil {
		return nil, fmt.Errorf("GetLibraryByID subscriber: %w", err)
	}
	out["subscriber"] = map[string]interface{}{"type": sub.Type, "url": sub.Subscription.SubscriptionURL, "onDemand": *sub.Subscription.OnDemand, "synced": sub.LastSyncTime != nil}

	items, err := m.GetLibraryItems(ctx, subID)
	if err != nil || len(items) != 1 {
		return nil, fmt.Errorf("GetLibraryItems subscriber: %v %v", items, err)
	}
	mirror := items[0]
	out["mirror"] = map[string]interface{}{"name": mirror.Name, "source": mirror.SourceID, "cached": mirror.Cached, "size": mirror.Size}
	if err := m.SyncLibraryItem(ctx, &mirror, true); err != nil {
		return nil, fmt.Errorf("SyncLibraryItem: %w", err)
	}
	synced, err := m.GetLibraryItem(ctx, mirror.ID)
	if err != nil {
		return nil, fmt.Errorf("GetLibraryItem: %w", err)
	}
	out["syncedCached"] = synced.Cached
	if out["downloaded"], err = simtest.Download(ctx, m, mirror.ID, "photon.iso"); err != nil {
		return nil, err
	}

	if _, err := m.CreateLibraryItem(ctx, library.Item{Name: "second", Type: "iso", LibraryID: pubID}); err != nil {
		return nil, fmt.Errorf("CreateLibraryItem second: %w", err)
	}
	if out["beforeSync"], err = count(ctx, m, subID); err != nil {
		return nil, err
	}
	if err := m.SyncLibrary(ctx, sub); err != nil {
		return nil, fmt.Errorf("SyncLibrary: %w", err)
	}
	if out["afterSync"], err = count(ctx, m, subID); err != nil {
		return nil, err
	}
	if _, err := m.CreateLibraryItem(ctx, library.Item{Name: "third", Type: "iso", LibraryID: pubID}); err != nil {
		return nil, fmt.Errorf("CreateLibraryItem third: %w", err)
	}
	if err := m.PublishLibrary(ctx, pub, nil); err != nil {
		return nil, fmt.Errorf("PublishLibrary: %w", err)
	}
	if out["afterPublish"], err = count(ctx, m, subID); err != nil {
		return nil, err
	}
	_, refused := m.CreateLibraryItem(ctx, library.Item{Name: "mine", Type: "iso", LibraryID: subID})
	out["refused"] = simtest.ErrString(refused)
	if err := m.DeleteLibrary(ctx, sub); err != nil {
		return nil, fmt.Errorf("DeleteLibrary subscriber: %w", err)
	}
	if out["left"], err = m.ListLibraries(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

func count(ctx context.Context, m *library.Manager, libraryID string) (int, error) {
	ids, err := m.ListLibraryItems(ctx, libraryID)
	return len(ids), err
}
