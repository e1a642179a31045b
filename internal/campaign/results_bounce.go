package campaign

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/store"
)

// recordBounce records what the inbox learnt of a campaign's message by
// its Message-ID (k<campaign>-<customer>, with or without the angle
// brackets and the domain): a permanent bounce marks the recipient's
// bounced_at (the address's failure is recorded on the customer by the
// inbox already); a complaint (an ARF feedback report: the customer
// marked it as spam) marks complained_at and opts the customer out of
// marketing on every channel. Anything that is not a campaign's
// Message-ID, or a recipient not on record, is ignored; each mark is kept
// from its first time.
func recordBounce(ctx context.Context, q store.Querier, messageID string, complaint bool, at time.Time) error {
	campaignID, customerID, ok := parseMessageID(messageID)
	if !ok {
		return nil
	}
	column := "bounced_at"
	if complaint {
		column = "complained_at"
	}
	n, err := q.Exec(ctx, `UPDATE campaign_recipients SET `+column+` = $3
		WHERE campaign_id = $1 AND customer_id = $2 AND `+column+` IS NULL`, campaignID, customerID, at)
	if err != nil {
		return fmt.Errorf("record %s of campaign %d's message to customer %d: %w", column, campaignID, customerID, err)
	}
	if complaint && n > 0 {
		return message.OptOutMarketing(ctx, q, customerID, at)
	}
	return nil
}

// RecordBounce is recordBounce, for the inbox (which imports campaign,
// not the other way), inside the inbox's transaction q.
func (s *Service) RecordBounce(ctx context.Context, q store.Querier, messageID string, complaint bool, at time.Time) error {
	return recordBounce(ctx, q, messageID, complaint, at)
}

// parseMessageID reads a campaign message's Message-ID ("k12-345",
// "<k12-345@shopcare>").
func parseMessageID(id string) (campaignID, customerID int64, ok bool) {
	id = strings.Trim(strings.TrimSpace(id), "<>")
	if at := strings.LastIndexByte(id, '@'); at >= 0 {
		id = id[:at]
	}
	rest, found := strings.CutPrefix(strings.ToLower(id), "k")
	if !found {
		return 0, 0, false
	}
	a, b, found := strings.Cut(rest, "-")
	if !found {
		return 0, 0, false
	}
	campaignID, err1 := strconv.ParseInt(a, 10, 64)
	customerID, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || campaignID <= 0 || customerID <= 0 || a[0] == '+' || b[0] == '+' {
		return 0, 0, false
	}
	return campaignID, customerID, true
}
