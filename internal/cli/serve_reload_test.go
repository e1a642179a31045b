package cli

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestSettingsReload saves settings as the admin's settings page does and
// asks for a reload: the server's next request is served by an App on
// the new settings, over the same database, without a restart.
func TestSettingsReload(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := apptest.New(t, engine, false, "shop:", `  name: "Old name"`)
			if err := a.Start(ctx); err != nil {
				t.Fatal(err)
			}
			live := newLiveApp(a)
			live.reloadable(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), 10*time.Second)
			doc := []byte("shop:\n  name: \"Кастрюля и сковородка\"\n  working_hours: \"10:00-19:00\"\n")
			if _, err := config.Save(ctx, a.DB, doc, "owner@shop.test", a.Clock.Now()); err != nil {
				t.Fatal(err)
			}
			a.Reload()
			next := live.current()
			t.Cleanup(func() { _ = next.Retire(context.Background()) })
			if next == a || next.Settings.Shop.Name != "Кастрюля и сковородка" || next.Settings.Shop.WorkingHours.String() != "10:00-19:00" {
				t.Fatalf("after reload: same app %v, shop %q %s", next == a, next.Settings.Shop.Name, next.Settings.Shop.WorkingHours)
			}
			rec := httptest.NewRecorder()
			live.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/login", nil))
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Кастрюля и сковородка") {
				t.Errorf("the login page after reload: %d, without the new shop name", rec.Code)
			}
			if next.Reload == nil {
				t.Error("the new app cannot be reloaded again")
			}
		})
	}
}
