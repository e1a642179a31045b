package campaign

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// Attribution: an order belongs to at most one campaign or flow. Of the
// touches of its customer before it — counted clicks on a campaign's or a
// flow's link, and campaigns' and flows' messages sent — those whose
// attribution window (the campaign's attribution_days; the flows'
// campaigns.attribution_days) still covered the order's time compete: the
// last click wins, and only without a click the last message sent (last
// touch). First-party only: the order's customer and its time.

// instant closes a period at its last moment: a millisecond, as
// PostgreSQL keeps microseconds and rounds a nanosecond away.
const instant = time.Millisecond

// day is an attribution day; the window is counted in business time.
const day = 24 * time.Hour

// maxAttribution bounds how far back touches are looked for (the
// setting's upper bound).
const maxAttribution = 90 * day

// touch is a click or a message an order may be attributed to.
type touch struct {
	source string // "k<campaign id>" or "r<rule>"
	at     time.Time
	days   int
	click  bool
}

func campaignSource(id int64) string { return "k" + strconv.FormatInt(id, 10) }
func flowSource(rule string) string  { return "r" + rule }

// flowDays is the attribution window of the marketing flows.
func (s *Service) flowDays() int {
	if d := s.deps.Settings.Campaigns.AttributionDays; d > 0 {
		return d
	}
	return 5
}

// attribute returns the source each order is attributed to ("" for
// none), by order id.
func (s *Service) attribute(ctx context.Context, q store.Querier, orders []order.Placed) (map[int64]string, error) {
	out := make(map[int64]string, len(orders))
	if len(orders) == 0 {
		return out, nil
	}
	var ids []int64
	seen := map[int64]bool{}
	from, to := orders[0].PlacedAt, orders[0].PlacedAt
	for _, o := range orders {
		if !seen[o.CustomerID] {
			seen[o.CustomerID] = true
			ids = append(ids, o.CustomerID)
		}
		if o.PlacedAt.Before(from) {
			from = o.PlacedAt
		}
		if o.PlacedAt.After(to) {
			to = o.PlacedAt
		}
	}
	from, to = from.Add(-maxAttribution), to.Add(instant)
	touches, err := s.touches(ctx, q, ids, from, to)
	if err != nil {
		return nil, err
	}
	for _, o := range orders {
		var click, sent *touch
		for i := range touches[o.CustomerID] {
			t := &touches[o.CustomerID][i]
			if t.at.After(o.PlacedAt) || !o.PlacedAt.Before(t.at.Add(time.Duration(t.days)*day)) {
				continue
			}
			if t.click && (click == nil || !t.at.Before(click.at)) {
				click = t
			}
			if !t.click && (sent == nil || !t.at.Before(sent.at)) {
				sent = t
			}
		}
		switch {
		case click != nil:
			out[o.ID] = click.source
		case sent != nil:
			out[o.ID] = sent.source
		}
	}
	return out, nil
}

// touches reads the customers' counted clicks and the campaigns' and
// flows' messages sent to them in [from, to), by customer.
func (s *Service) touches(ctx context.Context, q store.Querier, ids []int64, from, to time.Time) (map[int64][]touch, error) {
	days := map[int64]int{}
	rows, err := q.Query(ctx, `SELECT id, attribution_days FROM campaigns WHERE status <> 'draft'`)
	if err != nil {
		return nil, fmt.Errorf("read campaigns' attribution: %w", err)
	}
	for rows.Next() {
		var id int64
		var d int
		if err := rows.Scan(&id, &d); err != nil {
			rows.Close()
			return nil, err
		}
		days[id] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := map[int64][]touch{}
	fdays := s.flowDays()
	for rest := ids; len(rest) > 0; {
		chunk := rest[:min(len(rest), 500)]
		rest = rest[len(chunk):]
		args := []any{from, to}
		for _, id := range chunk {
			args = append(args, id)
		}
		in := store.Placeholders(3, len(chunk))
		err := store.Each(ctx, q, `SELECT campaign_id, rule, customer_id, at FROM campaign_clicks
			WHERE suspect = '' AND at >= $1 AND at < $2 AND customer_id IN (`+in+`)`, args, func(r store.Rows) error {
			var cid *int64
			var rule string
			var t touch
			var customer int64
			if err := r.Scan(&cid, &rule, &customer, &t.at); err != nil {
				return err
			}
			t.click = true
			switch {
			case cid != nil:
				t.source, t.days = campaignSource(*cid), days[*cid]
			case rule != "":
				t.source, t.days = flowSource(rule), fdays
			default:
				return nil
			}
			out[customer] = append(out[customer], t)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read customers' clicks: %w", err)
		}
		err = store.Each(ctx, q, `SELECT campaign_id, customer_id, sent_at FROM campaign_recipients
			WHERE sent_at >= $1 AND sent_at < $2 AND customer_id IN (`+in+`)`, args, func(r store.Rows) error {
			var cid, customer int64
			var t touch
			if err := r.Scan(&cid, &customer, &t.at); err != nil {
				return err
			}
			t.source, t.days = campaignSource(cid), days[cid]
			out[customer] = append(out[customer], t)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read customers' campaign messages: %w", err)
		}
	}
	flows, err := message.MarketingSentTo(ctx, q, ids, from, to)
	if err != nil {
		return nil, err
	}
	for _, m := range flows {
		out[m.CustomerID] = append(out[m.CustomerID], touch{source: flowSource(m.Rule), at: m.SentAt, days: fdays})
	}
	return out, nil
}
