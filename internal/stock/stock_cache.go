package stock

import "github.com/shopcare/shopcare/internal/calendar"

// Availability is what a quote needs of a SKU, read from memory.
type Availability struct {
	// Available is on hand less reserved.
	Available int
	// NextOn is the day of the next incoming delivery; zero for none.
	NextOn calendar.Day
}

// Available answers a SKU's availability from memory, without the
// database; tracked is false for a SKU the shop does not track (it is
// always promised as in stock).
func (s *Service) Available(sku string) (a Availability, tracked bool) {
	return Availability{}, false
}
