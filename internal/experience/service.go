package experience

import (
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
}

// New returns the service over deps' database and settings.
func New(deps service.Deps, p Params) *Service {
	return &Service{db: deps.DB, deps: deps, journal: p.Journal}
}
