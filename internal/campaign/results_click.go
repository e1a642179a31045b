package campaign

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/store"
)

// The reasons a click looks like a mail scanner's rather than a person's
// (campaign_clicks.suspect), as the surveys' links judge them. A suspect
// click is kept, for the record, but counts for nothing: not as a click,
// not for the A/B test, not for attribution.
const (
	// SuspectPrefetch: a HEAD request or a browser's prefetch.
	SuspectPrefetch = "prefetch"
	// SuspectTooSoon: within ClickTooSoon of the message being sent —
	// scanners check links on arrival.
	SuspectTooSoon = "too_soon"
	// SuspectBurst: several links of one message within ClickBurst — a
	// scanner follows every link; all of the burst's clicks are marked.
	SuspectBurst = "burst"
)

// The scanner's timings.
const (
	ClickTooSoon = 10 * time.Second
	ClickBurst   = 2 * time.Second
)

// Click is one request of a tracked link.
type Click struct {
	// Prefetch marks a HEAD request or a browser's prefetch.
	Prefetch bool
}

// RecordClick reads a tracked link's token, records the click (flagged
// when it looks like a scanner's) and returns where the link leads.
// ErrClickToken when the token is not ours. A link of a test send or of a
// recipient no longer on record still leads to its destination, counting
// nothing; so does a link whose click could not be recorded (the
// destination comes back with the error).
func (s *Service) RecordClick(ctx context.Context, token string, c Click) (string, error) {
	l, err := s.parseClick(token)
	if err != nil {
		return "", err
	}
	now := s.deps.Clock.Now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		return s.recordClick(ctx, tx, l, c, now)
	})
	if err != nil {
		return l.URL, fmt.Errorf("record click of customer %d: %w", l.CustomerID, err)
	}
	return l.URL, nil
}

func (s *Service) recordClick(ctx context.Context, tx *store.Tx, l clickLink, c Click, now time.Time) error {
	var sentAt *time.Time
	var campaignID, messageID any
	rule := ""
	if l.CampaignID != 0 {
		err := tx.QueryRow(ctx, `SELECT sent_at FROM campaign_recipients WHERE campaign_id = $1 AND customer_id = $2`,
			l.CampaignID, l.CustomerID).Scan(&sentAt)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		campaignID = l.CampaignID
	} else {
		m, err := message.Get(ctx, tx, l.MessageID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if m.CustomerID != l.CustomerID {
			return nil
		}
		sentAt, messageID, rule = m.SentAt, l.MessageID, m.Rule
	}
	suspect := ""
	switch {
	case c.Prefetch:
		suspect = SuspectPrefetch
	case sentAt != nil && now.Sub(*sentAt) < ClickTooSoon:
		suspect = SuspectTooSoon
	}
	if suspect == "" {
		// Another link of the same message within the burst: a scanner
		// following them all; every click of the burst is marked.
		n, err := tx.Exec(ctx, `UPDATE campaign_clicks SET suspect = $1
			WHERE customer_id = $2 AND at >= $3 AND suspect = '' AND link <> $4
			AND (campaign_id = $5 OR message_id = $6)`,
			SuspectBurst, l.CustomerID, now.Add(-ClickBurst), l.Link, campaignID, messageID)
		if err != nil {
			return err
		}
		if n > 0 {
			suspect = SuspectBurst
		}
	}
	_, err := tx.Exec(ctx, `INSERT INTO campaign_clicks (campaign_id, message_id, rule, customer_id, link, url, suspect, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, campaignID, messageID, rule, l.CustomerID, l.Link, l.URL, suspect, now)
	return err
}
