package api

import (
	"context"
	"net/http"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/promise"
)

// promiseJSON is a promise as the API shows it: the dates (YYYY-MM-DD in
// the shop's time zone), how they follow in words, and for an order every
// version the customer was given.
type promiseJSON struct {
	ProductionDate *string              `json:"production_date"`
	ShipDate       *string              `json:"ship_date"`
	DeliveryFrom   *string              `json:"delivery_from"`
	DeliveryTo     *string              `json:"delivery_to"`
	Provisional    bool                 `json:"provisional"`
	Given          bool                 `json:"given,omitempty"`
	Language       i18n.Lang            `json:"language"`
	Explain        []string             `json:"explain"`
	History        []promiseVersionJSON `json:"history,omitempty"`
}

// promiseVersionJSON is one version of an order's promise: the first one
// given at the order, then one per change, with the reason in words.
type promiseVersionJSON struct {
	Version        int       `json:"version"`
	Reason         string    `json:"reason"`
	Why            string    `json:"why"`
	At             time.Time `json:"at"`
	ProductionDate *string   `json:"production_date"`
	ShipDate       *string   `json:"ship_date"`
	DeliveryFrom   *string   `json:"delivery_from"`
	DeliveryTo     *string   `json:"delivery_to"`
}

func storedJSON(p promise.Stored) promiseJSON {
	return promiseJSON{ProductionDate: optional(p.ProductionDate), ShipDate: optional(p.ShipDate),
		DeliveryFrom: optional(p.DeliveryFrom), DeliveryTo: optional(p.DeliveryTo), Explain: []string{}}
}

func versionJSON(v int, reason, why string, at time.Time, p promise.Stored) promiseVersionJSON {
	return promiseVersionJSON{Version: v, Reason: reason, Why: why, At: at,
		ProductionDate: optional(p.ProductionDate), ShipDate: optional(p.ShipDate),
		DeliveryFrom: optional(p.DeliveryFrom), DeliveryTo: optional(p.DeliveryTo)}
}

// language picks the language of customer-visible text: ?lang=, else the
// customer's, else the shop's first.
func (h *Handler) language(r *http.Request, customerLang string) i18n.Lang {
	return h.languageOf(r.URL.Query().Get("lang"), customerLang)
}

// languageOf is language with the ?lang= asked for given as asked.
func (h *Handler) languageOf(asked, customerLang string) i18n.Lang {
	if l, ok := i18n.Parse(asked); ok {
		return l
	}
	return i18n.Pick(customerLang, i18n.Pick(h.app.Settings.Shop.Languages[0], i18n.EN))
}

// orderPromise is the order's promise with its explanation and history.
func (h *Handler) orderPromise(ctx context.Context, lang i18n.Lang, o *order.Order) (promiseJSON, error) {
	ex, err := h.orders.ExplainOrder(ctx, o, lang)
	if err != nil {
		return promiseJSON{}, err
	}
	loc := h.app.Settings.Shop.Location()
	p := storedJSON(o.Promise())
	p.Provisional, p.Given, p.Language, p.Explain = ex.Provisional, o.PromiseGiven, lang, ex.Steps
	first := o.Promise()
	if len(ex.Changes) > 0 {
		first = ex.Changes[0].Old
	}
	reason := "placed"
	if o.PromiseGiven {
		reason = "given"
	}
	p.History = append(p.History, versionJSON(1, reason, reasonText(lang, reason, ""), o.PlacedAt.In(loc), first))
	for i, c := range ex.Changes {
		p.History = append(p.History, versionJSON(i+2, c.Reason, reasonText(lang, c.Reason, c.Detail), c.ChangedAt.In(loc), c.New))
	}
	return p, nil
}

// reasonText says in lang why a version of a promise exists.
func reasonText(lang i18n.Lang, reason, detail string) string {
	data := map[string]any{"Detail": detail}
	switch reason {
	case "placed":
		return i18n.Text(lang, "promise.reason.placed", data)
	case "given":
		return i18n.Text(lang, "promise.reason.given", data)
	case promise.ReasonStartedLate:
		return i18n.Text(lang, "promise.reason.started_late", data)
	case promise.ReasonShippedLate:
		return i18n.Text(lang, "promise.reason.shipped_late", data)
	case promise.ReasonCarrierChanged:
		return i18n.Text(lang, "promise.reason.carrier_changed", data)
	case promise.ReasonDayOff:
		return i18n.Text(lang, "promise.reason.day_off", data)
	case order.ReasonOrderChanged:
		return i18n.Text(lang, "promise.reason.order_changed", data)
	}
	return reason
}

func customerLanguage(o *order.Order) string {
	if o.Customer == nil {
		return ""
	}
	return o.Customer.Language
}
