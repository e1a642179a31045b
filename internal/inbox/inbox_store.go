package inbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Status is where a conversation is.
type Status string

// The statuses of a conversation.
const (
	Open    Status = "open"    // the customer waits for the shop
	Pending Status = "pending" // the shop answered and waits for the customer
	Snoozed Status = "snoozed" // put aside by an operator until SnoozedUntil
	Closed  Status = "closed"  // done
)

// Statuses lists every status, in the order the inbox shows them.
var Statuses = []Status{Open, Pending, Snoozed, Closed}

// The directions of a conversation's message.
const (
	In   = "in"   // from the customer
	Out  = "out"  // from the shop: an operator's reply, an acknowledgement
	Note = "note" // an operator's note, never sent
)

// The sent states of an outgoing message.
const (
	SendPending = "pending"
	SendSent    = "sent"
	SendFailed  = "failed"
)

// AutoAck marks the shop's own automatic acknowledgement (Message.Auto).
const AutoAck Auto = "ack"

// Conversation is a thread of messages between the shop and one customer
// (or a sender not yet known) on one channel.
type Conversation struct {
	ID int64
	// CustomerID is 0 while the sender is not known; OrderID 0 when the
	// conversation is about no order.
	CustomerID, OrderID int64
	Channel             string
	// Address is the sender's address on the channel; ContactName the
	// name they gave.
	Address, ContactName string
	Subject              string
	Language             string
	Status               Status
	AssigneeID           int64
	// FirstResponseDue is when the first answer was (or is) due;
	// NextResponseDue when the answer the customer now waits for is due,
	// nil when they wait for none.
	FirstResponseDue, NextResponseDue *time.Time
	FirstRespondedAt                  *time.Time
	// OverdueAt is when the awaited answer was flagged late; nil once
	// answered.
	OverdueAt    *time.Time
	SnoozedUntil *time.Time
	// AckedAt is when the automatic acknowledgement was decided on.
	AckedAt              *time.Time
	CreatedAt, UpdatedAt time.Time
}

// Overdue tells whether the answer the customer waits for is past its
// target.
func (c *Conversation) Overdue() bool { return c.OverdueAt != nil }

// Cursor is where the next page of conversations starts: after this one.
func (c *Conversation) Cursor() string { return store.Cursor(c.UpdatedAt, c.ID) }

// Message is one message of a conversation.
type Message struct {
	ID             int64
	ConversationID int64
	Direction      string // In, Out or Note
	Channel        string
	// AuthorUserID is the operator who wrote an outgoing message or note;
	// AuthorName their name (or the customer's).
	AuthorUserID int64
	AuthorName   string
	// MessageID is an incoming message's id on its channel.
	MessageID  string
	InReplyTo  string
	References []string
	Subject    string
	Text       string
	Visible    string
	HTML       string
	Auto       Auto
	// Bounce is what a bounce said ("5.1.1 user unknown").
	Bounce string
	// SentState is pending, sent or failed for an outgoing message.
	SentState string
	SentError string
	SentAt    *time.Time
	// AnsweredDue is the due an operator's answer met or missed.
	AnsweredDue *time.Time
	CreatedAt   time.Time
	Attachments []AttachmentInfo
}

// EmailID is the Message-ID shopcare gives an outgoing message, without
// angle brackets.
func (m *Message) EmailID() string { return OutgoingID(m.ID) }

// OutgoingID is the Message-ID of the outgoing conversation message with
// id (notify's "ID@shopcare").
func OutgoingID(id int64) string { return fmt.Sprintf("c%d@shopcare", id) }

// AttachmentInfo describes a stored attachment without its bytes.
type AttachmentInfo struct {
	ID          int64
	Name        string
	ContentType string
	Size        int64
}

const convColumns = `id, customer_id, order_id, channel, address, contact_name, subject, language, status, assignee_id,
	first_response_due, next_response_due, first_responded_at, overdue_at, snoozed_until, acked_at, created_at, updated_at`

func scanConversation(r store.Row) (*Conversation, error) {
	var c Conversation
	var customerID, orderID, assignee *int64
	err := r.Scan(&c.ID, &customerID, &orderID, &c.Channel, &c.Address, &c.ContactName, &c.Subject, &c.Language, &c.Status,
		&assignee, &c.FirstResponseDue, &c.NextResponseDue, &c.FirstRespondedAt, &c.OverdueAt, &c.SnoozedUntil,
		&c.AckedAt, &c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		return nil, err
	}
	c.CustomerID, c.OrderID, c.AssigneeID = deref(customerID), deref(orderID), deref(assignee)
	return &c, nil
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// conversationGet loads one conversation; store.ErrNotFound when there is
// none.
func conversationGet(ctx context.Context, q store.Querier, id int64) (*Conversation, error) {
	c, err := scanConversation(q.QueryRow(ctx, `SELECT `+convColumns+` FROM conversations WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("load conversation %d: %w", id, err)
	}
	return c, nil
}

// conversationInsert stores a new conversation and sets its id.
func conversationInsert(ctx context.Context, q store.Querier, c *Conversation) error {
	err := q.QueryRow(ctx, `INSERT INTO conversations (customer_id, order_id, channel, address, contact_name, subject,
		language, status, first_response_due, next_response_due, acked_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		nullID(c.CustomerID), nullID(c.OrderID), c.Channel, c.Address, c.ContactName, c.Subject, c.Language, string(c.Status),
		c.FirstResponseDue, c.NextResponseDue, c.AckedAt, c.CreatedAt).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("insert conversation: %w", err)
	}
	return nil
}

// conversationFind returns the most recent conversation that matches
// where (a condition on the conversations' columns), or nil.
func conversationFind(ctx context.Context, q store.Querier, where string, args ...any) (*Conversation, error) {
	c, err := scanConversation(q.QueryRow(ctx, `SELECT `+convColumns+` FROM conversations WHERE `+where+`
		ORDER BY updated_at DESC, id DESC LIMIT 1`, args...))
	if err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("find conversation: %w", err)
	}
	return c, nil
}

const msgColumns = `id, conversation_id, direction, channel, author_user_id, author_name, message_id, in_reply_to, refs,
	subject, text, visible, html, auto, bounce, sent_state, sent_error, sent_at, answered_due, created_at`

func scanMessage(r store.Row) (*Message, error) {
	var m Message
	var author *int64
	var mid *string
	var refs string
	err := r.Scan(&m.ID, &m.ConversationID, &m.Direction, &m.Channel, &author, &m.AuthorName, &mid, &m.InReplyTo, &refs,
		&m.Subject, &m.Text, &m.Visible, &m.HTML, &m.Auto, &m.Bounce, &m.SentState, &m.SentError, &m.SentAt,
		&m.AnsweredDue, &m.CreatedAt)
	if err != nil {
		return nil, err
	}
	m.AuthorUserID, m.MessageID = deref(author), store.Text(mid)
	if refs != "" {
		m.References = strings.Fields(refs)
	}
	return &m, nil
}

// messageInsert stores a message and sets its id; inserted is false when
// an incoming message with its (channel, message id) is stored already.
func messageInsert(ctx context.Context, q store.Querier, m *Message, raw []byte) (inserted bool, err error) {
	var sentState string
	if m.Direction == Out {
		sentState = m.SentState
	}
	err = store.Each(ctx, q, `INSERT INTO conversation_messages (conversation_id, direction, channel, author_user_id,
		author_name, message_id, in_reply_to, refs, subject, text, visible, html, auto, bounce, raw, sent_state,
		answered_due, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
		ON CONFLICT (channel, message_id) DO NOTHING RETURNING id`,
		[]any{m.ConversationID, m.Direction, m.Channel, nullID(m.AuthorUserID), m.AuthorName, store.NullText(m.MessageID),
			m.InReplyTo, strings.Join(m.References, " "), m.Subject, m.Text, m.Visible, m.HTML, string(m.Auto), m.Bounce,
			raw, sentState, m.AnsweredDue, m.CreatedAt},
		func(r store.Rows) error {
			inserted = true
			return r.Scan(&m.ID)
		})
	if err != nil {
		return false, fmt.Errorf("insert message of conversation %d: %w", m.ConversationID, err)
	}
	return inserted, nil
}

// messageGet loads one message of any conversation.
func messageGet(ctx context.Context, q store.Querier, id int64) (*Message, error) {
	m, err := scanMessage(q.QueryRow(ctx, `SELECT `+msgColumns+` FROM conversation_messages WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("load conversation message %d: %w", id, err)
	}
	return m, nil
}

// Messages returns a conversation's messages, oldest first, with their
// attachments listed; store.ErrNotFound when there is no such
// conversation.
func (s *Service) Messages(ctx context.Context, conversationID int64) ([]Message, error) {
	q := s.db.Read()
	if _, err := conversationGet(ctx, q, conversationID); err != nil {
		return nil, err
	}
	var out []Message
	err := store.Each(ctx, q, `SELECT `+msgColumns+` FROM conversation_messages WHERE conversation_id = $1 ORDER BY id`,
		[]any{conversationID}, func(r store.Rows) error {
			m, err := scanMessage(r)
			if err != nil {
				return err
			}
			out = append(out, *m)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("list messages of conversation %d: %w", conversationID, err)
	}
	idx := make(map[int64]int, len(out))
	for i := range out {
		idx[out[i].ID] = i
	}
	err = store.Each(ctx, q, `SELECT a.id, a.message_id, a.name, a.content_type, a.size FROM conversation_attachments a
		JOIN conversation_messages m ON m.id = a.message_id WHERE m.conversation_id = $1 ORDER BY a.id`,
		[]any{conversationID}, func(r store.Rows) error {
			var a AttachmentInfo
			var mid int64
			if err := r.Scan(&a.ID, &mid, &a.Name, &a.ContentType, &a.Size); err != nil {
				return err
			}
			if i, ok := idx[mid]; ok {
				out[i].Attachments = append(out[i].Attachments, a)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("list attachments of conversation %d: %w", conversationID, err)
	}
	return out, nil
}

// Attachment returns a stored attachment with its bytes.
func (s *Service) Attachment(ctx context.Context, id int64) (AttachmentInfo, []byte, error) {
	var a AttachmentInfo
	var data []byte
	err := s.db.Read().QueryRow(ctx, `SELECT id, name, content_type, size, data FROM conversation_attachments WHERE id = $1`, id).
		Scan(&a.ID, &a.Name, &a.ContentType, &a.Size, &data)
	if err != nil {
		return a, nil, fmt.Errorf("load attachment %d: %w", id, err)
	}
	return a, data, nil
}

// Get returns one conversation; store.ErrNotFound when there is none.
func (s *Service) Get(ctx context.Context, id int64) (*Conversation, error) {
	return conversationGet(ctx, s.db.Read(), id)
}

// Filter selects conversations for List.
type Filter struct {
	Status     Status
	CustomerID int64
	AssigneeID int64
	// Unassigned keeps only conversations given to nobody (AssigneeID is
	// then ignored).
	Unassigned bool
	Language   string
	// Overdue, when set, keeps only conversations whose answer is (true)
	// or is not (false) past its target.
	Overdue *bool
	// Cursor is where the page starts (Conversation.Cursor of the last
	// row of the page before); "" for the first page.
	Cursor string
	Limit  int
}

// List limits.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// List returns a page of conversations, the most recently active first,
// and the cursor of the next page ("" on the last).
func (s *Service) List(ctx context.Context, f Filter) ([]Conversation, string, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if f.CustomerID != 0 {
		add("customer_id = ?", f.CustomerID)
	}
	switch {
	case f.Unassigned:
		where = append(where, "assignee_id IS NULL")
	case f.AssigneeID != 0:
		add("assignee_id = ?", f.AssigneeID)
	}
	if f.Language != "" {
		add("language = ?", f.Language)
	}
	if f.Overdue != nil {
		if *f.Overdue {
			where = append(where, "overdue_at IS NOT NULL")
		} else {
			where = append(where, "overdue_at IS NULL")
		}
	}
	if t, id, ok := store.ParseCursor(f.Cursor); ok {
		args = append(args, t, id)
		n := len(args)
		where = append(where, fmt.Sprintf("(updated_at < $%d OR (updated_at = $%d AND id < $%d))", n-1, n-1, n))
	}
	query := `SELECT ` + convColumns + ` FROM conversations`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, limit+1)
	query += fmt.Sprintf(" ORDER BY updated_at DESC, id DESC LIMIT $%d", len(args))
	var out []Conversation
	err := store.Each(ctx, s.db.Read(), query, args, func(r store.Rows) error {
		c, err := scanConversation(r)
		if err != nil {
			return err
		}
		out = append(out, *c)
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("list conversations: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].Cursor()
	}
	return out, next, nil
}
