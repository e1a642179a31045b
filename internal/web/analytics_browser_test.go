package web_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/store"
)

// pageProblems collects what a page reports going wrong: console errors,
// uncaught exceptions and the browser's log errors, where a
// Content-Security-Policy violation shows.
type pageProblems struct {
	mu   sync.Mutex
	seen []string
}

func (p *pageProblems) listen(t *testing.T, b *adminTab) {
	t.Helper()
	err := chromedp.Listen(b.ctx, func(ev any) {
		var line string
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				line = "console." + string(ev.Type) + ": " + strings.Join(args, " ")
			}
		case *runtime.EventExceptionThrown:
			line = "exception: " + ev.ExceptionDetails.Text
			if ex := ev.ExceptionDetails.Exception; ex != nil {
				line += " " + ex.Description
			}
		case *cdplog.EventEntryAdded:
			// The browser asks for /favicon.ico on its own; the site has none.
			if (ev.Entry.Level == cdplog.EntryLevelError || ev.Entry.Level == cdplog.EntryLevelWarning) &&
				!strings.HasSuffix(ev.Entry.URL, "/favicon.ico") {
				line = fmt.Sprintf("log %s %s: %s %s", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text, ev.Entry.URL)
			}
		}
		if line != "" {
			p.mu.Lock()
			p.seen = append(p.seen, line)
			p.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
}

func (p *pageProblems) all() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

// TestAnalyticsInBrowser opens the dashboard of a shop with history and a
// scoring as the owner: uPlot draws the four charts under the strict
// CSP (a canvas each, the expected band among the daily series), the
// early warning loads into the banner, nothing is reported to the
// console, and the test leaves a screenshot, admin_analytics.png.
func TestAnalyticsInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newEnv(t, store.SQLite)
	seedHistory(t, e, 90)
	seedScores(t, e, true, func(i int) string { return []string{"champions", "loyal", "new", "at_risk", "drifting"}[i%5] })
	raiseAlert(t, e, 1, 2, 9.6, 1)
	addPeople(t, e)
	b := newAdminTab(t, e, exe)
	b.open("/login?next=%2Fanalytics")
	var problems pageProblems
	problems.listen(t, b)
	if at := b.signIn(people[auth.Owner]); at != "/analytics" {
		t.Fatalf("the owner landed on %s, want /analytics", at)
	}
	b.do(chromedp.WaitVisible(chromedp.CSS("#chart-clv canvas")), chromedp.WaitVisible(chromedp.CSS("#alert-banner .alert-banner, .alert-banner")))

	charts := eval[map[string]int](b, `Object.fromEntries(Array.from(document.querySelectorAll('[data-chart]'),
		el => [el.dataset.chart, el.dataset.drawn === '1' ? el.querySelectorAll('canvas').length : 0]))`)
	for _, kind := range []string{"daily", "repeat", "on_time", "clv"} {
		if charts[kind] != 1 {
			t.Errorf("chart %s: %d canvases, want 1 (all: %v)", kind, charts[kind], charts)
		}
	}
	legend := b.text("#chart-daily .u-legend")
	for _, want := range []string{"Заказы", "Ожидалось", "Нижняя граница", "Верхняя граница", "Выручка, RUB"} {
		if !strings.Contains(legend, want) {
			t.Errorf("the daily chart's legend lacks %q:\n%s", want, legend)
		}
	}
	if w := eval[int](b, `document.querySelector('#chart-daily canvas').width`); w < 300 {
		t.Errorf("the daily chart is %d px wide", w)
	}
	if banner := b.text(".alert-banner"); !strings.Contains(banner, "Заказов меньше обычного: 2 заказа") {
		t.Errorf("the banner says %q", banner)
	}
	b.shot("analytics")

	// The banner's button dismisses the alert and comes back here.
	if st := b.follow(".alert-banner button[type=submit]"); st != 200 || b.at() != "/analytics" {
		t.Errorf("dismiss: %d at %s, want the analytics page", st, b.at())
	}
	b.do(chromedp.WaitVisible(chromedp.CSS("#chart-daily canvas")))
	if n := eval[int](b, `document.querySelectorAll('.alert-banner').length`); n != 0 {
		t.Errorf("the banner is still there after the dismissal")
	}
	for _, p := range problems.all() {
		t.Errorf("the page reported: %s", p)
	}
}
