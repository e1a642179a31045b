// Package service holds Deps, what every domain service is built on: the
// database, the clock, the logger and the shop's settings. It follows
// River's baseservice.Archetype: app.Open fills one Deps and hands it,
// first, to each service's constructor, which takes its collaborators
// (other services, the job queue, the journal) in a Params struct of its
// own. Every constructor thus reads the same way, whatever the service:
//
//	orders := order.NewService(deps, order.Params{Journal: j, Jobs: q, Promises: p})
//
// The package sits below the domain: it imports only store, clock and
// config, so that any service can take a Deps.
package service

import (
	"log/slog"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/store"
)

// Deps are the dependencies every service shares. The zero value is not
// usable as it stands; tests fill the fields they need (a service built
// without a database works until it is asked to store something).
type Deps struct {
	// DB is the shop's database, for the services' own tables and their
	// transactions.
	DB *store.DB
	// Clock is business time: the time orders, promises and messages are
	// reckoned by (a scaled or fake clock in the demo and in tests).
	Clock clock.Clock
	// Log is the logger; Component tags it for one service.
	Log *slog.Logger
	// Settings are the shop's settings, as read and validated at start.
	Settings config.Settings
}

// Component returns a copy of d whose logger tags every record with
// component=name, so that each service's lines say whose they are.
func (d Deps) Component(name string) Deps {
	if d.Log != nil {
		d.Log = d.Log.With("component", name)
	}
	return d
}
