package promise

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Stored is a promise as stored: days as "YYYY-MM-DD", "" when unknown.
type Stored struct {
	ProductionDate string `json:"production_date"`
	ShipDate       string `json:"ship_date"`
	DeliveryFrom   string `json:"delivery_from"`
	DeliveryTo     string `json:"delivery_to"`
}

// Store returns the dates as stored.
func (d Dates) Store() Stored {
	var s Stored
	if d.Made {
		s.ProductionDate = d.Production.String()
	}
	s.ShipDate = d.Ship.String()
	if d.Delivers {
		s.DeliveryFrom = d.DeliveryFrom.String()
		s.DeliveryTo = d.DeliveryTo.String()
	}
	return s
}

// Why a promise changed.
const (
	ReasonStartedLate    = "started_late"    // work began later than planned
	ReasonShippedLate    = "shipped_late"    // the parcel left later than planned
	ReasonCarrierChanged = "carrier_changed" // another carrier, another transit
	ReasonDayOff         = "day_off"         // the shop added a day off
)

// Change is one change of an order's promise.
type Change struct {
	ID      int64
	OrderID int64
	Reason  string
	// Detail says more: the new carrier, the day off's reason.
	Detail    string
	Old, New  Stored
	ChangedAt time.Time
}

// RecordChanges stores changes of promises inside tx.
func RecordChanges(ctx context.Context, tx *store.Tx, changes []Change) error {
	rows := make([][]any, len(changes))
	for i, c := range changes {
		rows[i] = []any{c.OrderID, c.Reason, c.Detail,
			store.NullText(c.Old.ProductionDate), store.NullText(c.Old.ShipDate), store.NullText(c.Old.DeliveryFrom), store.NullText(c.Old.DeliveryTo),
			store.NullText(c.New.ProductionDate), store.NullText(c.New.ShipDate), store.NullText(c.New.DeliveryFrom), store.NullText(c.New.DeliveryTo),
			c.ChangedAt}
	}
	err := store.InsertMany(ctx, tx, "promise_changes", []string{"order_id", "reason", "detail",
		"old_production_date", "old_ship_date", "old_delivery_from", "old_delivery_to",
		"production_date", "ship_date", "delivery_from", "delivery_to", "changed_at"}, rows, "", nil)
	if err != nil {
		return fmt.Errorf("record %d promise changes: %w", len(changes), err)
	}
	return nil
}

// Changes returns an order's promise changes, oldest first.
func Changes(ctx context.Context, q store.Querier, orderID int64) ([]Change, error) {
	rows, err := q.Query(ctx, `SELECT id, order_id, reason, detail,
		old_production_date, old_ship_date, old_delivery_from, old_delivery_to,
		production_date, ship_date, delivery_from, delivery_to, changed_at
		FROM promise_changes WHERE order_id = $1 ORDER BY id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("load promise changes of order %d: %w", orderID, err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var o, n [4]*string
		if err := rows.Scan(&c.ID, &c.OrderID, &c.Reason, &c.Detail, &o[0], &o[1], &o[2], &o[3],
			&n[0], &n[1], &n[2], &n[3], &c.ChangedAt); err != nil {
			return nil, err
		}
		c.Old = Stored{store.Text(o[0]), store.Text(o[1]), store.Text(o[2]), store.Text(o[3])}
		c.New = Stored{store.Text(n[0]), store.Text(n[1]), store.Text(n[2]), store.Text(n[3])}
		out = append(out, c)
	}
	return out, rows.Err()
}
