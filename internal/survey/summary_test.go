package survey_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/survey"
)

// summaryOrders creates the orders the answers are about and returns
// their ids and their customers', by external id.
func summaryOrders(t *testing.T, a *app.App, orders []order.NewOrder) map[string]order.Result {
	t.Helper()
	ctx := context.Background()
	for i := range orders {
		orders[i].History = true
		orders[i].PlacedAt = apptest.Start.AddDate(0, 0, -150)
		if err := order.Normalize(&orders[i], a.Settings, order.APIFields); err != nil {
			t.Fatal(err)
		}
	}
	var res []order.Result
	err := a.DB.InTx(ctx, func(tx *store.Tx) error {
		var err error
		res, err = a.Orders.CreateBatch(ctx, tx, orders, order.SourceImport)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]order.Result{}
	for i, o := range orders {
		out[o.ExternalID] = res[i]
	}
	return out
}

// TestSummary: the confirmed answers of the window add up to the NPS and
// CSAT, by week, carrier, product and segment; the themes of their
// comments rise against the window before; the comments list newest
// first in pages; an unconfirmed click counts nowhere.
func TestSummary(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := apptest.New(t, engine, false)
			tea := order.Item{SKU: "TEA-1", Name: "Sencha", Qty: 1, PriceMinor: 1000}
			cup := order.Item{SKU: "CUP-2", Name: "Cup", Qty: 1, PriceMinor: 500}
			o := summaryOrders(t, a, []order.NewOrder{
				{ExternalID: "1001", Customer: customer.Input{ExternalID: "a", Name: "Анна"}, Carrier: "omniva", Items: []order.Item{tea, cup, tea}},
				{ExternalID: "1002", Customer: customer.Input{ExternalID: "b", Name: "Baiba"}, Carrier: "dpd", Items: []order.Item{tea}},
				{ExternalID: "1003", Customer: customer.Input{ExternalID: "c", Name: "Chris"}, Carrier: "omniva", Items: []order.Item{cup}},
				{ExternalID: "1004", Customer: customer.Input{ExternalID: "d"}, Carrier: "dpd", Items: []order.Item{tea}},
				{ExternalID: "1005", Customer: customer.Input{ExternalID: "e"}, Carrier: "omniva", Items: []order.Item{tea}},
				{ExternalID: "1006", Customer: customer.Input{ExternalID: "f"}, Carrier: "omniva", Items: []order.Item{tea}},
			})
			day := func(d int) time.Time { return apptest.Start.AddDate(0, 0, -d) }
			seeds := []survey.SummarySeed{
				{Kind: "nps", OrderID: o["1001"].ID, CustomerID: o["1001"].CustomerID, Language: "ru", Channel: "email", Score: 10,
					Comment: "Курьер опоздал, но чай вкусный", At: day(2)},
				{Kind: "nps", OrderID: o["1002"].ID, CustomerID: o["1002"].CustomerID, Language: "lv", Score: 3,
					Comment: "Kurjers kavējās", At: day(10)},
				{Kind: "nps", OrderID: o["1003"].ID, CustomerID: o["1003"].CustomerID, Language: "en", Score: 8, At: day(20)},
				{Kind: "nps", OrderID: o["1004"].ID, CustomerID: o["1004"].CustomerID, Language: "en", Score: 0, At: day(1), Unconfirmed: true},
				{Kind: "nps", OrderID: o["1005"].ID, CustomerID: o["1005"].CustomerID, Language: "ru", Score: 5,
					Comment: "Курьер опоздал на час", At: day(30)},
				// The window before: themes rise against it, it counts nowhere.
				{Kind: "nps", OrderID: o["1006"].ID, CustomerID: o["1006"].CustomerID, Language: "ru", Score: 10,
					Comment: "Чай вкусный", At: day(120)},
				{Kind: "csat", ConversationID: 77, CustomerID: o["1001"].CustomerID, Language: "en", Score: 5, Comment: "Fast answer", At: day(3)},
				{Kind: "csat", ConversationID: 78, CustomerID: o["1002"].CustomerID, Language: "lv", Score: 2, Comment: "Kurjers atkal kavējās!", At: day(4)},
			}
			if err := a.Surveys.SeedSummaryAnswers(ctx, seeds); err != nil {
				t.Fatal(err)
			}
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO customer_scores (customer_id, frequency, recency, age, monetary_minor,
				expected_30, expected_90, expected_365, p_alive, clv_minor, rfm, segment, segment_since, scored_at)
				VALUES ($1, 1, 1, 1, 100, 0, 0, 0, 1, 100, '', 'champions', $2, $2)`, o["1001"].CustomerID, apptest.Start)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}

			s, err := a.Surveys.Summary(ctx, survey.SummaryQuery{Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			if s.From != "2026-08-26" || s.To != "2026-11-23" || s.Period != "week" {
				t.Errorf("window %s..%s by %s, want the 90 days to 2026-11-23 by week", s.From, s.To, s.Period)
			}
			if s.Responses != 6 || s.NPS.Responses != 4 || s.NPS.Promoters != 1 || s.NPS.Passives != 1 || s.NPS.Detractors != 2 ||
				s.NPS.Score == nil || *s.NPS.Score != -25 {
				t.Errorf("responses %d, NPS %+v; want 6 answers, NPS −25 of 1 promoter, 1 passive, 2 detractors", s.Responses, s.NPS)
			}
			if c := s.CSAT; c.Responses != 2 || c.Average == nil || *c.Average != 3.5 || c.SatisfiedPercent == nil || *c.SatisfiedPercent != 50 {
				t.Errorf("CSAT %+v, want 2 answers averaging 3.5, 50 %% satisfied", c)
			}
			total := 0
			for _, b := range s.ByPeriod {
				total += b.Responses
			}
			if len(s.ByPeriod) != 14 || total != 6 || s.ByPeriod[0].Key != "2026-08-26" || s.ByPeriod[13].End != "2026-11-23" {
				t.Errorf("by_period %+v: want 14 weeks cut to the window holding the 6 answers", s.ByPeriod)
			}
			if len(s.ByCarrier) != 2 || s.ByCarrier[0].Key != "omniva" || s.ByCarrier[0].Responses != 3 ||
				s.ByCarrier[1].Key != "dpd" || s.ByCarrier[1].Responses != 1 {
				t.Errorf("by_carrier %+v, want omniva 3, dpd 1 (CSAT answers are about no order)", s.ByCarrier)
			}
			if len(s.ByProduct) != 2 || s.ByProduct[0].Key != "TEA-1" || s.ByProduct[0].Name != "Sencha" || s.ByProduct[0].Responses != 3 ||
				s.ByProduct[1].Key != "CUP-2" || s.ByProduct[1].Responses != 2 {
				t.Errorf("by_product %+v, want TEA-1 in 3 answers (once per order), CUP-2 in 2", s.ByProduct)
			}
			seg := map[string]int{}
			for _, b := range s.BySegment {
				seg[b.Key] = b.Responses
			}
			if seg["champions"] != 2 || seg[""] != 4 {
				t.Errorf("by_segment %+v, want champions 2 (one customer's NPS and CSAT), unscored 4", s.BySegment)
			}
			var late bool
			for _, th := range s.Themes["ru"] {
				if th.Text == "курьер опоздал" && th.Count == 2 && len(th.DocIDs) == 2 {
					late = true
				}
				if th.Text == "чай вкусный" {
					t.Errorf("«чай вкусный», as common before, rose: %+v", th)
				}
			}
			if !late {
				t.Errorf("themes %+v, want «курьер опоздал» of 2 answers in ru", s.Themes)
			}
			if s.Answers.Total != 5 || len(s.Answers.Items) != 2 || s.Answers.Items[0].Comment != "Курьер опоздал, но чай вкусный" ||
				s.Answers.Items[0].OrderNumber != "1001" || s.Answers.Items[0].CustomerName != "Анна" || s.Answers.NextCursor == "" {
				t.Fatalf("answers %+v, want the 5 comments newest first, 2 a page", s.Answers)
			}
			next, err := a.Surveys.Summary(ctx, survey.SummaryQuery{Limit: 2, Cursor: s.Answers.NextCursor})
			if err != nil {
				t.Fatal(err)
			}
			if len(next.Answers.Items) != 2 || next.Answers.Items[1].Comment != "Kurjers kavējās" || next.Answers.NextCursor == "" {
				t.Errorf("second page %+v, want the next 2 comments and a cursor", next.Answers)
			}
			if len(s.Themes["lv"]) == 0 {
				t.Fatalf("no Latvian themes in %+v", s.Themes)
			}
			byTheme, err := a.Surveys.Summary(ctx, survey.SummaryQuery{Theme: s.Themes["lv"][0].Key, ThemeLang: "lv"})
			if err != nil {
				t.Fatal(err)
			}
			if byTheme.Answers.Total != 2 || byTheme.Answers.Items[1].Comment != "Kurjers kavējās" {
				t.Errorf("answers of the theme %+v: %+v", s.Themes["lv"][0], byTheme.Answers)
			}
			old, err := a.Surveys.Summary(ctx, survey.SummaryQuery{From: "2026-01-01", To: "2026-12-31"})
			if err != nil {
				t.Fatal(err)
			}
			if old.Responses != 7 || old.Period != "month" || len(old.ByPeriod) != 12 {
				t.Errorf("the year: %d answers by %s in %d periods, want 7 by month in 12", old.Responses, old.Period, len(old.ByPeriod))
			}
		})
	}
}

// TestSummaryBadInput: a wrong field is an error naming it.
func TestSummaryBadInput(t *testing.T) {
	t.Parallel()
	a, _ := apptest.New(t, storetest.Engines(t)[0], false)
	for _, c := range []struct {
		q     survey.SummaryQuery
		field string
	}{
		{survey.SummaryQuery{From: "2026-13-01"}, "from"},
		{survey.SummaryQuery{To: "yesterday"}, "to"},
		{survey.SummaryQuery{From: "2026-11-02", To: "2026-11-01"}, "to"},
		{survey.SummaryQuery{From: "2000-01-01", To: "2026-11-01"}, "from"},
		{survey.SummaryQuery{Limit: 201}, "limit"},
		{survey.SummaryQuery{Cursor: "nope"}, "cursor"},
		{survey.SummaryQuery{Theme: "курьер"}, "theme_lang"},
		{survey.SummaryQuery{Kind: "ces"}, "kind"},
	} {
		_, err := a.Surveys.Summary(context.Background(), c.q)
		bad, ok := invalid.First(err)
		if !ok || bad.Field != c.field {
			t.Errorf("Summary(%+v) = %v, want an error on %s", c.q, err, c.field)
		}
		var list invalid.List
		if !errors.As(err, &list) {
			t.Errorf("Summary(%+v) = %T, want an invalid.List", c.q, err)
		}
	}
}
