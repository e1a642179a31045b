package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/store"
)

// TestAuditInBrowser: the owner finds the audit in the menu, and on a
// phone-sized screen records a check of the call-back with the radio
// buttons and the score, without JavaScript of its own; the board and
// the point's page pass axe-core, before and after.
func TestAuditInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newEnv(t, store.SQLite)
	addPeople(t, e)
	speakEnglish(t, e, auth.Owner)
	b := &adminTab{t: t, ctx: newChromium(t, exe, 390, 844), base: e.srv.URL, dir: artifactDir(t)}
	b.open("/audit")
	if at := b.signIn(people[auth.Owner]); at != "/audit" {
		t.Fatalf("the owner landed on %s, want /audit", at)
	}
	paths, texts := b.menu()
	if i := strings.Index(strings.Join(paths, " "), "/audit"); i < 0 || !strings.Contains(strings.Join(texts, " "), "Audit") {
		t.Errorf("the owner's menu has no audit: %q %q", paths, texts)
	}
	if got := b.text("#audit-due"); !strings.Contains(got, "9 touch points are due") {
		t.Errorf("board says %q", got)
	}
	axeCheck(t, b.ctx)
	b.shot("audit-board")

	if st := b.follow(`#point-call a[href="/audit/call"]`); st != 200 || b.text("main h1") != "Call-back" {
		t.Fatalf("the call-back's page: %d %q", st, b.text("main h1"))
	}
	axeCheck(t, b.ctx)
	b.do(chromedp.Click(chromedp.CSS(`.audit-answer:nth-of-type(1) input[value="pass"]`)),
		chromedp.Click(chromedp.CSS(`.audit-answer:nth-of-type(2) input[value="fail"]`)),
		chromedp.Click(chromedp.CSS(`input[name="kind"][value="mystery"]`)),
		chromedp.SetValue(chromedp.CSS(`#audit-who`), "Glance agency"),
		chromedp.SetValue(chromedp.CSS(`#audit-score`), "4"),
		chromedp.SetValue(chromedp.CSS(`#audit-notes`), "Called back in 40 minutes."))
	if st := b.follow(`#check button[type="submit"]`); st != 200 || b.at() != "/audit/call?saved=1" {
		t.Fatalf("saving the check: %d at %s", st, b.at())
	}
	if got := b.text("#checks"); !strings.Contains(got, "Glance agency") || !strings.Contains(got, "Mystery shopper") ||
		!strings.Contains(got, "1 of 2") || !strings.Contains(got, "4 of 5") {
		t.Errorf("the checks made:\n%s", got)
	}
	axeCheck(t, b.ctx)
	b.shot("audit-call")
	b.open("/audit")
	if got := b.text("#point-call"); !strings.Contains(got, "Checked") {
		t.Errorf("the call-back on the board: %q", got)
	}
}
