package connector_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/localshop"
	"github.com/shopcare/shopcare/internal/connector/platforms"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// shopStart is when the local platform's first order was placed.
var shopStart = time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)

// platform is a local platform on a real HTTP server and a connector to it.
type platform struct {
	srv    *localshop.Server
	conn   config.Connector
	api    connector.API
	adapt  connector.Adapter
	mu     sync.Mutex
	sleeps []time.Duration
}

// newPlatform serves a shop of so's orders; waits for its rate limit are
// recorded and return at once.
func newPlatform(t testing.TB, so localshop.ServerOptions) *platform {
	t.Helper()
	so.Token, so.Name = "tok", "Local shop"
	if so.Start.IsZero() {
		so.Start = shopStart
	}
	p := &platform{srv: localshop.NewServer(so)}
	hs := httptest.NewServer(p.srv)
	t.Cleanup(hs.Close)
	p.conn = config.Connector{Name: "shop", Platform: "custom", URL: hs.URL, AccessToken: "tok", WebhookSecret: "s3cret",
		WriteBack: true, Carriers: map[string]string{"Omniva": "post"}}
	o := platforms.Options(p.conn, platforms.Deps{HTTP: hs.Client()})
	o.Sleep = func(ctx context.Context, d time.Duration) error {
		p.mu.Lock()
		p.sleeps = append(p.sleeps, d)
		p.mu.Unlock()
		return ctx.Err()
	}
	p.adapt = localshop.New(o)
	p.api = p.adapt.API
	return p
}

func (p *platform) build(config.Connector) (connector.Adapter, error) { return p.adapt, nil }

func backfiller(a *app.App) *connector.Backfiller {
	return connector.NewBackfiller(a.Deps(), connector.BackfillParams{Orders: a.Orders})
}

func countOrders(t *testing.T, a *app.App, where string) int {
	t.Helper()
	var n int
	if err := a.DB.Read().QueryRow(context.Background(), `SELECT COUNT(*) FROM orders WHERE `+where).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBackfillStoresTheHistoryOnce reads a shop of 1,000 orders in pages
// of 100 through a platform that answers every third call 429: every
// order is stored once as history, the waits go through Sleep, and a
// second run says it is done.
func TestBackfillStoresTheHistoryOnce(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := apptest.New(t, engine, false)
			p := newPlatform(t, localshop.ServerOptions{Orders: 1000, PageSize: 100, ThrottleEvery: 3, RetryAfter: 2})
			var progress []int64
			res, err := backfiller(a).Run(ctx, p.conn, p.api, connector.BackfillOptions{
				Progress: func(s connector.BackfillState) { progress = append(progress, s.Done()) }})
			if err != nil {
				t.Fatal(err)
			}
			if res.Pages != 10 || res.Stored != 1000 || res.Existing != 0 || res.Rejected != 0 || res.Resumed || res.AlreadyDone {
				t.Fatalf("result: %+v", res)
			}
			if st := res.State; st.FinishedAt == nil || st.Cursor != "" || st.Total != 1000 || st.Stored != 1000 || st.LastError != "" {
				t.Errorf("state: %+v", st)
			}
			if len(progress) != 10 || progress[0] != 100 || progress[9] != 1000 {
				t.Errorf("progress: %v", progress)
			}
			if p.srv.Throttled() == 0 || len(p.sleeps) != p.srv.Throttled() || p.sleeps[0] != 2*time.Second {
				t.Errorf("429s %d, sleeps %v", p.srv.Throttled(), p.sleeps)
			}
			if n := countOrders(t, a, `history AND external_id LIKE 'shop:%'`); n != 1000 {
				t.Errorf("%d history orders of the shop, want 1000", n)
			}
			if n := countOrders(t, a, `NOT history`); n != 0 {
				t.Errorf("%d orders are not history", n)
			}
			o, err := order.GetByExternalID(ctx, a.DB.Read(), "shop:2")
			if err != nil {
				t.Fatal(err)
			}
			if o.Status != order.Shipped || o.Carrier != "post" || o.Customer.ExternalID != "shop:c2" || len(o.Items) != 2 ||
				o.Customer.Email != "buyer2@example.com" || !o.PlacedAt.Equal(shopStart.Add(5*time.Minute)) {
				t.Errorf("order shop:2: %+v, customer %+v", o, o.Customer)
			}
			var messages int
			if err := a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM messages`).Scan(&messages); err != nil || messages != 0 {
				t.Errorf("%d messages (%v): history messages nobody", messages, err)
			}

			again, err := backfiller(a).Run(ctx, p.conn, p.api, connector.BackfillOptions{})
			if err != nil || !again.AlreadyDone || again.Pages != 0 {
				t.Errorf("second run: %+v, %v", again, err)
			}
			restart, err := backfiller(a).Run(ctx, p.conn, p.api, connector.BackfillOptions{Restart: true})
			if err != nil || restart.Stored != 0 || restart.Existing != 1000 || restart.State.Stored != 0 {
				t.Errorf("restart: %+v, %v", restart, err)
			}
		})
	}
}

// TestBackfillResumesAfterACrash stops a backfill after its third page
// (the context ends, as on Ctrl-C or a kill), then runs it again: it
// resumes at the fourth page and every order is stored exactly once.
func TestBackfillResumesAfterACrash(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false)
			p := newPlatform(t, localshop.ServerOptions{Orders: 730, PageSize: 100})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			res, err := backfiller(a).Run(ctx, p.conn, p.api, connector.BackfillOptions{Progress: func(s connector.BackfillState) {
				if s.Pages == 3 {
					cancel()
				}
			}})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("the stopped run: %v", err)
			}
			if res.State.Pages != 3 || res.State.Stored != 300 || res.State.Cursor == "" || res.State.FinishedAt != nil {
				t.Fatalf("stopped at: %+v", res.State)
			}
			st, err := connector.BackfillGet(context.Background(), a.DB.Read(), "shop")
			if err != nil || st.LastError != "interrupted" || st.Pages != 3 {
				t.Errorf("saved: %+v, %v", st, err)
			}
			if n := countOrders(t, a, `external_id LIKE 'shop:%'`); n != 300 {
				t.Errorf("%d orders after the stop, want 300", n)
			}

			res, err = backfiller(a).Run(context.Background(), p.conn, p.api, connector.BackfillOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Resumed || res.Pages != 5 || res.Stored != 430 || res.Existing != 0 || res.State.Stored != 730 || res.State.LastError != "" {
				t.Errorf("resumed: %+v", res)
			}
			if n := countOrders(t, a, `external_id LIKE 'shop:%'`); n != 730 {
				t.Errorf("%d orders, want 730", n)
			}
		})
	}
}

// TestBackfillSince reads the orders from a day on, and a new --since
// starts an unfinished backfill over.
func TestBackfillSince(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := apptest.New(t, storetest.Engines(t)[0], false)
	// One order an hour from 2025-01-01 09:00 UTC: 2025-01-02 in Moscow
	// starts at 2025-01-01 21:00 UTC, order index 12.
	p := newPlatform(t, localshop.ServerOptions{Orders: 48, PageSize: 10, Step: time.Hour})
	res, err := backfiller(a).Run(ctx, p.conn, p.api, connector.BackfillOptions{Since: "2025-01-02"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != 36 || res.State.Total != 36 || res.State.Since != "2025-01-02" {
		t.Errorf("since: %+v", res)
	}
	if _, err := backfiller(a).Run(ctx, p.conn, p.api, connector.BackfillOptions{Since: "2. janvāris"}); err == nil || !strings.Contains(err.Error(), "since") {
		t.Errorf("a bad date: %v", err)
	}
	res, err = backfiller(a).Run(ctx, p.conn, p.api, connector.BackfillOptions{})
	if err != nil || res.AlreadyDone || res.Stored != 12 || res.Existing != 36 {
		t.Errorf("the whole history after since: %+v, %v", res, err)
	}
}

// pagesAPI serves fixed pages, for the answers a well-behaved platform
// never gives.
type pagesAPI struct{ pages map[string]connector.Page }

func (p pagesAPI) Check(context.Context) (connector.Shop, error) { return connector.Shop{}, nil }
func (p pagesAPI) Order(context.Context, string) (*connector.Order, error) {
	return nil, errors.New("not here")
}
func (p pagesAPI) Orders(_ context.Context, q connector.Query) (connector.Page, error) {
	pg, ok := p.pages[q.Cursor]
	if !ok {
		return connector.Page{}, &connector.APIError{Status: 400, Body: "bad cursor"}
	}
	return pg, nil
}

// TestBackfillRejectsBadOrdersAndStopsOnLoops: an order that cannot be
// stored is reported with its field and the backfill goes on; a platform
// that gives the same cursor back stops the run with the error saved.
func TestBackfillRejectsBadOrdersAndStopsOnLoops(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := apptest.New(t, storetest.Engines(t)[0], false)
	conn := config.Connector{Name: "odd", Platform: "custom"}
	good := connector.Order{ID: "1", PlacedAt: shopStart, TotalMinor: 1000, Customer: customer.Input{Email: "a@example.com"}}
	bad := good
	bad.ID, bad.Items, bad.TotalMinor = "2", []order.Item{{SKU: "x", Qty: -1, PriceMinor: 100}}, 0
	noID := good
	noID.ID = ""
	// A phone shopcare cannot read is left out: the order is kept.
	oddPhone := good
	oddPhone.ID, oddPhone.Customer = "3", customer.Input{Email: "a@example.com", Phone: "not a phone"}
	var rejected []string
	api := pagesAPI{pages: map[string]connector.Page{
		"":   {Orders: []connector.Order{good, bad, noID, oddPhone}, Next: "p2", Total: -1},
		"p2": {Orders: nil, Next: "p2", Total: -1},
	}}
	res, err := backfiller(a).Run(ctx, conn, api, connector.BackfillOptions{Rejected: func(ext string, err error) {
		rejected = append(rejected, ext+" "+err.Error())
	}})
	if err == nil || !strings.Contains(err.Error(), "next page is the page just read") {
		t.Fatalf("a cursor loop: %v", err)
	}
	if res.State.Stored != 2 || res.State.Rejected != 2 || res.State.Total != -1 {
		t.Errorf("state: %+v", res.State)
	}
	if len(rejected) != 2 || !strings.Contains(rejected[0], "odd:2 items[0].qty:") || !strings.Contains(rejected[1], "id: is required") {
		t.Errorf("rejected: %q", rejected)
	}
	st, err := connector.BackfillGet(ctx, a.DB.Read(), "odd")
	if err != nil || !strings.Contains(st.LastError, "next page") {
		t.Errorf("saved: %+v, %v", st, err)
	}
	list, err := connector.BackfillList(ctx, a.DB.Read())
	if err != nil || len(list) != 1 || list[0].Connector != "odd" {
		t.Errorf("list: %+v, %v", list, err)
	}
}

// TestCarrier maps the platform's names by the connector's map, then
// by the shop's carriers' codes and names, ignoring case.
func TestCarrier(t *testing.T) {
	t.Parallel()
	s := config.Default()
	s.Carriers = append(s.Carriers, config.Carrier{Code: "omniva", Name: "Omniva pakomāts"})
	c := config.Connector{Carriers: map[string]string{"СДЭК": "courier"}}
	for name, want := range map[string]string{"СДЭК": "courier", "сдэк": "courier", "POST": "post", "omniva PAKOMĀTS": "omniva",
		"DHL": "", "": ""} {
		if got, _ := connector.Carrier(s, c, name); got != want {
			t.Errorf("Carrier(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestBackfillBusy: a second run of the same connector moving the cursor
// under the first stops the first, which stores nothing twice.
func TestBackfillBusy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := apptest.New(t, storetest.Engines(t)[0], false)
	p := newPlatform(t, localshop.ServerOptions{Orders: 300, PageSize: 100})
	var inner connector.BackfillResult
	var innerErr error
	_, err := backfiller(a).Run(ctx, p.conn, p.api, connector.BackfillOptions{Progress: func(s connector.BackfillState) {
		if s.Pages == 1 {
			inner, innerErr = backfiller(a).Run(ctx, p.conn, p.api, connector.BackfillOptions{Restart: true})
		}
	}})
	if !errors.Is(err, connector.ErrBackfillBusy) {
		t.Errorf("the run overtaken: %v", err)
	}
	if innerErr != nil || inner.Stored != 200 || inner.Existing != 100 {
		t.Errorf("the other run: %+v, %v", inner, innerErr)
	}
	if n := countOrders(t, a, `external_id LIKE 'shop:%'`); n != 300 {
		t.Errorf("%d orders, want 300", n)
	}
	if st, err := connector.BackfillGet(ctx, a.DB.Read(), "shop"); err != nil || st.FinishedAt == nil || st.LastError != "" || st.Stored != 200 {
		t.Errorf("the row the other run left: %+v, %v", st, err)
	}
}
