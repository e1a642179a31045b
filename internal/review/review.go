package review

import (
	"errors"
	"time"
)

// The states of a review. Every review starts pending; the shop publishes
// it, or rejects it for one of RejectReasons — never for its rating.
const (
	Pending   = "pending"
	Published = "published"
	Rejected  = "rejected"
)

// Statuses are the states, in the order the admin's tabs show them.
var Statuses = []string{Pending, Published, Rejected}

// RejectReasons are why the shop may keep a review off its pages (EU
// 2019/2161: a low rating is never one of them).
var RejectReasons = []string{"spam", "offensive", "personal_data", "not_about_product", "not_the_buyer", "other"}

// Where a review was written.
const (
	SourceLink = "link" // the order's signed link (/rv/{token}) in a message
	SourceMy   = "my"   // the customer's own page (/my/orders/{id}/review)
	SourceDemo = "demo"
)

// Limits of what a customer writes.
const (
	// MaxText is the most characters of a review's text.
	MaxText = 4000
	// MaxReply is the most characters of the shop's reply.
	MaxReply = 2000
	// MaxPixels bounds a photo's width × height, so that a small file
	// cannot unpack into gigabytes.
	MaxPixels = 40_000_000
)

// Errors of the service.
var (
	// ErrToken: a review link that is not one of ours, or expired.
	ErrToken = errors.New("review: unknown or expired link")
	// ErrNotDelivered: the order has not reached its customer yet (or
	// went back): there is nothing to review.
	ErrNotDelivered = errors.New("review: the order is not delivered")
)

// Review is one customer's review of one line of an order.
type Review struct {
	ID          int64
	OrderID     int64
	OrderNumber string
	CustomerID  int64
	Line        int
	SKU         string
	ProductName string
	Rating      int
	Text        string
	// Author is the name shown: the first name and the initial of the
	// last ("Anna K."), "" when the customer gave none.
	Author       string
	Language     string
	Source       string
	Status       string
	RejectReason string
	Reply        string
	ReplyAt      *time.Time
	ModeratedBy  string
	PublishedAt  *time.Time
	PlatformID   string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Photo is set when the review has a photo.
	Photo *PhotoInfo
}

// PhotoInfo describes a review's stored photo.
type PhotoInfo struct {
	ContentType   string
	Width, Height int
	Size          int64
}

// Photo is a stored photo with its bytes.
type Photo struct {
	PhotoInfo
	Data []byte
}

// Summary is the published reviews of a product in figures.
type Summary struct {
	SKU     string
	Count   int
	Average float64
	// Stars counts the reviews by rating: Stars[0] is one star.
	Stars [5]int
}
