package survey_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/survey"
)

// BenchmarkSummary100k: the summary of a window of 100,000 confirmed
// answers (and as many the window before, for the themes), a third with
// a comment, on a SQLite file, and on PostgreSQL with
// SHOPCARE_TEST_DATABASE_URL.
func BenchmarkSummary100k(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			ctx := context.Background()
			a, _ := apptest.New(b, engine, false)
			o := order.NewOrder{ExternalID: "B-1", Customer: customer.Input{ExternalID: "b"}, History: true,
				PlacedAt: apptest.Start.AddDate(0, -8, 0), Items: []order.Item{{SKU: "TEA", Name: "Tea", Qty: 1, PriceMinor: 100}}}
			if err := order.Normalize(&o, a.Settings, order.APIFields); err != nil {
				b.Fatal(err)
			}
			var res []order.Result
			if err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				var err error
				res, err = a.Orders.CreateBatch(ctx, tx, []order.NewOrder{o}, order.SourceImport)
				return err
			}); err != nil {
				b.Fatal(err)
			}
			comments := []string{"Курьер опоздал на два часа", "чай очень вкусный", "упаковка была мятая", "Kurjers kavējās",
				"tēja ļoti garšīga", "packaging was damaged", "fast delivery, thanks"}
			const n = 200_000
			seeds := make([]survey.SummarySeed, 0, 10_000)
			for i := range n {
				s := survey.SummarySeed{Kind: "nps", ConversationID: int64(i + 1), CustomerID: res[0].CustomerID, Language: "ru",
					Score: i % 11, At: apptest.Start.Add(-time.Duration(i) * 77 * time.Second)}
				if i%3 == 0 {
					s.Comment = fmt.Sprintf("%s %d", comments[i%len(comments)], i%97)
				}
				seeds = append(seeds, s)
				if len(seeds) == cap(seeds) {
					if err := a.Surveys.SeedSummaryAnswers(ctx, seeds); err != nil {
						b.Fatal(err)
					}
					seeds = seeds[:0]
				}
			}
			// 100,000 answers 77 s apart are 89 days: the default window.
			b.ResetTimer()
			for b.Loop() {
				s, err := a.Surveys.Summary(ctx, survey.SummaryQuery{})
				if err != nil {
					b.Fatal(err)
				}
				if s.Responses < 99_000 {
					b.Fatalf("%d responses", s.Responses)
				}
			}
		})
	}
}
