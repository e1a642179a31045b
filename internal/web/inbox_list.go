package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
)

// inboxArea is the admin area of the support inbox: the people who see
// the customers (operators and the owner) answer them.
const inboxArea = auth.AreaCustomers

// The "whose" filter of the inbox list.
const (
	whoseAll        = "all"
	whoseMine       = "mine"
	whoseUnassigned = "unassigned"
)

// inboxFilter is the list's filter as the query gives it; a value it does
// not know falls back to its default (a list is never an error).
type inboxFilter struct {
	Status   inbox.Status // "" for every status
	Whose    string
	Language string // "" for every language
}

// parseInboxFilter reads ?status=, ?whose= and ?lang= of the list.
func parseInboxFilter(q url.Values) inboxFilter {
	f := inboxFilter{Status: inbox.Open, Whose: whoseAll}
	switch s := q.Get("status"); {
	case s == "any":
		f.Status = ""
	case slices.Contains(inbox.Statuses, inbox.Status(s)):
		f.Status = inbox.Status(s)
	}
	if w := q.Get("whose"); w == whoseMine || w == whoseUnassigned {
		f.Whose = w
	}
	if l := q.Get("lang"); inbox.Supported(l) {
		f.Language = l
	}
	return f
}

// query is the filter as URL parameters, for the links that keep it.
func (f inboxFilter) query() url.Values {
	q := url.Values{}
	if f.Status == "" {
		q.Set("status", "any")
	} else if f.Status != inbox.Open {
		q.Set("status", string(f.Status))
	}
	if f.Whose != whoseAll {
		q.Set("whose", f.Whose)
	}
	if f.Language != "" {
		q.Set("lang", f.Language)
	}
	return q
}

// inboxRow is one conversation of the list, with what the row says of it.
type inboxRow struct {
	inbox.Conversation
	// Who is the customer's name, else the name the sender gave; Known
	// is false for a sender no customer has the address of.
	Who   string
	Known bool
	// Assignee is the name (or e-mail) of the person it is given to.
	Assignee string
	// Due says when the answer is due, in words: "answer within 1 h
	// 20 min", "overdue since Tue 1 Dec 12:00".
	Due string
	// Late marks an answer past its due time.
	Late bool
}

// inboxListPage is the inbox: the overdue conversations first, then the
// others by their last activity, each list paged by its own cursor.
type inboxListPage struct {
	adminPage
	Filter   inboxFilter
	Overdue  []inboxRow
	Rows     []inboxRow
	Counts   inbox.Counts
	Statuses []inbox.Status
	Langs    []string
	// OverduePages and Pages are the two lists' links.
	OverduePages, Pages pageLinks
	// Self is this page's URL, which the live refresh reloads.
	Self string
	// Links are the filters' links, keeping the other filters.
	Links map[string]string
}

// rowsView is one of the list's tables for its template.
type rowsView struct {
	Lang i18n.Lang
	Loc  *time.Location
	Rows []inboxRow
}

// View passes one of the page's lists to the "rows" template.
func (p *inboxListPage) View(rows []inboxRow) rowsView {
	return rowsView{Lang: p.Lang, Loc: p.Loc, Rows: rows}
}

// inboxList shows the inbox; it refreshes itself (htmx) whenever the
// server-sent events of /inbox/events say a conversation changed.
func (h *Handler) inboxList(w http.ResponseWriter, r *http.Request, v *visitor) {
	p, err := h.inboxListData(r.Context(), v, r.URL.Query())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") != "" {
		h.renderPart(w, r, "inbox_list", "inbox", p)
		return
	}
	h.render(w, r, http.StatusOK, "inbox_list", p)
}

func (h *Handler) inboxListData(ctx context.Context, v *visitor, qs url.Values) (*inboxListPage, error) {
	f := parseInboxFilter(qs)
	p := &inboxListPage{adminPage: h.adminPage(v, inboxArea), Filter: f, Statuses: inbox.Statuses,
		Langs: []string{"ru", "lv", "en"}, Links: map[string]string{}}
	p.current("/inbox")
	base := f.query()
	list := func(overdue bool, key string) ([]inboxRow, pageLinks, error) {
		pg := newPagerOf("/inbox", qs, key)
		lf := inbox.Filter{Status: f.Status, Language: f.Language, Overdue: &overdue, Cursor: pg.after, Limit: pageSize}
		switch f.Whose {
		case whoseUnassigned:
			lf.Unassigned = true
		case whoseMine:
			lf.AssigneeID = v.User.ID
		}
		convs, next, err := h.app.Inbox.List(ctx, lf)
		if err != nil {
			return nil, pageLinks{}, err
		}
		rows, err := h.inboxRows(ctx, v.Lang, convs)
		return rows, pg.links(next, next != ""), err
	}
	var err error
	if f.Status == "" || f.Status == inbox.Open {
		if p.Overdue, p.OverduePages, err = list(true, "late"); err != nil {
			return nil, err
		}
	}
	if p.Rows, p.Pages, err = list(false, "after"); err != nil {
		return nil, err
	}
	if p.Counts, err = h.app.Inbox.Counts(ctx); err != nil {
		return nil, err
	}
	p.Self = "/inbox"
	if q := qs.Encode(); q != "" {
		p.Self += "?" + q
	}
	link := func(name, key, value string) {
		q := url.Values{}
		for k, vs := range base {
			q[k] = vs
		}
		if value == "" {
			q.Del(key)
		} else {
			q.Set(key, value)
		}
		p.Links[name] = "/inbox"
		if len(q) > 0 {
			p.Links[name] += "?" + q.Encode()
		}
	}
	link("status_open", "status", "")
	for _, s := range []inbox.Status{inbox.Pending, inbox.Snoozed, inbox.Closed} {
		link("status_"+string(s), "status", string(s))
	}
	link("status_any", "status", "any")
	link("whose_all", "whose", "")
	link("whose_mine", "whose", whoseMine)
	link("whose_unassigned", "whose", whoseUnassigned)
	link("lang_", "lang", "")
	for _, l := range p.Langs {
		link("lang_"+l, "lang", l)
	}
	return p, nil
}

// inboxRows reads who each conversation is with and who has it, and
// writes its due time in words.
func (h *Handler) inboxRows(ctx context.Context, lang i18n.Lang, convs []inbox.Conversation) ([]inboxRow, error) {
	names := map[int64]string{}
	people, err := h.people(ctx)
	if err != nil {
		return nil, err
	}
	now := h.app.Clock.Now()
	out := make([]inboxRow, len(convs))
	for i, c := range convs {
		row := inboxRow{Conversation: c, Who: c.ContactName}
		if c.CustomerID != 0 {
			name, ok := names[c.CustomerID]
			if !ok {
				cu, err := h.customers.Get(ctx, c.CustomerID)
				if err != nil && !isNotFound(err) {
					return nil, err
				}
				if cu != nil {
					name = cu.Name
				}
				names[c.CustomerID] = name
			}
			row.Known = true
			if name != "" {
				row.Who = name
			}
		}
		if row.Who == "" {
			row.Who = c.Address
		}
		if c.AssigneeID != 0 {
			row.Assignee = people.name(c.AssigneeID)
		}
		row.Due, row.Late = dueWords(lang, h.app.Settings.Shop.Location(), &c, now)
		out[i] = row
	}
	return out, nil
}

// dueWords says where a conversation's answer stands, in lang: due within
// a time, overdue since a moment, snoozed until one.
func dueWords(lang i18n.Lang, loc *time.Location, c *inbox.Conversation, now time.Time) (string, bool) {
	switch c.Status {
	case inbox.Open:
		if c.NextResponseDue == nil {
			return "", false
		}
		due := *c.NextResponseDue
		if c.Overdue() || !due.After(now) {
			return i18n.Text(lang, "admin.inbox.due.overdue_since", map[string]any{"When": formatWhen(lang, loc, due)}), true
		}
		left := due.Sub(now).Round(time.Minute)
		return i18n.Text(lang, "admin.inbox.due.within", map[string]any{"Duration": i18n.Duration(lang, max(left, time.Minute))}), false
	case inbox.Snoozed:
		if c.SnoozedUntil != nil {
			return i18n.Text(lang, "admin.inbox.due.snoozed_until", map[string]any{"When": formatWhen(lang, loc, *c.SnoozedUntil)}), false
		}
	}
	return "", false
}

func isNotFound(err error) bool { return errors.Is(err, app.ErrNotFound) }
