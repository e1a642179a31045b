package campaign_test

import (
	"context"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// BenchmarkAudienceCount times the audience preview (the count and the
// reach on e-mail, POST /api/v1/audiences/count, the admin's live count)
// over SHOPCARE_BENCH_CUSTOMERS synthetic customers (default 1,000,000):
// every customer scored, the segments in turn; e-mail marketing consent
// for 40% of them, a tenth of those opted out again; a fifth Latvian; a
// tenth gold card holders. The target is under 500 ms a preview.
//
//	go test ./internal/campaign -run '^$' -bench AudienceCount -benchtime 5x
func BenchmarkAudienceCount(b *testing.B) {
	n := int64(1_000_000)
	if s := os.Getenv("SHOPCARE_BENCH_CUSTOMERS"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < 1 {
			b.Fatalf("SHOPCARE_BENCH_CUSTOMERS=%q is not a count", s)
		}
		n = v
	}
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			a, clk := apptest.New(b, engine, false)
			ctx := context.Background()
			at := clk.Now().Add(-30 * 24 * time.Hour)
			const chunk = 100_000
			for lo := int64(1); lo <= n; lo += chunk {
				hi := min(lo+chunk-1, n)
				err := a.DB.InTx(ctx, func(tx *store.Tx) error {
					if err := customer.SyntheticInsert(ctx, tx, customer.Synthetic{Engine: engine, From: lo, To: hi, At: at}); err != nil {
						return err
					}
					for _, q := range []string{
						`INSERT INTO customer_scores (customer_id, frequency, recency, age, monetary_minor, expected_30, expected_90,
							expected_365, p_alive, clv_minor, rfm, segment, segment_since, scored_at)
							SELECT id, 1, 1, 1, 150000, 0.1, 0.3, 1, 0.8, 1000 * (id % 1000), (1 + id % 5) || '' || (1 + id % 3) || '3',
							CASE id % 7 WHEN 0 THEN 'champions' WHEN 1 THEN 'loyal' WHEN 2 THEN 'new' WHEN 3 THEN 'at_risk'
							WHEN 4 THEN 'drifting' WHEN 5 THEN 'likely_lost' ELSE 'others' END, $1, $1
							FROM customers WHERE id BETWEEN $2 AND $3`,
						`INSERT INTO customer_channels (customer_id, channel, marketing_consent_at, marketing_consent_source, updated_at)
							SELECT id, 'email', $1, 'checkout', $1 FROM customers WHERE id BETWEEN $2 AND $3 AND id % 5 < 2`,
						`UPDATE customer_channels SET opted_out_at = $1 WHERE customer_id BETWEEN $2 AND $3 AND customer_id % 50 = 1`,
						`UPDATE customers SET language = 'lv', country = 'LV', updated_at = $1 WHERE id BETWEEN $2 AND $3 AND id % 5 = 3`,
						`INSERT INTO loyalty_accounts (code, customer_id, tier, created_at)
							SELECT 'm' || id, id, 'gold', $1 FROM customers WHERE id BETWEEN $2 AND $3 AND id % 10 = 4`,
					} {
						if _, err := tx.Exec(ctx, q, at, lo, hi); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			if err := a.DB.Analyze(ctx); err != nil {
				b.Fatal(err)
			}
			for _, c := range []struct {
				name     string
				audience campaign.Audience
			}{
				{"all", campaign.Audience{All: true}},
				{"segment", campaign.Audience{Segment: "at_risk"}},
				{"segment_lv", campaign.Audience{Segment: "champions", Languages: []string{"lv"}}},
				{"tier_rfm", campaign.Audience{Tier: "gold", RFM: "5**"}},
			} {
				b.Run(c.name, func(b *testing.B) {
					var cnt campaign.Count
					var err error
					cpu0 := cpuTime()
					for b.Loop() {
						if cnt, err = a.Campaigns.CountAudience(ctx, c.audience, campaign.Email); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric((cpuTime()-cpu0).Seconds()*1000/float64(b.N), "cpu-ms/op")
					b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
					b.ReportMetric(float64(cnt.Customers), "customers")
					b.ReportMetric(float64(cnt.Reachable), "reachable")
					if c.audience.All && cnt.Customers != n {
						b.Fatalf("%d customers, want %d", cnt.Customers, n)
					}
				})
			}
		})
	}
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
