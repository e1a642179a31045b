package survey

import (
	"time"

	"github.com/shopcare/shopcare/internal/words"
)

// The summary: what the customers' confirmed answers of a window say. An
// answer counts in the window of its score (scored_at), in the shop's
// days; an answer a scanner's click left unconfirmed never counts.

// Kinds of survey the summary tells apart.
const (
	summaryNPS  = "nps"
	summaryCSAT = "csat"
)

// Summary bounds.
const (
	// SummaryDefaultDays is the window when from is left out: the 90 days
	// to to, both included.
	SummaryDefaultDays = 90
	// SummaryMaxDays is the longest window: five years.
	SummaryMaxDays = 5 * 366
	// SummaryWeeksUpTo is the longest window shown by week; a longer one
	// is shown by month.
	SummaryWeeksUpTo = 183
	// summaryMaxProducts is the most products of by_product.
	summaryMaxProducts = 50
	// SummaryMaxLimit is the most answers of a page; SummaryDefaultLimit
	// the page without a limit.
	SummaryMaxLimit     = 200
	SummaryDefaultLimit = 50
	// summaryThemeKey bounds a theme key handed in to filter answers by.
	summaryThemeKey = 200
)

// SummaryQuery asks for a summary: the window's shop days as typed
// (YYYY-MM-DD, both included; "" for the default), and which answers to
// list.
type SummaryQuery struct {
	From, To string
	// Cursor is where the page of answers starts: the NextCursor of the
	// page before; "" for the first.
	Cursor string
	// Limit is the answers per page, 1 to SummaryMaxLimit (0: the
	// default).
	Limit int
	// Theme and ThemeLang list only the answers that carry a theme (its
	// Key, in its language).
	Theme, ThemeLang string
	// Kind lists only the answers of one kind of survey (nps, csat).
	Kind string
}

// Summary is what the answers of a window say.
type Summary struct {
	// From and To are the window's shop days, both included.
	From string `json:"from"`
	To   string `json:"to"`
	// Responses are the confirmed answers of the window, of both kinds.
	Responses int `json:"responses"`
	// NPS sums up the answers to "how likely would you recommend us"
	// (0–10), CSAT those to "how satisfied were you" (1–5).
	NPS  NPSFigure  `json:"nps"`
	CSAT CSATFigure `json:"csat"`
	// Period is the length of by_period's buckets: week or month.
	Period    string          `json:"period"`
	ByPeriod  []SummaryBucket `json:"by_period"`
	ByCarrier []SummaryBucket `json:"by_carrier"`
	ByProduct []SummaryBucket `json:"by_product"`
	BySegment []SummaryBucket `json:"by_segment"`
	// Themes are, per language, the words and phrases of the window's
	// comments that rose against the window before of the same length.
	Themes map[string][]words.Theme `json:"themes"`
	// Answers are the window's answers with a comment, newest first, a
	// page of them.
	Answers SummaryAnswers `json:"answers"`
}

// NPSFigure is the Net Promoter Score of some answers: promoters (9–10)
// less detractors (0–6), in percent of the answers, −100 to 100. Score
// is nil without answers.
type NPSFigure struct {
	Score      *int `json:"score"`
	Responses  int  `json:"responses"`
	Promoters  int  `json:"promoters"`
	Passives   int  `json:"passives"`
	Detractors int  `json:"detractors"`
}

// CSATFigure is the customer satisfaction of some answers: the average
// score (1–5) and the percent satisfied (4 or 5); nil without answers.
type CSATFigure struct {
	Responses        int      `json:"responses"`
	Average          *float64 `json:"average"`
	Satisfied        int      `json:"satisfied"`
	SatisfiedPercent *float64 `json:"satisfied_percent"`
}

// SummaryBucket is the figures of a slice of the answers: a week or a
// month (Key the first day, End the last), a carrier, a product (Key the
// SKU), a segment. Key "" is the answers without one (no carrier, not
// yet scored).
type SummaryBucket struct {
	Key       string     `json:"key"`
	Name      string     `json:"name,omitempty"` // the product's name
	End       string     `json:"end,omitempty"`  // a period's last day
	Responses int        `json:"responses"`
	NPS       NPSFigure  `json:"nps"`
	CSAT      CSATFigure `json:"csat"`
}

// SummaryAnswers is a page of answers.
type SummaryAnswers struct {
	// Total is the answers with a comment in the window (of the theme
	// when one was asked for).
	Total      int             `json:"total"`
	Items      []SummaryAnswer `json:"items"`
	NextCursor string          `json:"next_cursor,omitempty"`
}

// SummaryAnswer is one confirmed answer with what it was about.
type SummaryAnswer struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"`
	Trigger    string    `json:"trigger"`
	Score      int       `json:"score"`
	Comment    string    `json:"comment"`
	Language   string    `json:"language"`
	Channel    string    `json:"channel"`
	At         time.Time `json:"at"`
	CustomerID int64     `json:"customer_id"`
	// CustomerName is the customer's name as the shop has it.
	CustomerName string `json:"customer_name"`
	OrderID      *int64 `json:"order_id"`
	OrderNumber  string `json:"order_number,omitempty"`
	Carrier      string `json:"carrier,omitempty"`
	Segment      string `json:"segment,omitempty"`
}
