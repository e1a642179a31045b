package campaign_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// seedCustomers stores n customers with marketing consent on e-mail, in
// one transaction, spread over a few mailbox domains.
func seedCustomers(tb testing.TB, db *store.DB, n int, now time.Time) {
	tb.Helper()
	ctx := context.Background()
	domains := []string{"gmail.com", "yandex.ru", "mail.ru", "inbox.lv", "example.com"}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		const chunk = 2000
		for start := 0; start < n; start += chunk {
			var cust, ch [][]any
			for i := start; i < min(n, start+chunk); i++ {
				cust = append(cust, []any{fmt.Sprintf("Покупатель %d", i), fmt.Sprintf("c%d@%s", i, domains[i%len(domains)]),
					"ru", "Europe/Riga", now, now})
			}
			if err := store.InsertMany(ctx, tx, "customers", []string{"name", "email", "language", "timezone",
				"created_at", "updated_at"}, cust, "RETURNING id", func(r store.Rows) error {
				var id int64
				if err := r.Scan(&id); err != nil {
					return err
				}
				ch = append(ch, []any{id, "email", now, now, now})
				return nil
			}); err != nil {
				return err
			}
			if err := store.InsertMany(ctx, tx, "customer_channels", []string{"customer_id", "channel", "consent_at",
				"marketing_consent_at", "updated_at"}, ch, "", nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// peakRSS is the process's peak resident set in bytes (Linux; 0
// elsewhere).
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkCampaignSend sends one campaign to SHOPCARE_BENCH_CAMPAIGN_N
// customers (default 100,000) through a real SMTP server in the process,
// per iteration, and reports messages a second (start to the last
// outcome recorded, the audience's evaluation included) and the peak RSS.
//
//	go test ./internal/campaign/ -run '^$' -bench CampaignSend -benchtime 1x
func BenchmarkCampaignSend(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("SHOPCARE_BENCH_CAMPAIGN_N")); err == nil && v > 0 {
		n = v
	}
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			e := newSendEnv(b, engine, "playbook:", "  frequency_cap: 1m")
			e.srv.Keep = false
			seedCustomers(b, e.a.DB, n, e.clk.Now())
			ctx := context.Background()
			var total, cpu time.Duration
			sent := 0
			for i := 0; b.Loop(); i++ {
				e.clk.Advance(time.Hour) // past the cap of the last iteration's
				id := e.campaign(b, campaign.Input{Name: fmt.Sprint("Bench ", i)})
				before := e.srv.Count()
				began, cpu0 := time.Now(), cpuTime()
				if err := e.a.Campaigns.Start(ctx, id, "bench"); err != nil {
					b.Fatal(err)
				}
				e.drain(b, id)
				total += time.Since(began)
				cpu += cpuTime() - cpu0
				sent += e.srv.Count() - before
				p, err := e.a.Campaigns.Progress(ctx, id)
				if err != nil {
					b.Fatal(err)
				}
				if p.Sent != int64(n) {
					b.Fatalf("sent %d of %d: %+v", p.Sent, n, p)
				}
			}
			b.ReportMetric(float64(sent)/total.Seconds(), "msgs/s")
			b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MB")
			// The CPU the whole process spent a message (the SMTP server's
			// and the database's share included): what a loaded machine's
			// wall-clock figure hides.
			b.ReportMetric(float64(cpu.Microseconds())/float64(max(1, sent)), "cpu-µs/msg")
		})
	}
}
