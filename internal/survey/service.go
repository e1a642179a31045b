package survey

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Params are the Service's collaborators.
type Params struct {
	Journal *journal.Journal
	// Signer signs and checks the links with the shop's one key
	// (signin.Service); required.
	Signer Signer
	// Due is when an operator should act on something that happened at
	// at for a customer in loc: within the hour, in working hours (the
	// playbook's CallbackDue). Nil: an hour after.
	Due func(at time.Time, loc *time.Location) time.Time
	// ReviewURL is where a happy customer writes a review of an order
	// (review.Service.WriteURL); nil or "" invites no review.
	ReviewURL func(customerID, orderID int64, now time.Time) string
	// Rated keeps a conversation's answer on the conversation too, in
	// the answer's transaction (inbox.RecordRating); nil keeps it here
	// only.
	Rated func(ctx context.Context, tx *store.Tx, conversationID int64, score int, comment string, at time.Time) error
}

// Service is the package's service for the HTTP surfaces and the jobs: it
// holds the database so the handlers do not.
type Service struct {
	db        *store.DB
	deps      service.Deps
	journal   *journal.Journal
	signer    Signer
	due       func(at time.Time, loc *time.Location) time.Time
	reviewURL func(customerID, orderID int64, now time.Time) string
	rated     func(ctx context.Context, tx *store.Tx, conversationID int64, score int, comment string, at time.Time) error
}

// New returns the service over deps' database and settings.
func New(deps service.Deps, p Params) *Service {
	return &Service{db: deps.DB, deps: deps, journal: p.Journal, signer: p.Signer, due: p.Due, reviewURL: p.ReviewURL, rated: p.Rated}
}

// Enabled tells whether the shop asks surveys (surveys.enabled) and can
// link to them (shop.public_url).
func (s *Service) Enabled() bool {
	return s.deps.Settings.Surveys.On() && s.deps.Settings.Shop.PublicURL != "" && s.signer != nil
}

// now is business time.
func (s *Service) now() time.Time { return s.deps.Clock.Now() }

// ReviewURL is where the customer of a high delivery score writes a
// review; "" when there is none to offer.
func (s *Service) ReviewURL(sv *Survey, now time.Time) string {
	if s.reviewURL == nil || sv == nil || sv.OrderID == 0 || !High(sv.Kind, sv.Score) {
		return ""
	}
	return s.reviewURL(sv.CustomerID, sv.OrderID, now)
}

// Get returns a survey by id.
func (s *Service) Get(ctx context.Context, id int64) (*Survey, error) {
	return get(ctx, s.db.Read(), `id = $1`, id)
}
