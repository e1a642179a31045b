package campaign

import (
	"github.com/shopcare/shopcare/internal/jobs"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Params are the Service's collaborators.
type Params struct {
	Journal *journal.Journal
	// Jobs is the job queue: the send jobs are inserted in the
	// transactions that make them due, and Register adds the workers.
	Jobs *jobs.Queue
	// Channels are the shop's configured message channels; a campaign
	// goes on its own channel's.
	Channels []notify.Sender
	// Signer signs the links a campaign's message carries (tracked
	// links, unsubscribe, images need none) under the shop's one key
	// (signin.Service).
	Signer Signer
}

// Signer makes and checks the HMAC of a signed link's payload for a
// purpose (signin.Service).
type Signer interface {
	Sign(purpose string, payload []byte) []byte
	Verify(purpose string, payload, sum []byte) bool
}

// Service is the campaigns for the HTTP surfaces, the demo and the jobs.
// It holds the database so the handlers do not. Each part keeps its own
// state in its own field, declared in its own file.
type Service struct {
	db       *store.DB
	deps     service.Deps
	journal  *journal.Journal
	jobs     *jobs.Queue
	signer   Signer
	channels map[string]notify.Sender

	send    sendState    // send*.go
	content contentState // content*.go
	results resultsState // results*.go
}

// New returns the service over deps' database and settings.
func New(deps service.Deps, p Params) *Service {
	s := &Service{db: deps.DB, deps: deps, journal: p.Journal, jobs: p.Jobs, signer: p.Signer,
		channels: map[string]notify.Sender{}}
	for _, c := range p.Channels {
		s.channels[c.Channel()] = c
	}
	s.send.init(s)
	s.content.init(s)
	s.results.init(s)
	return s
}
