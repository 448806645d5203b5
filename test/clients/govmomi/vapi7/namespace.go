package main

import (
	"context"
	"fmt"
	"simtest"
	"time"

	"github.com/vmware/govmomi/vapi/namespace"
)

// namespaces enables a Supervisor on -cluster, waits for it to run, reads the compatibility
// lists and a support bundle location, refuses a second enable, and disables it again.
func namespaces(ctx context.Context) (interface{}, error) {
	c, err := simtest.RestClient(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Logout(ctx)
	m := namespace.NewManager(c)
	out := map[string]interface{}{}
	spec := &namespace.EnableClusterSpec{
		SizeHint:                "TINY",
		NetworkProvider:         "VSPHERE_NETWORK",
		ImageStorage:            namespace.ImageStorage{StoragePolicy: *policy},
		MasterStoragePolicy:     *policy,
		EphemeralStoragePolicy:  *policy,
		MasterManagementNetwork: &namespace.MasterManagementNetwork{Mode: "DHCP", Network: *network},
		ServiceCidr:             &namespace.Cidr{Address: "10.96.0.0", Prefix: 23},
	}
	if err := m.EnableCluster(ctx, *clusterID, spec); err != nil {
		return nil, fmt.Errorf("EnableCluster: %w", err)
	}
	clusters, err := waitFor(ctx, m, "RUNNING")
	if err != nil {
		return nil, err
	}
	out["clusters"] = clusters
	if out["switches"], err = m.ListCompatibleDistributedSwitches(ctx, *clusterID); err != nil {
		return nil, fmt.Errorf("ListCompatibleDistributedSwitches: %w", err)
	}
	if out["edges"], err = m.ListCompatibleEdgeClusters(ctx, *clusterID, "dvs"); err != nil {
		return nil, fmt.Errorf("ListCompatibleEdgeClusters: %w", err)
	}
	bundle, err := m.CreateSupportBundle(ctx, *clusterID)
	if err != nil {
		return nil, fmt.Errorf("CreateSupportBundle: %w", err)
	}
	out["bundle"] = map[string]interface{}{"url": bundle.URL, "token": bundle.Token.Token != ""}
	out["again"] = simtest.ErrString(m.EnableCluster(ctx, *clusterID, spec))
	if err := m.DisableCluster(ctx, *clusterID); err != nil {
		return nil, fmt.Errorf("DisableCluster: %w", err)
	}
	if out["afterDisable"], err = waitFor(ctx, m, ""); err != nil {
		return nil, err
	}
	return out, nil
}

// waitFor lists the Supervisors until the first has config status `status` ("" for none left).
func waitFor(ctx context.Context, m *namespace.Manager, status string) ([]namespace.ClusterSummary, error) {
	for {
		clusters, err := m.ListClusters(ctx)
		if err != nil {
			return nil, fmt.Errorf("ListClusters: %w", err)
		}
		if (status == "" && len(clusters) == 0) || (len(clusters) > 0 && clusters[0].ConfigStatus == status) {
			return clusters, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
