// Package promise computes the dates a shop promises a customer — made on,
// ships on, arrives between — from the shop's business calendar, its
// cut-off time, the items' production days and the carrier's transit, and
// explains every date in words in the customer's language.
//
// The Engine is pure computation over calendars compiled to arrays, so a
// quote costs a few array lookups and no allocation; the Service around it
// keeps the shop's own days off and the history of every order's promise.
package promise

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
)

// Request is what a promise is computed from: an order, or a cart before it.
type Request struct {
	// PlacedAt is when the order was placed; any time zone.
	PlacedAt time.Time
	// MadeToOrder says some item is made for this order; ProductionDays is
	// the largest production time over those items, in working days.
	MadeToOrder    bool
	ProductionDays int
	// Carrier is the carrier's code; "" means the shop's first carrier.
	Carrier string
	// Country is the destination country; "" means the shop's own.
	Country string
	// StartedAt, when set, is when the shop began work on the order
	// (status processing). Work that began later than the order was
	// received pushes the dates out; earlier never pulls them in.
	StartedAt time.Time
	// ShippedAt, when set, is when the parcel left. A shipment later than
	// planned pushes the delivery dates out.
	ShippedAt time.Time
	// StockOn, when set, is the day the last item missing from stock is
	// expected (an incoming delivery, or the shop's restock estimate):
	// work on the order cannot begin before it, so the order counts as
	// received on the first working day on or after it, and production
	// and handling count from there.
	StockOn calendar.Day
	// Waiting names the items not in stock, for Explain; Quote does not
	// read it. AddWait fills both it and StockOn.
	Waiting []Wait
}

// Wait is an item of the order that is not in stock, as Explain tells
// it: expected On, or made for the order in ProductionDays (when no
// delivery is known and the item has a production time), or neither
// (nobody knows yet; the shop's operator finds out).
type Wait struct {
	// Item is the item's name, or its SKU when it has none.
	Item           string
	On             calendar.Day
	ProductionDays int
}

// AddWait counts an item not in stock: w.On, when set, holds the start
// of work back to that day (the latest of them counts).
func (r *Request) AddWait(w Wait) {
	r.Waiting = append(r.Waiting, w)
	r.StockOn = max(r.StockOn, w.On)
}

// AddItem counts one line of the order: an item made to order, or one with
// a production time, makes the order made to order, and the longest
// production time counts.
func (r *Request) AddItem(madeToOrder bool, productionDays int) {
	if madeToOrder || productionDays > 0 {
		r.MadeToOrder = true
		r.ProductionDays = max(r.ProductionDays, productionDays)
	}
}

// Dates are the promised days, in the shop's calendar.
type Dates struct {
	Received calendar.Day
	// Production is the day made-to-order items are ready; set only when
	// Made is true.
	Production calendar.Day
	Made       bool
	Ship       calendar.Day
	// DeliveryFrom and DeliveryTo bound the delivery; both are zero when
	// Delivers is false (a carrier the shop has not set up).
	DeliveryFrom calendar.Day
	DeliveryTo   calendar.Day
	Delivers     bool
	// Provisional is true when a date depends on a holiday calendar not
	// yet decreed, and so may move.
	Provisional bool
}

// Errors a quote may return; they are values, so returning one does not
// allocate.
var (
	ErrUnknownCarrier = errors.New("unknown carrier")
	ErrNoPlacedAt     = errors.New("the order's time is missing")
)

// Engine computes promises for one shop's settings and calendar. It is
// immutable and safe for concurrent use; a change of settings or days off
// builds a new Engine.
type Engine struct {
	loc       *time.Location
	cutoff    int // seconds after midnight
	handling  int
	shop      *calendar.Calendar
	calendars map[string]*calendar.Calendar // destination calendars, by country
	carriers  []carrier
}

type carrier struct {
	code, name string
	lo, hi     int
	dest       map[string][2]int
	working    bool
	noDelivery [7]bool
}

// NewEngine compiles the shop's settings and its own days off (from
// settings and those added later, in overrides) into an Engine.
func NewEngine(s config.Settings, overrides []calendar.Override) (*Engine, error) {
	newCalendar := calendar.New
	if !calendar.Supported(s.Shop.Country) {
		newCalendar = calendar.Plain // weekends, and the days off the shop lists
	}
	shop, err := newCalendar(s.Shop.Country, overrides)
	if err != nil {
		return nil, fmt.Errorf("shop.country: %w", err)
	}
	e := &Engine{
		loc:       s.Shop.Location(),
		cutoff:    int(s.Shop.Cutoff) * 60,
		handling:  s.Promise.HandlingDays,
		shop:      shop,
		calendars: map[string]*calendar.Calendar{},
	}
	for _, country := range calendar.Countries() {
		c := shop
		if !strings.EqualFold(country, s.Shop.Country) {
			if c, err = calendar.New(country, nil); err != nil {
				return nil, fmt.Errorf("calendar %s: %w", country, err)
			}
		}
		e.calendars[country] = c
	}
	for _, c := range s.Carriers {
		lo, hi := c.Transit("")
		cr := carrier{code: c.Code, name: c.DisplayName(), lo: lo, hi: hi, working: c.TransitWorkingDays}
		if len(c.Destinations) > 0 {
			cr.dest = make(map[string][2]int, len(c.Destinations))
			for country, t := range c.Destinations {
				cr.dest[country] = [2]int{t[0], t[1]}
			}
		}
		for _, w := range c.NonDeliveryWeekdays {
			cr.noDelivery[w] = true
		}
		e.carriers = append(e.carriers, cr)
	}
	return e, nil
}

// Location is the shop's time zone, in which every promised day is given.
func (e *Engine) Location() *time.Location { return e.loc }

// Calendar is the shop's business calendar, with its own days off.
func (e *Engine) Calendar() *calendar.Calendar { return e.shop }

// Quote computes the promise for r. It does not allocate. For a carrier the
// shop has not set up it returns ErrUnknownCarrier with every date but the
// delivery's.
func (e *Engine) Quote(r Request) (Dates, error) {
	var t trace
	return e.quote(&r, &t)
}

// receivedWhy says how the received day followed from the placed time.
type receivedWhy uint8

const (
	receivedSameDay receivedWhy = iota
	receivedAfterCutoff
	receivedDayOff
)

// trace records how a quote was reached, for Explain; it lives on the
// stack.
type trace struct {
	placed      calendar.Day
	received    receivedWhy
	started     calendar.Day
	startedLate bool
	stockLate   bool // the start waited for stock (Request.StockOn)
	shippedLate bool
	carrier     int // index into Engine.carriers, -1 when none
	lo, hi      int
	shifted     bool // delivery moved off a non-delivery weekday
	planFrom    calendar.Day
	planTo      calendar.Day
}

func (e *Engine) quote(r *Request, t *trace) (Dates, error) {
	var d Dates
	if r.PlacedAt.IsZero() {
		return d, ErrNoPlacedAt
	}
	t.carrier = -1
	ci := -1
	var carrierErr error
	if r.Carrier == "" {
		if len(e.carriers) > 0 {
			ci = 0
		}
	} else {
		for i := range e.carriers {
			if e.carriers[i].code == r.Carrier {
				ci = i
				break
			}
		}
		if ci < 0 {
			carrierErr = ErrUnknownCarrier
		}
	}

	var why receivedWhy
	t.placed, d.Received, why = e.receive(r.PlacedAt)
	t.received = why
	start := d.Received
	if r.StockOn > start {
		start = e.shop.NextWorkday(r.StockOn)
		t.stockLate = true
	}
	if !r.StartedAt.IsZero() {
		_, s, _ := e.receive(r.StartedAt)
		if s > start {
			start = s
			t.startedLate = true
			t.stockLate = false
		}
	}
	t.started = start

	base := start
	if r.MadeToOrder {
		d.Made = true
		d.Production = e.shop.AddWorkdays(start, r.ProductionDays)
		base = d.Production
	}
	d.Ship = e.shop.AddWorkdays(base, e.handling)
	if !r.ShippedAt.IsZero() {
		if s := calendar.DayOf(r.ShippedAt.In(e.loc)); s > d.Ship {
			d.Ship = s
			t.shippedLate = true
		}
	}
	d.Provisional = e.shop.Provisional(d.Ship) || e.shop.Provisional(t.placed)

	if ci < 0 {
		return d, carrierErr
	}
	c := &e.carriers[ci]
	t.carrier = ci
	country := r.Country
	if country == "" {
		country = e.shop.Country()
	}
	lo, hi := c.lo, c.hi
	if c.dest != nil {
		if tr, ok := c.dest[country]; ok {
			lo, hi = tr[0], tr[1]
		}
	}
	t.lo, t.hi = lo, hi
	if c.working {
		cal := e.calendars[country]
		if cal == nil {
			cal = e.shop
		}
		d.DeliveryFrom = cal.AddWorkdays(d.Ship, lo)
		d.DeliveryTo = cal.AddWorkdays(d.Ship, hi)
		if cal.Provisional(d.DeliveryTo) {
			d.Provisional = true
		}
	} else {
		d.DeliveryFrom = d.Ship.AddDays(lo)
		d.DeliveryTo = d.Ship.AddDays(hi)
	}
	t.planFrom, t.planTo = d.DeliveryFrom, d.DeliveryTo
	d.DeliveryFrom = c.nextDeliveryDay(d.DeliveryFrom)
	d.DeliveryTo = c.nextDeliveryDay(d.DeliveryTo)
	t.shifted = d.DeliveryFrom != t.planFrom || d.DeliveryTo != t.planTo
	d.Delivers = true
	return d, nil
}

// receive returns the shop-local day of t and the day the shop counts the
// order as received: the same day when placed on a working day up to the
// cut-off (an order at 14:00:00 makes a 14:00 cut-off; one at 14:00:01
// does not), else the next working day.
func (e *Engine) receive(at time.Time) (placed, received calendar.Day, why receivedWhy) {
	local := at.In(e.loc)
	placed = calendar.DayOf(local)
	if !e.shop.IsWorkday(placed) {
		return placed, e.shop.NextWorkday(placed), receivedDayOff
	}
	secs := local.Hour()*3600 + local.Minute()*60 + local.Second()
	if secs > e.cutoff || secs == e.cutoff && local.Nanosecond() > 0 {
		return placed, e.shop.AddWorkdays(placed, 1), receivedAfterCutoff
	}
	return placed, placed, receivedSameDay
}

// nextDeliveryDay returns d, or the first later day the carrier delivers.
func (c *carrier) nextDeliveryDay(d calendar.Day) calendar.Day {
	for range 7 {
		if !c.noDelivery[d.Weekday()] {
			return d
		}
		d++
	}
	return d
}

// OrderBy returns the last moment an order placed now gets the same
// dates as d: the cut-off of d's received day in the shop's time zone (an
// order at the cut-off itself still counts, see receive). The delivery
// widget counts down to it and asks again once it has passed.
func (e *Engine) OrderBy(d Dates) time.Time {
	y, m, day := d.Received.Date()
	return time.Date(y, m, day, e.cutoff/3600, e.cutoff/60%60, e.cutoff%60, 0, e.loc)
}
