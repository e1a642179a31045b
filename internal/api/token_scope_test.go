package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// apiRoutes are the routes behind a token in routes.go, and the scope
// each needs ("" for any token).
var apiRoutes = []struct {
	method, path string
	scope        auth.Scope
	also         auth.Scope // a second scope that may use it
}{
	{"POST", "/api/v1/orders", auth.ScopeOrdersWrite, ""},
	{"GET", "/api/v1/orders/1", auth.ScopeRead, ""},
	{"POST", "/api/v1/orders/1/status", auth.ScopeOrdersWrite, ""},
	{"GET", "/api/v1/orders/1/messages", auth.ScopeRead, ""},
	{"POST", "/api/v1/orders/1/parcels", auth.ScopeOrdersWrite, ""},
	{"POST", "/api/v1/orders/1/stock/resolve", auth.ScopeOrdersWrite, ""},
	{"POST", "/api/v1/parcels/events", auth.ScopeOrdersWrite, ""},
	{"GET", "/api/v1/parcels/RA1", auth.ScopeRead, ""},
	{"GET", "/api/v1/customers/1", auth.ScopeRead, ""},
	{"GET", "/api/v1/customers/1/ledger", auth.ScopeLoyalty, auth.ScopeRead},
	{"POST", "/api/v1/loyalty/redeem", auth.ScopeLoyalty, ""},
	{"POST", "/api/v1/loyalty/grants", auth.ScopeLoyalty, ""},
	{"POST", "/api/v1/loyalty/reviews", auth.ScopeLoyalty, ""},
	{"POST", "/api/v1/coupons", auth.ScopeLoyalty, ""},
	{"POST", "/api/v1/coupons/validate", auth.ScopeLoyalty, ""},
	{"POST", "/api/v1/coupons/redeem", auth.ScopeLoyalty, ""},
	{"GET", "/api/v1/metrics", auth.ScopeRead, ""},
	{"GET", "/api/v1/analytics/experiences", auth.ScopeRead, ""},
	{"GET", "/api/v1/spend", auth.ScopeRead, ""},
	{"GET", "/api/v1/surveys/summary", auth.ScopeRead, ""}, // insight (issue 24)
	{"POST", "/api/v1/spend", auth.ScopeShop, ""},
	{"POST", "/api/v1/visits", auth.ScopeShop, ""},
	{"GET", "/api/v1/audit", auth.ScopeRead, ""},
	{"POST", "/api/v1/audit/checks", auth.ScopeShop, ""},
	{"GET", "/api/v1/shop/days", auth.ScopeRead, ""},
	{"POST", "/api/v1/shop/days", auth.ScopeShop, ""},
	{"DELETE", "/api/v1/shop/days/999999", auth.ScopeShop, ""},
	{"GET", "/api/v1/webhooks/deliveries", auth.ScopeRead, ""},
	{"GET", "/api/v1/orders", auth.ScopeRead, ""},
	{"PATCH", "/api/v1/orders/1", auth.ScopeOrdersWrite, ""},
	{"GET", "/api/v1/customers", auth.ScopeRead, ""},
	{"PATCH", "/api/v1/customers/1", auth.ScopeOrdersWrite, ""},
	{"DELETE", "/api/v1/customers/999999", auth.ScopeCustomersErase, ""},
	{"GET", "/api/v1/customers/1/export", auth.ScopeRead, ""},
	{"GET", "/api/v1/conversations", auth.ScopeRead, ""},
	{"GET", "/api/v1/stock/POT-1/waitlist", auth.ScopeRead, ""},
	{"POST", "/api/v1/stock/POT-1/waitlist", auth.ScopeOrdersWrite, ""},
	{"GET", "/api/v1/conversations/1/messages", auth.ScopeRead, ""},
	{"POST", "/api/v1/conversations/1/messages", auth.ScopeShop, ""},
	{"GET", "/api/v1/insiders/projects", auth.ScopeRead, ""},
	{"GET", "/api/v1/insiders/projects/1/members", auth.ScopeRead, ""},
	{"GET", "/api/v1/campaigns/1/letters.pdf", auth.ScopeRead, ""},
	{"GET", "/api/v1/campaigns/1/labels.pdf", auth.ScopeRead, ""},
	{"POST", "/api/v1/campaigns", auth.ScopeCampaigns, ""}, // campaigns (issue 25)
	{"GET", "/api/v1/campaigns", auth.ScopeRead, ""},
	{"GET", "/api/v1/campaigns/1", auth.ScopeRead, ""},
	{"PATCH", "/api/v1/campaigns/1", auth.ScopeCampaigns, ""},
	{"POST", "/api/v1/campaigns/1/send", auth.ScopeCampaigns, ""},
	{"POST", "/api/v1/campaigns/1/pause", auth.ScopeCampaigns, ""},
	{"POST", "/api/v1/campaigns/1/resume", auth.ScopeCampaigns, ""},
	{"POST", "/api/v1/campaigns/1/cancel", auth.ScopeCampaigns, ""},
	{"POST", "/api/v1/campaigns/1/test", auth.ScopeCampaigns, ""},
	{"GET", "/api/v1/campaigns/1/preview", auth.ScopeRead, ""},
	{"POST", "/api/v1/audiences/count", auth.ScopeRead, auth.ScopeCampaigns},
	{"GET", "/api/v1/audiences", auth.ScopeRead, ""},
	{"POST", "/api/v1/audiences", auth.ScopeCampaigns, ""},
	{"DELETE", "/api/v1/audiences/1", auth.ScopeCampaigns, ""},
	{"GET", "/api/v1/admin-actions", everyScope, ""},                // the log of admin actions (issue 26)
	{"PUT", "/api/v1/stock", auth.ScopeOrdersWrite, auth.ScopeShop}, // stock (issue 27)
	{"GET", "/api/v1/stock", auth.ScopeRead, ""},
	{"GET", "/api/v1/stock/POT-1", auth.ScopeRead, ""},
	{"GET", "/api/v1/no/such/thing", "", ""},
}

// everyScope stands for a route without scopes: only a token without
// scopes (every scope) may call it; the refusal names what it needs.
const everyScope auth.Scope = "of a token without scopes (every scope)"

// TestTokenScopes walks every API route with a token of each scope and
// one without scopes: each route admits exactly the tokens of its scope
// (and all-scope tokens, as every token was before scopes) and refuses
// the others with 403 insufficient_scope naming the scope it needs.
func TestTokenScopes(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			ctx := context.Background()
			tokens := map[auth.Scope]string{"": e.token}
			for _, s := range auth.Scopes {
				tok, err := auth.TokenAdd(ctx, e.app.DB, "only "+string(s), []auth.Scope{s}, e.clock.Now())
				if err != nil {
					t.Fatal(err)
				}
				tokens[s] = tok
			}
			for _, rt := range apiRoutes {
				for scope, tok := range tokens {
					body := ""
					if rt.method == "POST" || rt.method == "PATCH" {
						body = "{}"
					}
					status, out, h := e.call(t, rt.method, rt.path, body, tok)
					want := scope == "" || rt.scope == "" || scope == rt.scope || scope == rt.also
					errBody, _ := out["error"].(map[string]any)
					switch {
					case want && (status == http.StatusForbidden || status == http.StatusUnauthorized):
						t.Errorf("%s %s with a %q token: %d %v, want it admitted", rt.method, rt.path, scope, status, errBody)
					case !want && status != http.StatusForbidden:
						t.Errorf("%s %s with a %q token: %d, want 403", rt.method, rt.path, scope, status)
					case !want && (errBody["code"] != "insufficient_scope" || !strings.Contains(errBody["message"].(string), string(rt.scope)) ||
						!strings.Contains(h.Get("WWW-Authenticate"), `scope="`+string(rt.scope)+`"`)):
						t.Errorf("%s %s with a %q token: %v, %q: want insufficient_scope naming %s", rt.method, rt.path, scope, errBody, h.Get("WWW-Authenticate"), rt.scope)
					}
				}
			}
			// A write refused for its scope leaves nothing behind.
			if status, _, _ := e.call(t, "POST", "/api/v1/orders", order1, tokens[auth.ScopeRead]); status != http.StatusForbidden {
				t.Fatalf("order with a read token: %d", status)
			}
			if status, _, _ := e.call(t, "GET", "/api/v1/orders/1001", "", e.token); status != http.StatusNotFound {
				t.Errorf("the order refused for its scope exists: %d", status)
			}
			if status, _, _ := e.call(t, "POST", "/api/v1/orders", order1, tokens[auth.ScopeOrdersWrite]); status != http.StatusCreated {
				t.Errorf("order with an orders:write token: %d", status)
			}
			// A revoked token is refused at once.
			if err := auth.TokenRevoke(ctx, e.app.DB, "only read"); err != nil {
				t.Fatal(err)
			}
			if status, _, _ := e.call(t, "GET", "/api/v1/metrics", "", tokens[auth.ScopeRead]); status != http.StatusUnauthorized {
				t.Errorf("a revoked token: %d, want 401", status)
			}
		})
	}
}

// TestEveryRouteHasAScope: every route the routes table put on the mux
// behind a token is in the scope table above, which the walk checks;
// only the public ones are not.
func TestEveryRouteHasAScope(t *testing.T) {
	t.Parallel()
	a, _ := apptest.New(t, store.SQLite, false)
	var h *api.Handler
	api.New(a, api.Capture(&h))
	public := []string{"GET /api/v1/openapi.json", "GET /api/v1/promise/quote", "POST /api/v1/parcels/webhooks/{carrier}/{secret}",
		"GET /api/v1/reviews", "GET /api/v1/stock/{sku}/availability"} // published reviews are public; the other states check the token themselves
	wild := strings.NewReplacer("{id}", "1", "{tracking_number}", "RA1", "{sku}", "POT-1")
	for _, p := range h.Patterns() {
		if slices.Contains(public, p) {
			continue
		}
		method, path, _ := strings.Cut(p, " ")
		path = wild.Replace(path)
		found := false
		for _, rt := range apiRoutes {
			if rt.method == method && (rt.path == path || strings.HasPrefix(path, "/api/v1/shop/days/") && rt.path == "/api/v1/shop/days/999999" ||
				method == "DELETE" && rt.path == "/api/v1/customers/999999" && path == "/api/v1/customers/1") {
				found = true
			}
		}
		if !found {
			t.Errorf("route %s has no scope in the test's table", p)
		}
	}
}

// TestTokenLastUsed: a request records its token's last use on the real
// clock, at most once a minute per token, without making the request
// wait for the write.
func TestTokenLastUsed(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := apptest.New(t, engine, false)
			human := clock.NewFake(time.Date(2030, 5, 1, 9, 0, 0, 0, time.UTC))
			token, err := auth.TokenAdd(ctx, a.DB, "site", []auth.Scope{auth.ScopeRead}, human.Now())
			if err != nil {
				t.Fatal(err)
			}
			var h *api.Handler
			srv := httptest.NewServer(api.New(a, api.WithHumanClock(human), api.Capture(&h)))
			t.Cleanup(srv.Close)
			e := &env{srv: srv, token: token, app: a, clock: clk}
			lastUsed := func() time.Time {
				t.Helper()
				h.WaitUsage()
				list, err := auth.TokenList(ctx, a.DB.Read())
				if err != nil || len(list) != 1 {
					t.Fatalf("list: %v %v", list, err)
				}
				return list[0].LastUsedAt
			}
			if !lastUsed().IsZero() {
				t.Fatal("a new token has been used")
			}
			first := human.Now()
			for range 5 {
				e.call(t, "GET", "/api/v1/metrics", "", token)
			}
			if got := lastUsed(); !got.Equal(first) {
				t.Fatalf("last used %s, want %s (the real clock's, not the shop's %s)", got, first, clk.Now())
			}
			human.Advance(30 * time.Second)
			e.call(t, "GET", "/api/v1/metrics", "", token)
			if got := lastUsed(); !got.Equal(first) {
				t.Errorf("written again within the minute: %s", got)
			}
			human.Advance(31 * time.Second)
			e.call(t, "GET", "/api/v1/metrics", "", token)
			if got := lastUsed(); !got.Equal(human.Now()) {
				t.Errorf("a minute later: last used %s, want %s", got, human.Now())
			}
			// A use refused for its scope is a use all the same.
			human.Advance(2 * time.Minute)
			e.call(t, "POST", "/api/v1/orders", order1, token)
			if got := lastUsed(); !got.Equal(human.Now()) {
				t.Errorf("after a refused write: last used %s, want %s", got, human.Now())
			}
		})
	}
}
