package analytics

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// rebuildChunk is how many customer ids a rebuild reads per transaction.
const rebuildChunk = 20000

// rebuildCacheKiB is the write connection's page cache during a rebuild
// (as an import's, csvimport.CacheKiB).
const rebuildCacheKiB = 64 << 10

// RebuildStats says what a rebuild read.
type RebuildStats struct {
	Customers int64 // customers with a counted order
	Orders    int64
}

// Backfill builds the roll-ups when they have never been built (a store
// from before migration 00011) or were built for another time zone or
// currency; otherwise it reads one row and does nothing.
func Backfill(ctx context.Context, db *store.DB, loc *time.Location, currency string, now time.Time) (bool, error) {
	var tz, cur string
	err := db.Read().QueryRow(ctx, `SELECT timezone, currency FROM analytics_state WHERE id = 1`).Scan(&tz, &cur)
	if err == nil && tz == loc.String() && cur == currency {
		return false, nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return false, fmt.Errorf("read analytics state: %w", err)
	}
	if _, err := Rebuild(ctx, db, loc, currency, now); err != nil {
		return false, err
	}
	return true, nil
}

// Rebuild computes the roll-ups afresh from the orders, a chunk of
// customers at a time. It expects no other writer: it runs at start,
// before the intake does.
func Rebuild(ctx context.Context, db *store.DB, loc *time.Location, currency string, now time.Time) (RebuildStats, error) {
	var stats RebuildStats
	last, err := customer.FactsMaxID(ctx, db.Read())
	if err != nil {
		return stats, fmt.Errorf("rebuild analytics: %w", err)
	}
	// Every customer's share is written in this pass: a page cache that
	// holds the customers' pages while they are rewritten (rather than
	// writing them to the WAL before the commit and reading them back).
	restore, err := db.GrowWriteCache(ctx, rebuildCacheKiB)
	if err != nil {
		return stats, fmt.Errorf("rebuild analytics: %w", err)
	}
	defer restore()
	r := &Rollup{db: db, loc: loc, currency: currency}
	sales := map[salesKey]*salesCell{}
	totals := newRollupDelta()
	for from := int64(0); from <= last; from += rebuildChunk {
		to := from + rebuildChunk
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := customer.FactsReset(ctx, tx, from, to); err != nil {
				return err
			}
			var updates []customerContribution
			var b *contributionBuilder
			var current int64
			flush := func() {
				if b != nil && b.c.placed > 0 {
					c := b.done()
					totals.add(c, 1)
					updates = append(updates, customerContribution{id: current, contribution: c})
					if c.purchases > 0 {
						stats.Customers++
					}
				}
			}
			err := order.FactsEachInCustomerRange(ctx, tx, from, to,
				func(f order.CustomerOrderFact) error {
					o := newCountedOrder(f)
					stats.Orders++
					k := salesKey{o.placedAt.In(loc).Format(time.DateOnly), o.channel, o.currency}
					cell := sales[k]
					if cell == nil {
						cell = &salesCell{}
						sales[k] = cell
					}
					cell.orders++
					if o.counted {
						cell.counted++
						cell.revenue += o.totalMinor
					}
					if o.customerID != current {
						flush()
						current, b = o.customerID, &contributionBuilder{loc: loc, currency: currency}
					}
					b.add(o)
					return nil
				})
			if err != nil {
				return err
			}
			flush()
			return r.saveContributions(ctx, tx, updates)
		})
		if err != nil {
			return stats, fmt.Errorf("rebuild analytics of customers %d–%d: %w", from, to-1, err)
		}
	}
	delivered, err := rebuildDeliveries(ctx, db.Read(), last)
	if err != nil {
		return stats, fmt.Errorf("rebuild the promise record: %w", err)
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		for _, table := range []string{"sales_days", "acquisitions", "cohort_months", "buyer_counts", "delivery_days"} {
			if _, err := tx.Exec(ctx, `DELETE FROM `+table); err != nil {
				return err
			}
		}
		if err := addSales(ctx, tx, sales); err != nil {
			return err
		}
		if err := totals.apply(ctx, tx); err != nil {
			return err
		}
		if err := delivered.save(ctx, tx); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO analytics_state (id, timezone, currency, rebuilt_at) VALUES (1, $1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET timezone = excluded.timezone, currency = excluded.currency, rebuilt_at = excluded.rebuilt_at`,
			loc.String(), currency, now)
		return err
	})
	if err != nil {
		return stats, fmt.Errorf("rebuild analytics: %w", err)
	}
	return stats, nil
}

// rebuildDeliveries reads the whole promise record as
// order.FactsDeliveredEach groups it, but joins each order to its
// customer's destination in memory: the destinations are read once, in
// the customers' order (4 bytes a customer id up to last, plus each
// distinct place once), then the delivered orders in theirs, so neither
// table is read at random.
func rebuildDeliveries(ctx context.Context, q store.Querier, last int64) (deliveryCells, error) {
	type place struct{ country, city string }
	places := []place{{}} // index 0: no such customer
	placeIndex := map[place]uint32{}
	of := make([]uint32, last+1) // by customer id: index in places
	err := customer.FactsDestinationsEach(ctx, q, func(id int64, country, city string) error {
		if id < 0 || id > last {
			return nil // created since last was read: none of its orders is read either
		}
		p := place{country, city}
		i, ok := placeIndex[p]
		if !ok {
			i = uint32(len(places))
			places = append(places, p)
			placeIndex[p] = i
		}
		of[id] = i
		return nil
	})
	if err != nil {
		return nil, err
	}
	cells := deliveryCells{}
	err = order.FactsDeliveredOrdersEach(ctx, q, func(f *order.DeliveredOrder) error {
		if f.CustomerID < 0 || f.CustomerID > last || of[f.CustomerID] == 0 {
			return nil // as the join: an order without its customer does not count
		}
		p := places[of[f.CustomerID]]
		cells.add(f.DeliveredOn, f.PromisedTo, f.Carrier, p.country, p.city, 1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return cells, nil
}
