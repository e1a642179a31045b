package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestCampaignUnsubscribe follows a campaign's unsubscribe link: the GET
// asks and changes nothing, the one-click POST of RFC 8058 stops offers
// (order news keeps coming), a forged token is not found.
func TestCampaignUnsubscribe(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			ctx := context.Background()
			o := apptest.Order(t, e.app, order.NewOrder{ExternalID: "U-1", Customer: customer.Input{ExternalID: "c-lv",
				Email: "janis@example.lv", Name: "Jānis Ozols", Language: "lv"}, Carrier: "post",
				Items: []order.Item{{SKU: "POT-1", Name: "Katls", Qty: 1, PriceMinor: 4990}}})
			id, err := e.app.Campaigns.Create(ctx, campaign.Input{Name: "Ziema", Channel: campaign.SMS,
				Audience: campaign.Audience{All: true}, Content: campaign.Contents{"ru": {Text: "Скидки"}}})
			if err != nil {
				t.Fatal(err)
			}
			link, err := url.Parse(e.app.Campaigns.UnsubscribeURL(id, o.CustomerID))
			if err != nil {
				t.Fatal(err)
			}
			optedOut := func() bool {
				p, err := customer.GetProfile(ctx, e.app.DB.Read(), o.CustomerID)
				if err != nil {
					t.Fatal(err)
				}
				return p.MarketingOptedOutAt != nil
			}
			res, err := http.Get(e.srv.URL + link.Path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			_ = res.Body.Close()
			if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `<form method="post">`) || !strings.Contains(string(body), `lang="lv"`) {
				t.Fatalf("GET %s = %d:\n%s", link.Path, res.StatusCode, body)
			}
			if optedOut() {
				t.Fatal("a GET unsubscribed")
			}
			res, err = http.Post(e.srv.URL+link.Path, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
			if err != nil {
				t.Fatal(err)
			}
			_ = res.Body.Close()
			if res.StatusCode != http.StatusOK || !optedOut() {
				t.Fatalf("one-click POST = %d, opted out %v", res.StatusCode, optedOut())
			}
			p, _ := customer.GetProfile(ctx, e.app.DB.Read(), o.CustomerID)
			for _, ch := range p.Channels {
				if ch.OptedOutAt != nil {
					t.Errorf("order news on %s stopped by an unsubscribe from offers", ch.Channel)
				}
			}
			last := "A"
			if strings.HasSuffix(link.Path, "A") {
				last = "B"
			}
			forged := link.Path[:len(link.Path)-1] + last
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				req, _ := http.NewRequest(method, e.srv.URL+forged, strings.NewReader("List-Unsubscribe=One-Click"))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				_ = res.Body.Close()
				if res.StatusCode != http.StatusNotFound {
					t.Errorf("%s forged %s = %d", method, forged, res.StatusCode)
				}
			}
		})
	}
}
