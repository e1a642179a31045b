package survey

import (
	"errors"
	"time"
)

// Kinds of survey: the scale asked.
const (
	// NPS asks "how likely are you to recommend us?", 0 to 10.
	NPS = "nps"
	// CSAT asks "how satisfied are you?", 1 to 5.
	CSAT = "csat"
)

// Triggers: what a survey asks about.
const (
	// Delivery is a delivered order (subject: the order).
	Delivery = "delivery"
	// Conversation is a closed support conversation (subject: the
	// conversation).
	Conversation = "conversation"
)

// Suspect reasons: why a click looked like a mail scanner's rather than a
// person's. A suspect click stays an unconfirmed intent; only a person's
// "Send" (or their interaction with the page) confirms it.
const (
	// SuspectTooSoon: the link was followed within seconds of the
	// question going out — scanners check links on arrival.
	SuspectTooSoon = "too_soon"
	// SuspectBurst: several scores of one survey within a second — a
	// scanner follows every link of the row.
	SuspectBurst = "burst"
	// SuspectPrefetch: a HEAD request or a browser's prefetch.
	SuspectPrefetch = "prefetch"
)

// Channels an answer came from.
const (
	ChannelEmail    = "email"
	ChannelSMS      = "sms"
	ChannelTelegram = "telegram"
	ChannelWeb      = "web"
)

// Scanner timings: a click this soon after the question is too soon; a
// second, different score this soon after the first is a burst.
const (
	TooSoon    = 10 * time.Second
	BurstAfter = time.Second
)

// MaxComment bounds the customer's own words, in bytes.
const MaxComment = 4 << 10

// ErrUnknown is returned for a token that is not a survey link of this
// shop (forged, broken, or of a customer or order that no longer exists).
var ErrUnknown = errors.New("no survey has this link")

// Ask is one question put to a customer: what the signed link carries.
type Ask struct {
	Kind       string // NPS or CSAT
	Trigger    string // Delivery or Conversation
	SubjectID  int64  // the order or the conversation
	CustomerID int64
	AskedAt    time.Time // when the question went out, to the second
	// Channel is where the link was sent (email, sms, telegram); not
	// signed, it only says where an answer came from.
	Channel string
}

// Survey is one answer: a row of surveys.
type Survey struct {
	ID             int64
	Kind           string
	Trigger        string
	SubjectID      int64
	CustomerID     int64
	OrderID        int64 // 0 when the survey is not about an order
	ConversationID int64 // 0 when not about a conversation
	Language       string
	Channel        string
	Score          int
	ScoredAt       time.Time
	ConfirmedAt    *time.Time
	Suspect        string
	AskedAt        *time.Time
	Comment        string
	CommentAt      *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Confirmed tells whether the answer counts.
func (s *Survey) Confirmed() bool { return s.ConfirmedAt != nil }

// Scale is the lowest and highest score of kind.
func Scale(kind string) (lo, hi int) {
	if kind == CSAT {
		return 1, 5
	}
	return 0, 10
}

// Low tells whether score is a low score of kind: NPS 0–6 (a detractor),
// CSAT 1–2.
func Low(kind string, score int) bool {
	if kind == CSAT {
		return score <= 2
	}
	return score <= 6
}

// High tells whether score is a high score of kind: NPS 9–10 (a
// promoter), CSAT 5.
func High(kind string, score int) bool {
	if kind == CSAT {
		return score >= 5
	}
	return score >= 9
}

// Band is low, high or middle: the open question the landing page asks
// ("what annoyed you?", "what did you like?", "what should we do
// better?") and the reasons of the playbook's survey rules.
func Band(kind string, score int) string {
	switch {
	case Low(kind, score):
		return "low"
	case High(kind, score):
		return "high"
	}
	return "middle"
}
