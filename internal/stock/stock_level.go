package stock

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

// Bounds of a level handed in: far beyond a real shop's, they stop a
// mistake (a price pasted into the quantity) or an attack, and keep the
// counts inside the database's 32-bit integers even summed.
const (
	// MaxQty is the most units of one SKU on hand or in one delivery.
	MaxQty = 100_000_000
	// MaxIncoming is the most deliveries one SKU may have on its way.
	MaxIncoming = 50
	// MaxSource is the longest source name.
	MaxSource = 64
)

// PutResult says what a Put changed.
type PutResult struct {
	// Created and Updated count the SKUs new to the shop and those whose
	// level changed; Unchanged those handed in as they were.
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Validate checks levels as Put would, naming each wrong field by its
// path (items[3].incoming[0].date), and returns them normalised: SKUs and
// names trimmed, incoming deliveries sorted by day.
func Validate(levels []Level) ([]Level, error) {
	var errs invalid.List
	out := make([]Level, len(levels))
	seen := make(map[string]int, len(levels))
	for i, l := range levels {
		at := "items[" + strconv.Itoa(i) + "]"
		l.SKU = strings.TrimSpace(l.SKU)
		l.Name = strings.TrimSpace(l.Name)
		if e := invalid.TextMax(at+".sku", l.SKU, invalid.MaxSKU, false); l.SKU == "" {
			errs.Add(at+".sku", "required", "is required")
		} else if e != nil {
			errs = append(errs, e)
		} else if j, dup := seen[l.SKU]; dup {
			errs.Add(at+".sku", "duplicate", "%q is already at items[%d]; hand each SKU in once", l.SKU, j)
		} else {
			seen[l.SKU] = i
		}
		if e := invalid.TextMax(at+".name", l.Name, invalid.MaxName, false); e != nil {
			errs = append(errs, e)
		}
		if l.OnHand < 0 || l.OnHand > MaxQty {
			errs.Add(at+".on_hand", "out_of_range", "must be a whole number from 0 to %d", MaxQty)
		}
		if len(l.Incoming) > MaxIncoming {
			errs.Add(at+".incoming", "too_many", "at most %d deliveries per SKU", MaxIncoming)
		}
		inc := make([]Incoming, 0, len(l.Incoming))
		for k, d := range l.Incoming {
			f := at + ".incoming[" + strconv.Itoa(k) + "]"
			if d.Qty <= 0 || d.Qty > MaxQty {
				errs.Add(f+".qty", "out_of_range", "must be a whole number from 1 to %d", MaxQty)
			}
			day, err := calendar.ParseDay(strings.TrimSpace(d.Date))
			if err != nil || !calendar.Covers(day) {
				errs.Add(f+".date", "invalid_date", "must be a date YYYY-MM-DD, not %q", d.Date)
				continue
			}
			inc = append(inc, Incoming{Qty: d.Qty, Date: day.String()})
		}
		sortIncoming(inc)
		l.Incoming, l.Reserved, l.Available, l.Waiting, l.Source = inc, 0, 0, 0, ""
		out[i] = l
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// sortIncoming orders deliveries by day, then quantity: the one order
// levels are compared and stored in.
func sortIncoming(inc []Incoming) {
	slices.SortFunc(inc, func(a, b Incoming) int {
		if c := strings.Compare(a.Date, b.Date); c != 0 {
			return c
		}
		return a.Qty - b.Qty
	})
}

// checkSource checks the name of who sets levels.
func checkSource(source string) error {
	if source == "" {
		return invalid.Field("source", "required", "is required")
	}
	if e := invalid.TextMax("source", source, MaxSource, false); e != nil {
		return e
	}
	return nil
}

// Put sets the levels handed in (on hand and the incoming deliveries;
// Reserved, Available and Waiting are ignored) from source (api, csv,
// admin or a connector's name), validating every level before writing
// any. Stock that comes in serves the orders waiting for it first, then
// the customers waiting to be told.
//
// A level replaces its SKU's incoming list; an empty name keeps the
// name known. When on hand drops below what orders hold, the newest
// orders lose units and wait (stock.short); when more becomes available,
// the orders waiting for it are served oldest first (stock.filled once
// an order holds all its lines). The whole batch is one transaction of
// multi-row statements, so 100,000 SKUs take a few seconds.
func (s *Service) Put(ctx context.Context, source string, levels []Level) (PutResult, error) {
	if err := checkSource(source); err != nil {
		return PutResult{}, err
	}
	levels, err := Validate(levels)
	if err != nil {
		return PutResult{}, err
	}
	var res PutResult
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		res, err = s.put(ctx, tx, source, levels)
		return err
	})
	return res, err
}

// item is a stock_items row as a transaction sees and changes it.
type item struct {
	sku, name        string
	onHand, reserved int
	incoming         []Incoming
	// before is the available count when the transaction read the row
	// (0 for a SKU new to the shop).
	before int
	// dirty marks a row whose reserved count the rebalance changed.
	dirty bool
	// known marks a row that was in the database before the transaction.
	known bool
}

func (it *item) available() int { return it.onHand - it.reserved }

// put is Put inside its transaction, on valid levels.
func (s *Service) put(ctx context.Context, tx *store.Tx, source string, levels []Level) (PutResult, error) {
	now := s.clock.Now()
	skus := make([]string, len(levels))
	for i, l := range levels {
		skus[i] = l.SKU
	}
	slices.Sort(skus)
	known, err := s.lockItems(ctx, tx, skus, true)
	if err != nil {
		return PutResult{}, err
	}
	var res PutResult
	var write []*item // rows to upsert
	var newIncoming []*item
	var dropIncoming []string
	touched := make(map[string]*item, len(levels))
	for _, l := range levels {
		old, exists := known[l.SKU]
		if !exists {
			it := &item{sku: l.SKU, name: l.Name, onHand: l.OnHand, incoming: l.Incoming}
			res.Created++
			write = append(write, it)
			touched[it.sku] = it
			if len(it.incoming) > 0 {
				newIncoming = append(newIncoming, it)
			}
			continue
		}
		sameIncoming := slices.Equal(old.incoming, l.Incoming)
		sameName := l.Name == "" || l.Name == old.name
		if sameIncoming && sameName && l.OnHand == old.onHand {
			res.Unchanged++
			continue
		}
		res.Updated++
		if l.Name != "" {
			old.name = l.Name
		}
		old.onHand = l.OnHand
		if !sameIncoming {
			old.incoming = l.Incoming
			dropIncoming = append(dropIncoming, old.sku)
			if len(l.Incoming) > 0 {
				newIncoming = append(newIncoming, old)
			}
		}
		write = append(write, old)
		touched[old.sku] = old
	}
	if err := s.rebalance(ctx, tx, touched, now); err != nil {
		return PutResult{}, err
	}
	if err := store.QueryIn(ctx, tx, `DELETE FROM stock_incoming WHERE sku IN (IN_LIST)`, nil, dropIncoming, nil); err != nil {
		return PutResult{}, fmt.Errorf("replace incoming: %w", err)
	}
	if err := s.writeItems(ctx, tx, write, source, now); err != nil {
		return PutResult{}, fmt.Errorf("write %d stock levels: %w", len(write), err)
	}
	if err := s.writeIncoming(ctx, tx, newIncoming, now); err != nil {
		return PutResult{}, fmt.Errorf("write incoming deliveries: %w", err)
	}
	if err := s.tellAll(ctx, tx, touched); err != nil {
		return PutResult{}, err
	}
	s.remember(tx, touched)
	return res, nil
}

// lockItems reads the rows of skus (sorted) and, with incoming, their
// deliveries. On PostgreSQL it locks the rows in SKU order, so that
// concurrent writers (orders reserving, levels put) queue on them and
// never deadlock; SQLite's transactions are serialized already.
func (s *Service) lockItems(ctx context.Context, tx *store.Tx, skus []string, incoming bool) (map[string]*item, error) {
	query := `SELECT sku, name, on_hand, reserved FROM stock_items WHERE sku IN (IN_LIST)`
	if s.db.Engine() == store.Postgres {
		query += ` ORDER BY sku FOR UPDATE`
	}
	known := make(map[string]*item)
	err := store.QueryIn(ctx, tx, query, nil, skus, func(r store.Rows) error {
		it := &item{}
		if err := r.Scan(&it.sku, &it.name, &it.onHand, &it.reserved); err != nil {
			return err
		}
		it.before, it.known = it.available(), true
		known[it.sku] = it
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read stock levels: %w", err)
	}
	if !incoming || len(known) == 0 {
		return known, nil
	}
	if err := s.readIncoming(ctx, tx, known); err != nil {
		return nil, err
	}
	return known, nil
}

// readIncoming fills the incoming lists of items.
func (s *Service) readIncoming(ctx context.Context, q store.Querier, items map[string]*item) error {
	keys := make([]string, 0, len(items))
	for k := range items {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	err := store.QueryIn(ctx, q, `SELECT sku, qty, expected_on FROM stock_incoming WHERE sku IN (IN_LIST)`, nil, keys,
		func(r store.Rows) error {
			var sku string
			var d Incoming
			if err := r.Scan(&sku, &d.Qty, &d.Date); err != nil {
				return err
			}
			if it := items[sku]; it != nil {
				it.incoming = append(it.incoming, d)
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("read incoming deliveries: %w", err)
	}
	for _, it := range items {
		sortIncoming(it.incoming)
	}
	return nil
}

// remember refreshes the cache with the items' levels once tx commits.
// The stamp is taken now, while the rows are locked (PostgreSQL) or the
// database is (SQLite), so it orders the commits of each SKU.
func (s *Service) remember(tx *store.Tx, items map[string]*item) {
	if len(items) == 0 {
		return
	}
	stamp := s.cache.stamp()
	entries := make([]cacheEntry, 0, len(items))
	for _, it := range items {
		entries = append(entries, cacheEntry{sku: it.sku, a: Availability{Available: it.available(), NextOn: nextOn(it.incoming)}})
	}
	tx.AfterCommit(func() { s.cache.put(entries, stamp) })
}

// nextOn is the day of the earliest delivery; zero for none.
func nextOn(inc []Incoming) calendar.Day {
	if len(inc) == 0 {
		return 0
	}
	d, err := calendar.ParseDay(inc[0].Date)
	if err != nil {
		return 0
	}
	return d
}

// Get returns one SKU's level; store.ErrNotFound when it is not tracked.
func (s *Service) Get(ctx context.Context, sku string) (Level, error) {
	page, err := s.list(ctx, `WHERE sku = $1`, []any{sku}, 1)
	if err != nil {
		return Level{}, err
	}
	if len(page) == 0 {
		return Level{}, fmt.Errorf("stock level %q: %w", sku, store.ErrNotFound)
	}
	return page[0], nil
}

// ListParams filter and page the levels.
type ListParams struct {
	// After is the last SKU of the page before ("" for the first page).
	After string
	// Limit is the page's size, 1 to 500 (default 50).
	Limit int
	// Short keeps the SKUs open orders wait for.
	Short bool
	// Out keeps the SKUs with nothing available.
	Out bool
}

// List returns a page of levels in SKU order, and the SKU the next page
// starts after ("" on the last page).
func (s *Service) List(ctx context.Context, p ListParams) ([]Level, string, error) {
	if p.Limit <= 0 {
		p.Limit = 50
	}
	p.Limit = min(p.Limit, 500)
	where := []string{"sku > $1"}
	args := []any{p.After}
	if p.Short {
		where = append(where, `sku IN (SELECT sku FROM stock_reservations WHERE status = 'open' AND held < qty)`)
	}
	if p.Out {
		where = append(where, `on_hand - reserved <= 0`)
	}
	page, err := s.list(ctx, "WHERE "+strings.Join(where, " AND "), args, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(page) > p.Limit {
		page = page[:p.Limit]
		next = page[len(page)-1].SKU
	}
	return page, next, nil
}

// list reads levels with their incoming deliveries and waiting counts.
func (s *Service) list(ctx context.Context, where string, args []any, limit int) ([]Level, error) {
	q := s.db.Read()
	args = append(args, limit)
	query := `SELECT sku, name, on_hand, reserved, source FROM stock_items ` + where +
		` ORDER BY sku LIMIT $` + strconv.Itoa(len(args))
	var out []Level
	idx := map[string]int{}
	err := store.Each(ctx, q, query, args, func(r store.Rows) error {
		var l Level
		if err := r.Scan(&l.SKU, &l.Name, &l.OnHand, &l.Reserved, &l.Source); err != nil {
			return err
		}
		l.Available = l.OnHand - l.Reserved
		l.Incoming = []Incoming{}
		idx[l.SKU] = len(out)
		out = append(out, l)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read stock levels: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	skus := make([]string, len(out))
	for i, l := range out {
		skus[i] = l.SKU
	}
	err = store.QueryIn(ctx, q, `SELECT sku, qty, expected_on FROM stock_incoming WHERE sku IN (IN_LIST) ORDER BY sku, expected_on, qty`,
		nil, skus, func(r store.Rows) error {
			var sku string
			var d Incoming
			if err := r.Scan(&sku, &d.Qty, &d.Date); err != nil {
				return err
			}
			out[idx[sku]].Incoming = append(out[idx[sku]].Incoming, d)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read incoming deliveries: %w", err)
	}
	err = store.QueryIn(ctx, q, `SELECT sku, SUM(qty - held) FROM stock_reservations
		WHERE status = 'open' AND held < qty AND sku IN (IN_LIST) GROUP BY sku`, nil, skus, func(r store.Rows) error {
		var sku string
		var n int
		if err := r.Scan(&sku, &n); err != nil {
			return err
		}
		out[idx[sku]].Waiting = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read waiting orders: %w", err)
	}
	return out, nil
}

// today is the shop's day at t.
func (s *Service) today(t time.Time) calendar.Day {
	return calendar.DayOf(t.In(s.settings.Shop.Location()))
}
