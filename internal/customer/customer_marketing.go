package customer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/store"
)

// ConsentSourceDoubleOptIn begins the consent source of a marketing
// consent the customer confirmed by the link of the confirmation e-mail
// (campaigns.double_opt_in); where they first gave it follows in
// parentheses.
const ConsentSourceDoubleOptIn = "double opt-in"

// marketingPrefix begins an order's consent entry that grants marketing on
// a channel: marketing_email, marketing_sms, marketing_telegram.
const marketingPrefix = "marketing_"

// MarketingEntry reads a consent entry of an order ("marketing_email") and
// returns its channel, or false when the entry is not a marketing consent
// on a known channel. The bare channel names keep meaning order news.
func MarketingEntry(entry string) (channel string, ok bool) {
	ch, found := strings.CutPrefix(entry, marketingPrefix)
	if !found || !config.ValidChannel(ch) {
		return "", false
	}
	return ch, true
}

// PendingField is the field a customer.changed event lists when a
// marketing e-mail consent waits for its confirmation: the playbook's cue
// to send it.
const PendingField = "consent.email.marketing_pending"

// repeatPending is how long a pending marketing consent keeps its request:
// a new consent within it asks no second confirmation, one after it asks
// again.
const repeatPending = 30 * 24 * time.Hour

// grantFromOrder records the marketing consent on channel ch that came
// with an order. An order never overrides the customer's own word: after
// an unsubscribe from marketing, or a withdrawal on the channel, only the
// customer (their page, the API's PATCH with a source) grants it again.
// With double opt-in an e-mail consent waits for its confirmation.
func grantFromOrder(ctx context.Context, tx *store.Tx, id int64, ch string, in Input, now time.Time) error {
	source := in.ConsentSource
	if source == "" {
		source = "order"
	}
	var optedOut *time.Time
	if err := tx.QueryRow(ctx, `SELECT marketing_opted_out_at FROM customers WHERE id = $1`, id).Scan(&optedOut); err != nil {
		return fmt.Errorf("load marketing opt-out of customer %d: %w", id, err)
	}
	if optedOut != nil {
		return nil
	}
	if in.DoubleOptIn && ch == "email" {
		_, err := markPending(ctx, tx, id, ch, source, now)
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO customer_channels (customer_id, channel, marketing_consent_at, marketing_consent_source, updated_at)
		VALUES ($1, $2, $3, $4, $3)
		ON CONFLICT (customer_id, channel) DO UPDATE SET marketing_consent_at = $3, marketing_consent_source = $4,
			marketing_pending_at = NULL, marketing_pending_source = '', updated_at = $3
		WHERE customer_channels.marketing_consent_at IS NULL AND customer_channels.marketing_revoked_at IS NULL`,
		id, ch, now, source)
	if err != nil {
		return fmt.Errorf("save marketing %s consent of customer %d: %w", ch, id, err)
	}
	return nil
}

// markPending keeps a marketing consent on channel ch pending its
// confirmation, unless the customer has the consent already or asked for
// it lately (repeatPending). It reports whether a new request was made
// (a confirmation is due).
func markPending(ctx context.Context, tx *store.Tx, id int64, ch, source string, now time.Time) (bool, error) {
	n, err := tx.Exec(ctx, `INSERT INTO customer_channels (customer_id, channel, marketing_pending_at, marketing_pending_source, updated_at)
		VALUES ($1, $2, $3, $4, $3)
		ON CONFLICT (customer_id, channel) DO UPDATE SET marketing_pending_at = $3, marketing_pending_source = $4, updated_at = $3
		WHERE customer_channels.marketing_consent_at IS NULL
			AND (customer_channels.marketing_pending_at IS NULL OR customer_channels.marketing_pending_at < $5)`,
		id, ch, now, source, now.Add(-repeatPending))
	if err != nil {
		return false, fmt.Errorf("save pending marketing %s consent of customer %d: %w", ch, id, err)
	}
	return n > 0, nil
}

// clearPending forgets a pending marketing consent on channel ch: it was
// confirmed, withdrawn or granted otherwise.
func clearPending(ctx context.Context, tx *store.Tx, id int64, ch string, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE customer_channels SET marketing_pending_at = NULL, marketing_pending_source = '', updated_at = $3
		WHERE customer_id = $1 AND channel = $2 AND marketing_pending_at IS NOT NULL`, id, ch, now)
	if err != nil {
		return fmt.Errorf("clear pending marketing %s consent of customer %d: %w", ch, id, err)
	}
	return nil
}

// PendingMarketing is a marketing consent waiting for the customer's
// confirmation: since At, given at Source.
type PendingMarketing struct {
	CustomerID int64
	Channel    string
	At         time.Time
	Source     string
}

// ListPendingMarketing returns the pending marketing consents of the
// customers ids (with an address on the channel still to confirm them).
func ListPendingMarketing(ctx context.Context, q store.Querier, ids []int64) ([]PendingMarketing, error) {
	var out []PendingMarketing
	err := store.QueryIn(ctx, q, `SELECT cc.customer_id, cc.channel, cc.marketing_pending_at, cc.marketing_pending_source
		FROM customer_channels cc JOIN customers c ON c.id = cc.customer_id
		WHERE cc.marketing_pending_at IS NOT NULL AND cc.marketing_consent_at IS NULL AND c.erased_at IS NULL
			AND cc.customer_id IN (IN_LIST) ORDER BY cc.customer_id, cc.channel`, nil, ids, func(r store.Rows) error {
		var p PendingMarketing
		if err := r.Scan(&p.CustomerID, &p.Channel, &p.At, &p.Source); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list pending marketing consents: %w", err)
	}
	return out, nil
}

// GetPendingMarketing returns customer id's pending marketing consent on
// channel ch; store.ErrNotFound when there is none (confirmed already,
// withdrawn, never asked).
func GetPendingMarketing(ctx context.Context, q store.Querier, id int64, ch string) (*PendingMarketing, error) {
	p := PendingMarketing{CustomerID: id, Channel: ch}
	var at *time.Time
	err := q.QueryRow(ctx, `SELECT marketing_pending_at, marketing_pending_source FROM customer_channels
		WHERE customer_id = $1 AND channel = $2 AND marketing_consent_at IS NULL`, id, ch).Scan(&at, &p.Source)
	if err != nil {
		return nil, fmt.Errorf("load pending marketing %s consent of customer %d: %w", ch, id, err)
	}
	if at == nil {
		return nil, fmt.Errorf("pending marketing %s consent of customer %d: %w", ch, id, store.ErrNotFound)
	}
	p.At = *at
	return &p, nil
}

// ErrNotPending is returned by ConfirmMarketing for a link whose request is
// not the pending one: withdrawn since, or replaced by a newer request.
var ErrNotPending = errors.New("no such pending marketing consent")

// ConfirmMarketing turns customer id's pending marketing consent on
// channel ch, requested at requested, into their consent, at now, with
// the source "double opt-in (where it was given)"; being the customer's
// own word it lifts a marketing unsubscribe. A consent confirmed before
// answers true again (a second click changes nothing); a request that is
// no longer the pending one is ErrNotPending. It reports whether the
// consent was newly recorded.
func ConfirmMarketing(ctx context.Context, tx *store.Tx, id int64, ch string, requested, now time.Time) (bool, error) {
	var pending, consent *time.Time
	var source, consentSource string
	err := tx.QueryRow(ctx, `SELECT marketing_pending_at, marketing_pending_source, marketing_consent_at, marketing_consent_source
		FROM customer_channels WHERE customer_id = $1 AND channel = $2`, id, ch).Scan(&pending, &source, &consent, &consentSource)
	if errors.Is(err, store.ErrNotFound) {
		return false, ErrNotPending
	}
	if err != nil {
		return false, fmt.Errorf("load pending marketing %s consent of customer %d: %w", ch, id, err)
	}
	if consent != nil && strings.HasPrefix(consentSource, ConsentSourceDoubleOptIn) {
		return false, nil
	}
	if pending == nil || pending.Unix() != requested.Unix() {
		return false, ErrNotPending
	}
	yes := true
	proof := ConsentSourceDoubleOptIn
	if source != "" {
		proof += " (" + source + ")"
	}
	if _, err := saveConsent(ctx, tx, id, ch, ConsentPatch{Marketing: &yes}, proof, false, now); err != nil {
		return false, err
	}
	return true, nil
}

// Advertisable tells whether customer id may ever be offered anything:
// they gave an explicit marketing consent on some channel (or one waits
// for its confirmation) and have not unsubscribed from marketing since.
// The playbook plans no advertising for the others; the sender checks
// each channel again when a message is due.
func Advertisable(ctx context.Context, q store.Querier, id int64) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM customer_channels cc JOIN customers c ON c.id = cc.customer_id
		WHERE cc.customer_id = $1 AND c.marketing_opted_out_at IS NULL AND c.erased_at IS NULL
			AND (cc.marketing_consent_at IS NOT NULL OR cc.marketing_pending_at IS NOT NULL)`, id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("marketing consent of customer %d: %w", id, err)
	}
	return n > 0, nil
}
