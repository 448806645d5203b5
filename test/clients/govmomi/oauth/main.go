// Command oauth drives govmomi's vapi/rest client (Debian golang-github-vmware-govmomi-dev 0.24.2)
// against vcenter-sim with OAuth 2.0 access tokens, as a federated vCenter takes them: the token
// comes from the token service (a form POST, as hand-written Go clients make it) and goes on every
// request as `Authorization: Bearer` through the client's Signer hook. One scenario per run:
//
//	oauth -url https://127.0.0.1:PORT/sdk -client ID -secret S [-user U -password P] [-token T] SCENARIO
//
// Each scenario prints one JSON document as its last stdout line and exits 0. Unexpected errors
// go to stderr with exit code 1; errors a scenario expects are reported in the JSON.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/ioutil"
	"net/http"
	"net/url"
	"simtest"
	"strings"
	"time"

	"github.com/vmware/govmomi/vapi/rest"
	"github.com/vmware/govmomi/vapi/tags"
)

var (
	clientID     = flag.String("client", "", "OAuth client id")
	clientSecret = flag.String("secret", "", "OAuth client secret")
	tenant       = flag.String("tenant", "CUSTOMER", "token service tenant")
	givenToken   = flag.String("token", "", "an access token to try (the 'refused' scenario)")
)

func main() {
	simtest.RunScenarios("oauth", 60*time.Second, map[string]simtest.Scenario{
		"bearer":  bearerCalls,
		"refresh": refreshAndRevoke,
		"refused": refused,
	})
}

// tokenResponse is RFC 6749 §5.1's answer, and §5.2's on error.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
	Error        string `json:"error"`
}

// bearer signs each request of the rest.Client with an access token.
type bearer string

func (b bearer) SignRequest(req *http.Request) error {
	req.Header.Set("Authorization", "Bearer "+string(b))
	return nil
}

// tokenService posts a form to the tenant's endpoint (`token` or `revoke`), the client
// authenticated by HTTP Basic (id and secret form-encoded first, RFC 6749 §2.3.1).
func tokenService(ctx context.Context, c *rest.Client, endpoint string, form url.Values) (int, tokenResponse, error) {
	u := c.URL()
	u.Path = "/acs/t/" + *tenant + "/" + endpoint
	u.RawQuery = ""
	req, err := http.NewRequest(http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return 0, tokenResponse{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(*clientID), url.QueryEscape(*clientSecret))
	var status int
	var out tokenResponse
	err = c.Client.Do(ctx, req, func(res *http.Response) error {
		status = res.StatusCode
		body, err := ioutil.ReadAll(res.Body)
		if err != nil || len(body) == 0 {
			return err
		}
		return json.Unmarshal(body, &out)
	})
	return status, out, err
}

func token(ctx context.Context, c *rest.Client, form url.Values) (tokenResponse, error) {
	status, out, err := tokenService(ctx, c, "token", form)
	if err == nil && (status != http.StatusOK || out.AccessToken == "") {
		err = fmt.Errorf("token endpoint: %d %s", status, out.Error)
	}
	return out, err
}

func restClient(ctx context.Context) (*rest.Client, error) {
	vc, err := simtest.VimClient(ctx)
	if err != nil {
		return nil, err
	}
	return rest.NewClient(vc), nil
}

func vmNames(ctx context.Context, c *rest.Client) ([]string, error) {
	var vms []struct {
		Name string `json:"name"`
	}
	if err := c.Do(ctx, c.Resource("/api/vcenter/vm").Request(http.MethodGet), &vms); err != nil {
		return nil, err
	}
	names := make([]string, len(vms))
	for i, vm := range vms {
		names[i] = vm.Name
	}
	return names, nil
}

// bearerCalls: a client_credentials token lists VMs on /api and tag categories through govmomi's
// tags manager (/rest); alone it names no session (Session is nil), but it logs in (POST
// /rest/com/vmware/cis/session), after which the session works without it.
func bearerCalls(ctx context.Context) (interface{}, error) {
	c, err := restClient(ctx)
	if err != nil {
		return nil, err
	}
	tok, err := token(ctx, c, url.Values{"grant_type": {"client_credentials"}})
	if err != nil {
		return nil, err
	}
	signed := c.WithSigner(ctx, bearer(tok.AccessToken))
	vms, err := vmNames(signed, c)
	if err != nil {
		return nil, fmt.Errorf("GET /api/vcenter/vm with the token: %w", err)
	}
	categories, err := tags.NewManager(c).GetCategories(signed)
	if err != nil {
		return nil, fmt.Errorf("tag categories with the token: %w", err)
	}
	tokenOnly, err := c.Session(signed)
	if err != nil {
		return nil, fmt.Errorf("session with the token alone: %w", err)
	}
	if err := c.Login(signed, nil); err != nil {
		return nil, fmt.Errorf("login with the token: %w", err)
	}
	session, err := c.Session(ctx)
	if err != nil || session == nil {
		return nil, fmt.Errorf("session after login: %v %v", session, err)
	}
	afterLogin, err := vmNames(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("VMs by session: %w", err)
	}
	if err := c.Logout(ctx); err != nil {
		return nil, err
	}
	return map[string]interface{}{
		"tokenType":      tok.TokenType,
		"expiresIn":      tok.ExpiresIn,
		"hasRefresh":     tok.RefreshToken != "",
		"vms":            vms,
		"categories":     len(categories),
		"tokenIsSession": tokenOnly != nil,
		"sessionUser":    session.User,
		"vmsBySession":   len(afterLogin),
	}, nil
}

// refreshAndRevoke: a password grant, a refresh (rotating the refresh token), the old refresh
// token refused, and the access token refused once revoked.
func refreshAndRevoke(ctx context.Context) (interface{}, error) {
	c, err := restClient(ctx)
	if err != nil {
		return nil, err
	}
	first, err := token(ctx, c, url.Values{"grant_type": {"password"}, "username": {*simtest.User}, "password": {*simtest.Password}})
	if err != nil {
		return nil, err
	}
	second, err := token(ctx, c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.RefreshToken}})
	if err != nil {
		return nil, fmt.Errorf("refresh: %w", err)
	}
	replayStatus, replay, err := tokenService(ctx, c, "token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.RefreshToken}})
	if err != nil {
		return nil, err
	}
	third, err := token(ctx, c, url.Values{"grant_type": {"password"}, "username": {*simtest.User}, "password": {*simtest.Password}})
	if err != nil {
		return nil, err
	}
	signed := c.WithSigner(ctx, bearer(third.AccessToken))
	before, err := vmNames(signed, c)
	if err != nil {
		return nil, err
	}
	revokeStatus, _, err := tokenService(ctx, c, "revoke", url.Values{"token": {third.AccessToken}})
	if err != nil {
		return nil, err
	}
	_, afterRevoke := vmNames(signed, c)
	return map[string]interface{}{
		"rotated":      second.RefreshToken != "" && second.RefreshToken != first.RefreshToken,
		"replayStatus": replayStatus,
		"replayError":  replay.Error,
		"before":       len(before),
		"revokeStatus": revokeStatus,
		"afterRevoke":  simtest.ErrString(afterRevoke),
	}, nil
}

// refused: -token (expired, tampered, ...) on /api and on login, and govmomi's view of it.
func refused(ctx context.Context) (interface{}, error) {
	c, err := restClient(ctx)
	if err != nil {
		return nil, err
	}
	signed := c.WithSigner(ctx, bearer(*givenToken))
	_, listErr := vmNames(signed, c)
	loginErr := c.Login(signed, nil)
	return map[string]interface{}{"listError": simtest.ErrString(listErr), "loginError": simtest.ErrString(loginErr)}, nil
}
