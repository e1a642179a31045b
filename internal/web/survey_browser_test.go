package web_test

import (
	"context"
	"html"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/playbook"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/survey"
	"github.com/shopcare/shopcare/internal/web"
)

// scoreLink finds the e-mail's link of a score in the row of numbers.
var scoreLink = regexp.MustCompile(`href="([^"]*/s/[^"?]+\?[^"]*score=9)"`)

// TestSurveyFromMailInBrowser, on both engines: an order is delivered,
// the playbook's follow-up is composed as the customer gets it, and the
// customer clicks the 9 of its row of scores: the page (Latvian, the
// customer's) shows the 9 chosen, passes axe, takes a comment and
// confirms; the answer counts, with the comment.
func TestSurveyFromMailInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := httptest.NewUnstartedServer(nil)
			base := "http://" + srv.Listener.Addr().String()
			a, clk := apptest.New(t, engine, false, "shop:", "  name: Tējas nams", "  public_url: "+base)
			srv.Config.Handler = web.New(a)
			srv.Start()
			t.Cleanup(srv.Close)
			n := order.NewOrder{ExternalID: "T-1", Carrier: "courier",
				Customer: customer.Input{ExternalID: "t-1", Name: "Līga Ozola", Email: "liga@example.lv", Language: "lv"},
				Items:    []order.Item{{SKU: "TEA", Name: "Tēja", Qty: 1, PriceMinor: 1900}}}
			if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
				t.Fatal(err)
			}
			res, err := a.Orders.Create(ctx, n)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range []order.Status{order.Shipped, order.Delivered} {
				if _, err := a.Orders.ChangeStatus(ctx, res.ID, order.StatusUpdate{Status: st, Source: order.SourceAPI}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := a.Dispatcher.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			ms, err := message.ListByOrder(ctx, a.DB.Read(), res.ID)
			if err != nil {
				t.Fatal(err)
			}
			var followup *message.Message
			for i := range ms {
				if ms[i].Rule == playbook.SurveyRule {
					followup = &ms[i]
				}
			}
			if followup == nil {
				t.Fatalf("no %s among %d messages", playbook.SurveyRule, len(ms))
			}
			clk.Set(followup.ScheduledAt)
			o, _ := a.Orders.Get(ctx, res.ID)
			contact, err := message.LoadContact(ctx, a.DB.Read(), o.Customer.ID)
			if err != nil {
				t.Fatal(err)
			}
			draft, err := a.Playbook.Compose(ctx, a.DB.Read(), followup, contact)
			if err != nil || draft.Suppress != "" {
				t.Fatalf("compose: %v %s", err, draft.Suppress)
			}
			m := scoreLink.FindStringSubmatch(draft.HTML)
			if m == nil || !strings.Contains(draft.Text, base+"/s/") {
				t.Fatalf("no score link in the follow-up:\n%s", draft.HTML)
			}
			link := html.UnescapeString(m[1])
			clk.Advance(2 * time.Hour) // the customer reads it later, as people do

			tab := newChromium(t, exe, 390, 844)
			comment := "Tēja ļoti garšīga, kurjers laikā"
			err = chromedp.Do(tab,
				chromedp.Navigate(link),
				chromedp.WaitVisible(chromedp.CSS(`input[name="score"][value="9"]:checked`)),
			)
			if err != nil {
				t.Fatalf("open the link: %v", err)
			}
			axeCheck(t, tab)
			question := i18n.Text(i18n.LV, "survey.page.question.high", nil)
			label, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`label[for="comment"]`)))
			if err != nil || !strings.Contains(label, question) {
				t.Fatalf("question %q, want %q: %v", label, question, err)
			}
			err = chromedp.Do(tab,
				chromedp.SendKeys(chromedp.CSS(`#comment`), comment),
				chromedp.Click(chromedp.CSS(`form.survey button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`a[href$="/s/`+link[strings.Index(link, "/s/")+3:strings.Index(link, "?")]+`"]`)),
			)
			if err != nil {
				t.Fatalf("send: %v", err)
			}
			h1, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`h1`)))
			if err != nil || h1 != i18n.Text(i18n.LV, "survey.page.thanks_title", nil) {
				t.Fatalf("thanks %q: %v", h1, err)
			}
			token := link[strings.Index(link, "/s/")+3 : strings.Index(link, "?")]
			pg, err := a.Surveys.PageOf(ctx, token)
			if err != nil || pg.Survey == nil || !pg.Survey.Confirmed() || pg.Survey.Score != 9 || pg.Survey.Comment != comment ||
				pg.Survey.Channel != survey.ChannelEmail || pg.Survey.Suspect != "" {
				t.Fatalf("answer %+v %v", pg.Survey, err)
			}
		})
	}
}
