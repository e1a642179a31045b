package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/playbook"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/web"
)

// TestMyPointsPage: the points page shows the customer's balance, what
// lapses, the tier's way, coupons, the referral link and the history,
// each number and amount written as the customer's language writes it,
// and another customer's points never.
func TestMyPointsPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	placeOrders(t, e)
	ctx := context.Background()
	andrei, liga, sam := orderByNumber(t, e, "R-1").CustomerID, orderByNumber(t, e, "L-7").CustomerID, orderByNumber(t, e, "D-5").CustomerID
	grant := func(customerID, points int64, reason string, coupon *config.CouponSpec) {
		t.Helper()
		if _, err := e.app.Loyalty.Grant(ctx, loyalty.GrantRequest{CustomerID: customerID, Kind: loyalty.Compensation,
			Source: loyalty.FromOperator, Actor: "owner@shop.test", Grant: config.Grant{Points: points, Reason: reason, Coupon: coupon}}); err != nil {
			t.Fatal(err)
		}
	}
	grant(andrei, 12500, "извините за ожидание", &config.CouponSpec{Percent: 10, ValidFor: config.Duration(30 * 24 * time.Hour)})
	grant(liga, 1500, "atvainojamies par kavēšanos", nil)

	for _, c := range []struct {
		name       string
		customerID int64
		lang       i18n.Lang
		want       []string
		absent     []string
	}{
		{"ru", andrei, i18n.RU, []string{
			i18n.Number(i18n.RU, 12500) + " баллов", // "12 500 баллов", grouped the Russian way
			i18n.Money(i18n.RU, 1250000, "RUB"),     // what they are worth
			"сгорят",                                // they lapse a year on
			"Наши извинения: извините за ожидание",  // the history in words
			"скидка 10",                             // the coupon
			"/r/",                                   // the referral link
			"друг получит 200 баллов",
			"До карты «Серебряная карта»",
		}, []string{"atvainojamies", "Sam Lee", "[my_points"}},
		{"lv", liga, i18n.LV, []string{
			i18n.Number(i18n.LV, 1500) + " punktu", // 1500 takes the "zero" form in Latvian
			"Mūsu atvainošanās: atvainojamies par kavēšanos",
			"Pašlaik kuponu nav",
		}, []string{"извините", "[my_points"}},
		{"en with nothing yet", sam, i18n.EN, []string{
			"0 points", "No points yet", "You have no coupons",
		}, []string{"извините", "atvainojamies", "[my_points"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := newBrowser(t, e)
			signInAs(t, e, b, c.customerID)
			status, _, body := b.do("GET", "/my/points", nil)
			if status != http.StatusOK {
				t.Fatalf("GET /my/points: %d\n%s", status, body)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("the page lacks %q:\n%s", w, body)
				}
			}
			if bad := unreadable(pageText(body, c.lang), c.lang); len(bad) > 0 {
				t.Errorf("the %s page has what its reader cannot read: %v", c.lang, bad)
			}
			for _, a := range c.absent {
				if strings.Contains(body, a) {
					t.Errorf("the page shows %q", a)
				}
			}
		})
	}
}

// TestMyPercent: a percent off keeps its fraction, written as the
// language writes numbers.
func TestMyPercent(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lang    i18n.Lang
		percent float64
		want    string
	}{
		{i18n.EN, 10, "10%"},
		{i18n.EN, 7.5, "7.5%"},
		{i18n.RU, 7.5, "7,5\u00a0%"},
		{i18n.LV, 12.25, "12,25%"},
		{i18n.RU, 3, "3\u00a0%"},
	} {
		if got := web.MyPercent(c.lang, c.percent); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.lang, c.percent, got, c.want)
		}
	}
}

// TestMyPointsWordsEveryCode: every kind of ledger entry, tier perk and
// reason of the program's own has its words on the points page, so no
// raw code reaches a customer.
func TestMyPointsWordsEveryCode(t *testing.T) {
	t.Parallel()
	var ids []string
	for _, k := range loyalty.Kinds {
		ids = append(ids, "my_points.kind."+string(k))
	}
	for _, p := range config.TierPerks {
		ids = append(ids, "my_points.perk."+p)
	}
	for _, r := range []string{loyalty.ReasonFirstOrder, loyalty.ReasonBirthday, loyalty.ReasonReview, loyalty.ReasonReferrer,
		loyalty.ReasonFriend, loyalty.ReasonReturned, loyalty.ReasonCancelled, playbook.LateReason} {
		ids = append(ids, "my_points.reason."+r)
	}
	for _, id := range ids {
		for _, lang := range i18n.Langs() {
			if got := i18n.Text(lang, id, nil); got == "["+id+"]" {
				t.Errorf("%s: no words for %s", lang, id)
			}
		}
	}
}
