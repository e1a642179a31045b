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
const deskRows = pageSize

// parcelDeskPage is the promise-keeping desk: how the shop keeps its
// delivery promises, and the parcels to chase.
type parcelDeskPage struct {
	adminPage
	Delivery *analytics.Delivery
	OnTime   float64 // share of the delivered orders that came by their day
	// ByCarrier and ByRoute are the record's two tables.
	ByCarrier, ByRoute deskLines
	Tasks              []deskTask
	OpenTask           int64 // all open find_parcel tasks, of which Tasks are a page
	Stuck              []deskParcel
	Waiting            []deskParcel
	// TaskPages, StuckPages and WaitingPages page the three work lists.
	TaskPages, StuckPages, WaitingPages pageLinks
	Limit                               int
	Now                                 time.Time
}

// deskLines is a table of the delivery record: its element id
// (by-carrier, by-route) and its lines.
type deskLines struct {
	ID    string
	Lines []analytics.DeliveryLine
	Names map[string]string // the carriers' names in the settings
}

// deskTask is an open find_parcel task.
type deskTask struct {
	ID, OrderID int64
	Order       string // the shop's order number
	Reason      string // late, stuck or returning
	DueAt       time.Time
	Unreadable  bool // its stored due time could not be read
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
	Unreadable     bool // its stored time could not be read
}

// parcelDesk shows the desk; each of its three work lists pages apart
// (?tasks=, ?stuck=, ?waiting= are their cursors).
func (h *Handler) parcelDesk(w http.ResponseWriter, r *http.Request, v *visitor) {
	ctx, db, qs := r.Context(), h.app.DB.Read(), r.URL.Query()
	p := &parcelDeskPage{adminPage: h.adminPage(v, auth.AreaOrders), Limit: deskRows, Now: h.app.Clock.Now()}
	p.current("/parcels")
	if qs.Get("done") != "" {
		p.Flash = "admin.saved"
	}
	loc := h.app.Settings.Shop.Location()
	tasks, stuck, waiting := newPagerOf("/parcels", qs, "tasks"), newPagerOf("/parcels", qs, "stuck"),
		newPagerOf("/parcels", qs, "waiting")
	var err error
	var more bool
	if p.Delivery, err = analytics.ComputeDelivery(ctx, db); err == nil {
		if p.Delivery.Delivered > 0 {
			p.OnTime = float64(p.Delivery.OnTime) / float64(p.Delivery.Delivered)
		}
		p.ByCarrier = deskLines{ID: "by-carrier", Lines: p.Delivery.ByCarrier, Names: p.CarrierNames}
		p.ByRoute = deskLines{ID: "by-route", Lines: p.Delivery.ByRoute}
		p.Tasks, p.OpenTask, more, err = deskTasks(ctx, db, tasks.after)
		p.TaskPages = tasks.links(lastCursor(p.Tasks, func(t deskTask) (time.Time, int64, bool) { return t.DueAt, t.ID, t.Unreadable }), more)
	}
	if err == nil {
		p.Stuck, more, err = deskStuck(ctx, db, p.Now, loc, stuck.after)
		p.StuckPages = stuck.links(lastCursor(p.Stuck, deskParcel.cursor), more)
	}
	if err == nil {
		p.Waiting, more, err = deskWaiting(ctx, db, p.Now, loc, waiting.after)
		p.WaitingPages = waiting.links(lastCursor(p.Waiting, deskParcel.cursor), more)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for i := range p.Waiting {
		if !p.Waiting[i].Unreadable {
			p.Waiting[i].KeptUntil = h.app.Parcels.KeptUntil(p.Waiting[i].Carrier, p.Waiting[i].Since)
		}
	}
	h.render(w, r, http.StatusOK, "parcel_desk", p)
}

// lastCursor is the cursor after a page: its last row whose time could be
// read, so that an unreadable row never sends the next page back to the
// start.
func lastCursor[T any](rows []T, key func(T) (time.Time, int64, bool)) string {
	for i := len(rows) - 1; i >= 0; i-- {
		if at, id, bad := key(rows[i]); !bad {
			return store.Cursor(at, id)
		}
	}
	return ""
}

func (d deskParcel) cursor() (time.Time, int64, bool) { return d.Since, d.ID, d.Unreadable }

// deskTasks reads a page of the open find_parcel tasks, the most overdue
// first, over the tasks_open (kind, due_at) index, how many are open, and
// whether more follow.
func deskTasks(ctx context.Context, db store.Querier, after string) ([]deskTask, int64, bool, error) {
	var out []deskTask
	cond, args := "", []any{deskRows + 1}
	if at, id, ok := store.ParseCursor(after); ok {
		cond, args = " AND t.due_at >= $2 AND (t.due_at > $2 OR t.id > $3)", append(args, at, id)
	}
	err := store.Each(ctx, db, `SELECT t.id, t.order_id, o.external_id, t.dedupe_key, t.due_at
		FROM tasks t JOIN orders o ON o.id = t.order_id
		WHERE t.kind = 'find_parcel' AND t.status = 'open'`+cond+`
		ORDER BY t.due_at, t.id LIMIT $1`, args, func(r store.Rows) error {
		var t deskTask
		var key string
		if err := r.Scan(&t.ID, &t.OrderID, &t.Order, &key, store.LenientTime{T: &t.DueAt, Bad: &t.Unreadable}); err != nil {
			return err
		}
		t.Unreadable = t.Unreadable || !fourDigitYear(t.DueAt)
		t.Reason = findReason(key)
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, 0, false, fmt.Errorf("open find_parcel tasks after %q: %w", after, err)
	}
	var n int64
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM tasks WHERE kind = 'find_parcel' AND status = 'open'`).Scan(&n); err != nil {
		return nil, 0, false, fmt.Errorf("count open find_parcel tasks: %w", err)
	}
	more := len(out) > deskRows
	if more {
		out = out[:deskRows]
	}
	return out, n, more, nil
}

// fourDigitYear reports whether t has a year every stored and printed
// form of a time can hold; a row beyond it is flagged, not shown wrong.
func fourDigitYear(t time.Time) bool { return t.Year() >= 1000 && t.Year() <= 9999 }

// openParcels is the predicate of the parcels_open partial index,
// spelled as the index has it, so SQLite's planner can use the index.
const openParcels = `(p.status IS NULL OR p.status NOT IN ('delivered', 'returned', 'lost'))`

// deskStuck reads a page of the parcels flagged stuck, the longest
// silent first, and whether more follow.
func deskStuck(ctx context.Context, db store.Querier, now time.Time, loc *time.Location, after string) ([]deskParcel, bool, error) {
	var out []deskParcel
	cond, args := "", []any{deskRows + 1}
	if at, id, ok := store.ParseCursor(after); ok {
		cond = ` AND COALESCE(p.last_event_at, p.created_at) >= $2
			AND (COALESCE(p.last_event_at, p.created_at) > $2 OR p.id > $3)`
		args = append(args, at, id)
	}
	err := store.Each(ctx, db, `SELECT p.id, p.order_id, o.external_id, p.tracking_number, p.carrier, p.status,
		p.last_event_at, p.created_at
		FROM parcels p JOIN orders o ON o.id = p.order_id
		WHERE `+openParcels+` AND p.stuck_at IS NOT NULL`+cond+`
		ORDER BY COALESCE(p.last_event_at, p.created_at), p.id LIMIT $1`, args, func(r store.Rows) error {
		var d deskParcel
		var st *string
		var last time.Time
		var badLast bool
		if err := r.Scan(&d.ID, &d.OrderID, &d.Order, &d.TrackingNumber, &d.Carrier, &st,
			store.LenientTime{T: &last, Bad: &badLast}, store.LenientTime{T: &d.Since, Bad: &d.Unreadable}); err != nil {
			return err
		}
		if !last.IsZero() || badLast {
			d.Since = last
		}
		d.Unreadable = d.Unreadable || badLast || !fourDigitYear(d.Since)
		d.Status = carrier.Status(store.Text(st))
		if !d.Unreadable {
			d.Days = daysSince(d.Since, now, loc)
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("stuck parcels after %q: %w", after, err)
	}
	more := len(out) > deskRows
	if more {
		out = out[:deskRows]
	}
	return out, more, nil
}

// deskWaiting reads a page of the parcels waiting at a pickup point, the
// longest waiting first, with how many reminders the customer has had,
// and whether more follow.
func deskWaiting(ctx context.Context, db store.Querier, now time.Time, loc *time.Location, after string) ([]deskParcel, bool, error) {
	var out []deskParcel
	cond, args := "", []any{deskRows + 1}
	if at, id, ok := store.ParseCursor(after); ok {
		cond, args = " AND p.arrived_at >= $2 AND (p.arrived_at > $2 OR p.id > $3)", append(args, at, id)
	}
	err := store.Each(ctx, db, `SELECT p.id, p.order_id, o.external_id, p.tracking_number, p.carrier, p.arrived_at,
		(SELECT COUNT(*) FROM pickup_reminders r WHERE r.parcel_id = p.id AND r.state = 'sent')
		FROM parcels p JOIN orders o ON o.id = p.order_id
		WHERE `+openParcels+` AND p.status = 'arrived_at_pickup' AND p.arrived_at IS NOT NULL`+cond+`
		ORDER BY p.arrived_at, p.id LIMIT $1`, args, func(r store.Rows) error {
		d := deskParcel{Status: carrier.ArrivedAtPickup}
		if err := r.Scan(&d.ID, &d.OrderID, &d.Order, &d.TrackingNumber, &d.Carrier,
			store.LenientTime{T: &d.Since, Bad: &d.Unreadable}, &d.RemindersSent); err != nil {
			return err
		}
		d.Unreadable = d.Unreadable || !fourDigitYear(d.Since)
		if !d.Unreadable {
			d.Days = daysSince(d.Since, now, loc)
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("parcels waiting at a pickup point after %q: %w", after, err)
	}
	more := len(out) > deskRows
	if more {
		out = out[:deskRows]
	}
	return out, more, nil
}
