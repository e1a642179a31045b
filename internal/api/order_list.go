package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// orderListJSON answers GET /orders: a page of orders and where the next
// one starts.
type orderListJSON struct {
	Orders []orderRowJSON `json:"orders"`
	// NextCursor is the cursor of the next page, null on the last.
	NextCursor *string `json:"next_cursor" doc:"The cursor of the next page; null on the last page."`
}

// orderRowJSON is an order in a list: its figures and customer, without
// items and history (GET /orders/{id} has them).
type orderRowJSON struct {
	ID           int64             `json:"id"`
	ExternalID   string            `json:"external_id"`
	Status       order.Status      `json:"status"`
	Total        json.Number       `json:"total"`
	Currency     string            `json:"currency"`
	Carrier      string            `json:"carrier"`
	CreatedAt    time.Time         `json:"created_at" doc:"When the order was placed."`
	UpdatedAt    time.Time         `json:"updated_at"`
	PromisedTo   *string           `json:"promised_to" doc:"The last promised delivery day, YYYY-MM-DD in the shop's time zone."`
	DeliveredOn  *string           `json:"delivered_on"`
	PromiseState *string           `json:"promise_state" doc:"on_track, at_risk, late, kept or broken; null without a promise."`
	Customer     customerBriefJSON `json:"customer"`
}

// customerBriefJSON is who an order in a list is for.
type customerBriefJSON struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// orderList lists orders by the filters of the query, a page at a time.
func (h *Handler) orderList(w http.ResponseWriter, r *http.Request) {
	f, err := h.orderFilter(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, more, err := h.orders.List(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := orderListJSON{Orders: make([]orderRowJSON, 0, len(items))}
	loc := h.app.Settings.Shop.Location()
	for _, it := range items {
		row := orderRowJSON{ID: it.ID, ExternalID: it.ExternalID, Status: it.Status,
			Total: json.Number(money.Format(it.TotalMinor, money.Scale(it.Currency))), Currency: it.Currency,
			Carrier: it.Carrier, CreatedAt: it.PlacedAt.In(loc), UpdatedAt: it.UpdatedAt.In(loc),
			PromisedTo: optional(it.PromisedTo), DeliveredOn: optional(it.DeliveredOn),
			PromiseState: optional(string(it.PromiseState(f.Today, f.GraceDays))),
			Customer:     customerBriefJSON{ID: it.CustomerID, Name: it.CustomerName, Email: it.Email, Phone: it.Phone}}
		out.Orders = append(out.Orders, row)
	}
	if more && len(items) > 0 {
		c := items[len(items)-1].Cursor()
		out.NextCursor = &c
	}
	writeJSON(w, http.StatusOK, out)
}

// orderFilter reads the query of GET /orders; every parameter that
// cannot be read is named.
func (h *Handler) orderFilter(r *http.Request) (order.ListFilter, error) {
	q := r.URL.Query()
	var errs invalid.List
	f := order.ListFilter{Today: h.orders.Today(), GraceDays: h.app.Settings.Compensation.LateGraceDays}
	if v := strings.TrimSpace(q.Get("status")); v != "" {
		st, ok := order.ParseStatus(v)
		if !ok {
			errs.Add("status", "invalid", "%q is not a status (%s)", v, order.StatusNames())
		}
		f.Status = st
	}
	if v := strings.TrimSpace(q.Get("promise_state")); v != "" {
		switch st := order.PromiseState(v); st {
		case order.OnTrack, order.AtRisk, order.Late, order.Kept, order.Broken:
			f.State = st
		default:
			errs.Add("promise_state", "invalid", "%q is not on_track, at_risk, late, kept or broken", v)
		}
	}
	if v := strings.TrimSpace(q.Get("updated_since")); v != "" {
		t, err := parseTime(v, h.app.Settings.Shop.Location())
		if err != nil {
			errs.Add("updated_since", "invalid", "%q is not a time like 2026-11-23T15:20:00+03:00", v)
		} else if e := invalid.Time("updated_since", t, time.Time{}, false); e != nil {
			errs = append(errs, e)
		}
		f.UpdatedSince = t
	}
	if v := strings.TrimSpace(q.Get("customer")); v != "" {
		id, err := h.customers.ResolveID(r.Context(), v)
		switch {
		case errors.Is(err, app.ErrNotFound):
			errs.Add("customer", "unknown", "no customer has the id or external id %q", v)
		case err != nil:
			return f, err
		}
		f.CustomerID = id
	}
	f.Limit, f.After = pageOf(r, &errs)
	return f, errs.Err()
}

// pageOf reads ?limit= (1 to 200, default 50) and ?cursor= of a
// cursor-paged list; a cursor shopcare did not write is a 422, not the
// first page again (a client would loop).
func pageOf(r *http.Request, errs *invalid.List) (limit int, cursor string) {
	q := r.URL.Query()
	limit = 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			errs.Add("limit", "invalid", "must be a number from 1 to 200")
		}
		limit = n
	}
	cursor = strings.TrimSpace(q.Get("cursor"))
	if cursor != "" {
		if !app.ValidCursor(cursor) {
			errs.Add("cursor", "invalid", "is not a cursor this API gave (next_cursor of the page before)")
		}
	}
	return limit, cursor
}
