package campaign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Page is one page of the campaigns, the newest first.
type Page struct {
	Campaigns []Campaign
	// Next is the cursor of the next page; "" at the end.
	Next string
}

// Create validates in and stores it as a draft; a problem is an
// invalid.List naming the fields, and nothing is written.
func (s *Service) Create(ctx context.Context, in Input) (int64, error) {
	now := s.deps.Clock.Now()
	if err := s.check(&in, now); err != nil {
		return 0, err
	}
	row, err := s.row(in)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO campaigns (name, channel, audience, content, variant_b, test_share, test_metric,
			test_wait, holdout, schedule, send_at, window_seconds, track_clicks, attribution_days, cost_minor, status,
			created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'draft', $16, $17, $17) RETURNING id`,
			append(row, in.CreatedBy, now)...).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("create campaign: %w", err)
	}
	return id, nil
}

// Update replaces a draft's fields with in; only drafts change.
func (s *Service) Update(ctx context.Context, id int64, in Input) error {
	now := s.deps.Clock.Now()
	if err := s.check(&in, now); err != nil {
		return err
	}
	row, err := s.row(in)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkStatus(c, Draft); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE campaigns SET name = $1, channel = $2, audience = $3, content = $4, variant_b = $5,
			test_share = $6, test_metric = $7, test_wait = $8, holdout = $9, schedule = $10, send_at = $11,
			window_seconds = $12, track_clicks = $13, attribution_days = $14, cost_minor = $15, updated_at = $16
			WHERE id = $17 AND status = 'draft'`, append(row, now, id)...)
		if err != nil {
			return fmt.Errorf("update campaign %d: %w", id, err)
		}
		return nil
	})
}

// row is in's columns from name to cost_minor, with the settings'
// defaults filled in.
func (s *Service) row(in Input) ([]any, error) {
	audience, err := json.Marshal(in.Audience)
	if err != nil {
		return nil, err
	}
	content, err := json.Marshal(in.Content)
	if err != nil {
		return nil, err
	}
	variantB := ""
	if len(in.VariantB) > 0 {
		b, err := json.Marshal(in.VariantB)
		if err != nil {
			return nil, err
		}
		variantB = string(b)
	}
	track := s.deps.Settings.Campaigns.TrackClicks
	if in.TrackClicks != nil {
		track = *in.TrackClicks
	}
	days := in.AttributionDays
	if days == 0 {
		days = s.deps.Settings.Campaigns.AttributionDays
	}
	window := in.Window
	if window == 0 && in.Schedule == CustomerMorning {
		window = time.Duration(s.deps.Settings.Campaigns.Window)
	}
	metric := ""
	if in.Test.Share > 0 {
		metric = in.Test.Metric
	}
	return []any{in.Name, in.Channel, string(audience), string(content), variantB, in.Test.Share, metric,
		int64(in.Test.Wait / time.Second), in.Holdout, in.Schedule, in.SendAt, int64(window / time.Second), track, days,
		in.CostMinor}, nil
}

// Get returns one campaign; a missing one is store.ErrNotFound.
func (s *Service) Get(ctx context.Context, id int64) (*Campaign, error) {
	return get(ctx, s.db.Read(), id)
}

const columns = `id, name, channel, audience, content, variant_b, test_share, test_metric, test_wait, winner, holdout,
	schedule, send_at, window_seconds, track_clicks, attribution_days, cost_minor, status, status_reason, audience_size,
	created_by, created_at, updated_at, started_at, finished_at`

func get(ctx context.Context, q store.Querier, id int64) (*Campaign, error) {
	c, err := scan(q.QueryRow(ctx, `SELECT `+columns+` FROM campaigns WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("load campaign %d: %w", id, err)
	}
	return c, nil
}

func scan(r store.Row) (*Campaign, error) {
	var c Campaign
	var audience, content, variantB string
	var wait, window int64
	err := r.Scan(&c.ID, &c.Name, &c.Channel, &audience, &content, &variantB, &c.Test.Share, &c.Test.Metric, &wait,
		&c.Winner, &c.Holdout, &c.Schedule, &c.SendAt, &window, &c.TrackClicks, &c.AttributionDays, &c.CostMinor,
		&c.Status, &c.StatusReason, &c.AudienceSize, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt, &c.StartedAt, &c.FinishedAt)
	if err != nil {
		return nil, err
	}
	c.Test.Wait, c.Window = time.Duration(wait)*time.Second, time.Duration(window)*time.Second
	// A stored document that no longer reads leaves the field empty: the
	// campaign still lists, and its page says what is missing.
	_ = json.Unmarshal([]byte(audience), &c.Audience)
	_ = json.Unmarshal([]byte(content), &c.Content)
	if variantB != "" {
		_ = json.Unmarshal([]byte(variantB), &c.VariantB)
	}
	return &c, nil
}

// List returns a page of the campaigns, the newest first; cursor is the
// last page's Next.
func (s *Service) List(ctx context.Context, cursor string, limit int) (Page, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	before := int64(1) << 62
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || n <= 0 {
			return Page{}, errors.Join(store.ErrNotFound, fmt.Errorf("cursor %q is not one of this list's", cursor))
		}
		before = n
	}
	var p Page
	err := store.Each(ctx, s.db.Read(), `SELECT `+columns+` FROM campaigns WHERE id < $1 ORDER BY id DESC LIMIT $2`,
		[]any{before, limit + 1}, func(r store.Rows) error {
			c, err := scan(r)
			if err != nil {
				return err
			}
			p.Campaigns = append(p.Campaigns, *c)
			return nil
		})
	if err != nil {
		return Page{}, fmt.Errorf("list campaigns: %w", err)
	}
	if len(p.Campaigns) > limit {
		p.Campaigns = p.Campaigns[:limit]
		p.Next = strconv.FormatInt(p.Campaigns[limit-1].ID, 10)
	}
	return p, nil
}
