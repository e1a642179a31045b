package review

import "time"

// WriteURL returns the address where customerID writes the reviews of
// orderID's products, without signing in: a link verified by the order
// (its token says which order it came from). Empty when the shop has no
// public_url.
func (s *Service) WriteURL(customerID, orderID int64, now time.Time) string {
	return ""
}
