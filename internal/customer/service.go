package customer

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// Service is the customers of the shop for the HTTP surfaces: they call
// it instead of holding the database. Reads go to the read pool; a
// change runs in its own transaction with its journal event.
type Service struct {
	db      *store.DB
	journal *journal.Journal
}

// NewService returns the customers of db; changes record their events
// in j.
func NewService(db *store.DB, j *journal.Journal) *Service {
	return &Service{db: db, journal: j}
}

// Get returns a customer (see Get).
func (s *Service) Get(ctx context.Context, id int64) (*Customer, error) {
	return Get(ctx, s.db.Read(), id)
}

// GetProfile returns a customer with their consent (see GetProfile).
func (s *Service) GetProfile(ctx context.Context, id int64) (*Profile, error) {
	return GetProfile(ctx, s.db.Read(), id)
}

// ResolveID returns the id of a customer reference (see ResolveID).
func (s *Service) ResolveID(ctx context.Context, ref string) (int64, error) {
	return ResolveID(ctx, s.db.Read(), ref)
}

// List returns a page of customers (see List).
func (s *Service) List(ctx context.Context, f ListFilter) ([]*Customer, bool, error) {
	return List(ctx, s.db.Read(), f)
}

// PatchParams is a change to one customer: what changes, the shop's
// defaults, who asked (source) and when.
type PatchParams struct {
	ID       int64
	Patch    Patch
	Defaults Defaults
	Source   string
	Now      time.Time
}

// Patch applies a change to a customer in its own transaction (see
// PatchTx).
func (s *Service) Patch(ctx context.Context, p PatchParams) (Changed, error) {
	var ch Changed
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		ch, err = PatchTx(ctx, tx, s.journal, p.ID, p.Patch, p.Defaults, p.Source, p.Now)
		if err != nil || len(ch) == 0 {
			return err
		}
		// The fields' names only: the log is no second copy of the
		// customer's data, which an erasure must be able to remove.
		return actionlog.Record(ctx, tx, actionlog.Entry{Action: actionlog.CustomerChanged,
			Detail: map[string]any{"fields": []string(ch), "source": p.Source}}.Target(actionlog.TargetCustomer, p.ID))
	})
	return ch, err
}
