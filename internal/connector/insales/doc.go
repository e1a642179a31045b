// Package insales connects an InSales shop: its orders/create and
// orders/update webhooks (JSON, or XML where the webhook is set so;
// InSales does not sign them, so the address carries a secret), its REST API for the shop's history
// (/admin/orders.json, HTTP Basic with the app's identifier and password,
// 500 calls per 5 minutes) and the registration of the webhooks through
// /admin/webhooks.json.
//
// There is no Writer: the order API has no field a shop's customers see
// that is meant for a third party's note (the customer's comment belongs
// to the customer, manager_comment is not documented as writable for
// apps), so shopcare does not write the promise back to InSales.
package insales

import (
	"net/http"
	"strings"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
)

// Topics are the webhook topics shopcare follows.
var Topics = []string{"orders/create", "orders/update"}

// New returns the InSales adapter of a connector: webhooks always, the
// API and the registrar when the connector has the shop's address.
func New(o connector.Options) connector.Adapter {
	a := connector.Adapter{Webhook: &Webhook{opts: o}}
	if strings.TrimSpace(o.URL) != "" {
		api := newAPI(o)
		a.API = api
		a.Registrar = api
	}
	return a
}

func newAPI(o connector.Options) *API {
	base := strings.TrimRight(strings.TrimSpace(o.URL), "/")
	return &API{
		opts: o,
		base: base,
		http: &wire.Client{
			Opts: o,
			Auth: func(r *http.Request) { r.SetBasicAuth(o.APIKey, o.Password) },
			Pace: Pace,
		},
	}
}
