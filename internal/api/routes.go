// Package api is shopcare's JSON API under /api/v1, for shop platforms and
// scripts: thin handlers that parse, validate, call the domain and respond.
package api

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/metrics"
)

// MaxBodyBytes bounds a request body; an order is a few kilobytes.
const MaxBodyBytes = 1 << 20

// Handler serves the API.
type Handler struct {
	services // what the handlers call; app keeps the settings, clock and the rest
	app      *app.App
	log      *slog.Logger
	// human is the real clock, of the tokens' last use; the shop's
	// business runs on app.Clock.
	human clock.Clock
	usage *usage
	// scopes are the token scopes of each route's pattern (register).
	scopes map[string][]auth.Scope
	// bodyLimits are the body bounds of the routes that raise it.
	bodyLimits map[string]int64
	// patterns are the patterns registered on the mux, for the test
	// that each is in the OpenAPI document.
	patterns []string
	// openapi is the OpenAPI document of the routes, built on first use.
	openapi func() ([]byte, error)
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
	h := &Handler{services: servicesOf(a), app: a, log: a.Log.With("component", "api"), human: clock.System{}}
	h.usage = &usage{h: h, started: map[int64]time.Time{}}
	for _, o := range opts {
		o(h)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", h.healthz)
	mux.HandleFunc("GET /readyz", h.readyz)

	// Every route under /api/v1 is in one table (api_routes.go), which
	// the OpenAPI document is generated from too.
	routes := append(h.routes(), h.voiceRoutes()...)
	routes = append(routes, h.campaignRoutes()...)
	routes = append(routes, h.actionRoutes()...)
	routes = append(routes, h.stockRoutes()...)
	routes = append(routes, h.waitlistRoutes()...)
	h.register(mux, routes)
	h.openapi = sync.OnceValues(func() ([]byte, error) { return openapiJSON(routes) })
	// Any valid token learns that a path does not exist.
	h.scopes["/api/v1/"] = nil
	mux.Handle("/api/v1/", h.authed(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, "not_found", "no such API endpoint: "+r.Method+" "+r.URL.Path, "")
	}))
	return h.recoverer(plainPath(metrics.Routed(mux)))
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
