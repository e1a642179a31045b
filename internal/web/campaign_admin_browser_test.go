package web_test

import (
	"context"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/web"
)

// TestCampaignInChromium: the owner composes a campaign in Chromium —
// from the menu, a name, the audience, the Russian message in Markdown
// — saves it, edits the text and sees the draft save itself; then (once
// every part of the campaigns is merged) previews it for a real
// customer, sends themselves a test, confirms the audience and starts
// it: the two customers with marketing consent get it from the SMTP
// server, the customer without it does not, and the campaign's page shows
// them sent. Each page passes axe-core.
func TestCampaignInChromium(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	mail := smtptest.Start(t)
	a, clk := apptest.New(t, store.SQLite, true, "shop:", "  public_url: https://care.example.com",
		"  contact_hours: 00:00-23:59", "channels:", "  email:",
		"    smtp_url: "+mail.URL(), `    from: "Кастрюля <shop@example.com>"`)
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(a))
	t.Cleanup(srv.Close)
	e := &env{app: a, clock: clk, srv: srv}
	placeOrders(t, e)
	addPeople(t, e)
	ctx := context.Background()
	yes := true
	consenting := map[string]bool{}
	for _, ext := range []string{"R-2", "D-5"} { // Andrei (ru) and Sam Lee (en) agree to offers by e-mail
		o, err := order.GetByExternalID(ctx, a.DB.Read(), ext)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Customers.Patch(ctx, customer.PatchParams{ID: o.CustomerID, Source: "test", Now: clk.Now(),
			Patch: customer.Patch{Consent: map[string]customer.ConsentPatch{"email": {Marketing: &yes}}, ConsentSource: "checkout checkbox"}}); err != nil {
			t.Fatal(err)
		}
		c, err := a.Customers.Get(ctx, o.CustomerID)
		if err != nil {
			t.Fatal(err)
		}
		consenting[c.Email] = true
	}

	b := newAdminTab(t, e, exe)
	b.open("/login")
	b.signIn(people[auth.Owner])
	if st := b.follow(`nav.menu a[href="/campaigns"]`); st != 200 || b.at() != "/campaigns" {
		t.Fatalf("the menu's campaigns: %d at %s", st, b.at())
	}
	axeCheck(t, b.ctx)
	if st := b.follow(`#campaign-new`); st != 200 {
		t.Fatalf("new campaign: %d", st)
	}
	b.do(chromedp.SendKeys(chromedp.CSS(`#c-name`), "Осенние новинки"),
		chromedp.SetValue(chromedp.CSS(`input[name="schedule"][value="now"]`), "now"),
		chromedp.Click(chromedp.CSS(`input[name="schedule"][value="now"]`)),
		chromedp.SendKeys(chromedp.CSS(`#content_ru_subject`), "Новый урожай"),
		chromedp.SendKeys(chromedp.CSS(`#content_ru_markdown`), "Здравствуйте! Пришёл **новый улун**."),
		chromedp.SendKeys(chromedp.CSS(`#content_en_subject`), "The new harvest"),
		chromedp.SendKeys(chromedp.CSS(`#content_en_markdown`), "Hello! The **new oolong** is in."))
	axeCheck(t, b.ctx)
	if st := b.follow(`#campaign-save`); st != 200 {
		t.Fatalf("save: %d", st)
	}
	m := regexp.MustCompile(`^/campaigns/(\d+)/edit\?saved=1$`).FindStringSubmatch(b.at())
	if m == nil {
		t.Fatalf("after saving: at %s", b.at())
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	c, err := a.Campaigns.Get(ctx, id)
	if err != nil || c.Name != "Осенние новинки" || c.Content["ru"].Markdown != "Здравствуйте! Пришёл **новый улун**." || c.Schedule != "now" {
		t.Fatalf("the draft: %+v, %v", c, err)
	}
	axeCheck(t, b.ctx)

	// Typing saves the draft (htmx, a second after the last key).
	b.do(chromedp.SendKeys(chromedp.CSS(`#content_ru_markdown`), " Ждём вас!"))
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.querySelector("#draft-state").textContent.includes("Черновик сохранён")`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("the draft's autosave: %v (%q)", err, b.text("#draft-state"))
	}
	if c, _ = a.Campaigns.Get(ctx, id); !strings.Contains(c.Content["ru"].Markdown, "Ждём вас!") {
		t.Fatalf("after typing the draft has %q", c.Content["ru"].Markdown)
	}
	b.shot("campaign_compose")

	// The preview for Andrei, in Russian, as he would get it.
	r2, err := order.GetByExternalID(ctx, a.DB.Read(), "R-2")
	if err != nil {
		t.Fatal(err)
	}
	b.open("/campaigns/" + m[1] + "/preview?lang=ru&variant=a&customer=" + strconv.FormatInt(r2.CustomerID, 10))
	if body := b.text("body"); !strings.Contains(body, "новый улун") || !strings.Contains(body, "Ждём вас!") {
		t.Errorf("the preview: %q", body)
	}
	b.open("/campaigns/" + m[1] + "/edit")

	// It goes now rather than at the customers' morning (the test's
	// clock does not move).
	b.do(chromedp.Click(chromedp.CSS(`input[name="schedule"][value="now"]`)))
	if st := b.follow(`#campaign-save`); st != 200 {
		t.Fatalf("save the schedule: %d at %s", st, b.at())
	}
	if c, _ = a.Campaigns.Get(ctx, id); c.Schedule != "now" {
		t.Fatalf("after choosing now the draft's schedule is %q", c.Schedule)
	}

	// A test to the owner.
	b.do(chromedp.SetValue(chromedp.CSS(`#x-to`), "owner@shop.test"))
	if st := b.follow(`#campaign-test`); st != 200 || !strings.HasSuffix(b.at(), "/edit?tested=1") {
		t.Fatalf("test send: %d at %s", st, b.at())
	}
	if test := campaignMails(t, mail, m[1], true, 1); test[0].To[0] != "owner@shop.test" {
		t.Errorf("the test went to %v", test[0].To)
	}

	// Send: the page counts the audience, the owner confirms it.
	if st := b.follow(`#campaign-review`); st != 200 {
		t.Fatalf("to the campaign's page: %d", st)
	}
	b.do(chromedp.WaitVisible(chromedp.CSS(`#audience-count .count`)))
	if count := b.text(`#audience-count`); !strings.Contains(count, "2") {
		t.Errorf("the audience's count: %q, want 2 who may get it", count)
	}
	axeCheck(t, b.ctx)
	b.do(chromedp.Click(chromedp.CSS(`input[name="confirm"]`)))
	if st := b.follow(`#campaign-send`); st != 200 || !strings.HasSuffix(b.at(), "?done=start") {
		t.Fatalf("start: %d at %s", st, b.at())
	}
	// The form's A/B test and holdout leave part of the two for later
	// (the winner, the baseline): what goes now goes only to them.
	sent := campaignMails(t, mail, m[1], false, 1)
	for _, ml := range sent {
		if len(ml.To) != 1 || !consenting[ml.To[0]] {
			t.Errorf("the campaign went to %v, who did not agree to it", ml.To)
		}
	}
	want := strconv.Itoa(len(sent))
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.querySelector("#progress-sent") && document.querySelector("#progress-sent").textContent.trim() === "`+want+`"`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		b.open("/campaigns/" + m[1])
		if got := b.text("#progress-sent"); strings.TrimSpace(got) != want {
			t.Fatalf("the progress never showed the %s sent: %v (%q)", want, err, got)
		}
	}
	b.open("/campaigns/" + m[1])
	axeCheck(t, b.ctx)
	b.shot("campaign_sent")
}

// campaignMails waits for n messages of campaign id on the mail server
// (its Message-IDs, <k{id}-{customer}@…>; test, the test messages'
// <k{id}-test-…>) and returns them: order news the app sends meanwhile
// goes to the same server.
func campaignMails(t *testing.T, mail *smtptest.Server, id string, test bool, n int) []smtptest.Mail {
	t.Helper()
	prefix := "<k" + id + "-"
	deadline := time.Now().Add(60 * time.Second)
	for {
		var out []smtptest.Mail
		for _, ml := range mail.Mails() {
			mid := ml.Header("Message-ID")
			if strings.HasPrefix(mid, prefix) && strings.HasPrefix(mid, prefix+"test-") == test {
				out = append(out, ml)
			}
		}
		if len(out) >= n {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages of campaign %s (test %v) after a minute, want %d", len(out), id, test, n)
		}
		mail.Wait(t, mail.Count()+1, time.Until(deadline))
	}
}
