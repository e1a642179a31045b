package audit

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/callback"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Params are the Service's collaborators. Each source of a measured
// figure may be nil: its figures are then left out.
type Params struct {
	Journal *journal.Journal
	// Callbacks tells how many call-backs came within their hour.
	Callbacks CallbackFigures
	// Inbox tells how many answers kept the response target, and how
	// many conversations are overdue.
	Inbox InboxFigures
	// Deliveries tells the on-time rate of the delivered orders.
	Deliveries DeliveryFigures
	// Surveys tells the NPS of the confirmed delivery surveys.
	Surveys SurveyFigures
	// Pickups tells how many pickup reminders went out.
	Pickups PickupFigures
}

// PickupFigures count the "your parcel is waiting" reminders sent in
// [from, to) and the parcels they were about (parcel.Service).
type PickupFigures interface {
	RemindersSentBetween(ctx context.Context, from, to time.Time) (reminders, parcels int64, err error)
}

// CallbackFigures are the call-back figures of a period (callback.Service).
type CallbackFigures interface {
	Stats(ctx context.Context, from, to time.Time) (callback.Stats, error)
}

// InboxFigures are the support inbox's figures of a period (inbox.Service).
type InboxFigures interface {
	Metrics(ctx context.Context, from, to time.Time) (inbox.Metrics, error)
}

// DeliveryFigures count the orders delivered on the shop days from..to
// (YYYY-MM-DD, both included) with a promise, and those by the promised
// day (analytics.Service).
type DeliveryFigures interface {
	OnTimeBetween(ctx context.Context, fromDay, toDay string) (delivered, onTime int64, err error)
}

// SurveyFigures count the confirmed NPS answers given in [from, to):
// promoters (9–10), passives (7–8) and detractors (0–6) (survey.Service).
type SurveyFigures interface {
	NPSBetween(ctx context.Context, from, to time.Time) (promoters, passives, detractors int, err error)
}

// Service is the shop's touch-point audit: the checklists, the checks
// recorded against them, and the figures beside them.
type Service struct {
	db      *store.DB
	deps    service.Deps
	journal *journal.Journal
	p       Params
}

// New returns the service over deps' database and settings.
func New(deps service.Deps, p Params) *Service {
	return &Service{db: deps.DB, deps: deps, journal: p.Journal, p: p}
}
