package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/web"
)

// myShop is two customers of the shop with their orders: Anna (ru) has a
// delivered order and one in the making, Boris (lv) one shipped.
type myShop struct {
	anna, boris           int64  // customer ids
	delivered, making     int64  // Anna's orders: AK-5501, AK-5502
	borisOrder            int64  // BZ-7701
	annaToken, borisToken string // tracking tokens of AK-5501 and BZ-7701
}

var (
	annaIn = customer.Input{ExternalID: "c-anna", Name: "Анна Ковальчук", Email: "anna.kovalchuk@example.com",
		Phone: "+7 916 555-01-02", Language: "ru", City: "Тверь"}
	borisIn = customer.Input{ExternalID: "c-boris", Name: "Boriss Ziedonis", Email: "boriss@example.lv",
		Phone: "+371 2600 7701", Language: "lv", Country: "LV"}
	// annaMarks are what of Anna no other customer's page may show.
	annaMarks = []string{"Анна", "Ковальчук", "anna.kovalchuk", "AK-5501", "AK-5502", "Самовар", "Чайник", "Садовая", "AK5501TRK"}
)

// placeMyShop places myShop's orders on the fake clock, which it leaves
// on Tuesday 1 December 2026, 12:00 in Moscow.
func placeMyShop(t *testing.T, e *env) myShop {
	t.Helper()
	ctx := context.Background()
	create := func(n order.NewOrder) *order.Order {
		t.Helper()
		if err := order.Normalize(&n, e.app.Settings, order.APIFields); err != nil {
			t.Fatalf("normalize %s: %v", n.ExternalID, err)
		}
		res, err := e.app.Orders.Create(ctx, n)
		if err != nil {
			t.Fatalf("create %s: %v", n.ExternalID, err)
		}
		o, err := e.app.Orders.Get(ctx, res.ID)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	move := func(id int64, at string, u order.StatusUpdate) {
		t.Helper()
		e.clock.Set(msk(t, at))
		u.Source = order.SourceAPI
		if _, err := e.app.Orders.ChangeStatus(ctx, id, u); err != nil {
			t.Fatalf("order %d to %s: %v", id, u.Status, err)
		}
	}
	e.clock.Set(msk(t, "2026-11-23T10:00:00"))
	delivered := create(order.NewOrder{ExternalID: "AK-5501", Customer: annaIn, Carrier: "courier", Address: "Тверь, ул. Садовая, 7",
		Items: []order.Item{{SKU: "SAM-1", Name: "Самовар", Qty: 1, PriceMinor: 1250000}, {SKU: "CUP-2", Name: "Чашка", Qty: 2, PriceMinor: 45000}}})
	boris := create(order.NewOrder{ExternalID: "BZ-7701", Customer: borisIn, Carrier: "post",
		Items: []order.Item{{SKU: "MUG", Name: "Krūze", Qty: 3, PriceMinor: 1500}}})
	move(delivered.ID, "2026-11-24T11:00:00", order.StatusUpdate{Status: order.Shipped, TrackingNumber: "AK5501TRK"})
	move(boris.ID, "2026-11-24T12:00:00", order.StatusUpdate{Status: order.Shipped, TrackingNumber: "BZ7701TRK"})
	// Boris's parcel is one the shop tracks: the carrier said where it is.
	if _, _, err := e.app.Parcels.Add(ctx, boris.ID, "post", "BZ7701TRK"); err != nil {
		t.Fatal(err)
	}
	report(t, e, parcel.SourceWebhook, carrier.Event{TrackingNumber: "BZ7701TRK", Status: carrier.InTransit,
		At: msk(t, "2026-11-25T09:00:00"), Location: "Rīga", Code: "T1", Description: "Sūtījums ceļā"})
	move(delivered.ID, "2026-11-26T15:00:00", order.StatusUpdate{Status: order.Delivered})
	e.clock.Set(msk(t, "2026-12-01T10:00:00"))
	making := create(order.NewOrder{ExternalID: "AK-5502", Customer: annaIn, Carrier: "courier",
		Items: []order.Item{{SKU: "KET-1", Name: "Чайник", Qty: 1, PriceMinor: 320000, MadeToOrder: true, ProductionDays: 3}}})
	e.clock.Set(msk(t, "2026-12-01T12:00:00"))
	token := func(id int64) string {
		t.Helper()
		tok, err := e.app.Orders.TrackingToken(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	return myShop{anna: delivered.CustomerID, boris: boris.CustomerID, delivered: delivered.ID, making: making.ID,
		borisOrder: boris.ID, annaToken: token(delivered.ID), borisToken: token(boris.ID)}
}

var myOrderLink = regexp.MustCompile(`href="/my/orders/(\d+)"`)

// myOrderIDs are the orders a list page links to, in its order.
func myOrderIDs(body string) []int64 {
	var out []int64
	for _, m := range myOrderLink.FindAllStringSubmatch(body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, id)
	}
	return out
}

// TestMyHomeListsTheCustomersOrders: /my greets the customer in their
// language and lists their orders, newest first, each with its number,
// day, total, status in words, the promise of one on its way and its
// parcel; nobody else's.
func TestMyHomeListsTheCustomersOrders(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	s := placeMyShop(t, e)
	b := newBrowser(t, e)
	signInAs(t, e, b, s.anna)
	status, _, body := b.do("GET", "/my", nil)
	if status != http.StatusOK {
		t.Fatalf("GET /my: %d\n%s", status, body)
	}
	if got := myOrderIDs(body); !slices.Equal(got, []int64{s.making, s.delivered}) {
		t.Fatalf("GET /my lists orders %v, want %v (newest first)", got, []int64{s.making, s.delivered})
	}
	for _, want := range []string{`lang="ru"`, "Здравствуйте, Анна", "Заказ AK-5502", "Заказ AK-5501",
		i18n.Money(i18n.RU, 1340000, "RUB"), // the delivered one: 12 500 + 2 × 450
		"Доставлен", "AK5501TRK", "Доставим", `href="/my/points"`, `href="/my/help"`, `aria-current="page"`} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /my lacks %q", want)
		}
	}
	for _, other := range []string{"BZ-7701", "Boriss", "Krūze", "BZ7701TRK"} {
		if strings.Contains(body, other) {
			t.Errorf("Anna's page shows %q of Boris", other)
		}
	}
	if t.Failed() {
		t.Log(body)
	}
}

// TestMyHomePages: a customer with more orders than a page walks them
// page by page through "older orders", each exactly once, newest first.
func TestMyHomePages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	s := placeMyShop(t, e)
	ctx := context.Background()
	want := []int64{s.making, s.delivered}
	for i := range 41 {
		// Some share their minute: the cursor's id keeps them apart.
		e.clock.Set(msk(t, "2026-12-01T13:00:00").Add(time.Duration(i/2) * time.Minute))
		n := order.NewOrder{ExternalID: "AK-6" + strconv.Itoa(100+i), Customer: annaIn, Carrier: "courier",
			Items: []order.Item{{SKU: "CUP-2", Name: "Чашка", Qty: 1, PriceMinor: 45000}}}
		if err := order.Normalize(&n, e.app.Settings, order.APIFields); err != nil {
			t.Fatal(err)
		}
		res, err := e.app.Orders.Create(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		want = append([]int64{res.ID}, want...)
	}
	b := newBrowser(t, e)
	signInAs(t, e, b, s.anna)
	var got []int64
	path, pages := "/my", 0
	next := regexp.MustCompile(`href="(/my\?after=[^"]+)" rel="next"`)
	for path != "" {
		status, _, body := b.do("GET", path, nil)
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d", path, status)
		}
		pages++
		got = append(got, myOrderIDs(body)...)
		path = ""
		if m := next.FindStringSubmatch(body); m != nil {
			path = strings.ReplaceAll(m[1], "&amp;", "&")
			if !strings.Contains(body, "Более ранние заказы") {
				t.Fatalf("the link to the next page is not in words")
			}
		}
		if pages > 1 && !strings.Contains(body, `<a href="/my">`) {
			t.Fatalf("page %d does not link back to the newest orders", pages)
		}
	}
	if pages != 3 || !slices.Equal(got, want) {
		t.Fatalf("%d pages list %v, want 3 pages of %v", pages, got, want)
	}
}

// TestMyOrderShow: an order's page shows the tracking page's timeline,
// promise and parcel, the items with their prices, the address, the
// messages sent about it (not those still waiting), "Order again" as a
// form with the session's token and "Return items" only once delivered.
func TestMyOrderShow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	s := placeMyShop(t, e)
	ctx := context.Background()
	// One message about the delivered order went by e-mail; the others
	// wait (the test's app runs no jobs).
	if _, err := e.app.Dispatcher.Drain(ctx); err != nil { // the playbook writes its messages
		t.Fatal(err)
	}
	sentAt := msk(t, "2026-11-24T11:05:00")
	var waiting int
	if err := e.app.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM messages WHERE order_id = $1`, s.delivered).Scan(&waiting); err != nil {
		t.Fatal(err)
	}
	if waiting < 2 {
		t.Fatalf("%d messages about the delivered order, want at least 2 (one to send, one to leave waiting)", waiting)
	}
	err := e.app.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE messages SET status = 'sent', channel = 'email', subject = 'Самовар уже едет к вам',
			sent_at = $1 WHERE id = (SELECT MIN(id) FROM messages WHERE order_id = $2)`, sentAt, s.delivered); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE messages SET status = 'failed', channel = 'sms', subject = 'Не ушло',
			body = 'Не ушло' WHERE id = (SELECT MAX(id) FROM messages WHERE order_id = $1)`, s.delivered)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, e)
	session := signInAs(t, e, b, s.anna)

	status, _, body := b.do("GET", "/my/orders/"+strconv.FormatInt(s.delivered, 10), nil)
	if status != http.StatusOK {
		t.Fatalf("GET the delivered order: %d\n%s", status, body)
	}
	id := strconv.FormatInt(s.delivered, 10)
	for _, want := range []string{
		"<h1>Заказ AK-5501</h1>", `id="timeline"`, "Доставлен", "AK5501TRK",
		"Самовар", "SAM-1", "Чашка", i18n.Money(i18n.RU, 90000, "RUB"), i18n.Money(i18n.RU, 1340000, "RUB"),
		"Тверь, ул. Садовая, 7",
		"Самовар уже едет к вам", "эл. почта",
		`<form method="post" action="/my/orders/` + id + `/reorder"`, `name="csrf" value="` + session.CSRF + `"`, "Заказать снова",
		`href="/my/orders/` + id + `/return"`, "Вернуть товары",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the delivered order's page lacks %q", want)
		}
	}
	if strings.Contains(body, "Не ушло") {
		t.Errorf("the page shows a message that failed")
	}
	if t.Failed() {
		t.Log(body)
	}

	status, _, body = b.do("GET", "/my/orders/"+strconv.FormatInt(s.making, 10), nil)
	if status != http.StatusOK {
		t.Fatalf("GET the order in the making: %d", status)
	}
	for _, want := range []string{"<h1>Заказ AK-5502</h1>", `id="promise"`, "Чайник", "Мы ещё не писали вам об этом заказе."} {
		if !strings.Contains(body, want) {
			t.Errorf("the order in the making lacks %q", want)
		}
	}
	if strings.Contains(body, "/return") {
		t.Errorf("an order not delivered offers a return")
	}

	for _, path := range []string{"/my/orders/" + strconv.FormatInt(s.borisOrder, 10), "/my/orders/0", "/my/orders/x", "/my/orders/99999999"} {
		status, _, body := b.do("GET", path, nil)
		if status != http.StatusNotFound || strings.Contains(body, "BZ-7701") {
			t.Errorf("GET %s as Anna: %d, want a plain 404", path, status)
		}
	}
}

// TestMyHomeInLatvian: Boris's page speaks Latvian: the statuses, the
// promise and the headings.
func TestMyHomeInLatvian(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	s := placeMyShop(t, e)
	b := newBrowser(t, e)
	signInAs(t, e, b, s.boris)
	for _, tt := range []struct {
		path string
		want []string
	}{
		{"/my", []string{`lang="lv"`, "Labdien, Boriss", "Pasūtījums BZ-7701", "Jūsu pasūtījumi", "BZ7701TRK",
			i18n.Text(i18n.LV, "parcel.status.in_transit", nil)}},
		{"/my/orders/" + strconv.FormatInt(s.borisOrder, 10), []string{"Pasūtījums BZ-7701", "Krūze", "Pasūtīt vēlreiz", "Ko jūs pasūtījāt",
			`id="parcels"`, "Rīga", i18n.Text(i18n.LV, "parcel.status.in_transit", nil)}},
	} {
		status, _, body := b.do("GET", tt.path, nil)
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d", tt.path, status)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %q", tt.path, w)
			}
		}
	}
}

// FuzzMyHomeAfter: whatever the cursor of /my?after= says, the page is
// the customer's own orders or none, never an error or another's.
func FuzzMyHomeAfter(f *testing.F) {
	for _, seed := range []string{"", "x", ".", "abc.def", "zzzzzzzzzzzzzzzz.1", "-1.-1", "0.0", "lz3k1s0.2", "%00", "1.1.1"} {
		f.Add(seed)
	}
	// One shop for every input, made at the first: its server lives as
	// long as the fuzz test (an env per input would put the input's
	// name, seed#1, in the SQLite file's path, where # ends it).
	a, clk := apptest.New(f, store.SQLite, false)
	if err := a.Start(context.Background()); err != nil {
		f.Fatal(err)
	}
	srv := httptest.NewServer(web.New(a))
	f.Cleanup(srv.Close)
	e := &env{app: a, clock: clk, srv: srv}
	var s myShop
	f.Fuzz(func(t *testing.T, after string) {
		if s.anna == 0 {
			s = placeMyShop(t, e)
		}
		b := newBrowser(t, e)
		signInAs(t, e, b, s.boris)
		status, _, body := b.do("GET", "/my?after="+url.QueryEscape(after), nil)
		if status != http.StatusOK {
			t.Fatalf("GET /my?after=%q: %d", after, status)
		}
		for _, id := range myOrderIDs(body) {
			if id != s.borisOrder {
				t.Fatalf("GET /my?after=%q as Boris lists order %d", after, id)
			}
		}
		for _, m := range annaMarks {
			if strings.Contains(body, m) {
				t.Fatalf("GET /my?after=%q as Boris shows %q of Anna", after, m)
			}
		}
	})
}

// TestMyOrderPagesSpeakTheLanguage: the list and an order's page, in
// Russian, Latvian and English, have no raw code, and no English word on
// a Russian or Latvian page (the walkers' check of the admin).
func TestMyOrderPagesSpeakTheLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	s := placeMyShop(t, e)
	drainJournal(t, e)
	// The customers' names and the carriers' codes (the test shop gives
	// its carriers no names, so the tracking page too shows the code)
	// are the shop's data.
	known := []string{"Boriss", "Ziedonis", "courier", "post"}
	for _, who := range []struct {
		customer int64
		orders   []int64
	}{{s.anna, []int64{s.delivered, s.making}}, {s.boris, []int64{s.borisOrder}}} {
		b := newBrowser(t, e)
		signInAs(t, e, b, who.customer)
		paths := []string{"/my"}
		for _, id := range who.orders {
			paths = append(paths, "/my/orders/"+strconv.FormatInt(id, 10))
		}
		for _, lang := range []i18n.Lang{i18n.RU, i18n.LV, i18n.EN} {
			for _, p := range paths {
				status, _, body := b.do("GET", p+"?lang="+string(lang), nil)
				if status != http.StatusOK {
					t.Fatalf("GET %s in %s: %d", p, lang, status)
				}
				text := pageText(body, lang)
				for _, k := range known {
					text = strings.ReplaceAll(text, k, " ")
				}
				if bad := unreadable(text, lang); len(bad) > 0 {
					t.Errorf("GET %s in %s: %v", p, lang, bad)
				}
			}
		}
	}
}
