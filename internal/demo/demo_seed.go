package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/clv"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/promise"
	"github.com/shopcare/shopcare/internal/store"
)

// Options size the demo shop's history. The zero value is the usual demo.
type Options struct {
	// Customers is how many people bought in the past year (1,500).
	Customers int
	// Days is how far back the history goes (365).
	Days int
	// Recent is how many orders of the last day and a half are still
	// open (12): new ones to call back, some to pack, some on their way.
	Recent int
}

func (o Options) withDefaults() Options {
	if o.Customers <= 0 {
		o.Customers = 1500
	}
	if o.Days <= 0 {
		o.Days = 365
	}
	if o.Recent < 0 {
		o.Recent = 0
	} else if o.Recent == 0 {
		o.Recent = 12
	}
	return o
}

// Summary counts what Seed made.
type Summary struct {
	Customers       int // customers with history orders
	Orders          int // history orders
	RepeatCustomers int // customers with two history orders or more
	Recent          int // open orders taken in through the intake
	// Loyalty is the loyalty program's opening position.
	Loyalty Opening
}

// recentSpan is how far back the open orders go; history ends there.
const recentSpan = 36 * time.Hour

// historyChunk is how many history orders go in one transaction, as the
// CSV import stores them.
const historyChunk = 1000

// Seed gives the App's shop a past: customers with a year of orders
// ending at until, stored the way the CSV import stores them (history:
// they count in the figures and never message anyone or make a task);
// the loyalty program's opening position on that history (opening
// balances, tier cards, a welcome coupon); and then a few open orders of
// the last day and a half, taken in through the intake the API uses, so
// the playbook greets them, call-backs are due and there is packing to
// do. The App's clock should stand at until. The database should hold no
// orders yet: the shop's order numbers start at 100001.
func Seed(ctx context.Context, a *app.App, rnd *rand.Rand, until time.Time, opts Options) (Summary, error) {
	opts = opts.withDefaults()
	s := a.Settings
	loc := s.Shop.Location()
	g := newPeople(s, rnd)
	from := until.AddDate(0, 0, -opts.Days)
	end := until.Add(-recentSpan)

	type draft struct {
		p     *person
		at    time.Time
		first bool
	}
	persons := make([]person, opts.Customers)
	var drafts []draft
	var sum Summary
	for i := range persons {
		persons[i] = g.person(i + 1)
		times := purchases(rnd, from, end, loc)
		for k, at := range times {
			drafts = append(drafts, draft{p: &persons[i], at: at, first: k == 0})
		}
		if len(times) > 1 {
			sum.RepeatCustomers++
		}
	}
	slices.SortFunc(drafts, func(a, b draft) int { return a.at.Compare(b.at) })

	engine := a.Promises.Engine()
	orders := make([]order.NewOrder, 0, historyChunk)
	flush := func() error {
		if len(orders) == 0 {
			return nil
		}
		err := a.DB.InTx(ctx, func(tx *store.Tx) error {
			_, err := a.Orders.CreateBatch(ctx, tx, orders, order.SourceImport)
			return err
		})
		if err != nil {
			return fmt.Errorf("demo history: store orders %s to %s: %w", orders[0].ExternalID, orders[len(orders)-1].ExternalID, err)
		}
		orders = orders[:0]
		return nil
	}
	for i, d := range drafts {
		n := g.order(d.p, orderNumber(i), d.at, d.first)
		n.History = true
		past(rnd, &n, engine, until)
		if err := order.Normalize(&n, s, order.APIFields); err != nil {
			return sum, fmt.Errorf("demo history: order %s: %w", n.ExternalID, err)
		}
		orders = append(orders, n)
		if len(orders) == historyChunk {
			if err := flush(); err != nil {
				return sum, err
			}
		}
	}
	if err := flush(); err != nil {
		return sum, err
	}
	sum.Customers, sum.Orders = len(persons), len(drafts)
	op, err := openLoyalty(ctx, a, until)
	sum.Loyalty = op
	err = errors.Join(err, seedFAQ(ctx, a, until))
	if err != nil {
		return sum, err
	}

	if err := seedStock(ctx, a, until); err != nil {
		return sum, err
	}
	if err := seedWaitlist(ctx, a); err != nil {
		return sum, err
	}
	if err := seedReturns(ctx, a, until); err != nil {
		return sum, err
	}
	if err := seedVoice(ctx, a, rnd, until); err != nil {
		return sum, err
	}
	if err := seedCampaigns(ctx, a, rnd, until); err != nil {
		return sum, err
	}
	r := recent{a: a, g: g, rnd: rnd, persons: persons, next: opts.Customers + 1}
	n, err := r.place(ctx, len(drafts), opts.Recent, end, until)
	sum.Recent = n
	if err == nil {
		err = seedTraffic(ctx, a, opts.Customers, until) // the counter's visitors (demo_traffic.go)
	}
	return sum, err
}

// buying is how the demo shop's customers buy, in days: the BG/NBD
// process the CLV models assume, with parameters like a small shop's
// (a customer who keeps buying comes back every few weeks to months, and
// after each purchase leaves for good with a probability of about a
// quarter), so that the models fitted on the history are believable.
// Over the year over two customers in five come back; a few buy every
// other week.
var buying = clv.Params{R: 0.35, Alpha: 25, A: 0.8, B: 2.5}

// purchases draws the moments a customer bought at in [from, to): the
// first at a moment of the shop's year (historyTime), then the repeat
// purchases of a customer drawn from the BG/NBD process (buying), at the
// times of day people order at; purchases that would fall after to are
// not made (yet).
func purchases(rnd *rand.Rand, from, to time.Time, loc *time.Location) []time.Time {
	first := historyTime(rnd, from, to, loc)
	times := []time.Time{first}
	for _, days := range buying.Draw(rnd).Repeats(rnd, to.Sub(first).Hours()/24) {
		at := timeOfDay(rnd, first.Add(time.Duration(days*float64(24*time.Hour))), loc)
		if last := times[len(times)-1]; !at.After(last) {
			at = last.Add(time.Duration(1+rnd.IntN(120)) * time.Minute) // again the same day
		}
		if !at.Before(to) {
			break
		}
		times = append(times, at)
	}
	return times
}

// past settles a history order as it ended: mostly delivered within its
// promise (which the shop is taken to have given, so the on-time rate has
// something to count), some late, a few cancelled or returned. Nothing
// is delivered after until.
func past(rnd *rand.Rand, n *order.NewOrder, engine *promise.Engine, until time.Time) {
	req := promise.Request{PlacedAt: n.PlacedAt, Carrier: n.Carrier, Country: n.Customer.Country}
	for _, it := range n.Items {
		req.AddItem(it.MadeToOrder, it.ProductionDays)
	}
	dates, err := engine.Quote(req)
	if err != nil || !dates.Delivers {
		dates = promise.Dates{DeliveryFrom: calendar.DayOf(n.PlacedAt).AddDays(2), DeliveryTo: calendar.DayOf(n.PlacedAt).AddDays(5)}
	}
	n.PromisedTo = dates.DeliveryTo.String()
	roll := rnd.IntN(1000)
	if roll < 45 {
		n.Status = order.Cancelled
		n.Payment.Paid = false
		return
	}
	n.Status = order.Delivered
	if roll < 70 {
		n.Status = order.Returned
	}
	day := dates.DeliveryFrom.AddDays(rnd.IntN(int(dates.DeliveryTo-dates.DeliveryFrom) + 1))
	if rnd.IntN(100) < 7 { // late: the promise broken by a day or three
		day = dates.DeliveryTo.AddDays(1 + rnd.IntN(3))
	}
	loc := engine.Location()
	at := day.Time(loc).Add(10*time.Hour + time.Duration(rnd.IntN(9*60))*time.Minute)
	if latest := until.Add(-time.Hour); at.After(latest) {
		// A parcel still on its way at the demo's start arrived early:
		// history orders are all settled.
		at = n.PlacedAt.Add(latest.Sub(n.PlacedAt) / 2)
	}
	n.DeliveredAt = &at
	n.Payment.Paid = true
}

// recent places the open orders of the last hours through the intake.
type recent struct {
	a       *app.App
	g       *people
	rnd     *rand.Rand
	persons []person
	next    int // the next new customer's number
}

// place takes count orders placed in (from, until] in through the intake,
// numbered after the history's seq orders, and moves the older ones on:
// the oldest quarter is shipped, the next is ready to ship, the next is
// being processed and the newest are new, waiting for their call-back.
func (r *recent) place(ctx context.Context, seq, count int, from, until time.Time) (int, error) {
	a, rnd := r.a, r.rnd
	loc := a.Settings.Shop.Location()
	times := make([]time.Time, count)
	for i := range times {
		times[i] = openTime(rnd, from, until, loc)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	for i, at := range times {
		p, first := r.customer()
		n := r.g.order(p, orderNumber(seq+i), at, first)
		if first {
			if err := referral(ctx, a, rnd, &n); err != nil {
				return i, err
			}
		}
		if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
			return i, fmt.Errorf("demo: open order %s: %w", n.ExternalID, err)
		}
		res, err := a.Orders.Create(ctx, n)
		if err != nil {
			return i, fmt.Errorf("demo: take in order %s: %w", n.ExternalID, err)
		}
		if err := spend(ctx, a, rnd, res, n.TotalMinor, first); err != nil {
			return i, err
		}
		var steps []order.Status
		switch i * 4 / count {
		case 0:
			steps = []order.Status{order.Processing, order.ReadyToShip, order.Shipped}
		case 1:
			steps = []order.Status{order.Processing, order.ReadyToShip}
		case 2:
			steps = []order.Status{order.Processing}
		}
		prev := at
		for k, st := range steps {
			u := order.StatusUpdate{Status: st, Source: order.SourceSystem,
				At: daytime(at.Add(until.Sub(at)*time.Duration(k+1)/time.Duration(len(steps)+2)), prev, until, loc)}
			prev = u.At
			if st == order.Shipped {
				c, _ := a.Settings.Carrier(n.Carrier)
				u.Carrier, u.TrackingNumber = n.Carrier, trackingNumber(rnd, c, a.Settings.Shop.Country)
			}
			if _, err := a.Orders.ChangeStatus(ctx, res.ID, u); err != nil {
				return i, fmt.Errorf("demo: move order %s to %s: %w", n.ExternalID, st, err)
			}
		}
	}
	return count, nil
}

// customer picks who places an open order: a returning customer now and
// then, else a new one (first is true).
func (r *recent) customer() (p *person, first bool) {
	if r.rnd.IntN(100) < 30 && len(r.persons) > 0 {
		return &r.persons[r.rnd.IntN(len(r.persons))], false
	}
	np := r.g.person(r.next)
	r.next++
	return &np, true
}

// daytime moves t, a moment in (prev, until], out of the night when it
// can: people of the shop work in the daytime.
func daytime(t, prev, until time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	var moved time.Time
	switch h := l.Hour(); {
	case h < 9:
		moved = time.Date(l.Year(), l.Month(), l.Day(), 9, l.Minute(), l.Second(), 0, loc)
	case h >= 20:
		moved = time.Date(l.Year(), l.Month(), l.Day(), 19, l.Minute(), l.Second(), 0, loc)
	default:
		return t
	}
	if moved.After(prev) && !moved.After(until) {
		return moved
	}
	return t
}

// openTime draws a moment in (from, until] people order at.
func openTime(rnd *rand.Rand, from, until time.Time, loc *time.Location) time.Time {
	span := until.Sub(from)
	for {
		t := until.Add(-time.Duration(rnd.Int64N(int64(span))))
		if rnd.Float64()*hourMax < hourWeights[t.In(loc).Hour()] {
			return t
		}
	}
}
