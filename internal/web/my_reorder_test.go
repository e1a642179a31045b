package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/task"
	"github.com/shopcare/shopcare/internal/web"
)

// newEnvYAML is newEnv with settings.
func newEnvYAML(t *testing.T, yml string) *env {
	t.Helper()
	a, clk := apptest.New(t, store.SQLite, false, yml)
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(a))
	t.Cleanup(srv.Close)
	return &env{app: a, clock: clk, srv: srv}
}

// orderByNumber returns a placed order by its external id.
func orderByNumber(t *testing.T, e *env, ext string) *order.Order {
	t.Helper()
	o, err := order.GetByExternalID(context.Background(), e.app.DB.Read(), ext)
	if err != nil {
		t.Fatalf("order %s: %v", ext, err)
	}
	return o
}

// reorders lists the orders made again from the customer's page.
func reorders(t *testing.T, e *env) []*order.Order {
	t.Helper()
	ctx := context.Background()
	var out []*order.Order
	rows, err := e.app.DB.Read().Query(ctx, `SELECT id FROM orders WHERE channel = $1 ORDER BY id`, order.ChannelReorder)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		o, err := order.Get(ctx, e.app.DB.Read(), id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, o)
	}
	return out
}

// TestMyReorderCartLink: with the shop's cart link, "Order again" sends
// the customer to the shop's cart holding the order's lines by the
// platform's variant id, to the settings' host whatever the request
// carries, and makes no order.
func TestMyReorderCartLink(t *testing.T) {
	t.Parallel()
	e := newEnvYAML(t, "reorder:\n  platform: shopify\n  cart_url: https://shop.example.com\n")
	placeOrders(t, e)
	r1 := orderByNumber(t, e, "R-1")
	b := newBrowser(t, e)
	signInAs(t, e, b, r1.CustomerID)
	path := "/my/orders/" + strconv.FormatInt(r1.ID, 10) + "/reorder"
	for _, c := range []struct {
		name   string
		form   url.Values
		header []string
	}{
		{"the plain form", url.Values{"key": {"abcdef123456"}}, nil},
		{"addresses in the form and headers", url.Values{"key": {"abcdef123456"}, "next": {"https://evil.example/"},
			"cart_url": {"https://evil.example/cart"}, "url": {"//evil.example"}},
			[]string{"Referer: https://evil.example/", "X-Forwarded-Host: evil.example"}},
	} {
		c.form.Set("csrf", b.csrf)
		status, h, body := b.do("POST", path, c.form, c.header...)
		if status != http.StatusSeeOther || h.Get("Location") != "https://shop.example.com/cart/44102623193251:1" {
			t.Errorf("%s: %d to %q, want 303 to the shop's cart\n%s", c.name, status, h.Get("Location"), body)
		}
	}
	if got := reorders(t, e); len(got) != 0 {
		t.Errorf("a cart link made %d orders in shopcare", len(got))
	}
}

// TestMyReorderNoVariantID: a Shopify cart link names each line by the
// platform's variant id; for an order whose line has none (an order from
// before it was kept, or from a source without it), "Order again" writes
// no link with the SKU in its place but makes the order in shopcare, for
// an operator to confirm, as a shop without a cart link does.
func TestMyReorderNoVariantID(t *testing.T) {
	t.Parallel()
	e := newEnvYAML(t, "reorder:\n  platform: shopify\n  cart_url: https://shop.example.com\n")
	placeOrders(t, e)
	r2 := orderByNumber(t, e, "R-2")
	if r2.Items[0].VariantID != "" {
		t.Fatalf("R-2's line has a variant id %q; the test needs one without", r2.Items[0].VariantID)
	}
	b := newBrowser(t, e)
	signInAs(t, e, b, r2.CustomerID)
	status, h, body := b.do("POST", "/my/orders/"+strconv.FormatInt(r2.ID, 10)+"/reorder",
		url.Values{"csrf": {b.csrf}, "key": {"abcdef123456"}})
	if status != http.StatusOK || h.Get("Location") != "" || !strings.Contains(body, "мы позвоним") {
		t.Errorf("%d to %q, want the page of an order made in shopcare\n%s", status, h.Get("Location"), body)
	}
	made := reorders(t, e)
	if len(made) != 1 || len(made[0].Items) != 1 || made[0].Items[0].SKU != "PAN" {
		t.Fatalf("made %+v, want R-2 again in shopcare", made)
	}
}

// TestMyReorderMakesOneOrder: without a cart link, "Order again" makes
// one new order of the same lines for the same customer, whatever the
// double clicks, which the call-back confirms; the page says so in the
// customer's language. Another customer's order and a form without its
// token make nothing.
func TestMyReorderMakesOneOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	placeOrders(t, e)
	ctx := context.Background()
	r1, d5 := orderByNumber(t, e, "R-1"), orderByNumber(t, e, "D-5")
	b := newBrowser(t, e)
	signInAs(t, e, b, r1.CustomerID)
	path := "/my/orders/" + strconv.FormatInt(r1.ID, 10) + "/reorder"

	if status, _, _ := b.do("POST", path, url.Values{"key": {"abcdef123456"}}); status != http.StatusForbidden {
		t.Errorf("without the form's token: %d, want 403", status)
	}
	other := "/my/orders/" + strconv.FormatInt(d5.ID, 10) + "/reorder"
	if status, _, body := b.do("POST", other, url.Values{"csrf": {b.csrf}, "key": {"abcdef123456"}}); status != http.StatusNotFound ||
		strings.Contains(body, "D-5") || strings.Contains(body, "Sam Lee") {
		t.Errorf("another customer's order: %d, want a plain 404", status)
	}
	if got := reorders(t, e); len(got) != 0 {
		t.Fatalf("refused forms made %d orders", len(got))
	}

	var first string
	for i := range 3 { // a double click, then a reload of the answer
		status, _, body := b.do("POST", path, url.Values{"csrf": {b.csrf}, "key": {"1234567890"}})
		if status != http.StatusOK {
			t.Fatalf("click %d: %d\n%s", i, status, body)
		}
		if !strings.Contains(body, "мы позвоним") || !strings.Contains(body, "79161234567") {
			t.Errorf("click %d: the page does not say in Russian that the shop will call:\n%s", i, body)
		}
		if bad := unreadable(pageText(body, i18n.RU), i18n.RU); len(bad) > 0 {
			t.Errorf("click %d: the Russian page has what its reader cannot read: %v", i, bad)
		}
		if i == 0 {
			first = body
		} else if !strings.Contains(body, "это тот же заказ") {
			t.Errorf("click %d does not say it is the same order", i)
		}
	}
	made := reorders(t, e)
	if len(made) != 1 {
		t.Fatalf("three clicks made %d orders, want 1", len(made))
	}
	n := made[0]
	if n.CustomerID != r1.CustomerID || n.Status != order.New || n.Currency != r1.Currency || n.Carrier != r1.Carrier ||
		len(n.Items) != 1 || n.Items[0].SKU != "POT-1" || n.Items[0].VariantID != "44102623193251" || n.Items[0].Qty != 1 || n.Items[0].PriceMinor != 249000 ||
		n.TotalMinor != r1.TotalMinor || n.PromisedTo == "" {
		t.Errorf("the new order is not R-1 again: %+v", n)
	}
	if !strings.Contains(first, order.Number(n.ExternalID)) || !strings.Contains(first, "/my/orders/"+strconv.FormatInt(n.ID, 10)) {
		t.Errorf("the page does not name the new order %s:\n%s", n.ExternalID, first)
	}
	if _, err := e.app.Dispatcher.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	tasks, err := task.ListByOrder(ctx, e.app.DB.Read(), n.ID)
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

	// Another click next week (another form) is another order.
	if status, _, _ := b.do("POST", path, url.Values{"csrf": {b.csrf}, "key": {"2222222222"}}); status != http.StatusOK {
		t.Fatalf("another form: %d", status)
	}
	if got := reorders(t, e); len(got) != 2 {
		t.Errorf("a second form made %d orders in all, want 2", len(got))
	}
}

// TestMyReorderWithoutKey: a form without its nonce (or with a bad one)
// still makes one order for its clicks of the same minutes.
func TestMyReorderWithoutKey(t *testing.T) {
	t.Parallel()
	// A human clock of the test's own: the clicks fall in one window.
	a, clk := apptest.New(t, store.SQLite, false)
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	human := clock.NewFake(time.Date(2026, 12, 1, 9, 1, 0, 0, time.UTC))
	srv := httptest.NewServer(web.New(a, web.WithHumanClock(human)))
	t.Cleanup(srv.Close)
	e := &env{app: a, clock: clk, srv: srv}
	placeOrders(t, e)
	l7 := orderByNumber(t, e, "L-7")
	b := newBrowser(t, e)
	signInAs(t, e, b, l7.CustomerID)
	path := "/my/orders/" + strconv.FormatInt(l7.ID, 10) + "/reorder"
	for _, key := range []string{"", "x", "<script>", strings.Repeat("z", 40)} {
		status, _, body := b.do("POST", path, url.Values{"csrf": {b.csrf}, "key": {key}})
		if status != http.StatusOK || !strings.Contains(body, "piezvanīsim") {
			t.Fatalf("key %q: %d, want the Latvian answer\n%s", key, status, body)
		}
		if bad := unreadable(pageText(body, i18n.LV), i18n.LV); len(bad) > 0 {
			t.Errorf("key %q: the Latvian page has what its reader cannot read: %v", key, bad)
		}
	}
	if got := reorders(t, e); len(got) != 1 {
		t.Errorf("four clicks without a nonce made %d orders, want 1", len(got))
	}
	// Past the window, a click is another order.
	human.Set(human.Now().Add(11 * time.Minute))
	if status, _, _ := b.do("POST", path, url.Values{"csrf": {b.csrf}}); status != http.StatusOK {
		t.Fatalf("a click 11 minutes on: %d", status)
	}
	if got := reorders(t, e); len(got) != 2 {
		t.Errorf("a click 11 minutes on made %d orders in all, want 2", len(got))
	}
}

// FuzzMyReorderForm: whatever the form holds, "Order again" sends the
// customer to the settings' cart link and nowhere else, and without a
// cart link answers with the page of the new order, never a 5xx.
func FuzzMyReorderForm(f *testing.F) {
	for _, s := range []string{"abcdef123456", "", "https://evil.example", "%0d%0aLocation: x", strings.Repeat("9", 64)} {
		f.Add(s, "https://evil.example/")
	}
	cart := fuzzReorderEnv(f, "reorder:\n  platform: custom\n  cart_url: https://shop.example.com/c?i={items}\n")
	plain := fuzzReorderEnv(f, "")
	f.Fuzz(func(t *testing.T, key, next string) {
		for _, e := range []*fuzzEnv{cart, plain} {
			b := newBrowser(t, e.env)
			signInAs(t, e.env, b, e.customerID)
			status, h, body := b.do("POST", e.path, url.Values{"csrf": {b.csrf}, "key": {key}, "next": {next}, "cart_url": {next}})
			switch {
			case e == cart && (status != http.StatusSeeOther || h.Get("Location") != "https://shop.example.com/c?i=F-1:2"):
				t.Fatalf("key %q next %q: %d to %q, want the shop's cart", key, next, status, h.Get("Location"))
			case e == plain && (status != http.StatusOK || !strings.Contains(body, "F-1")):
				t.Fatalf("key %q next %q: %d, want the answer page\n%s", key, next, status, body)
			}
		}
	})
}

// fuzzEnv is an App with one order to make again.
type fuzzEnv struct {
	env        *env
	customerID int64
	path       string
}

// fuzzReorderEnv starts an App with the settings yml and places order F-1.
func fuzzReorderEnv(f *testing.F, yml string) *fuzzEnv {
	f.Helper()
	a, clk := apptest.New(f, store.SQLite, false, yml)
	if err := a.Start(context.Background()); err != nil {
		f.Fatal(err)
	}
	srv := httptest.NewServer(web.New(a))
	f.Cleanup(srv.Close)
	n := order.NewOrder{ExternalID: "F-1", Carrier: "courier",
		Customer: customer.Input{ExternalID: "cf", Name: "Анна", Email: "anna@example.com", Phone: "+7 916 000-00-01", Language: "ru"},
		Items:    []order.Item{{SKU: "F-1", Name: "Чайник", Qty: 2, PriceMinor: 150000}}}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		f.Fatal(err)
	}
	res, err := a.Orders.Create(context.Background(), n)
	if err != nil {
		f.Fatal(err)
	}
	return &fuzzEnv{env: &env{app: a, clock: clk, srv: srv}, customerID: res.CustomerID,
		path: "/my/orders/" + strconv.FormatInt(res.ID, 10) + "/reorder"}
}

// TestMyReorderKey: the order page's nonce is of the form "Order again"
// takes, and fresh each time.
func TestMyReorderKey(t *testing.T) {
	t.Parallel()
	a, b := web.MyReorderKey(), web.MyReorderKey()
	if len(a) != 10 || strings.Trim(a, "0123456789") != "" || a == b {
		t.Errorf("keys %q and %q: want two different 10-digit nonces", a, b)
	}
}
