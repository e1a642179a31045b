package analytics

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// LTVMonths are the ages, in months after the acquisition month, the
// cohorts report their cumulative revenue per customer at.
var LTVMonths = []int{1, 3, 6, 12}

// Cohort is the customers acquired in one month: how many of them bought
// again in each month after, and what they have spent.
type Cohort struct {
	Month     string `json:"month"` // YYYY-MM of the first counted order
	Customers int64  `json:"customers"`
	// Active[k] is how many of them bought in month k after the
	// acquisition month (Active[0] == Customers), Retention[k] that share.
	Active    []int64   `json:"active"`
	Retention []float64 `json:"retention"`
	// Revenue[k] is the cumulative revenue per customer by the end of
	// month k, in the shop's currency.
	Revenue []json.Number `json:"revenue_per_customer"`
	// LTV is the cumulative revenue per customer after 1, 3, 6 and 12
	// months (keys "1", "3", …), for the ages the cohort has completed.
	LTV map[string]json.Number `json:"ltv"`

	revenue    int64   // to date, minor units
	cumulative []int64 // minor units per cohort, by month
}

// monthIndex is a YYYY-MM month as a count of months.
func monthIndex(m string) int {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return 0
	}
	return t.Year()*12 + int(t.Month()) - 1
}

// cohortCells reads the cohort cells of the window's acquisition months,
// of one channel when channel is not nil.
func cohortCells(ctx context.Context, q store.Querier, w Window, channel *string, cell func(cohort, month string, c cohortCell)) error {
	from, to := w.months()
	query := `SELECT cohort, month, CAST(SUM(customers) AS BIGINT), CAST(SUM(orders) AS BIGINT), CAST(SUM(revenue_minor) AS BIGINT)
		FROM cohort_months WHERE cohort >= $1 AND cohort <= $2 GROUP BY cohort, month ORDER BY cohort, month`
	args := []any{from, to}
	if channel != nil {
		query = `SELECT cohort, month, customers, orders, revenue_minor FROM cohort_months
			WHERE cohort >= $1 AND cohort <= $2 AND channel = $3 ORDER BY cohort, month`
		args = append(args, *channel)
	}
	return store.Each(ctx, q, query, args, func(r store.Rows) error {
		var cohort, month string
		var c cohortCell
		if err := r.Scan(&cohort, &month, &c.customers, &c.orders, &c.revenue); err != nil {
			return err
		}
		cell(cohort, month, c)
		return nil
	})
}

// buildCohorts turns cells (ordered by cohort, month) into cohorts whose
// arrays run to the last month with data (never past the month now): a
// shop whose history ends months ago does not get a tail of months that
// only look like nobody came back.
func (s *Service) buildCohorts(ctx context.Context, q store.Querier, w Window, channel *string) ([]Cohort, error) {
	now := monthIndex(s.clock.Now().In(s.settings.Shop.Location()).Format("2006-01"))
	type cellAt struct {
		cohort, month string
		cell          cohortCell
	}
	var cells []cellAt
	last := 0
	err := cohortCells(ctx, q, w, channel, func(cohort, month string, cell cohortCell) {
		cells = append(cells, cellAt{cohort, month, cell})
		last = max(last, monthIndex(month))
	})
	if err != nil {
		return nil, fmt.Errorf("read cohorts: %w", err)
	}
	last = min(last, now)
	cohorts := []Cohort{}
	for _, ca := range cells {
		cohort, month, cell := ca.cohort, ca.month, ca.cell
		if n := len(cohorts); n == 0 || cohorts[n-1].Month != cohort {
			age := max(last-monthIndex(cohort), 0)
			cohorts = append(cohorts, Cohort{Month: cohort, Active: make([]int64, age+1), cumulative: make([]int64, age+1)})
		}
		c := &cohorts[len(cohorts)-1]
		k := monthIndex(month) - monthIndex(cohort)
		if k < 0 || k >= len(c.Active) {
			continue // a month after now: the clock went back
		}
		if k == 0 {
			c.Customers = cell.customers
		}
		c.Active[k] += cell.customers
		c.cumulative[k] += cell.revenue
		c.revenue += cell.revenue
	}
	for i := range cohorts {
		c := &cohorts[i]
		c.Retention = make([]float64, len(c.Active))
		c.Revenue = make([]json.Number, len(c.Active))
		c.LTV = map[string]json.Number{}
		for k := range c.Active {
			if k > 0 {
				c.cumulative[k] += c.cumulative[k-1]
			}
			c.Retention[k] = ratio(c.Active[k], c.Customers)
			c.Revenue[k] = s.amount(perCustomer(c.cumulative[k], c.Customers))
		}
		for _, k := range LTVMonths {
			// Month k is complete once month k+1 has begun.
			if k+1 < len(c.Active) {
				c.LTV[fmt.Sprint(k)] = c.Revenue[k]
			}
		}
	}
	return cohorts, nil
}

func (s *Service) cohorts(ctx context.Context, q store.Querier, w Window) ([]Cohort, error) {
	return s.buildCohorts(ctx, q, w, nil)
}

func perCustomer(minor, customers int64) int64 {
	if customers == 0 {
		return 0
	}
	return int64(math.Round(float64(minor) / float64(customers)))
}
