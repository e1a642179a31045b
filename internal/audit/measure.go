package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/callback"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/store"
)

// Measure is a figure shopcare keeps itself about a touch point, shown
// beside its checklist: last month's and this month's so far.
type Measure struct {
	// Key names the figure: callback_on_time, callback_first_call,
	// support_within_target, support_overdue, delivery_on_time,
	// pickup_reminders, nps.
	Key string `json:"key"`
	// Unit is how Value reads: share (0–1), count, seconds, nps (−100…100).
	Unit   string         `json:"unit"`
	Months []MeasureMonth `json:"months"`
}

// MeasureMonth is a figure's value in one month: nil when there was
// nothing to measure; Base is what it was measured over (call-backs
// due, answers, orders delivered, survey answers).
type MeasureMonth struct {
	Month string   `json:"month"` // YYYY-MM
	Value *float64 `json:"value"`
	Base  int64    `json:"base"`
}

// The units of a Measure.
const (
	UnitShare   = "share"
	UnitCount   = "count"
	UnitSeconds = "seconds"
	UnitNPS     = "nps"
)

// span is one month of business time in the shop's zone: [From, To)
// cut at now, and its days.
type span struct {
	Month         string
	From, To      time.Time
	FirstDay, Day string // the month's first day and its last counted day
}

// spans returns last month's and this month's span at now.
func (s *Service) spans(now time.Time) []span {
	loc := s.deps.Settings.Shop.Location()
	local := now.In(loc)
	this := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, loc)
	prev := this.AddDate(0, -1, 0)
	return []span{
		{Month: prev.Format("2006-01"), From: prev, To: this, FirstDay: prev.Format(time.DateOnly),
			Day: this.AddDate(0, 0, -1).Format(time.DateOnly)},
		{Month: this.Format("2006-01"), From: this, To: now, FirstDay: this.Format(time.DateOnly),
			Day: local.Format(time.DateOnly)},
	}
}

// Measures returns what shopcare measures of each touch point at now,
// from the sources the Service was given.
func (s *Service) Measures(ctx context.Context, now time.Time) (map[Point][]Measure, error) {
	out := map[Point][]Measure{}
	spans := s.spans(now)
	add := func(p Point, key, unit string, f func(sp span) (*float64, int64, error)) error {
		m := Measure{Key: key, Unit: unit}
		for _, sp := range spans {
			v, base, err := f(sp)
			if err != nil {
				return fmt.Errorf("audit figure %s of %s: %w", key, sp.Month, err)
			}
			m.Months = append(m.Months, MeasureMonth{Month: sp.Month, Value: v, Base: base})
		}
		out[p] = append(out[p], m)
		return nil
	}
	if src := s.p.Callbacks; src != nil {
		stats := once(func(sp span) (callback.Stats, error) { return src.Stats(ctx, sp.From, sp.To) })
		if err := add(PointCall, "callback_on_time", UnitShare, func(sp span) (*float64, int64, error) {
			st, err := stats(sp)
			return share(int64(st.OnTime), int64(st.Due)), int64(st.Due), err
		}); err != nil {
			return nil, err
		}
		if err := add(PointCall, "callback_first_call", UnitSeconds, func(sp span) (*float64, int64, error) {
			st, err := stats(sp)
			if err != nil || st.Attempted == 0 {
				return nil, int64(st.Attempted), err
			}
			v := st.MedianFirstCall.Seconds()
			return &v, int64(st.Attempted), nil
		}); err != nil {
			return nil, err
		}
	}
	if src := s.p.Inbox; src != nil {
		metrics := once(func(sp span) (inbox.Metrics, error) { return src.Metrics(ctx, sp.From, sp.To) })
		if err := add(PointSupport, "support_within_target", UnitShare, func(sp span) (*float64, int64, error) {
			m, err := metrics(sp)
			return share(int64(m.WithinTarget), int64(m.Responses)), int64(m.Responses), err
		}); err != nil {
			return nil, err
		}
		if err := add(PointSupport, "support_overdue", UnitCount, func(sp span) (*float64, int64, error) {
			m, err := metrics(sp)
			v := float64(m.Overdue)
			return &v, int64(m.Conversations), err
		}); err != nil {
			return nil, err
		}
	}
	if src := s.p.Deliveries; src != nil {
		if err := add(PointDelivery, "delivery_on_time", UnitShare, func(sp span) (*float64, int64, error) {
			delivered, onTime, err := src.OnTimeBetween(ctx, sp.FirstDay, sp.Day)
			return share(onTime, delivered), delivered, err
		}); err != nil {
			return nil, err
		}
	}
	if src := s.p.Pickups; src != nil {
		if err := add(PointPickup, "pickup_reminders", UnitCount, func(sp span) (*float64, int64, error) {
			n, parcels, err := src.RemindersSentBetween(ctx, sp.From, sp.To)
			v := float64(n)
			return &v, parcels, err
		}); err != nil {
			return nil, err
		}
	}
	if src := s.p.Surveys; src != nil {
		if err := add(PointFollowUp, "nps", UnitNPS, func(sp span) (*float64, int64, error) {
			pro, pas, det, err := src.NPSBetween(ctx, sp.From, sp.To)
			n := int64(pro + pas + det)
			if err != nil || n == 0 {
				return nil, n, err
			}
			v := float64(100*(pro-det)) / float64(n)
			return &v, n, nil
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// once remembers f's answer per month, so that two figures of one
// source read it once.
func once[T any](f func(span) (T, error)) func(span) (T, error) {
	type answer struct {
		v   T
		err error
	}
	seen := map[string]answer{}
	return func(sp span) (T, error) {
		a, ok := seen[sp.Month]
		if !ok {
			a.v, a.err = f(sp)
			seen[sp.Month] = a
		}
		return a.v, a.err
	}
}

// share is part/whole, nil when whole is 0.
func share(part, whole int64) *float64 {
	if whole == 0 {
		return nil
	}
	v := float64(part) / float64(whole)
	return &v
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

func errUnknownPoint(p Point) error {
	return fmt.Errorf("touch point %q: %w", p, store.ErrNotFound)
}
