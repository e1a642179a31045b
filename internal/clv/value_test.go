package clv

import (
	"math"
	"testing"
)

func TestCLV(t *testing.T) {
	t.Parallel()
	month := Horizon{Periods: 12, PeriodLength: 30, Discount: 0.01}
	c := Customer{ID: 1, Frequency: 4, Recency: 200, T: 250, Monetary: 40}

	v, err := CLV(cdnowDays, cdnowSpend, c, month)
	if err != nil {
		t.Fatal(err)
	}
	// Without discount the value is expected purchases × expected spend.
	flat := month
	flat.Discount = 0
	undiscounted, err := CLV(cdnowDays, cdnowSpend, c, flat)
	if err != nil {
		t.Fatal(err)
	}
	within(t, "undiscounted CLV", undiscounted, cdnowDays.ExpectedPurchases(c, 360)*cdnowSpend.ExpectedSpend(c), 1e-12)
	if !(v > 0 && v < undiscounted) {
		t.Errorf("CLV %v with a 1%% discount, %v without", v, undiscounted)
	}

	prev := -1.0
	for _, periods := range []int{0, 1, 6, 12, 36} {
		h := month
		h.Periods = periods
		got, err := CLV(cdnowDays, cdnowSpend, c, h)
		if err != nil {
			t.Fatal(err)
		}
		if periods == 0 && got != 0 || periods > 0 && !(got > prev) {
			t.Errorf("CLV over %d months %v, not above %v", periods, got, prev)
		}
		prev = got
	}

	prev = math.Inf(1)
	for _, d := range []float64{0, 0.01, 0.05, 0.2} {
		h := month
		h.Discount = d
		got, err := CLV(cdnowDays, cdnowSpend, c, h)
		if err != nil {
			t.Fatal(err)
		}
		if !(got < prev) {
			t.Errorf("CLV at discount %v is %v, not below %v", d, got, prev)
		}
		prev = got
	}

	zero := c
	zero.Monetary = 0
	if got, err := CLV(cdnowDays, cdnowSpend, zero, month); err != nil || got != 0 {
		t.Errorf("zero-spend customer: CLV %v, %v; want 0", got, err)
	}
	// A one-time buyer is valued at the population's mean spend.
	if got, err := CLV(cdnowDays, cdnowSpend, Customer{T: 100}, month); err != nil || !(got > 0) {
		t.Errorf("one-time buyer: CLV %v, %v; want a positive value", got, err)
	}
}

func TestCLVRejects(t *testing.T) {
	t.Parallel()
	c := Customer{ID: 1, Frequency: 1, Recency: 5, T: 10, Monetary: 3}
	for _, h := range []Horizon{
		{Periods: -1, PeriodLength: 30},
		{Periods: 12, PeriodLength: 0},
		{Periods: 12, PeriodLength: 30, Discount: -1},
		{Periods: 12, PeriodLength: 30, Discount: math.NaN()},
	} {
		if _, err := CLV(cdnowDays, cdnowSpend, c, h); err == nil {
			t.Errorf("horizon %+v accepted", h)
		}
	}
	bad := c
	bad.Recency = 11
	if _, err := CLV(cdnowDays, cdnowSpend, bad, Horizon{Periods: 1, PeriodLength: 30}); err == nil {
		t.Error("recency beyond T accepted")
	}
}
