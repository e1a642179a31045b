// Package ecwid connects an Ecwid store: its webhooks (signed with the
// app's client_secret over "{eventCreated}.{eventId}", the body itself is
// not signed) name an order and what changed, never the order, so every
// order delivery leaves Delivery.Order nil and the core reads the order
// through the REST API (/api/v3/{storeId}/orders, Bearer token, 600 calls
// a minute). Webhooks are set in the app's settings, so there is no
// Registrar. The Writer puts the promise in the order's private admin
// notes (privateAdminNotes, which the Update order call documents),
// inside a block of its own so the owner's own notes stay.
package ecwid

import (
	"net/http"
	"strings"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
)

// DefaultURL is Ecwid's REST API.
const DefaultURL = "https://app.ecwid.com/api/v3"

// New returns the Ecwid adapter of a connector: webhooks always; the API
// and the writer when it has the store's id and access token.
func New(o connector.Options) connector.Adapter {
	a := connector.Adapter{Webhook: &Webhook{opts: o}}
	if strings.TrimSpace(o.StoreID) != "" && o.AccessToken != "" {
		api := newAPI(o)
		a.API = api
		a.Writer = api
	}
	return a
}

func newAPI(o connector.Options) *API {
	base := strings.TrimRight(strings.TrimSpace(o.URL), "/")
	if base == "" {
		base = DefaultURL
	}
	return &API{
		opts:  o,
		store: base + "/" + strings.TrimSpace(o.StoreID),
		http: &wire.Client{
			Opts: o,
			Auth: func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+o.AccessToken) },
		},
	}
}
