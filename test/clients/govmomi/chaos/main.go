// Command chaos drives govmomi's vapi/rest client (Debian golang-github-vmware-govmomi-dev 0.24.2)
// against vcenter-sim's injected faults, one scenario per run:
//
//	chaos -url https://127.0.0.1:PORT/sdk -user U -password P SCENARIO
//
// The test adds the fault rules; each scenario prints one JSON document as its last stdout line
// and exits 0. Unexpected errors go to stderr with exit code 1; errors a scenario expects are
// reported in the JSON.
package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"simtest"
	"time"

	"github.com/vmware/govmomi/vapi/rest"
)

// recorder remembers the status and Retry-After header of each response the client receives.
type recorder struct {
	next      http.RoundTripper
	responses []seen
}

type seen struct {
	Path       string `json:"path"`
	Status     int    `json:"status"`
	RetryAfter string `json:"retryAfter,omitempty"`
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := r.next.RoundTrip(req)
	if err == nil {
		r.responses = append(r.responses, seen{Path: req.URL.Path, Status: res.StatusCode, RetryAfter: res.Header.Get("Retry-After")})
	}
	return res, err
}

func main() {
	simtest.RunScenarios("chaos", 60*time.Second, map[string]simtest.Scenario{
		"rest-503": rest503,
	})
}

// rest503: logs in over REST, lists VMs through /api/vcenter/vm (the test's rule answers 503 with
// Retry-After once), then lists them again.
func rest503(ctx context.Context) (interface{}, error) {
	vc, err := simtest.VimClient(ctx)
	if err != nil {
		return nil, err
	}
	c := rest.NewClient(vc)
	rec := &recorder{next: c.Transport}
	if rec.next == nil {
		rec.next = http.DefaultTransport
	}
	c.Transport = rec
	if err := c.Login(ctx, url.UserPassword(*simtest.User, *simtest.Password)); err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	list := func() ([]map[string]interface{}, error) {
		var vms []map[string]interface{}
		err := c.Do(ctx, c.Resource("/api/vcenter/vm").Request(http.MethodGet), &vms)
		return vms, err
	}
	_, first := list()
	firstError := ""
	if first != nil {
		firstError = first.Error()
	}
	vms, err := list()
	if err != nil {
		return nil, fmt.Errorf("second list: %w", err)
	}
	return map[string]interface{}{
		"firstError": firstError,
		"responses":  rec.responses,
		"vms":        len(vms),
	}, nil
}
