package analytics

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/clv"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// CLVOptions choose what `report clv` fits.
type CLVOptions struct {
	// Until is the last shop-local day of observation (YYYY-MM-DD); orders
	// after it are left out. Empty: yesterday.
	Until string
	// Unit is "day" (default) or "week": model time is days, or days / 7.
	Unit string
}

// CLVReport is the output of `shopcare report clv --json`.
type CLVReport struct {
	Model         string      `json:"model"` // "bgnbd"
	Unit          string      `json:"unit"`
	Until         string      `json:"until"`
	Customers     int         `json:"customers"`
	RepeatBuyers  int         `json:"repeat_buyers"`
	Params        *BGNBD      `json:"params"` // nil when the model could not be fitted
	LogLikelihood *float64    `json:"log_likelihood"`
	GammaGamma    *GammaGamma `json:"gamma_gamma"`
	// Intervals are the 95% confidence intervals of the parameters, from
	// the Hessian at the optimum.
	Intervals map[string][2]float64 `json:"intervals,omitempty"`
	// Reliable is false when the data are too few or the estimate is
	// poorly determined; Warnings say why, in plain words.
	Reliable bool     `json:"reliable"`
	Warnings []string `json:"warnings"`
	// Historical are the plain figures the report falls back on.
	Historical Historical `json:"historical"`
	// DiscountRatePercent is the yearly rate the predicted values are
	// discounted at (analytics.discount_rate_percent).
	DiscountRatePercent float64 `json:"discount_rate_percent"`
}

// BGNBD are the fitted BG/NBD parameters.
type BGNBD struct {
	R     float64 `json:"r"`
	Alpha float64 `json:"alpha"`
	A     float64 `json:"a"`
	B     float64 `json:"b"`
}

// GammaGamma are the fitted spend model's parameters and how many repeat
// buyers with spend it was fitted over. Gamma, the scale of spend, is in
// the shop's currency units like every amount of the report (p and q
// have none).
type GammaGamma struct {
	P         float64 `json:"p"`
	Q         float64 `json:"q"`
	Gamma     float64 `json:"gamma"`
	Customers int     `json:"customers"`
}

// Historical are figures that need no model.
type Historical struct {
	Customers int `json:"customers"`
	// PurchasesPerCustomer counts purchase days.
	PurchasesPerCustomer float64 `json:"purchases_per_customer"`
	// AverageSpend is the mean spend of a purchase day, and RevenuePerCustomer
	// the historical LTV, in the shop's currency.
	AverageSpend       float64  `json:"average_spend"`
	RevenuePerCustomer float64  `json:"revenue_per_customer"`
	RepeatRate         *float64 `json:"repeat_rate"` // nil without customers
}

// Scored is one customer's summary and predictions; money in minor units
// of the shop's currency.
type Scored struct {
	clv.Customer
	FirstDay, LastDay string
	Purchases         int   // purchase days
	SpentMinor        int64 // total
	MonetaryMinor     int64 // mean spend of the repeat purchase days
	Expected30        float64
	Expected90        float64
	Expected365       float64
	PAlive            float64
	CLVMinor          int64
	Predicted         bool // false: no model, the predictions are absent
	RFM               string
	Segment           string
	unit              float64 // days per unit of model time
}

// purchaseDay is one customer's counted spend on one shop-local day.
type purchaseDay struct {
	day   int // days since 1970-01-01
	spend int64
}

// CLV fits the BG/NBD and Gamma-Gamma models to the shop's customers and
// predicts each one's purchases, probability of being active and value.
// With too little data it says so in the report and predicts nothing, but
// still returns the customers' historical summaries.
func (s *Service) CLV(ctx context.Context, opts CLVOptions) (*CLVReport, []Scored, error) {
	rep, until, unit, err := s.clvReport(opts)
	if err != nil {
		return nil, nil, err
	}
	var scored []Scored
	var t clvTally
	foreign, err := s.summaries(ctx, until, unit, func(c Scored) error {
		scored = append(scored, c)
		return t.add(c)
	})
	if err != nil {
		return nil, nil, err
	}
	m, err := s.clvFit(rep, &t, foreign)
	if err != nil {
		return nil, nil, err
	}
	if !m.fitted {
		s.segment(scored, false)
		return rep, scored, nil
	}
	p, spend := m.params, m.spend
	monthly := math.Pow(1+s.settings.Analytics.DiscountRatePercent/100, 1.0/12) - 1
	horizon := clv.Horizon{Periods: 12, PeriodLength: 30 / unit, Discount: monthly}
	scale := math.Pow10(s.scale())
	for i := range scored {
		c := &scored[i]
		c.Predicted = true
		c.Expected30 = p.ExpectedPurchases(c.Customer, 30/unit)
		c.Expected90 = p.ExpectedPurchases(c.Customer, 90/unit)
		c.Expected365 = p.ExpectedPurchases(c.Customer, 365/unit)
		c.PAlive = p.ProbAlive(c.Customer)
		var value float64
		if spend != nil {
			value, err = clv.CLV(p, *spend, c.Customer, horizon)
			if err != nil {
				return nil, nil, err
			}
		} else {
			mean := rep.Historical.AverageSpend * scale
			if c.Frequency > 0 {
				mean = c.Monetary
			}
			value = clv.DiscountedPurchases(p, c.Customer, horizon) * mean
		}
		c.CLVMinor = int64(math.Round(value))
	}
	s.segment(scored, true)
	return rep, scored, nil
}

// CLVReport fits the models as CLV does and returns only the report, not
// the customers: it streams the purchases once and keeps the models'
// inputs (one count per distinct summary, 16 bytes per repeat buyer), so
// it runs in about constant memory over millions of customers.
func (s *Service) CLVReport(ctx context.Context, opts CLVOptions) (*CLVReport, error) {
	rep, until, unit, err := s.clvReport(opts)
	if err != nil {
		return nil, err
	}
	var t clvTally
	foreign, err := s.summaries(ctx, until, unit, t.add)
	if err != nil {
		return nil, err
	}
	if _, err := s.clvFit(rep, &t, foreign); err != nil {
		return nil, err
	}
	return rep, nil
}

// clvReport reads the options into an empty report, the last day of
// observation and the days per unit of model time.
func (s *Service) clvReport(opts CLVOptions) (*CLVReport, time.Time, float64, error) {
	unit := 1.0
	switch opts.Unit {
	case "", "day":
		opts.Unit = "day"
	case "week":
		unit = 7
	default:
		return nil, time.Time{}, 0, fmt.Errorf("unit %q: want day or week", opts.Unit)
	}
	until := s.today().AddDate(0, 0, -1)
	if opts.Until != "" {
		t, err := time.Parse(time.DateOnly, opts.Until)
		if err != nil {
			return nil, time.Time{}, 0, fmt.Errorf("until %q: want a date (YYYY-MM-DD)", opts.Until)
		}
		until = t
	}
	rep := &CLVReport{Model: "bgnbd", Unit: opts.Unit, Until: until.Format(time.DateOnly), Warnings: []string{},
		DiscountRatePercent: s.settings.Analytics.DiscountRatePercent}
	return rep, until, unit, nil
}

// clvTally sums the customers up as they stream by: the models' inputs
// and the historical figures.
type clvTally struct {
	sums              clv.Summaries
	customers, repeat int
	purchases, spent  int64
}

func (t *clvTally) add(c Scored) error {
	if err := t.sums.Add(c.Customer); err != nil {
		return fmt.Errorf("fit the BG/NBD model: fit BG/NBD: %w", err)
	}
	t.customers++
	if c.Frequency > 0 {
		t.repeat++
	}
	t.purchases += int64(c.Purchases)
	t.spent += c.SpentMinor
	return nil
}

// clvModel is what the predictions need of the fits.
type clvModel struct {
	fitted bool // false: the report falls back on the history
	params clv.Params
	spend  *clv.SpendParams // nil: each customer's own mean spend
}

// clvFit fills rep from the tally: the historical figures, the fits and
// what they leave out.
func (s *Service) clvFit(rep *CLVReport, t *clvTally, foreign map[string]int64) (clvModel, error) {
	for _, cur := range slices.Sorted(maps.Keys(foreign)) {
		rep.Warnings = append(rep.Warnings, ForeignCurrencyWarning(foreign[cur], cur, s.settings.Shop.Currency)+
			"; their spend counts as nothing")
	}
	rep.Customers, rep.RepeatBuyers = t.customers, t.repeat
	scale := math.Pow10(s.scale())
	if n := t.customers; n > 0 {
		rep.Historical = Historical{Customers: n, PurchasesPerCustomer: round2(float64(t.purchases) / float64(n)),
			RevenuePerCustomer: round2(float64(t.spent) / float64(n) / scale), RepeatRate: rate(int64(rep.RepeatBuyers), int64(n))}
		if t.purchases > 0 {
			rep.Historical.AverageSpend = round2(float64(t.spent) / float64(t.purchases) / scale)
		}
	}

	fit, err := t.sums.FitBGNBD()
	if err != nil && !errors.Is(err, clv.ErrNotEnoughData) {
		return clvModel{}, fmt.Errorf("fit the BG/NBD model: %w", err)
	}
	if err != nil || fit.Degenerate != "" || !finite(fit.Params.R, fit.Params.Alpha, fit.Params.A, fit.Params.B, fit.LogLikelihood) {
		// A fit that ran to the edge of its range, did not converge or
		// has no Hessian is no result: the report falls back on the
		// history, as for too little data, and says why.
		why := "too few repeat purchases to tell"
		if err == nil {
			why = "the estimate did not settle, the purchases do not follow the model's pattern"
			if fit.Degenerate != "" {
				why += ": " + fit.Degenerate
			}
		}
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("The purchase model could not be fitted (%s): %d customers, %d of them repeat buyers. "+
			"The figures are historical only.", why, rep.Customers, rep.RepeatBuyers))
		return clvModel{}, nil
	}
	p := fit.Params
	rep.Params = &BGNBD{R: p.R, Alpha: p.Alpha, A: p.A, B: p.B}
	ll := fit.LogLikelihood
	rep.LogLikelihood = &ll
	rep.Reliable = fit.Reliable
	rep.Warnings = append(rep.Warnings, fit.Warnings...)
	rep.Intervals = map[string][2]float64{}
	interval := func(name string, lo, hi float64) {
		if finite(lo, hi) {
			rep.Intervals[name] = [2]float64{lo, hi}
		}
	}
	interval("r", fit.Lower.R, fit.Upper.R)
	interval("alpha", fit.Lower.Alpha, fit.Upper.Alpha)
	interval("a", fit.Lower.A, fit.Upper.A)
	interval("b", fit.Lower.B, fit.Upper.B)
	// The spend model: each customer's own mean spend when it cannot be
	// fitted, the population's for those with no repeat purchase.
	m := clvModel{fitted: true, params: p}
	sf, err := t.sums.FitGammaGamma()
	switch {
	case err == nil && sf.Degenerate == "" && finite(sf.Params.P, sf.Params.Q, sf.Params.Gamma) && sf.Params.Q > 1:
		m.spend = &sf.Params
		// γ is a rate of money: fitted on minor units, reported in the
		// shop's currency units like every other amount.
		rep.GammaGamma = &GammaGamma{P: sf.Params.P, Q: sf.Params.Q, Gamma: sf.Params.Gamma / scale, Customers: sf.Customers}
		interval("p", sf.Lower.P, sf.Upper.P)
		interval("q", sf.Lower.Q, sf.Upper.Q)
		interval("gamma", sf.Lower.Gamma/scale, sf.Upper.Gamma/scale)
		rep.Reliable = rep.Reliable && sf.Reliable
		rep.Warnings = append(rep.Warnings, sf.Warnings...)
	case err == nil || errors.Is(err, clv.ErrNotEnoughData):
		rep.Reliable = false
		why := ""
		if err == nil && sf.Degenerate != "" {
			why = " (" + sf.Degenerate + ")"
		}
		rep.Warnings = append(rep.Warnings, "The spend model could not be fitted"+why+"; predicted values use each customer's average spend.")
	default:
		return clvModel{}, fmt.Errorf("fit the Gamma-Gamma model: %w", err)
	}
	return m, nil
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// finite tells whether every value is a finite number.
func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

func (s *Service) scale() int { return money.Scale(s.settings.Shop.Currency) }

// summaries reads each customer's purchase days up to until and sums them
// up as the models take them: a day's counted orders are one purchase, its
// spend their sum (in the shop's currency); frequency is the purchase days
// after the first, recency the time from the first to the last, T from the
// first to the end of until, and the monetary value the mean spend of the
// repeat days. Orders in another currency than the shop's count as
// purchases of no spend; foreign counts them by currency. Each customer's
// summary goes to fn as soon as their last order is read, by customer id.
func (s *Service) summaries(ctx context.Context, until time.Time, unit float64, fn func(Scored) error) (map[string]int64, error) {
	loc := s.settings.Shop.Location()
	end := time.Date(until.Year(), until.Month(), until.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	endDay := dayNumber(until)
	foreign := map[string]int64{}
	var current int64
	var days []purchaseDay
	flush := func() error {
		if len(days) == 0 {
			return nil
		}
		err := fn(summarise(current, days, endDay, unit))
		days = days[:0]
		return err
	}
	shop := s.settings.Shop.Currency
	err := order.FactsPurchaseRowsEach(ctx, s.db.Read(), s.db.Engine(), end, shop,
		func(f *order.PurchaseRow) error {
			id, total := f.CustomerID, f.TotalMinor
			if id != current {
				if err := flush(); err != nil {
					return err
				}
				current = id
			}
			if f.Foreign != nil {
				total = 0
				foreign[*f.Foreign]++
			}
			y, m, d := f.PlacedAt.In(loc).Date()
			day := dayNumber(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
			if n := len(days); n > 0 && days[n-1].day == day {
				days[n-1].spend += total
				return nil
			}
			days = append(days, purchaseDay{day: day, spend: total})
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read purchases for the CLV: %w", err)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return foreign, nil
}

func dayNumber(t time.Time) int { return int(t.Unix() / 86400) }

// summarise turns one customer's purchase days (oldest first) into the
// models' summary.
func summarise(id int64, days []purchaseDay, endDay int, unit float64) Scored {
	first, last := days[0], days[len(days)-1]
	c := Scored{Purchases: len(days), unit: unit}
	c.ID = id
	c.Frequency = float64(len(days) - 1)
	c.T = float64(endDay-first.day) / unit
	if c.Frequency > 0 {
		c.Recency = float64(last.day-first.day) / unit
	}
	var repeat int64
	for i, d := range days {
		c.SpentMinor += d.spend
		if i > 0 {
			repeat += d.spend
		}
	}
	if c.Frequency > 0 {
		c.MonetaryMinor = int64(math.Round(float64(repeat) / c.Frequency))
		c.Monetary = float64(repeat) / c.Frequency
	}
	c.FirstDay = time.Unix(int64(first.day)*86400, 0).UTC().Format(time.DateOnly)
	c.LastDay = time.Unix(int64(last.day)*86400, 0).UTC().Format(time.DateOnly)
	return c
}
