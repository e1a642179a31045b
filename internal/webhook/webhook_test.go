package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/webhook"
)

const secret = "test-secret-0123456789"

// receiver is a shop's endpoint: it checks every delivery's signature
// against the app's clock and answers from a script (200 once it runs out).
type receiver struct {
	t     *testing.T
	srv   *httptest.Server
	clock clock.Clock

	mu      sync.Mutex
	answers []answer
	got     []received
}

type answer struct {
	code       int
	retryAfter string
}

type received struct {
	header  http.Header
	payload webhook.Payload
}

func newReceiver(t *testing.T, clk clock.Clock, answers ...answer) *receiver {
	t.Helper()
	r := &receiver{t: t, clock: clk, answers: answers}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	if err := webhook.Verify(secret, req.Header.Get(webhook.SignatureHeader), body, r.clock.Now(), 0); err != nil {
		r.t.Errorf("delivery %s: %v", req.Header.Get(webhook.DeliveryHeader), err)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var p webhook.Payload
	if err := json.Unmarshal(body, &p); err != nil {
		r.t.Errorf("delivery body %s: %v", body, err)
	}
	r.mu.Lock()
	r.got = append(r.got, received{header: req.Header.Clone(), payload: p})
	a := answer{code: http.StatusOK}
	if len(r.answers) > 0 {
		a, r.answers = r.answers[0], r.answers[1:]
	}
	r.mu.Unlock()
	if a.retryAfter != "" {
		w.Header().Set("Retry-After", a.retryAfter)
	}
	w.WriteHeader(a.code)
	_, _ = io.WriteString(w, http.StatusText(a.code))
}

func (r *receiver) received() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// newApp is apptest.New with webhook endpoints in the settings.
func newApp(t *testing.T, engine store.Engine, work bool, hooks func(clk clock.Clock) []config.Webhook) (*app.App, *clock.Fake) {
	t.Helper()
	db, _ := storetest.OpenTest(t, engine)
	settings, err := config.Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	start := apptest.Start
	if work {
		// River's stuck-job rescuer measures a running job's age by the
		// wall clock against an attempted_at from the fake clock: with
		// the fake clock far behind, it "rescues" jobs as they run and
		// reschedules them on a clock that never moves. Near the wall
		// clock, it leaves them alone.
		start = time.Now().UTC().Truncate(time.Second)
	}
	clk := clock.NewFake(start)
	settings.Webhooks = hooks(clk)
	var buf syncBuf
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(buf.String())
		}
	})
	a, err := app.Wire(context.Background(), db, app.Options{Settings: settings, Clock: clk, Log: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), Work: work})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Stop(context.Background()) })
	return a, clk
}

func createOrder(t *testing.T, a *app.App, ext, customerExt string, history bool) order.Result {
	t.Helper()
	n := order.NewOrder{
		ExternalID: ext, History: history,
		Customer: customer.Input{ExternalID: customerExt, Name: "Андрей", Email: customerExt + "@example.com"},
		Items:    []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 150000}},
	}
	if history {
		at := apptest.Start.AddDate(0, -2, 0)
		n.PlacedAt, n.DeliveredAt = at, &at
	}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := a.Orders.Create(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// settle waits, job by finished job, until every event is handled and
// every delivery has left pending. The events the test committed are
// drained here as well as by the app's kicked drain: a kicked drain that
// hands out no delivery finishes no job, so waiting on jobs alone could
// wait for nothing (it did, under load, after an imported order whose
// events deliver nothing). The counts are read again after each job, and
// every quarter second, in case the kicked drain took a batch while this
// one skipped it.
func settle(t *testing.T, a *app.App, finished <-chan *river.Event) {
	t.Helper()
	ctx := context.Background()
	timeout := time.After(30 * time.Second)
	recheck := time.NewTicker(250 * time.Millisecond)
	defer recheck.Stop()
	count := func() (events, pending int64) {
		if _, err := a.Dispatcher.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		events, err := journal.Pending(ctx, a.DB.Read())
		if err != nil {
			t.Fatal(err)
		}
		if err := a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'`).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		return events, pending
	}
	for {
		if events, pending := count(); events == 0 && pending == 0 {
			return
		}
		select {
		case <-finished:
		case <-recheck.C:
		case <-timeout:
			rows, _ := a.DB.Read().Query(ctx, `SELECT id, kind, state, attempt, CAST(scheduled_at AS TEXT), CAST(errors AS TEXT) FROM river_job ORDER BY id`)
			for rows != nil && rows.Next() {
				var id, attempt int
				var kind, state, at string
				var errs *string
				_ = rows.Scan(&id, &kind, &state, &attempt, &at, &errs)
				t.Logf("job %d %s %s attempt %d at %s errors %v", id, kind, state, attempt, at, store.Text(errs))
			}
			events, pending := count()
			t.Fatalf("still %d events and %d deliveries pending", events, pending)
		}
	}
}

func deliveries(t *testing.T, a *app.App) []webhook.Delivery {
	t.Helper()
	list, err := webhook.List(context.Background(), a.DB.Read(), webhook.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// deliveryTo is the one delivery to url.
func deliveryTo(t *testing.T, a *app.App, url string) webhook.Delivery {
	t.Helper()
	var found []webhook.Delivery
	for _, d := range deliveries(t, a) {
		if d.URL == url {
			found = append(found, d)
		}
	}
	if len(found) != 1 {
		t.Fatalf("deliveries to %s: %+v, want one", url, found)
	}
	return found[0]
}

// work runs the worker once, as River would on the attempt-th try.
func work(a *app.App, id int64, attempt int, metadata string) error {
	w := &webhook.DeliverWorker{Service: a.Webhooks}
	return w.Work(context.Background(), &river.Job[webhook.DeliverArgs]{
		JobRow: &rivertype.JobRow{ID: id, Kind: webhook.DeliverArgs{}.Kind(), Attempt: attempt, MaxAttempts: webhook.MaxAttempts,
			Metadata: []byte(metadata)},
		Args: webhook.DeliverArgs{DeliveryID: id},
	})
}

func TestDeliverEveryEventToMatchingEndpoints(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			var created, all, parcels *receiver
			a, clk := newApp(t, engine, true, func(clk clock.Clock) []config.Webhook {
				created, all, parcels = newReceiver(t, clk), newReceiver(t, clk), newReceiver(t, clk)
				return []config.Webhook{
					{URL: created.srv.URL + "/created", Secret: secret, Events: []string{"order.created"}},
					{URL: all.srv.URL + "/all", Secret: secret},
					{URL: parcels.srv.URL + "/parcels", Secret: secret, Events: []string{"parcel.*"}},
				}
			})
			finished, cancel := a.Queue.Subscribe()
			defer cancel()
			if err := a.Start(ctx); err != nil {
				t.Fatal(err)
			}

			placed := clk.Now()
			res := createOrder(t, a, "W-1", "c-1", false)
			settle(t, a, finished)

			var eventID int64
			if err := a.DB.Read().QueryRow(ctx, `SELECT id FROM events WHERE order_id = $1 AND kind = 'order.created'`,
				res.ID).Scan(&eventID); err != nil {
				t.Fatal(err)
			}
			for _, r := range []*receiver{created, all} {
				got := r.received()
				if len(got) != 1 {
					t.Fatalf("%s received %d deliveries, want 1", r.srv.URL, len(got))
				}
				p, h := got[0].payload, got[0].header
				if p.ID != eventID || p.Kind != journal.OrderCreated || p.OrderID != "W-1" || p.CustomerID != "c-1" ||
					!p.OccurredAt.Equal(placed) || len(p.Data) == 0 {
					t.Errorf("payload %+v", p)
				}
				if h.Get(webhook.EventHeader) != "order.created" || h.Get("Content-Type") != "application/json" ||
					h.Get("User-Agent") != webhook.UserAgent {
					t.Errorf("headers %v", h)
				}
			}
			if n := len(parcels.received()); n != 0 {
				t.Errorf("the parcel.* endpoint received %d deliveries", n)
			}
			list := deliveries(t, a)
			if len(list) != 2 {
				t.Fatalf("delivery log: %+v, want 2 deliveries", list)
			}
			for _, d := range list {
				if d.Status != webhook.StatusDelivered || d.Attempts != 1 || d.LastCode != 200 || d.DeliveredAt == nil ||
					len(d.Log) != 1 || d.Log[0].Code != 200 || d.EventID != eventID {
					t.Errorf("delivery %+v", d)
				}
			}
			d := deliveryTo(t, a, created.srv.URL+"/created")
			if got := created.received()[0].header.Get(webhook.DeliveryHeader); got != strconv.FormatInt(d.ID, 10) {
				t.Errorf("Shopcare-Delivery = %s, want %d", got, d.ID)
			}

			// A job that runs again for a delivered delivery sends nothing.
			if err := work(a, d.ID, 2, "{}"); err != nil {
				t.Fatal(err)
			}
			if n := len(created.received()); n != 1 {
				t.Errorf("a second run sent again: %d deliveries", n)
			}
			if again := deliveryTo(t, a, d.URL); again.Attempts != 1 || len(again.Log) != 1 {
				t.Errorf("a second run was recorded: %+v", again)
			}

			// Imported history makes nothing happen, and its status
			// changes neither.
			h := createOrder(t, a, "H-1", "c-2", true)
			if _, err := a.Orders.ChangeStatus(ctx, h.ID, order.StatusUpdate{Status: order.Returned}); err != nil {
				t.Fatal(err)
			}
			settle(t, a, finished)
			if n := len(deliveries(t, a)); n != 2 {
				t.Errorf("history made %d deliveries", n-2)
			}
			if n := len(all.received()); n != 1 {
				t.Errorf("history was sent: %d deliveries", n)
			}
		})
	}
}

// drained creates an order in an app that does not work jobs and hands
// its events to the handlers, leaving one pending delivery to rcv.
func drained(t *testing.T, engine store.Engine, answers ...answer) (*app.App, *clock.Fake, *receiver, int64) {
	t.Helper()
	var rcv *receiver
	a, clk := newApp(t, engine, false, func(clk clock.Clock) []config.Webhook {
		rcv = newReceiver(t, clk, answers...)
		return []config.Webhook{{URL: rcv.srv.URL, Secret: secret, Events: []string{"order.created"}}}
	})
	createOrder(t, a, "R-1", "c-1", false)
	if _, err := a.Dispatcher.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	return a, clk, rcv, deliveryTo(t, a, rcv.srv.URL).ID
}

func TestDeliverRetriesAFailure(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			a, clk, rcv, id := drained(t, engine, answer{code: 500})
			if err := work(a, id, 1, "{}"); err == nil {
				t.Fatal("a 500 was taken for a delivery")
			}
			d := deliveryTo(t, a, rcv.srv.URL)
			if d.Status != webhook.StatusPending || d.Attempts != 1 || d.LastCode != 500 ||
				d.LastError != "500 Internal Server Error: Internal Server Error" {
				t.Errorf("after a 500: %+v", d)
			}
			w := &webhook.DeliverWorker{Service: a.Webhooks}
			if next := w.NextRetry(&river.Job[webhook.DeliverArgs]{JobRow: &rivertype.JobRow{Attempt: 1}}); !next.Equal(clk.Now().Add(30 * time.Second)) {
				t.Errorf("next retry at %s, want 30 s from now", next)
			}

			clk.Advance(30 * time.Second)
			if err := work(a, id, 2, "{}"); err != nil {
				t.Fatal(err)
			}
			d = deliveryTo(t, a, rcv.srv.URL)
			if d.Status != webhook.StatusDelivered || d.Attempts != 2 || d.LastCode != 200 || d.LastError != "" ||
				d.DeliveredAt == nil || !d.DeliveredAt.Equal(clk.Now()) || len(d.Log) != 2 ||
				d.Log[0].Code != 500 || d.Log[1].Code != 200 || !d.Log[0].At.Equal(apptest.Start) {
				t.Errorf("after a retry: %+v", d)
			}
			if n := len(rcv.received()); n != 2 {
				t.Errorf("received %d, want 2", n)
			}
		})
	}
}

func TestDeliverGivesUpOnTheLastAttempt(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			a, _, rcv, id := drained(t, engine, answer{code: 502})
			if err := work(a, id, webhook.MaxAttempts, "{}"); err == nil {
				t.Fatal("a 502 was taken for a delivery")
			}
			d := deliveryTo(t, a, rcv.srv.URL)
			if d.Status != webhook.StatusFailed || d.LastCode != 502 || d.DeliveredAt != nil {
				t.Errorf("after the last attempt: %+v", d)
			}
			if err := work(a, id, webhook.MaxAttempts, "{}"); err != nil || len(rcv.received()) != 1 {
				t.Errorf("a failed delivery was tried again: %v, %d requests", err, len(rcv.received()))
			}
		})
	}
}

func TestDeliverThrottled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		answer   answer
		metadata string
		snooze   time.Duration // 0: an ordinary failure
	}{
		{"429 with seconds", answer{429, "120"}, "{}", 2 * time.Minute},
		{"503 with a date", answer{503, apptest.Start.Add(10 * time.Minute).Format(http.TimeFormat)}, "{}", 10 * time.Minute},
		{"429 asking for a day", answer{429, "86400"}, "{}", webhook.MaxBackoff},
		{"429 without Retry-After", answer{429, ""}, "{}", 0},
		{"500 with Retry-After", answer{500, "120"}, "{}", 0},
		{"429 throttled too often", answer{429, "120"}, `{"snoozes":50}`, 0},
	}
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					a, _, rcv, id := drained(t, engine, tt.answer)
					err := work(a, id, 1, tt.metadata)
					var snooze *river.JobSnoozeError
					if errors.As(err, &snooze) != (tt.snooze != 0) || err == nil {
						t.Fatalf("Work = %v, want a snooze of %s", err, tt.snooze)
					}
					if tt.snooze != 0 && snooze.Duration != tt.snooze {
						t.Errorf("snoozed %s, want %s", snooze.Duration, tt.snooze)
					}
					d := deliveryTo(t, a, rcv.srv.URL)
					if d.Status != webhook.StatusPending || d.Attempts != 1 || d.LastCode != tt.answer.code || len(d.Log) != 1 {
						t.Errorf("after a throttled try: %+v", d)
					}
				})
			}
		})
	}
}

// TestThrottledTriesDoNotCount runs a throttled delivery through River: the
// snooze leaves the job's attempt count as it was.
func TestThrottledTriesDoNotCount(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			var rcv *receiver
			a, _ := newApp(t, engine, true, func(clk clock.Clock) []config.Webhook {
				rcv = newReceiver(t, clk, answer{429, "0"}, answer{503, "0"})
				return []config.Webhook{{URL: rcv.srv.URL, Secret: secret, Events: []string{"order.created"}}}
			})
			finished, cancel := a.Queue.Subscribe()
			defer cancel()
			if err := a.Start(ctx); err != nil {
				t.Fatal(err)
			}
			createOrder(t, a, "T-1", "c-1", false)
			settle(t, a, finished)

			d := deliveryTo(t, a, rcv.srv.URL)
			if d.Status != webhook.StatusDelivered || d.Attempts != 3 || len(d.Log) != 3 ||
				d.Log[0].Code != 429 || d.Log[1].Code != 503 || d.Log[2].Code != 200 {
				t.Errorf("delivery %+v", d)
			}
			var attempt, maxAttempts, snoozes int
			if err := a.DB.Read().QueryRow(ctx, `SELECT attempt, max_attempts, CAST(metadata ->> 'snoozes' AS INTEGER)
				FROM river_job WHERE kind = $1`, webhook.DeliverArgs{}.Kind()).Scan(&attempt, &maxAttempts, &snoozes); err != nil {
				t.Fatal(err)
			}
			if attempt != 1 || snoozes != 2 || maxAttempts != webhook.MaxAttempts {
				t.Errorf("River job: attempt %d of %d after %d snoozes; want attempt 1 of %d after 2 snoozes",
					attempt, maxAttempts, snoozes, webhook.MaxAttempts)
			}
		})
	}
}

func TestNewServiceChecksEndpoints(t *testing.T) {
	t.Parallel()
	hooks := []config.Webhook{
		{URL: "https://shop.example.com/a", Secret: secret, Events: []string{"order.*", "[order"}},
		{URL: "https://shop.example.com/a", Secret: secret},
	}
	_, err := webhook.NewService(service.Deps{Settings: config.Settings{Webhooks: hooks}, Clock: clock.NewFake(apptest.Start), Log: slog.New(slog.DiscardHandler)}, webhook.Params{})
	var list invalid.List
	if !errors.As(err, &list) || len(list) != 2 || list[0].Field != "webhooks[0].events[1]" || list[1].Field != "webhooks[1].url" {
		t.Errorf("NewService = %v", err)
	}
}

type syncBuf struct {
	mu sync.Mutex
	b  []byte
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b = append(s.b, p...)
	return len(p), nil
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.b)
}

// TestRescuedDeliveryGoesAtOnce (issue 17.11): a delivery whose process
// died during the request left its hand-off recorded; its rescued job runs
// again at once, not after the backoff, with the same delivery id for the
// receiver to drop a copy by, and the hand-off is cleared by the outcome.
func TestRescuedDeliveryGoesAtOnce(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			a, clk, rcv, id := drained(t, engine)
			w := &webhook.DeliverWorker{Service: a.Webhooks}
			job := &river.Job[webhook.DeliverArgs]{JobRow: &rivertype.JobRow{Attempt: 1}, Args: webhook.DeliverArgs{DeliveryID: id}}
			if next := w.NextRetry(job); !next.Equal(clk.Now().Add(webhook.FirstBackoff)) {
				t.Errorf("a plain failure retries at %s, want the backoff", next)
			}
			if err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET handoff_at = $2 WHERE id = $1`, id, clk.Now())
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if next := w.NextRetry(job); !next.Equal(clk.Now()) {
				t.Errorf("a rescued delivery retries at %s, want at once (%s)", next, clk.Now())
			}
			if err := work(a, id, 2, "{}"); err != nil {
				t.Fatal(err)
			}
			got := rcv.received()
			if len(got) != 1 || got[0].header.Get(webhook.DeliveryHeader) != strconv.FormatInt(id, 10) {
				t.Fatalf("received %d, delivery id %q; want one with %d", len(got), got[0].header.Get(webhook.DeliveryHeader), id)
			}
			var handoff *time.Time
			if err := a.DB.Read().QueryRow(ctx, `SELECT handoff_at FROM webhook_deliveries WHERE id = $1`, id).Scan(&handoff); err != nil || handoff != nil {
				t.Errorf("hand-off after the delivery: %v, %v; want cleared", handoff, err)
			}
		})
	}
}
