package campaign

import (
	"context"
)

// Part "core": the campaign's validation and rows (campaign_store.go,
// campaign_validate.go, queries.go) and the saved audiences.

// Page is one page of the campaigns, the newest first.
type Page struct {
	Campaigns []Campaign
	// Next is the cursor of the next page; "" at the end.
	Next string
}

// Create validates in and stores it as a draft; a 4xx-worthy problem is
// an invalid.List naming the fields, and nothing is written.
func (s *Service) Create(ctx context.Context, in Input) (int64, error) { return 0, errNotBuilt }

// Update replaces a draft's fields with in; only drafts change.
func (s *Service) Update(ctx context.Context, id int64, in Input) error { return errNotBuilt }

// Get returns one campaign; a missing one is store.ErrNotFound.
func (s *Service) Get(ctx context.Context, id int64) (*Campaign, error) { return nil, errNotBuilt }

// List returns a page of the campaigns, the newest first.
func (s *Service) List(ctx context.Context, cursor string, limit int) (Page, error) {
	return Page{}, errNotBuilt
}
