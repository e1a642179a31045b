package insider

import (
	"time"

	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Params are the Service's collaborators.
type Params struct {
	Journal *journal.Journal
	// Signer signs the invitation links under the shop's one key
	// (signin.Service).
	Signer Signer
}

// Signer makes the HMAC of a signed link's payload for a purpose
// (signin.Service.Sign).
type Signer interface {
	Sign(purpose string, payload []byte) []byte
}

// Service is the club for the HTTP surfaces, the demo and the jobs: its
// projects, their members and the invitation links. It holds the
// database so the handlers do not.
type Service struct {
	db      *store.DB
	deps    service.Deps
	journal *journal.Journal
	signer  Signer
}

// New returns the service over deps' database and settings.
func New(deps service.Deps, p Params) *Service {
	return &Service{db: deps.DB, deps: deps, journal: p.Journal, signer: p.Signer}
}

// today is the shop-local day on the business clock.
func (s *Service) today() string {
	return s.deps.Clock.Now().In(s.deps.Settings.Shop.Location()).Format(time.DateOnly)
}

// Today is the shop-local day (YYYY-MM-DD) the projects' dates are read
// against.
func (s *Service) Today() string { return s.today() }
