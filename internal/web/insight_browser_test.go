package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/store"
)

// TestSurveysInBrowser opens the survey results as the owner: the charts
// are drawn without a script under the strict CSP, a theme's link lists
// its answers, nothing is reported to the console, axe finds nothing
// serious, and the test leaves a screenshot, admin_surveys.png.
func TestSurveysInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newEnv(t, store.SQLite)
	addPeople(t, e)
	addCustomers(t, e, 30)
	insightSeedAnswers(t, e, 30)
	b := newAdminTab(t, e, exe)
	b.open("/login?next=%2Fsurveys")
	var problems pageProblems
	problems.listen(t, b)
	if at := b.signIn(people[auth.Owner]); at != "/surveys" {
		t.Fatalf("the owner landed on %s, want /surveys", at)
	}
	b.do(chromedp.WaitVisible(chromedp.CSS("#chart-nps svg")))
	if n := eval[int](b, `document.querySelectorAll("#chart-csat svg").length`); n != 0 {
		t.Errorf("the CSAT chart is drawn without CSAT answers")
	}
	if n := eval[int](b, `document.querySelectorAll('#chart-nps svg circle').length`); n == 0 {
		t.Errorf("the NPS chart has no points")
	}
	axeCheck(t, b.ctx)
	b.shot("surveys")
	if st := b.follow(`#themes a[lang="ru"]`); st != 200 {
		t.Fatalf("a theme's link: %d", st)
	}
	if h := b.text("#answers h2"); !strings.Contains(h, "Комментарии о теме") {
		t.Errorf("the theme's answers are headed %q", h)
	}
	for _, p := range problems.all() {
		t.Errorf("the page reported: %s", p)
	}
}
