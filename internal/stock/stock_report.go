package stock

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/store"
)

// The reads below are what the admin's stock pages show: the day's
// picture (items short, orders waiting, what waits longest), the list of
// tracked SKUs and one SKU with the orders that hold or wait for it.
// Each reads through the read pool and writes nothing.

// shortLine is the predicate of a reservation line that waits for stock.
const shortLine = `r.status = 'open' AND r.held < r.qty`

// Item is one tracked SKU as the stock list shows it.
type Item struct {
	SKU  string
	Name string
	// OnHand, Reserved and Available are the level; Waiting counts the
	// units open orders want beyond what they hold.
	OnHand, Reserved, Available, Waiting int
	// Incoming lists the deliveries on their way, earliest first.
	Incoming []Incoming
	// Waitlist counts the customers waiting to be told it is back.
	Waitlist int
	// Source is who set the level last; UpdatedAt when.
	Source    string
	UpdatedAt time.Time
}

// IncomingQty sums the units on their way.
func (it Item) IncomingQty() int {
	n := 0
	for _, in := range it.Incoming {
		n += in.Qty
	}
	return n
}

// ItemFilter selects a page of the stock list: the SKUs a search finds
// (Query: the start of a SKU or a word of the name; "" for all), after
// the cursor After (an Item's SKU, "" for the first page), at most Limit.
type ItemFilter struct {
	Query string
	After string
	Limit int
}

// maxLimit bounds a page of any list here.
const maxLimit = 500

func limitOf(n, def int) int {
	if n <= 0 {
		return def
	}
	return min(n, maxLimit)
}

// likeEscape escapes LIKE's wildcards in s for ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// nameVariants are the spellings a name search tries: as typed, in
// lower case and with a capital first letter. SQLite folds the case of
// ASCII letters only, so "кастрюля" finds "Кастрюля" by its variant.
func nameVariants(q string) []string {
	lower := strings.ToLower(q)
	r, n := utf8.DecodeRuneInString(lower)
	title := string(unicode.ToUpper(r)) + lower[n:]
	out := []string{q}
	for _, v := range []string{lower, title} {
		if v != out[0] && (len(out) < 2 || v != out[1]) {
			out = append(out, v)
		}
	}
	return out
}

// Items returns a page of the tracked SKUs in SKU order, with each one's
// level, incoming deliveries, the units waited for and the waitlist, and
// whether more follow.
func (s *Service) Items(ctx context.Context, f ItemFilter) ([]Item, bool, error) {
	limit := limitOf(f.Limit, 50)
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.After != "" {
		where = append(where, "i.sku > "+arg(f.After))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		or := []string{"LOWER(i.sku) LIKE " + arg(likeEscape(strings.ToLower(q))+"%") + ` ESCAPE '\'`}
		for _, v := range nameVariants(q) {
			or = append(or, "i.name LIKE "+arg("%"+likeEscape(v)+"%")+` ESCAPE '\'`)
		}
		where = append(where, "("+strings.Join(or, " OR ")+")")
	}
	query := `SELECT i.sku, i.name, i.on_hand, i.reserved, i.source, i.updated_at,
		(SELECT COUNT(*) FROM stock_waitlist w WHERE w.sku = i.sku AND w.told_at IS NULL AND w.cancelled_at IS NULL),
		(SELECT COALESCE(SUM(r.qty - r.held), 0) FROM stock_reservations r WHERE r.sku = i.sku AND ` + shortLine + `)
		FROM stock_items i`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY i.sku LIMIT " + arg(limit+1)
	var out []Item
	err := store.Each(ctx, s.db.Read(), query, args, func(r store.Rows) error {
		it, err := scanItem(r)
		out = append(out, it)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("stock items after %q: %w", f.After, err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	if err := s.withIncoming(ctx, out); err != nil {
		return nil, false, err
	}
	return out, more, nil
}

func scanItem(r store.Rows) (Item, error) {
	var it Item
	var bad bool
	if err := r.Scan(&it.SKU, &it.Name, &it.OnHand, &it.Reserved, &it.Source,
		store.LenientTime{T: &it.UpdatedAt, Bad: &bad}, &it.Waitlist, &it.Waiting); err != nil {
		return it, err
	}
	it.Available = max(0, it.OnHand-it.Reserved)
	return it, nil
}

// Item returns one tracked SKU with its level, incoming deliveries,
// waiting units and waitlist; store.ErrNotFound when it is not tracked.
func (s *Service) Item(ctx context.Context, sku string) (Item, error) {
	var out []Item
	err := store.Each(ctx, s.db.Read(), `SELECT i.sku, i.name, i.on_hand, i.reserved, i.source, i.updated_at,
		(SELECT COUNT(*) FROM stock_waitlist w WHERE w.sku = i.sku AND w.told_at IS NULL AND w.cancelled_at IS NULL),
		(SELECT COALESCE(SUM(r.qty - r.held), 0) FROM stock_reservations r WHERE r.sku = i.sku AND `+shortLine+`)
		FROM stock_items i WHERE i.sku = $1`, []any{sku}, func(r store.Rows) error {
		it, err := scanItem(r)
		out = append(out, it)
		return err
	})
	if err != nil {
		return Item{}, fmt.Errorf("stock item %q: %w", sku, err)
	}
	if len(out) == 0 {
		return Item{}, fmt.Errorf("stock item %q: %w", sku, store.ErrNotFound)
	}
	if err := s.withIncoming(ctx, out); err != nil {
		return Item{}, err
	}
	return out[0], nil
}

// withIncoming fills the incoming deliveries of items, earliest first.
func (s *Service) withIncoming(ctx context.Context, items []Item) error {
	if len(items) == 0 {
		return nil
	}
	at := make(map[string]int, len(items))
	skus := make([]string, len(items))
	for i, it := range items {
		at[it.SKU], skus[i] = i, it.SKU
	}
	err := store.QueryIn(ctx, s.db.Read(), `SELECT sku, qty, expected_on FROM stock_incoming
		WHERE sku IN (IN_LIST) ORDER BY sku, expected_on, id`, nil, skus, func(r store.Rows) error {
		var sku string
		var in Incoming
		if err := r.Scan(&sku, &in.Qty, &in.Date); err != nil {
			return err
		}
		if i, ok := at[sku]; ok {
			items[i].Incoming = append(items[i].Incoming, in)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("incoming stock of %d items: %w", len(items), err)
	}
	return nil
}

// Shortage is a SKU open orders want beyond what is on hand: the units
// they wait for, how many orders wait, since when, and what is coming.
type Shortage struct {
	SKU, Name string
	// Tracked is false for a SKU orders wait for that the stock list
	// no longer has (OnHand and Reserved are then zero).
	Tracked          bool
	OnHand, Reserved int
	Waiting, Orders  int
	// Since is when the oldest of the waiting lines came in.
	Since    time.Time
	Incoming []Incoming
}

// Shortages returns the SKUs short today, the most units waited for
// first, at most limit of them.
func (s *Service) Shortages(ctx context.Context, limit int) ([]Shortage, error) {
	limit = limitOf(limit, 100)
	var out []Shortage
	err := store.Each(ctx, s.db.Read(), `SELECT r.sku, MAX(r.name), SUM(r.qty - r.held), COUNT(DISTINCT r.order_id),
		MIN(r.created_at), MAX(i.name), MAX(i.on_hand), MAX(i.reserved)
		FROM stock_reservations r LEFT JOIN stock_items i ON i.sku = r.sku
		WHERE `+shortLine+`
		GROUP BY r.sku ORDER BY SUM(r.qty - r.held) DESC, r.sku LIMIT $1`, []any{limit}, func(r store.Rows) error {
		var sh Shortage
		var itemName *string
		var onHand, reserved *int64
		var bad bool
		if err := r.Scan(&sh.SKU, &sh.Name, &sh.Waiting, &sh.Orders, store.LenientTime{T: &sh.Since, Bad: &bad},
			&itemName, &onHand, &reserved); err != nil {
			return err
		}
		if onHand != nil {
			sh.Tracked, sh.OnHand = true, int(*onHand)
			if reserved != nil {
				sh.Reserved = int(*reserved)
			}
			if n := store.Text(itemName); n != "" {
				sh.Name = n
			}
		}
		out = append(out, sh)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("stock shortages: %w", err)
	}
	items := make([]Item, len(out))
	for i, sh := range out {
		items[i].SKU = sh.SKU
	}
	if err := s.withIncoming(ctx, items); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Incoming = items[i].Incoming
	}
	return out, nil
}

// WaitingLine is one line of an order that waits for stock.
type WaitingLine struct {
	SKU, Name string
	Qty, Held int
	// ExpectedOn is when the line's stock is expected; zero when not
	// known.
	ExpectedOn calendar.Day
	Since      time.Time
}

// WaitingOrder is an order that waits for stock: its number, customer,
// short lines, since when it waits and the day all of it is expected.
type WaitingOrder struct {
	OrderID      int64
	ExternalID   string
	CustomerID   int64
	CustomerName string
	Lines        []WaitingLine
	// Since is when its oldest short line came in.
	Since time.Time
	// ExpectedOn is the last of its lines' days; zero when a line's day
	// is not known.
	ExpectedOn calendar.Day
	// Cursor is the key of the page after this order.
	Cursor string
}

// WaitingFilter selects a page of the orders waiting for stock: in
// order of the day they are expected (soonest first, those without a day
// last) or, with Oldest, those waiting longest first; after the cursor
// After (a WaitingOrder's Cursor), at most Limit; only those waiting for
// SKU when it is set.
type WaitingFilter struct {
	Oldest bool
	SKU    string
	After  string
	Limit  int
}

// noDay sorts after every day: the orders whose day is not known.
const noDay = "9999-12-31"

// WaitingOrders returns a page of the orders that wait for stock, with
// their short lines, and whether more follow.
func (s *Service) WaitingOrders(ctx context.Context, f WaitingFilter) ([]WaitingOrder, bool, error) {
	limit := limitOf(f.Limit, 50)
	args := []any{}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	skuCond := ""
	if f.SKU != "" {
		skuCond = " AND r.sku = " + arg(f.SKU)
	}
	var cond, order string
	if f.Oldest {
		order = "w.since, w.order_id"
		if t, id, ok := store.ParseCursor(f.After); ok {
			p1, p2 := arg(t), arg(id)
			cond = " WHERE (w.since > " + p1 + " OR (w.since = " + p1 + " AND w.order_id > " + p2 + "))"
		}
	} else {
		order = "w.due, w.order_id"
		if due, id, ok := parseDueCursor(f.After); ok {
			p1, p2 := arg(due), arg(id)
			cond = " WHERE (w.due > " + p1 + " OR (w.due = " + p1 + " AND w.order_id > " + p2 + "))"
		}
	}
	query := `SELECT w.order_id, w.since, w.due, o.external_id, c.id, c.name
		FROM (SELECT r.order_id, MIN(r.created_at) AS since,
			MAX(CASE WHEN r.expected_on IS NULL OR r.expected_on = '' THEN '` + noDay + `' ELSE r.expected_on END) AS due
			FROM stock_reservations r WHERE ` + shortLine + skuCond + ` GROUP BY r.order_id) w
		JOIN orders o ON o.id = w.order_id JOIN customers c ON c.id = o.customer_id` +
		cond + " ORDER BY " + order + " LIMIT " + arg(limit+1)
	var out []WaitingOrder
	err := store.Each(ctx, s.db.Read(), query, args, func(r store.Rows) error {
		var wo WaitingOrder
		var due string
		var bad bool
		if err := r.Scan(&wo.OrderID, store.LenientTime{T: &wo.Since, Bad: &bad}, &due, &wo.ExternalID,
			&wo.CustomerID, &wo.CustomerName); err != nil {
			return err
		}
		if due != noDay {
			wo.ExpectedOn, _ = calendar.ParseDay(due)
		}
		if f.Oldest {
			wo.Cursor = store.Cursor(wo.Since, wo.OrderID)
		} else {
			wo.Cursor = due + "." + strconv.FormatInt(wo.OrderID, 36)
		}
		out = append(out, wo)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("orders waiting for stock after %q: %w", f.After, err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	if err := s.withWaitingLines(ctx, out); err != nil {
		return nil, false, err
	}
	return out, more, nil
}

// parseDueCursor reads the cursor of the list by expected day.
func parseDueCursor(c string) (string, int64, bool) {
	due, id, ok := strings.Cut(c, ".")
	if !ok {
		return "", 0, false
	}
	if _, err := calendar.ParseDay(due); err != nil && due != noDay {
		return "", 0, false
	}
	n, err := strconv.ParseInt(id, 36, 64)
	if err != nil {
		return "", 0, false
	}
	return due, n, true
}

// withWaitingLines fills the short lines of orders.
func (s *Service) withWaitingLines(ctx context.Context, orders []WaitingOrder) error {
	if len(orders) == 0 {
		return nil
	}
	at := make(map[int64]int, len(orders))
	ids := make([]int64, len(orders))
	for i, o := range orders {
		at[o.OrderID], ids[i] = i, o.OrderID
	}
	err := store.QueryIn(ctx, s.db.Read(), `SELECT r.order_id, r.sku, r.name, r.qty, r.held, r.expected_on, r.created_at
		FROM stock_reservations r WHERE `+shortLine+` AND r.order_id IN (IN_LIST) ORDER BY r.order_id, r.sku`,
		nil, ids, func(r store.Rows) error {
			var id int64
			var l WaitingLine
			var exp *string
			var bad bool
			if err := r.Scan(&id, &l.SKU, &l.Name, &l.Qty, &l.Held, &exp, store.LenientTime{T: &l.Since, Bad: &bad}); err != nil {
				return err
			}
			l.ExpectedOn, _ = calendar.ParseDay(store.Text(exp))
			if i, ok := at[id]; ok {
				orders[i].Lines = append(orders[i].Lines, l)
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("short lines of %d orders: %w", len(orders), err)
	}
	return nil
}

// Holder is an open order's line of one SKU: what it wants, holds and
// waits for.
type Holder struct {
	OrderID      int64
	ExternalID   string
	CustomerID   int64
	CustomerName string
	Qty, Held    int
	ExpectedOn   calendar.Day
	Since        time.Time
	// Cursor is the key of the page after this line.
	Cursor string
}

// Waits tells whether the line waits for stock.
func (h Holder) Waits() bool { return h.Held < h.Qty }

// HolderFilter selects a page of the open orders of one SKU, oldest
// first: after the cursor After (a Holder's Cursor), at most Limit.
type HolderFilter struct {
	SKU   string
	After string
	Limit int
}

// Holders returns a page of the open orders that hold or wait for a SKU,
// oldest first, and whether more follow.
func (s *Service) Holders(ctx context.Context, f HolderFilter) ([]Holder, bool, error) {
	limit := limitOf(f.Limit, 50)
	args := []any{f.SKU}
	cond := ""
	if after, err := strconv.ParseInt(f.After, 36, 64); err == nil && after > 0 {
		args = append(args, after)
		cond = " AND r.id > $2"
	}
	args = append(args, limit+1)
	var out []Holder
	err := store.Each(ctx, s.db.Read(), `SELECT r.id, r.order_id, r.qty, r.held, r.expected_on, r.created_at,
		o.external_id, c.id, c.name
		FROM stock_reservations r JOIN orders o ON o.id = r.order_id JOIN customers c ON c.id = o.customer_id
		WHERE r.sku = $1 AND r.status = 'open'`+cond+` ORDER BY r.id LIMIT $`+strconv.Itoa(len(args)), args,
		func(r store.Rows) error {
			var h Holder
			var id int64
			var exp *string
			var bad bool
			if err := r.Scan(&id, &h.OrderID, &h.Qty, &h.Held, &exp, store.LenientTime{T: &h.Since, Bad: &bad},
				&h.ExternalID, &h.CustomerID, &h.CustomerName); err != nil {
				return err
			}
			h.ExpectedOn, _ = calendar.ParseDay(store.Text(exp))
			h.Cursor = strconv.FormatInt(id, 36)
			out = append(out, h)
			return nil
		})
	if err != nil {
		return nil, false, fmt.Errorf("orders of stock item %q: %w", f.SKU, err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}
