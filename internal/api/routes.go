// Package api is shopcare's JSON API under /api/v1, for shop platforms and
// scripts: thin handlers that parse, validate, call the domain and respond.
package api

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/invalid"
)

// MaxBodyBytes bounds a request body; an order is a few kilobytes.
const MaxBodyBytes = 1 << 20

// Handler serves the API.
type Handler struct {
	app *app.App
	log *slog.Logger
	// human is the real clock, of the tokens' last use; the shop's
	// business runs on app.Clock.
	human clock.Clock
	usage *usage
}

// Option changes how New builds the API.
type Option func(*Handler)

// WithHumanClock sets the clock of the tokens' last use (the wall clock
// by default).
func WithHumanClock(c clock.Clock) Option {
	return func(h *Handler) { h.human = c }
}

// New returns the API's routes, /healthz included, under one mux.
func New(a *app.App, opts ...Option) http.Handler {
	h := &Handler{app: a, log: a.Log.With("component", "api"), human: clock.System{}}
	h.usage = &usage{h: h, started: map[int64]time.Time{}}
	for _, o := range opts {
		o(h)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", h.healthz)

	mux.Handle("POST /api/v1/orders", h.authed(h.orderCreate))
	mux.Handle("GET /api/v1/orders/{id}", h.authed(h.orderGet))
	mux.Handle("POST /api/v1/orders/{id}/status", h.authed(h.orderStatusSave))
	mux.Handle("GET /api/v1/orders/{id}/messages", h.authed(h.orderMessages))
	mux.Handle("POST /api/v1/orders/{id}/parcels", h.authed(h.parcelAdd))
	mux.Handle("POST /api/v1/parcels/events", h.authed(h.parcelEvents))
	mux.Handle("GET /api/v1/parcels/{tracking_number}", h.authed(h.parcelGet))
	// Carriers cannot send a bearer token: their pushes come to an
	// address with the shop's secret in it.
	mux.HandleFunc("POST /api/v1/parcels/webhooks/{carrier}/{secret}", h.parcelWebhook)
	mux.Handle("GET /api/v1/customers/{id}", h.authed(h.customerGet))
	mux.Handle("GET /api/v1/customers/{id}/ledger", h.authed(h.customerLedger))
	mux.Handle("POST /api/v1/loyalty/redeem", h.authed(h.loyaltyRedeem))
	mux.Handle("POST /api/v1/loyalty/grants", h.authed(h.loyaltyGrant))
	mux.Handle("POST /api/v1/loyalty/reviews", h.authed(h.loyaltyReview))
	mux.Handle("POST /api/v1/coupons", h.authed(h.couponCreate))
	mux.Handle("POST /api/v1/coupons/validate", h.authed(h.couponValidate))
	mux.Handle("POST /api/v1/coupons/redeem", h.authed(h.couponRedeem))
	mux.Handle("GET /api/v1/metrics", h.authed(h.metricsGet))
	mux.Handle("GET /api/v1/spend", h.authed(h.spendList))
	mux.Handle("POST /api/v1/spend", h.authed(h.spendSave))
	mux.HandleFunc("GET /api/v1/promise/quote", h.promiseQuote)
	mux.Handle("GET /api/v1/shop/days", h.authed(h.shopDaysList))
	mux.Handle("POST /api/v1/shop/days", h.authed(h.shopDaysAdd))
	mux.Handle("DELETE /api/v1/shop/days/{id}", h.authed(h.shopDaysRemove))
	mux.Handle("GET /api/v1/webhooks/deliveries", h.authed(h.webhookDeliveriesList))
	mux.Handle("GET /api/v1/conversations", h.authed(h.conversationList))
	mux.Handle("GET /api/v1/conversations/{id}/messages", h.authed(h.conversationMessages))
	mux.Handle("POST /api/v1/conversations/{id}/messages", h.authed(h.conversationReply))
	mux.Handle("/api/v1/", h.authed(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, "not_found", "no such API endpoint: "+r.Method+" "+r.URL.Path, "")
	}))
	return h.recoverer(plainPath(mux))
}

// plainPath answers 404 for a path with a NUL, another control character
// or bytes that are not UTF-8 (GET /orders/a%00b): no order, parcel or
// customer can have such an id, and PostgreSQL refuses to look one up. A
// query parameter with such text is a 422 naming it.
func plainPath(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if e := invalid.Text("path", r.URL.Path); e != nil {
			writeError(w, r, http.StatusNotFound, "not_found", "no such API endpoint or record: the path "+e.Message, "")
			return
		}
		for name, values := range r.URL.Query() {
			for _, v := range values {
				if e := invalid.Text(name, v); e != nil {
					writeError(w, r, http.StatusUnprocessableEntity, e.Code, e.Error(), name)
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
