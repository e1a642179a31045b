package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core's script (testdata/axe.min.js, copied from npm by
// make assets), read once for every test that checks a page.
var axeSource = sync.OnceValues(func() ([]byte, error) {
	return os.ReadFile("testdata/axe.min.js")
})

// axeViolation is one rule axe-core found broken, with the elements that
// break it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axeRun is the script that runs axe-core on the whole document and
// answers its violations as JSON. It runs the WCAG 2.x A and AA rules and
// axe's best practices; color-contrast is among them.
const axeRun = `axe.run(document, {
	runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
	resultTypes: ["violations"]
}).then(r => JSON.stringify(r.violations))`

// axeCheck injects axe-core into the page open in ctx and fails the test
// on every violation of impact serious or critical, listing each rule
// with the elements that break it; moderate and minor ones are logged.
// The script goes in through the DevTools protocol, so the page's own
// Content-Security-Policy (no inline scripts) does not stop it.
func axeCheck(t *testing.T, ctx context.Context) {
	t.Helper()
	if failed := axeFindings(t, ctx); len(failed) > 0 {
		t.Errorf("axe-core: %d serious or critical accessibility violations:\n%s", len(failed), strings.Join(failed, "\n"))
	}
}

// axeFindings runs axe-core on the page open in ctx and returns its
// serious and critical violations in words.
func axeFindings(t *testing.T, ctx context.Context) []string {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatalf("axe-core: %v (make assets copies it into testdata)", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(src)+";true")); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	return axeReport(t, out)
}

// axeReport reads axe-core's violations, logs the moderate and minor
// ones and returns the serious and critical ones in words.
func axeReport(t *testing.T, out string) []string {
	t.Helper()
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("axe-core's answer: %v: %.200s", err, out)
	}
	var failed []string
	for _, v := range vs {
		var b strings.Builder
		b.WriteString(v.Impact + " " + v.ID + ": " + v.Help)
		for _, n := range v.Nodes {
			target, _ := json.Marshal(n.Target)
			b.WriteString("\n    " + string(target) + " " + strings.ReplaceAll(n.Summary, "\n", " "))
		}
		if v.Impact == "serious" || v.Impact == "critical" {
			failed = append(failed, b.String())
			continue
		}
		t.Logf("axe-core (not failing): %s", b.String())
	}
	return failed
}

// TestAxeReportFailsOnSerious checks the helper's own judgement: serious
// and critical violations fail, moderate ones are only logged.
func TestAxeReportFailsOnSerious(t *testing.T) {
	t.Parallel()
	out := `[{"id":"color-contrast","impact":"serious","help":"Elements must meet minimum color contrast ratio thresholds",
		"nodes":[{"target":[".price"],"failureSummary":"Fix any of the following:\n  Element has insufficient color contrast"}]},
		{"id":"image-alt","impact":"critical","help":"Images must have alternative text","nodes":[{"target":["img"],"failureSummary":"x"}]},
		{"id":"region","impact":"moderate","help":"All page content should be contained by landmarks","nodes":[]}]`
	failed := axeReport(t, out)
	if len(failed) != 2 || !strings.HasPrefix(failed[0], "serious color-contrast") ||
		!strings.Contains(failed[0], `[".price"] Fix any of the following:   Element has insufficient color contrast`) ||
		!strings.HasPrefix(failed[1], "critical image-alt") {
		t.Errorf("failed = %q", failed)
	}
}

// TestAxeCheckFindsViolations runs axe-core in Chromium on a page that
// breaks two rules (grey on white below 4.5:1, an image without alt) and
// on one that breaks none: a helper that finds nothing anywhere would
// protect nothing.
func TestAxeCheckFindsViolations(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	pages := map[string]string{
		"/bad": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad</title>` +
			`<style>p { color: #aaaaaa; background: #ffffff; }</style></head>` +
			`<body><main><h1>Shop</h1><p>Grey words</p><img src="/x.png"></main></body></html>`,
		"/good": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Good</title></head>` +
			`<body><main><h1>Shop</h1><p>Black words</p></main></body></html>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(pages[r.URL.Path]))
	}))
	t.Cleanup(srv.Close)
	ctx := newChromium(t, exe, 390, 844)

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/bad")); err != nil {
		t.Fatal(err)
	}
	failed := strings.Join(axeFindings(t, ctx), "\n")
	for _, rule := range []string{"serious color-contrast", "critical image-alt"} {
		if !strings.Contains(failed, rule) {
			t.Errorf("axe-core did not report %s:\n%s", rule, failed)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/good")); err != nil {
		t.Fatal(err)
	}
	axeCheck(t, ctx)
}
