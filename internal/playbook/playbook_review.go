package playbook

import "time"

// ReviewLinks signs the links to an order's review page (review.Service).
type ReviewLinks interface {
	WriteURL(customerID, orderID int64, now time.Time) string
}

// UseReviews gives the messages their ReviewURL: the review service is
// built after the playbook, which it does not need.
func (p *Playbook) UseReviews(r ReviewLinks) { p.reviews = r }
