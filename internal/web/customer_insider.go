package web

import (
	"context"

	"github.com/shopcare/shopcare/internal/insider"
)

// customerInsiders are the club's projects customer id is in, for the
// customer's page in the admin.
func (h *Handler) customerInsiders(ctx context.Context, id int64) ([]insider.Membership, error) {
	return h.app.Insiders.CustomerProjects(ctx, id)
}
