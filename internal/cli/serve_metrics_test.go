package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/requestid"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// syncBuffer is a log sink the server's goroutines may write at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// observedApp is an App over a fresh database whose log goes, JSON and
// through the request-id handler as serve's does, into the buffer.
func observedApp(t *testing.T, engine store.Engine, work bool) (*app.App, *clock.Fake, *syncBuffer) {
	t.Helper()
	db, _ := storetest.OpenTest(t, engine)
	settings, err := config.Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	log := slog.New(requestid.NewHandler(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo})))
	clk := clock.NewFake(apptest.Start)
	a, err := app.Wire(context.Background(), db, app.Options{Settings: settings, Clock: clk, Log: log, Work: work})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Stop(context.Background()) })
	return a, clk, logs
}

func do(t *testing.T, h http.Handler, method, path, auth, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// TestMetricsScrape: /internal/metrics answers 404 on the public address
// without a token configured, 401 without or with a wrong bearer token,
// and the metrics with the right one; after an order goes through the
// API they name its route pattern, the jobs, the queue, the journal and
// the messages.
func TestMetricsScrape(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _, _ := observedApp(t, engine, true)
			if err := a.Start(t.Context()); err != nil {
				t.Fatal(err)
			}
			closed := front(serveHandler(a), a.Metrics, "")
			if w := do(t, closed, "GET", MetricsPath, "Bearer anything", ""); w.Code != http.StatusNotFound {
				t.Fatalf("no token configured: %d, want 404", w.Code)
			}
			h := front(serveHandler(a), a.Metrics, "s3cret-token")
			for _, auth := range []string{"", "Bearer", "Bearer wrong", "Basic czNjcmV0LXRva2Vu", "s3cret-token"} {
				if w := do(t, h, "GET", MetricsPath, auth, ""); w.Code != http.StatusUnauthorized {
					t.Errorf("Authorization %q: %d, want 401", auth, w.Code)
				}
			}
			api, err := a.Accounts.TokenAdd(t.Context(), "metrics-test", nil, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			body := `{"external_id":"m-1","customer":{"external_id":"c-1","email":"c1@example.com","name":"Anna"},"total":"10.00"}`
			if w := do(t, h, "POST", "/api/v1/orders", "Bearer "+api, body); w.Code != http.StatusCreated {
				t.Fatalf("POST /orders: %d %s", w.Code, w.Body)
			}
			if w := do(t, h, "GET", "/healthz", "", ""); w.Code != http.StatusOK {
				t.Fatalf("healthz: %d", w.Code)
			}
			want := []string{
				`shopcare_http_request_duration_seconds_count{code="2xx",method="POST",route="/api/v1/orders"} 1`,
				`shopcare_http_request_duration_seconds_count{code="2xx",method="GET",route="/healthz"} 1`,
				`shopcare_jobs{`, `shopcare_queue_depth{queue="default",state="available"}`,
				`shopcare_journal_pending_events`, `shopcare_journal_lag_seconds`, `shopcare_db_scrape_success 1`,
				`shopcare_messages_total{channel="email",outcome="sent"}`, `shopcare_provider_errors_total{channel="email",kind="permanent"} 0`,
				`shopcare_build_info{`, `go_goroutines`, `process_start_time_seconds`,
			}
			deadline := time.Now().Add(30 * time.Second)
			for {
				w := do(t, h, "GET", MetricsPath, "bearer  s3cret-token ", "")
				if w.Code != http.StatusOK {
					t.Fatalf("scrape: %d %s", w.Code, w.Body)
				}
				text := w.Body.String()
				var missing []string
				for _, s := range want {
					if !strings.Contains(text, s) {
						missing = append(missing, s)
					}
				}
				// The order's acknowledgement finishes (no channel is
				// configured here: suppressed) and is counted.
				if len(missing) == 0 && strings.Contains(text, `shopcare_messages_total{channel="none",outcome="suppressed"}`) {
					if strings.Contains(text, `route="/api/v1/orders/m-1"`) || strings.Contains(text, "c1@example.com") {
						t.Fatal("a raw path or a customer's data in the metrics")
					}
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("scrape lacks %q (or the acknowledgement's count):\n%s", missing, text)
				}
				<-time.After(20 * time.Millisecond) // a poll's pause, not a wait for work
			}
		})
	}
}

// TestMetricsOwnAddress: --metrics-addr serves the metrics without a
// token on their own listener.
func TestMetricsOwnAddress(t *testing.T) {
	t.Parallel()
	a, _, _ := observedApp(t, store.SQLite, false)
	ln, err := listenMetrics("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := serveMetrics(slog.New(slog.DiscardHandler), ln, a.Metrics)
	defer func() {
		if err := srv.stop(context.Background()); err != nil {
			t.Error(err)
		}
	}()
	resp, err := http.Get("http://" + ln.Addr().String() + MetricsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(text), "shopcare_build_info") {
		t.Fatalf("own address: %s\n%s", resp.Status, text)
	}
}

// TestReadyz: 200 with every check passed on a fresh app; 503 naming the
// journal once its oldest unhandled event is older than ReadyMaxLag
// (the fake clock moves, no worker drains), and naming the database once
// it is closed. /healthz keeps its contract.
func TestReadyz(t *testing.T) {
	t.Parallel()
	a, clk, logs := observedApp(t, store.SQLite, false)
	h := front(serveHandler(a), a.Metrics, "")
	ready := func(want int) map[string]any {
		t.Helper()
		w := do(t, h, "GET", "/readyz", "", "")
		var body map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatalf("readyz body %q: %v", w.Body, err)
		}
		if w.Code != want {
			t.Fatalf("readyz: %d %s, want %d", w.Code, w.Body, want)
		}
		return body
	}
	if b := ready(http.StatusOK); b["status"] != "ready" {
		t.Fatalf("readyz: %v", b)
	}
	apptest.Order(t, a, orderFixture("r-1"))
	clk.Advance(app.ReadyMaxLag + time.Minute)
	b := ready(http.StatusServiceUnavailable)
	if got, _ := json.Marshal(b["not_ready"]); string(got) != `["journal"]` {
		t.Fatalf("not ready: %s, want the journal", got)
	}
	// The warning carries the request's id, as the response does.
	r := httptest.NewRequest("GET", "/readyz", nil)
	r.Header.Set(requestid.Header, "proxy-id-42")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if got := w.Header().Get(requestid.Header); got != "proxy-id-42" {
		t.Fatalf("X-Request-Id %q, want the proxy's", got)
	}
	if !strings.Contains(logs.String(), `"msg":"not ready"`) || !strings.Contains(logs.String(), `"request_id":"proxy-id-42"`) {
		t.Fatalf("the log lacks the request's id:\n%s", logs)
	}
	a.DB.Close()
	b = ready(http.StatusServiceUnavailable)
	if got, _ := json.Marshal(b["not_ready"]); string(got) != `["database","migrations","journal"]` {
		t.Fatalf("not ready: %s, want all three", got)
	}
	if w := do(t, h, "GET", "/healthz", "", ""); w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), `"status":"unavailable"`) {
		t.Fatalf("healthz on a closed database: %d %s", w.Code, w.Body)
	}
}

func orderFixture(id string) order.NewOrder {
	return order.NewOrder{ExternalID: id, Customer: customer.Input{ExternalID: "c-" + id, Email: id + "@example.com"},
		Items: []order.Item{{SKU: "pan", Name: "Pan", Qty: 1, PriceMinor: 1000}}}
}
