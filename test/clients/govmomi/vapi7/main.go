// Command vapi7 drives govmomi's vSphere 7 vapi clients (Debian golang-github-vmware-govmomi-dev
// 0.24.2) that have no program of their own against vcenter-sim, one scenario per run:
//
//	vapi7 -url URL -user U -password P [-cluster ID -network ID -policy ID] SCENARIO
//
// Scenarios: "logging" reads the appliance's syslog forwarding (vapi/appliance/logging);
// "namespace" enables a Supervisor on a cluster, lists clusters, switch and edge cluster
// compatibility, a support bundle, and disables it (vapi/namespace). Prints one JSON document.
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
)

func main() {
	simtest.RunScenarios("vapi7", 60*time.Second, map[string]simtest.Scenario{
		"logging":   loggingForwarding,
		"namespace": namespaces,
	})
}
