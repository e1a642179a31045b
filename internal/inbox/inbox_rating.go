package inbox

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// CauseLowRating is the cause of a negative experience journaled when the
// customer rates a conversation 1 or 2.
const CauseLowRating = "low_rating"

// MaxRatingComment bounds the comment a customer adds to a rating.
const MaxRatingComment = 4 << 10

// AutoRating marks the shop's one question "how did we do?" sent when a
// conversation is closed (Message.Auto).
const AutoRating Auto = "rating"

// ErrUnknownRating is returned for a rating token no conversation has.
var ErrUnknownRating = errors.New("no conversation has this rating token")

// ErrNoPublicURL is returned when a rating is asked for but the shop has
// no public_url for the links to lead to.
var ErrNoPublicURL = errors.New("shop.public_url is not set: the rating links would lead nowhere")

// CloseOptions are the choices of closing a conversation.
type CloseOptions struct {
	// AskRating sends the customer one question, "how did we do?", with
	// five links (1 to 5) to the rating page.
	AskRating bool
	// By is who closes; the question is signed with the shop's name.
	By Author
}

// Rating is a conversation's satisfaction rating: the token of its page,
// and the customer's answer once given (Score 0 before).
type Rating struct {
	ConversationID int64
	Language       string
	Token          string
	Score          int
	RatedAt        *time.Time
	Comment        string
}

// RatingURL is the link that answers the question with score.
func RatingURL(publicURL, token string, score int) string {
	return strings.TrimSuffix(publicURL, "/") + "/r/" + token + "?score=" + strconv.Itoa(score)
}

// newRatingToken is a random, unguessable token of 128 bits.
func newRatingToken() (string, error) {
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("rating token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

// RatingText is the question in lang with its five links.
func (s *Service) RatingText(lang i18n.Lang, token string) string {
	links := make([]string, 0, 5)
	for n := 1; n <= 5; n++ {
		links = append(links, RatingURL(s.settings.Shop.PublicURL, token, n))
	}
	return s.ratingTextOf(lang, links)
}

// CloseWith closes a conversation as Close does and, when asked and a
// channel can carry it, sends the customer one question, "how did we
// do?", in the conversation's language, threaded like a reply. It
// returns ErrNoPublicURL (having closed nothing) when the shop has no
// public URL for the links, and an invalid.Error on "channel" when no
// channel can carry the question.
func (s *Service) CloseWith(ctx context.Context, convID int64, o CloseOptions) error {
	if !o.AskRating {
		return s.Close(ctx, convID)
	}
	if strings.TrimSpace(s.settings.Shop.PublicURL) == "" {
		return ErrNoPublicURL
	}
	token, err := newRatingToken()
	if err != nil {
		return err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := conversationGet(ctx, tx, convID)
		if err != nil {
			return err
		}
		if _, _, err := s.route(c); err != nil {
			return invalid.Field("channel", "unavailable", "%v", err)
		}
		now := s.clock.Now()
		lang := i18n.Pick(c.Language, i18n.EN)
		text := s.ratingTextOf(lang, s.ratingLinks(c, token, now))
		m := &Message{ConversationID: c.ID, Direction: Out, Channel: c.Channel, AuthorUserID: o.By.UserID,
			AuthorName: clip(s.settings.Shop.Name, 200), Subject: reSubject(c.Subject), Text: text, Visible: text,
			Auto: AutoRating, SentState: SendPending, CreatedAt: now}
		if err := s.threadAnswer(ctx, tx, c, m); err != nil {
			return err
		}
		if _, err := messageInsert(ctx, tx, m, nil); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE conversations SET status = 'closed', next_response_due = NULL, overdue_at = NULL,
			snoozed_until = NULL, rating_token = $3, rating_score = NULL, rated_at = NULL, rating_comment = '',
			updated_at = $2 WHERE id = $1`, c.ID, now, token)
		if err != nil {
			return err
		}
		return s.jobs.InsertManyTx(ctx, tx, []river.InsertManyParams{sendJob(m.ID)})
	})
	if err != nil {
		return fmt.Errorf("close conversation %d asking for a rating: %w", convID, err)
	}
	return nil
}

// threadAnswer makes an outgoing e-mail answer the customer's last message, as
// Reply does.
func (s *Service) threadAnswer(ctx context.Context, tx *store.Tx, c *Conversation, m *Message) error {
	var lastID *string
	var refs string
	err := tx.QueryRow(ctx, `SELECT message_id, refs FROM conversation_messages
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
	return nil
}

const ratingColumns = `id, language, rating_token, rating_score, rated_at, rating_comment`

func scanRating(r store.Row) (*Rating, error) {
	var g Rating
	var token *string
	var score *int64
	if err := r.Scan(&g.ConversationID, &g.Language, &token, &score, &g.RatedAt, &g.Comment); err != nil {
		return nil, err
	}
	g.Token, g.Score = store.Text(token), int(deref(score))
	return &g, nil
}

// RatingOf returns a conversation's rating; nil when none was asked for.
func (s *Service) RatingOf(ctx context.Context, convID int64) (*Rating, error) {
	g, err := scanRating(s.db.Read().QueryRow(ctx, `SELECT `+ratingColumns+` FROM conversations WHERE id = $1`, convID))
	if err != nil {
		return nil, fmt.Errorf("rating of conversation %d: %w", convID, err)
	}
	if g.Token == "" {
		return nil, nil
	}
	return g, nil
}

// RatingByToken returns the rating a token belongs to; ErrUnknownRating
// when none.
func (s *Service) RatingByToken(ctx context.Context, token string) (*Rating, error) {
	if token == "" || len(token) > 64 {
		return nil, ErrUnknownRating
	}
	g, err := scanRating(s.db.Read().QueryRow(ctx, `SELECT `+ratingColumns+` FROM conversations WHERE rating_token = $1`, token))
	if isNotFound(err) {
		return nil, ErrUnknownRating
	}
	if err != nil {
		return nil, fmt.Errorf("rating by token: %w", err)
	}
	return g, nil
}

// Rate records the customer's score (1 to 5) for the conversation of
// token: a later click changes it, never adds a second answer. A score
// of 1 or 2 journals a negative experience "low_rating" for a known
// customer, once per change to a low score.
func (s *Service) Rate(ctx context.Context, token string, score int) (*Rating, error) {
	if score < 1 || score > 5 {
		return nil, invalid.Field("score", "invalid", "must be from 1 to 5")
	}
	var g *Rating
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var customerID, orderID, prev *int64
		var id int64
		err := tx.QueryRow(ctx, `SELECT id, customer_id, order_id, rating_score FROM conversations WHERE rating_token = $1`,
			token).Scan(&id, &customerID, &orderID, &prev)
		if isNotFound(err) {
			return ErrUnknownRating
		}
		if err != nil {
			return err
		}
		now := s.clock.Now()
		if _, err := tx.Exec(ctx, `UPDATE conversations SET rating_score = $2, rated_at = $3 WHERE id = $1`,
			id, score, now); err != nil {
			return err
		}
		wasLow := prev != nil && *prev <= 2
		if score <= 2 && !wasLow && customerID != nil {
			err := s.journal.Append(ctx, tx, journal.Event{Kind: journal.ExperienceNegative, CustomerID: *customerID,
				OrderID: deref(orderID), OccurredAt: now,
				Payload: journal.MustPayload(event.ExperienceNegativePayload{Cause: CauseLowRating, ConversationID: id})})
			if err != nil {
				return err
			}
		}
		g, err = scanRating(tx.QueryRow(ctx, `SELECT `+ratingColumns+` FROM conversations WHERE id = $1`, id))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("rate: %w", err)
	}
	return g, nil
}

// RateComment stores the comment the customer added to their rating
// (empty clears it).
func (s *Service) RateComment(ctx context.Context, token, comment string) (*Rating, error) {
	comment = strings.TrimSpace(comment)
	if len(comment) > MaxRatingComment {
		return nil, invalid.Field("comment", "too_long", "the comment is over %d bytes", MaxRatingComment)
	}
	if comment != "" {
		if err := invalid.Text("comment", comment); err != nil {
			return nil, err
		}
	}
	var g *Rating
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.Exec(ctx, `UPDATE conversations SET rating_comment = $2 WHERE rating_token = $1`, token, comment)
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrUnknownRating
		}
		g, err = scanRating(tx.QueryRow(ctx, `SELECT `+ratingColumns+` FROM conversations WHERE rating_token = $1`, token))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("rating comment: %w", err)
	}
	return g, nil
}
