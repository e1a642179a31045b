package experience

import (
	"context"

	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Params are the Service's collaborators.
type Params struct {
	Journal *journal.Journal
}

// Service is the package's service for the HTTP surfaces and the jobs: it
// holds the database so the handlers do not. It is also the register's
// journal handler (HandleEvents).
type Service struct {
	db      *store.DB
	deps    service.Deps
	journal *journal.Journal
	scores  Scores
}

// Scores sums the CLV model's scores up (analytics.Service): the worth
// of care compares the predicted value of customers with and without
// negative experiences.
type Scores interface {
	ScoreTotals(ctx context.Context) (scored, clvMinor int64, err error)
}

// UseScores sets where the CLV scores' totals come from; the analytics
// service is built after the register, which its journal handler needs
// first.
func (s *Service) UseScores(sc Scores) { s.scores = sc }

// New returns the service over deps' database and settings.
func New(deps service.Deps, p Params) *Service {
	return &Service{db: deps.DB, deps: deps, journal: p.Journal}
}
