// Package apptest builds a whole shopcare App on a fresh real database for
// a test, with a fake clock and default settings. It is imported by tests
// only.
package apptest

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// Start is where the fake clock of New stands: Monday 23 November 2026,
// 12:00 UTC (15:00 in Moscow).
var Start = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// New returns an App over a fresh, migrated database of the engine, with the
// default settings (or those of the YAML given) and a fake clock at Start.
// work makes it run jobs once started. The App is stopped when the test
// ends.
func New(t testing.TB, engine store.Engine, work bool, yaml ...string) (*app.App, *clock.Fake) {
	t.Helper()
	db, _ := storetest.OpenTest(t, engine)
	settings, err := config.Parse([]byte(strings.Join(yaml, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(Start)
	a, err := app.Wire(context.Background(), db, app.Options{Settings: settings, Clock: clk, Log: slog.New(slog.DiscardHandler), Work: work})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Stop(context.Background()) })
	return a, clk
}

// WaitJob waits until a job of the kind has finished, and fails the test
// unless it completed; 30 seconds is a safety net, not a wait.
func WaitJob(t testing.TB, finished <-chan *river.Event, kind string) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case ev := <-finished:
			if ev.Job.Kind != kind {
				continue
			}
			if ev.Kind != river.EventKindJobCompleted {
				t.Fatalf("job %s ended %s: %v", kind, ev.Kind, ev.Job.Errors)
			}
			return
		case <-timeout:
			t.Fatalf("job %s did not finish", kind)
		}
	}
}

// Order normalises n as the API does, takes it in through a's order
// service and returns the stored order: the fixture every package's tests
// build their customers and orders with.
func Order(t testing.TB, a *app.App, n order.NewOrder) *order.Order {
	t.Helper()
	ctx := context.Background()
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := a.Orders.Create(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	o, err := a.Orders.Get(ctx, res.ID)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
