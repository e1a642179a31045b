package inbox

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/store"
)

// CampaignReports is what the inbox tells the campaigns of a bounce or a
// complaint (campaign.Service): messageID is the Message-ID the report
// quotes; anything not a campaign's is ignored there.
type CampaignReports interface {
	RecordBounce(ctx context.Context, q store.Querier, messageID string, complaint bool, at time.Time) error
}

// UseCampaigns has the inbox report the bounces and complaints of
// campaigns' messages to c (the campaigns are built after the inbox).
func (s *Service) UseCampaigns(c CampaignReports) { s.campaigns = c }

// report records what a bounce (permanent) or a complaint says about a
// marketing message, in the receiving transaction: a campaign's message's
// recipient is marked bounced or complained; a playbook message's report
// is kept with it (the marketing flows' results); a complaint opts the
// customer out of marketing on every channel, never out of order news.
func (s *Service) report(ctx context.Context, tx *store.Tx, b *BounceReport, kind byte, n int64, own bool, customerID int64, now time.Time) error {
	if !b.Permanent && !b.Complaint {
		return nil
	}
	if s.campaigns != nil && b.OriginalMessageID != "" {
		if err := s.campaigns.RecordBounce(ctx, tx, b.OriginalMessageID, b.Complaint, now); err != nil {
			return err
		}
	}
	if own && kind == 'm' {
		if err := message.RecordReport(ctx, tx, n, b.Complaint, now); err != nil {
			return err
		}
	}
	if b.Complaint && customerID != 0 {
		return message.OptOutMarketing(ctx, tx, customerID, now)
	}
	return nil
}
