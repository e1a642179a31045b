package config_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestVersions saves the settings twice through config.Versions and reads
// them back, as the admin's settings pages do.
func TestVersions(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			v := config.NewVersions(db)
			if _, ok, err := v.Saved(ctx); err != nil || ok {
				t.Fatalf("saved before any save: %v, %v; want none", ok, err)
			}
			first := "shop:\n  country: LV\n  timezone: Europe/Riga\n"
			if _, _, err := v.Save(ctx, config.SaveParams{Doc: []byte(first), By: "owner@example.com", At: at}); err != nil {
				t.Fatal(err)
			}
			second := first + "promise:\n  handling_days: 2\n"
			_, ver, err := v.Save(ctx, config.SaveParams{Doc: []byte(second), By: "owner@example.com", At: at.Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			if doc, ok, err := v.Saved(ctx); err != nil || !ok || string(doc) != second {
				t.Fatalf("saved: %q, %v, %v; want the second document", doc, ok, err)
			}
			list, err := v.List(ctx, 10)
			if err != nil || len(list) == 0 || list[0].ID != ver.ID {
				t.Fatalf("versions: %+v, %v; want the newest, %d, first", list, err, ver.ID)
			}
			if got, err := v.Get(ctx, ver.ID); err != nil || string(got.Doc) != second {
				t.Fatalf("version %d: %q, %v", ver.ID, got.Doc, err)
			}
		})
	}
}
