package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/stock"
)

// LowStock is how few units available the widget words as "only 2 left".
const LowStock = 5

// waitlistRoutes are the API routes of the back-in-stock requests and
// the availability the stock widget shows.
func (h *Handler) waitlistRoutes() []route {
	return []route{
		{Method: "GET", Path: "/api/v1/stock/{sku}/availability", Tag: "stock", Public: true, handle: h.stockAvailability,
			Summary: "Whether an item is in stock, in words",
			Description: "For the shop's product pages (the widget /stock.js): no token, open to any origin, answered from memory. " +
				"It never names a customer.",
			Query:    []param{{Name: "lang", Description: "Language of the text.", Enum: []string{"ru", "lv", "en"}}},
			Response: availabilityJSON{}, Status: 200, Errors: []int{s422}},
		{Method: "GET", Path: "/api/v1/stock/{sku}/waitlist", Tag: "stock", Scopes: []auth.Scope{auth.ScopeRead}, handle: h.waitlistGet,
			Summary:  "Who waits to be told an item is back, first come first",
			Query:    []param{{Name: "limit", Type: "integer", Description: "At most this many entries (1–1000, default 100)."}},
			Response: waitlistJSON{}, Status: 200, Errors: []int{s422}},
		{Method: "POST", Path: "/api/v1/stock/{sku}/waitlist", Tag: "stock", Scopes: []auth.Scope{auth.ScopeOrdersWrite}, handle: h.waitlistAsk,
			Summary: "Ask to tell a customer when an item is back",
			Description: "A customer by customer_id (shopcare's or the shop's), or by email or phone (found, or added as a customer). " +
				"The message goes once, when stock comes in, at the customer's hours; asking again while waiting is the same request (200).",
			Request: waitlistAskJSON{}, Response: stock.Request{}, Status: 201, Errors: append([]int{s404}, bodyErrors...)},
	}
}

// availabilityJSON answers GET /stock/{sku}/availability.
type availabilityJSON struct {
	SKU string `json:"sku"`
	// Tracked is false for an item the shop does not count: it is sold
	// as in stock.
	Tracked bool `json:"tracked"`
	// Status is in_stock, low or out.
	Status    string `json:"status"`
	Available int    `json:"available"`
	// NextOn is the day the next delivery is expected (YYYY-MM-DD), "".
	NextOn string `json:"next_on,omitempty"`
	// Text is the status in words, in lang.
	Text string `json:"text"`
}

// availability is what a SKU's availability says to a visitor: its
// status (in_stock, low, out) and the words, in lang.
func availability(lang i18n.Lang, sku string, a stock.Availability, tracked bool) availabilityJSON {
	out := availabilityJSON{SKU: sku, Tracked: tracked, Status: "in_stock", Available: max(a.Available, 0)}
	switch {
	case !tracked:
		out.Available = 0
		out.Text = i18n.Text(lang, "tracking.stock.in_stock", nil)
	case a.Available <= 0:
		out.Status, out.Text = "out", i18n.Text(lang, "tracking.stock.out", nil)
		if a.NextOn != 0 {
			out.NextOn = a.NextOn.String()
			out.Text = i18n.Text(lang, "tracking.stock.out_until", map[string]any{"When": i18n.FormatOnDay(lang, a.NextOn)})
		}
	case a.Available <= LowStock:
		out.Status = "low"
		out.Text = i18n.Text(lang, "tracking.stock.few", map[string]any{"Count": a.Available})
	default:
		out.Text = i18n.Text(lang, "tracking.stock.in_stock", nil)
	}
	return out
}

// stockAvailability answers whether an item is in stock, for the widget
// on the shop's pages: from memory, no personal data, any origin.
func (h *Handler) stockAvailability(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	sku := r.PathValue("sku")
	var errs invalid.List
	errs.CheckText("sku", sku)
	errs.CheckText("lang", r.URL.Query().Get("lang"))
	lang, ok := i18n.Parse(strings.TrimSpace(r.URL.Query().Get("lang")))
	if !ok {
		lang = h.shopLang()
		if l := strings.TrimSpace(r.URL.Query().Get("lang")); l != "" {
			errs.Add("lang", "unknown", "%q is not a language shopcare speaks: ru, lv or en", l)
		}
	}
	if err := errs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	a, tracked := h.app.Stock.Available(sku)
	w.Header().Set("Cache-Control", "public, max-age=30")
	writeJSON(w, http.StatusOK, availability(lang, sku, a, tracked))
}

// shopLang is the shop's first language.
func (h *Handler) shopLang() i18n.Lang {
	if l := h.app.Settings.Shop.Languages; len(l) > 0 {
		return i18n.Pick(l[0], i18n.EN)
	}
	return i18n.EN
}

// waitlistJSON answers GET /stock/{sku}/waitlist.
type waitlistJSON struct {
	SKU string `json:"sku"`
	// Count is how many wait in all; Entries the first of them.
	Count   int             `json:"count"`
	Entries []stock.Request `json:"entries"`
}

func (h *Handler) waitlistGet(w http.ResponseWriter, r *http.Request) {
	sku := r.PathValue("sku")
	var errs invalid.List
	errs.CheckText("sku", sku)
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			errs.Add("limit", "invalid", "limit must be a whole number from 1 to 1000")
		}
		limit = n
	}
	if err := errs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	list, n, err := h.app.Stock.Waiting(r.Context(), sku, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if list == nil {
		list = []stock.Request{}
	}
	writeJSON(w, http.StatusOK, waitlistJSON{SKU: sku, Count: n, Entries: list})
}

// waitlistAskJSON is the body of POST /stock/{sku}/waitlist.
type waitlistAskJSON struct {
	// CustomerID is shopcare's id or the shop's external id.
	CustomerID string `json:"customer_id,omitempty"`
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Name       string `json:"name,omitempty"`
	Language   string `json:"language,omitempty"`
	// Channel is email, sms or telegram; email by default.
	Channel string `json:"channel,omitempty"`
	// PageURL is the product page the message links.
	PageURL string `json:"page_url,omitempty"`
}

func (h *Handler) waitlistAsk(w http.ResponseWriter, r *http.Request) {
	var req waitlistAskJSON
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	p := stock.AskParams{SKU: r.PathValue("sku"), Email: req.Email, Phone: req.Phone, Name: req.Name, Language: req.Language,
		Channel: req.Channel, Source: stock.SourceAPI, PageURL: req.PageURL}
	if ref := strings.TrimSpace(req.CustomerID); ref != "" {
		id, err := h.customers.ResolveID(r.Context(), ref)
		if errors.Is(err, app.ErrNotFound) {
			err = invalid.Field("customer_id", "not_found", "there is no customer %q", ref)
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.CustomerID = id
	}
	res, err := h.app.Stock.Ask(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if res.Again {
		status = http.StatusOK
	}
	writeJSON(w, status, res.Request)
}
