// Package analytics measures whether care pays: how many orders and
// customers a shop has, its revenue, how many customers come back, and how
// often its delivery promises are kept.
package analytics

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/store"
)

// Metrics is the report of `shopcare report metrics` and GET /api/v1/metrics.
type Metrics struct {
	Orders    int64 `json:"orders"`
	Customers int64 `json:"customers"` // customers with at least one order
	// Revenue is the total of orders neither cancelled nor returned, in the
	// shop's currency; other currencies are in RevenueByCurrency.
	Revenue           json.Number            `json:"revenue"`
	Currency          string                 `json:"currency"`
	RevenueByCurrency map[string]json.Number `json:"revenue_by_currency"`
	AverageOrderValue json.Number            `json:"average_order_value"`
	// RepeatCustomerRate is the share of customers with two or more
	// (not cancelled) orders.
	RepeatCustomerRate float64 `json:"repeat_customer_rate"`
	RepeatCustomers    int64   `json:"repeat_customers"`
	// OnTimeRate is the share of delivered orders with a promised date that
	// arrived on or before that day (shop-local), over those with both.
	OnTimeRate           float64 `json:"on_time_rate"`
	OnTimeOrders         int64   `json:"on_time_orders"`
	DeliveredWithPromise int64   `json:"delivered_with_promise"`
	// Delivery breaks the promise record down by carrier and route, with
	// the average delay and what is at risk, late or stuck now.
	Delivery *Delivery `json:"delivery"`
}

// Compute reads the metrics from the store; currency is the shop's.
func Compute(ctx context.Context, q store.Querier, currency string) (*Metrics, error) {
	m := &Metrics{Currency: currency, RevenueByCurrency: map[string]json.Number{}}
	err := q.QueryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT customer_id) FROM orders`).Scan(&m.Orders, &m.Customers)
	if err != nil {
		return nil, fmt.Errorf("count orders: %w", err)
	}

	rows, err := q.Query(ctx, `SELECT currency, CAST(SUM(total_minor) AS BIGINT), COUNT(*) FROM orders
		WHERE status NOT IN ('cancelled', 'returned') GROUP BY currency`)
	if err != nil {
		return nil, fmt.Errorf("sum revenue: %w", err)
	}
	var shopRevenue, shopOrders int64
	for rows.Next() {
		var cur string
		var sum, n int64
		if err := rows.Scan(&cur, &sum, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sum revenue: %w", err)
		}
		m.RevenueByCurrency[cur] = json.Number(money.Format(sum, money.Scale(cur)))
		if cur == currency {
			shopRevenue, shopOrders = sum, n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sum revenue: %w", err)
	}
	scale := money.Scale(currency)
	m.Revenue = json.Number(money.Format(shopRevenue, scale))
	m.AverageOrderValue = json.Number(money.Format(0, scale))
	if shopOrders > 0 {
		m.AverageOrderValue = json.Number(money.Format(int64(math.Round(float64(shopRevenue)/float64(shopOrders))), scale))
	}

	var buyers int64
	var repeat *int64
	err = q.QueryRow(ctx, `SELECT COUNT(*), CAST(SUM(CASE WHEN n >= 2 THEN 1 ELSE 0 END) AS BIGINT)
		FROM (SELECT customer_id, COUNT(*) AS n FROM orders WHERE status <> 'cancelled' GROUP BY customer_id) AS c`).
		Scan(&buyers, &repeat)
	if err != nil {
		return nil, fmt.Errorf("count repeat customers: %w", err)
	}
	if repeat != nil {
		m.RepeatCustomers = *repeat
	}
	m.RepeatCustomerRate = ratio(m.RepeatCustomers, buyers)

	// Only promises a customer was given count: those shopcare made, and
	// those the shop gave itself (promised_to). A past order imported
	// without one has dates computed for it, but nobody was told them.
	var onTime *int64
	err = q.QueryRow(ctx, `SELECT COUNT(*), CAST(SUM(CASE WHEN delivered_on <= promised_to THEN 1 ELSE 0 END) AS BIGINT)
		FROM orders WHERE delivered_on IS NOT NULL AND promised_to IS NOT NULL AND (promise_given OR NOT history)`).Scan(&m.DeliveredWithPromise, &onTime)
	if err != nil {
		return nil, fmt.Errorf("count on-time deliveries: %w", err)
	}
	if onTime != nil {
		m.OnTimeOrders = *onTime
	}
	m.OnTimeRate = ratio(m.OnTimeOrders, m.DeliveredWithPromise)
	if m.Delivery, err = ComputeDelivery(ctx, q); err != nil {
		return nil, err
	}
	return m, nil
}

// ratio is part/whole rounded to four places, 0 when whole is 0.
func ratio(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(float64(part)/float64(whole)*10000) / 10000
}
