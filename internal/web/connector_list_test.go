package web_test

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

const formSecret = "form-secret-0123456789abcdef"

// formHook is a platform that signs nothing (as Tilda): the secret is in
// the address, the body a connector.Delivery as JSON.
type formHook struct{}

func (formHook) Verify(r connector.Request) error {
	if subtle.ConstantTimeCompare([]byte(r.PathSecret), []byte(formSecret)) != 1 {
		return connector.ErrUnauthorized
	}
	return nil
}

func (formHook) Parse(r connector.Request) (connector.Delivery, error) {
	var d connector.Delivery
	err := json.Unmarshal(r.Body, &d)
	return d, err
}

// TestConnectorsPage shows a connected shop with an applied and a
// failed delivery, in every language without a raw code, and replays the
// failed one through the page's form.
func TestConnectorsPage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, clk := apptest.New(t, storetest.Engines(t)[0], false,
		"connectors:\n  - {name: site, platform: tilda, webhook_secret: "+formSecret+"}\n")
	a.Connectors = connector.New(service.Deps{DB: a.DB, Settings: a.Settings, Clock: clk, Log: slog.New(slog.DiscardHandler)},
		connector.Params{Orders: a.Orders, Parcels: a.Parcels, Adapters: func(config.Connector) (connector.Adapter, error) {
			return connector.Adapter{Webhook: formHook{}}, nil
		}})
	srv := httptest.NewServer(web.New(a))
	t.Cleanup(srv.Close)
	e := &env{app: a, clock: clk, srv: srv}
	addPeople(t, e)

	placed := apptest.Start.Add(-time.Hour)
	good := &connector.Order{ID: "7", Number: "7", PlacedAt: placed, UpdatedAt: placed,
		Customer: customer.Input{Email: "anna@example.ru"}, Items: []order.Item{{SKU: "A", Name: "Кружка", Qty: 1, PriceMinor: 9900}}}
	bad := *good
	bad.ID, bad.Items = "8", []order.Item{{SKU: "B", Qty: 0, PriceMinor: 100}}
	for i, o := range []*connector.Order{good, &bad} {
		body, _ := json.Marshal(connector.Delivery{ID: "t" + o.ID, Topic: "form", Event: connector.OrderCreated, OrderID: o.ID, Order: o})
		if _, err := a.Connectors.Intake(ctx, "site", connector.Request{PathSecret: formSecret, Body: body}); err != nil {
			t.Fatalf("delivery %d: %v", i, err)
		}
	}
	if _, err := a.Connectors.Drain(ctx); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, e)
	b.login(people[auth.Owner])
	for _, lang := range []i18n.Lang{i18n.RU, i18n.LV, i18n.EN} {
		if status, _, _ := b.do("POST", "/account/language", url.Values{"csrf": {b.csrf}, "language": {string(lang)}}); status != http.StatusSeeOther {
			t.Fatalf("set language %s: %d", lang, status)
		}
		for _, p := range []string{"/connectors", "/connectors?name=site", "/connectors?name=site&state=failed"} {
			status, _, body := b.do("GET", p, nil)
			if status != http.StatusOK {
				t.Fatalf("%s %s: %d", lang, p, status)
			}
			for _, problem := range unreadable(pageText(body, lang), lang) {
				t.Errorf("%s %s: %s", lang, p, problem)
			}
			if !strings.Contains(body, srv.URL) && !strings.Contains(body, "/hooks/site/"+formSecret) {
				t.Errorf("%s %s: no webhook address with its secret", lang, p)
			}
		}
	}
	_, _, body := b.do("GET", "/connectors", nil)
	m := regexp.MustCompile(`action="/connectors/deliveries/(\d+)/replay"`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "items[0].qty") || !strings.Contains(body, `&#34;B&#34;`) && !strings.Contains(body, `"B"`) {
		t.Fatalf("the page shows no failed delivery with its error, payload and replay button:\n%s", body)
	}
	status, h, _ := b.do("POST", "/connectors/deliveries/"+m[1]+"/replay", url.Values{"csrf": {b.csrf}})
	if status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "delivery="+m[1]) {
		t.Fatalf("replay: %d to %q", status, h.Get("Location"))
	}
	status, _, body = b.do("GET", h.Get("Location"), nil)
	if status != http.StatusOK || !strings.Contains(body, `id="delivery"`) {
		t.Fatalf("the replayed delivery: %d", status)
	}
	if status, _, _ := b.do("POST", "/connectors/deliveries/999999/replay", url.Values{"csrf": {b.csrf}}); status != http.StatusNotFound {
		t.Errorf("replay of no delivery: %d, want 404", status)
	}
	if status, _, _ := b.do("GET", "/connectors?name=nobody", nil); status != http.StatusNotFound {
		t.Errorf("an unknown connector: %d, want 404", status)
	}
}
