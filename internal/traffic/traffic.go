// Package traffic counts the shop's visitors: a first-party page-view
// counter the shop puts on its site (POST /collect, no cookies, nothing
// personal kept), and visits the shop or its platform push. It answers
// visits, unique visitors and their sources per day and per hour, which
// analytics sets beside the orders, and the early warning watches.
//
// A visitor is a hash of the day's random salt, the address and the
// browser; the salt is deleted the day after, so a visitor can neither
// be traced back nor followed from one day to the next.
//
// The package owns the tables traffic_salts, traffic_visitors,
// traffic_days, traffic_hours and traffic_paths.
package traffic

import (
	"log/slog"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Origins of traffic figures.
const (
	OriginCounter = "counter" // the shop's own counter, POST /collect
	OriginAPI     = "api"     // POST /api/v1/visits
)

// Day is a day's traffic from one source (a referring site's host, a
// campaign's utm_source, or "" for direct visits).
type Day struct {
	Day       string `json:"day"` // YYYY-MM-DD, shop-local
	Source    string `json:"source"`
	Pageviews int64  `json:"pageviews"`
	Visits    int64  `json:"visits"`
	Visitors  int64  `json:"unique_visitors"`
}

// Hour is the counter's traffic in one hour.
type Hour struct {
	Start     int64 `json:"start"` // Unix seconds of the hour's start
	Pageviews int64 `json:"pageviews"`
	Visits    int64 `json:"visits"`
}

// Service counts and reports the shop's traffic.
type Service struct {
	db       *store.DB
	clock    clock.Clock
	log      *slog.Logger
	settings config.Settings
	// counter buffers the counter's page views and writes them in
	// batches (traffic_collect.go).
	counter *counter
}

// New returns the traffic Service.
func New(d service.Deps) *Service {
	s := &Service{db: d.DB, clock: d.Clock, log: d.Log, settings: d.Settings}
	s.counter = newCounter(s)
	return s
}
