package analytics

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/store"
)

// Spend is the marketing spend on one acquisition channel in one month.
type Spend struct {
	Month    string      `json:"month"` // YYYY-MM
	Channel  string      `json:"channel"`
	Amount   json.Number `json:"amount"`
	Currency string      `json:"currency"`
}

// SpendSet records (or replaces) the spend of a channel in a month, in
// the shop's currency: amount is a decimal like "15000.50".
func (s *Service) SpendSet(ctx context.Context, month, channel, amount string) (Spend, error) {
	for _, f := range []struct{ field, value string }{{"month", month}, {"channel", channel}, {"amount", amount}} {
		if e := invalid.Text(f.field, f.value); e != nil {
			return Spend{}, e
		}
	}
	channel = strings.TrimSpace(channel)
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return Spend{}, invalid.Field("month", "invalid", "%q is not a month (YYYY-MM)", month)
	}
	if !invalid.InRange(m) {
		return Spend{}, invalid.Field("month", "out_of_range", "%s is outside the years %d–%d", month, invalid.FirstYear, invalid.LastYear)
	}
	if channel == "" || len(channel) > 64 {
		return Spend{}, invalid.Field("channel", "invalid", "a channel is a name of 1 to 64 characters, like the orders' channel")
	}
	currency := s.settings.Shop.Currency
	minor, err := money.Parse(strings.TrimSpace(amount), money.Scale(currency))
	if err != nil || minor < 0 {
		return Spend{}, invalid.Field("amount", "invalid", "%q is not an amount of %s", amount, currency)
	}
	if minor > money.MaxAmount {
		return Spend{}, invalid.Field("amount", "too_large", "must be at most %s", money.Format(money.MaxAmount, money.Scale(currency)))
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO marketing_spend (month, channel, amount_minor, currency, updated_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (month, channel) DO UPDATE SET amount_minor = excluded.amount_minor, currency = excluded.currency,
			updated_at = excluded.updated_at`, month, channel, minor, currency, s.clock.Now())
		return err
	})
	if err != nil {
		return Spend{}, fmt.Errorf("save spend of %s in %s: %w", channel, month, err)
	}
	return Spend{Month: month, Channel: channel, Amount: s.amount(minor), Currency: currency}, nil
}

// SpendList returns the spend entered, newest month first.
func (s *Service) SpendList(ctx context.Context) ([]Spend, error) {
	out := []Spend{}
	err := store.Each(ctx, s.db.Read(), `SELECT month, channel, amount_minor, currency FROM marketing_spend ORDER BY month DESC, channel`, nil,
		func(r store.Rows) error {
			var sp Spend
			var minor int64
			if err := r.Scan(&sp.Month, &sp.Channel, &minor, &sp.Currency); err != nil {
				return err
			}
			sp.Amount = json.Number(money.Format(minor, money.Scale(sp.Currency)))
			out = append(out, sp)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("list marketing spend: %w", err)
	}
	return out, nil
}

// Channel is what customers acquired through one channel cost and bring.
type Channel struct {
	Channel   string      `json:"channel"` // "" for orders without one
	Customers int64       `json:"customers"`
	Spend     json.Number `json:"spend"`
	// CAC is the spend per customer acquired; absent without spend or
	// customers.
	CAC *json.Number `json:"cac"`
	// LTV is the revenue per acquired customer to date.
	LTV json.Number `json:"ltv"`
	// LTVToCAC is LTV × gross margin / CAC; PaybackMonths the months after
	// the acquisition month by which the margin of the average customer
	// covered the CAC (0: in the first month), absent when not yet.
	LTVToCAC      *float64 `json:"ltv_to_cac"`
	PaybackMonths *int     `json:"payback_months"`
}

// channels reads the window's acquisitions and spend per channel.
func (s *Service) channels(ctx context.Context, q store.Querier, w Window) ([]Channel, error) {
	fromDay, toDay := w.days()
	fromMonth, toMonth := w.months()
	type tally struct{ customers, spend int64 }
	byChannel := map[string]*tally{}
	get := func(ch string) *tally {
		t := byChannel[ch]
		if t == nil {
			t = &tally{}
			byChannel[ch] = t
		}
		return t
	}
	err := store.Each(ctx, q, `SELECT channel, CAST(SUM(customers) AS BIGINT) FROM acquisitions WHERE day >= $1 AND day <= $2 GROUP BY channel`,
		[]any{fromDay, toDay}, func(r store.Rows) error {
			var ch string
			var n int64
			if err := r.Scan(&ch, &n); err != nil {
				return err
			}
			get(ch).customers += n
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("count acquisitions by channel: %w", err)
	}
	err = store.Each(ctx, q, `SELECT channel, CAST(SUM(amount_minor) AS BIGINT) FROM marketing_spend
		WHERE month >= $1 AND month <= $2 AND currency = $3 GROUP BY channel`, []any{fromMonth, toMonth, s.settings.Shop.Currency},
		func(r store.Rows) error {
			var ch string
			var n int64
			if err := r.Scan(&ch, &n); err != nil {
				return err
			}
			get(ch).spend += n
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sum spend by channel: %w", err)
	}
	margin := s.settings.Analytics.GrossMarginPercent / 100
	out := []Channel{}
	for _, ch := range slices.Sorted(maps.Keys(byChannel)) {
		t := byChannel[ch]
		c := Channel{Channel: ch, Customers: t.customers, Spend: s.amount(t.spend), LTV: s.amount(0)}
		cohorts, err := s.buildCohorts(ctx, q, w, &ch)
		if err != nil {
			return nil, err
		}
		var customers, revenue int64
		for _, co := range cohorts {
			customers += co.Customers
			revenue += co.revenue
		}
		c.LTV = s.amount(perCustomer(revenue, customers))
		if t.spend > 0 && t.customers > 0 {
			cac := float64(t.spend) / float64(t.customers)
			v := s.amount(int64(math.Round(cac)))
			c.CAC = &v
			r := math.Round(float64(perCustomer(revenue, customers))*margin/cac*100) / 100
			c.LTVToCAC = &r
			c.PaybackMonths = payback(cohorts, cac, margin)
		}
		out = append(out, c)
	}
	return out, nil
}

// payback is the first month k at which the average customer's cumulative
// margin (over the cohorts old enough to have a month k) reaches cac.
func payback(cohorts []Cohort, cac, margin float64) *int {
	for k := 0; ; k++ {
		var customers, revenue int64
		for _, c := range cohorts {
			if k < len(c.cumulative) {
				customers += c.Customers
				revenue += c.cumulative[k]
			}
		}
		if customers == 0 {
			return nil
		}
		if float64(revenue)/float64(customers)*margin >= cac {
			return &k
		}
	}
}
