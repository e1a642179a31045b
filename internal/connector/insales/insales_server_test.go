package insales

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// shop is a local InSales: the documented /admin endpoints with HTTP
// Basic auth, page/per_page paging (at most 250), updated_since, the
// API-Usage-Limit header and 503 with Retry-After when told to.
type shop struct {
	t        testing.TB
	login    string
	password string
	orders   []map[string]any // oldest first

	mu       sync.Mutex
	used     int
	refuse   int // answer 503 to this many calls first
	calls    []string
	webhooks []webhook
	nextHook int64
}

func newShop(t testing.TB, n int) *shop {
	t.Helper()
	var base map[string]any
	if err := json.Unmarshal(fixture(t, "order_create.json"), &base); err != nil {
		t.Fatal(err)
	}
	s := &shop{t: t, login: "app-id", password: "app-pass", nextHook: 900}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.FixedZone("MSK", 3*3600))
	for i := 0; i < n; i++ {
		o := map[string]any{}
		for k, v := range base {
			o[k] = v
		}
		at := start.Add(time.Duration(i) * time.Hour).Format("2006-01-02T15:04:05.000-07:00")
		o["id"], o["number"], o["created_at"], o["updated_at"] = 1000+i, 5000+i, at, at
		s.orders = append(s.orders, o)
	}
	if err := json.Unmarshal(fixture(t, "webhooks.json"), &s.webhooks); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *shop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, r.Method+" "+r.URL.RequestURI())
	if u, p, ok := r.BasicAuth(); !ok || u != s.login || p != s.password {
		w.Header().Set("WWW-Authenticate", `Basic realm="Application"`)
		http.Error(w, `{"errors":["Неверный логин или пароль"]}`, http.StatusUnauthorized)
		return
	}
	if s.refuse > 0 {
		s.refuse--
		w.Header().Set("Retry-After", "7")
		http.Error(w, "API limit exceeded", http.StatusServiceUnavailable)
		return
	}
	s.used++
	w.Header().Set("API-Usage-Limit", fmt.Sprintf("%d/500", s.used))
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/admin/account.json":
		_, _ = w.Write(fixture(s.t, "account.json"))
	case r.Method == http.MethodGet && r.URL.Path == "/admin/orders.json":
		s.list(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/admin/webhooks.json":
		_ = json.NewEncoder(w).Encode(s.webhooks)
	case r.Method == http.MethodPost && r.URL.Path == "/admin/webhooks.json":
		var req struct{ Webhook webhook }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Webhook.Address == "" || req.Webhook.Topic == "" {
			http.Error(w, `{"errors":{"address":["не может быть пустым"]}}`, http.StatusUnprocessableEntity)
			return
		}
		s.nextHook++
		req.Webhook.ID = s.nextHook
		s.webhooks = append(s.webhooks, req.Webhook)
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(req.Webhook)
	case r.Method == http.MethodGet:
		var id int
		if _, err := fmt.Sscanf(r.URL.Path, "/admin/orders/%d.json", &id); err == nil {
			for _, o := range s.orders {
				if o["id"] == id {
					_ = json.NewEncoder(w).Encode(o)
					return
				}
			}
		}
		http.Error(w, `{"errors":["Not found"]}`, http.StatusNotFound)
	default:
		http.Error(w, "not found", http.StatusNotFound)
	}
}

func (s *shop) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 || per > 250 {
		per = 250
	}
	page, _ := strconv.Atoi(q.Get("page"))
	if page < 1 {
		page = 1
	}
	var since time.Time
	if v := q.Get("updated_since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			http.Error(w, `{"errors":["updated_since"]}`, http.StatusBadRequest)
			return
		}
		since = t
	}
	var match []map[string]any
	for _, o := range s.orders {
		at, _ := time.Parse(time.RFC3339, o["updated_at"].(string))
		if !at.Before(since) {
			match = append(match, o)
		}
	}
	from := min((page-1)*per, len(match))
	to := min(from+per, len(match))
	_ = json.NewEncoder(w).Encode(match[from:to])
}

// start runs the shop and returns an adapter's API pointed at it, with
// waits recorded instead of slept.
func (s *shop) start(t testing.TB) (*API, *[]time.Duration) {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	waits := &[]time.Duration{}
	a := New(optsFor(srv.URL, s.login, s.password, func(_ context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		*waits = append(*waits, d)
		return nil
	}))
	return a.API.(*API), waits
}
