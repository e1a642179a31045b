// Package tilda connects a Tilda site: each submission of a form or of
// the cart is POSTed to shopcare (form-urlencoded, or JSON where the
// project is set so) and becomes a new order. Tilda signs nothing, so the
// address carries a secret (or, for marketplace integrations, the API key
// comes as a Bearer token in a header or an Authorization field); its
// connect test (test=test) is a Ping. Tilda has no orders API, so there
// is no API, Registrar or Writer: the history comes from its CSV export
// of leads.
package tilda

import "github.com/shopcare/shopcare/internal/connector"

// New returns the Tilda adapter of a connector: webhooks only.
func New(o connector.Options) connector.Adapter {
	return connector.Adapter{Webhook: &Webhook{opts: o}}
}
