package connector_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/localshop"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/jobs"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// writeBackJobs returns the write-back jobs enqueued, oldest first.
func writeBackJobs(t *testing.T, a *app.App) []connector.WriteBackArgs {
	t.Helper()
	var out []connector.WriteBackArgs
	args := "json(args)" // River keeps SQLite's args as JSONB
	if a.DB.Engine() == store.Postgres {
		args = "CAST(args AS TEXT)"
	}
	err := store.Each(context.Background(), a.DB.Read(), `SELECT `+args+` FROM river_job WHERE kind = $1 ORDER BY id`,
		[]any{connector.WriteBackArgs{}.Kind()}, func(r store.Rows) error {
			var raw string
			var args connector.WriteBackArgs
			if err := r.Scan(&raw); err != nil {
				return err
			}
			out = append(out, args)
			return json.Unmarshal([]byte(raw), &out[len(out)-1])
		})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// newWriteBacks builds the write-backs of settings over a queue of their
// own (the app's has no write-back worker until the app wires one), which
// only inserts.
func newWriteBacks(t *testing.T, a *app.App, settings config.Settings, build connector.AdapterFunc) *connector.WriteBacks {
	t.Helper()
	q := jobs.New(service.Deps{DB: a.DB, Clock: a.Clock, Log: slog.New(slog.DiscardHandler)})
	wb := connector.NewWriteBacks(service.Deps{DB: a.DB, Settings: settings, Clock: a.Clock, Log: slog.New(slog.DiscardHandler)},
		connector.WriteBackParams{Jobs: q, Adapters: build})
	wb.Register(q.Workers())
	if err := q.Open(jobs.Options{}); err != nil {
		t.Fatal(err)
	}
	return wb
}

// newOrder hands in a live order of the connector "shop".
func newOrder(t *testing.T, a *app.App, ext string) int64 {
	t.Helper()
	n := order.NewOrder{ExternalID: ext, Customer: customer.Input{ExternalID: "shop:c1", Email: "a@example.com"},
		Items: []order.Item{{SKU: "A", Name: "A", Qty: 1, PriceMinor: 1000}}, Carrier: "courier"}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := a.Orders.Create(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return res.ID
}

// TestWriteBack: a new order of a connector that writes back gets one job
// per promise version; the job puts the promise, the tracking link and a
// note in the shop's first language on the platform's order; orders of
// other sources, history and replays enqueue nothing; a refusal (4xx)
// cancels the job, a failure (5xx) is retried.
func TestWriteBack(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := apptest.New(t, engine, false)
			p := newPlatform(t, localshop.ServerOptions{Orders: 10})
			settings := a.Settings
			off := p.conn
			off.Name, off.WriteBack = "quiet", false
			settings.Connectors = []config.Connector{p.conn, off}
			wb := newWriteBacks(t, a, settings, p.build)
			if !wb.Enabled() {
				t.Fatal("write-back is off")
			}
			drain := journal.NewDispatcher(service.Deps{DB: a.DB, Clock: a.Clock, Log: slog.New(slog.DiscardHandler)}, wb)

			id := newOrder(t, a, "shop:5")
			newOrder(t, a, "quiet:5")
			newOrder(t, a, "api-order-1")
			if _, err := backfiller(a).Run(ctx, p.conn, p.api, connector.BackfillOptions{}); err != nil {
				t.Fatal(err)
			}
			if _, err := drain.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			jobs := writeBackJobs(t, a)
			if len(jobs) != 1 || jobs[0] != (connector.WriteBackArgs{Connector: "shop", OrderID: id, Version: 1}) {
				t.Fatalf("jobs: %+v", jobs)
			}
			// The same events again (a replay) enqueue nothing new.
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				return wb.HandleEvents(ctx, tx, []journal.Event{{Kind: journal.OrderPromiseChanged, OrderID: id}})
			})
			if err != nil || len(writeBackJobs(t, a)) != 1 {
				t.Errorf("replay: %v, %d jobs", err, len(writeBackJobs(t, a)))
			}

			worker := &connector.WriteBackWorker{WriteBacks: wb}
			if err := worker.Work(ctx, &river.Job[connector.WriteBackArgs]{Args: jobs[0]}); err != nil {
				t.Fatal(err)
			}
			o, err := order.Get(ctx, a.DB.Read(), id)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := p.srv.Promise("5")
			if !ok || got.DeliveryTo != o.PromisedTo || got.ShipDate != o.ShipDate || o.TrackingToken == "" ||
				got.TrackingURL != a.Settings.Shop.PublicURL+"/t/"+o.TrackingToken {
				t.Fatalf("written back: %+v for %+v", got, o)
			}
			if !strings.HasPrefix(got.Text, "Ваш заказ: отправим в ") || !strings.Contains(got.Text, "Отслеживание: http") {
				t.Errorf("the note is not in the shop's first language (ru): %q", got.Text)
			}
			// A job of an older promise version leaves the write to the newer one.
			if err := wb.Write(ctx, connector.WriteBackArgs{Connector: "shop", OrderID: id, Version: 0}); err != nil {
				t.Errorf("an old version: %v", err)
			}
		})
	}
}

// TestWriteBackRefusedAndFailed: a 4xx cancels the job (no retry), a 5xx
// returns an error River retries with its backoff.
func TestWriteBackRefusedAndFailed(t *testing.T) {
	t.Parallel()
	for status, refused := range map[int]bool{422: true, 404: true, 503: false, 409: false} {
		a, _ := apptest.New(t, storetest.Engines(t)[0], false)
		p := newPlatform(t, localshop.ServerOptions{Orders: 10, WriteBackStatus: status})
		settings := a.Settings
		settings.Connectors = []config.Connector{p.conn}
		wb := newWriteBacks(t, a, settings, p.build)
		id := newOrder(t, a, "shop:3")
		err := (&connector.WriteBackWorker{WriteBacks: wb}).Work(context.Background(),
			&river.Job[connector.WriteBackArgs]{Args: connector.WriteBackArgs{Connector: "shop", OrderID: id, Version: 1}})
		var cancel *river.JobCancelError
		if err == nil || errors.As(err, &cancel) != refused || errors.Is(err, connector.ErrWriteBackRefused) != refused {
			t.Errorf("%d: %v", status, err)
		}
		var ae *connector.APIError
		if !errors.As(err, &ae) || ae.Status != status {
			t.Errorf("%d: the platform's answer is lost: %v", status, err)
		}
	}
}

// TestWriteBackOffWithoutWriter: a platform without write-back leaves
// write-back off for its connector, and nothing is enqueued.
func TestWriteBackOffWithoutWriter(t *testing.T) {
	t.Parallel()
	a, _ := apptest.New(t, storetest.Engines(t)[0], false)
	settings := a.Settings
	settings.Connectors = []config.Connector{{Name: "tilda", Platform: "tilda", WriteBack: true}}
	wb := newWriteBacks(t, a, settings, func(config.Connector) (connector.Adapter, error) { return connector.Adapter{}, nil })
	if wb.Enabled() {
		t.Error("write-back is on for a platform without a Writer")
	}
}

// TestPromiseText says the promise in each language.
func TestPromiseText(t *testing.T) {
	t.Parallel()
	p := connector.Promise{ProductionDate: "2026-12-03", ShipDate: "2026-12-04", DeliveryFrom: "2026-12-07", DeliveryTo: "2026-12-08",
		TrackingURL: "https://shop.example/t/abc"}
	for lang, want := range map[i18n.Lang]string{
		i18n.EN: "Your order: made on Thursday 3 Dec, ships on Friday 4 Dec, arrives between Monday 7 Dec and Tuesday 8 Dec. Track it: https://shop.example/t/abc",
		i18n.RU: "Ваш заказ: изготовим в четверг, 3 декабря, отправим в пятницу, 4 декабря, доставим с 7 по 8 декабря. Отслеживание: https://shop.example/t/abc",
		i18n.LV: "Jūsu pasūtījums: izgatavosim ceturtdien, 3. decembrī, nosūtīsim piektdien, 4. decembrī, piegādāsim no 7. līdz 8. decembrim. Sekot: https://shop.example/t/abc",
	} {
		if got := connector.PromiseText(lang, p); got != want {
			t.Errorf("%s:\n got %q\nwant %q", lang, got, want)
		}
	}
}

// TestWriteBackThroughRiver runs the jobs on a working queue: the
// platform that takes the promise gets it and the job completes; the one
// that refuses it (422) has its job cancelled at the first attempt, not
// retried.
func TestWriteBackThroughRiver(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := apptest.New(t, engine, false)
			ok := newPlatform(t, localshop.ServerOptions{Orders: 10})
			no := newPlatform(t, localshop.ServerOptions{Orders: 10, WriteBackStatus: 422})
			no.conn.Name = "refuser"
			settings := a.Settings
			settings.Connectors = []config.Connector{ok.conn, no.conn}
			build := func(c config.Connector) (connector.Adapter, error) {
				if c.Name == "refuser" {
					return no.adapt, nil
				}
				return ok.adapt, nil
			}
			log := slog.New(slog.DiscardHandler)
			q := jobs.New(service.Deps{DB: a.DB, Clock: a.Clock, Log: log})
			wb := connector.NewWriteBacks(service.Deps{DB: a.DB, Settings: settings, Clock: a.Clock, Log: log},
				connector.WriteBackParams{Jobs: q, Adapters: build})
			wb.Register(q.Workers())
			if err := q.Open(jobs.Options{Work: true, PollInterval: 20 * time.Millisecond}); err != nil {
				t.Fatal(err)
			}
			finished, unsubscribe := q.Subscribe()
			defer unsubscribe()
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = q.Stop(context.Background()) })

			good := newOrder(t, a, "shop:5")
			bad := newOrder(t, a, "refuser:7")
			if _, err := journal.NewDispatcher(service.Deps{DB: a.DB, Clock: a.Clock, Log: log}, wb).Drain(ctx); err != nil {
				t.Fatal(err)
			}
			states := map[int64]river.EventKind{}
			attempts := map[int64]int{}
			timeout := time.After(30 * time.Second) // a safety net, not a wait
			for len(states) < 2 {
				select {
				case ev := <-finished:
					var args connector.WriteBackArgs
					if ev.Job.Kind != args.Kind() || json.Unmarshal(ev.Job.EncodedArgs, &args) != nil {
						continue
					}
					states[args.OrderID], attempts[args.OrderID] = ev.Kind, ev.Job.Attempt
				case <-timeout:
					t.Fatalf("the write-back jobs did not finish: %v", states)
				}
			}
			if states[good] != river.EventKindJobCompleted || states[bad] != river.EventKindJobCancelled || attempts[bad] != 1 {
				t.Errorf("jobs: %v after %v attempts", states, attempts)
			}
			if p, found := ok.srv.Promise("5"); !found || p.DeliveryTo == "" {
				t.Errorf("the promise did not reach the platform: %+v", p)
			}
		})
	}
}
