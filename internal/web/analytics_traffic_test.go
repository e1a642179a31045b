package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/traffic"
)

// TestAnalyticsTraffic: the analytics page shows the visitors beside the
// orders in the owner's language (numbers and percentages its way), a
// table per source with direct visits in words, and the chart's data;
// the banner words an outage with its hour.
func TestAnalyticsTraffic(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := newEnv(t, engine)
			addPeople(t, e)
			yesterday := e.clock.Now().In(e.app.Settings.Shop.Location()).AddDate(0, 0, -1).Format(time.DateOnly)
			err := e.app.Traffic.Push(ctx, traffic.OriginAPI, []traffic.Day{
				{Day: yesterday, Source: "google", Visits: 1200, Visitors: 1000, Pageviews: 3000},
				{Day: yesterday, Source: "", Visits: 300, Visitors: 250, Pageviews: 700}})
			if err != nil {
				t.Fatal(err)
			}
			b := newBrowser(t, e)
			b.login(people[auth.Owner])
			status, _, page := b.do("GET", "/analytics", nil)
			if status != http.StatusOK {
				t.Fatalf("analytics: %d", status)
			}
			wantAll(t, "the traffic section", page, `id="traffic"`, "Посетители", "id=\"fig-visits\">1\u00a0500<",
				"id=\"fig-visitors\">1\u00a0250<", "0,0\u00a0%", "Прямые заходы", `data-chart="traffic"`, `"traffic":{`,
				"конверсия показана только по всему магазину")

			hour := e.clock.Now().Truncate(time.Hour).Add(-time.Hour)
			err = e.app.DB.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO alerts (kind, day, actual, expected, lower, days, hour, created_at)
					VALUES ('traffic_drop', $1, 0, 71, 40, 1, $2, $3)`, e.clock.Now().In(e.app.Settings.Shop.Location()).Format(time.DateOnly),
					hour.Unix(), e.clock.Now())
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			local := hour.In(e.app.Settings.Shop.Location())
			_, _, banner := b.do("GET", "/alerts/banner", nil, "HX-Request: true")
			wantAll(t, "the outage's banner", banner, "Возможно, сайт не работает", "визитов — 0",
				local.Format("15:04")+"–"+local.Add(time.Hour).Format("15:04"), "около 71")
		})
	}
}
