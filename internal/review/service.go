package review

import (
	"context"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Params are the Service's collaborators.
type Params struct {
	Journal *journal.Journal
	// Signer signs the review links (signin.Service); nil makes none.
	Signer Signer
	// Bonus credits the loyalty programme's review bonus, once per order
	// (loyalty.Service.Review); nil credits nothing.
	Bonus Bonus
	// Jobs enqueues the write-back of a published review to the shop's
	// platforms (Writers, see WritersOf); either nil writes nothing back.
	Jobs    Queue
	Writers []connector.ReviewWriter
}

// Bonus credits a customer's review bonus for an order.
type Bonus interface {
	Review(ctx context.Context, customerID, orderID int64) (bool, error)
}

// Service is the package's service for the HTTP surfaces and the jobs: it
// holds the database so the handlers do not.
type Service struct {
	db      *store.DB
	deps    service.Deps
	journal *journal.Journal
	signer  Signer
	bonus   Bonus
	jobs    Queue
	writers []connector.ReviewWriter
}

// New returns the service over deps' database and settings.
func New(deps service.Deps, p Params) *Service {
	return &Service{db: deps.DB, deps: deps, journal: p.Journal, signer: p.Signer, bonus: p.Bonus,
		jobs: p.Jobs, writers: p.Writers}
}
