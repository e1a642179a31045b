package campaign

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// Part "results": what came of a campaign and of the marketing flows.

// resultsState is the results part's state in the Service.
type resultsState struct {
	// flows are the playbook's advertising rules (UseFlows): the
	// marketing flows FlowResults reports; nil reports every
	// marketing-type rule.
	flows []string
}

func (r *resultsState) init(s *Service) {}

// UseFlows names the marketing flows FlowResults reports: the playbook's
// advertising rules (surveys and review requests are marketing-type but
// no flow).
func (s *Service) UseFlows(rules []string) { s.results.flows = rules }

// Results are what came of a campaign (or of a variant of it).
type Results struct {
	Sent         int64
	Delivered    int64 // sent and not bounced
	Bounced      int64
	Complained   int64
	Unsubscribed int64
	// Clicked is the customers who clicked a link (mail scanners'
	// clicks do not count); Clicks every counted click.
	Clicked int64
	Clicks  int64
	// Orders and RevenueMinor are the orders attributed to the campaign:
	// placed by a recipient within AttributionDays of a click on it, else
	// of its message (first-party: the order's customer and time).
	Orders       int64
	RevenueMinor int64
	// RevenuePerMessageMinor is RevenueMinor / Sent.
	RevenuePerMessageMinor int64
	CostMinor              int64
	// Variants are the A/B test's variants' own results (a, b, and the
	// rest's winner); empty without a test.
	Variants []VariantResults
	// Holdout is the holdout group's orders and revenue, and the revenue
	// the campaign added over it; nil without a holdout.
	Holdout *HoldoutResults
}

// VariantResults are one variant's results.
type VariantResults struct {
	Variant      string
	Sent         int64
	Clicked      int64
	Orders       int64
	RevenueMinor int64
}

// HoldoutResults compare the holdout group with those who got the
// campaign.
type HoldoutResults struct {
	Customers    int64
	Orders       int64
	RevenueMinor int64
	// IncrementalMinor is the revenue the campaign added: its recipients'
	// revenue less the holdout's scaled to their number.
	IncrementalMinor int64
}

// FlowResults are what came of one marketing flow (a playbook rule whose
// messages are marketing: welcome, win_back, birthday…) over a period.
type FlowResults struct {
	Rule string
	Results
}

// Results returns what came of campaign id so far.
func (s *Service) Results(ctx context.Context, id int64) (Results, error) {
	q := s.db.Read()
	c, err := get(ctx, q, id)
	if err != nil {
		return Results{}, err
	}
	r, err := s.resultsOf(ctx, q, c)
	if err != nil {
		return Results{}, fmt.Errorf("results of campaign %d: %w", id, err)
	}
	return r, nil
}

// recipient is a campaign's recipient as its results see them.
type recipient struct {
	variant                           string
	status                            string
	sentAt, dueAt                     *time.Time
	bounced, complained, unsubscribed bool
	clicks                            int64
}

func (s *Service) resultsOf(ctx context.Context, q store.Querier, c *Campaign) (Results, error) {
	res := Results{CostMinor: c.CostMinor}
	recips := map[int64]*recipient{}
	err := store.Each(ctx, q, `SELECT customer_id, variant, status, sent_at, due_at, bounced_at IS NOT NULL,
		complained_at IS NOT NULL, unsubscribed_at IS NOT NULL FROM campaign_recipients WHERE campaign_id = $1`,
		[]any{c.ID}, func(rows store.Rows) error {
			var id int64
			var r recipient
			var due time.Time
			if err := rows.Scan(&id, &r.variant, &r.status, &r.sentAt, &due, &r.bounced, &r.complained, &r.unsubscribed); err != nil {
				return err
			}
			r.dueAt = &due
			recips[id] = &r
			return nil
		})
	if err != nil {
		return res, err
	}
	err = store.Each(ctx, q, `SELECT customer_id, COUNT(*) FROM campaign_clicks WHERE campaign_id = $1 AND suspect = ''
		GROUP BY customer_id`, []any{c.ID}, func(rows store.Rows) error {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		if r := recips[id]; r != nil {
			r.clicks = n
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	now := s.deps.Clock.Now()
	window := time.Duration(c.AttributionDays) * day
	// The period whose orders may count: from the first message (or the
	// holdout's first due time) to the last one's window's end.
	var from, to time.Time
	variants := map[string]*VariantResults{}
	var held int64
	for _, r := range recips {
		start := r.sentAt
		switch {
		case r.status == RecipientHeld:
			start = r.dueAt
			held++
		case r.sentAt == nil:
			continue
		default:
			res.Sent++
			if r.bounced {
				res.Bounced++
			}
			if r.complained {
				res.Complained++
			}
			if r.unsubscribed {
				res.Unsubscribed++
			}
			if r.clicks > 0 {
				res.Clicked++
				res.Clicks += r.clicks
			}
			v := variants[r.variant]
			if v == nil {
				v = &VariantResults{Variant: r.variant}
				variants[r.variant] = v
			}
			v.Sent++
			if r.clicks > 0 {
				v.Clicked++
			}
		}
		if start.After(now) {
			continue
		}
		if from.IsZero() || start.Before(from) {
			from = *start
		}
		if end := start.Add(window); end.After(to) {
			to = end
		}
	}
	res.Delivered = res.Sent - res.Bounced
	if to.After(now) {
		to = now.Add(instant)
	}
	var hold *HoldoutResults
	if c.Holdout > 0 {
		hold = &HoldoutResults{Customers: held}
	}
	if !from.IsZero() {
		var candidates []order.Placed
		var sentRevenue int64
		err = order.EachPlaced(ctx, q, from, to, func(o order.Placed) error {
			r := recips[o.CustomerID]
			if r == nil {
				return nil
			}
			start := r.sentAt
			if r.status == RecipientHeld {
				start = r.dueAt
			}
			if start == nil || o.PlacedAt.Before(*start) || !o.PlacedAt.Before(start.Add(window)) {
				return nil
			}
			if r.status == RecipientHeld {
				if hold == nil {
					return nil
				}
				hold.Orders++
				hold.RevenueMinor += o.TotalMinor
				return nil
			}
			sentRevenue += o.TotalMinor
			candidates = append(candidates, o)
			return nil
		})
		if err != nil {
			return res, err
		}
		won, err := s.attribute(ctx, q, candidates)
		if err != nil {
			return res, err
		}
		me := campaignSource(c.ID)
		for _, o := range candidates {
			if won[o.ID] != me {
				continue
			}
			res.Orders++
			res.RevenueMinor += o.TotalMinor
			if v := variants[recips[o.CustomerID].variant]; v != nil {
				v.Orders++
				v.RevenueMinor += o.TotalMinor
			}
		}
		if hold != nil && hold.Customers > 0 {
			hold.IncrementalMinor = sentRevenue - hold.RevenueMinor*res.Sent/hold.Customers
		}
	}
	if res.Sent > 0 {
		res.RevenuePerMessageMinor = res.RevenueMinor / res.Sent
	}
	if c.Test.Share > 0 {
		for _, v := range variants {
			res.Variants = append(res.Variants, *v)
		}
		slices.SortFunc(res.Variants, func(a, b VariantResults) int { return compareString(a.Variant, b.Variant) })
	}
	res.Holdout = hold
	return res, nil
}

func compareString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// variantScore returns the A/B test's variants' scores by metric: the
// share of each variant's recipients who clicked (MetricClicks), or its
// attributed orders per message sent (MetricOrders). Only variants a and
// b score; one nobody got yet scores 0.
func (s *Service) variantScore(ctx context.Context, id int64, metric string) (map[string]float64, error) {
	r, err := s.Results(ctx, id)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{VariantA: 0, VariantB: 0}
	for _, v := range r.Variants {
		if _, ok := out[v.Variant]; !ok || v.Sent == 0 {
			continue
		}
		switch metric {
		case MetricOrders:
			out[v.Variant] = float64(v.Orders) / float64(v.Sent)
		case MetricClicks:
			out[v.Variant] = float64(v.Clicked) / float64(v.Sent)
		default:
			return nil, fmt.Errorf("variant score of campaign %d: unknown metric %q", id, metric)
		}
	}
	return out, nil
}

// FlowResults returns what came of the marketing flows' messages sent in
// [from, to), by rule: clicks on their links and the orders attributed to
// them within campaigns.attribution_days (so a period's orders may come
// after to). Rules in name order.
func (s *Service) FlowResults(ctx context.Context, from, to time.Time) ([]FlowResults, error) {
	if !from.Before(to) {
		return nil, errors.New("flow results: the period ends before it starts")
	}
	q := s.db.Read()
	byRule := map[string]*FlowResults{}
	sent := map[int64]string{}                // message → rule
	first := map[int64]map[string]time.Time{} // customer → rule → first message of the period
	err := message.EachMarketingSent(ctx, q, from, to, func(m message.MarketingSent) error {
		if s.results.flows != nil && !slices.Contains(s.results.flows, m.Rule) {
			return nil
		}
		f := byRule[m.Rule]
		if f == nil {
			f = &FlowResults{Rule: m.Rule}
			byRule[m.Rule] = f
		}
		f.Sent++
		if m.Bounced {
			f.Bounced++
		}
		if m.Complained {
			f.Complained++
		}
		sent[m.ID] = m.Rule
		if first[m.CustomerID] == nil {
			first[m.CustomerID] = map[string]time.Time{}
		}
		if _, ok := first[m.CustomerID][m.Rule]; !ok {
			first[m.CustomerID][m.Rule] = m.SentAt
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("flow results: %w", err)
	}
	window := time.Duration(s.flowDays()) * day
	end := to.Add(window)
	if now := s.deps.Clock.Now(); end.After(now) {
		end = now.Add(instant)
	}
	clicked := map[string]map[int64]bool{}
	err = store.Each(ctx, q, `SELECT message_id, customer_id FROM campaign_clicks
		WHERE message_id IS NOT NULL AND suspect = '' AND at >= $1 AND at < $2`, []any{from, end}, func(rows store.Rows) error {
		var id, customer int64
		if err := rows.Scan(&id, &customer); err != nil {
			return err
		}
		rule, ok := sent[id]
		if !ok {
			return nil
		}
		byRule[rule].Clicks++
		if clicked[rule] == nil {
			clicked[rule] = map[int64]bool{}
		}
		clicked[rule][customer] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("flow results: %w", err)
	}
	var candidates []order.Placed
	if len(sent) > 0 {
		err = order.EachPlaced(ctx, q, from, end, func(o order.Placed) error {
			for _, at := range first[o.CustomerID] {
				if !o.PlacedAt.Before(at) {
					candidates = append(candidates, o)
					return nil
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("flow results: %w", err)
		}
	}
	won, err := s.attribute(ctx, q, candidates)
	if err != nil {
		return nil, fmt.Errorf("flow results: %w", err)
	}
	out := make([]FlowResults, 0, len(byRule))
	for rule, f := range byRule {
		f.Delivered = f.Sent - f.Bounced
		f.Clicked = int64(len(clicked[rule]))
		for _, o := range candidates {
			if won[o.ID] == flowSource(rule) {
				f.Orders++
				f.RevenueMinor += o.TotalMinor
			}
		}
		if f.Sent > 0 {
			f.RevenuePerMessageMinor = f.RevenueMinor / f.Sent
		}
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b FlowResults) int { return compareString(a.Rule, b.Rule) })
	return out, nil
}

// SentMessage is a campaign's message that went to a customer.
type SentMessage struct {
	CampaignID int64
	CustomerID int64
	SentAt     time.Time
}

// SentSince lists up to limit campaign messages sent at or after since,
// the newest first.
func (s *Service) SentSince(ctx context.Context, since time.Time, limit int) ([]SentMessage, error) {
	var out []SentMessage
	err := store.Each(ctx, s.db.Read(), `SELECT campaign_id, customer_id, sent_at FROM campaign_recipients
		WHERE status = 'sent' AND sent_at >= $1 ORDER BY sent_at DESC LIMIT $2`, []any{since, limit}, func(r store.Rows) error {
		var m SentMessage
		if err := r.Scan(&m.CampaignID, &m.CustomerID, &m.SentAt); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("campaign messages sent since %s: %w", since.Format(time.RFC3339), err)
	}
	return out, nil
}
