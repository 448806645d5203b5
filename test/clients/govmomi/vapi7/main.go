// Command vapi7 drives govmomi's vSphere 7 vapi clients (Debian golang-github-vmware-govmomi-dev
// 0.24.2) that have no program of their own against vcenter-sim, one scenario per run:
//
//	vapi7 -url URL -user U -password P [flags of the scenario] SCENARIO
//
// Scenarios: "logging" reads the appliance's syslog forwarding (vapi/appliance/logging);
// "namespace" enables a Supervisor on a cluster, lists clusters, switch and edge cluster
// compatibility, a support bundle, and disables it (vapi/namespace); "vmtx" makes, deploys, checks
// out and in a VM template library item (vapi/vcenter). Prints one JSON document.
package main

import (
	"flag"
	"simtest"
	"time"
)

var (
	clusterID = flag.String("cluster", "", "moref id of the cluster")
	network   = flag.String("network", "", "moref id of the Supervisor's management network")
	policy    = flag.String("policy", "", "storage policy id for the Supervisor")
	datastore = flag.String("datastore", "", "moref id of the template library's datastore")
	pool      = flag.String("pool", "", "moref id of the resource pool templates deploy into")
	vmID      = flag.String("vm", "", "moref id of the VM a template is made of")
)

func main() {
	simtest.RunScenarios("vapi7", 60*time.Second, map[string]simtest.Scenario{
		"logging":   loggingForwarding,
		"namespace": namespaces,
		"vmtx":      vmtx,
	})
}
