// Package carrier is what shopcare knows of delivery services' tracking:
// the statuses every carrier's own codes are normalised to, the events a
// carrier reports, and the interfaces its adapter implements: Tracker to
// poll its tracking API, Webhook to take the events it pushes. Each
// adapter (russianpost, cdek, omniva, dhl) speaks its carrier's documented
// wire format and lives in a package of its own under this one.
package carrier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
)

// Status is a parcel's state, the same for every carrier.
type Status string

// The normalised statuses, in the order a parcel usually meets them.
const (
	Accepted        Status = "accepted"          // the carrier has the parcel
	InTransit       Status = "in_transit"        // moving between sorting centres
	Customs         Status = "customs"           // held or cleared at customs
	ArrivedAtPickup Status = "arrived_at_pickup" // waiting at a post office, pickup point or locker
	OutForDelivery  Status = "out_for_delivery"  // with the courier today
	Delivered       Status = "delivered"         // handed to the customer
	FailedAttempt   Status = "failed_attempt"    // the courier could not hand it over
	Returning       Status = "returning"         // on its way back to the shop
	Returned        Status = "returned"          // back at the shop
	Lost            Status = "lost"              // the carrier declared it lost or destroyed
)

// Statuses lists every normalised status.
var Statuses = []Status{Accepted, InTransit, Customs, ArrivedAtPickup, OutForDelivery, Delivered,
	FailedAttempt, Returning, Returned, Lost}

// Valid tells whether s is one of Statuses.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Final tells whether nothing more is expected to happen to the parcel.
func (s Status) Final() bool { return s == Delivered || s == Returned || s == Lost }

// Event is one thing a carrier reported about a parcel.
type Event struct {
	TrackingNumber string
	// Status is the normalised status; "" for an event that moves the
	// parcel to no status of ours (an informational scan, a notice sent):
	// it is kept, and counts as a sign of life, but changes nothing.
	Status Status
	// At is when it happened, as the carrier says (with its zone).
	At time.Time
	// Code is the carrier's own code for the event ("ACCEPTED_AT_PICK_UP_POINT",
	// "8.2"), Description its words, Location where it happened.
	Code        string
	Description string
	Location    string
	// Raw is the event as the carrier sent it, in JSON (an XML answer is
	// kept as its fields in JSON).
	Raw json.RawMessage
}

// Tracker asks a carrier's tracking API what happened to parcels.
type Tracker interface {
	// Track returns the events the carrier knows for the tracking
	// numbers, oldest first per parcel; a number the carrier does not
	// know yields none. It asks for at most BatchSize numbers at once.
	// A refusal for too many requests is a *RateLimitError.
	Track(ctx context.Context, numbers []string) ([]Event, error)
	// BatchSize is how many numbers one Track call may carry.
	BatchSize() int
}

// Webhook reads the events a carrier pushes to shopcare. The HTTP layer
// checks the shop's secret before it calls Parse.
type Webhook interface {
	// Parse reads one push request's body into events; an error means
	// the body is not what the carrier sends.
	Parse(r *http.Request) ([]Event, error)
}

// Subscriber registers shopcare's push address with a carrier that
// sends its events to one address of the shop's choosing (CDEK).
type Subscriber interface {
	Subscribe(ctx context.Context, url string) error
}

// Options configure an adapter.
type Options struct {
	// URL is the API's base address; the carrier's production one when empty.
	URL string
	// Login and Password, or Key and Secret, are the shop's API
	// credentials, as the carrier names them.
	Login, Password string
	Key, Secret     string
	// HTTP makes the requests; a client with a 30 s timeout when nil.
	HTTP *http.Client
	// Clock tells the time for token expiry and Retry-After dates.
	Clock clock.Clock
}

// Client returns o.HTTP or a default client.
func (o Options) Client() *http.Client {
	if o.HTTP != nil {
		return o.HTTP
	}
	return &http.Client{Timeout: 30 * time.Second}
}

// Now is o.Clock's time, or the system's.
func (o Options) Now() time.Time {
	if o.Clock == nil {
		return clock.System{}.Now()
	}
	return o.Clock.Now()
}

// RateLimitError is a carrier's refusal for too many requests.
type RateLimitError struct {
	Carrier string
	// RetryAfter is how long the carrier asks to wait; 0 when it did not say.
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("%s: rate limited, retry after %s", e.Carrier, e.RetryAfter)
	}
	return e.Carrier + ": rate limited"
}

// ErrUnauthorized is returned (wrapped) when the carrier refuses the
// shop's credentials.
var ErrUnauthorized = errors.New("carrier refused the credentials")

// APIError is any other error answer of a carrier's API.
type APIError struct {
	Carrier string
	Status  int    // HTTP status
	Code    string // the carrier's error code, when it gives one
	Message string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("%s: HTTP %d", e.Carrier, e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// RetryAfter reads an HTTP Retry-After header: seconds or an HTTP date
// (measured from now); 0 when absent or unreadable.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// MustRaw marshals v for Event.Raw; v is always marshalable (a decoded
// answer's part).
func MustRaw(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("carrier: raw event: %v", err))
	}
	return b
}

// TrackEach is Track for an API that takes one number a call: it asks
// one for each non-blank number in turn and returns all their events, or
// at the first error (a rate limit, refused credentials) none, so the
// caller retries the whole batch.
func TrackEach(ctx context.Context, numbers []string, one func(ctx context.Context, number string) ([]Event, error)) ([]Event, error) {
	var events []Event
	for _, n := range numbers {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		evs, err := one(ctx, n)
		if err != nil {
			return nil, err
		}
		events = append(events, evs...)
	}
	return events, nil
}
