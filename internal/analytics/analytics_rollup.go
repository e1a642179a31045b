package analytics

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Rollup keeps the analytics roll-ups (migration 00011) from the order
// events, in the transaction that appends them (journal.Project), so the
// reports are as current as the orders:
//   - sales_days adds up each order once, by the shop-local day it was
//     placed, its channel and currency;
//   - acquisitions and cohort_months are recomputed for every customer an
//     event touches, from their counted orders: the customer's previous
//     share (kept in customers.activity) is taken back and the new one
//     added. That makes them exact whatever the order of events, and a
//     customer whose older history is imported later moves cohorts.
//     A customer whose only events in a batch are new orders (an import
//     chunk, the intake) has the new orders folded into the kept share in
//     memory (contribution.addCreated), without reading their orders; the
//     rest, and the rare new order whose place among the customer's orders
//     the share cannot tell, are recomputed from their orders.
type Rollup struct {
	db       *store.DB
	loc      *time.Location
	currency string
}

// NewRollup returns the roll-up keeper for the shop of d.Settings: its
// time zone and its currency.
func NewRollup(d service.Deps) *Rollup {
	return &Rollup{db: d.DB, loc: d.Settings.Shop.Location(), currency: d.Settings.Shop.Currency}
}

// HandleEvents folds a batch of order events into the roll-ups.
func (r *Rollup) HandleEvents(ctx context.Context, tx *store.Tx, events []journal.Event) error {
	type change struct {
		created    bool
		sign       int64 // counted orders: +1 counted again, -1 uncounted
		totalMinor int64
		delta      int64 // revenue added by a changed total (order.changed)
	}
	changes := map[int64][]change{}
	var orderIDs, delivered []int64
	customers := map[int64]bool{}
	// Customers whose only changes in the batch are new orders, and those.
	created := map[int64][]createdOrder{}
	recount := map[int64]bool{}
	for _, e := range events {
		if e.OrderID == 0 || e.Kind != journal.OrderCreated && e.Kind != journal.OrderStatusChanged && e.Kind != journal.OrderChanged {
			continue
		}
		var f struct {
			event.OrderFacts
			Status, From, To string
		}
		if err := e.Decode(&f); err != nil {
			return err
		}
		if e.Kind == journal.OrderCreated && f.Status == "delivered" || f.To == "delivered" && f.From != "delivered" {
			delivered = append(delivered, e.OrderID)
		}
		c := change{created: e.Kind == journal.OrderCreated, totalMinor: f.TotalMinor}
		switch {
		case e.Kind == journal.OrderChanged:
			// A counted order's new total: TotalMinor is the difference.
			if !f.Counted {
				continue
			}
			c.delta = f.TotalMinor
		case c.created && f.Counted, f.Recounted:
			c.sign = 1
		case f.Uncounted:
			c.sign = -1
		case !c.created:
			continue // a status change that leaves the order's count as it was
		}
		// An order's event names its id only once it is written; the
		// intake appends its events after the orders.
		if _, seen := changes[e.OrderID]; !seen {
			orderIDs = append(orderIDs, e.OrderID)
		}
		changes[e.OrderID] = append(changes[e.OrderID], c)
		if e.CustomerID != 0 {
			customers[e.CustomerID] = true
			if c.created && !recount[e.CustomerID] {
				created[e.CustomerID] = append(created[e.CustomerID], createdOrder{id: e.OrderID, counted: c.sign == 1, totalMinor: f.TotalMinor})
			} else {
				recount[e.CustomerID] = true
			}
		}
	}
	for id := range recount {
		delete(created, id)
	}
	if len(orderIDs) == 0 && len(delivered) == 0 {
		return nil
	}

	sales := map[salesKey]*salesCell{}
	facts := make(map[int64]order.SaleFact, len(orderIDs))
	err := order.FactsSalesEach(ctx, tx, orderIDs, func(f order.SaleFact) error {
		facts[f.ID] = f
		k := salesKey{f.PlacedAt.In(r.loc).Format(time.DateOnly), f.Channel, f.Currency}
		cell := sales[k]
		if cell == nil {
			cell = &salesCell{}
			sales[k] = cell
		}
		for _, c := range changes[f.ID] {
			if c.created {
				cell.orders++
			}
			cell.counted += c.sign
			cell.revenue += c.sign*c.totalMinor + c.delta
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read orders for the sales roll-up: %w", err)
	}
	if err := r.deliveries(ctx, tx, delivered); err != nil {
		return err
	}
	for _, orders := range created {
		for i := range orders {
			f, ok := facts[orders[i].id]
			if !ok {
				return fmt.Errorf("order %d of an order.created event is not there", orders[i].id)
			}
			orders[i].placedAt, orders[i].channel, orders[i].currency = f.PlacedAt, f.Channel, f.Currency
		}
	}
	if err := r.recompute(ctx, tx, slices.Sorted(maps.Keys(customers)), created); err != nil {
		return err
	}
	// The day's sales row is the one every order of the day adds to: it
	// is written last, so that on PostgreSQL concurrent intake
	// transactions wait on its lock only for the commit, not for the
	// reads above (issue 22). Every writer takes the roll-ups' rows in
	// this same order.
	return addSales(ctx, tx, sales)
}

// createdOrder is an order new in a batch, as the roll-ups fold it into
// its customer's share.
type createdOrder struct {
	id                int64
	counted           bool
	totalMinor        int64
	placedAt          time.Time
	channel, currency string
}

// recompute replaces the share of each of the customers in the cohorts and
// acquisitions by the one their counted orders give now. The customers in
// created have had nothing happen but those new orders: their shares are
// the kept ones with the orders added, where that is exact.
func (r *Rollup) recompute(ctx context.Context, tx *store.Tx, ids []int64, created map[int64][]createdOrder) error {
	if len(ids) == 0 {
		return nil
	}
	old := make(map[int64]contribution, len(ids))
	err := customer.FactsEachOf(ctx, tx, ids, func(a customer.Analytics) error {
		months, err := parseActivity(a.Activity)
		if err != nil {
			return fmt.Errorf("customer %d: %w", a.ID, err)
		}
		old[a.ID] = contribution{placed: a.Placed, purchases: a.Purchases, acquiredOn: a.AcquiredOn, channel: a.AcquiredChannel,
			lastOn: a.LastPurchaseOn, months: months}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read customers' analytics: %w", err)
	}
	folded := make(map[int64]contribution, len(created))
	var reread []int64
	for _, id := range ids {
		if orders, ok := created[id]; ok {
			if c, ok := old[id].addCreated(orders, r.loc, r.currency); ok {
				folded[id] = c
				continue
			}
		}
		reread = append(reread, id)
	}
	builders := make(map[int64]*contributionBuilder, len(reread))
	err = order.FactsEachOfCustomers(ctx, tx, reread, func(f order.CustomerOrderFact) error {
		o := newCountedOrder(f)
		b := builders[o.customerID]
		if b == nil {
			b = &contributionBuilder{loc: r.loc, currency: r.currency}
			builders[o.customerID] = b
		}
		b.add(o)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read customers' counted orders: %w", err)
	}
	delta := newRollupDelta()
	var updates []customerContribution
	for _, id := range ids {
		now, ok := folded[id]
		if b := builders[id]; !ok && b != nil {
			now = b.done()
		}
		was := old[id]
		if was.equal(now) {
			continue
		}
		delta.add(was, -1)
		delta.add(now, 1)
		updates = append(updates, customerContribution{id: id, contribution: now})
	}
	if err := delta.apply(ctx, tx); err != nil {
		return err
	}
	return r.saveContributions(ctx, tx, updates)
}

// countedOrder is one order as the roll-ups read it.
type countedOrder struct {
	customerID, totalMinor int64
	placedAt               time.Time
	currency, channel      string
	counted                bool // neither cancelled nor returned
}

// newCountedOrder is the roll-ups' view of an order's facts.
func newCountedOrder(f order.CustomerOrderFact) countedOrder {
	return countedOrder{customerID: f.CustomerID, totalMinor: f.TotalMinor, placedAt: f.PlacedAt, currency: f.Currency,
		channel: f.Channel, counted: counts(f.Status)}
}

// counts tells whether an order in status counts toward revenue (as
// order.Status.Counted).
func counts(status string) bool { return status != "cancelled" && status != "returned" }

// contribution is what one customer adds to the roll-ups.
type contribution struct {
	placed, purchases   int64  // orders, and those counted
	acquiredOn, channel string // day of the first counted order, its channel
	lastOn              string // day of the last counted order
	months              []monthActivity
}

type monthActivity struct {
	month           string // YYYY-MM
	orders, revenue int64
}

func (c contribution) equal(o contribution) bool {
	return c.placed == o.placed && c.purchases == o.purchases && c.acquiredOn == o.acquiredOn && c.channel == o.channel &&
		c.lastOn == o.lastOn && slices.Equal(c.months, o.months)
}

// activity encodes the months as "YYYY-MM orders revenue;…".
func (c contribution) activity() string {
	var b strings.Builder
	for i, m := range c.months {
		if i > 0 {
			b.WriteByte(';')
		}
		fmt.Fprintf(&b, "%s %d %d", m.month, m.orders, m.revenue)
	}
	return b.String()
}

func parseActivity(s string) ([]monthActivity, error) {
	if s == "" {
		return nil, nil
	}
	var months []monthActivity
	for part := range strings.SplitSeq(s, ";") {
		f := strings.Fields(part)
		if len(f) != 3 {
			return nil, fmt.Errorf("analytics activity %q: want month, orders and revenue", part)
		}
		orders, err1 := strconv.ParseInt(f[1], 10, 64)
		revenue, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil || len(f[0]) != 7 {
			return nil, fmt.Errorf("analytics activity %q: malformed", part)
		}
		months = append(months, monthActivity{month: f[0], orders: orders, revenue: revenue})
	}
	return months, nil
}

// contributionBuilder takes a customer's orders oldest first.
type contributionBuilder struct {
	loc      *time.Location
	currency string
	c        contribution
}

func (b *contributionBuilder) add(o countedOrder) {
	b.c.placed++
	if !o.counted {
		return
	}
	day := o.placedAt.In(b.loc).Format(time.DateOnly)
	if b.c.purchases == 0 {
		b.c.acquiredOn, b.c.channel = day, o.channel
	}
	b.c.purchases++
	b.c.lastOn = day
	revenue := int64(0)
	if o.currency == b.currency {
		revenue = o.totalMinor
	}
	month := day[:7]
	if n := len(b.c.months); n > 0 && b.c.months[n-1].month == month {
		b.c.months[n-1].orders++
		b.c.months[n-1].revenue += revenue
		return
	}
	b.c.months = append(b.c.months, monthActivity{month: month, orders: 1, revenue: revenue})
}

func (b *contributionBuilder) done() contribution { return b.c }

// addCreated returns c with the new orders added, as contributionBuilder
// would have built it from all the customer's orders; ok is false when c
// cannot tell: a counted order on the day of the customer's first counted
// order, which may come before or after it (same day, the earlier time
// wins, and c keeps only the day).
func (c contribution) addCreated(orders []createdOrder, loc *time.Location, currency string) (contribution, bool) {
	slices.SortFunc(orders, func(a, b createdOrder) int {
		if n := a.placedAt.Compare(b.placedAt); n != 0 {
			return n
		}
		return cmp.Compare(a.id, b.id)
	})
	c.months = slices.Clone(c.months)
	firstIsNew := false // the first counted order is one of orders, earlier in the slice
	for _, o := range orders {
		c.placed++
		if !o.counted {
			continue
		}
		day := o.placedAt.In(loc).Format(time.DateOnly)
		switch {
		case c.purchases == 0 || day < c.acquiredOn:
			c.acquiredOn, c.channel = day, o.channel
			firstIsNew = true
		case day == c.acquiredOn && !firstIsNew:
			return contribution{}, false
		}
		c.purchases++
		c.lastOn = max(c.lastOn, day)
		revenue := int64(0)
		if o.currency == currency {
			revenue = o.totalMinor
		}
		month := day[:7]
		i, found := slices.BinarySearchFunc(c.months, month, func(m monthActivity, month string) int { return strings.Compare(m.month, month) })
		if !found {
			c.months = slices.Insert(c.months, i, monthActivity{month: month})
		}
		c.months[i].orders++
		c.months[i].revenue += revenue
	}
	return c, true
}

type salesKey struct{ day, channel, currency string }

type salesCell struct{ orders, counted, revenue int64 }

type acquisitionKey struct{ day, channel string }

type cohortKey struct{ cohort, channel, month string }

type cohortCell struct{ customers, orders, revenue int64 }

// rollupDelta gathers changes to the acquisitions and cohorts.
type rollupDelta struct {
	acquisitions map[acquisitionKey]int64
	cohorts      map[cohortKey]*cohortCell
	buyers       map[int64]int64 // by counted orders: 0, 1, 2 (and more)
	shrank       bool            // something was taken back
}

func newRollupDelta() *rollupDelta {
	return &rollupDelta{acquisitions: map[acquisitionKey]int64{}, cohorts: map[cohortKey]*cohortCell{}, buyers: map[int64]int64{}}
}

// add adds (sign 1) or takes back (sign -1) a customer's contribution.
func (d *rollupDelta) add(c contribution, sign int64) {
	if c.placed > 0 {
		d.buyers[min(c.purchases, 2)] += sign
	}
	if c.acquiredOn == "" {
		return
	}
	d.shrank = d.shrank || sign < 0
	d.acquisitions[acquisitionKey{c.acquiredOn, c.channel}] += sign
	cohort := c.acquiredOn[:7]
	for _, m := range c.months {
		k := cohortKey{cohort, c.channel, m.month}
		cell := d.cohorts[k]
		if cell == nil {
			cell = &cohortCell{}
			d.cohorts[k] = cell
		}
		cell.customers += sign
		cell.orders += sign * m.orders
		cell.revenue += sign * m.revenue
	}
}

// apply adds the delta to the tables, leaving out what cancels out.
func (d *rollupDelta) apply(ctx context.Context, tx *store.Tx) error {
	var acq [][]any
	for _, k := range slices.SortedFunc(maps.Keys(d.acquisitions), func(a, b acquisitionKey) int {
		return strings.Compare(a.day+"\x00"+a.channel, b.day+"\x00"+b.channel)
	}) {
		if n := d.acquisitions[k]; n != 0 {
			acq = append(acq, []any{k.day, k.channel, n})
		}
	}
	err := store.InsertMany(ctx, tx, "acquisitions", []string{"day", "channel", "customers"}, acq,
		`ON CONFLICT (day, channel) DO UPDATE SET customers = acquisitions.customers + excluded.customers`, nil)
	if err != nil {
		return fmt.Errorf("add to acquisitions: %w", err)
	}
	var cells [][]any
	for k, c := range d.cohorts {
		if *c != (cohortCell{}) {
			cells = append(cells, []any{k.cohort, k.channel, k.month, c.customers, c.orders, c.revenue})
		}
	}
	slices.SortFunc(cells, func(a, b []any) int {
		return strings.Compare(a[0].(string)+a[1].(string)+a[2].(string), b[0].(string)+b[1].(string)+b[2].(string))
	})
	err = store.InsertMany(ctx, tx, "cohort_months", []string{"cohort", "channel", "month", "customers", "orders", "revenue_minor"}, cells,
		`ON CONFLICT (cohort, channel, month) DO UPDATE SET customers = cohort_months.customers + excluded.customers,
			orders = cohort_months.orders + excluded.orders, revenue_minor = cohort_months.revenue_minor + excluded.revenue_minor`, nil)
	if err != nil {
		return fmt.Errorf("add to cohorts: %w", err)
	}
	var buyers [][]any
	for _, k := range slices.Sorted(maps.Keys(d.buyers)) {
		if n := d.buyers[k]; n != 0 {
			buyers = append(buyers, []any{k, n})
		}
	}
	err = store.InsertMany(ctx, tx, "buyer_counts", []string{"purchases", "customers"}, buyers,
		`ON CONFLICT (purchases) DO UPDATE SET customers = buyer_counts.customers + excluded.customers`, nil)
	if err != nil {
		return fmt.Errorf("add to buyer counts: %w", err)
	}
	if d.shrank {
		// A customer moved cohorts or left them: drop the cells emptied.
		if _, err := tx.Exec(ctx, `DELETE FROM cohort_months WHERE customers = 0 AND orders = 0 AND revenue_minor = 0`); err != nil {
			return fmt.Errorf("drop empty cohort cells: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM acquisitions WHERE customers = 0`); err != nil {
			return fmt.Errorf("drop empty acquisitions: %w", err)
		}
	}
	return nil
}

// addSales adds the cells to sales_days.
func addSales(ctx context.Context, tx *store.Tx, sales map[salesKey]*salesCell) error {
	rows := make([][]any, 0, len(sales))
	for k, c := range sales {
		if *c != (salesCell{}) {
			rows = append(rows, []any{k.day, k.channel, k.currency, c.orders, c.counted, c.revenue})
		}
	}
	slices.SortFunc(rows, func(a, b []any) int {
		return strings.Compare(a[0].(string)+a[1].(string)+a[2].(string), b[0].(string)+b[1].(string)+b[2].(string))
	})
	err := store.InsertMany(ctx, tx, "sales_days", []string{"day", "channel", "currency", "orders", "counted", "revenue_minor"}, rows,
		`ON CONFLICT (day, channel, currency) DO UPDATE SET orders = sales_days.orders + excluded.orders,
			counted = sales_days.counted + excluded.counted, revenue_minor = sales_days.revenue_minor + excluded.revenue_minor`, nil)
	if err != nil {
		return fmt.Errorf("add to sales days: %w", err)
	}
	return nil
}

// customerContribution is a customer's new share, to be saved.
type customerContribution struct {
	id int64
	contribution
}

// saveContributions writes the customers' shares (see customer.FactsSave).
func (r *Rollup) saveContributions(ctx context.Context, tx *store.Tx, cs []customerContribution) error {
	if len(cs) == 0 {
		return nil
	}
	as := make([]customer.Analytics, len(cs))
	for i, c := range cs {
		as[i] = customer.Analytics{ID: c.id, Placed: c.placed, Purchases: c.purchases, AcquiredOn: c.acquiredOn,
			AcquiredChannel: c.channel, LastPurchaseOn: c.lastOn, Activity: c.activity()}
	}
	return customer.FactsSave(ctx, tx, r.db.Engine(), as)
}

type deliveryKey struct{ day, carrier, country, city string }

type deliveryCell struct{ delivered, onTime, late, delayDays int64 }

// deliveryCells folds delivered orders into the promise record.
type deliveryCells map[deliveryKey]*deliveryCell

// add counts n orders delivered on deliveredOn and promised for
// promisedTo (YYYY-MM-DD both).
func (d deliveryCells) add(deliveredOn, promisedTo, carrier, country, city string, n int64) {
	k := deliveryKey{deliveredOn, carrier, country, city}
	c := d[k]
	if c == nil {
		c = &deliveryCell{}
		d[k] = c
	}
	c.delivered += n
	if deliveredOn <= promisedTo {
		c.onTime += n
		return
	}
	c.late += n
	c.delayDays += n * int64(daysBetween(promisedTo, deliveredOn))
}

// deliveries adds the orders just delivered to the promise record.
func (r *Rollup) deliveries(ctx context.Context, tx *store.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	cells := deliveryCells{}
	err := order.FactsDeliveredEachOf(ctx, tx, ids, cells.scan)
	if err != nil {
		return fmt.Errorf("read delivered orders: %w", err)
	}
	return cells.save(ctx, tx)
}

// scan adds the delivered orders of f; it is the callback of
// order.FactsDeliveredEach.
func (d deliveryCells) scan(f order.DeliveredFact) error {
	d.add(f.DeliveredOn, f.PromisedTo, f.Carrier, f.Country, f.City, f.Orders)
	return nil
}

func (d deliveryCells) save(ctx context.Context, tx *store.Tx) error {
	rows := make([][]any, 0, len(d))
	for k, c := range d {
		rows = append(rows, []any{k.day, k.carrier, k.country, k.city, c.delivered, c.onTime, c.late, c.delayDays})
	}
	slices.SortFunc(rows, func(a, b []any) int {
		return strings.Compare(fmt.Sprint(a[:4]...), fmt.Sprint(b[:4]...))
	})
	err := store.InsertMany(ctx, tx, "delivery_days", []string{"day", "carrier", "country", "city", "delivered", "on_time", "late", "delay_days"}, rows,
		`ON CONFLICT (day, carrier, country, city) DO UPDATE SET delivered = delivery_days.delivered + excluded.delivered,
			on_time = delivery_days.on_time + excluded.on_time, late = delivery_days.late + excluded.late,
			delay_days = delivery_days.delay_days + excluded.delay_days`, nil)
	if err != nil {
		return fmt.Errorf("add to the promise record: %w", err)
	}
	return nil
}
