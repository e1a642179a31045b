package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// loyaltyShop is the test shop with a loyalty history: Андрей's R-2
// (990.00 RUB) delivered, which earns 49 points and the first-order bonus
// of 100, and 30 of them spent on his open R-1: 119 points. The clock
// stands on Tuesday 1 December 2026, 12:00 in Moscow.
type loyaltyShop struct {
	andrei, liga int64 // customers
	r1, r2, l7   int64 // orders
}

func newLoyaltyShop(t *testing.T, e *env) loyaltyShop {
	t.Helper()
	ctx := context.Background()
	placeOrders(t, e)
	addPeople(t, e)
	get := func(ext string) *order.Order {
		t.Helper()
		o, err := order.GetByExternalID(ctx, e.app.DB.Read(), ext)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	r1, r2, l7 := get("R-1"), get("R-2"), get("L-7")
	if _, err := e.app.Orders.ChangeStatus(ctx, r2.ID, order.StatusUpdate{Status: order.Delivered, Source: order.SourceAPI}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Dispatcher.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Loyalty.Redeem(ctx, loyalty.RedeemRequest{CustomerID: r1.CustomerID, OrderID: r1.ID, Points: 30}); err != nil {
		t.Fatal(err)
	}
	if b, err := loyalty.Balance(ctx, e.app.DB.Read(), r1.CustomerID); err != nil || b != 119 {
		t.Fatalf("Андрей's balance before the tests: %d, %v; want 119", b, err)
	}
	return loyaltyShop{andrei: r1.CustomerID, liga: l7.CustomerID, r1: r1.ID, r2: r2.ID, l7: l7.ID}
}

// fieldLabel is the <label> of the form field named name in a page, from
// its opening tag to its end, its entities unescaped.
func fieldLabel(t *testing.T, body, name string) string {
	t.Helper()
	i := strings.Index(body, `name="`+name+`"`)
	if i < 0 {
		t.Fatalf("no field %q on the page", name)
	}
	start := strings.LastIndex(body[:i], "<label")
	end := strings.Index(body[i:], "</label>")
	if start < 0 || end < 0 {
		t.Fatalf("field %q is not inside a label", name)
	}
	return html.UnescapeString(body[start : i+end])
}

// TestCustomerLoyalty walks the loyalty part of a customer's page as the
// operator: the standing and the ledger from real postings, the grant
// form's good and bad input (each error on its field, nothing posted),
// the same grant twice, the ledger's pages, and the referral code and its
// public link.
func TestCustomerLoyalty(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			s := newLoyaltyShop(t, e)
			speakEnglish(t, e, auth.Operator)
			ctx, db := context.Background(), e.app.DB.Read()
			b := newBrowser(t, e)
			b.login(people[auth.Operator])
			page := "/customers/" + strconv.FormatInt(s.andrei, 10)

			status, _, body := b.do("GET", page, nil)
			if status != http.StatusOK {
				t.Fatalf("%s: %d", page, status)
			}
			for _, want := range []string{
				"<strong id=\"loyalty-balance\">119 points</strong> · RUB\u00a0119.00",
				"No tier yet", "1 delivered order · RUB\u00a0990.00", "Silver card", "4 more orders or RUB\u00a014,010.00 more in purchases",
				"119 points on 2027-12-01", "Make a referral code",
				"Paid with points", "Bonus", "first order", "Points for an order", ">+49<", ">-30<", ">+100<",
				`<a href="/orders/` + strconv.FormatInt(s.r2, 10) + `">R-2</a>`, `<a href="/orders/` + strconv.FormatInt(s.r1, 10) + `">R-1</a>`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("the customer page lacks %q", want)
				}
			}
			if strings.Contains(body, "[customer_show.") {
				t.Errorf("the customer page shows a missing text id:\n%s", body)
			}

			grant := func(kind, points, orderID, reason string) (int, string, string) {
				t.Helper()
				st, h, body := b.do("POST", page+"/loyalty", url.Values{"csrf": {b.csrf}, "kind": {kind}, "points": {points},
					"order_id": {orderID}, "reason": {reason}})
				return st, h.Get("Location"), body
			}
			balance := func() int64 {
				t.Helper()
				n, err := loyalty.Balance(ctx, db, s.andrei)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}

			r1 := strconv.FormatInt(s.r1, 10)
			if st, loc, body := grant("compensation", "50", r1, "Sorry for the wait"); st != http.StatusSeeOther || loc != page+"?saved=1#loyalty" {
				t.Fatalf("a good grant: %d to %q\n%.600s", st, loc, body)
			}
			if got := balance(); got != 169 {
				t.Errorf("after the grant: %d points, want 169", got)
			}
			_, _, body = b.do("GET", page+"?saved=1", nil)
			for _, want := range []string{"Saved.", "169 points", "Compensation", "Sorry for the wait", people[auth.Operator]} {
				if !strings.Contains(body, want) {
					t.Errorf("the page after the grant lacks %q", want)
				}
			}
			// The same grant about the same order again changes nothing.
			if st, loc, _ := grant("compensation", "50", r1, "Sorry for the wait"); st != http.StatusSeeOther || loc != page+"?saved=again#loyalty" {
				t.Errorf("the same grant again: %d to %q", st, loc)
			}
			if got := balance(); got != 169 {
				t.Errorf("after the same grant again: %d points, want 169", got)
			}
			if _, _, body := b.do("GET", page+"?saved=again", nil); !strings.Contains(body, "That grant had been made already") {
				t.Error("the page after a repeated grant does not say so")
			}

			l7 := strconv.FormatInt(s.l7, 10)
			for _, tc := range []struct {
				name                        string
				kind, points, order, reason string
				field, want                 string
			}{
				{"more than the balance", "adjustment", "-500", "", "Miscounted", "points", "The balance is only 169 points"},
				{"a negative gift", "compensation", "-5", "", "Oops", "points", "only a correction may be negative"},
				{"no number", "compensation", "many", "", "Thanks", "points", "Give a whole number of points"},
				{"nothing", "compensation", "", "", "Thanks", "points", "Give a number of points."},
				{"no reason", "compensation", "10", "", "  ", "reason", "Say why"},
				{"a control character", "compensation", "10", "", "Sorry\x00", "reason", "one line of text"},
				{"another's order", "compensation", "10", l7, "Thanks", "order_id", "Choose one of this customer's orders"},
				{"an unknown order", "compensation", "10", "999999", "Thanks", "order_id", "Choose one of this customer's orders"},
				{"an unknown kind", "bonus", "10", "", "Thanks", "kind", "Choose what it is."},
			} {
				t.Run(tc.name, func(t *testing.T) {
					st, _, body := grant(tc.kind, tc.points, tc.order, tc.reason)
					if st != http.StatusUnprocessableEntity {
						t.Fatalf("status %d, want 422\n%.600s", st, body)
					}
					if tc.field == "kind" {
						if !strings.Contains(body, `<fieldset class="invalid">`) || !strings.Contains(body, tc.want) {
							t.Errorf("the kind is not marked wrong")
						}
					} else if l := fieldLabel(t, body, tc.field); !strings.HasPrefix(l, `<label class="invalid">`) || !strings.Contains(l, tc.want) {
						t.Errorf("field %s: %s\nwant it marked wrong with %q", tc.field, l, tc.want)
					}
					if tc.field != "points" && tc.points != "" && !strings.Contains(body, `value="`+tc.points+`"`) {
						t.Errorf("what was typed is not kept in the form")
					}
					if got := balance(); got != 169 {
						t.Errorf("a refused grant moved the balance to %d", got)
					}
				})
			}

			if st, _, _ := b.do("POST", "/customers/999999/loyalty", url.Values{"csrf": {b.csrf}, "kind": {"compensation"},
				"points": {"10"}, "reason": {"Thanks"}}); st != http.StatusNotFound {
				t.Errorf("a grant to nobody: %d, want 404", st)
			}
			if st, loc, _ := grant("adjustment", "-19", "", "Counted twice"); st != http.StatusSeeOther || loc != page+"?saved=1#loyalty" {
				t.Errorf("a correction down: %d to %q", st, loc)
			}
			if got := balance(); got != 150 {
				t.Errorf("after the correction: %d points, want 150", got)
			}

			// Enough entries for a second page of the ledger.
			for i := range 20 {
				_, err := e.app.Loyalty.Grant(ctx, loyalty.GrantRequest{CustomerID: s.andrei, Kind: loyalty.Adjustment,
					Source: loyalty.FromOperator, Actor: "owner@shop.test", Grant: config.Grant{Points: 1, Reason: "step " + strconv.Itoa(i)}})
				if err != nil {
					t.Fatal(err)
				}
			}
			_, _, body = b.do("GET", page, nil)
			m := regexp.MustCompile(`<a href="(/customers/\d+\?before=\d+#ledger)" rel="next">`).FindStringSubmatch(body)
			if m == nil {
				t.Fatal("the ledger of 24 entries has no link to its second page")
			}
			older := m[1]
			if strings.Contains(body, "first order") {
				t.Error("the first page of the ledger reaches back to the first entry")
			}
			st, _, body := b.do("GET", strings.ReplaceAll(older, "&amp;", "&"), nil)
			if st != http.StatusOK || !strings.Contains(body, "first order") || !strings.Contains(body, "← Newest") {
				t.Errorf("the second page of the ledger (%s): %d, want the oldest entries and a way back", older, st)
			}

			// The referral code: made on demand, its link leads to the shop.
			if st, h, _ := b.do("POST", page+"/referral-code", url.Values{"csrf": {b.csrf}}); st != http.StatusSeeOther || h.Get("Location") != page+"#loyalty" {
				t.Fatalf("make a referral code: %d to %q", st, h.Get("Location"))
			}
			member, err := e.app.Loyalty.Member(ctx, db, s.andrei)
			if err != nil || member.ReferralCode == "" {
				t.Fatalf("no referral code after making one: %v", err)
			}
			code := member.ReferralCode
			_, _, body = b.do("GET", page, nil)
			if !strings.Contains(body, "<code>"+code+"</code>") || !strings.Contains(body, e.app.Loyalty.ReferralLink(code)) {
				t.Errorf("the page does not show the referral code %s and its link", code)
			}
			anon := newBrowser(t, e)
			st, h, _ := anon.do("GET", "/r/"+strings.ToLower(code), nil)
			if want := e.app.Settings.Shop.PublicURL + "/?ref=" + code; st != http.StatusFound || h.Get("Location") != want {
				t.Errorf("GET /r/{code}: %d to %q, want 302 to %q", st, h.Get("Location"), want)
			}
			for _, bad := range []string{"NOSUCHCODE", strings.Repeat("A", 40), "%00"} {
				if st, _, body := anon.do("GET", "/r/"+bad, nil); st != http.StatusNotFound || !strings.Contains(body, "<html") {
					t.Errorf("GET /r/%s: %d, want the 404 page", bad, st)
				}
			}
		})
	}
}

// TestLoyaltyProgramPage is the owner's page of the program: the
// figures of the period from the real ledger, the period's field errors,
// the rules in words, the coupon form's good and bad input, and the page
// is the owner's alone.
func TestLoyaltyProgramPage(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			s := newLoyaltyShop(t, e)
			speakEnglish(t, e, auth.Owner)
			ctx := context.Background()
			// A correction down counts as points taken back.
			if _, err := e.app.Loyalty.Grant(ctx, loyalty.GrantRequest{CustomerID: s.andrei, Kind: loyalty.Adjustment,
				Source: loyalty.FromOperator, Actor: "owner@shop.test", Grant: config.Grant{Points: -9, Reason: "Counted twice"}}); err != nil {
				t.Fatal(err)
			}
			b := newBrowser(t, e)
			b.login(people[auth.Owner])

			status, _, body := b.do("GET", "/loyalty", nil)
			if status != http.StatusOK {
				t.Fatalf("/loyalty: %d\n%s", status, body)
			}
			dd := func(label, value string) string { return label + "</dt><dd class=\"num\">" + value }
			for _, want := range []string{
				`value="2026-11-02"`, `value="2026-12-01"`,
				dd("Points given", "249<"), dd("Points spent", "30<"), dd("Points lapsed", "0<"), dd("Points taken back", "9<"),
				dd("Orders paid partly with points", "20%"), "1 of 5 orders",
				dd("Members", "2<"), dd("Points customers hold", "210<"), "<strong id=\"liability\">RUB\u00a0210.00</strong>",
				"5 points for every 100 RUB", "1 point = RUB\u00a01.00", "Points pay at most 50 %", "365 days", "14 days",
				"100 points", "200 points", "300 points", "Silver card", "Gold card", "RUB\u00a015,000.00", "free gift wrap", "free delivery",
				`<a href="/settings">`, `<a href="/loyalty"`, "No coupons yet.",
			} {
				if !strings.Contains(body, want) {
					t.Errorf("/loyalty lacks %q", want)
				}
			}

			// A period before the history has none of it.
			_, _, body = b.do("GET", "/loyalty?from=2026-10-01&to=2026-10-31", nil)
			if !strings.Contains(body, dd("Points given", "0<")) || !strings.Contains(body, "<strong id=\"liability\">RUB\u00a0210.00</strong>") {
				t.Error("October's figures: want nothing given, and the liability of now")
			}
			for _, tc := range []struct{ query, field, want string }{
				{"from=yesterday", "from", "Give a day as YYYY-MM-DD."},
				{"from=2026-11-01&to=2026-13-01", "to", "Give a day as YYYY-MM-DD."},
				{"from=2026-12-01&to=2026-11-01", "from", "The first day comes after the last."},
			} {
				st, _, body := b.do("GET", "/loyalty?"+tc.query, nil)
				if st != http.StatusUnprocessableEntity {
					t.Errorf("?%s: %d, want 422", tc.query, st)
					continue
				}
				if l := fieldLabel(t, body, tc.field); !strings.HasPrefix(l, `<label class="invalid">`) || !strings.Contains(l, tc.want) {
					t.Errorf("?%s: field %s: %s\nwant %q on it", tc.query, tc.field, l, tc.want)
				}
			}

			coupon := func(f url.Values) (int, string, string) {
				t.Helper()
				f.Set("csrf", b.csrf)
				st, h, body := b.do("POST", "/loyalty/coupons", f)
				return st, h.Get("Location"), body
			}
			st, loc, body := coupon(url.Values{"code": {"welcome10"}, "kind": {"percent"}, "value": {"10"}, "min_order": {"1000"},
				"valid_days": {"30"}, "max_uses": {"0"}, "reason": {"Newsletter"}})
			if st != http.StatusSeeOther || loc != "/loyalty?created=WELCOME10#coupons" {
				t.Fatalf("a good coupon: %d to %q\n%.600s", st, loc, body)
			}
			c, err := loyalty.CouponByCode(ctx, e.app.DB.Read(), "WELCOME10")
			if err != nil || c.Kind != loyalty.Percent || c.Value != 1000 || c.MinOrderMinor != 100000 || c.MaxUses != 0 || c.ExpiresAt == nil {
				t.Errorf("the coupon made: %+v, %v", c, err)
			}
			_, _, body = b.do("GET", loc, nil)
			for _, want := range []string{"Coupon WELCOME10 made.", "<code>WELCOME10</code>", "10 %", "RUB\u00a01,000.00", "0 / ∞", "Newsletter"} {
				if !strings.Contains(body, want) {
					t.Errorf("/loyalty after the coupon lacks %q", want)
				}
			}
			st, loc, _ = coupon(url.Values{"kind": {"amount"}, "value": {"150,50"}})
			created, _ := url.ParseQuery(strings.TrimSuffix(strings.TrimPrefix(loc, "/loyalty?"), "#coupons"))
			if st != http.StatusSeeOther || len(created.Get("created")) != 14 {
				t.Fatalf("a generated coupon: %d to %q", st, loc)
			}
			if c, err := loyalty.CouponByCode(ctx, e.app.DB.Read(), created.Get("created")); err != nil || c.Kind != loyalty.Fixed ||
				c.Value != 15050 || c.MaxUses != 1 || c.ExpiresAt != nil {
				t.Errorf("the generated coupon: %+v, %v", c, err)
			}

			for _, tc := range []struct {
				name        string
				form        url.Values
				field, want string
			}{
				{"a code taken", url.Values{"code": {"WELCOME10"}, "kind": {"percent"}, "value": {"5"}}, "code", "That code is in use already."},
				{"a bad code", url.Values{"code": {"10%"}, "kind": {"percent"}, "value": {"5"}}, "code", "4 to 32 Latin letters"},
				{"no value", url.Values{"kind": {"percent"}}, "value", "Give a percent from 1 to 100"},
				{"too many percent", url.Values{"kind": {"percent"}, "value": {"150"}}, "value", "Give a percent from 1 to 100"},
				{"a negative amount", url.Values{"kind": {"amount"}, "value": {"-3"}}, "value", "Give a percent from 1 to 100"},
				{"a bad least order", url.Values{"kind": {"amount"}, "value": {"3"}, "min_order": {"lots"}}, "min_order", "Give the least order"},
				{"bad days", url.Values{"kind": {"amount"}, "value": {"3"}, "valid_days": {"-1"}}, "valid_days", "Give a whole number of days"},
				{"bad uses", url.Values{"kind": {"amount"}, "value": {"3"}, "max_uses": {"1.5"}}, "max_uses", "Give a whole number of uses"},
				{"a control character", url.Values{"kind": {"amount"}, "value": {"3"}, "reason": {"x\x00"}}, "reason", "one line of text"},
				{"an unknown kind", url.Values{"kind": {"points"}, "value": {"3"}}, "kind", "Choose a percent or an amount."},
			} {
				t.Run(tc.name, func(t *testing.T) {
					st, _, body := coupon(tc.form)
					if st != http.StatusUnprocessableEntity {
						t.Fatalf("status %d, want 422", st)
					}
					if l := fieldLabel(t, body, tc.field); !strings.HasPrefix(l, `<label class="invalid">`) || !strings.Contains(l, tc.want) {
						t.Errorf("field %s: %s\nwant it marked wrong with %q", tc.field, l, tc.want)
					}
				})
			}
			if list, err := loyalty.Coupons(ctx, e.app.DB.Read(), 0, 10); err != nil || len(list) != 2 {
				t.Errorf("coupons after the refused forms: %d, %v; want the 2 made", len(list), err)
			}

			// The page and its form are the owner's; the menu shows it to them alone.
			for _, role := range []auth.Role{auth.Operator, auth.Packer} {
				other := newBrowser(t, e)
				other.login(people[role])
				if st, _, _ := other.do("GET", "/loyalty", nil); st != http.StatusForbidden {
					t.Errorf("%s on /loyalty: %d, want 403", role, st)
				}
				if st, _, body := other.do("GET", "/account", nil); st != http.StatusOK || strings.Contains(body, `href="/loyalty"`) {
					t.Errorf("%s's menu links to /loyalty", role)
				}
			}
		})
	}
}

// TestLoyaltyPagesInEveryLanguage renders the customer page and the
// program page in each language: no text id is missing anywhere.
func TestLoyaltyPagesInEveryLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Engines(t)[0])
	s := newLoyaltyShop(t, e)
	ctx := context.Background()
	users, err := auth.UserList(ctx, e.app.DB.Read())
	if err != nil {
		t.Fatal(err)
	}
	var owner auth.User
	for _, u := range users {
		if u.Role == auth.Owner {
			owner = u
		}
	}
	want := map[i18n.Lang][]string{
		i18n.EN: {"119 points", "Points history", "Loyalty program"},
		i18n.RU: {"119 баллов", "История баллов", "Лояльность", "1 доставленный заказ"},
		i18n.LV: {"119 punktu", "Punktu vēsture", "Lojalitāte", "1 piegādāts pasūtījums"},
	}
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			if err := auth.UserSetLanguage(ctx, e.app.DB, owner.ID, string(lang), e.clock.Now()); err != nil {
				t.Fatal(err)
			}
			b := newBrowser(t, e)
			b.login(people[auth.Owner])
			all := ""
			for _, path := range []string{"/customers/" + strconv.FormatInt(s.andrei, 10), "/loyalty"} {
				st, _, body := b.do("GET", path, nil)
				if st != http.StatusOK {
					t.Fatalf("%s: %d", path, st)
				}
				for _, prefix := range []string{"[customer_show.", "[loyalty_program.", "[admin."} {
					if strings.Contains(body, prefix) {
						t.Errorf("%s shows a missing text id %s…", path, prefix)
					}
				}
				all += body
			}
			for _, w := range want[lang] {
				if !strings.Contains(all, w) {
					t.Errorf("the pages lack %q", w)
				}
			}
		})
	}
}
