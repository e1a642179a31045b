package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/web"
)

// annaRows is everything the shop holds of Anna that a request of
// another customer could change, read through the services as a page
// would: her customer record and contacts, her orders (and any new one),
// their items, history, parcels, notes and tasks, her messages and her
// points.
func annaRows(t *testing.T, e *env, s myShop) string {
	t.Helper()
	ctx := context.Background()
	var parts []any
	add := func(what string, v any, err error) {
		t.Helper()
		if err != nil {
			// A read that fails says so in the snapshot: "not a member" is a state too.
			parts = append(parts, what+": "+err.Error())
			return
		}
		parts = append(parts, map[string]any{what: v})
	}
	c, err := e.app.Customers.Get(ctx, s.anna)
	add("customer", c, err)
	contact, err := e.app.Messages.LoadContact(ctx, s.anna)
	add("contact", contact, err)
	list, _, err := e.app.Orders.ListOfCustomer(ctx, s.anna, "", 200)
	add("orders", list, err)
	for _, o := range list {
		full, err := e.app.Orders.Get(ctx, o.ID)
		add("order", full, err)
		ps, err := e.app.Parcels.ByOrder(ctx, o.ID)
		add("parcels", ps, err)
		notes, err := e.app.Orders.Notes(ctx, o.ID)
		add("notes", notes, err)
		tasks, err := e.app.Tasks.ListByOrder(ctx, o.ID)
		add("tasks", tasks, err)
	}
	msgs, err := e.app.Messages.ListByCustomer(ctx, s.anna, 500)
	add("messages", msgs, err)
	member, err := e.app.Loyalty.MemberGet(ctx, s.anna)
	add("member", member, err)
	ledger, err := e.app.Loyalty.Ledger(ctx, s.anna, 0, 500)
	add("ledger", ledger, err)
	coupons, err := e.app.Loyalty.Coupons(ctx, s.anna, 500)
	add("coupons", coupons, err)
	buf, err := json.Marshal(parts)
	if err != nil {
		t.Fatal(err)
	}
	return string(buf)
}

// TestNoCustomerSeesAnothers walks every route of the customer's own page
// with Boris's session on Anna's order (and Anna's ids in every form
// field a handler might read): a route about an order answers 404 or a
// refusal, no page shows anything of Anna (her name, e-mail, order
// numbers, goods, address, tracking number), no request signs the
// browser in as Anna, and nothing of Anna's changes. A route that looks
// its order up without h.myOrder fails it.
func TestNoCustomerSeesAnothers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	s := placeMyShop(t, e)
	drainJournal(t, e)
	before := annaRows(t, e, s)
	orderID := strconv.FormatInt(s.delivered, 10)
	annaID := strconv.FormatInt(s.anna, 10)

	routes := web.MyRoutes(e.app)
	if len(routes) < 19 {
		t.Fatalf("myRoutes lists %d routes; the walk would miss some", len(routes))
	}
	// Deleting the account (Boris's own: his session) goes last: the
	// walk needs Boris to sign in again for each route.
	slices.SortStableFunc(routes, func(a, b web.MyRoute) int {
		return strings.Compare(strconv.FormatBool(strings.Contains(a.Path, "delete")), strconv.FormatBool(strings.Contains(b.Path, "delete")))
	})
	hasMarks := func(body string) []string {
		var out []string
		for _, m := range annaMarks {
			if strings.Contains(body, m) {
				out = append(out, m)
			}
		}
		return out
	}
	for _, rt := range routes {
		for _, variant := range []string{"order id", "tracking token"} {
			path := strings.ReplaceAll(rt.Path, "{id}", orderID)
			switch variant {
			case "order id":
				path = strings.ReplaceAll(path, "{token}", orderID)
			case "tracking token":
				if !strings.Contains(rt.Path, "{") {
					continue // the same request as the first variant
				}
				path = strings.ReplaceAll(strings.ReplaceAll(rt.Path, "{id}", annaID), "{token}", s.annaToken)
			}
			name := rt.Method + " " + path
			b := newBrowser(t, e)
			session := signInAs(t, e, b, s.boris)
			ids := url.Values{}
			for _, k := range []string{"id", "order", "order_id", "orders", "source", "return_id", "item", "item_id", "conversation"} {
				ids.Set(k, orderID)
			}
			for _, k := range []string{"customer", "customer_id", "member"} {
				ids.Set(k, annaID)
			}
			ids.Set("token", s.annaToken)
			ids.Set("next", "/my/orders/"+orderID)
			var status int
			var body string
			if rt.Method == http.MethodGet {
				status, _, body = b.do("GET", path+"?"+ids.Encode(), nil)
			} else {
				form := url.Values{}
				for k, v := range ids {
					form[k] = v
				}
				form.Set("csrf", session.CSRF)
				// What a form of the page might also carry, with Anna's order in it.
				form.Set("qty_"+orderID, "1")
				form.Set("reason", "other")
				form.Set("message", "Покажите мне чужой заказ")
				form.Set("confirm", "on")
				status, _, body = b.do(rt.Method, path, form)
			}
			if status >= 500 {
				t.Errorf("%s as Boris: %d", name, status)
			}
			if strings.Contains(rt.Path, "{id}") && status != http.StatusNotFound && status != http.StatusForbidden {
				t.Errorf("%s: Boris on Anna's order gets %d, want 404 or 403", name, status)
			}
			if m := hasMarks(body); len(m) > 0 {
				t.Errorf("%s as Boris shows Anna's %v", name, m)
			}
			// Whatever the browser holds now, it is not Anna's page.
			if st, _, home := b.do("GET", "/my", nil); st == http.StatusOK {
				if m := hasMarks(home); len(m) > 0 {
					t.Errorf("after %s Boris's browser shows Anna's %v on /my", name, m)
				}
			}
			if after := annaRows(t, e, s); after != before {
				t.Errorf("%s as Boris changed Anna's rows:\nbefore %s\nafter  %s", name, before, after)
				before = after
			}
		}
	}
}
