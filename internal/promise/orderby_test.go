package promise

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestOrderBy(t *testing.T) {
	t.Parallel()
	e := engine(t, moscow)
	tests := []struct {
		name, placed, want string
	}{
		{"a Tuesday morning: today's cut-off", "2026-11-24T09:30:00+03:00", "2026-11-24T14:00:00+03:00"},
		{"at the cut-off itself", "2026-11-24T14:00:00+03:00", "2026-11-24T14:00:00+03:00"},
		{"a second after it: tomorrow's", "2026-11-24T14:00:01+03:00", "2026-11-25T14:00:00+03:00"},
		{"Friday afternoon: Monday's", "2026-11-27T15:20:00+03:00", "2026-11-30T14:00:00+03:00"},
		{"Sunday, any time", "2026-11-29T08:00:00+03:00", "2026-11-30T14:00:00+03:00"},
		{"New Year's Eve: after the holidays", "2025-12-31T19:40:00+03:00", "2026-01-12T14:00:00+03:00"},
		{"in another zone, the shop's clock counts", "2026-11-24T12:30:00+01:00", "2026-11-25T14:00:00+03:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := e.Quote(Request{PlacedAt: at(t, tt.placed)})
			if err != nil {
				t.Fatal(err)
			}
			if got := e.OrderBy(d); !got.Equal(at(t, tt.want)) || got.Location() != e.Location() {
				t.Errorf("OrderBy = %s, want %s in the shop's zone", got.Format(time.RFC3339), tt.want)
			}
		})
	}
}

// TestOrderByHoldsTheDates checks what the widget relies on, at random
// moments over two years: an order at any time up to OrderBy gets the
// same dates as one now, and one a second later gets later dates.
func TestOrderByHoldsTheDates(t *testing.T) {
	t.Parallel()
	e := engine(t, moscow)
	rng := rand.New(rand.NewPCG(23, 10))
	start := at(t, "2025-12-01T00:00:00+03:00")
	for range 2000 {
		now := start.Add(time.Duration(rng.Int64N(int64(2 * 365 * 24 * time.Hour))))
		d, err := e.Quote(Request{PlacedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		by := e.OrderBy(d)
		if by.Before(now) {
			t.Fatalf("at %s: order by %s is in the past", now, by)
		}
		mid := now.Add(by.Sub(now) / 2)
		for _, at := range []time.Time{mid, by} {
			if got, _ := e.Quote(Request{PlacedAt: at}); got != d {
				t.Fatalf("placed at %s (order by %s from %s): %+v, want %+v", at, by, now, got, d)
			}
		}
		if later, _ := e.Quote(Request{PlacedAt: by.Add(time.Second)}); later.Received <= d.Received {
			t.Fatalf("a second after %s the order is still received on %s", by, later.Received)
		}
	}
}
