package notify

// A channel sends one message to one customer (e-mail, SMS, Telegram,
// webhook) and sorts every failure into one of three kinds the caller acts
// on: throttled (wait and retry), permanent (record it on the customer, try
// the next channel) or temporary (retry with backoff).

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrInvalidMessage is wrapped by Send when the Message itself is unusable
// (a required field missing or malformed). Retrying the same message cannot
// help; the code that built it must be fixed.
var ErrInvalidMessage = errors.New("invalid message")

// DefaultRetryAfter is how long a ThrottledError asks the caller to wait when
// the provider did not say.
const DefaultRetryAfter = 30 * time.Second

// Message is one message to one customer on one channel.
type Message struct {
	ID            string // stable per message; becomes the Message-ID (<ID@shopcare>) so a retry is recognisable
	To            string // e-mail address, E.164 phone or chat id, by channel
	ToName        string
	Subject       string
	Text          string // plain text, always
	HTML          string // optional HTML alternative (e-mail)
	Transactional bool   // order and delivery news; false = marketing-type
	Unsubscribe   string // unsubscribe URL; required for e-mail when !Transactional; https makes it one-click (RFC 8058)
	// InReplyTo and References thread an answer to the customer's own
	// message (e-mail ids without angle brackets); empty for news.
	InReplyTo  string
	References []string
	// AutoReply marks a message a machine wrote in answer to the
	// customer's (the inbox's acknowledgement): Auto-Submitted:
	// auto-replied (RFC 3834), so that their autoresponder stays quiet.
	AutoReply bool
	// Buttons are rows of link buttons under the text, for channels that
	// show them (Telegram's inline keyboard); the text still carries what
	// a customer needs, so other channels ignore them.
	Buttons [][]Button
}

// Button is one link button: a survey's score.
type Button struct {
	Text string
	URL  string
}

// Sender sends on one channel.
type Sender interface {
	Channel() string // "email", "sms", "telegram", "webhook"
	Send(ctx context.Context, m Message) error
}

// ThrottledError means the provider asked us to slow down (SMTP 421, 450,
// 451, 452, 454; HTTP 429). The message was NOT sent.
type ThrottledError struct {
	RetryAfter time.Duration
	Err        error
}

// Error describes the throttling and the provider's answer.
func (e *ThrottledError) Error() string {
	return fmt.Sprintf("throttled, retry after %s: %v", e.RetryAfter, e.Err)
}

// Unwrap returns the provider's error.
func (e *ThrottledError) Unwrap() error { return e.Err }

// PermanentError means retrying cannot help: the address is bad or refused
// (SMTP 5xx on RCPT, a malformed address). The caller records it on the
// customer and tries the next channel.
type PermanentError struct {
	Err error
}

// Error describes the permanent failure.
func (e *PermanentError) Error() string {
	return fmt.Sprintf("permanent failure: %v", e.Err)
}

// Unwrap returns the underlying error.
func (e *PermanentError) Unwrap() error { return e.Err }

// IsThrottled reports whether err is, or wraps, a ThrottledError, and how long
// to wait before trying again.
func IsThrottled(err error) (time.Duration, bool) {
	var t *ThrottledError
	if errors.As(err, &t) {
		return t.RetryAfter, true
	}
	return 0, false
}

// IsPermanent reports whether err is, or wraps, a PermanentError.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}
