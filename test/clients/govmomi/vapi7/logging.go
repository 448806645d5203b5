package main

import (
	"context"
	"fmt"
	"simtest"

	"github.com/vmware/govmomi/vapi/appliance/logging"
)

// loggingForwarding reads the forwarding configuration the test set beforehand.
func loggingForwarding(ctx context.Context) (interface{}, error) {
	c, err := simtest.RestClient(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Logout(ctx)
	list, err := logging.NewManager(c).Forwarding(ctx)
	if err != nil {
		return nil, fmt.Errorf("Forwarding: %w", err)
	}
	return map[string]interface{}{"forwarding": list}, nil
}
