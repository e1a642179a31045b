package clv

import (
	"fmt"
	"math"
)

// Horizon is the window a customer's value is predicted over: Periods
// periods of PeriodLength model time units each (30 for months when the
// model is fitted in days), discounted at Discount per period.
type Horizon struct {
	Periods      int
	PeriodLength float64
	Discount     float64 // per period, e.g. 0.01 for 1% a month
}

// Validate checks that the horizon is usable.
func (h Horizon) Validate() error {
	switch {
	case h.Periods < 0:
		return fmt.Errorf("horizon: periods %d is negative", h.Periods)
	case !(h.PeriodLength > 0) || math.IsInf(h.PeriodLength, 0):
		return fmt.Errorf("horizon: period length %v is not a positive number", h.PeriodLength)
	case !(h.Discount > -1) || math.IsInf(h.Discount, 0):
		return fmt.Errorf("horizon: discount %v is not a number above -1", h.Discount)
	}
	return nil
}

// CLV returns c's discounted predicted value over h:
//
//	CLV = Σ_{k=1..K} (E[Y(kL)] − E[Y((k−1)L)]) · E[Z] / (1+d)^k
//
// where E[Y(t)] is the BG/NBD expected number of purchases in (T, T+t]
// (Params.ExpectedPurchases), E[Z] the Gamma-Gamma expected spend per
// purchase (SpendParams.ExpectedSpend), K the number of periods, L their
// length and d the discount rate per period: each period's expected
// purchases times the expected spend, discounted to the end of that
// period. It is spend, not margin: multiply by the margin for profit.
func CLV(p Params, s SpendParams, c Customer, h Horizon) (float64, error) {
	if err := h.Validate(); err != nil {
		return 0, fmt.Errorf("CLV of customer %d: %w", c.ID, err)
	}
	if err := c.Validate(); err != nil {
		return 0, fmt.Errorf("CLV: %w", err)
	}
	spend := s.ExpectedSpend(c)
	if spend == 0 {
		return 0, nil
	}
	value := DiscountedPurchases(p, c, h) * spend
	if math.IsNaN(value) {
		return 0, fmt.Errorf("CLV of customer %d: prediction is not a number (q ≤ 1 or the expectation failed)", c.ID)
	}
	return value, nil
}

// DiscountedPurchases is c's expected purchases over h, each period's
// discounted to its end: CLV with a spend of one per purchase, for a
// caller that has its own expected spend.
func DiscountedPurchases(p Params, c Customer, h Horizon) float64 {
	var total, prev float64
	factor := 1.0
	for k := 1; k <= h.Periods; k++ {
		cum := p.ExpectedPurchases(c, float64(k)*h.PeriodLength)
		factor /= 1 + h.Discount
		total += (cum - prev) * factor
		prev = cum
	}
	return total
}
