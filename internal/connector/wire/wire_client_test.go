package wire

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/connector"
)

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		header  string
		attempt int
		want    time.Duration
	}{
		{"7", 0, 7 * time.Second},
		{"0.5", 0, 500 * time.Millisecond},
		{"3600", 0, 10 * time.Minute},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 0, 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, 0},
		{"", 0, time.Second},
		{"", 3, 8 * time.Second},
		{"soon", 10, time.Minute},
	}
	for _, c := range cases {
		h := http.Header{}
		if c.header != "" {
			h.Set("Retry-After", c.header)
		}
		if got := RetryAfter(h, now, c.attempt); got != c.want {
			t.Errorf("RetryAfter(%q, %d) = %v, want %v", c.header, c.attempt, got, c.want)
		}
	}
}

func TestClientRetriesAt429WithTheDateOfTheShopsClock(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if r.Header.Get("X-Key") != "k" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if calls == 1 {
			w.Header().Set("Retry-After", now.Add(20*time.Second).Format(http.TimeFormat))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		if r.Method != http.MethodPut || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	var waited []time.Duration
	c := &Client{
		Opts: connector.Options{Clock: clock.NewFake(now), Sleep: func(_ context.Context, d time.Duration) error {
			waited = append(waited, d)
			return nil
		}},
		Auth: func(r *http.Request) { r.Header.Set("X-Key", "k") },
	}
	var out struct{ OK bool }
	if _, err := c.Do(context.Background(), http.MethodPut, srv.URL+"/x?token=t", map[string]int{"a": 1}, &out); err != nil {
		t.Fatal(err)
	}
	if !out.OK || calls != 2 || len(waited) != 1 || waited[0] != 20*time.Second {
		t.Fatalf("ok %v calls %d waited %v", out.OK, calls, waited)
	}
}

func TestClientErrors(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(strings.Repeat("n", 600)))
		case "/garbage":
			_, _ = w.Write([]byte(`{"id":`))
		}
	}))
	t.Cleanup(srv.Close)
	c := &Client{}
	_, err := c.Get(context.Background(), srv.URL+"/missing?access_token=secret", &struct{}{})
	var ae *connector.APIError
	if !errors.As(err, &ae) || ae.Status != 404 || len(ae.Body) > 510 || !IsNotFound(err) || strings.Contains(err.Error(), "secret") {
		t.Fatalf("missing: %v", err)
	}
	if _, err := c.Get(context.Background(), srv.URL+"/garbage", &struct{ ID int }{}); err == nil || !strings.Contains(err.Error(), "read the answer") {
		t.Fatalf("garbage: %v", err)
	}
	srv.Close()
	if _, err := c.Get(context.Background(), srv.URL+"/gone", nil); err == nil {
		t.Fatal("a closed server answered")
	}
}
