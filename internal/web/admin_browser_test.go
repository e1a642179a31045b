package web_test

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// adminTab is one tab of a desktop-sized headless Chromium on the admin
// app of an env; its methods end the test on the first failed step.
type adminTab struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string // where the screenshots go
}

func newAdminTab(t *testing.T, e *env, exe string) *adminTab {
	t.Helper()
	return &adminTab{t: t, ctx: newChromium(t, exe, 1280, 900), base: e.srv.URL, dir: artifactDir(t)}
}

// do runs the steps.
func (b *adminTab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

// open loads the page at path and returns the HTTP status of the page it
// ends on, after any redirects.
func (b *adminTab) open(path string) int64 {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

// follow clicks the element, a link or a form's button, and waits for the
// page it leads to; it returns that page's HTTP status.
func (b *adminTab) follow(sel string) int64 {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
	return resp.Status
}

// at is the path and query of the page on show.
func (b *adminTab) at() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatal(err)
	}
	return u.RequestURI()
}

// text is the visible text of the first element matching the selector.
func (b *adminTab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// eval runs a script in the page and decodes its value.
func eval[T any](b *adminTab, script string, opts ...chromedp.EvaluateOption) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](script, opts...))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", script, err)
	}
	return v
}

// signIn fills in the login form on show and sends it; it returns where
// the browser landed.
func (b *adminTab) signIn(email string) string {
	b.t.Helper()
	b.do(chromedp.SetValue(chromedp.CSS(`input[name="email"]`), email),
		chromedp.SetValue(chromedp.CSS(`input[name="password"]`), testPassword))
	if st := b.follow(`form[action="/login"] button[type="submit"]`); st != 200 {
		b.t.Fatalf("sign in %s: status %d", email, st)
	}
	return b.at()
}

// menu is the admin menu's links and their texts.
func (b *adminTab) menu() (paths, texts []string) {
	b.t.Helper()
	paths = eval[[]string](b, `Array.from(document.querySelectorAll('nav.menu a'), a => a.getAttribute('href'))`)
	texts = eval[[]string](b, `Array.from(document.querySelectorAll('nav.menu a'), a => a.textContent.trim())`)
	return paths, texts
}

// shot saves a screenshot of the whole page as admin_<name>.png.
func (b *adminTab) shot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	path := filepath.Join(b.dir, "admin_"+name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}

// speakEnglish sets the language of the people of these roles to English;
// the others keep the shop's Russian.
func speakEnglish(t *testing.T, e *env, roles ...auth.Role) {
	t.Helper()
	ctx := context.Background()
	users, err := auth.UserList(ctx, e.app.DB.Read())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if slices.Contains(roles, u.Role) {
			if err := auth.UserSetLanguage(ctx, e.app.DB, u.ID, "en", e.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestAdminLoginAndRolesInBrowser signs in as the packer and as the owner:
// a page without a session leads to the login, each person lands on their
// start page and sees only their areas in the menu, another area is the
// 403 page, and signing out ends the session. The owner sees the Russian
// interface, and the test leaves screenshots of the owner's pages.
func TestAdminLoginAndRolesInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newEnv(t, store.SQLite)
	placeOrders(t, e)
	// The journal's handlers count each customer's orders (the customer
	// list shows those who ordered) and schedule the messages.
	if _, err := e.app.Dispatcher.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	addPeople(t, e)
	speakEnglish(t, e, auth.Packer, auth.Operator)
	b := newAdminTab(t, e, exe)

	if st := b.open("/orders"); st != 200 || b.at() != "/login?next=%2Forders" {
		t.Fatalf("/orders without a session: %d at %s, want the login page", st, b.at())
	}
	b.shot("login")

	b.open("/login")
	if at := b.signIn(people[auth.Packer]); at != "/packing" {
		t.Fatalf("the packer landed on %s, want /packing", at)
	}
	paths, texts := b.menu()
	if !slices.Equal(paths, []string{"/packing"}) || !slices.Equal(texts, []string{"Packing"}) {
		t.Errorf("the packer's menu: %q %q, want only Packing", paths, texts)
	}
	if st := b.open("/orders"); st != 403 {
		t.Errorf("the packer on /orders: status %d, want 403", st)
	}
	if h1 := b.text("main h1"); h1 != "Not for your role" {
		t.Errorf("the packer on /orders sees %q, want the 403 page", h1)
	}
	if st := b.follow(".who button"); st != 200 || b.at() != "/login" {
		t.Fatalf("sign out: %d at %s, want the login page", st, b.at())
	}
	if b.open("/packing"); !strings.HasPrefix(b.at(), "/login?next=") {
		t.Errorf("after signing out /packing shows %s, want the login page", b.at())
	}

	// The owner comes back to the page asked for before the login.
	b.open("/orders")
	if at := b.signIn(people[auth.Owner]); at != "/orders" {
		t.Fatalf("the owner landed on %s, want /orders", at)
	}
	paths, texts = b.menu()
	wantPaths := []string{"/orders", "/parcels", "/inbox", "/callbacks", "/packing", "/stock", "/customers", "/reviews", "/insiders", "/loyalty", "/campaigns", "/outbox", "/surveys", "/analytics", "/settings", "/connectors", "/audit", "/users", "/actions", "/system"}
	wantTexts := []string{"Заказы", "Посылки", "Обращения", "Звонки", "Упаковка", "Склад", "Клиенты", "Отзывы", "Узнать первым", "Лояльность", "Рассылки", "Исходящие", "Опросы", "Аналитика", "Настройки", "Подключения", "Аудит", "Сотрудники", "Журнал действий", "Система"}
	if !slices.Equal(paths, wantPaths) || !slices.Equal(texts, wantTexts) {
		t.Errorf("the owner's menu: %q %q\nwant %q %q", paths, texts, wantPaths, wantTexts)
	}
	if lang := eval[string](b, `document.documentElement.lang`); lang != "ru" {
		t.Errorf("the owner's pages are in %q, want ru", lang)
	}
	orders := b.text("#orders")
	for _, want := range []string{"R-1", "R-2", "L-7", "D-5", "E-3"} {
		if !strings.Contains(orders, want) {
			t.Errorf("the orders list lacks %s:\n%s", want, orders)
		}
	}
	b.shot("orders")

	r1, err := order.GetByExternalID(context.Background(), e.app.DB.Read(), "R-1")
	if err != nil {
		t.Fatal(err)
	}
	if st := b.follow(`#orders a[href="/orders/` + strconv.FormatInt(r1.ID, 10) + `"]`); st != 200 || !strings.Contains(b.text("main h1"), "R-1") {
		t.Errorf("the order page of R-1: %d, %q", st, b.text("main h1"))
	}
	b.shot("order")
	for _, page := range []struct{ path, sel, shot string }{
		{"/customers", "#customers", "customers"},
		{"/outbox", "#outbox", "outbox"},
	} {
		if st := b.open(page.path); st != 200 {
			t.Errorf("%s: status %d", page.path, st)
		}
		b.do(chromedp.WaitVisible(chromedp.CSS(page.sel)))
		b.shot(page.shot)
	}
}

// TestAdminCallbackInBrowser takes a call-back to the end as the
// operator: the queue shows a new order without a reload, the script
// reads out the order, and the outcome saves the address and the time
// window and takes the call-back off the queue.
func TestAdminCallbackInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newEnv(t, store.SQLite)
	addPeople(t, e)
	speakEnglish(t, e, auth.Operator)
	id1, tk1 := newOrder(t, e, "CB-1", customer.Input{ExternalID: "cb-1", Name: "Андрей Петров",
		Phone: "+7 916 123-45-67", Email: "andrei@example.com", Language: "ru", City: "Тверь"})
	b := newAdminTab(t, e, exe)

	b.open("/login")
	if at := b.signIn(people[auth.Operator]); at != "/callbacks" {
		t.Fatalf("the operator landed on %s, want /callbacks", at)
	}
	// Open the queue again, this time waiting until its event stream is
	// connected: an order placed before that would not be announced.
	_, err := chromedp.Run(b.ctx, chromedp.WaitEvent(network.ResponseReceived, func(ev network.EventResponseReceived) bool {
		return strings.HasSuffix(ev.Response.URL, "/callbacks/events") && ev.Response.Status == 200
	}, chromedp.Navigate(b.base+"/callbacks")))
	if err != nil {
		t.Fatalf("open the queue with its event stream: %v", err)
	}
	link := func(id int64) string { return `#callbacks a[href="/callbacks/` + strconv.FormatInt(id, 10) + `"]` }
	if got := b.text(link(tk1.ID)); got != "CB-1" {
		t.Fatalf("the queue's link to the call-back of CB-1 reads %q", got)
	}

	// A mark on the page's window: a reload would lose it.
	b.do(chromedp.Evaluate[chromedp.Void](`window.stayedHere = true`))
	_, tk2 := newOrder(t, e, "CB-2", customer.Input{ExternalID: "cb-2", Name: "Līga Ozola",
		Phone: "+371 2612 3456", Email: "liga@example.lv", Language: "lv", Country: "LV"})
	b.do(chromedp.WaitVisible(chromedp.CSS(link(tk2.ID))))
	if !eval[bool](b, `window.stayedHere === true`) {
		t.Error("the queue showed the new call-back by reloading the page, not by refreshing the list")
	}
	b.shot("callbacks")

	if st := b.follow(link(tk1.ID)); st != 200 || b.at() != "/callbacks/"+strconv.FormatInt(tk1.ID, 10) {
		t.Fatalf("open the call-back: %d at %s", st, b.at())
	}
	// The operator reads English labels; the script speaks the
	// customer's Russian, and says so.
	script := b.text("#script")
	for _, want := range []string{"In Russian, the customer's language", "Здравствуйте, Андрей!", "Вы оформили заказ CB-1",
		"Отправим в ", ", доставка в ", "Оплата при получении: " + i18n.Money(i18n.RU, 249000, "RUB") + "."} {
		if !strings.Contains(script, want) {
			t.Errorf("the script lacks %q:\n%s", want, script)
		}
	}
	b.shot("callback_script")

	window := eval[string](b, `document.querySelector('#reached input[name="window"]:not([value=""])').value`)
	const address = "Тверь, ул. Советская, 5"
	b.do(chromedp.Click(chromedp.CSS(`#reached input[name="window"][value="`+window+`"]`)),
		chromedp.Clear(chromedp.CSS(`#reached input[name="address"]`)),
		chromedp.SendKeys(chromedp.CSS(`#reached input[name="address"]`), address))
	if st := b.follow(`#reached button[type="submit"]`); st != 200 || b.at() != "/callbacks?done=reached" {
		t.Fatalf("reached: %d at %s, want back on the queue", st, b.at())
	}
	if flash := b.text(".flash"); flash != "Saved." {
		t.Errorf("the queue's flash after the call: %q", flash)
	}
	if eval[bool](b, `document.querySelector('`+link(tk1.ID)+`') !== null`) {
		t.Error("the call-back made is still on the queue")
	}
	if !eval[bool](b, `document.querySelector('`+link(tk2.ID)+`') !== null`) {
		t.Error("the other call-back left the queue")
	}
	o, err := order.Get(context.Background(), e.app.DB.Read(), id1)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != order.Processing || o.Address != address || o.DeliveryWindow != window {
		t.Errorf("the order after the call: %s %q %q, want processing %q %q", o.Status, o.Address, o.DeliveryWindow, address, window)
	}
}

// TestAdminPackingInBrowser packs an order as the packer: the finish
// button waits until every line of the checklist is ticked, the packing
// slip downloads with the session, and finishing makes the order ready to
// ship.
func TestAdminPackingInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newEnv(t, store.SQLite)
	addPeople(t, e)
	speakEnglish(t, e, auth.Packer)
	id, _ := newOrder(t, e, "PK-1", customer.Input{ExternalID: "pk-1", Name: "Андрей Петров",
		Phone: "+7 916 123-45-67", Email: "andrei@example.com", Language: "ru", City: "Тверь"})
	if _, err := e.app.Orders.ChangeStatus(context.Background(), id, order.StatusUpdate{Status: order.Processing, Source: order.SourceAPI}); err != nil {
		t.Fatal(err)
	}
	sid := strconv.FormatInt(id, 10)
	b := newAdminTab(t, e, exe)

	b.open("/login")
	if at := b.signIn(people[auth.Packer]); at != "/packing" {
		t.Fatalf("the packer landed on %s, want /packing", at)
	}
	if st := b.follow(`#packing a[href="/packing/` + sid + `"]`); st != 200 || b.at() != "/packing/"+sid {
		t.Fatalf("open the order at the packing station: %d at %s", st, b.at())
	}
	b.shot("packing_sheet")

	// The slip downloads inside the page, with the page's session.
	type download struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Head   string `json:"head"`
	}
	pdf := eval[download](b, `fetch('/packing/`+sid+`/slip.pdf?size=a4').then(r => r.arrayBuffer().then(buf =>
		({status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...new Uint8Array(buf).slice(0, 5))})))`,
		chromedp.EvalAwaitPromise)
	if pdf.Status != 200 || pdf.Type != "application/pdf" || pdf.Head != "%PDF-" {
		t.Errorf("the slip's download: %+v, want 200 application/pdf %%PDF-", pdf)
	}

	finishDisabled := func() bool { return eval[bool](b, `document.querySelector('#finish').disabled`) }
	boxes := eval[[]string](b, `Array.from(document.querySelectorAll('#checklist input[type=checkbox][required]'), c => c.value)`)
	if len(boxes) < 2 {
		t.Fatalf("the checklist has %d lines: %q", len(boxes), boxes)
	}
	for i, box := range boxes {
		if !finishDisabled() {
			t.Fatalf("the finish button is enabled with %d of %d lines ticked", i, len(boxes))
		}
		b.do(chromedp.Click(chromedp.CSS(`#checklist input[value="` + box + `"]`)))
	}
	if finishDisabled() {
		t.Fatal("the finish button is still disabled with every line ticked")
	}
	if st := b.follow("#finish"); st != 200 || b.at() != "/packing?done="+sid {
		t.Fatalf("finish: %d at %s, want back on the queue", st, b.at())
	}
	o, err := order.Get(context.Background(), e.app.DB.Read(), id)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != order.ReadyToShip {
		t.Errorf("the packed order is %s, want ready_to_ship", o.Status)
	}
}

// TestAdminSettingsInBrowser edits a setting as the owner: a wrong value
// comes back on its field and in the list of errors, and nothing is
// saved; the right value is saved.
func TestAdminSettingsInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newEnv(t, store.SQLite)
	addPeople(t, e)
	b := newAdminTab(t, e, exe)
	ctx := context.Background()

	b.open("/login")
	b.signIn(people[auth.Owner])
	if st := b.open("/settings"); st != 200 {
		t.Fatalf("/settings: status %d", st)
	}
	before, _, err := config.Saved(ctx, e.app.DB.Read())
	if err != nil {
		t.Fatal(err)
	}
	const field = `input[name="shop.working_hours.from"]`
	b.do(chromedp.SetValue(chromedp.CSS(field), "18:00"), chromedp.SetValue(chromedp.CSS(`input[name="shop.working_hours.to"]`), "09:00"))
	if st := b.follow(`form.settings button[type="submit"]`); st != 422 {
		t.Errorf("a wrong working_hours: status %d, want 422", st)
	}
	type fieldState struct {
		Class string `json:"class"`
		Error string `json:"error"`
		Value string `json:"value"`
	}
	got := eval[fieldState](b, `(() => { const f = document.querySelector('`+field+`'), l = f.closest('.field'), e = l.querySelector('.field-error');
		return {class: l.className, error: e ? e.textContent : '', value: f.value}; })()`)
	if !strings.Contains(got.Class, "invalid") || !strings.Contains(got.Error, "18:00-09:00") || got.Value != "18:00" {
		t.Errorf("the working_hours field after a wrong value: %+v, want it marked invalid with an error naming 18:00-09:00", got)
	}
	if list := eval[string](b, `(document.querySelector('main .error[role=alert] ul') || {}).textContent || ''`); !strings.Contains(list, "18:00-09:00") {
		t.Errorf("the list of errors: %q, want the wrong value named", list)
	}
	b.shot("settings_error")
	after, _, err := config.Saved(ctx, e.app.DB.Read())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("a refused form changed the saved settings:\n%s", after)
	}

	b.do(chromedp.SetValue(chromedp.CSS(field), "10:00"), chromedp.SetValue(chromedp.CSS(`input[name="shop.working_hours.to"]`), "19:00"))
	if st := b.follow(`form.settings button[type="submit"]`); st != 200 || !strings.HasPrefix(b.at(), "/settings?saved=") {
		t.Fatalf("a right working_hours: %d at %s, want the saved page", st, b.at())
	}
	if flash := b.text(".flash"); !strings.HasPrefix(flash, "Сохранено.") {
		t.Errorf("the flash after saving: %q", flash)
	}
	doc, ok, err := config.Saved(ctx, e.app.DB.Read())
	if err != nil || !ok {
		t.Fatalf("saved settings: %v %v", ok, err)
	}
	s, err := config.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	if s.Shop.WorkingHours.String() != "10:00-19:00" {
		t.Errorf("saved working_hours %s, want 10:00-19:00", s.Shop.WorkingHours)
	}
}

// TestAdminLoyaltyInBrowser gives points on a customer's page as the
// owner, in Russian: a correction the balance does not cover comes back
// on its field, a gift goes through and shows in the balance and the
// history; the menu leads to the program's page. It leaves screenshots
// of both pages.
func TestAdminLoyaltyInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newEnv(t, store.SQLite)
	s := newLoyaltyShop(t, e)
	b := newAdminTab(t, e, exe)
	page := "/customers/" + strconv.FormatInt(s.andrei, 10)

	b.open(page)
	b.signIn(people[auth.Owner])
	if b.at() != page {
		t.Fatalf("signed in at %s, want %s", b.at(), page)
	}
	if got := b.text("#loyalty-balance"); got != "119 баллов" {
		t.Errorf("the balance reads %q, want 119 баллов", got)
	}
	b.do(chromedp.Click(chromedp.CSS(`#grant input[name="kind"][value="adjustment"]`)),
		chromedp.SetValue(chromedp.CSS(`#grant input[name="points"]`), "-500"),
		chromedp.SetValue(chromedp.CSS(`#grant input[name="reason"]`), "Ошибка в подсчёте"))
	if st := b.follow(`#grant button[type="submit"]`); st != 422 {
		t.Errorf("a correction over the balance: status %d, want 422", st)
	}
	got := eval[string](b, `document.querySelector('#grant input[name="points"]').closest('label').className + ' ' +
		document.querySelector('#grant input[name="points"]').closest('label').querySelector('.field-error').textContent`)
	if !strings.HasPrefix(got, "invalid ") || !strings.Contains(got, "На счёте только 119 баллов") {
		t.Errorf("the points field after the refusal: %q", got)
	}
	b.do(chromedp.Click(chromedp.CSS(`#grant input[name="kind"][value="compensation"]`)),
		chromedp.SetValue(chromedp.CSS(`#grant input[name="points"]`), "25"),
		chromedp.SetValue(chromedp.CSS(`#grant input[name="reason"]`), "Извините за ожидание"))
	if st := b.follow(`#grant button[type="submit"]`); st != 200 || b.at() != page+"?saved=1" {
		t.Fatalf("a gift of 25 points: %d at %s", st, b.at())
	}
	if got := b.text("#loyalty-balance"); got != "144 балла" {
		t.Errorf("the balance after the gift reads %q, want 144 балла", got)
	}
	if row := b.text("#ledger-entries tbody tr"); !strings.Contains(row, "Компенсация") || !strings.Contains(row, "+25") ||
		!strings.Contains(row, "Извините за ожидание") || !strings.Contains(row, people[auth.Owner]) {
		t.Errorf("the newest ledger entry: %q", row)
	}
	b.shot("customer_loyalty")

	if st := b.follow(`nav.menu a[href="/loyalty"]`); st != 200 || b.at() != "/loyalty" {
		t.Fatalf("the menu's loyalty link: %d at %s", st, b.at())
	}
	if got := b.text("#liability"); got != "244,00\u00a0₽" {
		t.Errorf("the liability reads %q, want 244,00 ₽", got)
	}
	b.shot("loyalty")
}

// TestAdminParcelsInBrowser opens the promise-keeping desk from the menu
// as the owner: the figures and the work lists render, and the menu marks
// the desk, not the orders. It leaves a screenshot of the page.
func TestAdminParcelsInBrowser(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	e := newEnv(t, store.SQLite)
	addPeople(t, e)
	s := newLateShop(t, e)
	b := newAdminTab(t, e, exe)

	b.open("/orders")
	b.signIn(people[auth.Owner])
	if st := b.follow(`nav.menu a[href="/parcels"]`); st != 200 || b.at() != "/parcels" {
		t.Fatalf("the menu's parcels link: %d at %s", st, b.at())
	}
	if cur := eval[string](b, `document.querySelector('nav.menu a[aria-current]').getAttribute('href')`); cur != "/parcels" {
		t.Errorf("the menu marks %s as the page on show, want /parcels", cur)
	}
	for sel, want := range map[string]string{
		"#on-time-rate": "100\u00a0%", "#delivered-late": "0", "#late-open": "1", "#stuck-count": "1", "#waiting-count": "1",
	} {
		if got := b.text(sel); got != want {
			t.Errorf("%s reads %q, want %q", sel, got, want)
		}
	}
	if got := b.text("#by-carrier tbody"); !strings.Contains(got, "Курьер") {
		t.Errorf("the table by carrier: %q", got)
	}
	for sel, want := range map[string]string{
		"#find-tasks": s.late.ExternalID, "#stuck-parcels": "RA000000101RU", "#waiting-parcels": "RA000000102RU",
	} {
		if got := b.text(sel); !strings.Contains(got, want) {
			t.Errorf("%s lacks %s:\n%s", sel, want, got)
		}
	}
	b.shot("parcels")
}
