package experience

import (
	"slices"
	"time"
)

// Kind is what went wrong.
type Kind string

// The kinds of negative experience, exactly these.
const (
	LateDelivery      Kind = "late_delivery"      // the order came after its promised day and the grace
	BrokenPromise     Kind = "broken_promise"     // a re-promise later than the first promise
	UnansweredMessage Kind = "unanswered_message" // a conversation past its response target
	MissedCallback    Kind = "missed_callback"    // the call-back reached nobody (no answer, wrong number)
	LowScore          Kind = "low_score"          // a low survey score or conversation rating
	CancelledByShop   Kind = "cancelled_by_shop"  // the shop, not the customer, cancelled the order
	Unreachable       Kind = "unreachable"        // order news failed on every channel
)

// Kinds lists every kind, in the order the pages show them.
func Kinds() []Kind {
	return []Kind{LateDelivery, BrokenPromise, UnansweredMessage, MissedCallback, LowScore, CancelledByShop, Unreachable}
}

// Known reports whether k is one of Kinds.
func (k Kind) Known() bool { return slices.Contains(Kinds(), k) }

// Window is the span the register counts a customer's recent negative
// experiences over (experience.recorded's count, the service_recovery
// rule's "second within 90 days").
const Window = 90 * 24 * time.Hour

// The causes of experience.negative that the register reads, besides
// inbox's (unanswered, low_rating) and survey's (low_score).
const (
	CauseUnanswered     = "unanswered"
	CauseLowScore       = "low_score"
	CauseLowRating      = "low_rating"
	CauseMissedCallback = "missed_callback"
	CauseWrongNumber    = "wrong_number"
	CauseUnreachable    = "unreachable"
)

// Experience is one row of the register. It carries ids and figures, no
// personal data: Detail is machine-readable (days late, promised days),
// and Resolution the shop's own note.
type Experience struct {
	ID         int64     `json:"id"`
	CustomerID int64     `json:"customer_id"`
	OrderID    int64     `json:"order_id,omitempty"`
	Kind       Kind      `json:"kind"`
	Ref        string    `json:"ref"`
	At         time.Time `json:"at"`
	Detail     string    `json:"detail,omitempty"`
	// CostMinor is what the bad moment cost the shop, CompensationMinor
	// what the customer was given, in the shop's currency's minor units.
	CostMinor         int64      `json:"cost_minor"`
	CompensationMinor int64      `json:"compensation_minor"`
	ResolvedAt        *time.Time `json:"resolved_at,omitempty"`
	ResolvedBy        string     `json:"resolved_by,omitempty"`
	Resolution        string     `json:"resolution,omitempty"`
}

// Entry is a negative experience to record.
type Entry struct {
	CustomerID int64
	OrderID    int64
	Kind       Kind
	// Ref names what it was about ("order:12", "conversation:7"): the
	// register keeps one row per customer, kind and ref.
	Ref     string
	At      time.Time
	Detail  string
	History bool
}
