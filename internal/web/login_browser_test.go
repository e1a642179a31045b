package web_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

// TestDemoStaysSignedInInChromium signs into an app whose shop clock runs
// as the demo's does (an hour a second) and stays there for a minute of
// real time, going from page to page every few seconds: in that minute
// the shop lives two and a half days, and the session, on the real clock,
// must hold throughout (it once ended after twelve real seconds). It
// takes its minute by design; nothing in it measures time.
func TestDemoStaysSignedInInChromium(t *testing.T) {
	t.Parallel()
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("takes a minute of real time (-short)")
	}
	exe := chromiumPath(t)
	db, _ := storetest.OpenTest(t, store.SQLite)
	settings, err := config.Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	shop := clock.NewScaled(apptest.Start, 3600)
	a, err := app.Wire(context.Background(), db, app.Options{Settings: settings, Clock: shop, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Stop(context.Background()) })
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(a))
	t.Cleanup(srv.Close)
	if err := auth.UserAdd(context.Background(), a.DB, people[auth.Owner], testPassword, auth.Owner, time.Now()); err != nil {
		t.Fatal(err)
	}

	b := &adminTab{t: t, ctx: chromiumWithin(t, exe, 1280, 900, 3*time.Minute), base: srv.URL, dir: artifactDir(t)}
	b.open("/login")
	if at := b.signIn(people[auth.Owner]); at != "/orders" {
		t.Fatalf("signed in at %s, want /orders", at)
	}
	shopStart := shop.Now()
	pages := []string{"/orders", "/callbacks", "/customers", "/outbox", "/account", "/users"}
	end := time.NewTimer(time.Minute)
	defer end.Stop()
	step := time.NewTicker(4 * time.Second)
	defer step.Stop()
	for i := 0; ; i++ {
		select {
		case <-end.C:
			b.shot("demo_still_signed_in")
			if lived := shop.Now().Sub(shopStart); lived < 24*time.Hour {
				t.Errorf("the shop's clock moved only %s in the minute: not the demo's pace", lived)
			}
			return
		case <-step.C:
		}
		path := pages[i%len(pages)]
		if st := b.open(path); st != 200 || b.at() != path {
			t.Fatalf("visit %d, %s of shop time after signing in: %s answered %d at %s, want the page itself: signed out",
				i+1, shop.Now().Sub(shopStart).Round(time.Hour), path, st, b.at())
		}
		if strings.Contains(b.at(), "/login") {
			t.Fatalf("sent to the login page at visit %d", i+1)
		}
	}
}
