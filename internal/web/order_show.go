package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/returns"
)

// orderShowPage is one order with everything that happened to it.
type orderShowPage struct {
	adminPage
	Order       *order.Order
	State       order.PromiseState
	Explanation order.Explanation
	Messages    []message.Message
	Tasks       []orderTask
	Notes       []order.Note
	Next        []order.Status // statuses it may move to
	Carriers    []string
	Error       string
	ErrorField  string
	// Parcels are the order's shipments; ParcelForm is the add-parcel or
	// record-event form sent back with what was wrong with it.
	Parcels        []parcelView
	ParcelStatuses []carrier.Status
	ParcelForm     parcelForm
	EventAt        string // now, for the record-event forms' time
	// Returns are the return requests the customer made on their page.
	Returns []returns.Request
	// Stock is the order's tracked items and the form to settle the
	// missing ones (stock_resolve.go); nil when it has none.
	Stock *stockSection
}

// orderShow shows an order: items, customer, promise and its history,
// status timeline, messages, tasks, notes, and the status actions.
func (h *Handler) orderShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	p, err := h.orderShowData(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("saved") != "" {
		p.Flash = "admin.saved"
	}
	h.render(w, r, http.StatusOK, "order_show", p)
}

func (h *Handler) orderShowData(r *http.Request, v *visitor) (*orderShowPage, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, app.ErrNotFound
	}
	ctx := r.Context()
	o, err := h.orders.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &orderShowPage{adminPage: h.adminPage(v, auth.AreaOrders), Order: o,
		State: o.PromiseState(h.orders.Today(), h.app.Settings.Compensation.LateGraceDays)}
	if p.Explanation, err = h.orders.ExplainOrder(ctx, o, v.Lang); err != nil {
		return nil, err
	}
	if p.Messages, err = h.messages.ListByOrder(ctx, id); err != nil {
		return nil, err
	}
	ts, err := h.tasks.ListByOrder(ctx, id)
	if err != nil {
		return nil, err
	}
	p.Tasks = orderTasks(v.Lang, ts)
	if p.Returns, err = h.returns.ListByOrder(ctx, id); err != nil {
		return nil, err
	}
	if p.Stock, err = h.stockSectionData(ctx, v.Lang, o); err != nil {
		return nil, err
	}
	if p.Parcels, err = h.orderParcels(ctx, id); err != nil {
		return nil, err
	}
	p.ParcelStatuses = carrier.Statuses
	p.EventAt = h.app.Clock.Now().In(h.app.Settings.Shop.Location()).Format(formMinute)
	if p.Notes, err = h.orders.Notes(ctx, id); err != nil {
		return nil, err
	}
	for _, s := range order.Statuses {
		if order.CanMove(o.Status, s) {
			p.Next = append(p.Next, s)
		}
	}
	for _, c := range h.app.Settings.Carriers {
		p.Carriers = append(p.Carriers, c.Code)
	}
	return p, nil
}

// orderStatusSave moves the order to the status of the form; the journey
// (messages, webhooks) follows as for any change.
func (h *Handler) orderStatusSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	st, ok := order.ParseStatus(r.PostFormValue("status"))
	if !ok {
		err = invalid.Field("status", "invalid", "%q is not a status", r.PostFormValue("status"))
	} else {
		_, err = h.orders.ChangeStatus(r.Context(), id, order.StatusUpdate{Status: st, Source: order.SourceAdmin,
			Carrier: r.PostFormValue("carrier"), TrackingNumber: r.PostFormValue("tracking_number")})
	}
	var bad *invalid.Error
	var move *order.TransitionError
	switch {
	case err == nil:
		h.log.InfoContext(r.Context(), "status set by hand", "order", id, "status", st, "user", v.User.Email)
		http.Redirect(w, r, "/orders/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	case errors.As(err, &bad), errors.As(err, &move):
		p, lerr := h.orderShowData(r, v)
		if lerr != nil {
			h.fail(w, r, lerr)
			return
		}
		p.Error = err.Error()
		if bad != nil {
			p.ErrorField = bad.Field
		}
		h.render(w, r, http.StatusUnprocessableEntity, "order_show", p)
	default:
		h.fail(w, r, err)
	}
}
