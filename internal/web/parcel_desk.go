package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/store"
)

// deskRows bounds each work list of the parcels desk: the page stays
// fast with a million orders, and nobody works through more at once.
const deskRows = 100

// parcelDeskPage is the promise-keeping desk: how the shop keeps its
// delivery promises, and the parcels to chase.
type parcelDeskPage struct {
	adminPage
	Delivery *analytics.Delivery
	OnTime   float64 // share of the delivered orders that came by their day
	// ByCarrier and ByRoute are the record's two tables.
	ByCarrier, ByRoute deskLines
	Tasks              []deskTask
	OpenTask           int64 // all open find_parcel tasks, of which Tasks are the first
	Stuck              []deskParcel
	Waiting            []deskParcel
	Limit              int
	Now                time.Time
}

// deskLines is a table of the delivery record: its element id
// (by-carrier, by-route) and its lines.
type deskLines struct {
	ID    string
	Lines []analytics.DeliveryLine
}

// deskTask is an open find_parcel task.
type deskTask struct {
	ID, OrderID int64
	Order       string // the shop's order number
	Reason      string // late, stuck or returning
	DueAt       time.Time
}

// deskParcel is a parcel of a work list.
type deskParcel struct {
	ID, OrderID    int64
	Order          string
	TrackingNumber string
	Carrier        string
	Status         carrier.Status
	Since          time.Time // silent since (stuck), arrived at (waiting)
	Days           int       // days silent, days waited
	KeptUntil      string
	RemindersSent  int
}

// parcelDesk shows the desk.
func (h *Handler) parcelDesk(w http.ResponseWriter, r *http.Request, v *visitor) {
	ctx, db := r.Context(), h.app.DB.Read()
	p := &parcelDeskPage{adminPage: h.adminPage(v, auth.AreaOrders), Limit: deskRows, Now: h.app.Clock.Now()}
	p.current("/parcels")
	if r.URL.Query().Get("done") != "" {
		p.Flash = "admin.saved"
	}
	var err error
	if p.Delivery, err = analytics.ComputeDelivery(ctx, db); err == nil {
		if p.Delivery.Delivered > 0 {
			p.OnTime = float64(p.Delivery.OnTime) / float64(p.Delivery.Delivered)
		}
		p.ByCarrier = deskLines{ID: "by-carrier", Lines: p.Delivery.ByCarrier}
		p.ByRoute = deskLines{ID: "by-route", Lines: p.Delivery.ByRoute}
		p.Tasks, p.OpenTask, err = deskTasks(ctx, db)
	}
	if err == nil {
		p.Stuck, err = deskStuck(ctx, db, p.Now, h.app.Settings.Shop.Location())
	}
	if err == nil {
		p.Waiting, err = deskWaiting(ctx, db, p.Now, h.app.Settings.Shop.Location())
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for i := range p.Waiting {
		p.Waiting[i].KeptUntil = h.app.Parcels.KeptUntil(p.Waiting[i].Carrier, p.Waiting[i].Since)
	}
	h.render(w, r, http.StatusOK, "parcel_desk", p)
}

// deskTasks reads the open find_parcel tasks, the most overdue first,
// over the tasks_open (kind, due_at) index, and how many are open.
func deskTasks(ctx context.Context, db store.Querier) ([]deskTask, int64, error) {
	var out []deskTask
	err := store.Each(ctx, db, `SELECT t.id, t.order_id, o.external_id, t.dedupe_key, t.due_at
		FROM tasks t JOIN orders o ON o.id = t.order_id
		WHERE t.kind = 'find_parcel' AND t.status = 'open'
		ORDER BY t.due_at, t.id LIMIT $1`, []any{deskRows}, func(r store.Rows) error {
		var t deskTask
		var key string
		if err := r.Scan(&t.ID, &t.OrderID, &t.Order, &key, &t.DueAt); err != nil {
			return err
		}
		t.Reason = findReason(key)
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("open find_parcel tasks: %w", err)
	}
	var n int64
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM tasks WHERE kind = 'find_parcel' AND status = 'open'`).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("count open find_parcel tasks: %w", err)
	}
	return out, n, nil
}

// openParcels is the predicate of the parcels_open partial index,
// spelled as the index has it, so SQLite's planner can use the index.
const openParcels = `(p.status IS NULL OR p.status NOT IN ('delivered', 'returned', 'lost'))`

// deskStuck reads the parcels flagged stuck, the longest silent first.
func deskStuck(ctx context.Context, db store.Querier, now time.Time, loc *time.Location) ([]deskParcel, error) {
	var out []deskParcel
	err := store.Each(ctx, db, `SELECT p.id, p.order_id, o.external_id, p.tracking_number, p.carrier, p.status,
		p.last_event_at, p.created_at
		FROM parcels p JOIN orders o ON o.id = p.order_id
		WHERE `+openParcels+` AND p.stuck_at IS NOT NULL
		ORDER BY COALESCE(p.last_event_at, p.created_at), p.id LIMIT $1`, []any{deskRows}, func(r store.Rows) error {
		var d deskParcel
		var st *string
		var last *time.Time
		if err := r.Scan(&d.ID, &d.OrderID, &d.Order, &d.TrackingNumber, &d.Carrier, &st, &last, &d.Since); err != nil {
			return err
		}
		if last != nil {
			d.Since = *last
		}
		d.Status, d.Days = carrier.Status(store.Text(st)), daysSince(d.Since, now, loc)
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("stuck parcels: %w", err)
	}
	return out, nil
}

// deskWaiting reads the parcels waiting at a pickup point, the longest
// waiting first, with how many reminders the customer has had.
func deskWaiting(ctx context.Context, db store.Querier, now time.Time, loc *time.Location) ([]deskParcel, error) {
	var out []deskParcel
	err := store.Each(ctx, db, `SELECT p.id, p.order_id, o.external_id, p.tracking_number, p.carrier, p.arrived_at,
		(SELECT COUNT(*) FROM pickup_reminders r WHERE r.parcel_id = p.id AND r.state = 'sent')
		FROM parcels p JOIN orders o ON o.id = p.order_id
		WHERE `+openParcels+` AND p.status = 'arrived_at_pickup' AND p.arrived_at IS NOT NULL
		ORDER BY p.arrived_at, p.id LIMIT $1`, []any{deskRows}, func(r store.Rows) error {
		d := deskParcel{Status: carrier.ArrivedAtPickup}
		if err := r.Scan(&d.ID, &d.OrderID, &d.Order, &d.TrackingNumber, &d.Carrier, &d.Since, &d.RemindersSent); err != nil {
			return err
		}
		d.Days = daysSince(d.Since, now, loc)
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("parcels waiting at a pickup point: %w", err)
	}
	return out, nil
}
