package campaign

import (
	"context"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Part "core": who is in an audience.

// Count is an audience counted before sending.
type Count struct {
	// Customers is everyone the filter matches.
	Customers int64
	// Reachable is those of them the campaign's channel may carry it
	// to: marketing consent on the channel, an address that has not
	// failed, no unsubscribe from marketing.
	Reachable int64
}

// CountAudience counts audience a for a campaign on channel.
func (s *Service) CountAudience(ctx context.Context, a Audience, channel string) (Count, error) {
	return Count{}, errNotBuilt
}

// checkAudience validates audience a, naming fields under prefix.
func (s *Service) checkAudience(errs *invalid.List, prefix string, a Audience) {}
