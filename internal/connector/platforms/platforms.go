// Package platforms builds a connector's adapter from its settings: the
// one place that knows every platform's package.
package platforms

import (
	"fmt"
	"net/http"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/custom"
	"github.com/shopcare/shopcare/internal/connector/ecwid"
	"github.com/shopcare/shopcare/internal/connector/insales"
	"github.com/shopcare/shopcare/internal/connector/shopify"
	"github.com/shopcare/shopcare/internal/connector/tilda"
	"github.com/shopcare/shopcare/internal/connector/woocommerce"
)

// constructors are the adapters, by config.ConnectorPlatforms name.
var constructors = map[string]func(connector.Options) connector.Adapter{
	"custom":      custom.New,
	"ecwid":       ecwid.New,
	"insales":     insales.New,
	"shopify":     shopify.New,
	"tilda":       tilda.New,
	"woocommerce": woocommerce.New,
}

// Deps are what every adapter is built with besides its settings.
type Deps struct {
	HTTP  *http.Client
	Clock clock.Clock
}

// New returns the adapter of a connector's platform.
func New(c config.Connector, d Deps) (connector.Adapter, error) {
	mk, ok := constructors[c.Platform]
	if !ok {
		return connector.Adapter{}, fmt.Errorf("connector %q: shopcare has no adapter for platform %q", c.Name, c.Platform)
	}
	return mk(Options(c, d)), nil
}

// Options are an adapter's options from a connector's settings.
func Options(c config.Connector, d Deps) connector.Options {
	return connector.Options{
		Name: c.Name, URL: c.URL, StoreID: c.StoreID,
		AccessToken: c.AccessToken, APIKey: c.APIKey, APISecret: c.APISecret,
		Password: c.Password, WebhookSecret: c.WebhookSecret,
		Statuses: c.Statuses, Mapping: c.Mapping, HTTP: d.HTTP, Clock: d.Clock,
	}
}
