// Command sessions drives vCenter's SessionManager through govmomi (Debian 0.24.2) as govc's
// session.* commands and extensions do, and prints what it saw as JSON. Scenarios:
//
//	sessions   session.ls (sessionList, and currentSession alone for a user who may not list them),
//	           session.rm (TerminateSession), failed and repeated logins, and the events they post
//	extension  extension.register, extension.setcert, session.login -extension -cert -key (through the
//	           SDK tunnel, -url carrying GOVMOMI_TUNNEL_PROXY_PORT), then ImpersonateUser
//
// -admin-user/-admin-password name a user who may do anything; -user/-password (-principal) one the
// program makes read-only.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"math/big"
	"net/url"
	"sort"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/event"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"simtest"
)

var (
	adminUser     = flag.String("admin-user", "", "a user holding every privilege")
	adminPassword = flag.String("admin-password", "", "its password")
	principal     = flag.String("principal", "", "-user's principal, as permissions name it (VSPHERE.LOCAL\\viewer)")
)

const readOnlyRole = -2

func main() {
	simtest.RunScenarios("sessions", 2*time.Minute, map[string]simtest.Scenario{
		"sessions":  sessions,
		"extension": extension,
	})
}

// login is a govmomi client logged in as user.
func login(ctx context.Context, user, password string) (*govmomi.Client, error) {
	u, err := soap.ParseURL(*simtest.URL)
	if err != nil {
		return nil, err
	}
	u.User = url.UserPassword(user, password)
	return govmomi.NewClient(ctx, u, true)
}

// viewerReadOnly logs the admin in and makes -user read-only on the whole inventory (govc permissions.set -role ReadOnly).
func viewerReadOnly(ctx context.Context) (*govmomi.Client, error) {
	admin, err := login(ctx, *adminUser, *adminPassword)
	if err != nil {
		return nil, err
	}
	perm := types.Permission{Principal: *principal, RoleId: readOnlyRole, Propagate: true}
	return admin, object.NewAuthorizationManager(admin.Client).SetEntityPermissions(ctx, admin.ServiceContent.RootFolder, []types.Permission{perm})
}

// sessionList is what govc session.ls reads: every SessionManager property, sessionList among them.
func sessionList(ctx context.Context, c *vim25.Client) ([]types.UserSession, error) {
	var m mo.SessionManager
	err := property.DefaultCollector(c).RetrieveOne(ctx, *c.ServiceContent.SessionManager, nil, &m)
	return m.SessionList, err
}

func sessions(ctx context.Context) (interface{}, error) {
	admin, err := viewerReadOnly(ctx)
	if err != nil {
		return nil, err
	}
	viewer, err := simtest.Govmomi(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]interface{}{}

	list, err := sessionList(ctx, admin.Client)
	if err != nil {
		return nil, err
	}
	var listed [][]interface{}
	for _, s := range list {
		listed = append(listed, []interface{}{s.UserName, s.IpAddress, s.UserAgent != "", s.CallCount > 0, s.ExtensionSession != nil && *s.ExtensionSession})
	}
	sort.Slice(listed, func(i, j int) bool { return listed[i][0].(string) < listed[j][0].(string) })
	out["listed"] = listed

	// A user without Sessions.TerminateSession cannot list sessions but sees its own (govc session.ls -S).
	_, err = sessionList(ctx, viewer.Client)
	out["viewerList"] = simtest.FaultName(err)
	own, err := session.NewManager(viewer.Client).UserSession(ctx)
	if err != nil {
		return nil, err
	}
	out["viewerOwn"] = own.UserName

	adminSession, _ := session.NewManager(admin.Client).UserSession(ctx)
	out["viewerTerminates"] = simtest.FaultName(session.NewManager(viewer.Client).TerminateSession(ctx, []string{adminSession.Key}))
	out["terminateSelf"] = simtest.FaultName(session.NewManager(admin.Client).TerminateSession(ctx, []string{adminSession.Key}))
	out["terminateUnknown"] = simtest.FaultName(session.NewManager(admin.Client).TerminateSession(ctx, []string{"no-such-session"}))
	out["terminate"] = simtest.FaultName(session.NewManager(admin.Client).TerminateSession(ctx, []string{own.Key})) // govc session.rm
	_, err = methods.GetCurrentTime(ctx, viewer.Client)
	out["viewerAfter"] = simtest.FaultName(err)

	out["loginAgain"] = simtest.FaultName(admin.Login(ctx, url.UserPassword(*adminUser, *adminPassword)))
	_, err = login(ctx, *adminUser, "wrong")
	out["badPassword"] = simtest.FaultName(err)

	events, err := event.NewManager(admin.Client).QueryEvents(ctx, types.EventFilterSpec{EventTypeId: []string{
		"BadUsernameSessionEvent", "AlreadyAuthenticatedSessionEvent", "SessionTerminatedEvent", "PermissionAddedEvent", "PermissionUpdatedEvent",
	}})
	if err != nil {
		return nil, err
	}
	var messages []string
	for _, e := range events {
		messages = append(messages, e.GetEvent().FullFormattedMessage)
	}
	sort.Strings(messages)
	out["events"] = messages
	return out, nil
}

// selfSigned is a certificate and key for the extension, as govc extension.setcert -cert-pem=+ makes one.
func selfSigned(commonName string) (tls.Certificate, string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	template := x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: commonName, Organization: []string{"simtest"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, &template, &template, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), nil
}

// extensionLogin is govc session.login -extension KEY -cert -key: a client presenting cert logs in through the tunnel.
func extensionLogin(ctx context.Context, key string, cert *tls.Certificate) (*vim25.Client, error) {
	u, err := soap.ParseURL(*simtest.URL)
	if err != nil {
		return nil, err
	}
	sc := soap.NewClient(u, true)
	if cert != nil {
		sc.SetCertificate(*cert)
	}
	c, err := vim25.NewClient(ctx, sc)
	if err != nil {
		return nil, err
	}
	return c, session.NewManager(c).LoginExtensionByCertificate(ctx, key)
}

func extension(ctx context.Context) (interface{}, error) {
	admin, err := viewerReadOnly(ctx)
	if err != nil {
		return nil, err
	}
	const key = "com.example.simtest"
	m := object.NewExtensionManager(admin.Client)
	ext := types.Extension{Key: key, Version: "1.0", Company: "simtest", Description: &types.Description{Label: "simtest", Summary: "simtest"}}
	if err = m.Register(ctx, ext); err != nil { // govc extension.register
		return nil, err
	}
	cert, certPem, err := selfSigned(key)
	if err != nil {
		return nil, err
	}
	other, _, err := selfSigned("someone-else")
	if err != nil {
		return nil, err
	}
	out := map[string]interface{}{}
	_, err = extensionLogin(ctx, key, &cert)
	out["beforeSetcert"] = simtest.FaultName(err)
	if err = m.SetCertificate(ctx, key, certPem); err != nil { // govc extension.setcert
		return nil, err
	}
	_, err = extensionLogin(ctx, key, nil)
	out["noCertificate"] = simtest.FaultName(err)
	_, err = extensionLogin(ctx, key, &other)
	out["otherCertificate"] = simtest.FaultName(err)

	c, err := extensionLogin(ctx, key, &cert)
	if err != nil {
		return nil, err
	}
	us, err := session.NewManager(c).UserSession(ctx) // the tunnel's cookie serves the direct connection too
	if err != nil {
		return nil, err
	}
	out["session"] = []interface{}{us.UserName, us.ExtensionSession != nil && *us.ExtensionSession}

	res, err := methods.ImpersonateUser(ctx, c, &types.ImpersonateUser{This: *c.ServiceContent.SessionManager, UserName: *simtest.User})
	if err != nil {
		return nil, err
	}
	now, err := session.NewManager(c).UserSession(ctx)
	if err != nil {
		return nil, err
	}
	out["impersonated"] = []interface{}{res.Returnval.UserName, now.UserName, now.Key == us.Key}
	_, err = methods.ImpersonateUser(ctx, c, &types.ImpersonateUser{This: *c.ServiceContent.SessionManager, UserName: "nobody"})
	out["impersonateUnknown"] = simtest.FaultName(err)
	// Now the session is the read-only user's: it may no longer list sessions.
	_, err = sessionList(ctx, c)
	out["listAsViewer"] = simtest.FaultName(err)
	return out, nil
}
