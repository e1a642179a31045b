package app_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/notice"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestSavedSettingsThatNoLongerValidateDoNotStopTheStart: settings saved
// in the admin that a later check refuses start the shop on the newest
// version that still passes (else the file's), with a notice for the owner.
func TestSavedSettingsThatNoLongerValidateDoNotStopTheStart(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, opts := storetest.OpenTest(t, engine)
			now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
			if _, err := config.Save(ctx, db, []byte("shop:\n  name: Первая версия\n"), "owner@example.com", now); err != nil {
				t.Fatal(err)
			}
			if _, err := config.Save(ctx, db, []byte("shop:\n  name: Вторая версия\n"), "owner@example.com", now.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			// A document stored by an older shopcare that today's checks
			// refuse: written as it would have been, past the validation.
			if err := db.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `UPDATE shop_settings SET yaml = $1 WHERE id = 1`, "shop:\n  name: Сломано\n  timezone: Mars/Olympus\n")
				return err
			}); err != nil {
				t.Fatal(err)
			}

			a, err := app.Open(ctx, app.Options{Store: opts, Clock: clock.NewFake(now), Log: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatalf("the start failed on saved settings that no longer validate: %v", err)
			}
			defer a.Stop(ctx)
			if a.Settings.Shop.Name != "Вторая версия" {
				t.Errorf("started on %q, want the newest version that validates", a.Settings.Shop.Name)
			}
			i := slices.IndexFunc(a.Notices.List(), func(n notice.Notice) bool { return n.Key == "settings.saved_invalid" })
			if i < 0 {
				t.Fatalf("no notice of the refused settings among %+v", a.Notices.List())
			}
			if n := a.Notices.List()[i]; !strings.Contains(n.Args["Error"].(string), "timezone") || n.Message != "app.notice.settings_invalid_version" {
				t.Errorf("notice = %+v, want one naming the refused timezone and the version started on", n)
			}
		})
	}
}
