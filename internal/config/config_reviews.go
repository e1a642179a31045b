package config

import (
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Bounds of the review settings.
const (
	maxReviewDelay   = 90 * 24 * time.Hour
	maxReviewPhoto   = 20 << 20
	defaultReviewPic = 5 << 20
)

// Reviews is how the shop asks for product reviews and takes them.
type Reviews struct {
	// AfterDelivery is how long after the delivery the review request
	// goes (the playbook rule review_request; its own
	// playbook.rules.review_request.after overrides it); default 168h,
	// a week to try what came. Every delivered order is asked, whatever
	// the customer said in a survey: asking only the happy ones is review
	// gating, which EU law counts as misleading.
	AfterDelivery Duration `yaml:"after_delivery"`
	// PhotoMaxBytes is the largest photo a review may carry, in bytes;
	// default 5242880 (5 MB), at most 20 MB. 0 takes no photos.
	PhotoMaxBytes int64 `yaml:"photo_max_bytes"`
}

// defaultReviews is the reviews of a shop that has not set its own.
func defaultReviews() Reviews {
	return Reviews{AfterDelivery: Duration(7 * 24 * time.Hour), PhotoMaxBytes: defaultReviewPic}
}

// validateReviews checks the delay and the photo cap.
func (s *Settings) validateReviews(errs *invalid.List) {
	r := s.Reviews
	if r.AfterDelivery < 0 || time.Duration(r.AfterDelivery) > maxReviewDelay {
		errs.Add("reviews.after_delivery", "invalid", "must be between 0 and %s", maxReviewDelay)
	}
	if r.PhotoMaxBytes < 0 || r.PhotoMaxBytes > maxReviewPhoto {
		errs.Add("reviews.photo_max_bytes", "invalid", "must be between 0 (no photos) and %d bytes", maxReviewPhoto)
	}
}
