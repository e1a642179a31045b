package actionlog

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Filter narrows the list of actions: one action, an actor whose name
// contains a text, a range of days (in the shop's time zone), and the
// page (the rows older than After, an id).
type Filter struct {
	Action Action
	Actor  string
	// From and To are the days as given (YYYY-MM-DD), "" for open;
	// Since and Until the instants they stand for (Until excluded).
	From, To     string
	Since, Until time.Time
	After        int64
	Limit        int
}

// maxActorQuery bounds the actor's text of a filter.
const maxActorQuery = 100

// ParseFilter reads a filter from a query (action, actor, from, to,
// after), the days in loc. Bad input is an invalid.List naming each
// field.
func ParseFilter(q url.Values, loc *time.Location) (Filter, error) {
	if loc == nil {
		loc = time.UTC
	}
	var f Filter
	var errs invalid.List
	if a := strings.TrimSpace(q.Get("action")); a != "" {
		if !slices.Contains(Actions, Action(a)) {
			errs.Add("action", "invalid", "%q is not an action shopcare records", clip(a, 40))
		} else {
			f.Action = Action(a)
		}
	}
	actor := strings.TrimSpace(q.Get("actor"))
	switch {
	case !utf8.ValidString(actor) || strings.ContainsFunc(actor, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		errs.Add("actor", "invalid", "the actor is one line of text")
	case utf8.RuneCountInString(actor) > maxActorQuery:
		errs.Add("actor", "too_long", "the actor is at most %d characters", maxActorQuery)
	default:
		f.Actor = actor
	}
	day := func(field string) (string, time.Time) {
		s := strings.TrimSpace(q.Get(field))
		if s == "" {
			return "", time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil || t.Year() < 2000 || t.Year() > 9000 {
			errs.Add(field, "invalid", "%q is not a day (YYYY-MM-DD)", clip(s, 20))
			return "", time.Time{}
		}
		return s, t
	}
	var until time.Time
	f.From, f.Since = day("from")
	f.To, until = day("to")
	if !until.IsZero() {
		f.Until = until.AddDate(0, 0, 1)
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		errs.Add("to", "before_from", "the last day is before the first")
	}
	if s := q.Get("after"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			errs.Add("after", "invalid", "%q is not a page of this list", clip(s, 20))
		} else {
			f.After = n
		}
	}
	return f, errs.Err()
}

// Query returns the filter's query, without the page: for the links
// that keep it.
func (f Filter) Query() url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("action", string(f.Action))
	set("actor", f.Actor)
	set("from", f.From)
	set("to", f.To)
	return q
}
