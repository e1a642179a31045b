package inbox_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/store"
)

// TestAnalyticsSupportFigures checks that the shop's metrics report
// (`shopcare report metrics`, GET /api/v1/metrics) carries the inbox's
// first_response_median (seconds) and within_target_share, an overdue
// conversation counted as a missed answer.
func TestAnalyticsSupportFigures(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		a, clk, _ := shop(t, engine)
		start := time.Date(2026, 11, 23, 10, 0, 0, 0, moscow) // Monday, working
		clk.Set(start)

		// Nothing yet: the figures are there, the rates undefined.
		m, err := a.Analytics.Metrics(ctx, analytics.Window{From: "2026-11-23", To: "2026-11-23"})
		if err != nil {
			t.Fatal(err)
		}
		if s := m.Support; s == nil || s.FirstResponseMedian != nil || s.WithinTargetShare != nil || s.Conversations != 0 {
			t.Fatalf("empty inbox: %+v", s)
		}

		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "slow@example.com", Subject: "1", Text: "Вопрос", MessageID: "1@m"})
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "fast@example.com", Subject: "2", Text: "Question", MessageID: "2@m"})
		fast := convOf(t, a, "2@m")
		clk.Set(start.Add(30 * time.Minute))
		if _, err := a.Inbox.Reply(ctx, fast.ID, inbox.Author{Name: "Op"}, "Answer"); err != nil {
			t.Fatal(err)
		}
		clk.Set(start.Add(2*time.Hour + time.Minute))
		if res, err := a.Inbox.Watch(ctx); err != nil || res.Overdue != 1 {
			t.Fatalf("overdue pass: %+v %v", res, err)
		}

		m, err = a.Analytics.Metrics(ctx, analytics.Window{From: "2026-11-23", To: "2026-11-23"})
		if err != nil {
			t.Fatal(err)
		}
		s := m.Support
		if s == nil || s.Conversations != 2 || s.Answered != 1 || s.Overdue != 1 || s.Responses != 2 || s.WithinTarget != 1 {
			t.Fatalf("support counts: %+v", s)
		}
		if s.FirstResponseMedian == nil || *s.FirstResponseMedian != 1800 {
			t.Fatalf("first_response_median: %v, want 1800 s", s.FirstResponseMedian)
		}
		if s.WithinTargetShare == nil || *s.WithinTargetShare != 0.5 {
			t.Fatalf("within_target_share: %v, want 0.5 (the overdue one is missed)", s.WithinTargetShare)
		}

		// The JSON the API and the CLI print carries the two keys.
		raw, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Support map[string]any `json:"support"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Support["first_response_median"] != 1800.0 || doc.Support["within_target_share"] != 0.5 || doc.Support["overdue"] != 1.0 {
			t.Fatalf("support JSON: %v", doc.Support)
		}

		// A window before the conversations has none of them.
		m, err = a.Analytics.Metrics(ctx, analytics.Window{From: "2026-11-22", To: "2026-11-22"})
		if err != nil {
			t.Fatal(err)
		}
		if s := m.Support; s.Conversations != 0 || s.Overdue != 0 || s.WithinTargetShare != nil {
			t.Fatalf("earlier window: %+v", s)
		}
	})
}
