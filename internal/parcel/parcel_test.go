package parcel_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

var ctx = context.Background()

var moscow, _ = time.LoadLocation("Europe/Moscow")

// shipped places an order with the carrier and ships it with tracking.
func shipped(t testing.TB, a *app.App, ext, carrierCode, tracking string) *order.Order {
	t.Helper()
	n := order.NewOrder{ExternalID: ext, Carrier: carrierCode, TotalMinor: 250000, TotalGiven: true,
		Customer: customer.Input{ExternalID: "c" + ext, Name: "Анна " + ext, Email: ext + "@example.ru", Language: "ru"}}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := a.Orders.Create(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Orders.ChangeStatus(ctx, res.ID, order.StatusUpdate{Status: order.Shipped, TrackingNumber: tracking,
		Source: order.SourceAPI}); err != nil {
		t.Fatal(err)
	}
	drain(t, a)
	return get(t, a, res.ID)
}

func get(t testing.TB, a *app.App, id int64) *order.Order {
	t.Helper()
	o, err := order.Get(ctx, a.DB.Read(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func drain(t testing.TB, a *app.App) {
	t.Helper()
	if _, err := a.Dispatcher.Drain(ctx); err != nil {
		t.Fatal(err)
	}
}

func ingest(t testing.TB, a *app.App, events ...carrier.Event) []parcel.Outcome {
	t.Helper()
	reports := make([]parcel.Report, len(events))
	for i, e := range events {
		reports[i] = parcel.Report{Event: e, Source: parcel.SourceAPI}
	}
	out, err := a.Parcels.Ingest(ctx, reports)
	if err != nil {
		t.Fatal(err)
	}
	drain(t, a)
	return out
}

// templates lists an order's messages' templates, in order.
func templates(t testing.TB, a *app.App, orderID int64) []string {
	t.Helper()
	ms, err := message.ListByOrder(ctx, a.DB.Read(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, m.Template)
	}
	return out
}

// at moves the clock to a shop-local day and time.
func at(clk *clock.Fake, day, hhmm string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly+" 15:04", day+" "+hhmm, moscow)
	if err != nil {
		panic(err)
	}
	clk.Set(t)
	return t
}

func TestPickupJourney(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, clk := apptest.New(t, engine, false)
			o := shipped(t, a, "2001", "post", "RA000000001RU")
			ps, err := parcel.ByOrder(ctx, a.DB.Read(), o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 1 || ps[0].TrackingNumber != "RA000000001RU" || ps[0].Carrier != "post" || ps[0].Status != "" {
				t.Fatalf("parcels after shipping = %+v, want one post parcel RA000000001RU without a status", ps)
			}
			arrived := at(clk, "2026-11-27", "11:30")
			out := ingest(t, a,
				carrier.Event{TrackingNumber: "RA000000001RU", Status: carrier.Accepted, At: arrived.Add(-72 * time.Hour), Code: "1.1"},
				carrier.Event{TrackingNumber: "RA000000001RU", Status: carrier.InTransit, At: arrived.Add(-48 * time.Hour), Code: "8.0"},
				carrier.Event{TrackingNumber: "RA000000001RU", Status: carrier.ArrivedAtPickup, At: arrived, Code: "8.2",
					Description: "Прибыло в место вручения", Location: "Москва 101000"},
				carrier.Event{TrackingNumber: "RA000000001RU", Status: carrier.InTransit, At: arrived.Add(-48 * time.Hour), Code: "8.0"},
			)
			if want := []parcel.Outcome{parcel.Stored, parcel.Stored, parcel.Stored, parcel.Duplicate}; !slices.Equal(out, want) {
				t.Fatalf("outcomes = %v, want %v", out, want)
			}
			if got := get(t, a, o.ID).Status; got != order.ReadyForPickup {
				t.Fatalf("order status after arrival at the pickup point = %s, want ready_for_pickup", got)
			}
			// A late-coming older event changes nothing; the same event again is a duplicate.
			out = ingest(t, a, carrier.Event{TrackingNumber: "RA000000001RU", Status: carrier.Accepted, At: arrived.Add(-96 * time.Hour), Code: "1.0"},
				carrier.Event{TrackingNumber: "RA000000001RU", Status: carrier.ArrivedAtPickup, At: arrived, Code: "8.2"})
			if want := []parcel.Outcome{parcel.Stored, parcel.Duplicate}; !slices.Equal(out, want) {
				t.Fatalf("outcomes = %v, want %v", out, want)
			}
			p := parcels(t, a, o.ID)[0]
			if p.Status != carrier.ArrivedAtPickup || p.ArrivedAt == nil || !p.ArrivedAt.Equal(arrived) {
				t.Fatalf("parcel = %+v, want arrived_at_pickup at %s", p, arrived)
			}
			evs, err := parcel.Events(ctx, a.DB.Read(), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != 4 || evs[0].Code != "8.2" || evs[0].Location != "Москва 101000" || evs[0].Source != parcel.SourceAPI {
				t.Fatalf("kept events = %+v, want four, the arrival newest", evs)
			}

			// Reminders on the mornings of days 3 and 7 after arrival, not before.
			at(clk, "2026-11-30", "08:59")
			watch(t, a, 0)
			at(clk, "2026-11-30", "09:00")
			watch(t, a, 1)
			watch(t, a, 0)
			at(clk, "2026-12-04", "10:00")
			watch(t, a, 1)
			if got, want := count(templates(t, a, o.ID), "pickup_reminder"), 2; got != want {
				t.Fatalf("pickup reminders = %d, want %d (%v)", got, want, templates(t, a, o.ID))
			}
			// Picked up: the order is delivered and the day-25 reminder cancelled.
			picked := at(clk, "2026-12-05", "13:00")
			ingest(t, a, carrier.Event{TrackingNumber: "RA000000001RU", Status: carrier.Delivered, At: picked, Code: "2.1"})
			if got := get(t, a, o.ID); got.Status != order.Delivered || got.DeliveredOn != "2026-12-05" {
				t.Fatalf("order after pickup = %s on %q, want delivered on 2026-12-05", got.Status, got.DeliveredOn)
			}
			rs, err := parcel.Reminders(ctx, a.DB.Read(), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			var states []string
			for _, r := range rs {
				states = append(states, r.State)
			}
			if got, want := strings.Join(states, " "), "sent sent cancelled"; got != want {
				t.Fatalf("reminder states = %q, want %q", got, want)
			}
			at(clk, "2026-12-22", "10:00")
			watch(t, a, 0)
		})
	}
}

func parcels(t testing.TB, a *app.App, orderID int64) []parcel.Parcel {
	t.Helper()
	ps, err := parcel.ByOrder(ctx, a.DB.Read(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func watch(t testing.TB, a *app.App, reminded int) {
	t.Helper()
	res, err := a.Parcels.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reminded != reminded {
		t.Fatalf("watch reminded %d parcels, want %d", res.Reminded, reminded)
	}
	drain(t, a)
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

func TestLateOrderIsApologisedForAndCompensatedOnce(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, clk := apptest.New(t, engine, false)
			o := shipped(t, a, "3001", "courier", "CD-3001")
			day := o.PromisedTo
			if day == "" {
				t.Fatal("the order has no promised day")
			}
			promised, _ := time.ParseInLocation(time.DateOnly, day, moscow)
			orderWatch := func(atRisk, late int) {
				t.Helper()
				res, err := a.Orders.Watch(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if res.AtRisk != atRisk || res.Late != late {
					t.Fatalf("watch on %s = %+v, want %d at risk, %d late", clk.Now().In(moscow), res, atRisk, late)
				}
				drain(t, a)
			}
			at(clk, promised.AddDate(0, 0, -1).Format(time.DateOnly), "12:00")
			orderWatch(0, 0)
			at(clk, day, "09:30")
			orderWatch(1, 0)
			orderWatch(0, 0)
			if st := get(t, a, o.ID).PromiseState(day, 1); st != order.AtRisk {
				t.Fatalf("promise state = %s, want at_risk", st)
			}
			// The grace day is still at risk, not late.
			at(clk, promised.AddDate(0, 0, 1).Format(time.DateOnly), "12:00")
			orderWatch(0, 0)
			at(clk, promised.AddDate(0, 0, 2).Format(time.DateOnly), "10:00")
			orderWatch(0, 1)
			orderWatch(0, 0)
			if got := templates(t, a, o.ID); count(got, "promise_due") != 1 || count(got, "late_apology") != 1 {
				t.Fatalf("messages = %v, want one promise_due and one late_apology", got)
			}
			b, err := loyalty.Balance(ctx, a.DB.Read(), o.CustomerID)
			if err != nil {
				t.Fatal(err)
			}
			if b != a.Settings.Compensation.BonusPoints {
				t.Fatalf("balance after the late order = %d, want the compensation %d", b, a.Settings.Compensation.BonusPoints)
			}
			ts, err := task.ListByOrder(ctx, a.DB.Read(), o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(ts, func(x task.Task) bool { return x.Kind == task.FindParcel && x.Status == task.Open }) {
				t.Fatalf("tasks = %+v, want an open find_parcel task", ts)
			}
			// Days later, nothing is apologised for or granted twice.
			at(clk, promised.AddDate(0, 0, 9).Format(time.DateOnly), "10:00")
			orderWatch(0, 0)
			if b2, _ := loyalty.Balance(ctx, a.DB.Read(), o.CustomerID); b2 != b {
				t.Fatalf("balance moved to %d, want %d", b2, b)
			}
			// The parcel turns up: the task to find it closes itself.
			ingest(t, a, carrier.Event{TrackingNumber: "CD-3001", Status: carrier.Delivered, At: clk.Now(), Code: "delivered"})
			ts, _ = task.ListByOrder(ctx, a.DB.Read(), o.ID)
			if !slices.ContainsFunc(ts, func(x task.Task) bool {
				return x.Kind == task.FindParcel && x.Status == task.Done && x.Outcome == task.Resolved && x.DoneBy == "carrier"
			}) {
				t.Fatalf("tasks after delivery = %+v, want the find_parcel task resolved by the carrier", ts)
			}
		})
	}
}

func TestSilentParcelIsFlaggedStuck(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, clk := apptest.New(t, engine, false)
			o := shipped(t, a, "4001", "post", "RA000000004RU")
			ingest(t, a, carrier.Event{TrackingNumber: "RA000000004RU", Status: carrier.InTransit, At: clk.Now(), Code: "8"})
			clk.Set(clk.Now().AddDate(0, 0, 4))
			if res, _ := a.Parcels.Watch(ctx); res.Stuck != 0 {
				t.Fatalf("stuck after 4 silent days = %d, want 0", res.Stuck)
			}
			clk.Set(clk.Now().AddDate(0, 0, 2))
			res, err := a.Parcels.Watch(ctx)
			if err != nil || res.Stuck != 1 {
				t.Fatalf("stuck after 6 silent days = %d (%v), want 1", res.Stuck, err)
			}
			drain(t, a)
			if res, _ := a.Parcels.Watch(ctx); res.Stuck != 0 {
				t.Fatalf("flagged again: %d", res.Stuck)
			}
			if p := parcels(t, a, o.ID)[0]; p.StuckAt == nil {
				t.Fatal("the parcel is not flagged stuck")
			}
			ts, _ := task.ListByOrder(ctx, a.DB.Read(), o.ID)
			if !slices.ContainsFunc(ts, func(x task.Task) bool { return x.Kind == task.FindParcel }) {
				t.Fatalf("tasks = %+v, want a find_parcel task", ts)
			}
			// A new event clears the flag.
			ingest(t, a, carrier.Event{TrackingNumber: "RA000000004RU", Status: carrier.Customs, At: clk.Now(), Code: "11"})
			if p := parcels(t, a, o.ID)[0]; p.StuckAt != nil || p.Status != carrier.Customs {
				t.Fatalf("parcel after a new event = %+v, want customs and not stuck", p)
			}
		})
	}
}

func TestIngestRejectsWhatItCannotPlace(t *testing.T) {
	t.Parallel()
	a, clk := apptest.New(t, storetest.Engines(t)[0], false)
	shipped(t, a, "5001", "post", "RA000000005RU")
	out := ingest(t, a,
		carrier.Event{TrackingNumber: "NOPE", Status: carrier.InTransit, At: clk.Now()},
		carrier.Event{TrackingNumber: "RA000000005RU", Status: "teleported", At: clk.Now()},
		carrier.Event{TrackingNumber: "RA000000005RU", Status: carrier.InTransit},
		carrier.Event{TrackingNumber: "RA000000005RU", Code: "notice_sent", At: clk.Now()},
	)
	if want := []parcel.Outcome{parcel.Unknown, parcel.Invalid, parcel.Invalid, parcel.Stored}; !slices.Equal(out, want) {
		t.Fatalf("outcomes = %v, want %v", out, want)
	}
	if f, _ := parcel.Check(carrier.Event{TrackingNumber: "x", Status: "teleported", At: clk.Now()}); f != "status" {
		t.Fatalf("Check names %q, want status", f)
	}
}

// TestIngestBatchOfManyParcels sends one batch with the events of several
// parcels, which Ingest applies set-based: one parcel arrives at its pickup
// point (reminders planned, order ready for pickup) while another leaves
// its own (reminders cancelled, order delivered), and both parcels of a
// two-parcel order are delivered (the order delivered once, its points
// credited once, whatever is sent again).
func TestIngestBatchOfManyParcels(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, clk := apptest.New(t, engine, false)
			arriving := shipped(t, a, "6001", "post", "RA000000061RU")
			leaving := shipped(t, a, "6002", "post", "RA000000062RU")
			two := shipped(t, a, "6003", "courier", "CD-6003-1")
			if _, _, err := a.Parcels.Add(ctx, two.ID, "courier", "CD-6003-2"); err != nil {
				t.Fatal(err)
			}
			now := at(clk, "2026-11-27", "11:30")
			ingest(t, a, carrier.Event{TrackingNumber: "RA000000062RU", Status: carrier.ArrivedAtPickup, At: now.Add(-time.Hour), Code: "8.2"})
			if got := get(t, a, leaving.ID).Status; got != order.ReadyForPickup {
				t.Fatalf("order 6002 = %s, want ready_for_pickup", got)
			}
			batch := []carrier.Event{
				{TrackingNumber: "RA000000061RU", Status: carrier.InTransit, At: now.Add(-3 * time.Hour), Code: "8.0"},
				{TrackingNumber: "RA000000061RU", Status: carrier.ArrivedAtPickup, At: now.Add(-time.Minute), Code: "8.2"},
				{TrackingNumber: "RA000000062RU", Status: carrier.Delivered, At: now.Add(-2 * time.Minute), Code: "2.1"},
				{TrackingNumber: "CD-6003-1", Status: carrier.Delivered, At: now.Add(-10 * time.Minute), Code: "delivered"},
				{TrackingNumber: "CD-6003-2", Status: carrier.OutForDelivery, At: now.Add(-20 * time.Minute), Code: "out"},
				{TrackingNumber: "CD-6003-2", Status: carrier.Delivered, At: now.Add(-5 * time.Minute), Code: "delivered"},
			}
			out := ingest(t, a, batch...)
			for i, o := range out {
				if o != parcel.Stored {
					t.Fatalf("outcome %d = %s, want stored (all %v)", i, o, out)
				}
			}
			for _, c := range []struct {
				o    *order.Order
				want order.Status
			}{{arriving, order.ReadyForPickup}, {leaving, order.Delivered}, {two, order.Delivered}} {
				if got := get(t, a, c.o.ID).Status; got != c.want {
					t.Fatalf("order %s = %s, want %s", c.o.ExternalID, got, c.want)
				}
			}
			states := func(o *order.Order) string {
				t.Helper()
				rs, err := parcel.Reminders(ctx, a.DB.Read(), parcels(t, a, o.ID)[0].ID)
				if err != nil {
					t.Fatal(err)
				}
				var s []string
				for _, r := range rs {
					s = append(s, r.State)
				}
				return strings.Join(s, " ")
			}
			if got, want := states(arriving), "planned planned planned"; got != want {
				t.Fatalf("reminders of the arrived parcel = %q, want %q", got, want)
			}
			if got, want := states(leaving), "cancelled cancelled cancelled"; got != want {
				t.Fatalf("reminders of the picked-up parcel = %q, want %q", got, want)
			}
			for _, p := range parcels(t, a, two.ID) {
				if p.Status != carrier.Delivered || p.DeliveredAt == nil {
					t.Fatalf("parcel %s = %+v, want delivered", p.TrackingNumber, p)
				}
			}
			earned, err := loyalty.EarnedBy(ctx, a.DB.Read(), two.ID)
			if err != nil || earned <= 0 {
				t.Fatalf("points of order 6003 = %d (%v), want some", earned, err)
			}
			// The batch again: every event a duplicate, nothing credited twice.
			out = ingest(t, a, batch...)
			for i, o := range out {
				if o != parcel.Duplicate {
					t.Fatalf("outcome %d sent again = %s, want duplicate (all %v)", i, o, out)
				}
			}
			if again, _ := loyalty.EarnedBy(ctx, a.DB.Read(), two.ID); again != earned {
				t.Fatalf("points of order 6003 after the batch again = %d, want %d", again, earned)
			}
			if got := count(templates(t, a, two.ID), "delivered"); got > 1 {
				t.Fatalf("delivered messages of order 6003 = %d, want at most one (%v)", got, templates(t, a, two.ID))
			}
		})
	}
}
