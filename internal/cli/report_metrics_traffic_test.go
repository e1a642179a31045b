package cli_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/traffic"
)

// TestReportMetricsTraffic: `shopcare report metrics --json` carries the
// window's visitors beside its orders, with the conversion overall and
// per source where the orders' channel names it; the table prints them.
func TestReportMetricsTraffic(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			db, opts := storetest.OpenTest(t, engine)
			env := shopEnv(opts)
			csvPath := filepath.Join(t.TempDir(), "orders.csv")
			data := "order_id,customer_id,created_at,total,status,channel\n" +
				"1,c1,2025-01-10 10:00:00,100,delivered,google\n" +
				"2,c2,2025-01-10 12:00:00,50,delivered,google\n" +
				"3,c3,2025-01-10 13:00:00,80,delivered,direct\n"
			if err := os.WriteFile(csvPath, []byte(data), 0o600); err != nil {
				t.Fatal(err)
			}
			runShopcare(t, env, "", "import", "orders", csvPath)
			tr := traffic.New(service.Deps{DB: db, Clock: clock.System{}, Log: slog.New(slog.DiscardHandler), Settings: config.Default()})
			err := tr.Push(context.Background(), traffic.OriginAPI, []traffic.Day{
				{Day: "2025-01-10", Source: "google", Visits: 120, Visitors: 100, Pageviews: 300},
				{Day: "2025-01-10", Source: "", Visits: 60, Visitors: 50, Pageviews: 90}})
			if err != nil {
				t.Fatal(err)
			}
			out := runShopcare(t, env, "", "report", "metrics", "--json", "--from", "2025-01-01", "--to", "2025-01-31")
			var m struct {
				Orders  int64
				Traffic struct {
					Visits         int64    `json:"visits"`
					UniqueVisitors int64    `json:"unique_visitors"`
					Conversion     *float64 `json:"conversion"`
					Sources        []struct {
						Source     string   `json:"source"`
						Orders     *int64   `json:"orders"`
						Conversion *float64 `json:"conversion"`
					} `json:"sources"`
				} `json:"traffic"`
			}
			if err := json.Unmarshal([]byte(out), &m); err != nil {
				t.Fatal(err, out)
			}
			tf := m.Traffic
			if m.Orders != 3 || tf.Visits != 180 || tf.UniqueVisitors != 150 || tf.Conversion == nil || *tf.Conversion != 0.02 ||
				len(tf.Sources) != 2 || tf.Sources[0].Source != "google" || tf.Sources[0].Orders == nil || *tf.Sources[0].Orders != 2 ||
				*tf.Sources[1].Conversion != 0.02 {
				t.Fatalf("report metrics --json: %s", out)
			}
			table := runShopcare(t, env, "", "report", "metrics", "--from", "2025-01-01", "--to", "2025-01-31")
			if !strings.Contains(table, "visitors              180 visits, 150 unique visitors, 390 page views; conversion 2.0% (3 orders)") {
				t.Errorf("report metrics: no visitors line in\n%s", table)
			}
		})
	}
}
