package promise

import (
	"errors"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
)

// Explain computes the promise for r and tells, step by step in lang, how
// each date follows: "placed Friday 27 Nov 15:20, after the 14:00 cut-off:
// received Monday 30 Nov", "1 working day to ship: Tuesday 1 Dec",
// "courier 2 days: Thursday 3 Dec". Like Quote, it returns
// ErrUnknownCarrier with the steps up to shipping for a carrier the shop has
// not set up.
func (e *Engine) Explain(r Request, lang i18n.Lang) (Dates, []string, error) {
	var t trace
	d, err := e.quote(&r, &t)
	if err != nil && !errors.Is(err, ErrUnknownCarrier) {
		return d, nil, err
	}
	var steps []string

	placed := map[string]any{
		"Placed":   i18n.FormatDayTime(lang, r.PlacedAt.In(e.loc)),
		"Cutoff":   config.ClockTime(e.cutoff / 60).String(),
		"Received": i18n.FormatDay(lang, d.Received),
	}
	switch t.received {
	case receivedSameDay:
		steps = append(steps, i18n.Text(lang, "promise.received.same_day", placed))
	case receivedAfterCutoff:
		steps = append(steps, i18n.Text(lang, "promise.received.after_cutoff", placed))
	case receivedDayOff:
		steps = append(steps, i18n.Text(lang, "promise.received.day_off", placed))
	}
	steps = append(steps, e.stockSteps(lang, &r, &t)...)
	if t.startedLate {
		steps = append(steps, i18n.Text(lang, "promise.started_late", map[string]any{"Day": i18n.FormatDay(lang, t.started)}))
	}
	steps = append(steps, e.calendarNotes(lang, t.placed, d.Ship)...)
	if d.Made {
		steps = append(steps, i18n.Text(lang, "promise.production", map[string]any{
			"Days": i18n.WorkingDays(lang, r.ProductionDays), "Day": i18n.FormatDay(lang, d.Production),
		}))
	}
	shipData := map[string]any{"Days": i18n.WorkingDays(lang, e.handling), "Day": i18n.FormatDay(lang, d.Ship)}
	switch {
	case t.shippedLate:
		steps = append(steps, i18n.Text(lang, "promise.shipped_late", shipData))
	case e.handling == 0:
		steps = append(steps, i18n.Text(lang, "promise.ship.same_day", shipData))
	case d.Made:
		steps = append(steps, i18n.Text(lang, "promise.ship.after_production", shipData))
	default:
		steps = append(steps, i18n.Text(lang, "promise.ship", shipData))
	}
	if t.carrier < 0 {
		if r.Carrier != "" {
			steps = append(steps, i18n.Text(lang, "promise.no_carrier", map[string]any{"Carrier": r.Carrier}))
		}
		return d, steps, err
	}
	c := &e.carriers[t.carrier]
	days := i18n.DayRange(lang, t.lo, t.hi, c.working)
	data := map[string]any{"Carrier": i18n.CarrierName(lang, c.code, c.name), "Days": days}
	if t.planFrom == t.planTo {
		data["Day"] = i18n.FormatDay(lang, t.planTo)
		steps = append(steps, i18n.Text(lang, "promise.delivery.one", data))
	} else {
		data["Range"] = i18n.FormatRange(lang, t.planFrom, t.planTo)
		steps = append(steps, i18n.Text(lang, "promise.delivery.range", data))
	}
	if t.shifted {
		steps = append(steps, i18n.Text(lang, "promise.delivery.shifted", map[string]any{
			"Carrier":  i18n.CarrierName(lang, c.code, c.name),
			"Weekdays": c.weekdays(lang),
			"Range":    i18n.FormatRange(lang, d.DeliveryFrom, d.DeliveryTo),
		}))
	}
	if d.Provisional {
		steps = append(steps, i18n.Text(lang, "promise.provisional", map[string]any{"Year": d.Ship.Year()}))
	}
	return d, steps, nil
}

// stockSteps tells which items are not in stock and until when, and,
// when the wait moved the start of work, the day work begins.
func (e *Engine) stockSteps(lang i18n.Lang, r *Request, t *trace) []string {
	var steps []string
	for _, w := range r.Waiting {
		steps = append(steps, WaitText(lang, w))
	}
	if t.stockLate && t.started != r.StockOn {
		steps = append(steps, i18n.Text(lang, "promise.stock.begins", map[string]any{"Day": i18n.FormatDay(lang, t.started)}))
	}
	return steps
}

// WaitText tells in lang that an item is not in stock and when it is
// expected: "«Blue mug» is not in stock: the next delivery is expected on
// Tuesday 15 Dec".
func WaitText(lang i18n.Lang, w Wait) string {
	data := map[string]any{"Item": w.Item}
	switch {
	case w.On != 0:
		data["When"] = i18n.FormatOnDay(lang, w.On)
		return i18n.Text(lang, "promise.stock.waits", data)
	case w.ProductionDays > 0:
		data["Days"] = i18n.WorkingDays(lang, w.ProductionDays)
		return i18n.Text(lang, "promise.stock.made", data)
	default:
		return i18n.Text(lang, "promise.stock.unknown", data)
	}
}

func (c *carrier) weekdays(lang i18n.Lang) string {
	var names []string
	for w := time.Sunday; w <= time.Saturday; w++ {
		// List Monday first, Sunday last.
		wd := (w + 1) % 7
		if c.noDelivery[wd] {
			names = append(names, i18n.Weekday(lang, wd))
		}
	}
	return strings.Join(names, ", ")
}

// calendarNotes tells about the days between placing and shipping that are
// not what the week suggests: holidays, moved days off, the shop's own
// days off, and weekends that are working days.
func (e *Engine) calendarNotes(lang i18n.Lang, from, to calendar.Day) []string {
	var notes []string
	for d := from; d <= to; d++ {
		info := e.shop.Info(d)
		switch info.Kind {
		case calendar.Holiday, calendar.MovedDayOff, calendar.ShopDayOff:
			// The run of days off around d, weekends included.
			first, last := d, d
			for first > from && !e.shop.IsWorkday(first-1) {
				first--
			}
			for !e.shop.IsWorkday(last + 1) {
				last++
			}
			notes = append(notes, i18n.Text(lang, "promise.days_off", map[string]any{
				"Range": i18n.FormatRange(lang, first, last),
				"Why":   e.offReasons(lang, first, last),
			}))
			d = last
		case calendar.WorkingWeekend, calendar.ShopWorkday:
			notes = append(notes, i18n.Text(lang, "promise.working_weekend", map[string]any{
				"Day": i18n.FormatDay(lang, d),
			}))
		}
	}
	return notes
}

// offReasons names why the days from first to last are off: public
// holidays, days off moved by the government, or the shop's own reasons.
func (e *Engine) offReasons(lang i18n.Lang, first, last calendar.Day) string {
	var reasons []string
	seen := map[string]bool{}
	addReason := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			reasons = append(reasons, s)
		}
	}
	for d := first; d <= last; d++ {
		info := e.shop.Info(d)
		switch info.Kind {
		case calendar.Holiday:
			addReason(i18n.Text(lang, "promise.why.holiday", nil))
		case calendar.MovedDayOff:
			addReason(i18n.Text(lang, "promise.why.moved", nil))
		case calendar.ShopDayOff:
			r := info.Name
			if r == "" {
				r = i18n.Text(lang, "promise.why.shop", nil)
			}
			addReason(r)
		}
	}
	return strings.Join(reasons, "; ")
}
