package shopify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/connector"
)

// shop is a local Shopify GraphQL Admin API: it answers the queries and
// mutations shopcare sends the way Shopify documents them, keeps a cost
// bucket on the test's fake clock and refuses a call the bucket cannot
// hold with THROTTLED, as Shopify does.
type shop struct {
	t     *testing.T
	url   string
	clock *clock.Fake
	token string

	mu      sync.Mutex
	orders  []string // order ids, oldest first
	created time.Time
	// bucket
	max, restore, available float64
	seen                    time.Time
	throttled               int // THROTTLED answers given
	// scripted answers, consumed first: status, headers, body
	script []scripted
	// registrations and writes
	subs       []sub
	metafields []map[string]any
	requests   []gqlRequest
	userErrors bool
}

type scripted struct {
	status int
	header http.Header
	body   string
}

type sub struct{ Topic, URI string }

type gqlRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables"`
}

// newShop starts the server with n orders a minute apart from
// 2024-01-01 and a bucket of 2,000 points refilled at 100 a second (the
// Advanced plan's; Basic has 1,000 at 50).
func newShop(t *testing.T, n int) (*shop, *Adapter, *[]time.Duration) {
	t.Helper()
	s := &shop{
		t: t, clock: clock.NewFake(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)), token: "shpat_test",
		created: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), max: 2000, restore: 100, available: 2000,
	}
	s.seen = s.clock.Now()
	for i := range n {
		s.orders = append(s.orders, strconv.Itoa(5000000000+i))
	}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	var waits []time.Duration
	var wmu sync.Mutex
	a := NewAdapter(connector.Options{
		Name: "shop", URL: srv.URL, AccessToken: s.token, WebhookSecret: "hush", HTTP: srv.Client(), Clock: s.clock,
		Sleep: func(_ context.Context, d time.Duration) error {
			wmu.Lock()
			waits = append(waits, d)
			wmu.Unlock()
			s.clock.Advance(d)
			return nil
		},
	})
	return s, a, &waits
}

func (s *shop) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/admin/api/"+APIVersion+"/graphql.json" {
		http.Error(w, `{"errors":"Not Found"}`, http.StatusNotFound)
		return
	}
	if r.Header.Get("X-Shopify-Access-Token") != s.token {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`)
		return
	}
	var req gqlRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, `{"errors":"bad json"}`, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
	if len(s.script) > 0 {
		a := s.script[0]
		s.script = s.script[1:]
		for k, v := range a.header {
			w.Header()[k] = v
		}
		w.WriteHeader(a.status)
		fmt.Fprint(w, a.body)
		return
	}
	cost := s.cost(req.Query)
	now := s.clock.Now()
	s.available = min(s.max, s.available+s.restore*now.Sub(s.seen).Seconds())
	s.seen = now
	if cost > s.available {
		s.throttled++
		s.answer(w, nil, []map[string]any{{"message": "Throttled", "extensions": map[string]any{"code": "THROTTLED"}}}, cost, nil)
		return
	}
	s.available -= cost
	data, errs := s.resolve(req)
	s.answer(w, data, errs, cost, &cost)
}

// cost is a query's price in points, roughly as Shopify counts it.
func (s *shop) cost(q string) float64 {
	switch {
	case strings.Contains(q, "orders(first"):
		return 252
	case strings.Contains(q, "order(id"):
		return 12
	default:
		return 10
	}
}

func (s *shop) answer(w http.ResponseWriter, data any, errs []map[string]any, requested float64, actual *float64) {
	ans := map[string]any{"extensions": map[string]any{"cost": map[string]any{
		"requestedQueryCost": requested, "actualQueryCost": actual,
		"throttleStatus": map[string]any{"maximumAvailable": s.max, "currentlyAvailable": s.available, "restoreRate": s.restore},
	}}}
	if data != nil {
		ans["data"] = data
	}
	if errs != nil {
		ans["errors"] = errs
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(ans); err != nil {
		s.t.Error(err)
	}
}

func (s *shop) resolve(req gqlRequest) (any, []map[string]any) {
	q, v := req.Query, req.Variables
	switch {
	case strings.Contains(q, "shop {"):
		return map[string]any{"shop": map[string]any{"name": "Jānis Shop", "currencyCode": "EUR"}}, nil
	case strings.Contains(q, "orders(first"):
		return s.ordersPage(v, strings.Contains(q, "ordersCount(")), nil
	case strings.Contains(q, "order(id"):
		if v["id"] != "gid://shopify/Order/820982911946154508" {
			return map[string]any{"order": nil}, nil
		}
		var fx struct {
			Data any `json:"data"`
		}
		if err := json.Unmarshal(readFixture(s.t, "graphql_order.json"), &fx); err != nil {
			s.t.Error(err)
		}
		return fx.Data, nil
	case strings.Contains(q, "webhookSubscriptions("):
		nodes := []any{}
		for i, sb := range s.subs {
			nodes = append(nodes, map[string]any{"id": fmt.Sprintf("gid://shopify/WebhookSubscription/%d", i+1), "topic": sb.Topic, "uri": sb.URI})
		}
		return map[string]any{"webhookSubscriptions": map[string]any{"nodes": nodes, "pageInfo": map[string]any{"hasNextPage": false, "endCursor": nil}}}, nil
	case strings.Contains(q, "webhookSubscriptionCreate"):
		in, _ := v["sub"].(map[string]any)
		uri, _ := in["uri"].(string)
		topic, _ := v["topic"].(string)
		if !strings.HasPrefix(uri, "https://") {
			return map[string]any{"webhookSubscriptionCreate": map[string]any{"webhookSubscription": nil,
				"userErrors": []any{map[string]any{"field": []string{"webhookSubscription", "callbackUrl"}, "message": "Address protocol http:// is not supported"}}}}, nil
		}
		s.subs = append(s.subs, sub{topic, uri})
		return map[string]any{"webhookSubscriptionCreate": map[string]any{"webhookSubscription": map[string]any{"topic": topic, "uri": uri}, "userErrors": []any{}}}, nil
	case strings.Contains(q, "metafieldsSet"):
		mf, _ := v["metafields"].([]any)
		ues := []any{}
		for i, m := range mf {
			mm, _ := m.(map[string]any)
			s.metafields = append(s.metafields, mm)
			if s.userErrors {
				ues = append(ues, map[string]any{"field": []string{"metafields", strconv.Itoa(i), "value"}, "message": "Value is invalid"})
			}
		}
		return map[string]any{"metafieldsSet": map[string]any{"metafields": mf, "userErrors": ues}}, nil
	}
	return nil, []map[string]any{{"message": "Field doesn't exist", "extensions": map[string]any{"code": "undefinedField"}}}
}

// ordersPage answers orders(first, after, query, sortKey: CREATED_AT):
// oldest first, a cursor per order, created_at:>= filtering.
func (s *shop) ordersPage(v map[string]any, count bool) any {
	first := int(v["first"].(float64))
	start := 0
	if after, ok := v["after"].(string); ok {
		n, err := strconv.Atoi(strings.TrimPrefix(after, "cursor-"))
		if err != nil {
			s.t.Errorf("cursor %q", after)
		}
		start = n + 1
	}
	var since time.Time
	if q, ok := v["query"].(string); ok {
		t, err := time.Parse(time.RFC3339, strings.Trim(strings.TrimPrefix(q, "created_at:>="), "'"))
		if err != nil {
			s.t.Errorf("query %q", q)
		}
		since = t
	}
	var match []int
	for i := range s.orders {
		if !s.created.Add(time.Duration(i) * time.Minute).Before(since) {
			match = append(match, i)
		}
	}
	nodes := []any{}
	last := -1
	pos := 0
	for pos < len(match) && match[pos] < start {
		pos++
	}
	for ; pos < len(match) && len(nodes) < first; pos++ {
		i := match[pos]
		nodes = append(nodes, s.orderNode(i))
		last = i
	}
	out := map[string]any{"orders": map[string]any{"nodes": nodes, "pageInfo": map[string]any{
		"hasNextPage": pos < len(match), "endCursor": fmt.Sprintf("cursor-%d", last)}}}
	if count {
		out["ordersCount"] = map[string]any{"count": len(match), "precision": "EXACT"}
	}
	return out
}

func (s *shop) orderNode(i int) map[string]any {
	at := s.created.Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
	return map[string]any{
		"id": "gid://shopify/Order/" + s.orders[i], "legacyResourceId": s.orders[i], "name": fmt.Sprintf("#%d", 1001+i),
		"email": fmt.Sprintf("buyer%d@example.lv", i), "createdAt": at, "updatedAt": at,
		"displayFinancialStatus": "PAID", "displayFulfillmentStatus": "UNFULFILLED", "currencyCode": "EUR",
		"customerLocale": "lv-LV", "paymentGatewayNames": []string{"Cash on Delivery (COD)"},
		"totalPriceSet": map[string]any{"shopMoney": map[string]any{"amount": "12.5", "currencyCode": "EUR"}},
		"lineItems": map[string]any{"nodes": []any{map[string]any{"sku": "MUG", "title": "Krūze", "quantity": 2,
			"originalUnitPriceSet": map[string]any{"shopMoney": map[string]any{"amount": "6.25", "currencyCode": "EUR"}}}}},
		"fulfillments": []any{},
	}
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
