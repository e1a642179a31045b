package inbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

// MaxReply bounds an operator's reply or note.
const MaxReply = 64 << 10

// Author is who writes a reply or a note: an operator (UserID) or an API
// token (UserID 0), by the name the customer reads.
type Author struct {
	UserID int64
	Name   string
}

// checkText validates an operator's text.
func checkText(text string) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "", invalid.Field("text", "required", "the text is required")
	case len(text) > MaxReply:
		return "", invalid.Field("text", "too_long", "the text is over %d bytes", MaxReply)
	case invalid.Text("text", text) != nil:
		return "", invalid.Text("text", text)
	}
	return text, nil
}

// signature is the text as sent: the operator's words signed with their
// name and the shop's.
func (s *Service) signature(c *Conversation, text, name string) string {
	if c.Channel == ChannelTelegram {
		if name == "" {
			return text
		}
		return text + "\n\n— " + name
	}
	sig := strings.TrimSpace(name + "\n" + s.settings.Shop.Name)
	return text + "\n\n-- \n" + sig
}

// Reply writes an operator's answer and enqueues its sending on the
// channel the customer wrote on, threaded to the customer's last message
// (e-mail: "Re:" and the same subject, In-Reply-To and References), signed
// with the author's name. It records the first response, counts the
// answer against its due time, and waits for the customer (pending).
func (s *Service) Reply(ctx context.Context, convID int64, by Author, text string) (*Message, error) {
	text, err := checkText(text)
	if err != nil {
		return nil, err
	}
	var m *Message
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := conversationGet(ctx, tx, convID)
		if err != nil {
			return err
		}
		if _, _, err := s.route(c); err != nil {
			return invalid.Field("channel", "unavailable", "%v", err)
		}
		now := s.clock.Now()
		m = &Message{ConversationID: c.ID, Direction: Out, Channel: c.Channel, AuthorUserID: by.UserID,
			AuthorName: clip(by.Name, 200), Subject: reSubject(c.Subject), Text: s.signature(c, text, by.Name),
			Visible: text, SentState: SendPending, AnsweredDue: c.NextResponseDue, CreatedAt: now}
		var lastID *string
		var refs string
		err = tx.QueryRow(ctx, `SELECT message_id, refs FROM conversation_messages
			WHERE conversation_id = $1 AND direction = 'in' AND auto = '' ORDER BY id DESC LIMIT 1`, c.ID).Scan(&lastID, &refs)
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("find the message to answer: %w", err)
		}
		if id := store.Text(lastID); id != "" && c.Channel == ChannelEmail && !strings.HasPrefix(id, "sha256:") {
			m.InReplyTo = id
			m.References = append(strings.Fields(refs), id)
			if len(m.References) > 20 {
				m.References = append(m.References[:1], m.References[len(m.References)-19:]...)
			}
		}
		if _, err := messageInsert(ctx, tx, m, nil); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE conversations SET status = 'pending', next_response_due = NULL, overdue_at = NULL,
			snoozed_until = NULL, first_responded_at = COALESCE(first_responded_at, $2), updated_at = $2 WHERE id = $1`, c.ID, now)
		if err != nil {
			return fmt.Errorf("answer conversation %d: %w", c.ID, err)
		}
		return s.jobs.InsertManyTx(ctx, tx, []river.InsertManyParams{sendJob(m.ID)})
	})
	if err != nil {
		return nil, fmt.Errorf("reply to conversation %d: %w", convID, err)
	}
	return m, nil
}

// AddNote writes an operator's note on a conversation: never sent, and it
// answers nothing.
func (s *Service) AddNote(ctx context.Context, convID int64, by Author, text string) (*Message, error) {
	text, err := checkText(text)
	if err != nil {
		return nil, err
	}
	var m *Message
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := conversationGet(ctx, tx, convID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		m = &Message{ConversationID: c.ID, Direction: Note, Channel: c.Channel, AuthorUserID: by.UserID,
			AuthorName: clip(by.Name, 200), Text: text, Visible: text, CreatedAt: now}
		if _, err := messageInsert(ctx, tx, m, nil); err != nil {
			return err
		}
		return s.touch(ctx, tx, c.ID, now)
	})
	if err != nil {
		return nil, fmt.Errorf("note on conversation %d: %w", convID, err)
	}
	return m, nil
}

func (s *Service) touch(ctx context.Context, tx *store.Tx, id int64, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE conversations SET updated_at = $2 WHERE id = $1`, id, now)
	return err
}

// update runs one change on a conversation: change looks at it and
// returns the statement ($1 is its id, $2 now) and its further
// arguments, or an error that refuses the change.
func (s *Service) update(ctx context.Context, convID int64, what string, change func(*Conversation) (string, []any, error)) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := conversationGet(ctx, tx, convID)
		if err != nil {
			return err
		}
		query, args, err := change(c)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, query, append([]any{c.ID, s.clock.Now()}, args...)...)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s conversation %d: %w", what, convID, err)
	}
	return nil
}

// fixed is a change that does not depend on the conversation.
func fixed(query string, args ...any) func(*Conversation) (string, []any, error) {
	return func(*Conversation) (string, []any, error) { return query, args, nil }
}

// Assign gives a conversation to an operator; userID 0 takes it from
// whoever had it.
func (s *Service) Assign(ctx context.Context, convID, userID int64) error {
	return s.update(ctx, convID, "assign",
		fixed(`UPDATE conversations SET assignee_id = $3, updated_at = $2 WHERE id = $1`, nullID(userID)))
}

// Close closes a conversation: nothing is awaited any more. A later
// message of the customer reopens it.
func (s *Service) Close(ctx context.Context, convID int64) error {
	return s.update(ctx, convID, "close", fixed(`UPDATE conversations SET status = 'closed', next_response_due = NULL,
		overdue_at = NULL, snoozed_until = NULL, updated_at = $2 WHERE id = $1`))
}

// Reopen opens a closed, pending or snoozed conversation again; its
// answer is due within the response target from now. An open one keeps
// its due time.
func (s *Service) Reopen(ctx context.Context, convID int64) error {
	return s.update(ctx, convID, "reopen", func(c *Conversation) (string, []any, error) {
		due := c.NextResponseDue
		if c.Status != Open || due == nil {
			d := s.Due(s.clock.Now(), s.target(c))
			due = &d
		}
		return `UPDATE conversations SET status = 'open', snoozed_until = NULL, next_response_due = $3,
			updated_at = $2 WHERE id = $1`, []any{due}, nil
	})
}

// Snooze puts a conversation aside until until, when the overdue pass
// opens it again.
func (s *Service) Snooze(ctx context.Context, convID int64, until time.Time) error {
	if !until.After(s.clock.Now()) {
		return invalid.Field("until", "invalid", "must be in the future")
	}
	return s.update(ctx, convID, "snooze", func(c *Conversation) (string, []any, error) {
		if c.Status == Closed {
			return "", nil, ErrClosed
		}
		return `UPDATE conversations SET status = 'snoozed', snoozed_until = $3, updated_at = $2 WHERE id = $1`,
			[]any{until}, nil
	})
}

// Link makes a customer the one a conversation is with: an operator's
// answer to "who is this?" for a sender whose address no customer had.
func (s *Service) Link(ctx context.Context, convID, customerID int64) error {
	if _, err := customer.Get(ctx, s.db.Read(), customerID); err != nil {
		if isNotFound(err) {
			return invalid.Field("customer_id", "not_found", "there is no customer %d", customerID)
		}
		return err
	}
	return s.update(ctx, convID, "link",
		fixed(`UPDATE conversations SET customer_id = $3, updated_at = $2 WHERE id = $1`, customerID))
}
