package promise_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/notice"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/promise"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// wire builds an App with the settings over db, as a restart would.
func wire(t *testing.T, db *store.DB, yaml string) *app.App {
	t.Helper()
	s, err := config.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Wire(context.Background(), db, app.Options{Settings: s, Clock: clock.NewFake(apptest.Start),
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestShopDaysFollowTheSettingsFile(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			a := wire(t, db, `shop: {days_off: [{from: 2026-12-28, to: 2026-12-30, reason: stocktaking}]}`)
			if _, err := a.Promises.AddDays(ctx, promise.ShopDays{From: calendar.MustParseDay("2027-02-01"), Reason: "vacation"}); err != nil {
				t.Fatal(err)
			}
			if !a.Promises.Engine().Calendar().IsWorkday(calendar.MustParseDay("2026-12-25")) ||
				a.Promises.Engine().Calendar().IsWorkday(calendar.MustParseDay("2026-12-29")) {
				t.Error("the engine does not have the stocktaking from the settings")
			}
			var jobs int64
			if err := db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'promise_recompute'`).Scan(&jobs); err != nil || jobs != 2 {
				t.Errorf("recompute jobs = %d, %v; want one per new span", jobs, err)
			}

			// Restart with another file: the old span goes, the new comes,
			// the one added through the API stays.
			a = wire(t, db, `shop: {days_off: [{from: 2027-01-15, reason: inventory}], working_days: [{from: 2026-12-26}]}`)
			days, err := a.Promises.Days(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range days {
				got = append(got, d.From.String()+" "+d.Source+" "+d.Reason)
			}
			want := []string{"2026-12-26 settings ", "2027-01-15 settings inventory", "2027-02-01 api vacation"}
			if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
				t.Errorf("days after the restart = %q, want %q", got, want)
			}
			cal := a.Promises.Engine().Calendar()
			if !cal.IsWorkday(calendar.MustParseDay("2026-12-29")) || !cal.IsWorkday(calendar.MustParseDay("2026-12-26")) ||
				cal.IsWorkday(calendar.MustParseDay("2027-01-15")) {
				t.Error("the engine does not follow the new settings")
			}
			if info := cal.Info(calendar.MustParseDay("2027-01-15")); info.Kind != calendar.ShopDayOff || info.Name != "inventory" {
				t.Errorf("15 Jan 2027: %+v", info)
			}
		})
	}
}

// TestStoredShopDayOutOfRangeSkipped: a shop-day row that no longer
// validates (stored before the API checked the calendars' years) never
// stops the app from starting: it is skipped, logged and raised as a
// notice, and the re-computation of promises it asked for completes.
func TestStoredShopDayOutOfRangeSkipped(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			err := db.InTx(ctx, func(tx *store.Tx) error {
				for _, span := range [][3]string{{"2100-01-01", "2100-01-02", "old"}, {"2027-01-01", "2028-06-01", "old"},
					{"someday", "2027-01-01", "old"}, {"2026-12-28", "2026-12-28", "stocktaking"}} {
					if _, err := tx.Exec(ctx, `INSERT INTO shop_days (day_from, day_to, working, reason, source, created_at)
						VALUES ($1, $2, false, $3, 'api', $4)`, span[0], span[1], span[2], apptest.Start); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			a := wire(t, db, `shop: {days_off: [{from: 2101-01-01, reason: far}]}`)
			defer a.Stop(ctx)
			shopDayNotices := func() []notice.Notice {
				var out []notice.Notice
				for _, n := range a.Notices.List() {
					if strings.HasPrefix(n.Key, "shop_day.") {
						out = append(out, n)
					}
				}
				return out
			}
			notices := shopDayNotices()
			if len(notices) != 4 {
				t.Errorf("notices = %+v, want one per skipped span (3 stored, 1 in the settings)", notices)
			}
			for _, n := range notices {
				if n.Message != promise.NoticeSkipped {
					t.Errorf("notice %+v", n)
				}
			}
			days, err := a.Promises.Days(ctx)
			if err != nil || len(days) != 1 || days[0].Reason != "stocktaking" {
				t.Errorf("days = %+v, %v; want the one valid span", days, err)
			}
			if a.Promises.Engine().Calendar().IsWorkday(calendar.MustParseDay("2026-12-28")) {
				t.Error("the valid span is not applied")
			}
			if err := a.Promises.RemoveDays(ctx, 1); err != nil {
				t.Fatal(err)
			}
			if got := len(shopDayNotices()); got != 3 {
				t.Errorf("%d notices after the first skipped span was removed, want 3", got)
			}
			w := &order.RecomputeWorker{Service: a.Orders}
			job := &river.Job[promise.RecomputeArgs]{JobRow: &rivertype.JobRow{}, Args: promise.RecomputeArgs{
				From: calendar.MustParseDay("2100-01-01"), To: calendar.MustParseDay("2100-01-02")}}
			if err := w.Work(ctx, job); err != nil {
				t.Errorf("the re-computation for the skipped span fails: %v", err)
			}
		})
	}
}
