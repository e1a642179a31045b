package webhook

import "context"

// Deliveries returns the newest deliveries, newest first, each with its
// attempts, over the read pool (see List): the API calls it instead of
// holding the database.
func (s *Service) Deliveries(ctx context.Context, f Filter) ([]Delivery, error) {
	return List(ctx, s.db.Read(), f)
}
