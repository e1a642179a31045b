package metrics_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/metrics"
)

// fed is a registry with every metric present: a request timed, the
// database's gauges read.
func fed(t testing.TB) (*metrics.Metrics, http.Handler) {
	t.Helper()
	m := metrics.New(metrics.Options{Version: "v-test"})
	m.UseSource(metrics.SourceFunc(func(context.Context) (metrics.Gauges, error) {
		return metrics.Gauges{Jobs: []metrics.JobCount{{Kind: "message_send", Queue: "default", State: "available", N: 2}},
			JournalPending: 3, JournalLag: 4 * time.Second}, nil
	}))
	inner := http.NewServeMux()
	inner.HandleFunc("GET /orders/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	outer := http.NewServeMux()
	outer.Handle("/api/", http.StripPrefix("/api", metrics.Routed(inner)))
	outer.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	h := m.Middleware(metrics.Routed(outer))
	for _, p := range []string{"/api/orders/123", "/api/orders/456", "/healthz", "/nowhere"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	return m, h
}

func scrape(t testing.TB, m *metrics.Metrics) string {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/internal/metrics", nil))
	if w.Code != http.StatusOK {
		t.Fatalf("scrape: %d %s", w.Code, w.Body)
	}
	return w.Body.String()
}

// TestRouteLabel: a request is labelled by the innermost mux's pattern,
// without its method, never by its raw path; no route is "unmatched".
func TestRouteLabel(t *testing.T) {
	t.Parallel()
	m, _ := fed(t)
	text := scrape(t, m)
	for _, want := range []string{
		`shopcare_http_request_duration_seconds_count{code="4xx",method="GET",route="/orders/{id}"} 2`,
		`shopcare_http_request_duration_seconds_count{code="2xx",method="GET",route="/healthz"} 1`,
		`shopcare_http_request_duration_seconds_count{code="4xx",method="GET",route="unmatched"} 1`,
		`shopcare_jobs{kind="message_send",state="available"} 2`,
		`shopcare_queue_depth{queue="default",state="available"} 2`,
		`shopcare_journal_lag_seconds 4`, `shopcare_journal_pending_events 3`,
		`shopcare_build_info{goversion="go`, `version="v-test"} 1`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("scrape lacks %s", want)
		}
	}
	if strings.Contains(text, "123") && strings.Contains(text, `route="/api/orders/123"`) {
		t.Error("a raw path became a label")
	}
}

// TestSlowDatabaseDoesNotHangScrape: a source that never answers makes
// the scrape report success 0 after the timeout, with the rest served.
func TestSlowDatabaseDoesNotHangScrape(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Options{ScrapeTimeout: 50 * time.Millisecond})
	release := make(chan struct{})
	defer close(release)
	m.UseSource(metrics.SourceFunc(func(ctx context.Context) (metrics.Gauges, error) {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return metrics.Gauges{}, ctx.Err()
	}))
	text := scrape(t, m)
	if !strings.Contains(text, "shopcare_db_scrape_success 0") || !strings.Contains(text, "go_goroutines") {
		t.Fatalf("scrape of a slow database:\n%s", text)
	}
}

// TestProtect: no token configured is 404; a missing or wrong bearer
// token is 401; the right one, in any case of "Bearer", is served.
func TestProtect(t *testing.T) {
	t.Parallel()
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "metrics") })
	for _, tc := range []struct {
		token, header string
		want          int
	}{
		{"", "Bearer x", http.StatusNotFound},
		{"tok", "", http.StatusUnauthorized},
		{"tok", "Bearer tok2", http.StatusUnauthorized},
		{"tok", "Bearer to", http.StatusUnauthorized},
		{"tok", "Basic tok", http.StatusUnauthorized},
		{"tok", "tok", http.StatusUnauthorized},
		{"tok", "Bearer tok", http.StatusOK},
		{"tok", "bearer   tok ", http.StatusOK},
	} {
		r := httptest.NewRequest("GET", "/internal/metrics", nil)
		if tc.header != "" {
			r.Header.Set("Authorization", tc.header)
		}
		w := httptest.NewRecorder()
		metrics.Protect(ok, tc.token).ServeHTTP(w, r)
		if w.Code != tc.want {
			t.Errorf("token %q, header %q: %d, want %d", tc.token, tc.header, w.Code, tc.want)
		}
	}
}

// FuzzTokenMatches: any header is parsed without a panic, and only a
// header carrying exactly the token matches.
func FuzzTokenMatches(f *testing.F) {
	for _, s := range []string{"Bearer tok", "bearer tok", "Bearer", "", "Bearer  tok  ", "Basic dG9r", "Bearer tok\x00", "Bearer\ttok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		got := metrics.TokenMatches(header, "tok")
		scheme, rest, _ := strings.Cut(strings.TrimSpace(header), " ")
		want := strings.EqualFold(scheme, "bearer") && strings.TrimSpace(rest) == "tok"
		if got != want {
			t.Fatalf("TokenMatches(%q) = %v, want %v", header, got, want)
		}
	})
}

// TestDashboardQueriesExist: every metric the Grafana dashboard queries
// is one the registry has, so the dashboard cannot drift from the code.
func TestDashboardQueriesExist(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../docs/grafana/shopcare.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("the dashboard is not JSON: %v", err)
	}
	m, _ := fed(t)
	names, err := m.Names()
	if err != nil {
		t.Fatal(err)
	}
	metric := regexp.MustCompile(`\b(?:shopcare|go|process)_[a-z0-9_]+`)
	seen := 0
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q queries nothing", p.Title)
		}
		for _, tg := range p.Targets {
			for _, name := range metric.FindAllString(tg.Expr, -1) {
				seen++
				base := name
				for _, suffix := range []string{"_bucket", "_count", "_sum"} {
					if b, ok := strings.CutSuffix(name, suffix); ok && names[b] {
						base = b
					}
				}
				if !names[base] {
					t.Errorf("panel %q queries %s, which the registry does not have", p.Title, name)
				}
			}
		}
	}
	if seen < 10 {
		t.Fatalf("the dashboard queries %d metrics; the test reads it wrongly", seen)
	}
}
