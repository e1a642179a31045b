// Package analytics measures whether care pays: how many orders and
// customers a shop has, its revenue, how many customers come back and how
// often, what a customer is worth over time (cohorts, LTV), what winning
// one costs (CAC), how often delivery promises are kept, and whether daily
// orders have dropped below their expected level.
//
// The figures come from roll-ups the journal keeps (see Rollup), so a
// report over millions of orders reads thousands of rows.
//
// The package holds SQL only for its own tables (sales_days, acquisitions,
// cohort_months, buyer_counts, delivery_days, customer_scores, alerts,
// analytics_state, marketing_spend). What it reads of the orders,
// customers, messages, parcels and users, and the analytics share it keeps
// on each customer, goes through the facts.go of their owner packages
// (order, customer, message, parcel, auth): set-based statements streamed
// to a callback, never a query per row.
package analytics

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/shopcare/shopcare/internal/callback"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Service computes the shop's analytics.
type Service struct {
	db        *store.DB
	clock     clock.Clock
	settings  config.Settings
	callbacks *callback.Service
	mail      notify.Sender
	journal   *journal.Journal
	inbox     *inbox.Service
	traffic   TrafficReader
	cache     dashboardCache
}

// Params are the collaborators of the analytics Service.
type Params struct {
	// Journal records the customers' segment changes.
	Journal *journal.Journal
	// Callbacks gives the call-back figures; nil leaves them out.
	Callbacks *callback.Service
	// Mail sends the early warnings to the owner; nil leaves them out.
	Mail notify.Sender
	// Traffic gives the shop's visitors (the traffic Service); nil
	// leaves the traffic figures and their warnings out.
	Traffic TrafficReader
}

// New returns the analytics of the shop in d.DB.
func New(d service.Deps, p Params) *Service {
	return &Service{db: d.DB, clock: d.Clock, journal: p.Journal, settings: d.Settings, callbacks: p.Callbacks, mail: p.Mail,
		traffic: p.Traffic}
}

// Window is the period a report covers: shop-local days, both ends
// included; an empty end is open.
type Window struct {
	From string `json:"from,omitempty"` // YYYY-MM-DD
	To   string `json:"to,omitempty"`
}

// ParseWindow reads --from/--to (or ?from=&to=) as YYYY-MM-DD dates.
func ParseWindow(from, to string) (Window, error) {
	for _, f := range []struct{ name, value string }{{"from", from}, {"to", to}} {
		if f.value == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, f.value); err != nil {
			return Window{}, invalid.Field(f.name, "invalid", "%q is not a date (YYYY-MM-DD)", f.value)
		}
	}
	if from != "" && to != "" && from > to {
		return Window{}, invalid.Field("to", "invalid", "%s is before from %s", to, from)
	}
	return Window{From: from, To: to}, nil
}

// Open tells whether the window covers the shop's whole history.
func (w Window) Open() bool { return w.From == "" && w.To == "" }

func (w Window) days() (string, string) {
	from, to := w.From, w.To
	if from == "" {
		from = "0000-01-01"
	}
	if to == "" {
		to = "9999-12-31"
	}
	return from, to
}

func (w Window) months() (string, string) {
	from, to := w.days()
	return from[:7], to[:7]
}

// bounds is the window as times [from, to) in loc.
func (w Window) bounds(loc *time.Location) (time.Time, time.Time) {
	from, to := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	if w.From != "" {
		d, _ := time.ParseInLocation(time.DateOnly, w.From, loc)
		from = d
	}
	if w.To != "" {
		d, _ := time.ParseInLocation(time.DateOnly, w.To, loc)
		to = d.AddDate(0, 0, 1)
	}
	return from, to
}

// Metrics is the report of `shopcare report metrics` and GET /api/v1/metrics.
type Metrics struct {
	Window
	Orders    int64 `json:"orders"`    // placed in the window, any status
	Customers int64 `json:"customers"` // customers with an order in the window
	// Revenue is the total of orders neither cancelled nor returned, in the
	// shop's currency; other currencies are in RevenueByCurrency.
	Revenue           json.Number            `json:"revenue"`
	Currency          string                 `json:"currency"`
	RevenueByCurrency map[string]json.Number `json:"revenue_by_currency"`
	AverageOrderValue json.Number            `json:"average_order_value"`
	// RepeatCustomerRate is the share of the window's buying customers
	// who had two or more counted orders by its end. Every rate of the
	// report is nil (null in JSON, "—" on pages) when it is undefined:
	// nothing to divide by, here no buying customers.
	RepeatCustomerRate *float64 `json:"repeat_customer_rate"`
	RepeatCustomers    int64    `json:"repeat_customers"`
	// NewCustomers made their first counted order in the window;
	// ReturningOrderShare is the share of the window's counted orders
	// that were not a customer's first (nil without counted orders).
	NewCustomers        int64    `json:"new_customers"`
	ReturningOrderShare *float64 `json:"returning_order_share"`
	// AverageLTV is the historical revenue per customer acquired in the
	// window, from their first order to today.
	AverageLTV json.Number `json:"average_ltv"`
	// OnTimeRate is the share of delivered orders with a promised date that
	// arrived on or before that day (shop-local), over those with both;
	// nil when none was delivered.
	OnTimeRate           *float64 `json:"on_time_rate"`
	OnTimeOrders         int64    `json:"on_time_orders"`
	DeliveredWithPromise int64    `json:"delivered_with_promise"`
	// ReturnGoal is how many active customers come back as often as the
	// shop wants, and who is drifting past it (as of today).
	ReturnGoal *ReturnGoal `json:"return_goal"`
	// Cohorts are the monthly acquisition cohorts of the window.
	Cohorts []Cohort `json:"cohorts"`
	// Channels are the acquisition channels with their CAC.
	Channels []Channel      `json:"channels"`
	Service  ServiceFigures `json:"service"`
	// Support is the support inbox's record: first-response median and
	// the share of answers within target; nil when the shop has no inbox.
	Support *SupportFigures `json:"support"`
	// Delivery breaks the promise record down by carrier and route, with
	// the average delay and what is at risk, late or stuck now.
	Delivery *Delivery `json:"delivery"`
	// Traffic is the window's visitors beside its orders, with the
	// conversion; nil (null) when the shop counts no traffic.
	Traffic *TrafficFigures `json:"traffic"`
	// Alert is the early warning raised last and not dismissed, if any.
	Alert *Alert `json:"alert"`
	// Warnings say what the figures leave out, in plain words: orders in
	// a currency other than the shop's, which count only in
	// RevenueByCurrency. Empty when there is nothing to say.
	Warnings []string `json:"warnings"`
}

// ServiceFigures holds the service figures.
type ServiceFigures struct {
	// CallbackOnTimeShare is the share of call-backs due in the window
	// made within the target (shop.callback_within); nil when none was
	// due.
	CallbackOnTimeShare *float64 `json:"callback_on_time_share"`
	Callbacks           int      `json:"callbacks"`
	// MessagesPerOrder is the messages sent about the window's orders
	// per order; nil without orders.
	MessagesPerOrder *float64 `json:"messages_per_order"`
	MessagesSent     int64    `json:"messages_sent"`
}

// Metrics computes the report for the window.
func (s *Service) Metrics(ctx context.Context, w Window) (*Metrics, error) {
	q := s.db.Read()
	currency := s.settings.Shop.Currency
	m := &Metrics{Window: w, Currency: currency, RevenueByCurrency: map[string]json.Number{}, Cohorts: []Cohort{}, Channels: []Channel{},
		Warnings: []string{}}
	fromDay, toDay := w.days()
	var counted, shopRevenue, shopCounted int64
	err := store.Each(ctx, q, `SELECT currency, CAST(SUM(orders) AS BIGINT), CAST(SUM(counted) AS BIGINT), CAST(SUM(revenue_minor) AS BIGINT)
		FROM sales_days WHERE day >= $1 AND day <= $2 GROUP BY currency ORDER BY currency`, []any{fromDay, toDay}, func(r store.Rows) error {
		var cur string
		var orders, n, sum int64
		if err := r.Scan(&cur, &orders, &n, &sum); err != nil {
			return err
		}
		m.Orders += orders
		counted += n
		m.RevenueByCurrency[cur] = json.Number(money.Format(sum, money.Scale(cur)))
		if cur == currency {
			shopRevenue, shopCounted = sum, n
		} else if orders > 0 {
			m.Warnings = append(m.Warnings, ForeignCurrencyWarning(orders, cur, currency))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sum sales: %w", err)
	}
	scale := money.Scale(currency)
	m.Revenue = json.Number(money.Format(shopRevenue, scale))
	m.AverageOrderValue = s.amount(0)
	if shopCounted > 0 {
		m.AverageOrderValue = s.amount(int64(math.Round(float64(shopRevenue) / float64(shopCounted))))
	}
	if err := q.QueryRow(ctx, `SELECT CAST(COALESCE(SUM(customers), 0) AS BIGINT) FROM acquisitions WHERE day >= $1 AND day <= $2`,
		fromDay, toDay).Scan(&m.NewCustomers); err != nil {
		return nil, fmt.Errorf("count new customers: %w", err)
	}
	if err := s.customers(ctx, q, w, m); err != nil {
		return nil, err
	}
	m.ReturningOrderShare = rate(max(counted-m.NewCustomers, 0), counted)
	if m.Delivery, err = computeDelivery(ctx, q, w); err != nil {
		return nil, err
	}
	s.onTime(m)
	if m.Cohorts, err = s.cohorts(ctx, q, w); err != nil {
		return nil, err
	}
	var acquired, ltv int64
	for _, c := range m.Cohorts {
		acquired += c.Customers
		ltv += c.revenue
	}
	m.AverageLTV = s.amount(0)
	if acquired > 0 {
		m.AverageLTV = s.amount(int64(math.Round(float64(ltv) / float64(acquired))))
	}
	if m.Channels, err = s.channels(ctx, q, w); err != nil {
		return nil, err
	}
	if m.ReturnGoal, err = s.returnGoal(ctx, q); err != nil {
		return nil, err
	}
	if err := s.service(ctx, q, w, m); err != nil {
		return nil, err
	}
	if err := s.support(ctx, w, m); err != nil {
		return nil, err
	}
	if m.Traffic, err = s.trafficFigures(ctx, q, w); err != nil {
		return nil, err
	}
	if m.Alert, err = s.LatestAlert(ctx); err != nil {
		return nil, err
	}
	return m, nil
}

// amount formats minor units of the shop's currency.
func (s *Service) amount(minor int64) json.Number {
	return json.Number(money.Format(minor, money.Scale(s.settings.Shop.Currency)))
}

// customers counts the window's buying customers and the repeat ones: over
// the whole history from the customers' own totals, for a window from its
// orders and m.NewCustomers (counted first).
func (s *Service) customers(ctx context.Context, q store.Querier, w Window, m *Metrics) error {
	var buyers int64
	var repeat *int64
	if w.Open() {
		err := q.QueryRow(ctx, `SELECT CAST(COALESCE(SUM(customers), 0) AS BIGINT),
			CAST(COALESCE(SUM(CASE WHEN purchases > 0 THEN customers END), 0) AS BIGINT),
			CAST(SUM(CASE WHEN purchases >= 2 THEN customers END) AS BIGINT) FROM buyer_counts`).Scan(&m.Customers, &buyers, &repeat)
		if err != nil {
			return fmt.Errorf("count customers: %w", err)
		}
	} else {
		from, to := w.bounds(s.settings.Shop.Location())
		fromDay, _ := w.days()
		// A buyer of the window had two counted orders by its end when they
		// were acquired before it or bought twice in it. Those who were
		// not are the window's new customers less those of them who bought
		// twice in it: so only the few who bought twice are looked up,
		// not every buyer (order.FactsCountBuyers, the same count, reads
		// each buyer's acquisition day: 270,000 of them in a month of 10M
		// orders). Clamped, should the roll-ups be behind the orders.
		b, err := order.FactsCountBuyerShares(ctx, q, from, to, fromDay)
		if err != nil {
			return fmt.Errorf("count customers: %w", err)
		}
		n := min(max(b.Buyers-(m.NewCustomers-b.SeveralAcquired), b.Several), b.Buyers)
		m.Customers, buyers, repeat = b.Customers, b.Buyers, &n
	}
	if repeat != nil {
		m.RepeatCustomers = *repeat
	}
	m.RepeatCustomerRate = rate(m.RepeatCustomers, buyers)
	return nil
}

// onTime is the promise record of the orders delivered in the window.
func (s *Service) onTime(m *Metrics) {
	m.DeliveredWithPromise, m.OnTimeOrders = m.Delivery.Delivered, m.Delivery.OnTime
	m.OnTimeRate = rate(m.OnTimeOrders, m.DeliveredWithPromise)
}

// service reads the call-back and message figures of the window.
func (s *Service) service(ctx context.Context, q store.Querier, w Window, m *Metrics) error {
	from, to := w.bounds(s.settings.Shop.Location())
	if s.callbacks != nil {
		st, err := s.callbacks.Stats(ctx, from, to)
		if err != nil {
			return err
		}
		m.Service.Callbacks, m.Service.CallbackOnTimeShare = st.Due, rate(int64(st.OnTime), int64(st.Due))
	}
	sent, err := message.FactsCountSentAboutOrders(ctx, q, from, to)
	if err != nil {
		return fmt.Errorf("count messages sent: %w", err)
	}
	m.Service.MessagesSent = sent
	if m.Orders > 0 {
		per := math.Round(float64(m.Service.MessagesSent)/float64(m.Orders)*100) / 100
		m.Service.MessagesPerOrder = &per
	}
	return nil
}

// rate is part/whole rounded to four places; nil, an undefined rate,
// when whole is 0.
func rate(part, whole int64) *float64 {
	if whole == 0 {
		return nil
	}
	r := ratio(part, whole)
	return &r
}

// ForeignCurrencyWarning says that orders in another currency than the
// shop's are left out of the figures in the shop's currency (revenue,
// the spend model): "3 orders in USD, the shop counts RUB: …". The CSV
// import's summary and the reports say it alike.
func ForeignCurrencyWarning(orders int64, currency, shop string) string {
	noun := "orders"
	if orders == 1 {
		noun = "order"
	}
	return fmt.Sprintf("%d %s in %s, the shop counts %s: they count only in revenue_by_currency, not in revenue, "+
		"average order value or the CLV models", orders, noun, currency, shop)
}

// ratio is part/whole rounded to four places, 0 when whole is 0.
func ratio(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(float64(part)/float64(whole)*10000) / 10000
}
