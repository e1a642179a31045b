package web_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/faq"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/task"
	"github.com/shopcare/shopcare/internal/web"
)

// journeyStep is how long one group of steps of the journey may take: a
// guard against a hang on a loaded machine, not a measure of speed.
const journeyStep = 90 * time.Second

// journeyEnv is a shop whose mail goes to a real SMTP server in the test
// and whose public_url is the test server itself, so the links in the
// mail open in the browser as they are; Марина, its customer, has one
// order delivered on Friday 27 November (within the 14 days of returns on
// Tuesday 1 December) and one on its way.
type journeyEnv struct {
	*env
	smtp      *smtptest.Server
	customer  int64
	delivered *order.Order // J-1
	onTheWay  *order.Order // J-2
}

func newJourneyEnv(t *testing.T) *journeyEnv {
	t.Helper()
	mail := smtptest.Start(t)
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	a, clk := apptest.New(t, store.SQLite, false, "shop:", "  name: Кастрюля", "  public_url: "+base,
		"channels:", "  email:", "    smtp_url: "+mail.URL(), `    from: "Кастрюля <shop@example.com>"`)
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = web.New(a)
	srv.Start()
	t.Cleanup(srv.Close)
	e := &journeyEnv{env: &env{app: a, clock: clk, srv: srv}, smtp: mail}

	ctx := context.Background()
	marina := customer.Input{ExternalID: "c-m", Name: "Марина Соколова", Email: "marina@example.com",
		Phone: "+7 916 555-44-33", Language: "ru", City: "Тверь"}
	create := func(ext string, items ...order.Item) int64 {
		t.Helper()
		n := order.NewOrder{ExternalID: ext, Customer: marina, Carrier: "courier", Items: items}
		if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
			t.Fatal(err)
		}
		res, err := a.Orders.Create(ctx, n)
		if err != nil {
			t.Fatalf("create %s: %v", ext, err)
		}
		return res.ID
	}
	move := func(id int64, at string, u order.StatusUpdate) {
		t.Helper()
		clk.Set(msk(t, at))
		u.Source = order.SourceAPI
		if _, err := a.Orders.ChangeStatus(ctx, id, u); err != nil {
			t.Fatalf("order %d to %s: %v", id, u.Status, err)
		}
	}
	clk.Set(msk(t, "2026-11-23T11:00:00"))
	j1 := create("J-1", order.Item{SKU: "PAN", Name: "Сковородка", Qty: 1, PriceMinor: 99000},
		order.Item{SKU: "LID", Name: "Крышка", Qty: 2, PriceMinor: 19000})
	move(j1, "2026-11-25T11:00:00", order.StatusUpdate{Status: order.Shipped, TrackingNumber: "CR-101"})
	move(j1, "2026-11-27T15:00:00", order.StatusUpdate{Status: order.Delivered})
	clk.Set(msk(t, "2026-11-30T10:00:00"))
	j2 := create("J-2", order.Item{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 249000})
	move(j2, "2026-12-01T10:00:00", order.StatusUpdate{Status: order.Shipped, TrackingNumber: "CR-102"})
	clk.Set(msk(t, "2026-12-01T12:00:00"))

	e.delivered, e.onTheWay = orderByNumber(t, e.env, "J-1"), orderByNumber(t, e.env, "J-2")
	e.customer = e.delivered.CustomerID
	// She said yes to offers by e-mail at checkout; the journey takes it back.
	on := true
	_, err := a.Customers.Patch(ctx, customer.PatchParams{ID: e.customer, Source: "api", Now: clk.Now(),
		Patch:    customer.Patch{Consent: map[string]customer.ConsentPatch{"email": {Marketing: &on}}, ConsentSource: "checkout checkbox"},
		Defaults: customer.Defaults{Country: "RU", Language: "ru", Timezone: "Europe/Moscow"}})
	if err != nil {
		t.Fatal(err)
	}
	// Points with a coupon, and the shop's FAQ in three languages: the
	// points and help pages show all they can, for axe-core to read.
	if _, err := a.Loyalty.Grant(ctx, loyalty.GrantRequest{CustomerID: e.customer, Kind: loyalty.Compensation,
		Source: loyalty.FromOperator, Actor: "owner@shop.test", Grant: config.Grant{Points: 1500, Reason: "извините за ожидание",
			Coupon: &config.CouponSpec{Percent: 10, ValidFor: config.Duration(30 * 24 * time.Hour)}}}); err != nil {
		t.Fatal(err)
	}
	for _, x := range []faq.Entry{
		{Language: "ru", Section: "Доставка", Question: "Сколько идёт доставка?", Answer: "Два дня курьером.\n\nПо почте — до недели."},
		{Language: "ru", Section: "Возврат", Question: "Как вернуть товар?", Answer: "Откройте заказ и нажмите «Вернуть товары»."},
		{Language: "lv", Section: "Piegāde", Question: "Cik ilgi notiek piegāde?", Answer: "Divas dienas."},
		{Language: "en", Section: "Delivery", Question: "How long does delivery take?", Answer: "Two days."},
	} {
		if _, err := a.FAQ.Save(ctx, x, clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// signinMail waits for the sign-in mail sent after the first `after`
// mails and returns its code and the path of its one-time link.
func (e *journeyEnv) signinMail(t *testing.T, after int) (code, link string) {
	t.Helper()
	e.app.SignIns.Wait()
	mails := e.smtp.Wait(t, after+1, journeyStep)
	linkRE := regexp.MustCompile(regexp.QuoteMeta(e.srv.URL) + `(/my/in/[A-Za-z0-9_-]{43})\b`)
	for _, m := range mails[after:] {
		text := m.Text()
		c, l := mailCode.FindStringSubmatch(text), linkRE.FindStringSubmatch(text)
		if c != nil && l != nil && m.To[0] == "marina@example.com" {
			return c[1], l[1]
		}
	}
	t.Fatalf("no sign-in mail among the %d after the first %d", len(mails)-after, after)
	return "", ""
}

// journeyTab is a Chromium tab walking the customer's page: adminTab's
// moves, each group of steps within its own guard.
type journeyTab struct {
	*adminTab
	root context.Context
}

// newJourneyTab opens a phone-sized tab of its own, guarded by limit in
// all, whose browser asks for Russian as Марина's does: the pages before
// the sign-in speak the visitor's language.
func newJourneyTab(t *testing.T, e *journeyEnv, exe string, limit time.Duration) *journeyTab {
	t.Helper()
	root := chromiumWithin(t, exe, 390, 844, limit)
	_, err := chromedp.Call(root, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
		Headers: network.Headers{"Accept-Language": "ru-RU,ru;q=0.9"}})
	if err != nil {
		t.Fatal(err)
	}
	return &journeyTab{adminTab: &adminTab{t: t, ctx: root, base: e.srv.URL, dir: artifactDir(t)}, root: root}
}

// group gives the next steps a fresh guard of journeyStep.
func (b *journeyTab) group() {
	ctx, cancel := context.WithTimeout(b.root, journeyStep)
	b.t.Cleanup(cancel)
	b.ctx = ctx
}

// check checks the page on show: it speaks lang, carries no script (the
// page works without JavaScript) and axe-core finds nothing serious on it.
func (b *journeyTab) check(name, lang string) {
	b.t.Helper()
	got := eval[string](b.adminTab, `document.documentElement.lang + ' ' + document.scripts.length`)
	if got != lang+" 0" {
		b.t.Errorf("%s (%s): lang and scripts %q, want %q", name, b.at(), got, lang+" 0")
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.dir, "my_journey_"+name+"_"+lang+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	axeCheck(b.t, b.ctx)
}

// focusShows tells whether the focused element shows it: an outline
// of its own (the browser's ring or the stylesheet's), not "none".
const focusShows = `(s => s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)(getComputedStyle(document.activeElement))`

// must fails unless the page on show is at path and its main text has
// every one of want.
func (b *journeyTab) must(path string, want ...string) {
	b.t.Helper()
	if at := b.at(); at != path {
		b.t.Fatalf("at %s, want %s", at, path)
	}
	text := b.text("main")
	for _, w := range want {
		if !strings.Contains(text, w) {
			b.t.Errorf("%s lacks %q:\n%s", path, w, text)
		}
	}
}

// press sends the keys and waits for the page they lead to; it returns
// that page's HTTP status.
func (b *journeyTab) press(keys string) int64 {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, chromedp.KeyEvent(keys))
	if err != nil {
		b.t.Fatalf("press %q: %v", keys, err)
	}
	return resp.Status
}

// TestMyJourneyInChromium is the customer's whole journey on their own
// page in Chromium: signing in by the link in the mail from the SMTP
// server in the test, the orders, points, help and data pages in
// Russian with axe-core on each (and again in Latvian and English),
// ordering again, a return, a question, taking back the consent to
// offers, the download of the data, and deleting the account. Forms are
// sent by keyboard where a person would; no page carries a script.
func TestMyJourneyInChromium(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newJourneyEnv(t)
	ctx := context.Background()
	b := newJourneyTab(t, e, exe, 10*time.Minute)
	j1 := "/my/orders/" + strconv.FormatInt(e.delivered.ID, 10)
	j2 := "/my/orders/" + strconv.FormatInt(e.onTheWay.ID, 10)

	// Signing in by the link: the e-mail typed and sent by keyboard.
	b.group()
	if st := b.open("/my"); st != 200 {
		t.Fatalf("GET /my: %d", st)
	}
	b.must("/my/login?next=%2Fmy", "Вход")
	b.check("login", "ru")
	b.do(chromedp.Focus(chromedp.ID("my-contact")), chromedp.KeyEvent("marina@example.com"))
	if st := b.press(kb.Enter); st != 200 {
		t.Fatalf("send the e-mail: %d", st)
	}
	b.must("/my/login", "marina@example.com")
	b.do(chromedp.WaitVisible(chromedp.ID("my-code")))
	b.check("code", "ru")
	_, link := e.signinMail(t, 0)
	if st := b.open(link); st != 200 {
		t.Fatalf("GET the link: %d", st)
	}
	b.check("continue", "ru")
	if st := b.follow(`form[action="` + link + `"] button`); st != 200 {
		t.Fatalf("Continue: %d", st)
	}
	b.must("/my", "Марина", "J-1", "J-2")

	// The skip link is the first stop of the keyboard, and leads to the
	// page's main part.
	b.group()
	b.do(chromedp.KeyEvent(kb.Tab))
	if got := eval[string](b.adminTab, `document.activeElement.className + ' ' + document.activeElement.getAttribute('href')`); got != "skip #main" {
		t.Errorf("the first Tab on /my lands on %q, want the skip link", got)
	}
	if !eval[bool](b.adminTab, focusShows) {
		t.Error("the skip link shows no focus")
	}
	if got := eval[string](b.adminTab, `(r => r.left >= 0 && r.top >= 0 && r.width > 0 ? 'on screen' : 'off ' + JSON.stringify(r))(document.activeElement.getBoundingClientRect())`); got != "on screen" {
		t.Errorf("the focused skip link is %s", got)
	}
	// The next stop is the menu on the dark header, its focus ring light
	// enough to see there.
	b.do(chromedp.KeyEvent(kb.Tab))
	if got := eval[string](b.adminTab, `document.activeElement.getAttribute('href') + ' ' + getComputedStyle(document.activeElement).outlineColor`); got != "/my rgb(255, 255, 255)" {
		t.Errorf("the second Tab on /my: %q, want the menu's first link with a white focus ring", got)
	}
	b.check("home", "ru")

	// The pages, in Russian.
	b.group()
	if st := b.follow(`a[href="` + j1 + `"]`); st != 200 {
		t.Fatalf("open J-1: %d", st)
	}
	b.must(j1, "J-1", "Сковородка", "Крышка")
	b.check("order", "ru")
	b.open("/my/points")
	b.must("/my/points", i18n.Number(i18n.RU, 1500)+" баллов", "скидка 10")
	b.check("points", "ru")
	b.open("/my/help")
	b.must("/my/help", "Сколько идёт доставка?")
	b.check("help", "ru")
	// The FAQ's search, a GET form sent by Enter: «доставки» finds
	// «доставка».
	b.do(chromedp.Focus(chromedp.ID("help-q")), chromedp.KeyEvent("сроки доставки"))
	if st := b.press(kb.Enter); st != 200 {
		t.Fatalf("search the FAQ: %d", st)
	}
	b.must("/my/help?q=%D1%81%D1%80%D0%BE%D0%BA%D0%B8+%D0%B4%D0%BE%D1%81%D1%82%D0%B0%D0%B2%D0%BA%D0%B8", "Два дня курьером.")
	b.check("help_search", "ru")
	b.open("/my/data")
	b.must("/my/data", "marina@example.com")
	b.check("data", "ru")

	// The same pages in Latvian and English.
	for _, lang := range []string{"lv", "en"} {
		b.group()
		for _, path := range []string{"/my", j1, j1 + "/return", "/my/points", "/my/help", "/my/data"} {
			if st := b.open(path + "?lang=" + lang); st != 200 {
				t.Fatalf("GET %s?lang=%s: %d", path, lang, st)
			}
			b.check(strings.ReplaceAll(strings.Trim(path, "/"), "/", "_"), lang)
		}
	}

	// A return of one lid, damaged.
	b.group()
	b.open(j1)
	if st := b.follow(`a[href="` + j1 + `/return"]`); st != 200 {
		t.Fatalf("open the return form: %d", st)
	}
	b.check("return", "ru")
	before := returnRows(t, e.env)
	b.do(chromedp.SetValue(chromedp.ID("qty_2"), "1"), chromedp.Click(chromedp.ID("reason-damaged")),
		chromedp.Focus(chromedp.ID("comment")), chromedp.KeyEvent("Вмятина на крышке"))
	if st := b.follow(`form[action="` + j1 + `/return"] button[type="submit"]`); st != 200 {
		t.Fatalf("send the return: %d", st)
	}
	b.must(j1+"/return?sent=1", "Вмятина на крышке")
	if after := returnRows(t, e.env); before != "0 requests, 0 tasks, 0 events" || after != "1 requests, 1 tasks, 1 events" {
		t.Errorf("return rows: %s before, %s after; want none, then one request with its task and event", before, after)
	}
	reqs, err := e.app.Returns.ListByOrder(ctx, e.delivered.ID)
	if err != nil || len(reqs) != 1 || reqs[0].Reason != "damaged" || len(reqs[0].Lines) != 1 || reqs[0].Lines[0].Qty != 1 || reqs[0].Lines[0].SKU != "LID" {
		t.Errorf("the return requests of J-1: %+v, %v; want one lid, damaged", reqs, err)
	}

	// Order again: the shop has no cart link, so a new order the shop
	// confirms by calling back.
	b.group()
	b.open(j1)
	if st := b.follow(`form[action="` + j1 + `/reorder"] button`); st != 200 {
		t.Fatalf("order again: %d", st)
	}
	b.check("reorder", "ru")
	made := reorders(t, e.env)
	if len(made) != 1 || made[0].CustomerID != e.customer || len(made[0].Items) != 2 {
		t.Fatalf("ordering again made %+v; want one order of J-1's two lines for Марина", made)
	}
	b.must(j1+"/reorder", order.Number(made[0].ExternalID), "79165554433")
	if _, err := e.app.Dispatcher.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	tasks, err := task.ListByOrder(ctx, e.app.DB.Read(), made[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	callbacks := 0
	for _, x := range tasks {
		if x.Kind == task.Callback {
			callbacks++
		}
	}
	if callbacks != 1 {
		t.Errorf("the new order has %d call-backs, want 1: %+v", callbacks, tasks)
	}

	// A question on the help page, typed and sent by keyboard alone: Tab
	// from the message to the button, Enter.
	b.group()
	b.open("/my/help")
	b.do(chromedp.Focus(chromedp.ID("q-message")), chromedp.KeyEvent("Когда привезут кастрюлю?"), chromedp.KeyEvent(kb.Tab))
	if got := eval[string](b.adminTab, `document.activeElement.closest('form') ? document.activeElement.closest('form').getAttribute('action') + ' ' + document.activeElement.type : ''`); got != "/my/help/question submit" {
		t.Fatalf("Tab from the message lands on %q, want the form's button", got)
	}
	if !eval[bool](b.adminTab, focusShows) {
		t.Error("the question's button shows no focus when reached by Tab")
	}
	if st := b.press(kb.Enter); st != 200 {
		t.Fatalf("send the question: %d", st)
	}
	b.must("/my/help?question=sent")
	convs, _, err := e.app.Inbox.List(ctx, inbox.Filter{CustomerID: e.customer})
	if err != nil || len(convs) != 1 || convs[0].Channel != inbox.ChannelWeb {
		t.Errorf("Марина's conversations: %+v, %v; want one from the page", convs, err)
	}

	// No more offers by e-mail; order news keeps coming.
	b.group()
	b.open("/my/data")
	offOffers := `form:has(input[name="channel"][value="email"]):has(input[name="purpose"][value="marketing"]) button[value="off"]`
	if st := b.follow(offOffers); st != 200 {
		t.Fatalf("withdraw the consent: %d", st)
	}
	b.must("/my/data?saved=consent")
	c := channelOf(profile(t, e.env, e.customer), "email")
	if c.Marketing() || c.MarketingRevokedAt == nil || c.OptedOutAt != nil {
		t.Errorf("e-mail after withdrawing offers: %+v; want offers off, order news on", c)
	}
	reach, err := message.LoadContact(ctx, e.app.DB.Read(), e.customer)
	if err != nil {
		t.Fatal(err)
	}
	if addr, why := reach.Address(message.Email); addr != "marina@example.com" || why != "" {
		t.Errorf("order news by e-mail: %q, %q; want it still going", addr, why)
	}
	if why := reach.MarketingOn(message.Email); why == "" {
		t.Error("offers by e-mail still allowed after withdrawing the consent")
	}

	// The download of the data, fetched with the session.
	got := eval[string](b.adminTab, `fetch('/my/data/export').then(r => r.text().then(body =>
		r.status + ' ' + r.headers.get('Content-Disposition') + ' ' + body.includes('marina@example.com')))`, chromedp.EvalAwaitPromise)
	if got != `200 attachment; filename="my-data.json" true` {
		t.Errorf("the download: %q", got)
	}

	// Deleting the account, by keyboard: first refused while orders are
	// on their way, then, once the shop delivered and cancelled them, the
	// goodbye page; the page then asks to sign in again.
	b.group()
	del := func() int64 {
		t.Helper()
		b.do(chromedp.Focus(chromedp.ID("my-erase-confirm")), chromedp.KeyEvent(" "), chromedp.KeyEvent(kb.Tab))
		if got := eval[string](b.adminTab, `document.getElementById('my-erase-confirm').checked + ' ' + document.activeElement.className`); got != "true danger" {
			t.Fatalf("the confirmation tick and the focus: %q", got)
		}
		return b.press(kb.Enter)
	}
	if st := del(); st != 409 {
		t.Fatalf("delete with orders on their way: %d, want 409", st)
	}
	b.must("/my/data/delete", "2 заказа в пути")
	b.check("delete_refused", "ru")
	for _, u := range []struct {
		id int64
		s  order.Status
	}{{e.onTheWay.ID, order.Delivered}, {made[0].ID, order.Cancelled}} {
		if _, err := e.app.Orders.ChangeStatus(ctx, u.id, order.StatusUpdate{Status: u.s, Source: order.SourceAPI}); err != nil {
			t.Fatal(err)
		}
	}
	b.open("/my/data")
	if st := del(); st != 200 {
		t.Fatalf("delete: %d", st)
	}
	b.must("/my/data/delete")
	b.check("goodbye", "ru")
	b.open(j2)
	if at := b.at(); !strings.HasPrefix(at, "/my/login?next=") {
		t.Errorf("after the goodbye, %s opens %s, want the sign-in", j2, at)
	}
	if p := profile(t, e.env, e.customer); p.ErasedAt == nil || p.Email != "" {
		t.Errorf("the customer after deleting: erased %v, e-mail %q", p.ErasedAt, p.Email)
	}
}

// TestMyJourneyWithoutJavaScript signs in with the code from the mail
// and sends a question in a Chromium whose scripts are off: the page
// needs none.
func TestMyJourneyWithoutJavaScript(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newJourneyEnv(t)
	b := newJourneyTab(t, e, exe, 5*time.Minute)
	b.group()
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if st := b.open("/my/points"); st != 200 {
		t.Fatalf("GET /my/points: %d", st)
	}
	b.do(chromedp.Focus(chromedp.ID("my-contact")), chromedp.KeyEvent("marina@example.com"))
	if st := b.press(kb.Enter); st != 200 {
		t.Fatalf("send the e-mail: %d", st)
	}
	code, _ := e.signinMail(t, 0)
	b.do(chromedp.Focus(chromedp.ID("my-code")), chromedp.KeyEvent(code))
	if st := b.press(kb.Enter); st != 200 {
		t.Fatalf("send the code: %d", st)
	}
	b.must("/my/points", "Баллы")
	if n := eval[int](b.adminTab, `document.scripts.length`); n != 0 {
		t.Errorf("/my/points has %d scripts", n)
	}

	b.group()
	b.open("/my/help")
	b.do(chromedp.Focus(chromedp.ID("q-message")), chromedp.KeyEvent("Можно ли забрать самому?"))
	if st := b.follow(`form[action="/my/help/question"] button[type="submit"]`); st != 200 {
		t.Fatalf("send the question: %d", st)
	}
	b.must("/my/help?question=sent")
	convs, _, err := e.app.Inbox.List(context.Background(), inbox.Filter{CustomerID: e.customer})
	if err != nil || len(convs) != 1 {
		t.Errorf("Марина's conversations: %+v, %v; want one", convs, err)
	}

	// The tab really ran no script all along: a page's own script does
	// not run in it.
	b.do(chromedp.Navigate(`data:text/html,<title>off</title><script>document.title = "on"</script>`))
	if title := eval[string](b.adminTab, `document.title`); title != "off" {
		t.Errorf("a page's script ran in the tab (title %q): the journey above proved nothing", title)
	}
}
