package campaign

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// The results' tests reach the private links and scores, and seed
// campaigns and recipients as the send part leaves them, so that they do
// not depend on the other parts' validation and sending.

// VariantScore is variantScore.
func (s *Service) VariantScore(ctx context.Context, id int64, metric string) (map[string]float64, error) {
	return s.variantScore(ctx, id, metric)
}

// ParseClick is parseClick, for the fuzz test.
func (s *Service) ParseClick(token string) (campaignID, messageID, customerID int64, link int, dest string, err error) {
	l, err := s.parseClick(token)
	return l.CampaignID, l.MessageID, l.CustomerID, l.Link, l.URL, err
}

// ClickToken is clickToken, for the fuzz test.
func (s *Service) ClickToken(campaignID, messageID int64, rule string, customerID int64, link int, dest string) string {
	return s.clickToken(clickLink{CampaignID: campaignID, MessageID: messageID, Rule: rule, CustomerID: customerID, Link: link, URL: dest})
}

// SeededRecipient is a recipient row as the send part leaves it.
type SeededRecipient struct {
	CustomerID int64
	Variant    string
	Status     string
	DueAt      time.Time
	SentAt     *time.Time
}

// SeedCampaign inserts a started campaign with its recipients.
func SeedCampaign(ctx context.Context, db *store.DB, name string, days, holdout, testShare int, cost int64, now time.Time, rs []SeededRecipient) (int64, error) {
	var id int64
	err := db.InTx(ctx, func(tx *store.Tx) error {
		metric := ""
		if testShare > 0 {
			metric = MetricClicks
		}
		err := tx.QueryRow(ctx, `INSERT INTO campaigns (name, channel, audience, content, test_share, test_metric, holdout,
			attribution_days, cost_minor, status, audience_size, created_at, updated_at, started_at)
			VALUES ($1, 'email', '{"all":true}', '{"en":{"subject":"Hi","text":"Hi"}}', $2, $3, $4, $5, $6, 'sending', $7, $8, $8, $8)
			RETURNING id`, name, testShare, metric, holdout, days, cost, len(rs), now).Scan(&id)
		if err != nil {
			return err
		}
		for _, r := range rs {
			_, err := tx.Exec(ctx, `INSERT INTO campaign_recipients (campaign_id, customer_id, variant, status, channel, language, due_at, sent_at)
				VALUES ($1, $2, $3, $4, 'email', 'en', $5, $6)`, id, r.CustomerID, r.Variant, r.Status, r.DueAt, r.SentAt)
			if err != nil {
				return err
			}
		}
		return nil
	})
	return id, err
}

// ClickURLs returns the destinations kept of a customer's clicks.
func ClickURLs(ctx context.Context, q store.Querier, customerID int64) ([]string, error) {
	var out []string
	err := store.Each(ctx, q, `SELECT url FROM campaign_clicks WHERE customer_id = $1 ORDER BY id`, []any{customerID},
		func(r store.Rows) error {
			var u string
			err := r.Scan(&u)
			out = append(out, u)
			return err
		})
	return out, err
}

// Suspects returns the suspect reasons of a customer's clicks, in order.
func Suspects(ctx context.Context, q store.Querier, customerID int64) ([]string, error) {
	var out []string
	err := store.Each(ctx, q, `SELECT suspect FROM campaign_clicks WHERE customer_id = $1 ORDER BY id`, []any{customerID},
		func(r store.Rows) error {
			var u string
			err := r.Scan(&u)
			out = append(out, u)
			return err
		})
	return out, err
}
