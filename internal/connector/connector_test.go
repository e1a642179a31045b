package connector_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// placed is the platform's order 1001 as first delivered.
func placed() *connector.Order {
	at := apptest.Start.Add(-time.Hour)
	return &connector.Order{
		ID: "1001", Number: "#1001", PlacedAt: at, UpdatedAt: at, Currency: "RUB",
		Customer: customer.Input{ExternalID: "77", Name: "Анна Иванова", Email: "anna@example.ru", Language: "ru"},
		Address:  "Москва, ул. Тверская, 1",
		Items:    []order.Item{{SKU: "MUG-1", Name: "Кружка", Qty: 2, PriceMinor: 50000}},
		Payment:  order.Payment{Method: "prepaid", Paid: true},
		Shipping: "Курьер до двери",
	}
}

// updated returns o as changed at min minutes after it was placed.
func updated(o *connector.Order, min int, status order.Status) *connector.Order {
	c := *o
	c.UpdatedAt = o.PlacedAt.Add(time.Duration(min) * time.Minute)
	c.Status = status
	return &c
}

func TestHookAnswers(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			hs := newHarness(t, engine)
			good, _ := json.Marshal(connector.Delivery{ID: "d1", Topic: "order.created", Event: connector.OrderCreated, OrderID: "1001", Order: placed()})
			form, _ := json.Marshal(connector.Delivery{Topic: "form", Event: connector.OrderCreated, OrderID: "5", Order: &connector.Order{ID: "5",
				Customer: customer.Input{Email: "b@example.lv"}, TotalMinor: 1000}})
			ping, _ := json.Marshal(connector.Delivery{Event: connector.Ping})
			for _, tc := range []struct {
				name, method, path, key string
				body                    []byte
				code                    int
				stored                  int // deliveries of the connector afterwards
			}{
				{"wrong signature", "POST", "/hooks/shop", "another-secret-0123456789", good, 401, 0},
				{"no signature", "POST", "/hooks/shop", "", good, 401, 0},
				{"signature of another body", "POST", "/hooks/shop", signKey, nil, 401, 0},
				{"not the platform's format", "POST", "/hooks/shop", signKey, []byte(`{"id":"x","colour":"red"}`), 422, 0},
				{"not json", "POST", "/hooks/shop", signKey, []byte(`<xml/>`), 422, 0},
				{"ping", "POST", "/hooks/shop", signKey, ping, 200, 0},
				{"unknown connector", "POST", "/hooks/nobody", signKey, good, 404, 0},
				{"unknown connector with a secret", "POST", "/hooks/nobody/" + pathSecret, "", form, 404, 0},
				{"wrong secret in the address", "POST", "/hooks/form/not-the-secret-at-all", "", form, 404, 0},
				{"no secret for an unsigned platform", "POST", "/hooks/form", "", form, 401, 0},
				{"GET is not a delivery", "GET", "/hooks/shop", "", nil, 405, 0},
				{"too large", "POST", "/hooks/shop", signKey, bytes.Repeat([]byte("a"), connector.MaxBody+1), 413, 0},
				{"a delivery", "POST", "/hooks/shop", signKey, good, 200, 1},
				{"the same delivery again", "POST", "/hooks/shop", signKey, good, 200, 1},
				{"unsigned platform, secret in the address", "POST", "/hooks/form/" + pathSecret, "", form, 200, 1},
				{"unsigned platform, secret in the query, the same body", "POST", "/hooks/form?secret=" + pathSecret, "", form, 200, 1},
			} {
				body := tc.body
				signed := body
				if tc.name == "signature of another body" {
					body, signed = good, []byte("something else")
				}
				r := httptest.NewRequest(tc.method, tc.path, bytes.NewReader(body))
				if tc.key != "" {
					r.Header.Set(signHeader, b64(sign(tc.key, signed)))
				}
				w := httptest.NewRecorder()
				hs.h.ServeHTTP(w, r)
				if w.Code != tc.code {
					t.Errorf("%s: %d %q, want %d", tc.name, w.Code, w.Body.String(), tc.code)
				}
				if tc.code == 200 && w.Body.String() != "ok" {
					t.Errorf("%s: body %q, want exactly ok (Tilda reads it)", tc.name, w.Body.String())
				}
				name := "shop"
				if strings.Contains(tc.path, "/form") {
					name = "form"
				}
				if got := len(hs.deliveries(t, name)); got != tc.stored {
					t.Errorf("%s: %d deliveries of %s stored, want %d", tc.name, got, name, tc.stored)
				}
			}
			// The unsigned delivery is keyed by its body's digest; its secret is not kept.
			recs := hs.deliveries(t, "form")
			if !strings.HasPrefix(recs[0].Key, "sha256:") {
				t.Errorf("key of a delivery without an id = %q, want the body's sha256", recs[0].Key)
			}
			full, err := hs.svc.Delivery(ctx, recs[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(full.Body)+full.Header.Get("X")+full.Query.Encode(), pathSecret) {
				t.Errorf("the stored delivery keeps the secret: %+v", full)
			}
		})
	}
}

func TestApplyCreatesThenMoves(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			hs := newHarness(t, engine)
			o := placed()
			hs.deliver(t, connector.Delivery{ID: "e1", Topic: "order.created", Event: connector.OrderCreated, OrderID: "1001", Order: o})
			if n := hs.drain(t); n != 1 {
				t.Fatalf("drained %d, want 1", n)
			}
			got, err := order.GetByExternalID(ctx, hs.app.DB.Read(), "shop:1001")
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != order.New || got.Carrier != "courier" || got.TotalMinor != 100000 || !got.Payment.Paid ||
				got.Customer.ExternalID != "shop:77" || got.Address != "Москва, ул. Тверская, 1" || len(got.Items) != 1 {
				t.Fatalf("order = %+v (customer %+v), want new, courier, 1000.00 paid, customer shop:77", got, got.Customer)
			}
			if src := got.StatusHistory[0].Source; src != string(order.SourcePlatform) {
				t.Errorf("first status from %q, want platform", src)
			}
			if n, _ := connector.Number(ctx, hs.app.DB.Read(), got.ID); n != "#1001" {
				t.Errorf("number = %q, want #1001", n)
			}
			rec := hs.deliveries(t, "shop")[0]
			if rec.State != connector.StateApplied || rec.OrderID != got.ID || rec.AppliedAt == nil || rec.Attempts != 1 {
				t.Fatalf("delivery = %+v, want applied to order %d", rec, got.ID)
			}

			// The shop starts work on it, then cancels it.
			hs.deliver(t, connector.Delivery{ID: "e2", Event: connector.OrderUpdated, OrderID: "1001", Order: updated(o, 10, order.Processing)})
			hs.deliver(t, connector.Delivery{ID: "e3", Event: connector.OrderCancelled, OrderID: "1001", Order: updated(o, 20, "")})
			hs.drain(t)
			got, _ = order.Get(ctx, hs.app.DB.Read(), got.ID)
			if got.Status != order.Cancelled {
				t.Fatalf("status = %s, want cancelled", got.Status)
			}
			var steps []string
			for _, s := range got.StatusHistory {
				steps = append(steps, string(s.To)+"/"+s.Source)
			}
			if strings.Join(steps, " ") != "new/platform processing/platform cancelled/platform" {
				t.Errorf("history = %v", steps)
			}
		})
	}
}

func TestReplayChangesNothing(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			hs := newHarness(t, engine)
			d := connector.Delivery{ID: "e1", Event: connector.OrderCreated, OrderID: "1001", Order: placed()}
			hs.deliver(t, d)
			hs.drain(t)
			hs.deliver(t, d) // the platform retries
			if n := hs.drain(t); n != 0 {
				t.Fatalf("a replayed delivery was applied again (%d)", n)
			}
			recs := hs.deliveries(t, "shop")
			if len(recs) != 1 {
				t.Fatalf("%d deliveries stored, want 1", len(recs))
			}
			// The owner replays it by hand: nothing changes.
			rec, err := hs.svc.Replay(ctx, recs[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if rec.State != connector.StateApplied || rec.ReasonCode != connector.ReasonNoChange || rec.Attempts != 2 {
				t.Fatalf("replayed = %+v, want applied with no change, 2 attempts", rec)
			}
			var n int
			if err := hs.app.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM orders`).Scan(&n); err != nil || n != 1 {
				t.Fatalf("orders = %d (%v), want 1", n, err)
			}
			if _, err := hs.svc.Replay(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("replay of no delivery: %v, want not found", err)
			}
		})
	}
}

func TestOlderUpdateChangesNothing(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			hs := newHarness(t, engine)
			o := placed()
			hs.deliver(t, connector.Delivery{ID: "e1", Event: connector.OrderCreated, OrderID: "1001", Order: o})
			hs.deliver(t, connector.Delivery{ID: "e3", Event: connector.OrderUpdated, OrderID: "1001", Order: updated(o, 30, order.ReadyToShip)})
			// Delivered late, about an earlier state: a cancellation since undone.
			hs.deliver(t, connector.Delivery{ID: "e2", Event: connector.OrderCancelled, OrderID: "1001", Order: updated(o, 20, order.Cancelled)})
			hs.drain(t)
			got, _ := order.GetByExternalID(ctx, hs.app.DB.Read(), "shop:1001")
			if got.Status != order.ReadyToShip {
				t.Fatalf("status = %s, want ready_to_ship: the older delivery must change nothing", got.Status)
			}
			late := hs.deliveries(t, "shop")[0]
			if late.Key != "e2" || late.State != connector.StateIgnored || late.ReasonCode != connector.ReasonStale {
				t.Fatalf("late delivery = %+v, want ignored as stale", late)
			}
		})
	}
}

func TestIllegalMoveRejected(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			hs := newHarness(t, engine)
			o := updated(placed(), 0, order.Processing)
			hs.deliver(t, connector.Delivery{ID: "e1", Event: connector.OrderCreated, OrderID: "1001", Order: o})
			hs.drain(t)
			got, _ := order.GetByExternalID(ctx, hs.app.DB.Read(), "shop:1001")
			if got.Status != order.Processing {
				t.Fatalf("status = %s, want processing", got.Status)
			}
			if _, err := hs.app.Orders.ChangeStatus(ctx, got.ID, order.StatusUpdate{Status: order.Delivered, Source: order.SourceCarrier}); err != nil {
				t.Fatal(err)
			}
			// The shop's platform sets it back to new.
			hs.deliver(t, connector.Delivery{ID: "e2", Event: connector.OrderUpdated, OrderID: "1001", Order: updated(o, 5, order.New)})
			hs.drain(t)
			rec := hs.deliveries(t, "shop")[0]
			if rec.State != connector.StateRejected || rec.ReasonCode != connector.ReasonIllegalMove ||
				!strings.Contains(rec.Reason, "delivered") || !strings.Contains(rec.Reason, "new") {
				t.Fatalf("delivery = %+v, want rejected with the reason", rec)
			}
			got, _ = order.Get(ctx, hs.app.DB.Read(), got.ID)
			if got.Status != order.Delivered {
				t.Fatalf("status = %s, want delivered still", got.Status)
			}
			// The same status again (an edit of the note) tries nothing.
			hs.deliver(t, connector.Delivery{ID: "e3", Event: connector.OrderUpdated, OrderID: "1001", Order: updated(o, 6, order.Processing)})
			hs.drain(t)
			if rec := hs.deliveries(t, "shop")[0]; rec.State != connector.StateApplied {
				t.Errorf("an update with the platform's status unchanged: %+v, want applied without a move", rec)
			}
		})
	}
}

func TestFulfillmentShipsWithParcel(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			hs := newHarness(t, engine)
			o := placed()
			hs.deliver(t, connector.Delivery{ID: "e1", Event: connector.OrderCreated, OrderID: "1001", Order: o})
			f := updated(o, 60, "")
			f.Fulfillments = []connector.Fulfillment{{ID: "f1", Carrier: "почта россии", TrackingNumber: "RA123456789RU", At: f.UpdatedAt}}
			hs.deliver(t, connector.Delivery{ID: "e2", Topic: "fulfillments/create", Event: connector.OrderFulfilled, OrderID: "1001", Order: f})
			hs.drain(t)
			got, _ := order.GetByExternalID(ctx, hs.app.DB.Read(), "shop:1001")
			if got.Status != order.Shipped || got.TrackingNumber != "RA123456789RU" || got.Carrier != "post" {
				t.Fatalf("order = %s %s %s, want shipped by post with RA123456789RU", got.Status, got.Carrier, got.TrackingNumber)
			}
			ps, err := parcel.ByOrder(ctx, hs.app.DB.Read(), got.ID)
			if err != nil || len(ps) != 1 || ps[0].TrackingNumber != "RA123456789RU" || ps[0].Carrier != "post" {
				t.Fatalf("parcels = %+v (%v), want one post parcel", ps, err)
			}
			// A second box later: another parcel, the order stays shipped.
			g := updated(o, 90, "")
			g.Fulfillments = append(f.Fulfillments, connector.Fulfillment{ID: "f2", Carrier: "Почта России", TrackingNumber: "RA987654321RU"})
			hs.deliver(t, connector.Delivery{ID: "e3", Event: connector.OrderFulfilled, OrderID: "1001", Order: g})
			hs.drain(t)
			if ps, _ := parcel.ByOrder(ctx, hs.app.DB.Read(), got.ID); len(ps) != 2 {
				t.Fatalf("parcels = %+v, want two", ps)
			}
			// The shop's journal hands the shipment on (the parcel exists already).
			if _, err := hs.app.Dispatcher.Drain(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestOrderOnlyByIDIsRead(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			hs := newHarness(t, engine)
			hs.api.orders["1001"] = placed()
			hs.api.fail = errors.New("connection refused")
			hs.deliver(t, connector.Delivery{ID: "ev-1", Event: connector.OrderUpdated, OrderID: "1001"})
			hs.drain(t)
			rec := hs.deliveries(t, "shop")[0]
			if rec.State != connector.StateFailed || !strings.Contains(rec.Reason, "connection refused") {
				t.Fatalf("delivery = %+v, want failed with the API's error", rec)
			}
			full, err := hs.svc.Delivery(ctx, rec.ID)
			if err != nil || !strings.Contains(string(full.Body), `"ev-1"`) {
				t.Fatalf("the failed delivery's payload = %q (%v)", full.Body, err)
			}
			hs.api.fail = nil // the platform is back: the owner replays it
			rec, err = hs.svc.Replay(ctx, rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			if rec.State != connector.StateApplied || rec.OrderID == 0 || hs.api.asked != 2 {
				t.Fatalf("replayed = %+v after %d API calls, want applied", rec, hs.api.asked)
			}
			st, err := hs.svc.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st[0].Name != "shop" || st[0].Counts[connector.StateApplied] != 1 || st[0].Last == nil || st[0].LastProblem != nil ||
				st[0].Address != "http://127.0.0.1:8080/hooks/shop" || st[0].SecretAddress != "" {
				t.Errorf("status = %+v", st[0])
			}
			if st[1].SecretAddress != "http://127.0.0.1:8080/hooks/form/"+pathSecret {
				t.Errorf("form's secret address = %q", st[1].SecretAddress)
			}
		})
	}
}

func TestBadOrderFailsWithField(t *testing.T) {
	t.Parallel()
	hs := newHarness(t, store.SQLite)
	o := placed()
	o.Items[0].Qty = 0
	hs.deliver(t, connector.Delivery{ID: "e1", Event: connector.OrderCreated, OrderID: "1001", Order: o})
	hs.drain(t)
	rec := hs.deliveries(t, "shop")[0]
	if rec.State != connector.StateFailed || !strings.Contains(rec.Reason, "items[0].qty") {
		t.Fatalf("delivery = %+v, want failed naming items[0].qty", rec)
	}
	st, _ := hs.svc.Status(ctx)
	if st[0].LastProblem == nil || st[0].LastProblem.ID != rec.ID || st[0].Counts[connector.StateFailed] != 1 {
		t.Errorf("status = %+v, want the failure as the last problem", st[0])
	}
	page, err := hs.svc.Deliveries(ctx, "shop", connector.Filter{State: connector.StateFailed})
	if err != nil || len(page.Deliveries) != 1 {
		t.Errorf("failed deliveries = %+v (%v)", page, err)
	}
}

func TestDrainSurvivesRestart(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			hs := newHarness(t, engine)
			o := placed()
			for i, st := range []order.Status{"", order.Processing, order.ReadyToShip} {
				hs.deliver(t, connector.Delivery{ID: "e" + string(rune('1'+i)), Event: connector.OrderUpdated, OrderID: "1001",
					Order: updated(o, i*10, st)})
			}
			// The process stops before its drain ran: the deliveries stay received.
			for _, rec := range hs.deliveries(t, "shop") {
				if rec.State != connector.StateReceived {
					t.Fatalf("before the drain: %+v", rec)
				}
			}
			// A drain cut off at once applies nothing and loses nothing.
			cut, cancel := context.WithCancel(ctx)
			cancel()
			if _, err := hs.svc.Drain(cut); err == nil {
				t.Fatal("a cancelled drain reported success")
			}
			// The next process applies them, in order, through its drain job.
			next := hs.service(hs.app)
			w := &connector.DrainWorker{Service: next}
			if err := w.Work(ctx, nil); err != nil {
				t.Fatal(err)
			}
			for _, rec := range hs.deliveries(t, "shop") {
				if rec.State != connector.StateApplied {
					t.Errorf("after the restart: %+v, want applied", rec)
				}
			}
			got, _ := order.GetByExternalID(ctx, hs.app.DB.Read(), "shop:1001")
			if got.Status != order.ReadyToShip {
				t.Errorf("status = %s, want ready_to_ship", got.Status)
			}
		})
	}
}

// TestServedByTheApp posts through the server's own handler: the App
// builds the connectors from the settings (no adapter of a platform is
// in this package's build, so the connector says so with 503 and the
// admin's status names the problem).
func TestServedByTheApp(t *testing.T) {
	t.Parallel()
	a, _ := apptest.New(t, store.SQLite, false, settings)
	w := httptest.NewRecorder()
	a.Connectors.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/hooks/shop", strings.NewReader("{}")))
	if w.Code != http.StatusServiceUnavailable && w.Code != http.StatusUnauthorized {
		t.Fatalf("POST /hooks/shop = %d, want 503 (no adapter) or 401 (an adapter, no signature)", w.Code)
	}
	st, err := a.Connectors.Status(ctx)
	if err != nil || len(st) != 2 {
		t.Fatalf("status = %+v (%v)", st, err)
	}
}

func TestUpdateThroughTheOrderService(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			hs := newHarness(t, engine)
			o := placed()
			o.Payment = order.Payment{Method: "cod"}
			hs.deliver(t, connector.Delivery{ID: "e1", Event: connector.OrderCreated, OrderID: "1001", Order: o})
			// The customer moves, adds a mug, pays online and agrees to the newsletter.
			u := updated(o, 10, "")
			u.Address = "Рига, Бривибас 1"
			u.Items = append(slices.Clone(o.Items), order.Item{SKU: "MUG-2", Name: "Кружка 2", Qty: 1, PriceMinor: 30000})
			u.Payment = order.Payment{Method: "prepaid", Paid: true}
			u.Customer.Phone = "+7 912 345-67-89"
			yes := true
			u.MarketingConsent = &yes
			hs.deliver(t, connector.Delivery{ID: "e2", Event: connector.OrderPaid, OrderID: "1001", Order: u})
			hs.drain(t)
			got, _ := order.GetByExternalID(ctx, hs.app.DB.Read(), "shop:1001")
			if got.Address != "Рига, Бривибас 1" || len(got.Items) != 2 || got.TotalMinor != 130000 || !got.Payment.Paid ||
				got.Payment.Method != "prepaid" || got.Customer.Phone != "+79123456789" {
				t.Fatalf("order = %+v, customer %+v: the update is not on it", got, got.Customer)
			}
			if rec := hs.deliveries(t, "shop")[0]; rec.State != connector.StateApplied || rec.Reason != "" {
				t.Fatalf("update delivery = %+v", rec)
			}
			chs, err := customer.Channels(ctx, hs.app.DB.Read(), got.CustomerID)
			if err != nil {
				t.Fatal(err)
			}
			if i := slices.IndexFunc(chs, func(c customer.ChannelConsent) bool { return c.Channel == "email" }); i < 0 || !chs[i].Marketing() {
				t.Errorf("consents = %+v, want marketing by e-mail from the checkout", chs)
			}
			// Shipped, then the platform's copy of the address changes: noted, not applied.
			if _, err := hs.app.Orders.ChangeStatus(ctx, got.ID, order.StatusUpdate{Status: order.Shipped, Source: order.SourceAdmin}); err != nil {
				t.Fatal(err)
			}
			v := updated(u, 20, "")
			v.Address = "Рига, Бривибас 2"
			hs.deliver(t, connector.Delivery{ID: "e3", Event: connector.OrderUpdated, OrderID: "1001", Order: v})
			hs.drain(t)
			rec := hs.deliveries(t, "shop")[0]
			if rec.State != connector.StateIgnored || rec.ReasonCode != connector.ReasonFrozen || !strings.Contains(rec.Reason, "address") {
				t.Fatalf("late address change = %+v, want ignored as frozen", rec)
			}
			if got, _ := order.Get(ctx, hs.app.DB.Read(), got.ID); got.Address != "Рига, Бривибас 1" {
				t.Errorf("address = %q", got.Address)
			}
		})
	}
}

func TestEdgeOutcomes(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			hs := newHarness(t, engine)
			// A delivery about a product: stored, answered, nothing to apply.
			hs.deliver(t, connector.Delivery{ID: "p1", Topic: "products/update", Event: connector.Ignored})
			if rec := hs.deliveries(t, "shop")[0]; rec.State != connector.StateIgnored || rec.ReasonCode != connector.ReasonNotOrder {
				t.Fatalf("product delivery = %+v, want ignored", rec)
			}
			// Another order took the tracking number: the shipment is kept, the parcel noted.
			other := placed()
			other.ID = "2002"
			other.Fulfillments = []connector.Fulfillment{{Carrier: "post", TrackingNumber: "RA000000001RU"}}
			hs.deliver(t, connector.Delivery{ID: "o1", Event: connector.OrderFulfilled, OrderID: "2002", Order: other})
			o := placed()
			o.Shipping = "Drone"
			o.Fulfillments = other.Fulfillments
			hs.deliver(t, connector.Delivery{ID: "o2", Event: connector.OrderFulfilled, OrderID: "1001", Order: o})
			hs.drain(t)
			recs := hs.deliveries(t, "shop")
			if recs[1].State != connector.StateApplied {
				t.Fatalf("first shipment = %+v", recs[1])
			}
			if recs[0].State != connector.StateApplied || recs[0].ReasonCode != connector.ReasonUnmapped ||
				!strings.Contains(recs[0].Reason, `"Drone"`) || !strings.Contains(recs[0].Reason, "RA000000001RU") {
				t.Fatalf("second shipment = %+v, want applied with the carrier and parcel noted", recs[0])
			}
			// The connector leaves the settings: what it left received fails, replayably.
			hs.deliver(t, connector.Delivery{ID: "o3", Event: connector.OrderCancelled, OrderID: "1001", Order: updated(o, 5, "")})
			s := hs.app.Settings
			s.Connectors = nil
			gone := connector.New(service.Deps{DB: hs.app.DB, Settings: s, Clock: hs.clk}, connector.Params{Orders: hs.app.Orders, Parcels: hs.app.Parcels})
			if _, err := gone.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			if rec := hs.deliveries(t, "shop")[0]; rec.State != connector.StateFailed || rec.ReasonCode != connector.ReasonGone {
				t.Fatalf("delivery of a removed connector = %+v, want failed", rec)
			}
			if _, err := gone.Intake(ctx, "shop", connector.Request{}); !errors.Is(err, connector.ErrUnknown) {
				t.Errorf("intake of a removed connector: %v", err)
			}
		})
	}
}
