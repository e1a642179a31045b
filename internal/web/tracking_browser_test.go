package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shopcare/shopcare/internal/store"
)

// chromiumPath finds a Chromium to drive. Without one the test is skipped
// on a developer's machine, but fails under CI=true, where .ci/run installs
// it: a browser test that silently never runs protects nothing.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no chromium binary on PATH; install it (apt-get install chromium) to run the browser test"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// artifactDir is where the test leaves its screenshot: $SHOPCARE_ARTIFACTS
// when set (CI keeps it), else the test's temporary directory.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SHOPCARE_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// newChromium opens a tab of its own for the test in the package's one
// headless Chromium, in a fresh browser context (cookies and storage of
// its own) and with a viewport of the given size; the tab is closed when
// the test ends. The whole test must be done within a minute: a guard
// against a hang, not a measure of speed.
func newChromium(t *testing.T, exe string, width, height int) context.Context {
	t.Helper()
	return chromiumWithin(t, exe, width, height, time.Minute)
}

// chromiumWithin is newChromium with a guard of limit instead of a minute,
// for a test that must live through a minute itself.
func chromiumWithin(t *testing.T, exe string, width, height int, limit time.Duration) context.Context {
	t.Helper()
	browser, err := sharedChromium(exe)
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	tab, cancelTab := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	ctx, cancel := context.WithTimeout(tab, limit)
	t.Cleanup(func() {
		cancel()
		cancelTab()
	})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return ctx
}

// chromium is the one headless Chromium the browser tests of the package
// share: starting one per test cost more than most tests take. Each test
// gets its own tab in its own browser context, so they run in parallel
// without seeing each other's cookies. TestMain stops it.
var chromium struct {
	sync.Mutex
	ctx  context.Context // the browser's first tab; tests open theirs beside it
	err  error
	stop func()
}

func sharedChromium(exe string) (context.Context, error) {
	chromium.Lock()
	defer chromium.Unlock()
	if chromium.ctx != nil || chromium.err != nil {
		return chromium.ctx, chromium.err
	}
	profile, err := os.MkdirTemp("", "shopcare-chromium")
	if err != nil {
		chromium.err = err
		return nil, err
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancelTab := chromedp.NewContext(alloc)
	chromium.stop = func() {
		cancelTab()
		cancelAlloc()
		_ = os.RemoveAll(profile)
	}
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		chromium.stop()
		chromium.err = err
		return nil, err
	}
	chromium.ctx = ctx
	return ctx, nil
}

// TestMain stops the shared Chromium once every test is done.
func TestMain(m *testing.M) {
	code := m.Run()
	chromium.Lock()
	if chromium.stop != nil {
		chromium.stop()
	}
	chromium.Unlock()
	os.Exit(code)
}

// TestTrackingPageInChromium opens a tracking page in headless Chromium on
// a phone-sized screen: the page must render with its stylesheet under the
// strict Content-Security-Policy, show the timeline and the promise, and
// fit the screen's width.
func TestTrackingPageInChromium(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newEnv(t, store.SQLite)
	tok := placeOrders(t, e)

	ctx := newChromium(t, exe, 390, 844)

	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Navigate(e.srv.URL+"/t/"+tok.making),
		chromedp.WaitVisible(chromedp.ID("timeline")),
	)
	if err != nil {
		t.Fatalf("open the tracking page: %v", err)
	}
	timeline, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("timeline")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Заказ принят", "понедельник, 23 ноября, 15:00", "В работе", "пятница, 27 ноября, 10:00",
		"Отправлен", "ещё впереди", "Доставлен"} {
		if !strings.Contains(timeline, want) {
			t.Errorf("the timeline lacks %q:\n%s", want, timeline)
		}
	}
	promise, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("promise")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Изготовление", "вторник, 1 декабря", "Отправка", "среда, 2 декабря",
		"Доставка", "пятница, 4 декабря (через 3 дня)", "Сроки менялись 1 раз", "Работа над заказом началась позже плана."} {
		if !strings.Contains(promise, want) {
			t.Errorf("the promise lacks %q:\n%s", want, promise)
		}
	}
	// The stylesheet applied (the CSP let it in), and nothing is wider
	// than the phone's screen.
	layout, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[
		getComputedStyle(document.querySelector('.step-current .step-name')).fontWeight,
		getComputedStyle(document.querySelector('main')).maxWidth,
		document.documentElement.scrollWidth <= window.innerWidth ? 'fits' : 'overflows ' + document.documentElement.scrollWidth
	].join(' ')`))
	if err != nil {
		t.Fatal(err)
	}
	if layout != "600 640px fits" {
		t.Errorf("layout = %q, want the stylesheet's weight and width, fitting the screen: 600 640px fits", layout)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(artifactDir(t), "tracking_show_ru.png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	axeCheck(t, ctx)
}
