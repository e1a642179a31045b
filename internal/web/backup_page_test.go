package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/backup"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// TestBackupsPage has the owner back the shop up from the page: the
// button (a form with the CSRF token) starts a backup, which then shows
// in the list with its size in the owner's language; the page speaks
// Russian and Latvian without English; an operator may not see it.
func TestBackupsPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	var path string
	if err := e.app.DB.Read().QueryRow(context.Background(), `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	e.app.Backups = backup.New(service.Deps{DB: e.app.DB, Settings: e.app.Settings, Log: slog.New(slog.DiscardHandler)},
		backup.Params{DataDir: filepath.Dir(path)})
	addPeople(t, e)
	b := newBrowser(t, e)
	b.login(people[auth.Owner])
	if st, _, body := b.do("GET", "/settings", nil); st != http.StatusOK || !strings.Contains(body, `href="/backups"`) {
		t.Fatalf("the settings page does not link the backups: %d", st)
	}
	if st, _, _ := b.do("POST", "/backups", url.Values{}); st != http.StatusForbidden {
		t.Errorf("a button without the CSRF token: status %d", st)
	}
	st, h, _ := b.do("POST", "/backups", url.Values{"csrf": {b.csrf}})
	if st != http.StatusSeeOther || h.Get("Location") != "/backups?started=1" {
		t.Fatalf("the button: status %d, to %q", st, h.Get("Location"))
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		runs, err := e.app.Backups.List(context.Background(), 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) == 1 {
			if !runs[0].OK() {
				t.Fatalf("the backup failed: %s", runs[0].Error)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the backup did not finish")
		}
		<-time.After(20 * time.Millisecond) // polling another goroutine's work, with a deadline
	}
	for _, lang := range []i18n.Lang{i18n.RU, i18n.LV, i18n.EN} {
		b.do("POST", "/account/language", url.Values{"csrf": {b.csrf}, "language": {string(lang)}})
		st, _, body := b.do("GET", "/backups", nil)
		if st != http.StatusOK || !strings.Contains(body, "shopcare-") {
			t.Fatalf("%s: status %d, no backup listed", lang, st)
		}
		unit := map[i18n.Lang]string{i18n.RU: "КБ", i18n.LV: "KB", i18n.EN: "KB"}[lang]
		if !strings.Contains(body, "\u00a0"+unit) {
			t.Errorf("%s: no size in %s", lang, unit)
		}
		if bad := unreadable(pageText(body, lang), lang); len(bad) > 0 {
			t.Errorf("%s /backups: %v", lang, bad)
		}
	}
	op := newBrowser(t, e)
	op.login(people[auth.Operator])
	if st, _, _ := op.do("GET", "/backups", nil); st != http.StatusForbidden {
		t.Errorf("an operator sees the backups: status %d", st)
	}
}
