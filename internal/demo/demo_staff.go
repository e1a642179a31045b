package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/callback"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/packing"
	"github.com/shopcare/shopcare/internal/task"
)

// The demo's own people at work, by the logins Users gives them.
const (
	staffOperator = "operator@demo.shop"
	staffPacker   = "packer@demo.shop"
)

// maxStaffWork bounds the call-backs and packings one step does, so a
// step after a long pause stays short; the rest waits for the next.
const maxStaffWork = 200

// callWork is an open call-back as the demo's operator sees it.
type callWork struct {
	task     int64
	due      time.Time
	created  time.Time
	attempts int
	address  string
	carrier  string
	city     string
	country  string
	zone     string
}

// staff plays the shop's own people, so the demo's queues look like a
// working shop's however long it runs: the operator calls the customers
// back, most well within callback_within, through the same outcomes a
// person records in the admin (reached with the address confirmed, no
// answer and tried again later, now and then a wrong number); the packer
// packs the orders being processed within a few working hours, ticking
// the sheet's checklist. Whatever a person using the demo does first
// (a call-back recorded, an order packed) the staff leave alone.
func (l *Live) staff(ctx context.Context, now time.Time, rep *StepReport) error {
	if err := l.call(ctx, now, rep); err != nil {
		return err
	}
	return l.pack(ctx, now, rep)
}

// call makes the call-backs whose moment has come by now.
func (l *Live) call(ctx context.Context, now time.Time, rep *StepReport) error {
	within := time.Duration(l.a.Settings.Shop.CallbackWithin)
	var work []callWork
	err := task.EachCallbackDue(ctx, l.a.DB.Read(), now.Add(within), maxStaffWork, func(d task.CallbackDue) error {
		work = append(work, callWork{task: d.TaskID, due: d.DueAt, created: d.CreatedAt, attempts: d.Attempts,
			address: d.Address, carrier: d.Carrier, city: d.City, country: d.Country, zone: d.Zone})
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo: call-backs due: %w", err)
	}
	for _, w := range work {
		if l.callAt(w).After(now) {
			continue
		}
		if err := l.callOne(ctx, w, rep); err != nil {
			return err
		}
	}
	return nil
}

// callAt is when the operator makes a call-back's next call: most first
// calls within callback_within of the task's start (the shop's next
// working moment after the order came in), one in seven a little after
// it is due; a retry soon after it is due again. Always at a moment the
// operator may call the customer, and never pushed past the night: a
// call that would be is made when due.
func (l *Live) callAt(w callWork) time.Time {
	within := time.Duration(l.a.Settings.Shop.CallbackWithin)
	j := l.jitter(w.task, 16+uint64(w.attempts))
	base, delay := w.due, time.Duration(j%30)*time.Minute
	if w.attempts == 0 {
		base = w.due.Add(-within)
		if base.Before(w.created) {
			base = w.created
		}
		span := max(w.due.Sub(base), 10*time.Minute)
		delay = 5*time.Minute + time.Duration(j%uint64(span*9/10))
		if j>>32%100 < 14 {
			delay = span + time.Duration(j>>40%40)*time.Minute
		}
	}
	at := l.a.Playbook.NextCallTime(base.Add(delay), l.zone(w.zone))
	if at.After(w.due.Add(within)) {
		at = w.due
	}
	return at
}

// callOne records the outcome of one call: mostly the customer answers
// and confirms the address (and, for a courier, a time window); some do
// not answer, and the call is tried again later (after the shop's
// callback_tries the task closes and the customer gets an e-mail); now
// and then the number is wrong. A call-back someone closed meanwhile is
// left alone.
func (l *Live) callOne(ctx context.Context, w callWork, rep *StepReport) error {
	roll := l.jitter(w.task, 32+uint64(w.attempts)) % 100
	noAnswer := uint64(16)
	if w.attempts > 0 {
		noAnswer = 30
	}
	var err error
	switch {
	case w.attempts == 0 && roll < 2:
		_, err = l.a.Callbacks.WrongNumber(ctx, w.task, staffOperator)
		rep.WrongNumber++
	case roll < 2+noAnswer:
		_, err = l.a.Callbacks.NoAnswer(ctx, w.task, staffOperator)
		rep.NoAnswer++
	default:
		in := callback.ReachedInput{Address: w.address}
		if in.Address == "" {
			in.Address = address(l.rnd, place{name: w.city, country: w.country})
		}
		if c, ok := l.a.Settings.Carrier(w.carrier); ok && c.PickupHoldDays == 0 {
			if windows := l.a.Callbacks.Windows(); len(windows) > 0 {
				in.Window = windows[roll%uint64(len(windows))].Code
			}
		}
		_, err = l.a.Callbacks.Reached(ctx, w.task, in, staffOperator)
		rep.Reached++
	}
	var bad invalid.List
	switch {
	case errors.Is(err, callback.ErrTaskClosed), errors.As(err, &bad):
		return nil // someone in the admin got there first, or the order changed under the call
	case err != nil:
		return fmt.Errorf("demo: call back (task %d): %w", w.task, err)
	}
	return nil
}

// pack packs the orders that have been processing for a few working
// hours, and not before their ship day.
func (l *Live) pack(ctx context.Context, now time.Time, rep *StepReport) error {
	open, err := l.open(ctx)
	if err != nil {
		return err
	}
	var work []int64
	for _, o := range open {
		if o.status != order.Processing || l.packAt(o).After(now) {
			continue
		}
		work = append(work, o.id)
		if len(work) == maxStaffWork {
			break
		}
	}
	cal := l.a.Promises.Engine().Calendar()
	for _, id := range work {
		sheet, err := packing.Build(ctx, l.a.DB.Read(), l.a.Settings, cal, id, now)
		if err != nil {
			return fmt.Errorf("demo: packing sheet: %w", err)
		}
		ticked := make([]string, len(sheet.Checklist))
		for i, c := range sheet.Checklist {
			ticked[i] = c.ID
		}
		res, err := packing.Finish(ctx, l.a.DB, l.a.Orders, sheet, ticked, staffPacker, now)
		switch {
		case errors.Is(err, packing.ErrNotProcessing):
			continue // moved on in the admin meanwhile
		case err != nil:
			return fmt.Errorf("demo: pack order %d: %w", id, err)
		case res.Moved:
			rep.Packed++
		}
	}
	return nil
}

// packAt is when the packer packs an order being processed: one to four
// working hours after it took the status.
func (l *Live) packAt(o *openOrder) time.Time {
	after := time.Hour + time.Duration(l.jitter(o.id, 5)%(3*60))*time.Minute
	return l.workingMoment(l.workingMoment(o.since).Add(after))
}

// zone is the customer's time zone by its name; the shop's when the name
// is not one.
func (l *Live) zone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return l.a.Settings.Shop.Location()
}
