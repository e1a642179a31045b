package woocommerce

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

const (
	key        = "ck_4f3c2b1a"
	secret     = "cs_9e8d7c6b"
	hookSecret = "hush"
)

// shop is a local WooCommerce REST API v3: consumer key and secret by
// HTTP Basic (or the query string over http), pages with X-WP-Total and
// X-WP-TotalPages, errors as {"code","message","data":{"status"}}.
type shop struct {
	t   *testing.T
	url string

	mu       sync.Mutex
	orders   []map[string]any // oldest first
	webhooks []webhook
	secrets  map[int64]string
	notes    []map[string]any
	script   []scripted
	queries  []string
	auth     []string // how each request authenticated: basic or query
}

type scripted struct {
	status int
	header http.Header
	body   string
}

// newShop starts a shop with n orders an hour apart from 2024-01-01,
// each the documented order 727 under its own id. tls picks an https
// server (Basic auth) or a plain loopback one (query-string auth).
func newShop(t *testing.T, n int, tls bool) (*shop, *Adapter, *[]time.Duration) {
	t.Helper()
	s := &shop{t: t, secrets: map[int64]string{}}
	base := readOrder(t, "order.json")
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		o := map[string]any{}
		for k, v := range base {
			o[k] = v
		}
		id := 1000 + i
		at := start.Add(time.Duration(i) * time.Hour).Format("2006-01-02T15:04:05")
		o["id"], o["number"], o["date_created_gmt"], o["date_modified_gmt"] = id, strconv.Itoa(id), at, at
		s.orders = append(s.orders, o)
	}
	h := http.HandlerFunc(s.serve)
	var srv *httptest.Server
	if tls {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	s.url = srv.URL
	var waits []time.Duration
	var wmu sync.Mutex
	a := NewAdapter(connector.Options{
		Name: "woo", URL: srv.URL, APIKey: key, APISecret: secret, WebhookSecret: hookSecret,
		HTTP: srv.Client(), Clock: clock.NewFake(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)),
		Sleep: func(_ context.Context, d time.Duration) error {
			wmu.Lock()
			defer wmu.Unlock()
			waits = append(waits, d)
			return nil
		},
	})
	return s, a, &waits
}

func (s *shop) fail(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg, "data": map[string]any{"status": status}})
}

func (s *shop) json(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		s.t.Error(err)
	}
}

func (s *shop) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queries = append(s.queries, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery)
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
	path, ok := strings.CutPrefix(r.URL.Path, "/wp-json/wc/v3")
	if !ok {
		s.fail(w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method")
		return
	}
	u, p, basic := r.BasicAuth()
	switch {
	case basic && u == key && p == secret && r.TLS != nil:
		s.auth = append(s.auth, "basic")
	case r.URL.Query().Get("consumer_key") == key && r.URL.Query().Get("consumer_secret") == secret:
		s.auth = append(s.auth, "query")
	default:
		s.fail(w, http.StatusUnauthorized, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
		return
	}
	q := r.URL.Query()
	switch {
	case r.Method == http.MethodGet && path == "/system_status":
		var st any
		if err := json.Unmarshal(readFile(s.t, "system_status.json"), &st); err != nil {
			s.t.Error(err)
		}
		s.json(w, http.StatusOK, st)
	case r.Method == http.MethodGet && path == "/orders":
		s.listOrders(w, q)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/orders/"):
		id, _ := strconv.Atoi(strings.TrimPrefix(path, "/orders/"))
		if id == 727 {
			s.json(w, http.StatusOK, readOrder(s.t, "order_tracking.json"))
			return
		}
		s.fail(w, http.StatusNotFound, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
	case r.Method == http.MethodPost && strings.HasSuffix(path, "/notes"):
		var in map[string]any
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in["note"] == "" {
			s.fail(w, http.StatusBadRequest, "rest_missing_callback_param", "Missing parameter(s): note")
			return
		}
		in["order"] = strings.TrimSuffix(strings.TrimPrefix(path, "/orders/"), "/notes")
		s.notes = append(s.notes, in)
		s.json(w, http.StatusCreated, map[string]any{"id": 281, "author": "system", "note": in["note"], "customer_note": in["customer_note"]})
	case r.Method == http.MethodGet && path == "/webhooks":
		per, _ := strconv.Atoi(q.Get("per_page"))
		page, _ := strconv.Atoi(q.Get("page"))
		s.page(w, len(s.webhooks), per, page, func(i int) any { return s.webhooks[i] })
	case r.Method == http.MethodPost && path == "/webhooks":
		var in struct {
			Name, Topic, Secret, Status string
			DeliveryURL                 string `json:"delivery_url"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Topic == "" || in.DeliveryURL == "" {
			s.fail(w, http.StatusBadRequest, "rest_missing_callback_param", "Missing parameter(s): topic, delivery_url")
			return
		}
		id := int64(142 + len(s.webhooks))
		s.webhooks = append(s.webhooks, webhook{ID: id, Status: "active", Topic: in.Topic, DeliveryURL: in.DeliveryURL})
		s.secrets[id] = in.Secret
		s.json(w, http.StatusCreated, s.webhooks[len(s.webhooks)-1])
	case r.Method == http.MethodPut && strings.HasPrefix(path, "/webhooks/"):
		id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/webhooks/"), 10, 64)
		var in struct{ Status string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		for i := range s.webhooks {
			if s.webhooks[i].ID == id {
				s.webhooks[i].Status = in.Status
				s.json(w, http.StatusOK, s.webhooks[i])
				return
			}
		}
		s.fail(w, http.StatusNotFound, "woocommerce_rest_webhook_invalid_id", "Invalid ID.")
	default:
		s.fail(w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method")
	}
}

// listOrders answers GET /orders: orderby=date&order=asc, after (GMT with
// dates_are_gmt), per_page ≤ 100, page.
func (s *shop) listOrders(w http.ResponseWriter, q map[string][]string) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	if get("orderby") != "date" || get("order") != "asc" {
		s.t.Errorf("orders listed by %q %q, want date asc", get("orderby"), get("order"))
	}
	per, _ := strconv.Atoi(get("per_page"))
	if per < 1 || per > 100 {
		s.fail(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): per_page")
		return
	}
	page, _ := strconv.Atoi(get("page"))
	var match []map[string]any
	for _, o := range s.orders {
		if after := get("after"); after != "" {
			if get("dates_are_gmt") != "true" {
				s.t.Error("after without dates_are_gmt")
			}
			if o["date_created_gmt"].(string) <= after {
				continue
			}
		}
		match = append(match, o)
	}
	s.page(w, len(match), per, page, func(i int) any { return match[i] })
}

func (s *shop) page(w http.ResponseWriter, n, per, page int, item func(int) any) {
	if per < 1 {
		per = 10
	}
	if page < 1 {
		page = 1
	}
	pages := (n + per - 1) / per
	w.Header().Set("X-WP-Total", strconv.Itoa(n))
	w.Header().Set("X-WP-TotalPages", strconv.Itoa(pages))
	if page > max(pages, 1) {
		s.fail(w, http.StatusBadRequest, "rest_post_invalid_page_number", "The page number requested is larger than the number of pages available.")
		return
	}
	out := []any{}
	for i := (page - 1) * per; i < n && i < page*per; i++ {
		out = append(out, item(i))
	}
	s.json(w, http.StatusOK, out)
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readOrder(t *testing.T, name string) map[string]any {
	t.Helper()
	var o map[string]any
	if err := json.Unmarshal(readFile(t, name), &o); err != nil {
		t.Fatal(err)
	}
	return o
}
