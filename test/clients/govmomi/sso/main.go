// Command sso drives govmomi's SSO clients (Debian golang-github-vmware-govmomi-dev 0.24.2) against
// vcenter-sim: the lookup service finds the STS, the sts client gets bearer and holder-of-key
// tokens, and session.Manager and vapi/rest log in with them. Scenarios:
//
//	lookup  lookup.NewClient, List by the STS's service and endpoint type, sts.NewClient's URL
//	bearer  Issue a bearer token; LoginByToken on /sdk; a wrong password; a token from someone else's STS
//	hok     Issue a holder-of-key token; LoginByToken signed with its key; Renew; a request signed by another key
//	rest    vapi/rest LoginByToken with a bearer and a holder-of-key token; a tampered token
package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net/url"
	"strings"
	"time"

	"github.com/vmware/govmomi/lookup"
	"github.com/vmware/govmomi/lookup/types"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/sts"
	"github.com/vmware/govmomi/vapi/rest"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"

	"simtest"
)

func main() {
	simtest.RunScenarios("sso", 2*time.Minute, map[string]simtest.Scenario{
		"lookup": lookupScenario,
		"bearer": bearer,
		"hok":    holderOfKey,
		"rest":   restScenario,
	})
}

func stsClient(ctx context.Context) (*vim25.Client, *sts.Client, error) {
	c, err := simtest.VimClient(ctx)
	if err != nil {
		return nil, nil, err
	}
	s, err := sts.NewClient(ctx, c)
	return c, s, err
}

func lookupScenario(ctx context.Context) (interface{}, error) {
	c, err := simtest.VimClient(ctx)
	if err != nil {
		return nil, err
	}
	lu, err := lookup.NewClient(ctx, c)
	if err != nil {
		return nil, err
	}
	site, err := lu.SiteID(ctx)
	if err != nil {
		return nil, err
	}
	list, err := lu.List(ctx, &types.LookupServiceRegistrationFilter{
		ServiceType:  &types.LookupServiceRegistrationServiceType{Product: "com.vmware.cis", Type: "cs.identity"},
		EndpointType: &types.LookupServiceRegistrationEndpointType{Protocol: "wsTrust", Type: "com.vmware.cis.cs.identity.sso"},
	})
	if err != nil {
		return nil, err
	}
	var urls []string
	for _, info := range list {
		for _, e := range info.ServiceEndpoints {
			urls = append(urls, e.Url)
		}
	}
	vcenter, err := lu.List(ctx, &types.LookupServiceRegistrationFilter{ServiceType: &types.LookupServiceRegistrationServiceType{Type: "vcenterserver"}})
	if err != nil {
		return nil, err
	}
	_, s, err := stsClient(ctx)
	if err != nil {
		return nil, err
	}
	return map[string]interface{}{"site": site, "stsUrls": urls, "vcenter": len(vcenter), "vcenterUrl": vcenter[0].ServiceEndpoints[0].Url, "stsClientUrl": s.URL().String()}, nil
}

// loginByToken logs a fresh SOAP client in with the token the signer holds and reads the session's user and the time.
func loginByToken(ctx context.Context, signer *sts.Signer) (string, error) {
	c, err := simtest.VimClient(ctx)
	if err != nil {
		return "", err
	}
	m := session.NewManager(c)
	if err := m.LoginByToken(c.WithHeader(ctx, soap.Header{Security: signer})); err != nil {
		return "", err
	}
	if _, err := methods.GetCurrentTime(ctx, c); err != nil {
		return "", err
	}
	user, err := m.UserSession(ctx)
	if err != nil {
		return "", err
	}
	return user.UserName, nil
}

func bearer(ctx context.Context) (interface{}, error) {
	_, s, err := stsClient(ctx)
	if err != nil {
		return nil, err
	}
	signer, err := s.Issue(ctx, sts.TokenRequest{Userinfo: userinfo()})
	if err != nil {
		return nil, err
	}
	user, err := loginByToken(ctx, signer)
	if err != nil {
		return nil, err
	}
	_, wrong := s.Issue(ctx, sts.TokenRequest{Userinfo: url.UserPassword(*simtest.User, *simtest.Password+"-wrong")})
	// The same token naming someone else: its signature no longer holds.
	_, tamperedErr := loginByToken(ctx, &sts.Signer{Token: tamper(signer.Token)})
	return map[string]interface{}{
		"user":          user,
		"lifetime":      signer.Lifetime.Expires.Sub(signer.Lifetime.Created).Seconds(),
		"wrongPass":     simtest.ErrString(wrong),
		"tamperedFault": simtest.FaultName(tamperedErr),
	}, nil
}

// selfSigned is a fresh RSA key and certificate, as a solution user or an interactive user's HoK key.
func selfSigned(name string) (*tls.Certificate, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

func holderOfKey(ctx context.Context) (interface{}, error) {
	_, s, err := stsClient(ctx)
	if err != nil {
		return nil, err
	}
	cert, err := selfSigned("govmomi-hok")
	if err != nil {
		return nil, err
	}
	signer, err := s.Issue(ctx, sts.TokenRequest{Userinfo: userinfo(), Certificate: cert, Renewable: true, Lifetime: time.Hour})
	if err != nil {
		return nil, err
	}
	user, err := loginByToken(ctx, signer)
	if err != nil {
		return nil, err
	}
	renewReq := signer.NewRequest()
	renewReq.Lifetime = 2 * time.Hour
	renewed, err := s.Renew(ctx, renewReq)
	if err != nil {
		return nil, err
	}
	renewedUser, err := loginByToken(ctx, renewed)
	if err != nil {
		return nil, err
	}
	// The token with a key that is not its confirmation key: the signature proves nothing.
	other, err := selfSigned("someone-else")
	if err != nil {
		return nil, err
	}
	stolen := &sts.Signer{Token: signer.Token, Certificate: other}
	_, stolenErr := loginByToken(ctx, stolen)
	// A bearer login with the holder-of-key token (no signature at all).
	unsigned := &sts.Signer{Token: signer.Token}
	_, unsignedErr := loginByToken(ctx, unsigned)
	return map[string]interface{}{
		"user":          user,
		"hok":           strings.Contains(signer.Token, "holder-of-key"),
		"lifetime":      signer.Lifetime.Expires.Sub(signer.Lifetime.Created).Seconds(),
		"renewedUser":   renewedUser,
		"renewedLife":   renewed.Lifetime.Expires.Sub(renewed.Lifetime.Created).Seconds(),
		"stolenFault":   simtest.FaultName(stolenErr),
		"unsignedFault": simtest.FaultName(unsignedErr),
	}, nil
}

// restLogin logs a fresh vapi/rest client in with the signer's token and reads the session's user.
func restLogin(ctx context.Context, signer *sts.Signer) (string, error) {
	c, err := simtest.VimClient(ctx)
	if err != nil {
		return "", err
	}
	r := rest.NewClient(c)
	if err := r.LoginByToken(r.WithSigner(ctx, signer)); err != nil {
		return "", err
	}
	s, err := r.Session(ctx)
	if err != nil || s == nil {
		return "", err
	}
	return s.User, nil
}

func restScenario(ctx context.Context) (interface{}, error) {
	_, s, err := stsClient(ctx)
	if err != nil {
		return nil, err
	}
	bearer, err := s.Issue(ctx, sts.TokenRequest{Userinfo: userinfo()})
	if err != nil {
		return nil, err
	}
	bearerUser, err := restLogin(ctx, bearer)
	if err != nil {
		return nil, err
	}
	cert, err := selfSigned("govmomi-rest-hok")
	if err != nil {
		return nil, err
	}
	hok, err := s.Issue(ctx, sts.TokenRequest{Userinfo: userinfo(), Certificate: cert})
	if err != nil {
		return nil, err
	}
	hokUser, err := restLogin(ctx, hok)
	if err != nil {
		return nil, err
	}
	_, tamperedErr := restLogin(ctx, &sts.Signer{Token: tamper(bearer.Token)})
	other, err := selfSigned("someone-else")
	if err != nil {
		return nil, err
	}
	_, stolenErr := restLogin(ctx, &sts.Signer{Token: hok.Token, Certificate: other})
	return map[string]interface{}{"bearerUser": bearerUser, "hokUser": hokUser, "tampered": simtest.ErrString(tamperedErr), "stolen": simtest.ErrString(stolenErr)}, nil
}

// tamper makes the token name another subject.
func tamper(token string) string {
	return strings.Replace(token, `claims/UPN">`, `claims/UPN">x`, 1)
}

func userinfo() *url.Userinfo {
	return url.UserPassword(*simtest.User, *simtest.Password)
}
