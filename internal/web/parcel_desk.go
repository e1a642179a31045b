package web

import (
	"context"
	"net/http"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/task"
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
	Unreadable  bool   // its stored due time could not be read
	cursor      string // the key of the page after it
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
	Unreadable     bool   // its stored time could not be read
	cursor         string // the key of the page after it
}

// parcelDesk shows the desk; each of its three work lists pages apart
// (?tasks=, ?stuck=, ?waiting= are their cursors).
func (h *Handler) parcelDesk(w http.ResponseWriter, r *http.Request, v *visitor) {
	ctx, qs := r.Context(), r.URL.Query()
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
	if p.Delivery, err = h.app.Analytics.DeliveryRecord(ctx); err == nil {
		if p.Delivery.Delivered > 0 {
			p.OnTime = float64(p.Delivery.OnTime) / float64(p.Delivery.Delivered)
		}
		p.ByCarrier = deskLines{ID: "by-carrier", Lines: p.Delivery.ByCarrier, Names: p.CarrierNames}
		p.ByRoute = deskLines{ID: "by-route", Lines: p.Delivery.ByRoute}
		p.Tasks, p.OpenTask, more, err = h.deskTasks(ctx, tasks.after)
		p.TaskPages = tasks.links(lastCursor(p.Tasks, func(t deskTask) (string, bool) { return t.cursor, t.Unreadable }), more)
	}
	if err == nil {
		p.Stuck, more, err = h.deskParcels(ctx, h.parcels.ListStuck, p.Now, loc, stuck.after)
		p.StuckPages = stuck.links(lastCursor(p.Stuck, deskParcel.cursorKey), more)
	}
	if err == nil {
		p.Waiting, more, err = h.deskParcels(ctx, h.parcels.ListWaiting, p.Now, loc, waiting.after)
		p.WaitingPages = waiting.links(lastCursor(p.Waiting, deskParcel.cursorKey), more)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for i := range p.Waiting {
		if !p.Waiting[i].Unreadable {
			p.Waiting[i].KeptUntil = h.parcels.KeptUntil(p.Waiting[i].Carrier, p.Waiting[i].Since)
		}
	}
	h.render(w, r, http.StatusOK, "parcel_desk", p)
}

// lastCursor is the cursor after a page: its last row whose time could be
// read, so that an unreadable row never sends the next page back to the
// start.
func lastCursor[T any](rows []T, key func(T) (cursor string, bad bool)) string {
	for i := len(rows) - 1; i >= 0; i-- {
		if c, bad := key(rows[i]); !bad {
			return c
		}
	}
	return ""
}

func (d deskParcel) cursorKey() (string, bool) { return d.cursor, d.Unreadable }

// deskTasks reads a page of the open find_parcel tasks, the most overdue
// first, how many are open, and whether more follow; the orders' numbers
// come from the orders.
func (h *Handler) deskTasks(ctx context.Context, after string) ([]deskTask, int64, bool, error) {
	ts, n, more, err := h.tasks.ListOpen(ctx, task.ListOpenParams{Kind: task.FindParcel, After: after, Limit: deskRows})
	if err != nil {
		return nil, 0, false, err
	}
	ids := make([]int64, len(ts))
	for i, t := range ts {
		ids[i] = t.OrderID
	}
	numbers, err := h.orders.ExternalIDs(ctx, ids)
	if err != nil {
		return nil, 0, false, err
	}
	var out []deskTask
	for _, t := range ts {
		out = append(out, deskTask{ID: t.ID, OrderID: t.OrderID, Order: numbers[t.OrderID], Reason: findReason(t.DedupeKey),
			DueAt: t.DueAt, Unreadable: t.Unreadable || !fourDigitYear(t.DueAt), cursor: t.Cursor})
	}
	return out, n, more, nil
}

// fourDigitYear reports whether t has a year every stored and printed
// form of a time can hold; a row beyond it is flagged, not shown wrong.
func fourDigitYear(t time.Time) bool { return t.Year() >= 1000 && t.Year() <= 9999 }

// deskParcels reads a page of a work list of parcels (the stuck or the
// waiting ones, as list reads them) with their orders' numbers and the
// days since, and whether more follow.
func (h *Handler) deskParcels(ctx context.Context, list func(context.Context, parcel.ListPage) ([]parcel.Listed, bool, error),
	now time.Time, loc *time.Location, after string) ([]deskParcel, bool, error) {
	ps, more, err := list(ctx, parcel.ListPage{After: after, Limit: deskRows})
	if err != nil {
		return nil, false, err
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.OrderID
	}
	numbers, err := h.orders.ExternalIDs(ctx, ids)
	if err != nil {
		return nil, false, err
	}
	var out []deskParcel
	for _, p := range ps {
		d := deskParcel{ID: p.ID, OrderID: p.OrderID, Order: numbers[p.OrderID], TrackingNumber: p.TrackingNumber,
			Carrier: p.Carrier, Status: p.Status, Since: p.Since, RemindersSent: p.RemindersSent,
			Unreadable: p.Unreadable || !fourDigitYear(p.Since), cursor: p.Cursor}
		if !d.Unreadable {
			d.Days = daysSince(d.Since, now, loc)
		}
		out = append(out, d)
	}
	return out, more, nil
}
