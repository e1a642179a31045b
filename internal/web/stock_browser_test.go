package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/store"
)

// TestStockInBrowser: the owner opens Stock from the menu, reads the day's
// picture (the pan short, L-7 waiting three days for it and a kettle),
// follows the waiting order to its page, finds the pot by a word of its
// name, opens it and sends its form with a negative count, which comes
// back on its field; with the stock core built, a right count is saved,
// and a file uploaded shows what came in and what was left out. Each page
// passes axe-core; screenshots are left as admin_stock*.png.
func TestStockInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newEnv(t, store.SQLite)
	placeOrders(t, e)
	addPeople(t, e)
	ids := stockFixture(t, e)
	// A longer limit than a tab's minute: the walk has many steps, and
	// the test machine's cores are shared.
	b := &adminTab{t: t, ctx: chromiumWithin(t, exe, 1280, 900, 3*time.Minute), base: e.srv.URL, dir: artifactDir(t)}

	b.open("/login")
	b.signIn(people[auth.Owner])
	if st := b.follow(`nav.menu a[href="/stock"]`); st != 200 || b.at() != "/stock" {
		t.Fatalf("the menu's Stock: %d at %s", st, b.at())
	}
	if h1 := b.text("main h1"); h1 != "Склад" {
		t.Errorf("the stock page's heading: %q", h1)
	}
	if short := b.text("#stock-short"); !strings.Contains(short, "Сковородка") || !strings.Contains(short, "Чайник") ||
		!strings.Contains(short, "2 шт.") {
		t.Errorf("short today:\n%s", short)
	}
	if longest := b.text("#stock-longest"); !strings.Contains(longest, "L-7") || !strings.Contains(longest, "ждёт 3 дня") {
		t.Errorf("waiting longest:\n%s", longest)
	}
	axeCheck(t, b.ctx)
	b.shot("stock")

	l7 := "/orders/" + strconv.FormatInt(ids["L-7"], 10)
	if st := b.follow(`#stock-waiting a[href="` + l7 + `"]`); st != 200 || b.at() != l7 {
		t.Errorf("the waiting order's link: %d at %s, want %s", st, b.at(), l7)
	}

	b.open("/stock")
	b.do(chromedp.SetValue(chromedp.CSS(`#stock-items input[name="q"]`), "кастрюля"))
	if st := b.follow(`#stock-items form[role="search"] button`); st != 200 {
		t.Fatalf("search: %d", st)
	}
	if skus := eval[[]string](b, `Array.from(document.querySelectorAll('#stock tbody tr'), r => r.dataset.sku)`); len(skus) != 1 || skus[0] != "POT-1" {
		t.Errorf("the search for кастрюля found %q", skus)
	}
	if st := b.follow(`#stock a[href="/stock/POT-1"]`); st != 200 || b.at() != "/stock/POT-1" {
		t.Fatalf("open POT-1: %d at %s", st, b.at())
	}
	if holders := b.text("#stock-holders"); !strings.Contains(holders, "R-1") {
		t.Errorf("the pot's orders:\n%s", holders)
	}
	axeCheck(t, b.ctx)
	b.do(chromedp.SetValue(chromedp.CSS(`#stock-form input[name="on_hand"]`), "-2"))
	if st := b.follow(`#stock-form button[type="submit"]`); st != 422 {
		t.Errorf("a negative count: %d, want 422", st)
	}
	if msg := b.text(`#stock-form .invalid .field-error`); msg != "Целое число, 0 или больше." {
		t.Errorf("the field's error: %q", msg)
	}
	axeCheck(t, b.ctx)
	b.shot("stock_item")

	if _, err := e.app.Stock.Put(context.Background(), "api", nil); err != nil && strings.Contains(err.Error(), "not built yet") {
		t.Log("the stock core's Put is not built on this branch: the saving half is left out")
		return
	}
	b.do(chromedp.SetValue(chromedp.CSS(`#stock-form input[name="on_hand"]`), "7"),
		chromedp.SetValue(chromedp.CSS(`#stock-form input[name="incoming_qty"]`), "4"),
		chromedp.SetValue(chromedp.CSS(`#stock-form input[name="incoming_date"]`), "2026-12-18"))
	if st := b.follow(`#stock-form button[type="submit"]`); st != 200 || b.at() != "/stock/POT-1?saved=1" {
		t.Fatalf("save: %d at %s", st, b.at())
	}
	if n := b.text("#level-on-hand"); n != "7" {
		t.Errorf("on hand after the save: %q", n)
	}

	file := filepath.Join(t.TempDir(), "stock.csv")
	if err := os.WriteFile(file, []byte("sku,name,on_hand\nCUP-1,Чашка,4\nCUP-2,Блюдце,минус\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b.open("/stock")
	b.do(chromedp.SetUploadFiles(chromedp.CSS(`#stock-import input[type="file"]`), []string{file}))
	if st := b.follow(`#stock-import button[type="submit"]`); st != 200 {
		t.Fatalf("upload: %d", st)
	}
	if n := b.text("#import-rejected"); n != "1" {
		t.Errorf("rows left out: %q", n)
	}
	axeCheck(t, b.ctx)
	b.shot("stock_import")
}
