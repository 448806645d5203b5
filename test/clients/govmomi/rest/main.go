// Command rest drives govmomi's vapi/rest client (Debian golang-github-vmware-govmomi-dev 0.24.2)
// against vcenter-sim, one scenario per run:
//
//	rest -url https://127.0.0.1:PORT/sdk -user U -password P SCENARIO
//
// Each scenario prints one JSON document as its last stdout line and exits 0. Unexpected errors
// go to stderr with exit code 1; errors a scenario expects are reported in the JSON.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"simtest"
	"time"

	"github.com/vmware/govmomi/vapi/rest"
)

var (
	vmName = flag.String("vm", "DC0_H0_VM0", "VM the scenarios read")
)

// vmSummary is one entry of GET /vcenter/vm, as the vAPI documents it.
type vmSummary struct {
	VM         string `json:"vm"`
	Name       string `json:"name"`
	PowerState string `json:"power_state"`
	CPUCount   int    `json:"cpu_count"`
	MemoryMiB  int    `json:"memory_size_MiB"`
}

// vmInfo is the part of GET /vcenter/vm/{vm} the scenarios check.
type vmInfo struct {
	Name       string `json:"name"`
	PowerState string `json:"power_state"`
	GuestOS    string `json:"guest_OS"`
	CPU        struct {
		Count int `json:"count"`
	} `json:"cpu"`
	Memory struct {
		SizeMiB int `json:"size_MiB"`
	} `json:"memory"`
	Identity struct {
		BiosUUID string `json:"bios_uuid"`
	} `json:"identity"`
	Disks map[string]struct {
		Label    string `json:"label"`
		Capacity int64  `json:"capacity"`
	} `json:"disks"`
}

func main() {
	simtest.RunScenarios("rest", 60*time.Second, map[string]simtest.Scenario{
		"login":    login,
		"soap":     fromSoapSession,
		"badlogin": badLogin,
		"power":    power,
	})
}

func get(ctx context.Context, c *rest.Client, r *rest.Resource, out interface{}) error {
	return c.Do(ctx, r.Request(http.MethodGet), out)
}

// login: Basic login, session info, VM list through /rest and /api (with a filter), one VM's
// info, logout, and the session gone afterwards.
func login(ctx context.Context) (interface{}, error) {
	c, err := simtest.RestClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	session, err := c.Session(ctx)
	if err != nil || session == nil {
		return nil, fmt.Errorf("session: %v %v", session, err)
	}
	var legacy, api, filtered []vmSummary
	if err := get(ctx, c, c.Resource("/vcenter/vm"), &legacy); err != nil {
		return nil, fmt.Errorf("GET /rest/vcenter/vm: %w", err)
	}
	if err := get(ctx, c, c.Resource("/api/vcenter/vm"), &api); err != nil {
		return nil, fmt.Errorf("GET /api/vcenter/vm: %w", err)
	}
	if err := get(ctx, c, c.Resource("/vcenter/vm").WithParam("filter.names", *vmName), &filtered); err != nil {
		return nil, fmt.Errorf("filtered list: %w", err)
	}
	if len(filtered) != 1 {
		return nil, fmt.Errorf("filter.names=%s matched %d VMs", *vmName, len(filtered))
	}
	var info vmInfo
	if err := get(ctx, c, c.Resource("/api/vcenter/vm/"+filtered[0].VM), &info); err != nil {
		return nil, fmt.Errorf("GET vm: %w", err)
	}
	missing := get(ctx, c, c.Resource("/vcenter/vm/vm-404"), &info)
	if err := c.Logout(ctx); err != nil {
		return nil, fmt.Errorf("logout: %w", err)
	}
	after, err := c.Session(ctx)
	if err != nil {
		return nil, fmt.Errorf("session after logout: %w", err)
	}
	return map[string]interface{}{
		"user":            session.User,
		"created":         session.Created,
		"lastAccessed":    session.LastAccessed,
		"restVms":         legacy,
		"apiVms":          api,
		"filtered":        filtered,
		"info":            info,
		"missingError":    simtest.ErrString(missing),
		"sessionAfterOut": after != nil,
	}, nil
}

// fromSoapSession: a client logged in over SOAP opens a REST session without credentials
// (rest.Client sends the SOAP cookie and vmware-use-header-authn).
func fromSoapSession(ctx context.Context) (interface{}, error) {
	gc, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, fmt.Errorf("SOAP login: %w", err)
	}
	c := rest.NewClient(gc.Client)
	if err := c.LoginByToken(ctx); err != nil {
		return nil, fmt.Errorf("REST login from the SOAP session: %w", err)
	}
	session, err := c.Session(ctx)
	if err != nil || session == nil {
		return nil, fmt.Errorf("session: %v %v", session, err)
	}
	var vms []vmSummary
	if err := get(ctx, c, c.Resource("/vcenter/vm"), &vms); err != nil {
		return nil, err
	}
	if err := c.Logout(ctx); err != nil {
		return nil, err
	}
	return map[string]interface{}{"user": session.User, "vms": len(vms), "token": c.SessionID()}, nil
}

// badLogin: wrong credentials are refused, and a client that never logged in has no session.
func badLogin(ctx context.Context) (interface{}, error) {
	vc, err := simtest.VimClient(ctx)
	if err != nil {
		return nil, err
	}
	c := rest.NewClient(vc)
	loginErr := c.Login(ctx, url.UserPassword(*simtest.User, *simtest.Password+"-wrong"))
	session, err := c.Session(ctx)
	if err != nil {
		return nil, fmt.Errorf("session without login: %w", err)
	}
	return map[string]interface{}{"loginError": simtest.ErrString(loginErr), "hasSession": session != nil}, nil
}

type powerInfo struct {
	State string `json:"state"`
}

// power: stops the VM through /api (`POST .../power?action=stop`), stops it again (an error the
// client reports), starts it through the 6.7 /rest form (`POST .../power/start`), reading the power
// state through both flavours after each step.
func power(ctx context.Context) (interface{}, error) {
	c, err := simtest.RestClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	defer c.Logout(ctx)
	var vms []vmSummary
	if err := get(ctx, c, c.Resource("/api/vcenter/vm").WithParam("names", *vmName), &vms); err != nil || len(vms) != 1 {
		return nil, fmt.Errorf("find %s: %v %v", *vmName, vms, err)
	}
	id := vms[0].VM
	apiPower := c.Resource("/api/vcenter/vm/" + id + "/power")
	var before, stopped, started powerInfo
	if err := get(ctx, c, apiPower, &before); err != nil {
		return nil, fmt.Errorf("GET power: %w", err)
	}
	stop := func() error {
		return c.Do(ctx, c.Resource("/api/vcenter/vm/"+id+"/power").WithParam("action", "stop").Request(http.MethodPost), nil)
	}
	if err := stop(); err != nil {
		return nil, fmt.Errorf("stop: %w", err)
	}
	if err := get(ctx, c, c.Resource("/vcenter/vm/"+id+"/power"), &stopped); err != nil {
		return nil, fmt.Errorf("GET /rest power: %w", err)
	}
	again := stop()
	if err := c.Do(ctx, c.Resource("/vcenter/vm/"+id+"/power/start").Request(http.MethodPost), nil); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	if err := get(ctx, c, apiPower, &started); err != nil {
		return nil, fmt.Errorf("GET power: %w", err)
	}
	return map[string]interface{}{
		"vm":        id,
		"before":    before.State,
		"stopped":   stopped.State,
		"stopAgain": simtest.ErrString(again),
		"started":   started.State,
	}, nil
}
