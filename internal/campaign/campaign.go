package campaign

import (
	"time"
)

// The channels a campaign goes on: the customers' message channels, or
// paper the shop prints and posts.
const (
	Email    = "email"
	SMS      = "sms"
	Telegram = "telegram"
	Paper    = "paper"
)

// Channels lists the channels a campaign may have.
var Channels = []string{Email, SMS, Telegram, Paper}

// Status is where a campaign is.
type Status string

// The statuses of a campaign.
const (
	Draft     Status = "draft"     // being written; editable
	Scheduled Status = "scheduled" // started, first message due later
	Sending   Status = "sending"   // messages going out
	Paused    Status = "paused"    // stopped by the shop or after failures; resumable
	Sent      Status = "sent"      // nobody left to send to
	Cancelled Status = "cancelled" // stopped for good; who got it keeps it
)

// The schedules of a campaign.
const (
	// Now sends at once, but still only inside each customer's contact
	// hours (in their time zone), respecting consent and the cap.
	Now = "now"
	// CustomerMorning sends at each customer's own morning: their first
	// contact hour (or their own best hour, learned from their orders and
	// clicks), spread over campaigns.window.
	CustomerMorning = "customer_morning"
	// At sends from SendAt, inside each customer's contact hours.
	At = "at"
)

// The A/B test's metrics: what picks the winner.
const (
	MetricClicks = "clicks"
	MetricOrders = "orders"
)

// The recipients' variants.
const (
	VariantA       = "a"
	VariantB       = "b"
	VariantHoldout = "holdout"
	// VariantRest is the rest of an A/B test's audience until the
	// winner is known; they get the winner.
	VariantRest = ""
)

// The recipients' statuses (campaign_recipients.status).
const (
	RecipientPending    = "pending"    // due at due_at
	RecipientWaiting    = "waiting"    // the rest of an A/B test, waiting for the winner
	RecipientSending    = "sending"    // handed to the channel under a lease
	RecipientSent       = "sent"       // the channel took it
	RecipientFailed     = "failed"     // every try failed
	RecipientSuppressed = "suppressed" // not sent: no consent, unsubscribed, bounced, capped
	RecipientHeld       = "held"       // in the holdout group: never sent, the baseline
)

// Audience says who a campaign is for. Every criterion given narrows it
// (they combine with AND); All alone is every customer. Consent is not
// part of it: the count shows how many of the audience may get the
// campaign on its channel.
type Audience struct {
	// All is every customer (with consent on the channel, when sent).
	All bool `json:"all,omitempty"`
	// Segment is a CLV segment (analytics.Segments: champions, loyal,
	// new, at_risk, drifting, likely_lost, others).
	Segment string `json:"segment,omitempty"`
	// Tier is a loyalty tier's name.
	Tier string `json:"tier,omitempty"`
	// Club is the members of the "first to know" club (any project they
	// have not left); ClubProject one project's.
	Club        bool  `json:"club,omitempty"`
	ClubProject int64 `json:"club_project,omitempty"`
	// RFM is a pattern of the RFM scores: three characters, each 1–5 or
	// * for any ("5**": the most recent buyers).
	RFM string `json:"rfm,omitempty"`
	// MinCLV and MaxCLV bound the predicted customer value, in the shop's
	// currency (major units).
	MinCLV *float64 `json:"min_clv,omitempty"`
	MaxCLV *float64 `json:"max_clv,omitempty"`
	// Product is the customers who bought this SKU; Category those who
	// bought in a category (a product's category from the platform).
	Product  string `json:"product,omitempty"`
	Category string `json:"category,omitempty"`
	// Languages and Countries narrow to customers speaking, or living in,
	// one of them.
	Languages []string `json:"languages,omitempty"`
	Countries []string `json:"countries,omitempty"`
	// Saved is a saved audience's id (campaign_audiences): its filter
	// combined with the rest.
	Saved int64 `json:"saved,omitempty"`
}

// Content is a campaign's message in one language. E-mail has a Subject
// and Markdown or HTML (the plain-text part is made from it when Text is
// empty); SMS and Telegram have Text. Every field is a template with the
// journey's data and functions ({{.Customer.Name}}, {{money …}}).
type Content struct {
	Subject  string `json:"subject,omitempty"`
	Text     string `json:"text,omitempty"`
	Markdown string `json:"markdown,omitempty"`
	HTML     string `json:"html,omitempty"`
}

// Contents are a campaign's content by language (ru, lv, en); a
// customer whose language has none gets the shop's first language's.
type Contents map[string]Content

// Test is an A/B test: Share percent of the audience gets variant A or B,
// half each; after Wait the variant with more clicks or orders (Metric) is
// the winner, which the rest of the audience gets.
type Test struct {
	Share  int           `json:"share"`
	Metric string        `json:"metric"`
	Wait   time.Duration `json:"-"`
}

// Campaign is one mailing.
type Campaign struct {
	ID       int64
	Name     string
	Channel  string
	Audience Audience
	Content  Contents
	// VariantB is the A/B test's second content; nil without a test.
	VariantB Contents
	Test     Test
	// Winner is the A/B test's winning variant once known (a or b).
	Winner string
	// Holdout is the percent of the audience that gets nothing: the
	// baseline its revenue is compared with.
	Holdout int
	// Schedule is Now, CustomerMorning or At (SendAt); Window spreads
	// the sends.
	Schedule string
	SendAt   *time.Time
	Window   time.Duration
	// TrackClicks rewrites the links to count clicks.
	TrackClicks bool
	// AttributionDays is how long after a click (else the message) an
	// order counts for the campaign.
	AttributionDays int
	// CostMinor is what the campaign cost (paper: print and postage), in
	// minor units of the shop's currency.
	CostMinor    int64
	Status       Status
	StatusReason string
	// AudienceSize is how many customers the audience held when it
	// started (consent or not).
	AudienceSize int64
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	StartedAt    *time.Time
	FinishedAt   *time.Time
}

// Input is a campaign as the shop writes it (the API, the admin's form):
// what Create and Update take.
type Input struct {
	Name     string
	Channel  string
	Audience Audience
	Content  Contents
	VariantB Contents
	// Test, when Share > 0, is the A/B test (VariantB needed).
	Test            Test
	Holdout         int
	Schedule        string
	SendAt          *time.Time
	Window          time.Duration
	TrackClicks     *bool // nil: campaigns.track_clicks
	AttributionDays int   // 0: campaigns.attribution_days
	CostMinor       int64
	CreatedBy       string
}

// Progress is how far a campaign's sending is, by its recipients'
// statuses.
type Progress struct {
	AudienceSize int64
	Pending      int64
	Waiting      int64
	Sending      int64
	Sent         int64
	Failed       int64
	Suppressed   int64
	Held         int64
	// Suppressions count the suppressed by their reason's kind
	// (no_consent, unsubscribed, bounced, complained, frequency_cap,
	// no_address).
	Suppressions map[string]int64
}
