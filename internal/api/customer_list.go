package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
)

// customerListJSON answers GET /customers: a page of customers and where
// the next one starts.
type customerListJSON struct {
	Customers  []customerRowJSON `json:"customers"`
	NextCursor *string           `json:"next_cursor" doc:"The cursor of the next page; null on the last page."`
}

// customerRowJSON is a customer in a list.
type customerRowJSON struct {
	customerJSON
	OrdersCount int64       `json:"orders_count"`
	LTV         json.Number `json:"ltv"`
	Currency    string      `json:"currency"`
	LastOrderAt *time.Time  `json:"last_order_at"`
}

// customerList lists customers, the most recent buyers first, found by
// the words of ?q= through the customer search index.
func (h *Handler) customerList(w http.ResponseWriter, r *http.Request) {
	var errs invalid.List
	limit, cursor := pageOf(r, &errs)
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if err := errs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	list, more, err := h.customers.List(r.Context(), customer.ListFilter{Query: q, After: cursor, Limit: limit})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cur := h.app.Settings.Shop.Currency
	out := customerListJSON{Customers: make([]customerRowJSON, 0, len(list))}
	for _, c := range list {
		out.Customers = append(out.Customers, customerRowJSON{
			customerJSON: customerJSON{ID: c.ID, ExternalID: c.ExternalID, Name: c.Name, Email: c.Email, Phone: c.Phone,
				Language: c.Language, Country: c.Country, City: c.City, Timezone: c.Timezone},
			OrdersCount: c.OrdersCount, LTV: json.Number(money.Format(c.SpentMinor, money.Scale(cur))), Currency: cur,
			LastOrderAt: c.LastOrderAt})
	}
	if more && len(list) > 0 {
		c := list[len(list)-1].Cursor()
		out.NextCursor = &c
	}
	writeJSON(w, http.StatusOK, out)
}
