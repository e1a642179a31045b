// Package woocommerce is the connector adapter for WooCommerce shops: it
// checks and reads WooCommerce's order webhooks, reads the shop's orders
// through the REST API v3 (/wp-json/wc/v3), registers shopcare's
// webhooks (and re-enables those WooCommerce disabled after failures)
// and writes the promise back as a private order note.
package woocommerce

import (
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
)

// Adapter is one WooCommerce shop's connection.
type Adapter struct {
	opts  connector.Options
	clock clock.Clock
	rest  *client
}

var (
	_ connector.Webhook   = (*Adapter)(nil)
	_ connector.API       = (*Adapter)(nil)
	_ connector.Registrar = (*Adapter)(nil)
	_ connector.Writer    = (*Adapter)(nil)
)

// New returns the adapter of a WooCommerce connector: o.URL is the shop's
// site address, o.APIKey and o.APISecret the REST API consumer key and
// secret, o.WebhookSecret the secret its webhooks are signed with.
func New(o connector.Options) connector.Adapter {
	a := NewAdapter(o)
	return connector.Adapter{Webhook: a, API: a, Registrar: a, Writer: a}
}

// SiteURL is the shop's address as settings give it (wire.SiteURL).
func SiteURL(raw string) string { return wire.SiteURL(raw) }

// NewAdapter returns the concrete adapter behind New.
func NewAdapter(o connector.Options) *Adapter {
	c := o.Clock
	if c == nil {
		c = clock.System{}
	}
	site := SiteURL(o.URL)
	return &Adapter{opts: o, clock: c, rest: &client{opts: o, clock: c, site: site, base: site + "/wp-json/wc/v3", http: o.Client()}}
}
