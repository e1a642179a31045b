package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/webhook"
)

// newWebhookEnv is newEnv with one webhook endpoint, answering 500 once and
// then 200; its jobs are run by the test, not by workers.
func newWebhookEnv(t *testing.T, engine string) (*env, string) {
	t.Helper()
	ctx := context.Background()
	calls := 0
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if calls++; calls == 1 {
			http.Error(w, "not now", http.StatusInternalServerError)
		}
	}))
	t.Cleanup(hook.Close)
	db, _ := storetest.OpenTest(t, storeEngine(engine))
	settings, err := config.Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	settings.Webhooks = []config.Webhook{{URL: hook.URL + "/hooks", Secret: "test-secret-0123456789", Events: []string{"order.*"}}}
	clk := clock.NewFake(apptest.Start)
	a, err := app.Wire(ctx, db, app.Options{Settings: settings, Clock: clk, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Stop(context.Background()) })
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	token, err := auth.TokenAdd(ctx, a.DB, "test", nil, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(a))
	t.Cleanup(srv.Close)
	return &env{srv: srv, token: token, app: a, clock: clk}, hook.URL + "/hooks"
}

// deliverAll drains the journal and runs each pending delivery's job once.
func deliverAll(t *testing.T, a *app.App, attempt int) {
	t.Helper()
	ctx := context.Background()
	if _, err := a.Dispatcher.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	list, err := webhook.List(ctx, a.DB.Read(), webhook.Filter{Status: webhook.StatusPending})
	if err != nil {
		t.Fatal(err)
	}
	w := &webhook.DeliverWorker{Service: a.Webhooks}
	for _, d := range list {
		_ = w.Work(ctx, &river.Job[webhook.DeliverArgs]{
			JobRow: &rivertype.JobRow{Attempt: attempt, MaxAttempts: webhook.MaxAttempts},
			Args:   webhook.DeliverArgs{DeliveryID: d.ID},
		})
	}
}

func TestWebhookDeliveriesList(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e, url := newWebhookEnv(t, string(engine))
			if status, b, _ := e.call(t, "POST", "/api/v1/orders", order1, e.token); status != 201 {
				t.Fatalf("create: %d %v", status, b)
			}
			deliverAll(t, e.app, 1) // 500
			deliverAll(t, e.app, 2) // 200

			tests := []struct {
				name, path, token string
				status            int
				field             string // of a 4xx
				count             int
			}{
				{"the log", "/api/v1/webhooks/deliveries", e.token, 200, "", 1},
				{"with a limit", "/api/v1/webhooks/deliveries?limit=1", e.token, 200, "", 1},
				{"delivered only", "/api/v1/webhooks/deliveries?status=delivered", e.token, 200, "", 1},
				{"failed only", "/api/v1/webhooks/deliveries?status=failed", e.token, 200, "", 0},
				{"a bad limit", "/api/v1/webhooks/deliveries?limit=0", e.token, 422, "limit", 0},
				{"a limit too high", "/api/v1/webhooks/deliveries?limit=100000", e.token, 422, "limit", 0},
				{"a bad status", "/api/v1/webhooks/deliveries?status=lost", e.token, 422, "status", 0},
				{"no token", "/api/v1/webhooks/deliveries", "", 401, "", 0},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					status, b, _ := e.call(t, "GET", tt.path, "", tt.token)
					if status != tt.status {
						t.Fatalf("%d %v, want %d", status, b, tt.status)
					}
					if tt.field != "" && b["error"].(map[string]any)["field"] != tt.field {
						t.Errorf("error %v, want field %s", b["error"], tt.field)
					}
					if status == 200 && len(b["deliveries"].([]any)) != tt.count {
						t.Errorf("deliveries %v, want %d", b["deliveries"], tt.count)
					}
				})
			}

			_, b, _ := e.call(t, "GET", "/api/v1/webhooks/deliveries", "", e.token)
			d := b["deliveries"].([]any)[0].(map[string]any)
			if d["event_kind"] != "order.created" || d["url"] != url || d["status"] != "delivered" ||
				d["attempts"] != 2.0 || d["last_code"] != 200.0 || d["last_error"] != "" ||
				d["created_at"] != "2026-11-23T12:00:00Z" || d["delivered_at"] != "2026-11-23T12:00:00Z" {
				t.Errorf("delivery %v", d)
			}
			log := d["attempt_log"].([]any)
			first, second := log[0].(map[string]any), log[1].(map[string]any)
			if len(log) != 2 || first["code"] != 500.0 || first["error"] != "500 Internal Server Error: not now" ||
				first["duration_ms"] != 0.0 || first["at"] != "2026-11-23T12:00:00Z" || second["code"] != 200.0 {
				t.Errorf("attempt log %v", log)
			}
		})
	}
}
