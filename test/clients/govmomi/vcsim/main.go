// Command vcsim serves govmomi 0.24.2's own simulator (simulator.VPX(), with the vAPI REST
// endpoints registered as simulator.Test does) on 127.0.0.1 at a free port, for the bundled
// client's contract suite: a server we did not write. It prints "URL <sdk url>" once listening
// and runs until it is signalled (the test kills it; its process timeout bounds an orphan).
package main

import (
	"crypto/tls"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/vmware/govmomi/simulator"
	_ "github.com/vmware/govmomi/vapi/simulator" // registers /rest (vAPI) as an endpoint
)

func main() {
	model := simulator.VPX()
	if err := model.Create(); err != nil {
		fmt.Fprintln(os.Stderr, "create:", err)
		os.Exit(1)
	}
	defer model.Remove()
	model.Service.TLS = new(tls.Config)
	model.Service.RegisterEndpoints = true
	server := model.Service.NewServer()
	defer server.Close()

	u := *server.URL
	u.User = nil
	fmt.Printf("URL %s\n", u.String())

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	<-signals
}
