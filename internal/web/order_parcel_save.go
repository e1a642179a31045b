package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/parcel"
)

// formMinute is the layout of a datetime-local input: a shop-local
// minute.
const formMinute = "2006-01-02T15:04"

// maxNote bounds an operator's note on a carrier event.
const maxNote = 500

// parcelForm is the add-parcel or the record-event form of the order
// page as sent, and what was wrong with it.
type parcelForm struct {
	// Parcel is the parcel whose event form this is; 0 for the add form.
	Parcel                  int64
	TrackingNumber, Carrier string
	Status, At, Description string
	Field                   string // the field in error
	Error                   string // what is wrong with it, in the viewer's language
}

// orderParcels reads the order's parcels with their reminders and events.
func (h *Handler) orderParcels(ctx context.Context, orderID int64) ([]parcelView, error) {
	ps, err := h.parcels.ByOrder(ctx, orderID)
	if err != nil {
		return nil, err
	}
	out := make([]parcelView, len(ps))
	for i, p := range ps {
		v := parcelView{Parcel: p, Polled: h.parcels.Tracks(p.Carrier)}
		if v.Waiting() {
			v.KeptUntil = h.parcels.KeptUntil(p.Carrier, *p.ArrivedAt)
		}
		if v.Reminders, err = h.parcels.Reminders(ctx, p.ID); err != nil {
			return nil, err
		}
		if v.Events, err = h.parcels.Events(ctx, p.ID); err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// orderParcelSave adds a parcel to the order: a second box, or one
// shipped without its tracking number.
func (h *Handler) orderParcelSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	ctx := r.Context()
	if _, err := h.orders.Get(ctx, id); err != nil {
		h.fail(w, r, err)
		return
	}
	form := parcelForm{TrackingNumber: strings.TrimSpace(r.PostFormValue("tracking_number")), Carrier: r.PostFormValue("carrier")}
	var conflict *parcel.ConflictError
	switch _, known := h.app.Settings.Carrier(form.Carrier); {
	case !known:
		form.Field, form.Error = "carrier", i18n.Text(v.Lang, "order_show.parcel.error.carrier", nil)
	case form.TrackingNumber == "" || !oneLine(form.TrackingNumber, 64):
		form.Field, form.Error = "tracking_number", i18n.Text(v.Lang, "order_show.parcel.error.tracking_number", nil)
	default:
		_, _, err = h.parcels.Add(ctx, id, form.Carrier, form.TrackingNumber)
		switch {
		case err == nil:
			h.log.InfoContext(r.Context(), "parcel added by hand", "order", id, "tracking_number", form.TrackingNumber, "user", v.User.Email)
			http.Redirect(w, r, "/orders/"+strconv.FormatInt(id, 10)+"?saved=parcel", http.StatusSeeOther)
			return
		case errors.As(err, &conflict):
			form.Field, form.Error = "tracking_number", i18n.Text(v.Lang, "order_show.parcel.error.taken", nil)
		default:
			h.fail(w, r, err)
			return
		}
	}
	h.parcelFormFailed(w, r, v, form)
}

// parcelEventSave records a carrier event an operator heard of (from the
// customer, the post office) as if the carrier had sent it: it moves the
// parcel, and its order, as any other event.
func (h *Handler) parcelEventSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err1 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	parcelID, err2 := strconv.ParseInt(r.PathValue("parcel"), 10, 64)
	if err1 != nil || err2 != nil {
		h.notFound(w, r)
		return
	}
	ctx := r.Context()
	ps, err := h.parcels.ByOrder(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	i := slices.IndexFunc(ps, func(p parcel.Parcel) bool { return p.ID == parcelID })
	if i < 0 {
		h.notFound(w, r) // no such parcel, or another order's
		return
	}
	form := parcelForm{Parcel: parcelID, Status: r.PostFormValue("status"), At: r.PostFormValue("at"),
		Description: strings.TrimSpace(r.PostFormValue("description"))}
	loc := h.app.Settings.Shop.Location()
	at, atErr := time.ParseInLocation(formMinute, form.At, loc)
	switch {
	case !carrier.Status(form.Status).Valid():
		form.Field, form.Error = "status", i18n.Text(v.Lang, "order_show.parcel.error.status", nil)
	case atErr != nil:
		form.Field, form.Error = "at", i18n.Text(v.Lang, "order_show.parcel.error.at", nil)
	case at.After(h.app.Clock.Now()):
		form.Field, form.Error = "at", i18n.Text(v.Lang, "order_show.parcel.error.at_future", nil)
	case !oneLine(form.Description, maxNote):
		form.Field, form.Error = "description", i18n.Text(v.Lang, "order_show.parcel.error.description", map[string]any{"Max": maxNote})
	}
	if form.Field != "" {
		h.parcelFormFailed(w, r, v, form)
		return
	}
	// Without a code of the carrier's, Ingest gives the event its status
	// as its code.
	ev := carrier.Event{TrackingNumber: ps[i].TrackingNumber, Status: carrier.Status(form.Status), At: at,
		Description: form.Description}
	if field, _ := parcel.Check(ev); field != "" {
		form.Field, form.Error = field, i18n.Text(v.Lang, "order_show.parcel.error.status", nil)
		h.parcelFormFailed(w, r, v, form)
		return
	}
	out, err := h.parcels.Ingest(ctx, []parcel.Report{{Event: ev, Source: parcel.SourceAdmin}})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.InfoContext(r.Context(), "parcel event recorded by hand", "order", id, "parcel", parcelID, "status", form.Status,
		"outcome", out[0], "user", v.User.Email)
	http.Redirect(w, r, "/orders/"+strconv.FormatInt(id, 10)+"?saved=event", http.StatusSeeOther)
}

// parcelFormFailed shows the order page again with the parcel form as
// sent and its error on its field.
func (h *Handler) parcelFormFailed(w http.ResponseWriter, r *http.Request, v *visitor, form parcelForm) {
	p, err := h.orderShowData(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if form.At == "" {
		form.At = p.EventAt
	}
	p.ParcelForm = form
	h.render(w, r, http.StatusUnprocessableEntity, "order_show", p)
}

// oneLine tells whether s is one line of at most limit characters, without
// control characters.
func oneLine(s string, limit int) bool {
	if len([]rune(s)) > limit {
		return false
	}
	for _, c := range s {
		if unicode.IsControl(c) {
			return false
		}
	}
	return true
}
