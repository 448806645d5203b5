// Command hostconfig drives a host's configuration managers through govmomi (Debian 0.24.2) the
// way govc's host.* commands do (govc/host/service, date, option, autostart, firewall; read from
// govc 0.38's source), and prints what it saw as JSON. Scenarios:
//
//	walk       every host's configManager: each reference read with all its properties
//	service    host.service ls/start/stop/restart/enable/disable/status, and an unknown id
//	date       host.date.info, host.date.change -server / -date
//	option     host.option.ls/set (an int, a bool, a string, an unknown one, a bad value)
//	autostart  host.autostart.configure/add/remove/info, AutoStartPowerOff/On
//	firewall   firewall.ruleset.find, EnableRuleset/DisableRuleset/UpdateRuleset/UpdateDefaultPolicy
//	power      ConfigurePowerPolicy
//	events     what `govc events` lists on a fresh simulator
//	cert       host.cert.info, host.cert.import (InstallServerCertificate), CA certificates
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"reflect"
	"sort"
	"time"

	"github.com/vmware/govmomi/event"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"simtest"
)

var hostPath = flag.String("host", "", "inventory path of the host (default: the first host)")

func main() {
	simtest.RunScenarios("hostconfig", 2*time.Minute, map[string]simtest.Scenario{
		"walk":      walk,
		"service":   service,
		"date":      date,
		"option":    option,
		"autostart": autostart,
		"firewall":  firewall,
		"power":     power,
		"events":    events,
		"cert":      cert,
	})
}

func connect(ctx context.Context) (*vim25.Client, *object.HostSystem, error) {
	c, finder, err := simtest.Finder(ctx)
	if err != nil {
		return nil, nil, err
	}
	var host *object.HostSystem
	if *hostPath != "" {
		host, err = finder.HostSystem(ctx, *hostPath)
	} else {
		var hosts []*object.HostSystem
		hosts, err = finder.HostSystemList(ctx, "*/*")
		if err == nil {
			sort.Slice(hosts, func(i, j int) bool { return hosts[i].InventoryPath < hosts[j].InventoryPath })
			host = hosts[0]
		}
	}
	return c, host, err
}

// walk reads every reference of every host's configManager, all properties, as object.collect does.
func walk(ctx context.Context) (interface{}, error) {
	c, _, err := connect(ctx)
	if err != nil {
		return nil, err
	}
	pc := property.DefaultCollector(c)
	hosts, err := find.NewFinder(c, false).HostSystemList(ctx, "/*/host/*/*")
	if err != nil {
		return nil, err
	}
	managers := map[string]int{}
	properties := map[string][]string{}
	for _, host := range hosts {
		var h mo.HostSystem
		if err := host.Properties(ctx, host.Reference(), []string{"configManager"}, &h); err != nil {
			return nil, err
		}
		v := reflect.ValueOf(h.ConfigManager)
		for i := 0; i < v.NumField(); i++ {
			ref, ok := v.Field(i).Interface().(*types.ManagedObjectReference)
			if !ok || ref == nil {
				continue
			}
			var content []types.ObjectContent
			if err := pc.Retrieve(ctx, []types.ManagedObjectReference{*ref}, nil, &content); err != nil {
				return nil, fmt.Errorf("%s %s (%s): %v", host.InventoryPath, v.Type().Field(i).Name, ref, err)
			}
			if len(content) != 1 || content[0].Obj != *ref {
				return nil, fmt.Errorf("%s %s: no object %s", host.InventoryPath, v.Type().Field(i).Name, ref)
			}
			managers[ref.Type]++
			var names []string
			for _, p := range content[0].PropSet {
				names = append(names, p.Name)
			}
			sort.Strings(names)
			properties[ref.Type] = names
		}
	}
	return map[string]interface{}{"hosts": len(hosts), "managers": managers, "properties": properties}, nil
}

func service(ctx context.Context) (interface{}, error) {
	_, host, err := connect(ctx)
	if err != nil {
		return nil, err
	}
	s, err := host.ConfigManager().ServiceSystem(ctx)
	if err != nil {
		return nil, err
	}
	status := func(id string) string { // govc host.service status
		services, _ := s.Service(ctx)
		for _, svc := range services {
			if svc.Key == id {
				return fmt.Sprintf("%s running=%v policy=%s", svc.Key, svc.Running, svc.Policy)
			}
		}
		return "not found"
	}
	services, err := s.Service(ctx)
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, svc := range services {
		keys = append(keys, svc.Key)
	}
	out := map[string]interface{}{"keys": keys, "before": status("TSM-SSH")}
	// A watcher of serviceInfo (property.Wait: WaitForUpdatesEx) sees the start as it happens.
	c, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	seen := make(chan bool, 1)
	waitCtx, stopWaiting := context.WithTimeout(ctx, 20*time.Second)
	defer stopWaiting()
	ready := make(chan struct{})
	go func() {
		first := true
		_ = property.Wait(waitCtx, property.DefaultCollector(c.Client), s.Reference(), []string{"serviceInfo"}, func(changes []types.PropertyChange) bool {
			if first { // the first update is the current value
				first = false
				close(ready)
				return false
			}
			for _, change := range changes {
				for _, svc := range change.Val.(types.HostServiceInfo).Service {
					if svc.Key == "TSM-SSH" && svc.Running {
						seen <- true
						return true
					}
				}
			}
			return false
		})
	}()
	<-ready
	if err := s.Start(ctx, "TSM-SSH"); err != nil {
		return nil, err
	}
	select {
	case <-seen:
		out["watched"] = true
	case <-waitCtx.Done():
		out["watched"] = false
	}
	if err := s.UpdatePolicy(ctx, "TSM-SSH", string(types.HostServicePolicyOn)); err != nil {
		return nil, err
	}
	out["started"] = status("TSM-SSH")
	if err := s.Restart(ctx, "TSM-SSH"); err != nil {
		return nil, err
	}
	if err := s.Stop(ctx, "TSM-SSH"); err != nil {
		return nil, err
	}
	if err := s.UpdatePolicy(ctx, "TSM-SSH", string(types.HostServicePolicyOff)); err != nil {
		return nil, err
	}
	out["stopped"] = status("TSM-SSH")
	out["unknown"] = simtest.FaultName(s.Start(ctx, "no-such-service"))
	out["badPolicy"] = simtest.FaultName(s.UpdatePolicy(ctx, "ntpd", "sometimes"))
	return out, nil
}

func date(ctx context.Context) (interface{}, error) {
	_, host, err := connect(ctx)
	if err != nil {
		return nil, err
	}
	s, err := host.ConfigManager().DateTimeSystem(ctx)
	if err != nil {
		return nil, err
	}
	info := func() (types.HostDateTimeInfo, *time.Time, error) { // govc host.date.info
		var hs mo.HostDateTimeSystem
		if err := s.Properties(ctx, s.Reference(), nil, &hs); err != nil {
			return hs.DateTimeInfo, nil, err
		}
		now, err := s.Query(ctx)
		return hs.DateTimeInfo, now, err
	}
	before, now, err := info()
	if err != nil {
		return nil, err
	}
	out := map[string]interface{}{"zone": before.TimeZone.Key, "servers": before.NtpConfig.Server, "skewSeconds": int(time.Since(*now).Seconds())}
	// govc host.date.change -server 0.pool.ntp.org -server 1.pool.ntp.org
	config := types.HostDateTimeConfig{NtpConfig: &types.HostNtpConfig{Server: []string{"0.pool.ntp.org", "1.pool.ntp.org"}}}
	if err := s.UpdateConfig(ctx, config); err != nil {
		return nil, err
	}
	// govc host.date.change -date "Mon Jan  2 15:04:05 UTC 2006"
	d, _ := time.Parse(time.UnixDate, "Mon Jan  2 15:04:05 UTC 2006")
	if err := s.Update(ctx, d); err != nil {
		return nil, err
	}
	after, now, err := info()
	if err != nil {
		return nil, err
	}
	out["serversAfter"] = after.NtpConfig.Server
	out["hostTime"] = now.UTC().Format(time.RFC3339)
	var h mo.HostSystem // the host's own config shows the change too (Ansible reads it there)
	if err := host.Properties(ctx, host.Reference(), []string{"config.dateTimeInfo"}, &h); err != nil {
		return nil, err
	}
	out["hostConfigServers"] = h.Config.DateTimeInfo.NtpConfig.Server
	out["badServer"] = simtest.FaultName(s.UpdateConfig(ctx, types.HostDateTimeConfig{NtpConfig: &types.HostNtpConfig{Server: []string{"not a host name"}}}))
	out["badZone"] = simtest.FaultName(s.UpdateConfig(ctx, types.HostDateTimeConfig{TimeZone: "Mars/Olympus", NtpConfig: &types.HostNtpConfig{Server: []string{"2.pool.ntp.org"}}}))
	var again mo.HostDateTimeSystem
	_ = s.Properties(ctx, s.Reference(), []string{"dateTimeInfo"}, &again)
	out["serversAfterBad"] = again.DateTimeInfo.NtpConfig.Server
	return out, nil
}

func option(ctx context.Context) (interface{}, error) {
	_, host, err := connect(ctx)
	if err != nil {
		return nil, err
	}
	m, err := host.ConfigManager().OptionManager(ctx)
	if err != nil {
		return nil, err
	}
	// govc host.option.set NAME VALUE: query, convert to the type the value has, update.
	set := func(name, val string) error {
		opts, err := m.Query(ctx, name)
		if err != nil {
			return err
		}
		switch x := opts[0].GetOptionValue().Value.(type) {
		case string:
			opts[0].GetOptionValue().Value = val
		case bool:
			opts[0].GetOptionValue().Value = val == "true"
		case int32:
			var n int32
			fmt.Sscan(val, &n)
			opts[0].GetOptionValue().Value = n
		case int64:
			var n int64
			fmt.Sscan(val, &n)
			opts[0].GetOptionValue().Value = n
		default:
			return fmt.Errorf("type %T conversion not supported", x)
		}
		return m.Update(ctx, opts)
	}
	value := func(name string) string {
		opts, err := m.Query(ctx, name)
		if err != nil {
			return simtest.FaultName(err)
		}
		v := opts[0].GetOptionValue().Value
		return fmt.Sprintf("%T %v", v, v)
	}
	all, err := m.Query(ctx, "UserVars.") // govc host.option.ls UserVars.
	if err != nil {
		return nil, err
	}
	out := map[string]interface{}{"userVars": len(all), "types": map[string]string{
		"Config.HostAgent.plugins.solo.enableMob":      value("Config.HostAgent.plugins.solo.enableMob"),
		"UserVars.SuppressShellWarning":                value("UserVars.SuppressShellWarning"),
		"Config.HostAgent.vmacore.soap.sessionTimeout": value("Config.HostAgent.vmacore.soap.sessionTimeout"),
		"Syslog.global.logHost":                        value("Syslog.global.logHost"),
	}}
	for name, val := range map[string]string{
		"Config.HostAgent.plugins.solo.enableMob":      "true",
		"UserVars.SuppressShellWarning":                "1",
		"Config.HostAgent.vmacore.soap.sessionTimeout": "60",
		"Syslog.global.logHost":                        "udp://10.0.0.1:514",
	} {
		if err := set(name, val); err != nil {
			return nil, fmt.Errorf("set %s %s: %v", name, val, err)
		}
	}
	out["after"] = map[string]string{
		"Config.HostAgent.plugins.solo.enableMob":      value("Config.HostAgent.plugins.solo.enableMob"),
		"UserVars.SuppressShellWarning":                value("UserVars.SuppressShellWarning"),
		"Config.HostAgent.vmacore.soap.sessionTimeout": value("Config.HostAgent.vmacore.soap.sessionTimeout"),
		"Syslog.global.logHost":                        value("Syslog.global.logHost"),
	}
	out["unknownQuery"] = simtest.FaultName(func() error { _, err := m.Query(ctx, "No.Such.Option"); return err }())
	out["outOfRange"] = simtest.FaultName(set("UserVars.SuppressShellWarning", "7"))
	out["wrongType"] = simtest.FaultName(m.Update(ctx, []types.BaseOptionValue{&types.OptionValue{Key: "UserVars.SuppressShellWarning", Value: "yes"}}))
	// An unknown option under Config.* is created as a string, as govc's set expects of ESXi.
	out["newConfig"] = simtest.FaultName(m.Update(ctx, []types.BaseOptionValue{&types.OptionValue{Key: "Config.Sim.note", Value: "hello"}}))
	out["newConfigValue"] = value("Config.Sim.note")
	// One good and one bad value: InvalidArgument, and neither is set.
	out["mixed"] = simtest.FaultName(m.Update(ctx, []types.BaseOptionValue{
		&types.OptionValue{Key: "Syslog.global.logHost", Value: "udp://10.9.9.9:514"},
		&types.OptionValue{Key: "UserVars.SuppressShellWarning", Value: int64(5)},
	}))
	out["mixedUnchanged"] = value("Syslog.global.logHost")
	out["unchanged"] = value("UserVars.SuppressShellWarning")
	return out, nil
}

func autostartManager(ctx context.Context, c *vim25.Client, host *object.HostSystem) (types.ManagedObjectReference, error) {
	var h mo.HostSystem
	if err := host.Properties(ctx, host.Reference(), []string{"configManager.autoStartManager"}, &h); err != nil {
		return types.ManagedObjectReference{}, err
	}
	return *h.ConfigManager.AutoStartManager, nil
}

func autostart(ctx context.Context) (interface{}, error) {
	c, host, err := connect(ctx)
	if err != nil {
		return nil, err
	}
	ref, err := autostartManager(ctx, c, host)
	if err != nil {
		return nil, err
	}
	var h mo.HostSystem
	if err := host.Properties(ctx, host.Reference(), []string{"vm"}, &h); err != nil {
		return nil, err
	}
	config := func() types.HostAutoStartManagerConfig { // govc host.autostart.info
		var m mo.HostAutoStartManager
		_ = property.DefaultCollector(c).RetrieveOne(ctx, ref, []string{"config"}, &m)
		return m.Config
	}
	reconfigure := func(spec types.HostAutoStartManagerConfig) error {
		_, err := methods.ReconfigureAutostart(ctx, c, &types.ReconfigureAutostart{This: ref, Spec: spec})
		return err
	}
	enabled := true
	// govc host.autostart.configure -enabled -start-delay 10
	if err := reconfigure(types.HostAutoStartManagerConfig{Defaults: &types.AutoStartDefaults{Enabled: &enabled, StartDelay: 10}}); err != nil {
		return nil, err
	}
	// govc host.autostart.add VM... (each VM of the host, in order)
	var add []types.AutoStartPowerInfo
	for i, vm := range h.Vm {
		add = append(add, types.AutoStartPowerInfo{Key: vm, StartOrder: int32(len(h.Vm) - i), StartDelay: -1, WaitForHeartbeat: types.AutoStartWaitHeartbeatSettingSystemDefault, StartAction: "powerOn", StopDelay: -1, StopAction: "powerOff"})
	}
	if err := reconfigure(types.HostAutoStartManagerConfig{PowerInfo: add}); err != nil {
		return nil, err
	}
	added := config()
	var order []string
	for _, p := range added.PowerInfo {
		order = append(order, fmt.Sprintf("%s:%d", p.Key.Value, p.StartOrder))
	}
	// AutoStartPowerOff then On: the listed VMs go off and come back.
	if _, err := methods.AutoStartPowerOff(ctx, c, &types.AutoStartPowerOff{This: ref}); err != nil {
		return nil, err
	}
	time.Sleep(200 * time.Millisecond)
	powerState := func() []string {
		var vms []mo.VirtualMachine
		_ = property.DefaultCollector(c).Retrieve(ctx, h.Vm, []string{"runtime.powerState"}, &vms)
		var states []string
		for _, vm := range vms {
			states = append(states, string(vm.Runtime.PowerState))
		}
		sort.Strings(states)
		return states
	}
	off := powerState()
	if _, err := methods.AutoStartPowerOn(ctx, c, &types.AutoStartPowerOn{This: ref}); err != nil {
		return nil, err
	}
	time.Sleep(200 * time.Millisecond)
	on := powerState()
	// govc host.autostart.remove VM (the first)
	remove := types.AutoStartPowerInfo{Key: h.Vm[0], StartAction: "none", StartDelay: -1, StartOrder: -1, StopAction: "none", StopDelay: -1, WaitForHeartbeat: types.AutoStartWaitHeartbeatSettingSystemDefault}
	if err := reconfigure(types.HostAutoStartManagerConfig{PowerInfo: []types.AutoStartPowerInfo{remove}}); err != nil {
		return nil, err
	}
	after := config()
	bad := reconfigure(types.HostAutoStartManagerConfig{PowerInfo: []types.AutoStartPowerInfo{{Key: types.ManagedObjectReference{Type: "VirtualMachine", Value: "vm-nope"}, StartAction: "powerOn", StopAction: "none"}}})
	return map[string]interface{}{
		"enabled": *added.Defaults.Enabled, "startDelay": added.Defaults.StartDelay, "order": order,
		"off": off, "on": on, "afterRemove": len(after.PowerInfo), "vms": len(h.Vm), "badVm": simtest.FaultName(bad),
	}, nil
}

func firewall(ctx context.Context) (interface{}, error) {
	_, host, err := connect(ctx)
	if err != nil {
		return nil, err
	}
	fs, err := host.ConfigManager().FirewallSystem(ctx)
	if err != nil {
		return nil, err
	}
	info, err := fs.Info(ctx)
	if err != nil {
		return nil, err
	}
	// govc firewall.ruleset.find -direction outbound -port 22 (what govc's esxcli-free path does)
	ssh := object.HostFirewallRulesetList(info.Ruleset).ByRule(types.HostFirewallRule{Port: 22, Direction: types.HostFirewallRuleDirectionOutbound, PortType: types.HostFirewallRulePortTypeDst, Protocol: "tcp"})
	out := map[string]interface{}{"rulesets": len(info.Ruleset), "incomingBlocked": *info.DefaultPolicy.IncomingBlocked, "sshClient": ssh.Keys(), "sshClientEnabled": len(ssh.Enabled())}
	if err := fs.EnableRuleset(ctx, "sshClient"); err != nil {
		return nil, err
	}
	if err := fs.DisableRuleset(ctx, "webAccess"); err != nil {
		return nil, err
	}
	c := fs.Client()
	spec := types.HostFirewallRulesetRulesetSpec{AllowedHosts: types.HostFirewallRulesetIpList{IpAddress: []string{"10.0.0.5"}, IpNetwork: []types.HostFirewallRulesetIpNetwork{{Network: "192.168.0.0", PrefixLength: 24}}, AllIp: false}}
	if _, err := methods.UpdateRuleset(ctx, c, &types.UpdateRuleset{This: fs.Reference(), Id: "sshServer", Spec: spec}); err != nil {
		return nil, err
	}
	blocked := false
	if _, err := methods.UpdateDefaultPolicy(ctx, c, &types.UpdateDefaultPolicy{This: fs.Reference(), DefaultPolicy: types.HostFirewallDefaultPolicy{IncomingBlocked: &blocked}}); err != nil {
		return nil, err
	}
	if err := fs.Refresh(ctx); err != nil {
		return nil, err
	}
	info, err = fs.Info(ctx)
	if err != nil {
		return nil, err
	}
	state := map[string]interface{}{}
	for _, r := range info.Ruleset {
		switch r.Key {
		case "sshClient", "webAccess":
			state[r.Key] = r.Enabled
		case "sshServer":
			state[r.Key] = fmt.Sprintf("allIp=%v ip=%v net=%s/%d", r.AllowedHosts.AllIp, r.AllowedHosts.IpAddress, r.AllowedHosts.IpNetwork[0].Network, r.AllowedHosts.IpNetwork[0].PrefixLength)
		}
	}
	out["after"] = state
	out["incomingBlockedAfter"] = *info.DefaultPolicy.IncomingBlocked
	out["outgoingBlockedAfter"] = *info.DefaultPolicy.OutgoingBlocked
	out["unknown"] = simtest.FaultName(fs.EnableRuleset(ctx, "noSuchRuleset"))
	badSpec := types.HostFirewallRulesetRulesetSpec{AllowedHosts: types.HostFirewallRulesetIpList{IpAddress: []string{"300.1.1.1"}}}
	_, badIP := methods.UpdateRuleset(ctx, c, &types.UpdateRuleset{This: fs.Reference(), Id: "sshServer", Spec: badSpec})
	out["badIp"] = simtest.FaultName(badIP)
	return out, nil
}

func power(ctx context.Context) (interface{}, error) {
	c, host, err := connect(ctx)
	if err != nil {
		return nil, err
	}
	var h mo.HostSystem
	if err := host.Properties(ctx, host.Reference(), []string{"configManager.powerSystem"}, &h); err != nil {
		return nil, err
	}
	ref := *h.ConfigManager.PowerSystem
	read := func() mo.HostPowerSystem {
		var p mo.HostPowerSystem
		_ = property.DefaultCollector(c).RetrieveOne(ctx, ref, nil, &p)
		return p
	}
	before := read()
	if _, err := methods.ConfigurePowerPolicy(ctx, c, &types.ConfigurePowerPolicy{This: ref, Key: 1}); err != nil {
		return nil, err
	}
	_, bad := methods.ConfigurePowerPolicy(ctx, c, &types.ConfigurePowerPolicy{This: ref, Key: 99})
	return map[string]interface{}{
		"policies": len(before.Capability.AvailablePolicy), "before": before.Info.CurrentPolicy.ShortName,
		"after": read().Info.CurrentPolicy.ShortName, "bad": simtest.FaultName(bad),
	}, nil
}

// events lists the event types a fresh simulator holds, as `govc events` reads them (QueryEvents).
func events(ctx context.Context) (interface{}, error) {
	c, _, err := connect(ctx)
	if err != nil {
		return nil, err
	}
	m := event.NewManager(c)
	list, err := m.QueryEvents(ctx, types.EventFilterSpec{MaxCount: 1000})
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	var messages []string
	for _, e := range list {
		counts[reflect.TypeOf(e).Elem().Name()]++
		messages = append(messages, e.GetEvent().FullFormattedMessage)
	}
	return map[string]interface{}{"counts": counts, "messages": messages}, nil
}

// signed is a PEM certificate for the CSR's subject and key, signed by a throwaway CA, as
// govc's test/host_cert_sign.sh does with openssl.
func signed(csrPEM string, days int) (string, error) {
	block, _ := pem.Decode([]byte(csrPEM))
	if block == nil {
		return "", fmt.Errorf("no PEM in %q", csrPEM)
	}
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		return "", err
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", err
	}
	ca := x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Sim Test CA"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(10, 0, 0), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	template := x509.Certificate{SerialNumber: big.NewInt(42), Subject: csr.Subject, DNSNames: csr.DNSNames, IPAddresses: csr.IPAddresses, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(0, 0, days)}
	der, err := x509.CreateCertificate(rand.Reader, &template, &ca, csr.PublicKey, caKey)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), nil
}

func cert(ctx context.Context) (interface{}, error) {
	c, host, err := connect(ctx)
	if err != nil {
		return nil, err
	}
	m, err := host.ConfigManager().CertificateManager(ctx)
	if err != nil {
		return nil, err
	}
	before, err := m.CertificateInfo(ctx) // govc host.cert.info
	if err != nil {
		return nil, err
	}
	// govc host.cert.csr -ip, and without -ip: a request openssl (here Go) reads and verifies
	csrs := map[string]interface{}{}
	var ipCSR string
	for _, ip := range []bool{true, false} {
		text, err := m.GenerateCertificateSigningRequest(ctx, ip)
		if err != nil {
			return nil, err
		}
		block, _ := pem.Decode([]byte(text))
		req, err := x509.ParseCertificateRequest(block.Bytes)
		if err != nil {
			return nil, err
		}
		var ips []string
		for _, a := range req.IPAddresses {
			ips = append(ips, a.String())
		}
		csrs[fmt.Sprint(ip)] = map[string]interface{}{"cn": req.Subject.CommonName, "ip": ips, "dns": req.DNSNames, "signature": simtest.FaultName(req.CheckSignature())}
		if ip {
			ipCSR = text
		}
	}
	byDn, err := m.GenerateCertificateSigningRequestByDn(ctx, "CN=esx-7.example.com,O=Example")
	if err != nil {
		return nil, err
	}
	dnBlock, _ := pem.Decode([]byte(byDn))
	dnReq, err := x509.ParseCertificateRequest(dnBlock.Bytes)
	if err != nil {
		return nil, err
	}
	csrs["byDn"] = map[string]interface{}{"cn": dnReq.Subject.CommonName, "o": dnReq.Subject.Organization, "dns": dnReq.DNSNames, "signature": simtest.FaultName(dnReq.CheckSignature())}
	_, noCN := m.GenerateCertificateSigningRequestByDn(ctx, "O=Example")
	csrs["noCN"] = simtest.FaultName(noCN)
	// govc host.cert.csr -ip | host_cert_sign.sh | govc host.cert.import (govc 0.38 ignores
	// MethodNotFound from the internal NotifyAffectedServices that follows; vcsim answers so too)
	pemText, err := signed(ipCSR, 90)
	if err != nil {
		return nil, err
	}
	if _, err := methods.InstallServerCertificate(ctx, c, &types.InstallServerCertificate{This: m.Reference(), Cert: pemText}); err != nil {
		return nil, err
	}
	notify := simtest.FaultName(m.InstallServerCertificate(ctx, pemText))
	after, err := m.CertificateInfo(ctx)
	if err != nil {
		return nil, err
	}
	cas, err := m.ListCACertificates(ctx)
	if err != nil {
		return nil, err
	}
	if err := m.ReplaceCACertificatesAndCRLs(ctx, []string{pemText}, nil); err != nil {
		return nil, err
	}
	casAfter, _ := m.ListCACertificates(ctx)
	crls, _ := m.ListCACertificateRevocationLists(ctx)
	_, bad := methods.InstallServerCertificate(ctx, c, &types.InstallServerCertificate{This: m.Reference(), Cert: "not a certificate"})
	return map[string]interface{}{
		"before":          map[string]string{"subject": before.Subject, "issuer": before.Issuer, "status": before.Status},
		"after":           map[string]string{"subject": after.Subject, "issuer": after.Issuer, "status": after.Status},
		"notAfterChanged": !after.NotAfter.Equal(*before.NotAfter), "daysLeft": int(time.Until(*after.NotAfter).Hours() / 24),
		"csr": csrs, "notify": notify,
		"cas": len(cas), "casAfter": len(casAfter), "crls": len(crls), "casSame": len(casAfter) == 1 && casAfter[0] == pemText,
		"bad":     simtest.FaultName(bad),
		"badCa":   simtest.FaultName(m.ReplaceCACertificatesAndCRLs(ctx, []string{"junk"}, nil)),
		"casKept": func() int { l, _ := m.ListCACertificates(ctx); return len(l) }(),
	}, nil
}
