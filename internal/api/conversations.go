package api

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/invalid"
)

// conversationJSON is one conversation in GET /api/v1/conversations.
type conversationJSON struct {
	ID               int64      `json:"id"`
	CustomerID       *int64     `json:"customer_id"` // null while the sender is not known
	OrderID          *int64     `json:"order_id"`
	Channel          string     `json:"channel"`
	Address          string     `json:"address"`
	Name             string     `json:"name,omitempty"`
	Subject          string     `json:"subject"`
	Language         string     `json:"language"`
	Status           string     `json:"status"`
	AssigneeID       *int64     `json:"assignee_id"`
	FirstResponseDue *time.Time `json:"first_response_due"`
	NextResponseDue  *time.Time `json:"next_response_due"`
	FirstRespondedAt *time.Time `json:"first_responded_at"`
	Overdue          bool       `json:"overdue"`
	SnoozedUntil     *time.Time `json:"snoozed_until,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// conversationMessageJSON is one message in GET /conversations/{id}/messages.
type conversationMessageJSON struct {
	ID          int64            `json:"id"`
	Direction   string           `json:"direction"`
	Channel     string           `json:"channel"`
	Author      string           `json:"author"`
	Subject     string           `json:"subject,omitempty"`
	Text        string           `json:"text"`
	Visible     string           `json:"visible"`
	Auto        string           `json:"auto,omitempty"`
	SentState   string           `json:"sent_state,omitempty"`
	SentAt      *time.Time       `json:"sent_at,omitempty"`
	CreatedAt   time.Time        `json:"created_at"`
	Attachments []attachmentJSON `json:"attachments"`
}

type attachmentJSON struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// conversationListJSON is a page of conversations.
type conversationListJSON struct {
	Conversations []conversationJSON `json:"conversations"`
	NextCursor    string             `json:"next_cursor" doc:"The cursor of the next page; empty on the last."`
}

// conversationMessagesJSON is a conversation with its messages.
type conversationMessagesJSON struct {
	Conversation conversationJSON          `json:"conversation"`
	Messages     []conversationMessageJSON `json:"messages"`
}

// conversationReplyJSON is an answer to the customer.
type conversationReplyJSON struct {
	Text string `json:"text" doc:"The answer, sent on the channel the customer wrote on, signed with the token's name."`
}

// conversationReplyAnswer is the answer on its way.
type conversationReplyAnswer struct {
	Message conversationMessageJSON `json:"message"`
}

func optionalID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func conversationOut(c inbox.Conversation) conversationJSON {
	return conversationJSON{ID: c.ID, CustomerID: optionalID(c.CustomerID), OrderID: optionalID(c.OrderID), Channel: c.Channel,
		Address: c.Address, Name: c.ContactName, Subject: c.Subject, Language: c.Language, Status: string(c.Status),
		AssigneeID: optionalID(c.AssigneeID), FirstResponseDue: utc(c.FirstResponseDue), NextResponseDue: utc(c.NextResponseDue),
		FirstRespondedAt: utc(c.FirstRespondedAt), Overdue: c.Overdue(), SnoozedUntil: utc(c.SnoozedUntil),
		CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC()}
}

// conversationList lists conversations, the most recently active first:
// ?status=open|pending|snoozed|closed, ?customer_id= (shopcare's id or
// the shop's), ?language=, ?overdue=true|false, ?limit=, ?cursor=.
func (h *Handler) conversationList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	var f inbox.Filter
	var errs invalid.List
	if v := q.Get("status"); v != "" {
		if !slices.Contains(inbox.Statuses, inbox.Status(v)) {
			errs.Add("status", "invalid", "must be open, pending, snoozed or closed")
		}
		f.Status = inbox.Status(v)
	}
	if v := q.Get("customer_id"); v != "" {
		id, err := h.customers.ResolveID(ctx, v)
		switch {
		case errors.Is(err, app.ErrNotFound):
			errs.Add("customer_id", "not_found", "there is no customer %q", v)
		case err != nil:
			h.fail(w, r, err)
			return
		}
		f.CustomerID = id
	}
	if v := q.Get("language"); v != "" {
		f.Language = v
	}
	if v := q.Get("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs.Add("overdue", "invalid", "must be true or false")
		}
		f.Overdue = &b
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > inbox.MaxLimit {
			errs.Add("limit", "invalid", "must be a number from 1 to %d", inbox.MaxLimit)
		}
		f.Limit = n
	}
	f.Cursor = q.Get("cursor")
	if err := errs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	list, next, err := h.app.Inbox.List(ctx, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]conversationJSON, len(list))
	for i, c := range list {
		out[i] = conversationOut(c)
	}
	writeJSON(w, http.StatusOK, conversationListJSON{Conversations: out, NextCursor: next})
}

// conversationID reads the {id} of the path; a malformed one is a 404.
func conversationID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, app.ErrNotFound
	}
	return id, nil
}

// conversationMessages lists a conversation's messages, oldest first.
func (h *Handler) conversationMessages(w http.ResponseWriter, r *http.Request) {
	id, err := conversationID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.app.Inbox.Get(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ms, err := h.app.Inbox.Messages(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]conversationMessageJSON, len(ms))
	for i, m := range ms {
		out[i] = messageOut(m)
	}
	writeJSON(w, http.StatusOK, conversationMessagesJSON{Conversation: conversationOut(*c), Messages: out})
}

func messageOut(m inbox.Message) conversationMessageJSON {
	j := conversationMessageJSON{ID: m.ID, Direction: m.Direction, Channel: m.Channel, Author: m.AuthorName,
		Subject: m.Subject, Text: m.Text, Visible: m.Visible, Auto: string(m.Auto), SentState: m.SentState,
		SentAt: utc(m.SentAt), CreatedAt: m.CreatedAt.UTC(), Attachments: make([]attachmentJSON, len(m.Attachments))}
	for k, a := range m.Attachments {
		j.Attachments[k] = attachmentJSON{ID: a.ID, Name: a.Name, ContentType: a.ContentType, Size: a.Size}
	}
	return j
}

// conversationReply answers the customer, as the token's name, on the
// channel they wrote on: {"text": "..."}. 202: the answer is on its way.
func (h *Handler) conversationReply(w http.ResponseWriter, r *http.Request) {
	id, err := conversationID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var body conversationReplyJSON
	if err := decode(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	tok, err := h.accounts.TokenCheck(r.Context(), strings.TrimSpace(token))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.app.Inbox.Reply(r.Context(), id, inbox.Author{Name: tok.Name}, body.Text)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, conversationReplyAnswer{Message: messageOut(*m)})
}
