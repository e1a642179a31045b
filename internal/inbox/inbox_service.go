package inbox

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Inserter enqueues jobs inside a store transaction (jobs.Queue).
type Inserter interface {
	InsertManyTx(ctx context.Context, tx *store.Tx, params []river.InsertManyParams) error
}

// Service is the conversations' service: it threads and stores what the
// channels receive (Receiver), keeps the response targets, sends the
// operators' replies and the acknowledgements, and answers the admin's
// and the API's questions. Only this package has SQL for the
// conversations' tables.
type Service struct {
	db        *store.DB
	journal   *journal.Journal
	jobs      Inserter
	clock     clock.Clock
	settings  config.Settings
	isWorkday func(calendar.Day) bool
	channels  map[string]notify.Sender
	log       *slog.Logger
	surveys   SurveyLinks
	campaigns CampaignReports
}

var _ Receiver = (*Service)(nil)

// Params are the collaborators of the conversations' service.
type Params struct {
	Journal *journal.Journal
	Jobs    Inserter
	// IsWorkday tells the shop's working days (its country's calendar
	// with its own days off); nil means Monday to Friday.
	IsWorkday func(calendar.Day) bool
	// Channels send replies and acknowledgements: the same notify
	// senders the playbook's messages go through.
	Channels []notify.Sender
	// Surveys asks the rating of a closed conversation through the shop's
	// survey engine; nil keeps the rating page's own links.
	Surveys SurveyLinks
}

// New returns the conversations' service.
func New(d service.Deps, o Params) *Service {
	s := &Service{db: d.DB, journal: o.Journal, jobs: o.Jobs, clock: d.Clock, settings: d.Settings, isWorkday: o.IsWorkday,
		channels: map[string]notify.Sender{}, log: d.Log, surveys: o.Surveys}
	if s.isWorkday == nil {
		s.isWorkday = func(d calendar.Day) bool {
			w := d.Weekday()
			return w != time.Saturday && w != time.Sunday
		}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	for _, c := range o.Channels {
		s.channels[c.Channel()] = c
	}
	return s
}

// Errors of the operations.
var (
	// ErrClosed is returned for a change a closed conversation does not
	// take (a snooze).
	ErrClosed = errors.New("the conversation is closed")
	// ErrNoChannel is returned when no configured channel can carry an
	// answer to the conversation's address.
	ErrNoChannel = errors.New("no channel can carry the answer")
	// errDuplicate rolls back a Receive of a message stored before.
	errDuplicate = errors.New("message stored before")
)
