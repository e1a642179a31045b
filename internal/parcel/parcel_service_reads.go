package parcel

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/store"
)

// The methods below let the HTTP surfaces read parcels through the
// service instead of holding the database; each reads through the read
// pool.

// ByOrder returns an order's parcels, oldest first (see ByOrder).
func (s *Service) ByOrder(ctx context.Context, orderID int64) ([]Parcel, error) {
	return ByOrder(ctx, s.db.Read(), orderID)
}

// ByTrackingNumber returns the parcel with the tracking number (see
// ByTrackingNumber).
func (s *Service) ByTrackingNumber(ctx context.Context, tracking string) (Parcel, error) {
	return ByTrackingNumber(ctx, s.db.Read(), tracking)
}

// Events returns a parcel's events, newest first (see Events).
func (s *Service) Events(ctx context.Context, parcelID int64) ([]Event, error) {
	return Events(ctx, s.db.Read(), parcelID)
}

// Reminders returns a parcel's pickup reminders (see Reminders).
func (s *Service) Reminders(ctx context.Context, parcelID int64) ([]Reminder, error) {
	return Reminders(ctx, s.db.Read(), parcelID)
}

// Listed is a parcel of a work list of the parcels desk.
type Listed struct {
	ID, OrderID    int64
	TrackingNumber string
	Carrier        string
	Status         carrier.Status
	// Since is when it fell silent (stuck) or arrived at the pickup
	// point (waiting).
	Since         time.Time
	RemindersSent int
	// Unreadable is set when a stored time could not be read; Since is
	// then not to be trusted.
	Unreadable bool
	// Cursor is the key of the page after this parcel.
	Cursor string
}

// ListPage bounds a page of a work list: at most Limit parcels after the
// cursor After (a Listed.Cursor, or "" for the first page).
type ListPage struct {
	After string
	Limit int
}

// openParcels is the predicate of the parcels_open partial index,
// spelled as the index has it, so SQLite's planner can use the index.
const openParcels = `(p.status IS NULL OR p.status NOT IN ('delivered', 'returned', 'lost'))`

// ListStuck returns a page of the parcels flagged stuck, the longest
// silent first, and whether more follow.
func (s *Service) ListStuck(ctx context.Context, pg ListPage) ([]Listed, bool, error) {
	var out []Listed
	cond, args := "", []any{pg.Limit + 1}
	if at, id, ok := store.ParseCursor(pg.After); ok {
		cond = ` AND COALESCE(p.last_event_at, p.created_at) >= $2
			AND (COALESCE(p.last_event_at, p.created_at) > $2 OR p.id > $3)`
		args = append(args, at, id)
	}
	err := store.Each(ctx, s.db.Read(), `SELECT p.id, p.order_id, p.tracking_number, p.carrier, p.status,
		p.last_event_at, p.created_at
		FROM parcels p
		WHERE `+openParcels+` AND p.stuck_at IS NOT NULL`+cond+`
		ORDER BY COALESCE(p.last_event_at, p.created_at), p.id LIMIT $1`, args, func(r store.Rows) error {
		var d Listed
		var st *string
		var last time.Time
		var badLast bool
		if err := r.Scan(&d.ID, &d.OrderID, &d.TrackingNumber, &d.Carrier, &st,
			store.LenientTime{T: &last, Bad: &badLast}, store.LenientTime{T: &d.Since, Bad: &d.Unreadable}); err != nil {
			return err
		}
		if !last.IsZero() || badLast {
			d.Since = last
		}
		d.Unreadable = d.Unreadable || badLast
		d.Status = carrier.Status(store.Text(st))
		d.Cursor = store.Cursor(d.Since, d.ID)
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("stuck parcels after %q: %w", pg.After, err)
	}
	more := len(out) > pg.Limit
	if more {
		out = out[:pg.Limit]
	}
	return out, more, nil
}

// ListWaiting returns a page of the parcels waiting at a pickup point,
// the longest waiting first, with how many reminders the customer has
// had, and whether more follow.
func (s *Service) ListWaiting(ctx context.Context, pg ListPage) ([]Listed, bool, error) {
	var out []Listed
	cond, args := "", []any{pg.Limit + 1}
	if at, id, ok := store.ParseCursor(pg.After); ok {
		cond, args = " AND p.arrived_at >= $2 AND (p.arrived_at > $2 OR p.id > $3)", append(args, at, id)
	}
	err := store.Each(ctx, s.db.Read(), `SELECT p.id, p.order_id, p.tracking_number, p.carrier, p.arrived_at,
		(SELECT COUNT(*) FROM pickup_reminders r WHERE r.parcel_id = p.id AND r.state = 'sent')
		FROM parcels p
		WHERE `+openParcels+` AND p.status = 'arrived_at_pickup' AND p.arrived_at IS NOT NULL`+cond+`
		ORDER BY p.arrived_at, p.id LIMIT $1`, args, func(r store.Rows) error {
		d := Listed{Status: carrier.ArrivedAtPickup}
		if err := r.Scan(&d.ID, &d.OrderID, &d.TrackingNumber, &d.Carrier,
			store.LenientTime{T: &d.Since, Bad: &d.Unreadable}, &d.RemindersSent); err != nil {
			return err
		}
		d.Cursor = store.Cursor(d.Since, d.ID)
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("parcels waiting at a pickup point after %q: %w", pg.After, err)
	}
	more := len(out) > pg.Limit
	if more {
		out = out[:pg.Limit]
	}
	return out, more, nil
}
