// Package simtest is what vcenter-sim's Go client programs share: the flags naming the simulator,
// a main that runs a scenario and prints its result as one JSON line, and govmomi clients for it.
// The programs import it as "simtest" (GOPATH mode: test/clients/govmomi/gopath is on GOPATH).
package simtest

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/vapi/rest"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"
)

// The flags every program takes.
var (
	URL      = flag.String("url", "", "SDK URL of the simulator")
	User     = flag.String("user", "", "user name")
	Password = flag.String("password", "", "password")
)

// Scenario is one thing a program does; its result is printed as JSON.
type Scenario func(ctx context.Context) (interface{}, error)

// Run parses the flags and runs the scenario, within `timeout`.
func Run(name string, timeout time.Duration, scenario Scenario) {
	flag.Parse()
	if *URL == "" {
		Fail(name, fmt.Errorf("usage: %s -url URL -user U -password P", name))
	}
	run(name, timeout, scenario)
}

// RunScenarios parses the flags and runs the scenario the first argument names, within `timeout`.
func RunScenarios(name string, timeout time.Duration, scenarios map[string]Scenario) {
	flag.Parse()
	if flag.NArg() != 1 || *URL == "" {
		Fail(name, fmt.Errorf("usage: %s -url URL -user U -password P SCENARIO", name))
	}
	scenario, ok := scenarios[flag.Arg(0)]
	if !ok {
		Fail(name, fmt.Errorf("unknown scenario %q", flag.Arg(0)))
	}
	run(name, timeout, scenario)
}

func run(name string, timeout time.Duration, scenario Scenario) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	out, err := scenario(ctx)
	if err != nil {
		Fail(name, err)
	}
	b, err := json.Marshal(out)
	if err != nil {
		Fail(name, err)
	}
	fmt.Println(string(b))
}

// Fail ends the program: unexpected errors go to stderr with exit code 1.
func Fail(name string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	os.Exit(1)
}

// SDKURL is -url with -user and -password in it.
func SDKURL() (*url.URL, error) {
	u, err := soap.ParseURL(*URL)
	if err != nil {
		return nil, err
	}
	u.User = url.UserPassword(*User, *Password)
	return u, nil
}

// Govmomi is a govmomi client logged in over SOAP.
func Govmomi(ctx context.Context) (*govmomi.Client, error) {
	u, err := SDKURL()
	if err != nil {
		return nil, err
	}
	return govmomi.NewClient(ctx, u, true)
}

// Finder is a logged-in client and a finder set to the default datacenter (the one there is).
func Finder(ctx context.Context) (*vim25.Client, *find.Finder, error) {
	c, err := Govmomi(ctx)
	if err != nil {
		return nil, nil, err
	}
	f := find.NewFinder(c.Client, false)
	dc, err := f.DefaultDatacenter(ctx)
	if err != nil {
		return nil, nil, err
	}
	f.SetDatacenter(dc)
	return c.Client, f, nil
}

// VimClient connects to the SDK without logging in over SOAP (a REST login stands alone).
func VimClient(ctx context.Context) (*vim25.Client, error) {
	u, err := soap.ParseURL(*URL)
	if err != nil {
		return nil, err
	}
	return vim25.NewClient(ctx, soap.NewClient(u, true))
}

// RestClient is govmomi's vapi/rest client logged in with -user and -password.
func RestClient(ctx context.Context) (*rest.Client, error) {
	vc, err := VimClient(ctx)
	if err != nil {
		return nil, err
	}
	c := rest.NewClient(vc)
	if err := c.Login(ctx, url.UserPassword(*User, *Password)); err != nil {
		return nil, err
	}
	return c, nil
}

// ErrString is err's text, or "" for no error.
func ErrString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
