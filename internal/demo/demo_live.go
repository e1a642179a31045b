package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/store"
)

// LiveOptions tune the live shop. The zero value is the usual demo.
type LiveOptions struct {
	// OrdersPerDay is the average number of new orders a shop day (24: a
	// few an hour in the evening, next to none at night).
	OrdersPerDay float64
	// StallAfter is how long an order may wait for the shop's people (a
	// call-back, packing) before the demo moves it on itself, so the demo
	// never stalls (48 shop hours).
	StallAfter time.Duration
	// Tick is how often, in wall-clock time, Run takes a step (200 ms).
	Tick time.Duration
	// ReturningPercent is the share of new orders placed by customers the
	// shop knows (30).
	ReturningPercent int
	// Log reports what Run could not do; nothing when nil.
	Log *slog.Logger
	// OnStep, when set, is called by Run after every step that went
	// well, with the shop time it played up to and what it did.
	OnStep func(now time.Time, rep StepReport)
	// App, when set, returns the App to play on at each step: a server
	// that swaps its App for a new one when settings are saved hands the
	// live shop the one in service. The App given to NewLive when nil.
	App func() *app.App
}

func (o LiveOptions) withDefaults() LiveOptions {
	if o.OrdersPerDay <= 0 {
		o.OrdersPerDay = 24
	}
	if o.StallAfter <= 0 {
		o.StallAfter = 48 * time.Hour
	}
	if o.Tick <= 0 {
		o.Tick = 200 * time.Millisecond
	}
	if o.ReturningPercent <= 0 {
		o.ReturningPercent = 30
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

// maxCatchUp bounds the shop time a step places orders for: after a long
// pause (a laptop asleep while the demo ran at speed) the shop does not
// get a day's orders at once.
const maxCatchUp = 12 * time.Hour

// Live plays the world around the shop on the shop's clock: customers
// placing orders, through the intake the API uses, in the rhythm of a
// real shop's day; the shop's own operator and packer, who call the
// customers back and pack as a working shop's people do (staff), so the
// queues stay a real shop's however long the demo runs; and the
// carriers, who take parcels that are ready to ship and deliver them in
// the promised window (to a pickup point first, for carriers that hold
// parcels). An order nobody moved on for StallAfter (a customer never
// reached) it moves on itself.
//
// A Live is driven by one goroutine: Run, or a test calling Step.
type Live struct {
	a    *app.App
	rnd  *rand.Rand
	g    *people
	opts LiveOptions
	salt uint64

	last         time.Time // shop time up to which orders were placed
	scored       time.Time // shop time of the last CLV scoring
	watched      string    // shop-local day the early warning last ran
	nextOrder    int       // the index of the next order's number
	nextCustomer int       // the number of the next new customer
	wrote        time.Time // shop time up to which customers wrote letters
	// clicked are the campaigns' messages whose link the customer
	// followed (campaign, customer); buyers the customers who clicked and
	// order next.
	clicked map[[2]int64]bool
	buyers  []int64
	traffic *liveTraffic // the shop's visitors (demo_traffic.go)
}

// StepReport counts what one step did.
type StepReport struct {
	Placed    int // new orders taken in
	Advanced  int // orders nobody moved for StallAfter, moved on
	Shipped   int // parcels handed to the carrier
	AtPickup  int // parcels waiting at a pickup point
	Delivered int // parcels delivered or collected
	// Late counts orders the promise watch found late; Compensated those
	// of them compensated (the shop's compensation setting). Reminded
	// counts pickup reminders, Stuck parcels flagged silent.
	Late        int
	Compensated int
	Reminded    int
	Stuck       int
	// The shop's own people at work: call-backs that reached the
	// customer, that nobody answered, that found a wrong number; orders
	// packed.
	Reached     int
	NoAnswer    int
	WrongNumber int
	Packed      int
	// Scored is set when the customers were scored again (segments, and
	// win-back messages for those who entered a win-back segment);
	// Alerted when the early warning raised an alert.
	Scored  bool
	Alerted bool
}

// NewLive returns a Live for the App's shop, placing orders from the
// App's clock's now on. It numbers orders and customers after those the
// database holds.
func NewLive(ctx context.Context, a *app.App, rnd *rand.Rand, opts LiveOptions) (*Live, error) {
	opts = opts.withDefaults()
	if opts.App == nil {
		opts.App = func() *app.App { return a }
	}
	l := &Live{a: a, rnd: rnd, g: newPeople(a.Settings, rnd), opts: opts, salt: rnd.Uint64(),
		last: a.Clock.Now(), nextCustomer: 1, clicked: map[[2]int64]bool{}}
	q := a.DB.Read()
	err := order.EachExternalID(ctx, q, func(ext string) error {
		n, err := strconv.Atoi(ext)
		if site, ok := siteNumber(ext); ok {
			n, err = site, nil
		}
		if err == nil && n >= firstOrderNumber {
			l.nextOrder = max(l.nextOrder, n-firstOrderNumber+1)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("demo: number orders: %w", err)
	}
	err = customer.EachExternalIDEmail(ctx, q, func(ext, email *string) error {
		if num, ok := strings.CutPrefix(store.Text(ext), "C"); ok {
			if n, err := strconv.Atoi(num); err == nil {
				l.nextCustomer = max(l.nextCustomer, n+1)
			}
		}
		if email != nil {
			l.g.emails[*email] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("demo: number customers: %w", err)
	}
	return l, nil
}

// Run takes a step every Tick of wall-clock time at the shop time the
// App's clock tells, until ctx ends. It never sleeps on shop time, so a
// clock of any speed works. A step that fails is logged, and the next
// one tries again.
func (l *Live) Run(ctx context.Context) {
	tick := time.NewTicker(l.opts.Tick)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			now := l.opts.App().Clock.Now()
			rep, err := l.Step(ctx, now)
			switch {
			case err != nil && ctx.Err() == nil:
				l.opts.Log.Error("demo: the live shop stumbled", "err", err)
			case err == nil && l.opts.OnStep != nil:
				l.opts.OnStep(now, rep)
			}
		}
	}
}

// Step plays the shop up to the shop time now: the orders placed since
// the last step, then the staff's calls and packing, the carriers' work
// and the moves of stalled orders that are due by now. The App's clock should stand at now.
func (l *Live) Step(ctx context.Context, now time.Time) (StepReport, error) {
	var rep StepReport
	if a := l.opts.App(); a != l.a {
		l.a = a
		l.g.settings, l.g.mix = a.Settings, flavourMix(a.Settings)
	}
	if now.After(l.last) {
		from := l.last
		if now.Sub(from) > maxCatchUp {
			from = now.Add(-maxCatchUp)
		}
		for _, at := range arrivals(l.rnd, from, now, l.a.Settings.Shop.Location(), l.opts.OrdersPerDay) {
			if err := l.place(ctx, at); err != nil {
				return rep, err
			}
			rep.Placed++
		}
		if err := l.stockOnSite(ctx, from, now); err != nil {
			return rep, err
		}
		if err := deliverDue(ctx, l.a, now); err != nil {
			return rep, err
		}
		l.last = now
		// The site's orders are applied now rather than at the drain's
		// next kick, so the step's staff and carriers see them.
		if _, err := l.a.Connectors.Drain(ctx); err != nil {
			return rep, err
		}
	}
	if err := l.staff(ctx, now, &rep); err != nil {
		return rep, err
	}
	if err := l.stockCalls(ctx, now); err != nil {
		return rep, err
	}
	if err := l.inbox(ctx, now); err != nil {
		return rep, err
	}
	if err := l.move(ctx, now, &rep); err != nil {
		return rep, err
	}
	if err := l.voice(ctx, now); err != nil {
		return rep, err
	}
	if err := l.campaignsLive(ctx, now); err != nil {
		return rep, err
	}
	if err := l.trafficLive(ctx, now); err != nil {
		return rep, err
	}
	return rep, l.analytics(ctx, now, &rep)
}

// analytics runs the early warning once a shop day and scores the
// customers once a shop week; the jobs that do it in serve run on the
// wall clock, too slow for a demo's.
func (l *Live) analytics(ctx context.Context, now time.Time, rep *StepReport) error {
	if day := now.In(l.a.Settings.Shop.Location()).Format(time.DateOnly); day != l.watched {
		l.watched = day
		alert, err := l.a.Analytics.Watch(ctx)
		if err != nil {
			return err
		}
		rep.Alerted = alert != nil
	}
	if l.scored.IsZero() {
		l.scored = now
	}
	if now.Sub(l.scored) < scoreEvery {
		return nil
	}
	l.scored = now
	if _, err := l.a.Analytics.Score(ctx); err != nil {
		return err
	}
	rep.Scored = true
	return nil
}

// place takes in one order placed at at, from a returning customer now
// and then, else from a new one; either may use the loyalty program on it
// (a friend's referral code, the welcome coupon, points).
func (l *Live) place(ctx context.Context, at time.Time) error {
	p, first, err := l.customer(ctx)
	if err != nil {
		return err
	}
	n := l.g.order(p, orderNumber(l.nextOrder), at, first)
	if first {
		if err := referral(ctx, l.a, l.rnd, &n); err != nil {
			return err
		}
	}
	if err := order.Normalize(&n, l.a.Settings, order.APIFields); err != nil {
		return fmt.Errorf("demo: order %s: %w", n.ExternalID, err)
	}
	if l.viaSite(n) {
		l.nextOrder++
		return l.placeOnSite(ctx, n, n.ExternalID, at)
	}
	res, err := l.a.Orders.Create(ctx, n)
	if err != nil {
		return fmt.Errorf("demo: take in order %s: %w", n.ExternalID, err)
	}
	l.nextOrder++
	return spend(ctx, l.a, l.rnd, res, n.TotalMinor, first)
}

// customer picks who orders: someone the shop knows, or a new customer
// (first is true).
func (l *Live) customer(ctx context.Context) (p *person, first bool, err error) {
	if p, err := l.clicker(ctx); err != nil || p != nil {
		return p, false, err
	}
	if l.rnd.IntN(100) < l.opts.ReturningPercent {
		p, err := l.returning(ctx)
		if err != nil || p != nil {
			return p, false, err
		}
	}
	np := l.g.person(l.nextCustomer)
	l.nextCustomer++
	return &np, true, nil
}

// returning loads a customer the shop knows, at random; nil when there
// is none.
func (l *Live) returning(ctx context.Context) (*person, error) {
	q := l.a.DB.Read()
	count, err := customer.CountAll(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err) // says "count customers"
	}
	if count == 0 {
		return nil, nil
	}
	in, born, err := customer.GetByOffset(ctx, q, l.rnd.Int64N(int64(count)))
	if err != nil {
		return nil, fmt.Errorf("demo: load a returning customer: %w", err)
	}
	if in.ExternalID == "" && in.Email == "" && in.Phone == "" {
		return nil, nil
	}
	// Now and then someone fills in the birthday field this time.
	if num, ok := strings.CutPrefix(in.ExternalID, "C"); ok && born == nil && l.rnd.IntN(100) < tellPercent {
		if n, err := strconv.Atoi(num); err == nil {
			in.Birthday, _ = birthday(n)
		}
	}
	return &person{in: in, address: address(l.rnd, place{name: in.City, country: in.Country}),
		carrier: l.g.carrier(in.Country), payment: l.g.payment(), channel: "direct"}, nil
}

// clicker is a customer who followed a campaign's link and orders now
// (campaignsLive), or nil when there is none waiting.
func (l *Live) clicker(ctx context.Context) (*person, error) {
	for len(l.buyers) > 0 {
		id := l.buyers[0]
		l.buyers = l.buyers[1:]
		c, err := l.a.Customers.Get(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue // erased meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("demo: a customer who clicked: %w", err)
		}
		if c.ExternalID == "" && c.Email == "" && c.Phone == "" {
			continue
		}
		in := customer.Input{ExternalID: c.ExternalID, Name: c.Name, Email: c.Email, Phone: c.Phone, Language: c.Language,
			Country: c.Country, City: c.City, Timezone: c.Timezone}
		return &person{in: in, address: address(l.rnd, place{name: in.City, country: in.Country}),
			carrier: l.g.carrier(in.Country), payment: l.g.payment(), channel: "email"}, nil
	}
	return nil, nil
}

// openOrder is an order on its way, as the carrier sees it.
type openOrder struct {
	id         int64
	customerID int64
	status     order.Status
	carrier    string
	country    string
	language   string
	from, to   string // the promised delivery days
	tracking   string
	since      time.Time // when it took its status
}

// move hands parcels to the carriers and plays the carriers' events
// (accepted, in transit, at the pickup point or with the courier,
// delivered) through the same intake as POST /api/v1/parcels/events, so
// the orders move on as a real carrier's events move them; it moves on
// orders the shop's people left alone for StallAfter. Then it runs the
// promise watch and the parcel watch, as serve's periodic jobs do.
func (l *Live) move(ctx context.Context, now time.Time, rep *StepReport) error {
	open, err := l.open(ctx)
	if err != nil {
		return err
	}
	var events []carrier.Event
	for _, o := range open {
		u := order.StatusUpdate{Source: order.SourceSystem}
		var count *int
		switch o.status {
		case order.New, order.Processing:
			if now.Sub(o.since) < l.opts.StallAfter {
				continue
			}
			u.Status, u.At, count = order.Processing, now, &rep.Advanced
			if o.status == order.Processing {
				u.Status = order.ReadyToShip
			}
		case order.ReadyToShip:
			if u.At = l.shipAt(o); u.At.After(now) {
				continue
			}
			c, _ := l.a.Settings.Carrier(o.carrier)
			u.Status, u.Carrier, count = order.Shipped, o.carrier, &rep.Shipped
			u.TrackingNumber = trackingNumber(l.rnd, c, l.a.Settings.Shop.Country)
		case order.Shipped:
			events = append(events, l.due(l.journey(o), now)...)
			continue
		case order.ReadyForPickup:
			if at := l.collectAt(o); !at.After(now) && o.tracking != "" {
				events = append(events, l.event(o, carrier.Delivered, at))
			}
			continue
		default:
			continue
		}
		changed, err := l.a.Orders.ChangeStatus(ctx, o.id, u)
		var te *order.TransitionError
		switch {
		case errors.As(err, &te):
			continue // someone moved it in the admin meanwhile
		case err != nil:
			return fmt.Errorf("demo: move order %d to %s: %w", o.id, u.Status, err)
		case changed:
			*count++
		}
	}
	if err := l.carriers(ctx, events, rep); err != nil {
		return err
	}
	late, err := l.a.Orders.Watch(ctx)
	if err != nil {
		return fmt.Errorf("demo: promise watch: %w", err)
	}
	watched, err := l.a.Parcels.Watch(ctx)
	if err != nil {
		return fmt.Errorf("demo: parcel watch: %w", err)
	}
	rep.Late, rep.Reminded, rep.Stuck = late.Late, watched.Reminded, watched.Stuck
	if c := l.a.Settings.Compensation; c.BonusPoints > 0 || c.Coupon != nil {
		rep.Compensated = late.Late
	}
	return nil
}

// carriers hands the carriers' events to the parcel intake and counts
// the parcels they brought to a pickup point or to the customer.
func (l *Live) carriers(ctx context.Context, events []carrier.Event, rep *StepReport) error {
	if len(events) == 0 {
		return nil
	}
	reports := make([]parcel.Report, len(events))
	for i, e := range events {
		reports[i] = parcel.Report{Event: e, Source: parcel.SourceAPI}
	}
	outcomes, err := l.a.Parcels.Ingest(ctx, reports)
	if err != nil {
		return fmt.Errorf("demo: carrier events: %w", err)
	}
	for i, out := range outcomes {
		if out != parcel.Stored {
			continue
		}
		switch events[i].Status {
		case carrier.ArrivedAtPickup:
			rep.AtPickup++
		case carrier.Delivered:
			rep.Delivered++
		}
	}
	return nil
}

// journey is what the carrier reports of a shipped parcel: taken in an
// hour or two after it left, in transit the next morning, then at the
// pickup point (carriers with one) or with the courier and delivered, on
// the day arriveAt tells. A few parcels go silent in transit for a week:
// they are flagged stuck and come late.
func (l *Live) journey(o *openOrder) []carrier.Event {
	if o.tracking == "" {
		return nil
	}
	loc := l.a.Settings.Shop.Location()
	j := l.jitter(o.id, 4)
	accepted := o.since.Add(time.Duration(40+j%80) * time.Minute)
	arrive := l.arriveAt(o)
	if j>>8%100 < 3 {
		arrive = arrive.AddDate(0, 0, 6) // lost in a sorting centre for a while
	}
	next := calendar.DayOf(accepted.In(loc)).AddDays(1).Time(loc).Add(time.Duration(6*60+j>>16%120) * time.Minute)
	events := []carrier.Event{l.event(o, carrier.Accepted, accepted)}
	if next.Before(arrive) {
		events = append(events, l.event(o, carrier.InTransit, next))
	}
	if c, ok := l.a.Settings.Carrier(o.carrier); ok && c.PickupHoldDays > 0 {
		return append(events, l.event(o, carrier.ArrivedAtPickup, arrive))
	}
	morning := calendar.DayOf(arrive.In(loc)).Time(loc).Add(8 * time.Hour)
	if morning.After(accepted) && morning.Before(arrive) {
		events = append(events, l.event(o, carrier.OutForDelivery, morning))
	}
	return append(events, l.event(o, carrier.Delivered, arrive))
}

// event is a carrier's event about an order's parcel, in the carrier's
// own words.
func (l *Live) event(o *openOrder, st carrier.Status, at time.Time) carrier.Event {
	lang := i18n.Pick(l.a.Settings.Shop.Languages[0], i18n.EN)
	return carrier.Event{TrackingNumber: o.tracking, Status: st, At: at, Code: string(st),
		Description: carrierWords[lang][st]}
}

// due keeps the events that have happened by now.
func (l *Live) due(events []carrier.Event, now time.Time) []carrier.Event {
	out := events[:0]
	for _, e := range events {
		if !e.At.After(now) {
			out = append(out, e)
		}
	}
	return out
}

// carrierWords are what the demo's carriers say of their events.
var carrierWords = map[i18n.Lang]map[carrier.Status]string{
	i18n.RU: {carrier.Accepted: "Приём", carrier.InTransit: "Покинуло сортировочный центр",
		carrier.ArrivedAtPickup: "Прибыло в место вручения", carrier.OutForDelivery: "Передано курьеру",
		carrier.Delivered: "Вручение адресату"},
	i18n.LV: {carrier.Accepted: "Sūtījums pieņemts", carrier.InTransit: "Sūtījums šķirošanas centrā",
		carrier.ArrivedAtPickup: "Sūtījums pakomātā", carrier.OutForDelivery: "Sūtījums nodots kurjeram",
		carrier.Delivered: "Sūtījums izsniegts"},
	i18n.EN: {carrier.Accepted: "Accepted", carrier.InTransit: "Departed the sorting centre",
		carrier.ArrivedAtPickup: "Ready for pickup", carrier.OutForDelivery: "Out for delivery",
		carrier.Delivered: "Delivered"},
}

// open lists the live orders not yet delivered, cancelled or returned,
// with the time each took its status.
func (l *Live) open(ctx context.Context) ([]*openOrder, error) {
	q := l.a.DB.Read()
	var out []*openOrder
	byID := map[int64]*openOrder{}
	err := order.EachMoving(ctx, q, func(m order.Moving) error {
		o := openOrder{id: m.ID, customerID: m.CustomerID, status: m.Status, carrier: m.Carrier, country: m.Country,
			language: m.Language, from: m.DeliveryFrom, to: m.PromisedTo, tracking: m.TrackingNumber}
		out = append(out, &o)
		byID[o.id] = &o
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("demo: list open orders: %w", err)
	}
	ids := make([]int64, len(out))
	for i, o := range out {
		ids[i] = o.id
	}
	// The latest step of an order is the one that gave it its status.
	err = order.EachStatusStep(ctx, q, ids, func(id int64, at time.Time) error {
		byID[id].since = at
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("demo: status history of open orders: %w", err)
	}
	return out, nil
}

// jitter is a number fixed for an order and a purpose, so that every
// step computes the same moment for the same event.
func (l *Live) jitter(id int64, purpose uint64) uint64 {
	// splitmix64
	z := l.salt ^ uint64(id)*0x9e3779b97f4a7c15 ^ purpose*0xbf58476d1ce4e5b9
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// shipAt is when the carrier collects a parcel that is ready: two to six
// hours later, within the shop's working hours on a working day.
func (l *Live) shipAt(o *openOrder) time.Time {
	after := 2*time.Hour + time.Duration(l.jitter(o.id, 1)%(4*60))*time.Minute
	return l.workingMoment(o.since.Add(after))
}

// workingMoment returns t if the shop is working then, else the start of
// its next working hours.
func (l *Live) workingMoment(t time.Time) time.Time {
	sh := l.a.Settings.Shop
	loc := sh.Location()
	cal := l.a.Promises.Engine().Calendar()
	for range 60 {
		day := calendar.DayOf(t.In(loc))
		opens := day.Time(loc).Add(time.Duration(sh.WorkingHours.From) * time.Minute)
		closes := day.Time(loc).Add(time.Duration(sh.WorkingHours.To) * time.Minute)
		if cal.IsWorkday(day) {
			if t.Before(opens) {
				return opens
			}
			if t.Before(closes) {
				return t
			}
		}
		t = day.AddDays(1).Time(loc)
	}
	return t
}

// arriveAt is when a shipped parcel arrives: on a day of its promised
// window (a few a day or two late), in the daytime, never on the day it
// left.
func (l *Live) arriveAt(o *openOrder) time.Time {
	loc := l.a.Settings.Shop.Location()
	left := calendar.DayOf(o.since.In(loc))
	lo, errLo := calendar.ParseDay(o.from)
	hi, errHi := calendar.ParseDay(o.to)
	if errLo != nil || errHi != nil || hi < lo {
		c, _ := l.a.Settings.Carrier(o.carrier)
		tmin, tmax := c.Transit(o.country)
		lo, hi = left.AddDays(max(tmin, 1)), left.AddDays(max(tmax, tmin, 1))
	}
	j := l.jitter(o.id, 2)
	day := lo.AddDays(int(j % uint64(hi-lo+1)))
	if j>>16%100 < 6 {
		day = hi.AddDays(1 + int(j>>24%2))
	}
	if day <= left {
		day = left.AddDays(1)
	}
	return day.Time(loc).Add(9*time.Hour + time.Duration(j>>32%(9*60))*time.Minute)
}

// collectAt is when a customer collects a parcel from the pickup point:
// mostly the same or the next day, some only after a reminder or two; in
// the daytime.
func (l *Live) collectAt(o *openOrder) time.Time {
	loc := l.a.Settings.Shop.Location()
	j := l.jitter(o.id, 3)
	wait := time.Duration(1+j%30) * time.Hour
	if j>>16%100 < 20 {
		wait += time.Duration(2+j>>24%4) * 24 * time.Hour
	}
	at := o.since.Add(wait).In(loc)
	switch h := at.Hour(); {
	case h < 8:
		at = time.Date(at.Year(), at.Month(), at.Day(), 8, at.Minute(), 0, 0, loc)
	case h >= 22:
		at = time.Date(at.Year(), at.Month(), at.Day()+1, 9, at.Minute(), 0, 0, loc)
	}
	return at
}
