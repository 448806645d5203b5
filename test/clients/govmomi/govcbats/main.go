// Command govcbats does through govmomi (Debian 0.24.2) what govc's own bats suite
// (govc/test/*.bats) does against vcsim where vcenter-sim once answered differently, and prints
// what it saw as JSON. Scenarios:
//
//	version  the API version the server publishes in vimServiceVersions.xml (govc -vim-version "")
//	login    a login and a call after it, over whatever scheme -url names: over plain HTTP the
//	         session cookie must come back from Go's cookie jar, which drops Secure cookies there
package main

import (
	"context"
	"time"

	"github.com/vmware/govmomi/vim25/mo"

	"simtest"
)

func main() {
	simtest.RunScenarios("govcbats", 2*time.Minute, map[string]simtest.Scenario{
		"version": version,
		"login":   login,
	})
}

func version(ctx context.Context) (interface{}, error) {
	c, err := simtest.VimClient(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.UseServiceVersion(); err != nil {
		return nil, err
	}
	return map[string]string{"version": c.Version}, nil
}

// login reports the fault of the first call after the login ("" if none).
func login(ctx context.Context) (interface{}, error) {
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	var root mo.Folder
	err = c.RetrieveOne(ctx, c.ServiceContent.RootFolder, []string{"name"}, &root)
	return map[string]string{"fault": simtest.FaultName(err), "root": root.Name}, nil
}
