package web_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/review"
	"github.com/shopcare/shopcare/internal/store"
)

// TestReviewInBrowser: a buyer on a phone opens the review link of their
// delivered order, picks four stars by their label, writes a line,
// attaches a photo and sends it; the page thanks them and the shop has
// the review pending with the photo. The form passes axe-core, before and
// after; it needs no JavaScript of its own.
func TestReviewInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newEnv(t, store.SQLite)
	placeOrders(t, e)
	ctx := context.Background()
	d5, err := order.GetByExternalID(ctx, e.app.DB.Read(), "D-5") // Sam's lid, delivered
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(e.app.Reviews.WriteURL(d5.CustomerID, d5.ID, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), "lid.png")
	if err := os.WriteFile(photo, tinyPNG(t), 0o600); err != nil {
		t.Fatal(err)
	}
	tab := newChromium(t, exe, 390, 844)
	if err := chromedp.Do(tab, chromedp.Navigate(e.srv.URL+u.Path), chromedp.WaitVisible(chromedp.CSS(`label[for="rating_1_4"]`))); err != nil {
		t.Fatalf("open the review page: %v", err)
	}
	axeCheck(t, tab)
	err = chromedp.Do(tab,
		chromedp.Click(chromedp.CSS(`label[for="rating_1_4"]`)),
		chromedp.SendKeys(chromedp.CSS(`#text_1`), "Fits the pot well."),
		chromedp.SetUploadFiles(chromedp.CSS(`#photo_1`), []string{photo}),
		chromedp.Click(chromedp.CSS(`.review-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.note-ok`)),
	)
	if err != nil {
		t.Fatalf("write the review: %v", err)
	}
	thanks, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`.note-ok`)))
	if err != nil || !strings.Contains(thanks, "Thank you") {
		t.Errorf("after sending: %q, %v", thanks, err)
	}
	axeCheck(t, tab)
	list, _, err := e.app.Reviews.List(ctx, review.Query{Status: review.Pending})
	if err != nil || len(list) != 1 || list[0].Rating != 4 || list[0].Text != "Fits the pot well." || list[0].Photo == nil ||
		list[0].Source != review.SourceLink {
		t.Fatalf("the shop has %+v, %v", list, err)
	}
}
