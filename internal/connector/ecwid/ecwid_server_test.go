package ecwid

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/connector"
)

const token = "secret_ab12cd"

// store is a local Ecwid REST API: /{storeId}/profile, /orders with
// offset/limit (at most 100) and createdFrom, /orders/{id} GET and PUT,
// Bearer auth, and 429 with Retry-After when told to.
type store struct {
	t      testing.TB
	id     string
	token  string
	orders []map[string]any // oldest first

	mu      sync.Mutex
	limited int // answer 429 to this many calls first
	calls   []string
	puts    []map[string]any
}

func newStore(t testing.TB, n int) *store {
	t.Helper()
	var base map[string]any
	if err := json.Unmarshal(fixture(t, "order.json"), &base); err != nil {
		t.Fatal(err)
	}
	s := &store{t: t, id: "1003", token: token}
	start := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		o := map[string]any{}
		for k, v := range base {
			o[k] = v
		}
		at := start.Add(time.Duration(i) * time.Hour)
		o["id"] = fmt.Sprintf("K%04d", i)
		o["orderNumber"] = 1000 + i
		o["createTimestamp"], o["updateTimestamp"] = at.Unix(), at.Unix()
		o["createDate"] = at.Format("2006-01-02 15:04:05 -0700")
		s.orders = append(s.orders, o)
	}
	return s
}

func (s *store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, r.Method+" "+r.URL.RequestURI())
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	if r.Header.Get("Authorization") != "Bearer "+s.token {
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"errorMessage":"Invalid access token","errorCode":"INVALID_ACCESS_TOKEN"}`))
		return
	}
	if s.limited > 0 {
		s.limited--
		w.Header().Set("Retry-After", "3")
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/api/v3/"+s.id)
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"errorMessage":"Store not found"}`))
		return
	}
	switch {
	case r.Method == http.MethodGet && rest == "/profile":
		_, _ = w.Write(fixture(s.t, "profile.json"))
	case r.Method == http.MethodGet && rest == "/orders":
		s.search(w, r)
	case strings.HasPrefix(rest, "/orders/"):
		id := strings.TrimPrefix(rest, "/orders/")
		for _, o := range s.orders {
			if o["id"] != id {
				continue
			}
			switch r.Method {
			case http.MethodGet:
				_ = json.NewEncoder(w).Encode(o)
			case http.MethodPut:
				var upd map[string]any
				if err := json.NewDecoder(r.Body).Decode(&upd); err != nil {
					w.WriteHeader(http.StatusBadRequest)
					return
				}
				for k, v := range upd {
					o[k] = v
				}
				s.puts = append(s.puts, upd)
				_, _ = w.Write([]byte(`{"updateCount":1}`))
			default:
				w.WriteHeader(http.StatusMethodNotAllowed)
			}
			return
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"errorMessage":"Order #` + id + ` not found","errorCode":"ORDER_NOT_FOUND"}`))
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func (s *store) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	offset, _ := strconv.Atoi(q.Get("offset"))
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit > 100 || limit < 1 {
		limit = 100
	}
	var from int64
	if v := q.Get("createdFrom"); v != "" {
		if from, err = strconv.ParseInt(v, 10, 64); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"errorMessage":"createdFrom"}`))
			return
		}
	}
	var match []map[string]any
	for _, o := range s.orders {
		if o["createTimestamp"].(int64) >= from {
			match = append(match, o)
		}
	}
	start := min(offset, len(match))
	end := min(start+limit, len(match))
	_ = json.NewEncoder(w).Encode(map[string]any{
		"total": len(match), "count": end - start, "offset": offset, "limit": limit, "items": match[start:end],
	})
}

func (s *store) start(t testing.TB) (*API, *[]time.Duration) {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	waits := &[]time.Duration{}
	a := New(connector.Options{
		Name: "toys", URL: srv.URL + "/api/v3", StoreID: s.id, AccessToken: token, APISecret: clientSecret,
		Sleep: func(_ context.Context, d time.Duration) error {
			mu.Lock()
			defer mu.Unlock()
			*waits = append(*waits, d)
			return nil
		},
	})
	return a.API.(*API), waits
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
