// Package shopify is the connector adapter for Shopify shops: it checks
// and reads Shopify's order webhooks, reads the shop's orders through the
// GraphQL Admin API (REST is legacy since 2024-10), registers shopcare's
// webhook subscriptions and writes the promised dates back as order
// metafields in the "shopcare" namespace.
package shopify

import (
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
)

// APIVersion is the GraphQL Admin API version shopcare speaks; Shopify
// keeps each version for a year, so it moves forward with releases.
const APIVersion = "2025-07"

// Namespace is the metafield namespace write-back uses on an order.
const Namespace = "shopcare"

// Adapter is one Shopify shop's connection: webhook checks, API reads,
// webhook registration and write-back share its options and its view of
// the shop's cost bucket.
type Adapter struct {
	opts  connector.Options
	clock clock.Clock
	gql   *graphQL
}

var (
	_ connector.Webhook   = (*Adapter)(nil)
	_ connector.API       = (*Adapter)(nil)
	_ connector.Registrar = (*Adapter)(nil)
	_ connector.Writer    = (*Adapter)(nil)
)

// New returns the adapter of a Shopify connector: o.URL is the shop's
// address (https://{shop}.myshopify.com), o.AccessToken the Admin API
// access token, o.WebhookSecret the app's client secret that signs the
// webhooks.
func New(o connector.Options) connector.Adapter {
	a := NewAdapter(o)
	return connector.Adapter{Webhook: a, API: a, Registrar: a, Writer: a}
}

// SiteURL is the shop's address as settings give it (wire.SiteURL).
func SiteURL(raw string) string { return wire.SiteURL(raw) }

// NewAdapter returns the concrete adapter behind New, for callers (and
// tests) that need more than the contract's interfaces.
func NewAdapter(o connector.Options) *Adapter {
	c := o.Clock
	if c == nil {
		c = clock.System{}
	}
	endpoint := SiteURL(o.URL) + "/admin/api/" + APIVersion + "/graphql.json"
	return &Adapter{opts: o, clock: c, gql: newGraphQL(o, c, endpoint)}
}
