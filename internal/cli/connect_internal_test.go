package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/localshop"
	"github.com/shopcare/shopcare/internal/connector/platforms"
)

// connectShop is a local platform, settings connecting it as "shop" and a
// Tilda form as "form", and the Globals of commands on a fresh store.
type connectShop struct {
	srv   *localshop.Server
	url   string
	g     *Globals
	out   *bytes.Buffer
	build connector.AdapterFunc
	// failWaits makes the next rate-limit waits fail, as a platform that
	// stays down would.
	failWaits int
}

func newConnectShop(t *testing.T, token string) *connectShop {
	t.Helper()
	srv := localshop.NewServer(localshop.ServerOptions{Name: "Local shop", Token: "tok", Orders: 120, PageSize: 50,
		Start: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC), ThrottleEvery: 3})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	cfg := filepath.Join(t.TempDir(), "shop.yaml")
	yaml := `shop:
  public_url: https://care.example.lv
connectors:
  - name: shop
    platform: shopify
    url: ` + hs.URL + `
    access_token: ` + token + `
    webhook_secret: s3cret
    write_back: true
    carriers: {Omniva: post}
  - name: form
    platform: tilda
    webhook_secret: form-secret-0123456789
`
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	out := &bytes.Buffer{}
	cs := &connectShop{srv: srv, url: hs.URL, out: out,
		g: &Globals{Config: cfg, Data: t.TempDir(), LogLevel: "error", LogFormat: "text", stdout: out, stderr: out}}
	cs.build = func(c config.Connector) (connector.Adapter, error) {
		o := platforms.Options(c, platforms.Deps{HTTP: hs.Client()})
		o.Sleep = func(ctx context.Context, _ time.Duration) error {
			if cs.failWaits > 0 {
				cs.failWaits--
				return errors.New("the platform stayed down")
			}
			return ctx.Err()
		}
		a := localshop.New(o)
		if c.Platform == "tilda" {
			return connector.Adapter{Webhook: a.Webhook}, nil
		}
		return a, nil
	}
	return cs
}

// run runs a command and returns what it printed.
func (cs *connectShop) run(t *testing.T, cmd interface{ Run(*Globals) error }) (string, error) {
	t.Helper()
	cs.out.Reset()
	err := cmd.Run(cs.g)
	return cs.out.String(), err
}

func wantAll(t *testing.T, what, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, out)
		}
	}
}

// TestConnectTest checks the credentials, prints the address and
// registers the webhooks once; Tilda has no API; a bad token fails with
// the platform's answer.
func TestConnectTest(t *testing.T) {
	t.Parallel()
	cs := newConnectShop(t, "tok")
	for range 2 {
		out, err := cs.run(t, &ConnectTestCmd{Name: "shop", build: cs.build})
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		wantAll(t, "connect test", out, `shop: connected to "Local shop" on Shopify (currency EUR)`,
			"warning: the shop sells in EUR but shopcare counts RUB", "webhook address: https://care.example.lv/hooks/shop\n",
			"registered the webhooks with Shopify: orders/create, orders/updated")
	}
	if got := cs.srv.Registered(); len(got) != 2 || got[0] != "orders/create https://care.example.lv/hooks/shop" {
		t.Errorf("registered: %q", got)
	}

	out, err := cs.run(t, &ConnectTestCmd{Name: "form", build: cs.build})
	if err != nil {
		t.Fatal(err)
	}
	wantAll(t, "connect test form", out, "Tilda has no orders API", "webhook address: https://care.example.lv/hooks/form/form-secret-0123456789",
		"does not sign its webhooks", "Paste the webhook address into Tilda's settings")

	if _, err := cs.run(t, &ConnectTestCmd{Name: "nope", build: cs.build}); err == nil || !strings.Contains(err.Error(), `no connector is named "nope" in the settings (they have: shop, form)`) {
		t.Errorf("an unknown connector: %v", err)
	}
	bad := newConnectShop(t, "wrong")
	if _, err := bad.run(t, &ConnectTestCmd{Name: "shop", build: bad.build}); err == nil ||
		!strings.Contains(err.Error(), "Shopify did not accept the credentials: the platform answered 401") ||
		!strings.Contains(err.Error(), "the token or key is wrong") {
		t.Errorf("a bad token: %v", err)
	}
	// Without an adapter for the platform (before the platforms land),
	// the command says so.
	if _, err := cs.run(t, &ConnectTestCmd{Name: "form"}); err == nil || !strings.Contains(err.Error(), "adapter") {
		t.Logf("the real tilda adapter: %v", err)
	}
}

// TestConnectBackfill reads the history, says so when run again, and
// refuses a platform without an API.
func TestConnectBackfill(t *testing.T) {
	t.Parallel()
	cs := newConnectShop(t, "tok")
	out, err := cs.run(t, &ConnectBackfillCmd{Name: "shop", build: cs.build})
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	wantAll(t, "backfill", out, "shop: 120 orders read in 3 pages: 120 stored, 0 already there, 0 rejected",
		"the backfill of the whole history is complete: 120 orders in all")
	out, err = cs.run(t, &ConnectBackfillCmd{Name: "shop", build: cs.build})
	if err != nil {
		t.Fatal(err)
	}
	wantAll(t, "backfill again", out, "shop: the backfill of the whole history finished on", "(120 orders read); run with --restart")
	out, err = cs.run(t, &ConnectBackfillCmd{Name: "shop", Since: "2025-03-01", build: cs.build})
	if err != nil {
		t.Fatal(err)
	}
	wantAll(t, "backfill since", out, "120 orders read in 3 pages: 0 stored, 120 already there", "orders since 2025-03-01 is complete")
	out, err = cs.run(t, &ConnectBackfillCmd{Name: "shop", Since: "01.03.2025", build: cs.build})
	if err == nil || !strings.Contains(err.Error(), `since: "01.03.2025" is not a date like 2025-01-31`) {
		t.Errorf("a bad --since: %v\n%s", err, out)
	}
	if _, err := cs.run(t, &ConnectBackfillCmd{Name: "form", build: cs.build}); err == nil ||
		!strings.Contains(err.Error(), "Tilda has no orders API to read the history from") {
		t.Errorf("tilda: %v", err)
	}
	out, err = cs.run(t, &ConnectListCmd{})
	if err != nil {
		t.Fatal(err)
	}
	wantAll(t, "list", out, "NAME", "shop  shopify", "https://care.example.lv/hooks/shop ", "done ", ": 120 orders",
		"form  tilda", "https://care.example.lv/hooks/form/{webhook_secret}", "never run")
}

// TestConnectDryRun maps a sample payload for people and as JSON, and
// names what is wrong in a bad one.
func TestConnectDryRun(t *testing.T) {
	t.Parallel()
	cs := newConnectShop(t, "tok")
	req, _ := http.NewRequest(http.MethodGet, cs.url+"/orders/2", nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	dir := t.TempDir()
	sample := filepath.Join(dir, "order.json")
	if err := os.WriteFile(sample, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := cs.run(t, &ConnectDryRunCmd{Name: "shop", File: sample, Header: []string{"X-Localshop-Topic: orders/updated"}, build: cs.build})
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	wantAll(t, "dry-run", out, "event", "order_fulfilled", "topic", "orders/updated", "external id", "shop:2", "number", "#1002",
		"status", "shipped", "prepaid, paid", "customer id", "shop:c2", "buyer2@example.com", "Omniva → post", "items[1]",
		"fulfillments[0]", "CE000000001EE")

	out, err = cs.run(t, &ConnectDryRunCmd{Name: "shop", File: sample, JSON: true, build: cs.build})
	if err != nil {
		t.Fatal(err)
	}
	var r dryRun
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.ExternalID != "shop:2" || r.Order == nil || len(r.Order.Items) != 2 || r.Carrier != "post" {
		t.Errorf("dry-run --json: %v\n%s", err, out)
	}

	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte(strings.Replace(string(body), `"shipped"`, `"lost"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.run(t, &ConnectDryRunCmd{Name: "shop", File: broken, build: cs.build}); err == nil ||
		!strings.Contains(err.Error(), `does not map as a Shopify delivery: status: "lost"`) {
		t.Errorf("a bad status: %v", err)
	}
	if _, err := cs.run(t, &ConnectDryRunCmd{Name: "shop", File: sample, Header: []string{"no colon"}, build: cs.build}); err == nil ||
		!strings.Contains(err.Error(), `--header 1 ("no colon"): write it as 'Name: value'`) {
		t.Errorf("a bad header: %v", err)
	}
	// A phone shopcare cannot read is left out; the order would be kept.
	refused := filepath.Join(dir, "refused.json")
	if err := os.WriteFile(refused, []byte(strings.Replace(string(body), `"+371`, `"+999`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = cs.run(t, &ConnectDryRunCmd{Name: "shop", File: refused, build: cs.build})
	if err != nil {
		t.Fatal(err)
	}
	wantAll(t, "dry-run of a bad phone", out, "left out", "customer.phone:")
}

// TestConnectBackfillResumes: a run stopped by the platform says how to
// go on, and the next run resumes after the page it reached.
func TestConnectBackfillResumes(t *testing.T) {
	t.Parallel()
	cs := newConnectShop(t, "tok")
	cs.failWaits = 1 // every 3rd call is answered 429: page 3's fetch fails
	out, err := cs.run(t, &ConnectBackfillCmd{Name: "shop", build: cs.build})
	if err == nil || !strings.Contains(err.Error(), "the platform stayed down; run the same command again to resume after page 2") {
		t.Fatalf("a stopped run: %v\n%s", err, out)
	}
	wantAll(t, "stopped run", out, "shop: 100 orders read in 2 pages: 100 stored")
	out, err = cs.run(t, &ConnectListCmd{})
	if err != nil {
		t.Fatal(err)
	}
	wantAll(t, "list after the stop", out, "stopped after page 2 (100 orders): read the platform's orders: the platform stayed down")
	out, err = cs.run(t, &ConnectBackfillCmd{Name: "shop", build: cs.build})
	if err != nil {
		t.Fatal(err)
	}
	wantAll(t, "resumed run", out, "shop: resumed after page 2", "20 orders read in 1 pages: 20 stored, 0 already there", "complete: 120 orders in all")
}
