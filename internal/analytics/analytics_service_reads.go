package analytics

import "context"

// DeliveryRecord reads the whole delivery record over the read pool (see
// ComputeDelivery): the parcels desk calls it instead of holding the
// database.
func (s *Service) DeliveryRecord(ctx context.Context) (*Delivery, error) {
	return ComputeDelivery(ctx, s.db.Read())
}
